"""Payment extensions: a new due date for an invoice, within a policy limit.

An extension never edits the invoice: aging and due-date KPIs read the effective due
date (the latest active extension) and still show the original one. The limit counts
calendar days from the invoice's *original* due date, so two extensions of 20 days count
as 40 and cannot slip under a 30-day limit one at a time. A policy may also hold
extensions of large amounts (an ``extension`` threshold, like any other action's): then
an extension waits when the amount it defers is above the threshold, however short.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from o2c.cases._approvals import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    Role,
    approval_reason,
    required_role,
)
from o2c.cases._common import ExtensionId, check_actor
from o2c.errors import InvalidState, ValidationError
from o2c.ids import ApprovalId, CustomerId, DocumentId
from o2c.money import Money

__all__ = [
    "ExtensionStatus",
    "PaymentExtension",
    "activate_extension",
    "effective_due_date",
    "extended_due_dates",
    "extension_in_force",
    "grant_extension",
]


class ExtensionStatus(enum.Enum):
    """Where an extension stands."""

    PENDING_APPROVAL = "pending_approval"
    ACTIVE = "active"
    REJECTED = "rejected"


@attrs.frozen(slots=True)
class PaymentExtension:
    """A new due date for an invoice.

    Attributes:
        id: The extension id.
        document_id: The invoice.
        customer_id: Its customer.
        original_due: The due date printed on the invoice.
        new_due: The extended due date.
        reason: Why it was granted (a promise to pay, a pending PO...).
        requested_by: Who asked for it.
        requested_on: When.
        status: Active at once within the limit, else pending approval.
        approval_id: The approval request holding it, when over the limit.
        granted_by: Who made it active (the approver, when over the limit).
    """

    id: ExtensionId
    document_id: DocumentId
    customer_id: CustomerId
    original_due: dt.date
    new_due: dt.date
    reason: str
    requested_by: str
    requested_on: dt.date
    status: ExtensionStatus = ExtensionStatus.ACTIVE
    approval_id: ApprovalId | None = None
    granted_by: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.new_due <= self.original_due:
            raise ValidationError(
                "extension.new_due", self.new_due, f"a date after the due date {self.original_due}"
            )
        if (self.status is ExtensionStatus.ACTIVE) != (self.granted_by is not None):
            raise ValidationError(
                "extension.granted_by", self.granted_by, "a grantor exactly when active"
            )

    @property
    def days(self) -> int:
        """Calendar days the due date moves (from the original due date)."""
        return (self.new_due - self.original_due).days


def grant_extension(
    extension_id: ExtensionId,
    *,
    document_id: DocumentId,
    customer_id: CustomerId,
    original_due: dt.date,
    new_due: dt.date,
    reason: str,
    actor: str,
    on: dt.date,
    policy: ApprovalPolicy,
    approval_id: ApprovalId,
    amount: Money | None = None,
) -> tuple[PaymentExtension, ApprovalRequest | None]:
    """Grant an extension, or hold it for approval when it goes past the policy's limits.

    It waits when it moves the due date more than ``policy.extension.max_days`` days
    (for an approver with ``policy.extension.role``), or when ``amount`` is above the
    policy's ``extension`` threshold (for that threshold's role); when both, for the
    higher of the two roles.

    Args:
        extension_id: The new extension's id.
        document_id: The invoice.
        customer_id: Its customer.
        original_due: The invoice's original due date (not an earlier extension's).
        new_due: The requested due date.
        reason: Why.
        actor: Who grants (or requests) it.
        on: The business date.
        policy: The book's approval policy (its ``extension.max_days``).
        approval_id: The id to use if an approval request is needed.
        amount: What the extension defers (the invoice's open amount), measured against
            the policy's ``extension`` thresholds; ``None`` measures the days alone.

    Returns:
        The extension (active, or pending approval) and the approval request if one is
        needed.

    Raises:
        ValidationError: The new due date is not after the original one, or no reason.

    Example:
        >>> import datetime as dt
        >>> ext, request = grant_extension(
        ...     ExtensionId("X-1"), document_id=DocumentId("INV-1"),
        ...     customer_id=CustomerId("C-1"), original_due=dt.date(2026, 10, 31),
        ...     new_due=dt.date(2026, 12, 15), reason="awaiting PO", actor="ana",
        ...     on=dt.date(2026, 10, 20), policy=ApprovalPolicy(),
        ...     approval_id=ApprovalId("A-7"))
        >>> ext.status.value, ext.days, request.reason
        ('pending_approval', 45, 'extension of 45 days exceeds the limit of 30 days')
    """
    who = check_actor("extension.actor", actor)
    if not reason.strip():
        raise ValidationError("extension.reason", reason, "why the due date moves")
    days = (new_due - original_due).days
    request: ApprovalRequest | None = None
    reasons: list[str] = []
    roles: list[Role | None] = []
    limit = policy.extension.max_days
    if days > limit:
        reasons.append(f"extension of {days} days exceeds the limit of {limit} days")
        roles.append(policy.extension.role)
    by_amount = (
        None if amount is None else approval_reason(policy, ApprovalAction.EXTENSION, amount)
    )
    if by_amount is not None:
        reasons.append(by_amount)
        roles.append(required_role(policy, ApprovalAction.EXTENSION, amount))
    if reasons:
        named = [r for r in roles if r is not None]
        request = ApprovalRequest(
            id=approval_id,
            action=ApprovalAction.EXTENSION,
            requested_by=who,
            requested_on=on,
            reason="; ".join(reasons),
            subject_id=document_id,
            amount=amount,
            days=days,
            summary=f"extend {document_id} from {original_due} to {new_due}: {reason}",
            # The higher role when both limits hold it; anyone but the requester only when
            # no limit asks for a role.
            required_role=max(named, key=lambda r: r.rank) if named else None,
        )
    extension = PaymentExtension(
        id=extension_id,
        document_id=document_id,
        customer_id=customer_id,
        original_due=original_due,
        new_due=new_due,
        reason=reason,
        requested_by=who,
        requested_on=on,
        status=ExtensionStatus.ACTIVE if request is None else ExtensionStatus.PENDING_APPROVAL,
        approval_id=None if request is None else request.id,
        granted_by=who if request is None else None,
    )
    return extension, request


def activate_extension(extension: PaymentExtension, decision: ApprovalRequest) -> PaymentExtension:
    """Apply the decision on a held extension: active when approved, else rejected.

    Raises:
        InvalidState: The extension is not pending, the request is not its own or is
            still pending.
    """
    if extension.status is not ExtensionStatus.PENDING_APPROVAL:
        raise InvalidState(
            f"extension {extension.id} is {extension.status.value}, not pending approval",
            document_id=extension.id,
        )
    if decision.id != extension.approval_id:
        raise InvalidState(
            f"approval {decision.id} does not hold extension {extension.id} "
            f"(held by {extension.approval_id})",
            document_id=extension.id,
        )
    if decision.status is ApprovalStatus.PENDING:
        raise InvalidState(f"approval {decision.id} is still pending", document_id=extension.id)
    if decision.status is ApprovalStatus.APPROVED:
        return attrs.evolve(
            extension, status=ExtensionStatus.ACTIVE, granted_by=decision.decided_by
        )
    return attrs.evolve(extension, status=ExtensionStatus.REJECTED)


def effective_due_date(original_due: dt.date, extensions: Iterable[PaymentExtension]) -> dt.date:
    """The due date in force: the furthest active extension, else the original.

    Example:
        >>> import datetime as dt
        >>> effective_due_date(dt.date(2026, 10, 31), [])
        datetime.date(2026, 10, 31)
    """
    dates = [e.new_due for e in extensions if e.status is ExtensionStatus.ACTIVE]
    return max([original_due, *dates])


def extended_due_dates(extensions: Iterable[PaymentExtension]) -> dict[DocumentId, dt.date]:
    """The furthest active extended due date per document, for aging and collections.

    Documents without an active extension are absent: they keep their original date.
    """
    dates: dict[DocumentId, dt.date] = {}
    for e in extensions:
        if e.status is ExtensionStatus.ACTIVE:
            dates[e.document_id] = max(e.new_due, dates.get(e.document_id, e.new_due))
    return dates


def extension_in_force(
    extension: PaymentExtension, on: dt.date, *, decided_on: dt.date | None = None
) -> bool:
    """Whether ``extension`` moves its invoice's due date on ``on``.

    An active extension is in force from the day it was granted: its request date, or
    the approval's decision date (``decided_on``) when it waited for one.

    Example:
        >>> import datetime as dt
        >>> ext = PaymentExtension(ExtensionId("EXT1"), DocumentId("D1"), CustomerId("C1"),
        ...     dt.date(2026, 10, 31), dt.date(2026, 11, 20), "cash flow", "ana",
        ...     dt.date(2026, 10, 20), ExtensionStatus.ACTIVE, granted_by="ana")
        >>> extension_in_force(ext, dt.date(2026, 10, 20))
        True
        >>> extension_in_force(ext, dt.date(2026, 10, 25), decided_on=dt.date(2026, 10, 26))
        False
    """
    if extension.status is not ExtensionStatus.ACTIVE:
        return False
    return (decided_on or extension.requested_on) <= on
