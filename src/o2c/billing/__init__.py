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
    "LineSource",
    "LineTax",
    "NumberSeries",
    "ReasonCode",
    "TaxSubtotal",
    "compute_totals",
    "default_series",
    "format_number",
    "parse_number",
    "snapshot",
]
