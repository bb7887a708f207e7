"""Approvals: four eyes on refunds, write-offs, credit notes, manual invoices, voids,
extensions.

A policy names, per action, the amount above which the action waits for an approver
(in the book's currency, or one threshold per currency) and the role the approver needs.
Payment extensions are measured in days instead (:class:`ExtensionPolicy`). The approver
must be someone other than the requester (segregation of duties).

A limit that holds only per request is dodged by splitting: six refunds of 133.34 MXN
under a 500.00 MXN limit move 800.04 MXN. So a threshold also holds for a customer's
running total (:class:`RunningTotals`): what the customer already had that day without
an approval plus this request (the request's own threshold, or a ``day`` threshold of its
own), and per calendar month when the policy has a ``month`` threshold
(:class:`LimitWindow`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable

import attrs

from o2c.cases._common import check_actor, same_actor
from o2c.errors import InvalidState, PermissionDenied, SegregationOfDuties, ValidationError
from o2c.ids import ApprovalId
from o2c.money import Money

__all__ = [
    "ApprovalAction",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStatus",
    "ApprovalThreshold",
    "ExtensionPolicy",
    "LimitWindow",
    "Role",
    "RoleAssignment",
    "RunningTotals",
    "approval_hold",
    "approval_reason",
    "approve",
    "check_controller",
    "needs_approval",
    "parse_role",
    "reject_request",
    "request_approval",
    "required_role",
    "roles_of",
]


class Role(enum.Enum):
    """What an actor may do in the billing team.

    Specialists do the daily work, leads approve it, controllers approve what leads may
    not; a higher rank satisfies a lower requirement. Auditors read, they approve nothing.
    """

    SPECIALIST = "specialist"
    LEAD = "lead"
    CONTROLLER = "controller"
    AUDITOR = "auditor"

    @property
    def rank(self) -> int:
        """0 for the auditor, then 1 (specialist) to 3 (controller)."""
        return _RANKS[self]

    def satisfies(self, required: Role) -> bool:
        """Whether holding this role meets a requirement of ``required``.

        Example:
            >>> Role.CONTROLLER.satisfies(Role.LEAD), Role.SPECIALIST.satisfies(Role.LEAD)
            (True, False)
        """
        if self is required:
            return True
        return self.rank > 0 and required.rank > 0 and self.rank >= required.rank


_RANKS = {Role.AUDITOR: 0, Role.SPECIALIST: 1, Role.LEAD: 2, Role.CONTROLLER: 3}


def _role_actor(actor: object) -> str:
    return check_actor("role.actor", actor)


@attrs.frozen(slots=True)
class RoleAssignment:
    """An actor holds a role.

    Attributes:
        actor: The person.
        role: The role.
    """

    actor: str = attrs.field(converter=_role_actor)
    role: Role = attrs.field(validator=attrs.validators.instance_of(Role))


def roles_of(actor: str, assignments: Iterable[RoleAssignment]) -> frozenset[Role]:
    """The roles ``actor`` holds (names compared ignoring case).

    Example:
        >>> roles_of("bo", [RoleAssignment("Bo", Role.LEAD), RoleAssignment("ana", Role.LEAD)])
        frozenset({<Role.LEAD: 'lead'>})
    """
    return frozenset(a.role for a in assignments if same_actor(a.actor, actor))


def parse_role(value: Role | str) -> Role:
    """The role named ``value`` (ignoring case and surrounding spaces).

    Raises:
        ValidationError: No role has that name.

    Example:
        >>> parse_role(" Lead ")
        <Role.LEAD: 'lead'>
    """
    if isinstance(value, Role):
        return value
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationError("role", value, f"one of {names}") from None


def check_controller(
    actor: str, roles: Collection[Role], *, book_has_controller: bool, what: str
) -> None:
    """Raise unless ``actor`` may change what only a controller may (``what``).

    Until the book has a controller anyone may (someone has to set the book up); from
    then on only a controller.

    Args:
        actor: Who asks.
        roles: The roles ``actor`` holds.
        book_has_controller: Whether anyone holds the controller role.
        what: What the actor wants to do, for the message ("assign roles").

    Raises:
        PermissionDenied: The book has a controller and ``actor`` is not one.
    """
    if book_has_controller and Role.CONTROLLER not in roles:
        raise PermissionDenied(f"{actor} is not a controller; only a controller may {what}")


class ApprovalAction(enum.Enum):
    """The actions a policy can hold for approval."""

    REFUND = "refund"
    WRITE_OFF = "write_off"
    CREDIT_NOTE = "credit_note"
    MANUAL_INVOICE = "manual_invoice"
    EXTENSION = "extension"
    VOID = "void"


class LimitWindow(enum.Enum):
    """What a threshold's limit is measured against.

    ``request``: one request's amount (settings key ``approval.<action>.<CUR>``); it also
    limits the customer's total per day unless a ``day`` threshold is set. ``day`` and
    ``month``: the customer's total of the action on the request's day, or in its calendar
    month, without an approval, this request included (``approval.<action>.<CUR>.day``,
    ``approval.<action>.<CUR>.month``).
    """

    REQUEST = "request"
    DAY = "day"
    MONTH = "month"


class ApprovalStatus(enum.Enum):
    """Where an approval request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@attrs.frozen(slots=True)
class ApprovalThreshold:
    """An action above ``limit`` waits for an approver holding ``role``.

    Attributes:
        action: The action.
        limit: Amounts strictly above it need approval; zero holds every amount.
        role: The role the approver needs (``None``: anyone but the requester).
        window: What is measured: one request, or a customer's day or month.
    """

    action: ApprovalAction
    limit: Money
    role: Role | None = Role.LEAD
    window: LimitWindow = LimitWindow.REQUEST

    def __attrs_post_init__(self) -> None:
        if self.limit.is_negative:
            raise ValidationError("approval.limit", str(self.limit), "an amount >= 0")


def _extension_days(_instance: object, _attribute: object, value: int) -> None:
    if type(value) is not int or value < 0:
        raise ValidationError("extension.max_days", value, "a whole number of days >= 0")


@attrs.frozen(slots=True)
class ExtensionPolicy:
    """How far a due date may move without approval.

    Attributes:
        max_days: Calendar days past the invoice's original due date a specialist may
            grant alone; a later date waits for approval.
        role: The role the approver of a longer extension needs.
    """

    max_days: int = attrs.field(default=30, validator=_extension_days)
    role: Role | None = Role.LEAD


_WINDOW_ORDER = {LimitWindow.REQUEST: 0, LimitWindow.DAY: 1, LimitWindow.MONTH: 2}


def _thresholds(value: Iterable[ApprovalThreshold]) -> tuple[ApprovalThreshold, ...]:
    return tuple(
        sorted(
            value,
            key=lambda t: (t.action.value, t.limit.currency.code, _WINDOW_ORDER[t.window]),
        )
    )


@attrs.frozen(slots=True)
class ApprovalPolicy:
    """The book's approval thresholds.

    An action with no threshold never waits. An action with thresholds in other
    currencies only waits in a currency without one (it cannot be compared, so it is
    held, never let through).

    Attributes:
        thresholds: At most one per action and currency.
        extension: The limit for payment extensions.

    Example:
        >>> policy = ApprovalPolicy(
        ...     [ApprovalThreshold(ApprovalAction.REFUND, Money.of(500, "USD"))])
        >>> needs_approval(policy, ApprovalAction.REFUND, Money.of("500.00", "USD"))
        False
        >>> needs_approval(policy, ApprovalAction.REFUND, Money.of("500.01", "USD"))
        True
    """

    thresholds: tuple[ApprovalThreshold, ...] = attrs.field(default=(), converter=_thresholds)
    extension: ExtensionPolicy = ExtensionPolicy()

    def __attrs_post_init__(self) -> None:
        keys = [(t.action, t.limit.currency, t.window) for t in self.thresholds]
        if len(set(keys)) != len(keys):
            raise ValidationError(
                "approval.thresholds",
                [f"{a.value} {c.code} {w.value}" for a, c, w in keys],
                "at most one threshold per action, currency and window",
            )

    def threshold(
        self,
        action: ApprovalAction,
        currency: str,
        window: LimitWindow = LimitWindow.REQUEST,
    ) -> ApprovalThreshold | None:
        """The threshold of ``action`` in ``currency`` for ``window``, if any."""
        for t in self.thresholds:
            if t.action is action and t.limit.currency.code == currency and t.window is window:
                return t
        return None

    def has_thresholds(self, action: ApprovalAction) -> bool:
        """Whether ``action`` has a threshold in any currency."""
        return any(t.action is action for t in self.thresholds)

    def running_limit(
        self, action: ApprovalAction, currency: str, window: LimitWindow
    ) -> ApprovalThreshold | None:
        """The threshold a customer's ``window`` total of ``action`` is held to, if any.

        A day is held to its own ``day`` threshold, or else to the per-request one; a
        month only to a ``month`` threshold.
        """
        found = self.threshold(action, currency, window)
        if found is None and window is LimitWindow.DAY:
            found = self.threshold(action, currency)
        return found


def _money(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money) or value.is_negative:
        raise ValidationError(f"totals.{attribute.name}", value, "an amount >= 0")


@attrs.frozen(slots=True)
class RunningTotals:
    """What a customer already had of an action without an approval, before this request.

    Attributes:
        customer: The customer, for the message.
        on: The request's business date (its day, and its calendar month).
        day: The customer's total of the action on ``on``, approved ones left out.
        month: The same over ``on``'s calendar month.
    """

    customer: str
    on: dt.date
    day: Money = attrs.field(validator=_money)
    month: Money = attrs.field(validator=_money)

    def __attrs_post_init__(self) -> None:
        if self.day.currency != self.month.currency:
            raise ValidationError(
                "totals.month", str(self.month), f"an amount in {self.day.currency}"
            )
        if self.month < self.day:
            raise ValidationError(
                "totals.month", str(self.month), f"at least the day's total {self.day}"
            )


def _running_hold(
    policy: ApprovalPolicy, action: ApprovalAction, amount: Money, totals: RunningTotals
) -> tuple[str, ApprovalThreshold] | None:
    # The customer's day, then month, total with this request, against its limit.
    code = amount.currency.code
    for window, before, span in (
        (LimitWindow.DAY, totals.day, f"on {totals.on.isoformat()}"),
        (LimitWindow.MONTH, totals.month, f"in {totals.on.strftime('%Y-%m')}"),
    ):
        found = policy.running_limit(action, code, window)
        if found is None or before.currency != amount.currency:
            continue
        total = before + abs(amount)
        if total > found.limit:
            kind = "daily" if window is LimitWindow.DAY else "monthly"
            return (
                f"{action.value} of {abs(amount)} brings {totals.customer}'s {action.value} "
                f"total {span} to {total} ({before} before it), over the {kind} limit of "
                f"{found.limit}",
                found,
            )
    return None


def approval_hold(
    policy: ApprovalPolicy,
    action: ApprovalAction,
    amount: Money | None = None,
    *,
    days: int | None = None,
    totals: RunningTotals | None = None,
) -> tuple[str, ApprovalThreshold | None] | None:
    """Why ``action`` is held for approval and the threshold that holds it, or ``None``.

    The same rule as :func:`approval_reason`; the threshold is ``None`` when no threshold
    exists in the amount's currency or an extension's day limit holds it.
    """
    if action is ApprovalAction.EXTENSION and days is not None:
        limit = policy.extension.max_days
        if days > limit:
            return f"extension of {days} days exceeds the limit of {limit} days", None
    if amount is None or not policy.has_thresholds(action):
        return None
    code = amount.currency.code
    if all(policy.threshold(action, code, window) is None for window in LimitWindow):
        return f"no {action.value} threshold in {code}", None
    found = policy.threshold(action, code)
    if found is not None and abs(amount) > found.limit:
        return f"{action.value} of {abs(amount)} exceeds the limit of {found.limit}", found
    if totals is not None:
        return _running_hold(policy, action, amount, totals)
    return None


def approval_reason(
    policy: ApprovalPolicy,
    action: ApprovalAction,
    amount: Money | None = None,
    *,
    days: int | None = None,
    totals: RunningTotals | None = None,
) -> str | None:
    """Why ``action`` on ``amount`` (or an extension by ``days``) needs approval, or ``None``.

    Args:
        policy: The book's policy.
        action: The action.
        amount: Its amount (``None`` for an extension measured only in days).
        days: For an extension: calendar days past the original due date.
        totals: What the customer already had of ``action`` that day and month without
            an approval; the day's total with ``amount`` is held to the day limit, the
            month's to the month limit (:class:`LimitWindow`).

    Example:
        >>> import datetime as dt
        >>> policy = ApprovalPolicy(
        ...     [ApprovalThreshold(ApprovalAction.REFUND, Money.of(500, "MXN"))])
        >>> sixth = Money.of("133.34", "MXN")
        >>> before = RunningTotals("C1", dt.date(2026, 10, 5), Money.of("666.70", "MXN"),
        ...     Money.of("666.70", "MXN"))
        >>> approval_reason(policy, ApprovalAction.REFUND, sixth) is None
        True
        >>> print(approval_reason(policy, ApprovalAction.REFUND, sixth, totals=before))
        refund of 133.34 MXN brings C1's refund total on 2026-10-05 to 800.04 MXN (666.70 MXN before it), over the daily limit of 500.00 MXN
    """  # noqa: E501
    found = approval_hold(policy, action, amount, days=days, totals=totals)
    return None if found is None else found[0]


def needs_approval(
    policy: ApprovalPolicy,
    action: ApprovalAction,
    amount: Money | None = None,
    *,
    days: int | None = None,
    totals: RunningTotals | None = None,
) -> bool:
    """Whether ``action`` on ``amount`` (or an extension by ``days``) waits for approval."""
    return approval_reason(policy, action, amount, days=days, totals=totals) is not None


def required_role(
    policy: ApprovalPolicy, action: ApprovalAction, amount: Money | None = None
) -> Role | None:
    """The role an approver of ``action`` needs (``None``: anyone but the requester)."""
    if action is ApprovalAction.EXTENSION and amount is None:
        return policy.extension.role
    found = policy.threshold(action, amount.currency.code) if amount is not None else None
    if found is not None:
        return found.role
    if action is ApprovalAction.EXTENSION:
        return policy.extension.role
    # Held because no threshold exists in this currency: the highest role asked for the
    # action anywhere decides.
    roles = [t.role for t in policy.thresholds if t.action is action and t.role is not None]
    return max(roles, key=lambda r: r.rank) if roles else None


@attrs.frozen(slots=True)
class ApprovalRequest:
    """An action waiting for (or decided by) an approver.

    Attributes:
        id: The request id.
        action: What is to be done.
        requested_by: Who asked for it.
        requested_on: The business date it was asked.
        reason: Why it needs approval (the threshold and amount).
        subject_id: The document, customer or case it acts on.
        amount: The amount, when the action has one.
        days: For an extension, days past the original due date.
        summary: One line for the approver ("refund 800.00 USD to C-1 by transfer").
        payload: The command's arguments as the Book serialized them, to run on approval.
        required_role: The role the approver needs.
        status: Pending until decided.
        decided_by: Who approved or rejected it.
        decided_on: When.
        comment: The approver's comment.
    """

    id: ApprovalId
    action: ApprovalAction
    requested_by: str
    requested_on: dt.date
    reason: str
    subject_id: str = ""
    amount: Money | None = None
    days: int | None = None
    summary: str = ""
    payload: str = ""
    required_role: Role | None = None
    status: ApprovalStatus = ApprovalStatus.PENDING
    decided_by: str | None = None
    decided_on: dt.date | None = None
    comment: str = ""

    def __attrs_post_init__(self) -> None:
        decided = self.status is not ApprovalStatus.PENDING
        if decided != (self.decided_by is not None) or decided != (self.decided_on is not None):
            raise ValidationError(
                "approval.decided_by",
                self.decided_by,
                "an approver and a date exactly when the request is decided",
            )


def request_approval(
    approval_id: ApprovalId,
    *,
    policy: ApprovalPolicy,
    action: ApprovalAction,
    requested_by: str,
    requested_on: dt.date,
    amount: Money | None = None,
    days: int | None = None,
    subject_id: str = "",
    summary: str = "",
    payload: str = "",
    totals: RunningTotals | None = None,
) -> ApprovalRequest | None:
    """Hold ``action`` for approval when ``policy`` says so.

    ``totals``: the customer's running totals of the action (see :func:`approval_reason`);
    a request held by the day or month limit needs that threshold's role.

    Returns:
        A pending request, or ``None`` when the action may run at once.

    Example:
        >>> import datetime as dt
        >>> policy = ApprovalPolicy(
        ...     [ApprovalThreshold(ApprovalAction.REFUND, Money.of(500, "USD"))])
        >>> r = request_approval(ApprovalId("A-1"), policy=policy, action=ApprovalAction.REFUND,
        ...     requested_by="ana", requested_on=dt.date(2026, 10, 5),
        ...     amount=Money.of("800.00", "USD"))
        >>> r.status.value, r.reason, r.required_role
        ('pending', 'refund of 800.00 USD exceeds the limit of 500.00 USD', <Role.LEAD: 'lead'>)
    """
    who = check_actor("approval.requested_by", requested_by)
    held = approval_hold(policy, action, amount, days=days, totals=totals)
    if held is None:
        return None
    reason, threshold = held
    by_days = action is ApprovalAction.EXTENSION and days is not None
    if by_days:
        role = policy.extension.role
    elif threshold is not None:
        role = threshold.role
    else:
        role = required_role(policy, action, amount)
    return ApprovalRequest(
        id=approval_id,
        action=action,
        requested_by=who,
        requested_on=requested_on,
        reason=reason,
        subject_id=subject_id,
        amount=amount,
        days=days,
        summary=summary,
        payload=payload,
        required_role=role,
    )


def _decide(
    request: ApprovalRequest,
    approver: str,
    roles: Collection[Role],
    comment: str,
    on: dt.date,
    status: ApprovalStatus,
) -> ApprovalRequest:
    who = check_actor("approval.approver", approver)
    verb = "approve" if status is ApprovalStatus.APPROVED else "reject"
    if request.status is not ApprovalStatus.PENDING:
        raise InvalidState(
            f"approval {request.id} is already {request.status.value} by "
            f"{request.decided_by} on {request.decided_on}; cannot {verb} it again",
            document_id=request.id,
        )
    if same_actor(who, request.requested_by):
        raise SegregationOfDuties(who, request.id)
    need = request.required_role
    if need is not None and not any(r.satisfies(need) for r in roles):
        held = ", ".join(sorted(r.value for r in roles)) or "no role"
        raise PermissionDenied(
            f"{who} holds {held}; {verb} {request.action.value} {request.id} needs the "
            f"{need.value} role or higher"
        )
    if on < request.requested_on:
        raise ValidationError(
            "approval.decided_on", on, f"a date on or after {request.requested_on}"
        )
    return attrs.evolve(request, status=status, decided_by=who, decided_on=on, comment=comment)


def approve(
    request: ApprovalRequest,
    approver: str,
    roles: Collection[Role],
    comment: str = "",
    *,
    on: dt.date,
) -> ApprovalRequest:
    """Approve a pending request; the Book then runs the held command.

    Args:
        request: The pending request.
        approver: Who approves; never the requester.
        roles: The roles ``approver`` holds (see :func:`roles_of`).
        comment: Why.
        on: The business date of the decision.

    Raises:
        InvalidState: The request is already decided.
        SegregationOfDuties: The approver is the requester.
        PermissionDenied: The approver lacks the required role.
    """
    return _decide(request, approver, roles, comment, on, ApprovalStatus.APPROVED)


def reject_request(
    request: ApprovalRequest,
    approver: str,
    roles: Collection[Role],
    comment: str,
    *,
    on: dt.date,
) -> ApprovalRequest:
    """Reject a pending request; the held command never runs.

    The same person rules apply as for :func:`approve`: a requester who no longer wants
    the action asks someone else to reject it, so every decision has four eyes.

    Raises:
        InvalidState: The request is already decided.
        SegregationOfDuties: The approver is the requester.
        PermissionDenied: The approver lacks the required role.
        ValidationError: No comment was given.
    """
    if not comment.strip():
        raise ValidationError("approval.comment", comment, "the reason for the rejection")
    return _decide(request, approver, roles, comment, on, ApprovalStatus.REJECTED)
