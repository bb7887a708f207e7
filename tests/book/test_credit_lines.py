"""Credit notes on the Book credit only the lines they name (issue 18 item 6).

INV-2026-000001 (D-1), issued Oct 1, USD, 16 % tax:
line 1 SETUP 1 × 4,500.00, line 2 SEATS 3 × 550.00 = 1,650.00, line 3 HOURS 2 × 150.00.
The customer disputes line 2 only; resolving the dispute by a credit of 1,650.00 credits
line 2 (1,650.00 + 264.00 tax), never lines 1 and 3.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import DocumentLine, LineTax, snapshot
from o2c.billing.lifecycle import draft_document
from o2c.book import Book
from o2c.cases import Dispute, Resolution
from o2c.errors import ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import Graduated, Tier, rate
from tests.book.factories import customer, invoice_draft

INV = "INV-2026-000001"
LINES = (("SETUP", "1", "4500.00"), ("SEATS", "3", "550.00"), ("HOURS", "2", "150.00"))


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def billed(book: Book) -> Book:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1", lines=LINES))
    book.issue_document("D-1", issue_date=dt.date(2026, 10, 1))
    return book


def test_a_dispute_on_one_line_credited_by_an_amount_credits_that_line_only(billed: Book) -> None:
    dispute = billed.open_dispute(INV, reason="wrong_price", lines=[2], date=dt.date(2026, 10, 5))
    assert dispute.amount == usd("1914.00")  # 1,650.00 + 264.00
    done = billed.credit_dispute(dispute.id, amount=usd("1650.00"), date=dt.date(2026, 10, 7))
    assert isinstance(done, Dispute)
    assert done.resolution is Resolution.CREDITED
    assert done.credit_note_id is not None
    note = billed.get_document(done.credit_note_id)
    assert [(ln.ref_line, str(ln.net), str(ln.tax)) for ln in note.lines] == [
        (2, "1650.00 USD", "264.00 USD")
    ]
    (line,) = note.lines
    assert (line.quantity, line.unit_price) == (Decimal(0), None)  # no "0 × 550.00"


def test_a_dispute_credit_on_a_line_the_dispute_did_not_name_is_refused(billed: Book) -> None:
    dispute = billed.open_dispute(INV, reason="wrong_price", lines=[2], date=dt.date(2026, 10, 5))
    events = len(billed.audit_log())
    with pytest.raises(ValidationError) as caught:
        billed.credit_dispute(dispute.id, quantities={3: None}, date=dt.date(2026, 10, 7))
    assert str(caught.value) == (
        f"dispute {dispute.id} is on line 2; cannot credit line 3 to resolve it"
    )
    assert len(billed.audit_log()) == events
    assert billed.get_dispute(dispute.id).is_active


def test_an_amount_on_one_line_through_the_book_credits_that_line(billed: Book) -> None:
    note = billed.create_credit_note(
        INV, reason="wrong_price", amount=usd("100.00"), quantities={3: None}
    )
    assert [(ln.ref_line, str(ln.net)) for ln in note.lines] == [(3, "100.00 USD")]
    with pytest.raises(ValidationError, match=r"on line 3 of INV-2026-000001: 300\.00 USD"):
        billed.create_credit_note(
            INV, reason="wrong_price", amount=usd("200.01"), quantities={3: None}
        )


def test_units_of_a_tiered_line_are_credited_at_the_invoices_tier_prices(book: Book) -> None:
    """9,000 API calls on tiers 1-1,000 at 1.00, 1,001-5,000 at 0.60, 5,001+ at 0.40
    billed 5,000.00 MXN; crediting 4,125 of them credits the last 4,000 at 0.40 and 125
    at 0.60: 1,675.00 + 268.00 IVA (the average price would have given 2,291.67)."""
    mxn = Currency.of("MXN")
    model = Graduated(tiers=[Tier(1000, "1.00"), Tier(5000, "0.60"), Tier(None, "0.40")])
    rated = rate(model, 9000, currency=mxn)
    net = rated.net()
    line = DocumentLine(
        1,
        ItemCode("API"),
        "API calls",
        Decimal(9000),
        None,
        net,
        (LineTax("VAT", "S", Decimal("0.16"), (net * Decimal("0.16")).round()),),
        explain=tuple(s.describe(mxn) for s in rated.steps),
    )
    book.add_customer(customer("C2", "MXN"))
    who = snapshot(book.get_customer("C2"))
    book.create_draft(draft_document(DocumentId("D-9"), who, mxn, [line], payment_terms="net 30"))
    book.issue_document("D-9", issue_date=dt.date(2026, 10, 1))
    note = book.create_credit_note(INV, reason="wrong_quantity", quantities={1: Decimal(4125)})
    assert (str(note.totals.net), str(note.totals.tax)) == ("1675.00 MXN", "268.00 MXN")
    assert "the last 4125 units billed (top tier first)" in note.lines[0].explain[1]
