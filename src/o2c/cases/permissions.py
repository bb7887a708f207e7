"""Who may run which Book command: the permission matrix.

Every command that changes a book is a :class:`Command` (its value is the command's name
in the audit trail) and :data:`PERMISSIONS` names, for each, the roles that may run it.
The Book checks it in one place, when it runs a command (:func:`check_permission`):

* a book with **no role assignments** is open, as a fresh book must be: anyone may run
  anything (a single person's book, the demo, setting a team's book up);
* a book with **any role assignment denies by default**: an actor runs a command only
  while holding one of the roles the matrix names for it, else
  :class:`~o2c.errors.CommandNotPermitted` names the actor, the command and the roles
  that may;
* the **auditor** role is read-only: it permits no command at all (queries, reports and
  the audit trail are not commands);
* **until the book has a controller**, anyone who holds a role may assign and revoke
  roles, so the team can finish setting the book up; from then on only a controller.

Approvals stay on top of this: a command the matrix permits may still be held for an
approver by the approval policy (:mod:`o2c.cases._approvals`), and the approver of a
request needs the role the request names.

Example:
    >>> alice = [RoleAssignment("alice", Role.SPECIALIST)]
    >>> check_permission(Command.VOID_DOCUMENT, "alice", alice)
    >>> check_permission(Command.VOID_DOCUMENT, "mallory", alice)
    Traceback (most recent call last):
    ...
    o2c.errors.CommandNotPermitted: mallory holds no role; only a specialist, lead or controller may void documents (void_document)
    >>> check_permission(Command.VOID_DOCUMENT, "mallory", [])  # no roles: an open book
"""  # noqa: E501

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from o2c.cases._approvals import Role, RoleAssignment, roles_of
from o2c.errors import CommandNotPermitted, InvariantViolation

__all__ = [
    "CONTROLLERS",
    "LEADS",
    "PERMISSIONS",
    "STAFF",
    "Command",
    "Permission",
    "allowed_roles",
    "check_permission",
    "parse_command",
    "permission_problem",
]


class Command(enum.Enum):
    """A command that changes a book; the value is its name in the audit trail."""

    # customers, contracts and what is billed
    ADD_CUSTOMER = "add_customer"
    ADD_CUSTOMERS = "add_customers"
    UPDATE_CUSTOMER = "update_customer"
    ADD_CONTRACT = "add_contract"
    ADD_CONTRACTS = "add_contracts"
    UPDATE_CONTRACT = "update_contract"
    ADD_SALES_ORDER = "add_sales_order"
    IMPORT_USAGE = "import_usage"
    IMPORT_TIME = "import_time"
    VOID_USAGE = "void_usage"
    VOID_TIME = "void_time"
    # prices and taxes
    IMPORT_RATE_CARD = "import_rate_card"
    IMPORT_TAX_TABLE = "import_tax_table"
    # documents
    CREATE_DRAFT = "create_draft"
    CREATE_INVOICE = "create_invoice"
    ISSUE_DOCUMENT = "issue_document"
    VOID_DOCUMENT = "void_document"
    CREATE_CREDIT_NOTE = "create_credit_note"
    CREATE_DEBIT_NOTE = "create_debit_note"
    INVOICE_SALES_ORDER = "invoice_sales_order"
    # bill runs and re-rating
    BILL_RUN = "bill_run"
    BILL_RUN_START = "bill_run_start"
    BILL_RUN_FINISH = "bill_run_finish"
    CHARGE_USAGE_EVENTS = "charge_usage_events"
    RERATE = "rerate"
    # cash
    RECORD_PAYMENT = "record_payment"
    IMPORT_PAYMENTS = "import_payments"
    APPLY_BANK_STATEMENT = "apply_bank_statement"
    ALLOCATE = "allocate"
    UNALLOCATE = "unallocate"
    REFUND = "refund"
    WRITE_OFF = "write_off"
    # approvals: asking, deciding
    REQUEST_REFUND = "request_refund"
    REQUEST_WRITE_OFF = "request_write_off"
    REQUEST_CREDIT_NOTE = "request_credit_note"
    REQUEST_ISSUE_DOCUMENT = "request_issue_document"
    REQUEST_MANUAL_INVOICE = "request_manual_invoice"
    REQUEST_CREDIT_DISPUTE = "request_credit_dispute"
    REQUEST_VOID_DOCUMENT = "request_void_document"
    APPROVE_REQUEST = "approve_request"
    REJECT_REQUEST = "reject_request"
    # disputes, extensions, notes, collections
    OPEN_DISPUTE = "open_dispute"
    UPDATE_DISPUTE = "update_dispute"
    INVESTIGATE_DISPUTE = "investigate_dispute"
    ESCALATE_DISPUTE = "escalate_dispute"
    REJECT_DISPUTE = "reject_dispute"
    RESOLVE_DISPUTE = "resolve_dispute"
    CREDIT_DISPUTE = "credit_dispute"
    ESCALATE_OVERDUE_DISPUTES = "escalate_overdue_disputes"
    GRANT_EXTENSION = "grant_extension"
    ADD_NOTE = "add_note"
    ADD_PROMISE = "add_promise"
    WALLET_TOPUP = "wallet_topup"
    WALLET_GRANT = "wallet_grant"
    WALLET_DRAW = "wallet_draw"
    WALLET_EXPIRE = "wallet_expire"
    RUN_DUNNING = "run_dunning"
    # delivery
    SEND_DOCUMENT = "send_document"
    SEND_DUNNING_NOTICES = "send_dunning_notices"
    # the period and the book's settings
    CLOSE_PERIOD = "close_period"
    REOPEN_PERIOD = "reopen_period"
    SET_POLICY_SETTINGS = "set_policy_settings"
    SET_NUMBER_SERIES = "set_number_series"
    SET_DUNNING_POLICY = "set_dunning_policy"
    USE_TAX_TABLE = "use_tax_table"
    SET_ROUNDING = "set_rounding"
    SET_SELLER = "set_seller"
    SET_RENDER_TEMPLATES = "set_render_templates"
    SET_SMTP = "set_smtp"
    SET_TIMEZONE = "set_timezone"
    ASSIGN_ROLE = "assign_role"
    REVOKE_ROLE = "revoke_role"
    # multi-currency valuation (issue 19)
    SET_FUNCTIONAL_CURRENCY = "set_functional_currency"
    SET_FX_RATE = "set_fx_rate"
    IMPORT_FX_RATES = "import_fx_rates"
    SETTLE_IN_CURRENCY = "settle_in_currency"
    UNSETTLE_IN_CURRENCY = "unsettle_in_currency"
    REVALUE_FX = "revalue_fx"
    # the service desk
    OPEN_INQUIRY = "open_inquiry"
    RESPOND_TO_INQUIRY = "respond_to_inquiry"
    ASSIGN_INQUIRY = "assign_inquiry"
    RESOLVE_INQUIRY = "resolve_inquiry"
    REOPEN_INQUIRY = "reopen_inquiry"
    CLOSE_INQUIRY = "close_inquiry"
    RATE_INQUIRY = "rate_inquiry"
    AUDIT_INQUIRY_CONTACT = "audit_inquiry_contact"
    ESCALATE_OVERDUE_INQUIRIES = "escalate_overdue_inquiries"
    SPAWN_FROM_INQUIRY = "spawn_from_inquiry"
    SET_SERVICE_DESK_SETTINGS = "set_service_desk_settings"
    # revenue recognition
    SET_RECOGNITION_RULE = "set_recognition_rule"
    RUN_RECOGNITION = "run_recognition"
    RELEASE_REVENUE = "release_revenue"
    # Mexico CFDI 4.0 (issue 17)
    SET_CFDI_CUSTOMER = "set_cfdi_customer"
    SET_CFDI_ITEM = "set_cfdi_item"
    SET_CFDI_SELLER = "set_cfdi_seller"
    STAMP_CFDI = "stamp_cfdi"
    CANCEL_CFDI = "cancel_cfdi"


#: The billing team's daily work: specialists, and the leads and controllers above them.
STAFF: Final = frozenset({Role.SPECIALIST, Role.LEAD, Role.CONTROLLER})
#: Price and tax master data: leads and controllers.
LEADS: Final = frozenset({Role.LEAD, Role.CONTROLLER})
#: The book's configuration, roles and periods: controllers only.
CONTROLLERS: Final = frozenset({Role.CONTROLLER})

#: Commands that stay open to anyone holding a role while the book has no controller.
_SETUP: Final = frozenset({Command.ASSIGN_ROLE, Command.REVOKE_ROLE})


def _roles(value: Collection[Role]) -> frozenset[Role]:
    roles = frozenset(value)
    if Role.AUDITOR in roles:
        raise InvariantViolation("the auditor role is read-only; it permits no command")
    return roles


@attrs.frozen(slots=True)
class Permission:
    """Who may run one command.

    Attributes:
        roles: The roles that may run it (never the auditor).
        what: The command in words, for messages ("void documents").
    """

    roles: frozenset[Role] = attrs.field(converter=_roles)
    what: str


def _matrix() -> Mapping[Command, Permission]:
    c = Command
    rows = {
        c.ADD_CUSTOMER: (STAFF, "add customers"),
        c.ADD_CUSTOMERS: (STAFF, "add customers"),
        c.UPDATE_CUSTOMER: (STAFF, "change customers"),
        c.ADD_CONTRACT: (STAFF, "add contracts"),
        c.ADD_CONTRACTS: (STAFF, "add contracts"),
        c.UPDATE_CONTRACT: (STAFF, "change contracts"),
        c.ADD_SALES_ORDER: (STAFF, "add sales orders"),
        c.IMPORT_USAGE: (STAFF, "import usage"),
        c.IMPORT_TIME: (STAFF, "import time entries"),
        c.VOID_USAGE: (STAFF, "void unbilled usage records"),
        c.VOID_TIME: (STAFF, "void unbilled time entries"),
        c.IMPORT_RATE_CARD: (LEADS, "import rate cards"),
        c.IMPORT_TAX_TABLE: (LEADS, "import tax tables"),
        c.CREATE_DRAFT: (STAFF, "create draft documents"),
        c.CREATE_INVOICE: (STAFF, "create manual invoices"),
        c.ISSUE_DOCUMENT: (STAFF, "issue documents"),
        c.VOID_DOCUMENT: (STAFF, "void documents"),
        c.CREATE_CREDIT_NOTE: (STAFF, "create credit notes"),
        c.CREATE_DEBIT_NOTE: (STAFF, "create debit notes"),
        c.INVOICE_SALES_ORDER: (STAFF, "invoice sales orders"),
        c.BILL_RUN: (STAFF, "run bill runs"),
        c.BILL_RUN_START: (STAFF, "run bill runs"),
        c.BILL_RUN_FINISH: (STAFF, "run bill runs"),
        c.CHARGE_USAGE_EVENTS: (STAFF, "charge usage per event"),
        c.RERATE: (STAFF, "re-rate invoices"),
        c.RECORD_PAYMENT: (STAFF, "record payments"),
        c.IMPORT_PAYMENTS: (STAFF, "import payments"),
        c.APPLY_BANK_STATEMENT: (STAFF, "apply bank statements"),
        c.ALLOCATE: (STAFF, "allocate payments"),
        c.UNALLOCATE: (STAFF, "undo allocations"),
        c.REFUND: (STAFF, "refund customer credit"),
        c.WRITE_OFF: (STAFF, "write off invoices"),
        c.REQUEST_REFUND: (STAFF, "request refunds"),
        c.REQUEST_WRITE_OFF: (STAFF, "request write-offs"),
        c.REQUEST_CREDIT_NOTE: (STAFF, "request credit notes"),
        c.REQUEST_ISSUE_DOCUMENT: (STAFF, "request issuing documents"),
        c.REQUEST_MANUAL_INVOICE: (STAFF, "request manual invoices"),
        c.REQUEST_CREDIT_DISPUTE: (STAFF, "request dispute credits"),
        c.REQUEST_VOID_DOCUMENT: (STAFF, "request voids"),
        # The request's own required role decides who may approve it; the matrix only
        # keeps people without a role (and auditors) out.
        c.APPROVE_REQUEST: (STAFF, "approve requests"),
        c.REJECT_REQUEST: (STAFF, "reject requests"),
        c.OPEN_DISPUTE: (STAFF, "open disputes"),
        c.UPDATE_DISPUTE: (STAFF, "change disputes"),
        c.INVESTIGATE_DISPUTE: (STAFF, "investigate disputes"),
        c.ESCALATE_DISPUTE: (STAFF, "escalate disputes"),
        c.REJECT_DISPUTE: (STAFF, "reject disputes"),
        c.RESOLVE_DISPUTE: (STAFF, "resolve disputes"),
        c.CREDIT_DISPUTE: (STAFF, "credit disputes"),
        c.ESCALATE_OVERDUE_DISPUTES: (STAFF, "escalate overdue disputes"),
        c.GRANT_EXTENSION: (STAFF, "grant payment extensions"),
        c.ADD_NOTE: (STAFF, "add interaction notes"),
        c.ADD_PROMISE: (STAFF, "record promises to pay"),
        c.WALLET_TOPUP: (STAFF, "top up customer wallets with paid credit"),
        c.WALLET_GRANT: (LEADS, "grant promotional wallet credit"),
        c.WALLET_DRAW: (STAFF, "apply wallet credit to invoices"),
        c.WALLET_EXPIRE: (LEADS, "expire wallet credit"),
        c.RUN_DUNNING: (STAFF, "run dunning"),
        c.SEND_DOCUMENT: (STAFF, "e-mail documents to customers"),
        c.SEND_DUNNING_NOTICES: (STAFF, "e-mail dunning letters"),
        c.CLOSE_PERIOD: (CONTROLLERS, "close periods"),
        c.REOPEN_PERIOD: (CONTROLLERS, "reopen periods"),
        c.SET_POLICY_SETTINGS: (CONTROLLERS, "change the policies"),
        c.SET_NUMBER_SERIES: (CONTROLLERS, "change number series"),
        c.SET_DUNNING_POLICY: (CONTROLLERS, "change dunning policies"),
        c.USE_TAX_TABLE: (CONTROLLERS, "choose the tax table"),
        c.SET_ROUNDING: (CONTROLLERS, "change the rounding mode"),
        c.SET_SELLER: (CONTROLLERS, "change the seller profile"),
        c.SET_RENDER_TEMPLATES: (CONTROLLERS, "change the document templates"),
        c.SET_SMTP: (CONTROLLERS, "change the e-mail server"),
        c.SET_TIMEZONE: (CONTROLLERS, "change the book's time zone"),
        c.ASSIGN_ROLE: (CONTROLLERS, "assign roles"),
        c.REVOKE_ROLE: (CONTROLLERS, "revoke roles"),
        c.SET_FUNCTIONAL_CURRENCY: (CONTROLLERS, "set the functional currency"),
        c.SET_FX_RATE: (LEADS, "enter exchange rates"),
        c.IMPORT_FX_RATES: (LEADS, "import exchange rates"),
        c.SETTLE_IN_CURRENCY: (STAFF, "settle payments in another currency"),
        c.UNSETTLE_IN_CURRENCY: (STAFF, "undo settlements in another currency"),
        c.REVALUE_FX: (CONTROLLERS, "revalue open foreign items"),
        c.OPEN_INQUIRY: (STAFF, "open inquiries"),
        c.RESPOND_TO_INQUIRY: (STAFF, "respond to inquiries"),
        c.ASSIGN_INQUIRY: (STAFF, "assign inquiries"),
        c.RESOLVE_INQUIRY: (STAFF, "resolve inquiries"),
        c.REOPEN_INQUIRY: (STAFF, "reopen inquiries"),
        c.CLOSE_INQUIRY: (STAFF, "close inquiries"),
        c.RATE_INQUIRY: (STAFF, "record CSAT answers"),
        c.AUDIT_INQUIRY_CONTACT: (LEADS, "audit the quality of contacts"),
        c.ESCALATE_OVERDUE_INQUIRIES: (STAFF, "escalate overdue inquiries"),
        c.SPAWN_FROM_INQUIRY: (STAFF, "open cases from inquiries"),
        c.SET_SERVICE_DESK_SETTINGS: (CONTROLLERS, "change the service desk's hours and SLAs"),
        c.SET_RECOGNITION_RULE: (CONTROLLERS, "set revenue recognition rules"),
        c.RUN_RECOGNITION: (LEADS, "run revenue recognition"),
        c.RELEASE_REVENUE: (LEADS, "release deferred revenue"),
        c.SET_CFDI_CUSTOMER: (STAFF, "change customers' CFDI data"),
        c.SET_CFDI_ITEM: (LEADS, "change items' SAT keys"),
        c.SET_CFDI_SELLER: (CONTROLLERS, "change the seller's CFDI data"),
        c.STAMP_CFDI: (STAFF, "stamp CFDIs"),
        c.CANCEL_CFDI: (LEADS, "cancel CFDIs"),
    }
    missing = set(Command) - set(rows)
    if missing:  # pragma: no cover - a new command without a row fails at import
        raise InvariantViolation(
            f"commands without a permission: {sorted(c.value for c in missing)}"
        )
    return MappingProxyType({cmd: Permission(roles, what) for cmd, (roles, what) in rows.items()})


#: Each command's :class:`Permission`: the roles that may run it. The operations guide
#: shows it as a table (a test keeps the two the same).
PERMISSIONS: Final[Mapping[Command, Permission]] = _matrix()


def parse_command(name: Command | str) -> Command:
    """The command named ``name`` (its audit name, ``void_document``).

    Raises:
        InvariantViolation: No command has that name: a Book command that is missing
            from the matrix (add it to :class:`Command` and :data:`PERMISSIONS`).
    """
    if isinstance(name, Command):
        return name
    try:
        return Command(name)
    except ValueError:
        raise InvariantViolation(
            f"command {name!r} is not in the permission matrix; add it to "
            "o2c.cases.permissions (Command and PERMISSIONS)"
        ) from None


def allowed_roles(command: Command | str) -> frozenset[Role]:
    """The roles that may run ``command``.

    Example:
        >>> sorted(r.value for r in allowed_roles("close_period"))
        ['controller']
    """
    return PERMISSIONS[parse_command(command)].roles


def _ordered(roles: Collection[Role]) -> tuple[str, ...]:
    return tuple(r.value for r in sorted(roles, key=lambda r: (r.rank, r.value)))


def permission_problem(
    command: Command | str, actor: str, assignments: Collection[RoleAssignment]
) -> CommandNotPermitted | None:
    """Why ``actor`` may not run ``command`` in a book with ``assignments``, or ``None``.

    Args:
        command: The command.
        actor: Who runs it.
        assignments: Every role assignment of the book.

    Returns:
        The error to raise, or ``None`` when the actor may run the command.
    """
    chosen = parse_command(command)
    if not assignments:
        return None
    permission = PERMISSIONS[chosen]
    held = roles_of(actor, assignments)
    if held & permission.roles:
        return None
    if (
        chosen in _SETUP
        and held - {Role.AUDITOR}
        and not any(a.role is Role.CONTROLLER for a in assignments)
    ):
        return None
    return CommandNotPermitted(
        actor, chosen.value, _ordered(permission.roles), _ordered(held), what=permission.what
    )


def check_permission(
    command: Command | str, actor: str, assignments: Collection[RoleAssignment]
) -> None:
    """Raise unless ``actor`` may run ``command`` in a book with ``assignments``.

    Raises:
        CommandNotPermitted: The book has roles and none of the actor's permits it.
        InvariantViolation: ``command`` is not in the matrix.
    """
    problem = permission_problem(command, actor, assignments)
    if problem is not None:
        raise problem
