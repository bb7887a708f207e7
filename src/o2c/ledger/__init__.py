"""The accounts-receivable ledger: journal, posting rules, payments, aging, reconciliation.

Everything here is pure: frozen values and functions. The journal (a sequence of
balanced :class:`JournalEntry` values) is the single source of truth; open items,
credits, balances, aging, statements, the trial balance and the reconciliation report
are derived from it as of any date. Posting verbs turn documents and events into
entries; they take the current derived state (an :class:`OpenItem`, a
:class:`CreditItem`) to refuse anything allocated, refunded or written off twice or
beyond its amount. See the guide *The AR ledger* for worked examples.
"""

from o2c.ledger.accounts import DEFAULT_CHART, Account, AccountKind, AccountRole, ChartOfAccounts
from o2c.ledger.aging import (
    DEFAULT_BUCKETS,
    AgingBasis,
    AgingBucket,
    AgingReport,
    AgingRow,
    aging,
    aging_report,
    buckets_from_bounds,
)
from o2c.ledger.bankfiles import (
    MAX_STATEMENT_BYTES,
    BankImport,
    ImportProblem,
    parse_bank_csv,
    parse_camt053,
)
from o2c.ledger.cashapp import (
    BankLine,
    CashApplication,
    Match,
    MatchRule,
    Unmatched,
    allocations_for_match,
    match_payments,
)
from o2c.ledger.items import AllocationRecord, CreditItem, CreditKind, DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting, entries_as_of, reverse_entry
from o2c.ledger.payments import (
    Allocation,
    Payment,
    PaymentMethod,
    allocate_oldest_first,
    check_allocation,
    post_allocation,
    post_payment,
    post_payment_return,
    post_unallocation,
)
from o2c.ledger.periods import AccountingPeriods, check_entries_open
from o2c.ledger.posting import (
    DocumentPosting,
    RevenueAmount,
    TaxAmount,
    WithholdingAmount,
    post_document,
    post_void,
)
from o2c.ledger.reconcile import (
    Difference,
    DifferenceKind,
    ReconciliationReport,
    ReconciliationTotals,
    reconcile,
)
from o2c.ledger.refunds import (
    Refund,
    RefundStatus,
    approve_refund,
    mark_refund_paid,
    post_refund,
    reject_refund,
)
from o2c.ledger.statements import Statement, StatementLine, statement
from o2c.ledger.validation import JournalProblem, validate_journal
from o2c.ledger.views import (
    CustomerBalance,
    TrialBalance,
    TrialBalanceRow,
    account_balances,
    allocations,
    credit_items,
    customer_balances,
    open_items,
    trial_balance,
)
from o2c.ledger.writeoffs import (
    CreditWriteOff,
    WriteOff,
    WriteOffReason,
    approve_write_off,
    needs_approval,
    post_credit_write_off,
    post_write_off,
)

__all__ = [
    "DEFAULT_BUCKETS",
    "DEFAULT_CHART",
    "MAX_STATEMENT_BYTES",
    "Account",
    "AccountKind",
    "AccountRole",
    "AccountingPeriods",
    "AgingBasis",
    "AgingBucket",
    "AgingReport",
    "AgingRow",
    "Allocation",
    "AllocationRecord",
    "BankImport",
    "BankLine",
    "CashApplication",
    "ChartOfAccounts",
    "CreditItem",
    "CreditKind",
    "CreditWriteOff",
    "CustomerBalance",
    "Difference",
    "DifferenceKind",
    "DocumentKind",
    "DocumentPosting",
    "EntryKind",
    "ImportProblem",
    "JournalEntry",
    "JournalProblem",
    "Match",
    "MatchRule",
    "OpenItem",
    "Payment",
    "PaymentMethod",
    "Posting",
    "ReconciliationReport",
    "ReconciliationTotals",
    "Refund",
    "RefundStatus",
    "RevenueAmount",
    "Statement",
    "StatementLine",
    "TaxAmount",
    "TrialBalance",
    "TrialBalanceRow",
    "Unmatched",
    "WithholdingAmount",
    "WriteOff",
    "WriteOffReason",
    "account_balances",
    "aging",
    "aging_report",
    "allocate_oldest_first",
    "allocations",
    "allocations_for_match",
    "approve_refund",
    "approve_write_off",
    "buckets_from_bounds",
    "check_allocation",
    "check_entries_open",
    "credit_items",
    "customer_balances",
    "entries_as_of",
    "mark_refund_paid",
    "match_payments",
    "needs_approval",
    "open_items",
    "parse_bank_csv",
    "parse_camt053",
    "post_allocation",
    "post_credit_write_off",
    "post_document",
    "post_payment",
    "post_payment_return",
    "post_refund",
    "post_unallocation",
    "post_void",
    "post_write_off",
    "reconcile",
    "reject_refund",
    "reverse_entry",
    "statement",
    "trial_balance",
    "validate_journal",
]
