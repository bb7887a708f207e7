"""Billing: invoices, credit and debit notes, numbering, lifecycle, bill runs.

Everything here is pure: documents are frozen values and the verbs return new values.
The :class:`~o2c.Book` stores them, numbers them inside a transaction and posts them.
"""

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
from o2c.billing.numbering import (
    DEFAULT_SERIES,
    NumberSeries,
    default_series,
    format_number,
    parse_number,
)

__all__ = [
    "DEFAULT_SERIES",
    "CustomerSnapshot",
    "Document",
    "DocumentKind",
    "DocumentLine",
    "DocumentStatus",
    "DocumentTotals",
    "LineRemainder",
    "LineSource",
    "LineTax",
    "NumberSeries",
    "ReasonCode",
    "TaxSubtotal",
    "adjustment_line",
    "compute_totals",
    "credit_note_for",
    "debit_note_for",
    "default_series",
    "draft_document",
    "format_number",
    "issue",
    "needs_approval",
    "parse_number",
    "rebill",
    "remaining",
    "renumber_lines",
    "replace_lines",
    "snapshot",
    "void",
]
