"""The inquiry (ticket) and its state machine.

::

    new ──respond──> open <──respond──> waiting_on_customer / waiting_on_internal
     │                 │                         │
     └──────resolve────┴────────resolve──────────┘──> resolved ──close──> closed
                                                         │
                                     reopened <──reopen──┘

An inquiry that is resolved may be reopened (the customer was not helped after all) or
closed; a closed inquiry is final (a new question is a new inquiry). Every move is a pure
function that returns the new inquiry or refuses with :class:`InquiryMoveRefused`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final, NewType

import attrs

from o2c.cases import Channel
from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DocumentId

__all__ = [
    "ACTIVE",
    "Inquiry",
    "InquiryCategory",
    "InquiryId",
    "InquiryMove",
    "InquiryMoveRefused",
    "InquiryStatus",
    "Priority",
    "RootCause",
    "SlaKind",
    "assign",
    "check_actor",
    "close",
    "escalate",
    "reopen",
    "resolve",
    "respond",
]

InquiryId = NewType("InquiryId", str)


class InquiryStatus(enum.Enum):
    """Where an inquiry stands."""

    NEW = "new"
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    WAITING_ON_INTERNAL = "waiting_on_internal"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


#: The statuses of an inquiry somebody still has to work on (the backlog).
ACTIVE: Final = frozenset(
    {
        InquiryStatus.NEW,
        InquiryStatus.OPEN,
        InquiryStatus.WAITING_ON_CUSTOMER,
        InquiryStatus.WAITING_ON_INTERNAL,
        InquiryStatus.REOPENED,
    }
)
_DONE: Final = frozenset({InquiryStatus.RESOLVED, InquiryStatus.CLOSED})


class InquiryMove(enum.Enum):
    """What can be done to an inquiry."""

    RESPOND = "respond to"
    ASSIGN = "assign"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    RATE = "rate"
    ESCALATE = "escalate"
    SPAWN = "spawn a case from"


class InquiryCategory(enum.Enum):
    """What the customer asks about."""

    PRICE_QUESTION = "price_question"
    WRONG_QUANTITY = "wrong_quantity"
    TAX = "tax"
    DUPLICATE = "duplicate"
    PAYMENT_NOT_APPLIED = "payment_not_applied"
    REFUND_STATUS = "refund_status"
    EXTENSION_REQUEST = "extension_request"
    INVOICE_COPY = "invoice_copy"
    OTHER = "other"


class Priority(enum.Enum):
    """How urgent an inquiry is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class RootCause(enum.Enum):
    """Why the customer had to ask: the cause code recorded on resolution."""

    PRICING_SETUP = "pricing_setup"
    MASTER_DATA = "master_data"
    TAX = "tax"
    USAGE_FEED = "usage_feed"
    MANUAL_ERROR = "manual_error"
    PAYMENT_PROCESSING = "payment_processing"
    CUSTOMER_MISUNDERSTANDING = "customer_misunderstanding"
    OTHER = "other"

    @property
    def is_billing_defect(self) -> bool:
        """Whether the cause is a defect of ours that may have affected documents."""
        return self not in (RootCause.CUSTOMER_MISUNDERSTANDING, RootCause.OTHER)


class SlaKind(enum.Enum):
    """The two clocks of an inquiry."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class InquiryMoveRefused(InvalidState):
    """A move the state machine does not allow from the inquiry's status.

    Args:
        inquiry_id: The inquiry.
        status: Its status.
        move: What was attempted.
        hint: What to do instead.
    """

    def __init__(
        self, inquiry_id: str, status: InquiryStatus, move: InquiryMove, hint: str
    ) -> None:
        self.inquiry_id = inquiry_id
        self.status = status
        self.move = move
        super().__init__(
            f"inquiry {inquiry_id} is {status.value}; cannot {move.value} it: {hint}",
            document_id=inquiry_id,
        )


def check_actor(field: str, actor: object) -> str:
    """``actor`` stripped, or raise when it is not a non-empty name."""
    if not isinstance(actor, str) or not actor.strip():
        raise ValidationError(field, actor, "the non-empty name of a person")
    return actor.strip()


def _aware(field: str, value: dt.datetime | None) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.utcoffset() is None):
        raise ValidationError(field, value, "a time-zone aware datetime")


def _actor(value: object) -> str:
    return check_actor("inquiry.opened_by", value)


@attrs.frozen(slots=True)
class Inquiry:
    """A customer's question to the billing desk, from opening to close.

    Attributes:
        id: The inquiry id.
        customer_id: Who asks.
        subject: The question in a line.
        channel: How it reached us.
        category: What it is about.
        priority: How urgent it is.
        opened_at: When it reached us.
        opened_by: Who recorded it.
        first_response_due: When the first response is due (business hours).
        resolution_due: When the resolution is due (business hours).
        team: The team that owns it.
        status: Where it stands.
        assignee: Who works it; ``None`` while unassigned.
        documents: The invoices (document ids) it is about.
        dispute_id: The dispute it is about, if any.
        payment_id: The payment it is about, if any.
        first_response_at: When we first responded.
        resolved_at: When it was (last) resolved; ``None`` while not resolved.
        first_resolved_at: When it was first resolved.
        closed_at: When it was closed.
        agent_contacts: How many contacts our agents handled on it.
        reopen_count: How many times it was reopened.
        root_cause: The cause recorded on (the last) resolution.
        affected_documents: Documents the cause affected (for a billing defect).
        resolution: What was done, in words.
        escalations: The SLA clocks it breached and was escalated for.
        escalated_at: When it was first escalated.
        resolved_in_contact: Whether the (last) resolution came in a contact with the
            customer.
    """

    id: InquiryId
    customer_id: CustomerId
    subject: str
    channel: Channel
    category: InquiryCategory
    priority: Priority
    opened_at: dt.datetime
    opened_by: str = attrs.field(converter=_actor)
    first_response_due: dt.datetime
    resolution_due: dt.datetime
    team: str = "billing"
    status: InquiryStatus = InquiryStatus.NEW
    assignee: str | None = None
    documents: tuple[DocumentId, ...] = ()
    dispute_id: str | None = None
    payment_id: str | None = None
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    first_resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    agent_contacts: int = 0
    reopen_count: int = 0
    root_cause: RootCause | None = None
    affected_documents: tuple[DocumentId, ...] = ()
    resolution: str = ""
    escalations: frozenset[SlaKind] = frozenset()
    escalated_at: dt.datetime | None = None
    resolved_in_contact: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.subject.strip():
            raise ValidationError("inquiry.subject", self.subject, "a non-empty subject")
        if not self.team.strip():
            raise ValidationError("inquiry.team", self.team, "a team name")
        for name in (
            "opened_at",
            "first_response_due",
            "resolution_due",
            "first_response_at",
            "resolved_at",
            "first_resolved_at",
            "closed_at",
            "escalated_at",
        ):
            _aware(f"inquiry.{name}", getattr(self, name))
        for name in ("first_response_at", "resolved_at", "first_resolved_at", "closed_at"):
            at = getattr(self, name)
            if at is not None and at < self.opened_at:
                raise ValidationError(
                    f"inquiry.{name}", at.isoformat(), f"not before {self.opened_at.isoformat()}"
                )
        if (self.status in _DONE) != (self.resolved_at is not None):
            raise ValidationError(
                "inquiry.resolved_at", self.resolved_at, f"set exactly when {self.status.value}"
            )

    @property
    def is_active(self) -> bool:
        """Whether somebody still has to work on it (new, open, waiting or reopened)."""
        return self.status in ACTIVE

    @property
    def first_contact_resolution(self) -> bool:
        """Resolved in its first and only agent contact, and never reopened.

        An inquiry answered in one contact but resolved later (after waiting on the
        customer or another team) needed a follow-up: it is not a first-contact resolution.
        """
        return (
            self.status in _DONE
            and self.resolved_in_contact
            and self.agent_contacts == 1
            and self.reopen_count == 0
        )


def _check_at(inquiry: Inquiry, at: dt.datetime) -> None:
    _aware("at", at)
    if at < inquiry.opened_at:
        raise ValidationError(
            "at", at.isoformat(), f"a time after the inquiry opened ({inquiry.opened_at})"
        )


def _refuse_unless(
    inquiry: Inquiry, allowed: frozenset[InquiryStatus], move: InquiryMove, hint: str
) -> None:
    if inquiry.status not in allowed:
        raise InquiryMoveRefused(inquiry.id, inquiry.status, move, hint)


_AFTER_RESPONSE: Final = frozenset(
    {InquiryStatus.OPEN, InquiryStatus.WAITING_ON_CUSTOMER, InquiryStatus.WAITING_ON_INTERNAL}
)


def respond(
    inquiry: Inquiry,
    *,
    at: dt.datetime,
    agent: str,
    then: InquiryStatus = InquiryStatus.OPEN,
) -> Inquiry:
    """An agent's contact on the inquiry; the first one stops the first-response clock.

    Args:
        inquiry: An active inquiry.
        at: When the contact started.
        agent: Who responded (becomes the assignee of an unassigned inquiry).
        then: Its status afterwards: open, or waiting on the customer or on an internal
            team.

    Raises:
        InquiryMoveRefused: The inquiry is resolved or closed.
        ValidationError: ``then`` is not open or waiting, or ``at`` is before it opened.
    """
    _refuse_unless(
        inquiry, ACTIVE, InquiryMove.RESPOND, "reopen a resolved inquiry first, or open a new one"
    )
    if then not in _AFTER_RESPONSE:
        raise ValidationError(
            "then", then.value, "open, waiting_on_customer or waiting_on_internal"
        )
    _check_at(inquiry, at)
    who = check_actor("agent", agent)
    return attrs.evolve(
        inquiry,
        status=then,
        first_response_at=inquiry.first_response_at or at,
        agent_contacts=inquiry.agent_contacts + 1,
        assignee=inquiry.assignee or who,
    )


def assign(inquiry: Inquiry, assignee: str, *, team: str | None = None) -> Inquiry:
    """Give the inquiry to ``assignee`` (and ``team``); a closed inquiry is final.

    Raises:
        InquiryMoveRefused: The inquiry is closed.
    """
    _refuse_unless(
        inquiry,
        ACTIVE | {InquiryStatus.RESOLVED},
        InquiryMove.ASSIGN,
        "a closed inquiry is final; open a new one",
    )
    return attrs.evolve(
        inquiry, assignee=check_actor("assignee", assignee), team=team or inquiry.team
    )


def resolve(
    inquiry: Inquiry,
    *,
    at: dt.datetime,
    root_cause: RootCause,
    resolution: str,
    affected_documents: tuple[DocumentId, ...] = (),
    contact_started: dt.datetime | None = None,
    agent: str | None = None,
) -> Inquiry:
    """Resolve the inquiry with a root cause (and, for a billing defect, what it affected).

    Args:
        inquiry: An active inquiry.
        at: When it was resolved.
        root_cause: Why the customer had to ask.
        resolution: What was done.
        affected_documents: Documents the defect affected.
        contact_started: When the contact it was resolved in started, if it was resolved
            in a contact with the customer: it counts as an agent contact and, if none
            came before, as the first response.
        agent: Who resolved it (becomes the assignee of an unassigned inquiry).

    Raises:
        InquiryMoveRefused: The inquiry is already resolved or closed.
        ValidationError: No resolution text, affected documents on a cause that is not a
            billing defect, or ``at`` before it opened.
    """
    _refuse_unless(
        inquiry,
        ACTIVE,
        InquiryMove.RESOLVE,
        "it is already resolved or closed (reopen a resolved one first)",
    )
    _check_at(inquiry, at)
    if not resolution.strip():
        raise ValidationError("resolution", resolution, "what was done, in words")
    if affected_documents and not root_cause.is_billing_defect:
        raise ValidationError(
            "affected_documents",
            list(affected_documents),
            f"none for {root_cause.value} (not a billing defect)",
        )
    if contact_started is not None:
        _check_at(inquiry, contact_started)
        if contact_started > at:
            raise ValidationError(
                "contact_started", contact_started.isoformat(), f"not after {at.isoformat()}"
            )
    in_contact = contact_started is not None
    contacts = inquiry.agent_contacts + (1 if in_contact else 0)
    first = inquiry.first_response_at or contact_started
    return attrs.evolve(
        inquiry,
        status=InquiryStatus.RESOLVED,
        resolved_at=at,
        first_resolved_at=inquiry.first_resolved_at or at,
        root_cause=root_cause,
        resolution=resolution.strip(),
        affected_documents=tuple(dict.fromkeys(affected_documents)),
        agent_contacts=contacts,
        first_response_at=first,
        resolved_in_contact=in_contact,
        assignee=inquiry.assignee or (None if agent is None else check_actor("agent", agent)),
    )


def reopen(inquiry: Inquiry, *, at: dt.datetime) -> Inquiry:
    """Reopen a resolved inquiry (the customer was not helped after all).

    Raises:
        InquiryMoveRefused: The inquiry is not resolved (a closed one is final).
    """
    hint = (
        "a closed inquiry is final; open a new one"
        if inquiry.status is InquiryStatus.CLOSED
        else "only a resolved inquiry can be reopened"
    )
    _refuse_unless(inquiry, frozenset({InquiryStatus.RESOLVED}), InquiryMove.REOPEN, hint)
    _check_at(inquiry, at)
    assert inquiry.resolved_at is not None
    if at < inquiry.resolved_at:
        raise ValidationError(
            "at", at.isoformat(), f"after it was resolved ({inquiry.resolved_at})"
        )
    return attrs.evolve(
        inquiry,
        status=InquiryStatus.REOPENED,
        resolved_at=None,
        reopen_count=inquiry.reopen_count + 1,
    )


def close(inquiry: Inquiry, *, at: dt.datetime) -> Inquiry:
    """Close a resolved inquiry: final, it can no longer be reopened.

    Raises:
        InquiryMoveRefused: The inquiry is not resolved.
    """
    _refuse_unless(
        inquiry,
        frozenset({InquiryStatus.RESOLVED}),
        InquiryMove.CLOSE,
        "resolve it first (with a root cause)",
    )
    _check_at(inquiry, at)
    return attrs.evolve(inquiry, status=InquiryStatus.CLOSED, closed_at=at)


def escalate(inquiry: Inquiry, breached: frozenset[SlaKind], *, at: dt.datetime) -> Inquiry:
    """Record that the inquiry breached the ``breached`` SLA clocks and was escalated.

    Raises:
        InquiryMoveRefused: The inquiry is not active.
    """
    _refuse_unless(inquiry, ACTIVE, InquiryMove.ESCALATE, "only an active inquiry is escalated")
    _check_at(inquiry, at)
    return attrs.evolve(
        inquiry,
        escalations=inquiry.escalations | breached,
        escalated_at=inquiry.escalated_at or at,
    )
