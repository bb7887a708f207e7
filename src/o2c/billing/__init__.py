"""Billing: invoices, credit and debit notes, numbering, lifecycle, bill runs, re-rating.

Everything here is pure: documents are frozen values and the verbs return new values.
The :class:`~o2c.Book` stores them, numbers them inside a transaction and posts them.

Example:
    >>> from o2c.billing import ReasonCode
    >>> ReasonCode.parse("wrong price").is_billing_error
    True
"""

from o2c.billing._bill_run_state import _cycle_periods as cycle_periods
from o2c.billing._bill_run_state import _Run as PlanCaches
from o2c.billing._compact import (
    CompactInvoice,
    CompactPlanner,
    compact_shape_reason,
)
from o2c.billing._documents import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    DocumentTotals,
    LineSource,
    LineTax,
    ReasonCode,
    TaxSubtotal,
    compute_totals,
    snapshot,
)
from o2c.billing.billrun import (
    BillingException,
    BillRunInputs,
    BillRunPlan,
    Candidate,
    Skipped,
    billing_periods,
    plan_bill_run,
    run_key,
)
from o2c.billing.corrections import (
    LineRemainder,
    adjustment_line,
    credit_note_for,
    debit_note_for,
    rebill,
    remaining,
)
from o2c.billing.lifecycle import (
    draft_document,
    issue,
    needs_approval,
    renumber_lines,
    replace_lines,
    void,
)
from o2c.billing.manual import ManualLine, manual_invoice, order_invoice
from o2c.billing.numbering import (
    DEFAULT_SERIES,
    NumberSeries,
    default_series,
    format_number,
    parse_number,
)
from o2c.billing.posting import post, to_posting
from o2c.billing.references import payment_reference, payment_reference_printed
from o2c.billing.rerate import ImpactAction, ImpactReport, ImpactRow, replan_invoice, rerate
from o2c.billing.taxing import TaxContext, apply_tax, customer_tax_profile
from o2c.billing.validation import (
    BillRunPolicy,
    Problem,
    ProblemCode,
    ZeroAmountPolicy,
    validate_invoice,
)

__all__ = [
    "DEFAULT_SERIES",
    "BillRunInputs",
    "BillRunPlan",
    "BillRunPolicy",
    "BillingException",
    "Candidate",
    "CompactInvoice",
    "CompactPlanner",
    "CustomerSnapshot",
    "Document",
    "DocumentKind",
    "DocumentLine",
    "DocumentStatus",
    "DocumentTotals",
    "ImpactAction",
    "ImpactReport",
    "ImpactRow",
    "LineRemainder",
    "LineSource",
    "LineTax",
    "ManualLine",
    "NumberSeries",
    "PlanCaches",
    "Problem",
    "ProblemCode",
    "ReasonCode",
    "Skipped",
    "TaxContext",
    "TaxSubtotal",
    "ZeroAmountPolicy",
    "adjustment_line",
    "apply_tax",
    "billing_periods",
    "compact_shape_reason",
    "compute_totals",
    "credit_note_for",
    "customer_tax_profile",
    "cycle_periods",
    "debit_note_for",
    "default_series",
    "draft_document",
    "format_number",
    "issue",
    "manual_invoice",
    "needs_approval",
    "order_invoice",
    "parse_number",
    "payment_reference",
    "payment_reference_printed",
    "plan_bill_run",
    "post",
    "rebill",
    "remaining",
    "renumber_lines",
    "replace_lines",
    "replan_invoice",
    "rerate",
    "run_key",
    "snapshot",
    "to_posting",
    "validate_invoice",
    "void",
]
