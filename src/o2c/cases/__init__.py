"""Cases: disputes with SLAs, payment extensions, approvals and interaction notes.

Everything here is pure: frozen values and verbs that return new values. The Book
persists them and runs the commands that approvals hold.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> policy = ApprovalPolicy([ApprovalThreshold(ApprovalAction.REFUND, Money.of(500, "USD"))])
    >>> request = request_approval(ApprovalId("A-1"), policy=policy,
    ...     action=ApprovalAction.REFUND, requested_by="ana", requested_on=dt.date(2026, 10, 5),
    ...     amount=Money.of("800.00", "USD"))
    >>> approve(request, "ana", {Role.LEAD}, on=dt.date(2026, 10, 5))
    Traceback (most recent call last):
    ...
    o2c.errors.SegregationOfDuties: ana requested A-1 and cannot approve it; another approver must decide (segregation of duties)
    >>> approve(request, "bo", {Role.LEAD}, "ok", on=dt.date(2026, 10, 6)).status.value
    'approved'
"""  # noqa: E501

from o2c.cases._approvals import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalThreshold,
    ExtensionPolicy,
    LimitWindow,
    Role,
    RoleAssignment,
    RunningTotals,
    approval_hold,
    approval_reason,
    approve,
    check_controller,
    needs_approval,
    parse_role,
    reject_request,
    request_approval,
    required_role,
    roles_of,
)
from o2c.cases._common import Channel, ExtensionId, NoteId
from o2c.cases._dispute_amounts import (
    check_disputable,
    check_dispute_lines,
    check_rebill,
    check_resolving_credit_note,
    credit_reason,
    disputable,
    dispute_amount,
    dispute_credit_quantities,
    dispute_credit_scope,
    lines_amount_due,
)
from o2c.cases._disputes import (
    SYSTEM_ACTOR,
    Dispute,
    DisputeReason,
    DisputeStatus,
    DisputeTransition,
    Resolution,
    SlaPolicy,
    auto_escalate,
    disputed_amounts,
    escalate,
    is_sla_breached,
    open_dispute,
    reject,
    resolve,
    start_investigation,
    update_dispute,
)
from o2c.cases._extensions import (
    ExtensionStatus,
    PaymentExtension,
    activate_extension,
    effective_due_date,
    extended_due_dates,
    extension_in_force,
    grant_extension,
)
from o2c.cases._notes import InteractionNote, NoteTarget
from o2c.cases._settings import (
    POLICY_PREFIXES,
    approval_policy_from_settings,
    approval_policy_settings,
    calendar_from_settings,
    check_policy_keys,
    merge_policy_settings,
    replacing_settings,
    sla_policy_from_settings,
    sla_policy_settings,
)
from o2c.cases.permissions import (
    PERMISSIONS,
    Command,
    Permission,
    allowed_roles,
    check_permission,
    parse_command,
    permission_problem,
)
from o2c.ids import ApprovalId, DisputeId

__all__ = [
    "PERMISSIONS",
    "POLICY_PREFIXES",
    "SYSTEM_ACTOR",
    "ApprovalAction",
    "ApprovalId",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStatus",
    "ApprovalThreshold",
    "Channel",
    "Command",
    "Dispute",
    "DisputeId",
    "DisputeReason",
    "DisputeStatus",
    "DisputeTransition",
    "ExtensionId",
    "ExtensionPolicy",
    "ExtensionStatus",
    "InteractionNote",
    "LimitWindow",
    "NoteId",
    "NoteTarget",
    "PaymentExtension",
    "Permission",
    "Resolution",
    "Role",
    "RoleAssignment",
    "RunningTotals",
    "SlaPolicy",
    "activate_extension",
    "allowed_roles",
    "approval_hold",
    "approval_policy_from_settings",
    "approval_policy_settings",
    "approval_reason",
    "approve",
    "auto_escalate",
    "calendar_from_settings",
    "check_controller",
    "check_disputable",
    "check_dispute_lines",
    "check_permission",
    "check_policy_keys",
    "check_rebill",
    "check_resolving_credit_note",
    "credit_reason",
    "disputable",
    "dispute_amount",
    "dispute_credit_quantities",
    "dispute_credit_scope",
    "disputed_amounts",
    "effective_due_date",
    "escalate",
    "extended_due_dates",
    "extension_in_force",
    "grant_extension",
    "is_sla_breached",
    "lines_amount_due",
    "merge_policy_settings",
    "needs_approval",
    "open_dispute",
    "parse_command",
    "parse_role",
    "permission_problem",
    "reject",
    "reject_request",
    "replacing_settings",
    "request_approval",
    "required_role",
    "resolve",
    "roles_of",
    "sla_policy_from_settings",
    "sla_policy_settings",
    "start_investigation",
    "update_dispute",
]
