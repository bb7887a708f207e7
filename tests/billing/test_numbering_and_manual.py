"""A book's numbering pattern keeps its series code; which invoices are manual."""

from __future__ import annotations

import attrs
import pytest

from o2c.billing import DocumentKind, NumberSeries, ReasonCode, default_series
from o2c.billing.lifecycle import is_manual_invoice
from o2c.billing.numbering import series_for
from tests.billing.builders import issued_invoice, taxed_line


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_a_numbering_pattern_keeps_the_default_series_code(kind: DocumentKind) -> None:
    assert series_for(kind, None) == default_series(kind)
    assert series_for(kind, "X-{seq:04}") == NumberSeries(default_series(kind).code, "X-{seq:04}")


def test_only_an_invoice_no_bill_run_made_is_manual() -> None:
    invoice = issued_invoice(taxed_line("SEAT", "1", "10"))
    assert is_manual_invoice(invoice, bill_run_id=None)
    assert not is_manual_invoice(invoice, bill_run_id="BR1")
    assert not is_manual_invoice(attrs.evolve(invoice, run_key="K1:2026-10"), bill_run_id=None)
    note = attrs.evolve(
        invoice,
        kind=DocumentKind.CREDIT_NOTE,
        reference=invoice.id,
        reason=next(iter(ReasonCode)),
    )
    assert not is_manual_invoice(note, bill_run_id=None)
