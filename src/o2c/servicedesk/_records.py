"""What is recorded around an inquiry: its contacts, its CSAT score, quality audits, links."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from o2c.cases import Channel, NoteId
from o2c.errors import ValidationError
from o2c.servicedesk._inquiry import InquiryId, check_actor

__all__ = ["Contact", "CsatRating", "InquiryLink", "LinkKind", "QualityAudit"]


def _aware(field: str, value: dt.datetime | None) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.utcoffset() is None):
        raise ValidationError(field, value, "a time-zone aware datetime")


@attrs.frozen(slots=True)
class Contact:
    """One contact an agent handled on an inquiry (an interaction note of the book).

    Attributes:
        inquiry_id: The inquiry.
        note_id: The interaction note that records it.
        agent: Who handled it.
        channel: How.
        started: When it started.
        ended: When it ended (``None``: no handle time was taken).
        summary: What was said.
    """

    inquiry_id: InquiryId
    note_id: NoteId
    agent: str
    channel: Channel
    started: dt.datetime
    ended: dt.datetime | None
    summary: str

    def __attrs_post_init__(self) -> None:
        _aware("contact.started", self.started)
        _aware("contact.ended", self.ended)
        if self.ended is not None and self.ended < self.started:
            raise ValidationError(
                "contact.ended", self.ended.isoformat(), f"after {self.started.isoformat()}"
            )

    @property
    def handle_seconds(self) -> int | None:
        """Whole seconds the contact took, when it has an end."""
        if self.ended is None:
            return None
        return int((self.ended - self.started).total_seconds())


def _recorder(value: object) -> str:
    return check_actor("csat.recorded_by", value)


def _auditor(value: object) -> str:
    return check_actor("audit.auditor", value)


def _score(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError("csat.score", value, "a whole score from 1 to 5")
    return value


@attrs.frozen(slots=True)
class CsatRating:
    """The customer's satisfaction score of a resolved inquiry (one per inquiry).

    Attributes:
        inquiry_id: The inquiry.
        score: 1 (very unsatisfied) to 5 (very satisfied).
        comment: The customer's words.
        rated_at: When the customer answered the survey.
        recorded_by: Who recorded it.
    """

    inquiry_id: InquiryId
    score: int = attrs.field(converter=_score)
    comment: str
    rated_at: dt.datetime
    recorded_by: str = attrs.field(converter=_recorder)

    def __attrs_post_init__(self) -> None:
        _aware("csat.rated_at", self.rated_at)


def _audit_score(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError("audit.score", value, "a whole score from 0 to 100")
    return value


@attrs.frozen(slots=True)
class QualityAudit:
    """A lead's quality audit of one contact: a score (0-100) and feedback.

    The auditor is never the agent who handled the contact (nobody audits their own
    calls).

    Attributes:
        id: The audit id.
        inquiry_id: The inquiry the contact belongs to.
        note_id: The audited contact's note.
        auditor: Who audited.
        score: 0-100.
        feedback: What went well and what to improve.
        audited_at: When.
    """

    id: str
    inquiry_id: InquiryId
    note_id: NoteId
    auditor: str = attrs.field(converter=_auditor)
    score: int = attrs.field(converter=_audit_score)
    feedback: str
    audited_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        _aware("audit.audited_at", self.audited_at)
        if not self.feedback.strip():
            raise ValidationError("audit.feedback", self.feedback, "feedback for the agent")


class LinkKind(enum.Enum):
    """What an inquiry is linked to."""

    DOCUMENT = "document"
    DISPUTE = "dispute"
    PAYMENT = "payment"
    CREDIT_NOTE = "credit_note"
    REFUND = "refund"
    EXTENSION = "extension"
    APPROVAL = "approval"


@attrs.frozen(slots=True)
class InquiryLink:
    """A link between an inquiry and a case or document: what it is about, or what it
    spawned (a dispute, a credit note or its approval request, a refund, an extension).

    Attributes:
        inquiry_id: The inquiry.
        kind: What the other end is.
        target_id: Its id.
        spawned: Whether the inquiry created it (else the inquiry is about it).
        linked_at: When the link was made.
    """

    inquiry_id: InquiryId
    kind: LinkKind
    target_id: str
    spawned: bool
    linked_at: dt.datetime
