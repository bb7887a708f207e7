"""Issued documents post balanced journal entries through the ledger's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import (
    ReasonCode,
    credit_note_for,
    draft_document,
    issue,
    plan_bill_run,
    post,
    to_posting,
)
from o2c.calendar import Period
from o2c.errors import InvalidState
from o2c.ids import DocumentId, EntryId
from o2c.money import Money
from tests.billing.builders import USD, WHO, issued_invoice, taxed_line
from tests.billing.conftest import inputs, make_contract, make_customer


def _balanced(entry: object) -> bool:
    lines = entry.lines  # type: ignore[attr-defined]
    return sum((p.amount.amount for p in lines), Decimal(0)) == 0


def test_bill_run_invoice_posts_ar_revenue_and_tax() -> None:
    plan = plan_bill_run(
        [make_contract(start=dt.date(2026, 9, 1))],
        Period.month(2026, 10),
        cut_off=dt.date(2026, 10, 31),
        inputs=inputs([make_customer()]),
    )
    invoice = issue(plan.candidates[0].document, "INV-2026-000001", dt.date(2026, 10, 31))
    entry = post(invoice, entry_id=EntryId("E-1"))
    assert _balanced(entry)
    assert [(p.account, str(p.amount)) for p in entry.lines] == [
        ("1100", "359.60 MXN"),
        ("4000", "-310.00 MXN"),
        ("2300-MX-IVA", "-49.60 MXN"),
    ]


def test_withholdings_post_to_tax_withheld_receivable() -> None:
    invoice = issued_invoice(taxed_line("FEE", "1", "10000.00", withholding="0.10"))
    posting = to_posting(invoice, item_classes={"FEE": "SERVICES"})
    assert posting.receivable == invoice.totals.payable
    assert [(w.code, str(w.amount)) for w in posting.withholdings] == [("MX-ISR", "1000.00 USD")]
    assert _balanced(post(invoice, entry_id=EntryId("E-1")))


def test_credit_note_posts_against_the_corrected_invoice() -> None:
    invoice = issued_invoice(taxed_line("SEAT", "4", "25.00"))
    note = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.WRONG_QUANTITY,
        quantities={1: Decimal(1)},
    )
    issued = issue(note, "CN-2026-000001", dt.date(2026, 11, 2))
    posting = to_posting(issued)
    assert posting.corrects == invoice.id
    entry = post(issued, entry_id=EntryId("E-2"), corrected_open=Money.of("116.00", USD))
    assert _balanced(entry)
    assert str(entry.lines[0].amount) == "-29.00 USD"


def test_drafts_do_not_post() -> None:
    draft = draft_document(DocumentId("D-1"), WHO, USD, [taxed_line("A", "1", "1.00")])
    with pytest.raises(InvalidState, match="only issued documents post"):
        to_posting(draft)
