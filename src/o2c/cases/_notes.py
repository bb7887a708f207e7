"""Interaction notes: what was said, on which channel, how long it took, was it solved."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from o2c.cases._common import Channel, NoteId, check_actor, check_aware
from o2c.errors import ValidationError
from o2c.ids import CustomerId

__all__ = ["InteractionNote", "NoteTarget"]


class NoteTarget(enum.Enum):
    """What a note is about."""

    CUSTOMER = "customer"
    INVOICE = "invoice"
    DISPUTE = "dispute"


def _author(actor: object) -> str:
    return check_actor("note.author", actor)


@attrs.frozen(slots=True)
class InteractionNote:
    """One contact with a customer, about the customer, an invoice or a dispute.

    Attributes:
        id: The note id.
        target_kind: What it is about.
        target_id: The customer, document or dispute id.
        channel: How the contact happened.
        summary: What was said and agreed.
        author: Who handled the contact.
        started: When the contact started (time-zone aware).
        ended: When it ended; ``None`` for a note without a handled contact.
        first_contact_resolution: Whether the customer's matter was settled in this
            contact, with no follow-up needed.
        customer_id: The customer the contact was with (for notes on an invoice or a
            dispute; a customer note names it as its target). See :attr:`customer`.

    Example:
        >>> import datetime as dt
        >>> t0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)
        >>> note = InteractionNote(NoteId("N-1"), NoteTarget.INVOICE, "INV-1", Channel.PHONE,
        ...     "explained the tiers", "ana", t0, t0 + dt.timedelta(minutes=12, seconds=30))
        >>> note.handle_time
        datetime.timedelta(seconds=750)
    """

    id: NoteId
    target_kind: NoteTarget
    target_id: str
    channel: Channel
    summary: str
    author: str = attrs.field(converter=_author)
    started: dt.datetime
    ended: dt.datetime | None = None
    first_contact_resolution: bool = False
    customer_id: CustomerId | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not self.summary.strip():
            raise ValidationError("note.summary", self.summary, "a non-empty summary")
        if not self.target_id.strip():
            raise ValidationError("note.target_id", self.target_id, "the id of what it is about")
        if (
            self.target_kind is NoteTarget.CUSTOMER
            and self.customer_id is not None
            and self.customer_id != self.target_id
        ):
            raise ValidationError(
                "note.customer_id", self.customer_id, f"the target customer {self.target_id}"
            )
        check_aware("note.started", self.started)
        if self.ended is not None:
            check_aware("note.ended", self.ended)
            if self.ended < self.started:
                raise ValidationError(
                    "note.ended", self.ended.isoformat(), f"a time after {self.started.isoformat()}"
                )

    @property
    def customer(self) -> CustomerId | None:
        """The customer: ``customer_id``, or the target of a customer note."""
        if self.customer_id is None and self.target_kind is NoteTarget.CUSTOMER:
            return CustomerId(self.target_id)
        return self.customer_id

    @property
    def handle_time(self) -> dt.timedelta | None:
        """How long the contact took, when it has an end."""
        return None if self.ended is None else self.ended - self.started
