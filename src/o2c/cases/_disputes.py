"""Disputes: a customer contests an invoice (or some of its lines) within an SLA.

The state machine::

    OPEN ──start_investigation──▶ INVESTIGATING
      │                               │
      ├──────────escalate─────────────┤──▶ ESCALATED ──escalate──▶ ESCALATED (level + 1)
      │                               │        │
      └──resolve / reject─────────────┴────────┴──▶ RESOLVED (credited / rejected / rebilled)

A resolved dispute is final; every verb returns a new :class:`Dispute` with one more
:class:`DisputeTransition` in its history.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from o2c.calendar import BusinessCalendar
from o2c.cases._common import Channel, check_actor
from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DisputeId, DocumentId
from o2c.money import Money

__all__ = [
    "Dispute",
    "DisputeReason",
    "DisputeStatus",
    "DisputeTransition",
    "Resolution",
    "SlaPolicy",
    "auto_escalate",
    "disputed_amounts",
    "escalate",
    "is_sla_breached",
    "open_dispute",
    "reject",
    "resolve",
    "start_investigation",
    "update_dispute",
]


class DisputeReason(enum.Enum):
    """Why the customer disputes the invoice."""

    WRONG_PRICE = "wrong_price"
    WRONG_QUANTITY = "wrong_quantity"
    DUPLICATE = "duplicate"
    TAX_ERROR = "tax_error"
    NOT_RECEIVED = "not_received"
    QUALITY = "quality"
    CONTRACT_TERMS = "contract_terms"
    OTHER = "other"


class DisputeStatus(enum.Enum):
    """Where a dispute stands."""

    OPEN = "open"
    INVESTIGATING = "investigating"
    ESCALATED = "escalated"
    RESOLVED = "resolved"

    @property
    def is_active(self) -> bool:
        """Whether the dispute still waits for a resolution."""
        return self is not DisputeStatus.RESOLVED


class Resolution(enum.Enum):
    """How a resolved dispute ended."""

    CREDITED = "credited"
    """The customer was right: a credit note corrects the invoice."""
    REJECTED = "rejected"
    """The invoice stands as issued."""
    REBILLED = "rebilled"
    """The invoice was credited in full and a corrected invoice issued."""


def _check_days(field: str, value: int) -> None:
    if type(value) is not int or not 0 <= value <= 366:
        raise ValidationError(field, value, "a whole number of business days 0-366")


def _sla_days(
    value: Mapping[DisputeReason, int] | Iterable[tuple[DisputeReason, int]],
) -> tuple[tuple[DisputeReason, int], ...]:
    pairs = tuple(value.items()) if isinstance(value, Mapping) else tuple(value)
    return tuple(sorted(pairs, key=lambda pair: pair[0].value))


@attrs.frozen(slots=True)
class SlaPolicy:
    """Business days allowed to resolve a dispute, per reason.

    Attributes:
        default_days: Business days for a reason without its own entry.
        days_by_reason: Overrides per reason (a mapping is accepted and kept sorted).

    Example:
        >>> policy = SlaPolicy(10, {DisputeReason.DUPLICATE: 3})
        >>> policy.days_for(DisputeReason.DUPLICATE), policy.days_for(DisputeReason.QUALITY)
        (3, 10)
    """

    default_days: int = 10
    days_by_reason: tuple[tuple[DisputeReason, int], ...] = attrs.field(
        default=(), converter=_sla_days
    )

    def __attrs_post_init__(self) -> None:
        _check_days("sla.default_days", self.default_days)
        for reason, days in self.days_by_reason:
            if not isinstance(reason, DisputeReason):
                raise ValidationError("sla.reason", reason, "a DisputeReason")
            _check_days(f"sla.days_by_reason[{reason.value}]", days)

    def days_for(self, reason: DisputeReason) -> int:
        """Business days allowed for ``reason``."""
        return dict(self.days_by_reason).get(reason, self.default_days)

    def due_date(
        self, reason: DisputeReason, opened_on: dt.date, calendar: BusinessCalendar
    ) -> dt.date:
        """The last day to resolve a dispute for ``reason`` opened on ``opened_on``.

        The due date is ``days_for(reason)`` business days after the opening day (the
        opening day itself does not count), per ``calendar``'s weekends and holidays.
        """
        return calendar.add_business_days(opened_on, self.days_for(reason))


@attrs.frozen(slots=True)
class DisputeTransition:
    """One step in a dispute's history.

    Attributes:
        status: The status the dispute moved to.
        actor: Who did it (``"system"`` for an automatic escalation).
        on: The business date.
        comment: Why.
        escalation_level: The level after the step.
        at: The exact time, when the caller knows it.
    """

    status: DisputeStatus
    actor: str
    on: dt.date
    comment: str = ""
    escalation_level: int = 0
    at: dt.datetime | None = None


def _check_amount(_instance: object, _attribute: object, amount: Money) -> None:
    if not isinstance(amount, Money) or not amount.is_rounded or amount.amount <= 0:
        raise ValidationError(
            "dispute.amount", str(amount), "a positive amount rounded to the currency's minor unit"
        )


def _line_tuple(lines: Iterable[int]) -> tuple[int, ...]:
    return tuple(lines)


@attrs.frozen(slots=True)
class Dispute:
    """A customer's dispute of an invoice or of some of its lines.

    Attributes:
        id: The dispute id.
        document_id: The disputed invoice (or debit note).
        customer_id: The customer who disputes it.
        amount: The disputed amount (shown apart in aging and statements while active).
        reason: Why.
        channel: How the dispute reached us.
        opened_on: The business date it was opened.
        sla_due: The last day to resolve it within its SLA.
        status: Where it stands.
        line_numbers: The disputed lines (1-based positions), empty for the whole document.
        description: The customer's words.
        escalation_level: 0 until escalated; each escalation adds one.
        resolution: How it ended, once resolved.
        credit_note_id: The credit note that resolved it (credited or rebilled).
        rebill_id: The corrected invoice, when rebilled.
        resolved_on: The date of the resolution.
        history: Every transition, oldest first; the first one is the opening.
    """

    id: DisputeId
    document_id: DocumentId
    customer_id: CustomerId
    amount: Money = attrs.field(validator=_check_amount)
    reason: DisputeReason
    channel: Channel
    opened_on: dt.date
    sla_due: dt.date
    status: DisputeStatus = DisputeStatus.OPEN
    line_numbers: tuple[int, ...] = attrs.field(default=(), converter=_line_tuple)
    description: str = ""
    escalation_level: int = 0
    resolution: Resolution | None = None
    credit_note_id: DocumentId | None = None
    rebill_id: DocumentId | None = None
    resolved_on: dt.date | None = None
    history: tuple[DisputeTransition, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.sla_due < self.opened_on:
            raise ValidationError(
                "dispute.sla_due", self.sla_due, f"a date on or after {self.opened_on}"
            )
        if any(type(n) is not int or n < 1 for n in self.line_numbers):
            raise ValidationError("dispute.line_numbers", self.line_numbers, "line numbers >= 1")
        if len(set(self.line_numbers)) != len(self.line_numbers):
            raise ValidationError(
                "dispute.line_numbers", self.line_numbers, "each line at most once"
            )
        resolved = self.status is DisputeStatus.RESOLVED
        if resolved != (self.resolution is not None) or resolved != (self.resolved_on is not None):
            raise ValidationError(
                "dispute.resolution",
                self.resolution,
                "a resolution and a resolution date exactly when the status is resolved",
            )
        if self.resolution is Resolution.REJECTED and self.credit_note_id is not None:
            raise ValidationError(
                "dispute.credit_note_id", self.credit_note_id, "no credit note on a rejection"
            )

    @property
    def is_active(self) -> bool:
        """Whether the dispute still waits for a resolution."""
        return self.status.is_active


def open_dispute(
    dispute_id: DisputeId,
    *,
    document_id: DocumentId,
    customer_id: CustomerId,
    amount: Money,
    reason: DisputeReason,
    channel: Channel,
    opened_on: dt.date,
    actor: str,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    line_numbers: Iterable[int] = (),
    description: str = "",
    open_amount: Money | None = None,
    at: dt.datetime | None = None,
) -> Dispute:
    """Open a dispute; its SLA due date follows ``policy`` in business days of ``calendar``.

    Args:
        dispute_id: The new dispute's id.
        document_id: The disputed invoice.
        customer_id: The customer.
        amount: The disputed amount, positive and rounded.
        reason: Why.
        channel: How it reached us.
        opened_on: The business date of opening.
        actor: Who opens it.
        policy: Business days per reason.
        calendar: Working days (weekends and public holidays).
        line_numbers: The disputed lines, empty for the whole document.
        description: The customer's words.
        open_amount: What may still be disputed on the invoice (billed net of earlier
            credits and write-offs, less other active disputes: paid or not, see
            :func:`~o2c.cases.disputable`); the dispute may not exceed it.
        at: The exact time, when known.

    Raises:
        ValidationError: A field is not acceptable.
        InvalidState: The amount exceeds what may still be disputed on the invoice.

    Example:
        >>> import datetime as dt
        >>> d = open_dispute(
        ...     DisputeId("D-1"), document_id=DocumentId("INV-1"), customer_id=CustomerId("C-1"),
        ...     amount=Money.of("100.00", "MXN"), reason=DisputeReason.WRONG_PRICE,
        ...     channel=Channel.EMAIL, opened_on=dt.date(2026, 9, 14), actor="ana",
        ...     policy=SlaPolicy(3), calendar=BusinessCalendar("MX"))
        >>> d.sla_due  # Sep 16 is a holiday in Mexico
        datetime.date(2026, 9, 18)
    """
    who = check_actor("dispute.actor", actor)
    if open_amount is not None and amount > open_amount:
        raise InvalidState(
            f"dispute amount {amount} exceeds the {open_amount} still open to dispute on "
            f"{document_id} (billed net of credits, less other disputes)",
            document_id=document_id,
        )
    return Dispute(
        id=dispute_id,
        document_id=document_id,
        customer_id=customer_id,
        amount=amount,
        reason=reason,
        channel=channel,
        opened_on=opened_on,
        sla_due=policy.due_date(reason, opened_on, calendar),
        line_numbers=tuple(line_numbers),
        description=description,
        history=(DisputeTransition(DisputeStatus.OPEN, who, opened_on, description, 0, at),),
    )


def _require_active(dispute: Dispute, verb: str) -> None:
    if not dispute.is_active:
        assert dispute.resolution is not None
        raise InvalidState(
            f"dispute {dispute.id} is already resolved ({dispute.resolution.value}) "
            f"on {dispute.resolved_on}; cannot {verb} it; open a new dispute instead",
            document_id=dispute.id,
        )


def _check_date(dispute: Dispute, on: dt.date) -> None:
    last = dispute.history[-1].on if dispute.history else dispute.opened_on
    if on < last:
        raise ValidationError("dispute.on", on, f"a date on or after {last} (its last step)")


def _step(
    before: Dispute,
    after: Dispute,
    actor: str,
    on: dt.date,
    comment: str,
    at: dt.datetime | None,
) -> Dispute:
    """Return ``after`` with the transition from ``before`` appended to its history."""
    who = check_actor("dispute.actor", actor)
    _check_date(before, on)
    step = DisputeTransition(after.status, who, on, comment, after.escalation_level, at)
    return attrs.evolve(after, history=(*before.history, step))


def start_investigation(
    dispute: Dispute, actor: str, on: dt.date, comment: str = "", *, at: dt.datetime | None = None
) -> Dispute:
    """Move an open dispute to investigating.

    Raises:
        InvalidState: The dispute is not open.
    """
    _require_active(dispute, "investigate")
    if dispute.status is not DisputeStatus.OPEN:
        raise InvalidState(
            f"dispute {dispute.id} is {dispute.status.value}, not open; "
            "only an open dispute can start its investigation",
            document_id=dispute.id,
        )
    after = attrs.evolve(dispute, status=DisputeStatus.INVESTIGATING)
    return _step(dispute, after, actor, on, comment, at)


def escalate(
    dispute: Dispute, actor: str, on: dt.date, comment: str = "", *, at: dt.datetime | None = None
) -> Dispute:
    """Escalate an active dispute one level (by hand, or by :func:`auto_escalate`).

    Raises:
        InvalidState: The dispute is resolved.
    """
    _require_active(dispute, "escalate")
    after = attrs.evolve(
        dispute, status=DisputeStatus.ESCALATED, escalation_level=dispute.escalation_level + 1
    )
    return _step(dispute, after, actor, on, comment, at)


def resolve(
    dispute: Dispute,
    resolution: Resolution,
    actor: str,
    on: dt.date,
    comment: str = "",
    *,
    credit_note_id: DocumentId | None = None,
    rebill_id: DocumentId | None = None,
    at: dt.datetime | None = None,
) -> Dispute:
    """Resolve an active dispute.

    A dispute resolved as credited names the credit note that corrects the invoice; a
    rebilled one names the credit note and the corrected invoice; a rejected one names
    neither (see :func:`reject`).

    Raises:
        InvalidState: The dispute is already resolved.
        ValidationError: The documents do not match the resolution.
    """
    _require_active(dispute, "resolve")
    if resolution is Resolution.REJECTED:
        if credit_note_id is not None or rebill_id is not None:
            raise ValidationError(
                "dispute.credit_note_id", credit_note_id, "no document for a rejected dispute"
            )
    elif credit_note_id is None:
        raise ValidationError(
            "dispute.credit_note_id",
            None,
            f"the credit note that resolves dispute {dispute.id} as {resolution.value}",
        )
    if resolution is Resolution.REBILLED and rebill_id is None:
        raise ValidationError("dispute.rebill_id", None, "the corrected invoice of a rebill")
    if resolution is Resolution.CREDITED and rebill_id is not None:
        raise ValidationError("dispute.rebill_id", rebill_id, "no rebill for a credited dispute")
    after = attrs.evolve(
        dispute,
        status=DisputeStatus.RESOLVED,
        resolution=resolution,
        credit_note_id=credit_note_id,
        rebill_id=rebill_id,
        resolved_on=on,
    )
    return _step(dispute, after, actor, on, comment or resolution.value, at)


def reject(
    dispute: Dispute, actor: str, on: dt.date, comment: str, *, at: dt.datetime | None = None
) -> Dispute:
    """Resolve an active dispute as rejected: the invoice stands; ``comment`` says why.

    Raises:
        InvalidState: The dispute is already resolved.
        ValidationError: No comment was given.
    """
    if not comment.strip():
        raise ValidationError("dispute.comment", comment, "the reason for the rejection")
    return resolve(dispute, Resolution.REJECTED, actor, on, comment, at=at)


def update_dispute(
    dispute: Dispute,
    actor: str,
    on: dt.date,
    comment: str = "",
    *,
    amount: Money | None = None,
    line_numbers: Iterable[int] | None = None,
    description: str | None = None,
    open_amount: Money | None = None,
    at: dt.datetime | None = None,
) -> Dispute:
    """Amend an active dispute's amount, lines or description, keeping its status and SLA.

    The step is recorded in the history with the current status and a comment that
    says what changed (``amount 250.00 MXN -> 200.00 MXN``), after ``comment``.

    Args:
        dispute: The active dispute.
        actor: Who amends it.
        on: The business date.
        comment: Why.
        amount: The new disputed amount.
        line_numbers: The new disputed lines.
        description: The new description.
        open_amount: What may still be disputed on the invoice (see
            :func:`open_dispute`); the dispute may not exceed it.
        at: The exact time, when known.

    Raises:
        InvalidState: The dispute is resolved, or the amount exceeds what may be disputed.
        ValidationError: Nothing changes, or a new value is not acceptable.
    """
    _require_active(dispute, "update")
    if amount is not None and open_amount is not None and amount > open_amount:
        raise InvalidState(
            f"dispute amount {amount} exceeds the {open_amount} still open to dispute on "
            f"{dispute.document_id} (billed net of credits, less other disputes)",
            document_id=dispute.id,
        )
    changes: list[str] = []
    new_amount = dispute.amount if amount is None else amount
    if new_amount != dispute.amount:
        changes.append(f"amount {dispute.amount} -> {new_amount}")
    new_lines = dispute.line_numbers if line_numbers is None else tuple(line_numbers)
    if new_lines != dispute.line_numbers:
        changes.append(f"lines {list(dispute.line_numbers)} -> {list(new_lines)}")
    new_description = dispute.description if description is None else description
    if new_description != dispute.description:
        changes.append("description")
    if not changes:
        raise ValidationError("dispute", dispute.id, "a new amount, lines or description")
    after = attrs.evolve(
        dispute, amount=new_amount, line_numbers=new_lines, description=new_description
    )
    text = "; ".join([comment, *changes] if comment.strip() else changes)
    return _step(dispute, after, actor, on, text, at)


def is_sla_breached(dispute: Dispute, today: dt.date) -> bool:
    """Whether the dispute missed its SLA as of ``today``.

    A dispute resolved on or before its due date met it; one resolved later, or still
    active after its due date, breached it.
    """
    if dispute.resolved_on is not None:
        return dispute.resolved_on > dispute.sla_due
    return today > dispute.sla_due


SYSTEM_ACTOR = "system"


def auto_escalate(
    disputes: Iterable[Dispute], today: dt.date, *, actor: str = SYSTEM_ACTOR
) -> tuple[Dispute, ...]:
    """Escalate every open or investigating dispute whose SLA is breached as of ``today``.

    Already escalated and resolved disputes are left alone, so running the job twice
    escalates nothing more.

    Returns:
        The disputes that changed, escalated, in the order given.
    """
    return tuple(
        escalate(d, actor, today, f"SLA due {d.sla_due} breached")
        for d in disputes
        if d.status in (DisputeStatus.OPEN, DisputeStatus.INVESTIGATING)
        and is_sla_breached(d, today)
    )


def disputed_amounts(disputes: Iterable[Dispute]) -> dict[DocumentId, Money]:
    """The amount under active dispute per document, for aging and statements.

    Resolved disputes no longer count. The ledger's open items take these as their
    ``disputed`` part (never more than what is still open on the item).

    Example:
        >>> disputed_amounts([])
        {}
    """
    totals: dict[DocumentId, Money] = {}
    for d in disputes:
        if d.is_active:
            prior = totals.get(d.document_id)
            totals[d.document_id] = d.amount if prior is None else prior + d.amount
    return totals
