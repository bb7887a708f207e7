"""Re-rating on the book never undoes a goodwill credit, a dispute's credit or a full credit.

October 2026, IVA 16 %: C1 has 2 PREMIUM seats at 40.00 (92.80), C2 40 seats at 12.50
(580.00), C3 200 seats at 12.50 (2900.00).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import Document, DocumentKind, ImpactAction
from o2c.book import Book
from o2c.money import Money
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import mx_customer
from tests.book.test_rerate import card, contract

OCT1 = dt.date(2026, 10, 1)
OCT31 = dt.date(2026, 10, 31)


@pytest.fixture
def billed(book: Book, clock: FakeClock) -> Book:
    """The three invoices, billed on Oct 1 (issued Oct 31); today is Nov 3."""
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("std.toml", text=card("12.50", "40.00"))
    for n, (item, seats) in enumerate((("PREMIUM", "2"), ("SEAT", "40"), ("SEAT", "200")), 1):
        book.add_customer(mx_customer(f"C{n}"))
        book.add_contract(contract(n, item, seats))
    assert book.bill_run("2026-10").invoices == 3
    clock.advance(days=33)
    return book


def _invoice(book: Book, customer: str) -> Document:
    [found] = [
        d
        for d in book.list_documents()
        if d.kind is DocumentKind.INVOICE and d.customer.customer_id == customer
    ]
    return found


def _goodwill_and_dispute(book: Book) -> None:
    c2 = _invoice(book, "C2")
    goodwill = book.create_credit_note(
        str(c2.number), reason="goodwill", amount=Money.of("50.00", "MXN")
    )
    assert goodwill.totals.payable == Money.of("58.00", "MXN")
    c3 = _invoice(book, "C3")
    dispute = book.open_dispute(
        str(c3.number), reason="wrong_price", amount=Money.of("1160.00", "MXN")
    )
    book.credit_dispute(dispute.id, amount=Money.of("1000.00", "MXN"))
    [credit] = [d for d in book.list_documents() if d.reference == c3.id]
    assert credit.totals.payable == Money.of("1160.00", "MXN")


def test_rerating_unchanged_prices_after_goodwill_and_dispute_credits_proposes_nothing(
    billed: Book,
) -> None:
    _goodwill_and_dispute(billed)

    result = billed.rerate(OCT1, OCT31)

    assert result.report.checked == 3
    assert result.report.rows == ()  # were debit notes of +50.00 and +1,000.00 net
    assert billed.rerate(OCT1, OCT31, apply=True).issued == ()


def test_a_price_fix_after_other_credits_credits_the_difference_once(billed: Book) -> None:
    _goodwill_and_dispute(billed)
    billed.import_rate_card("std.toml", text=card("12.00", "40.00"))  # seats 12.50 -> 12.00

    first = billed.rerate(OCT1, OCT31, apply=True)

    rows = {str(r.customer_id): r for r in first.report.rows}
    assert set(rows) == {"C2", "C3"}
    # C2: 40 seats x 0.50 = 20.00 + 3.20 IVA; C3: 200 x 0.50 = 100.00 + 16.00 IVA.
    assert rows["C2"].difference == Money.of("-23.20", "MXN")
    assert rows["C2"].old == Money.of("522.00", "MXN")  # 580.00 - 58.00 goodwill
    assert rows["C3"].difference == Money.of("-116.00", "MXN")
    assert rows["C3"].old == Money.of("1740.00", "MXN")  # 2900.00 - 1160.00 dispute credit
    assert len(first.issued) == 2
    assert billed.rerate(OCT1, OCT31).report.rows == ()


def test_a_fully_credited_invoice_is_not_billed_again_by_rerating(billed: Book) -> None:
    c1 = _invoice(billed, "C1")
    billed.create_credit_note(str(c1.number), reason="cancellation")
    billed.import_rate_card("std.toml", text=card("12.50", "35.00"))  # PREMIUM 40 -> 35

    result = billed.rerate(OCT1, OCT31, apply=True)

    # 2 x 5.00 + IVA = 11.60 less, but all 92.80 was already credited: nothing is left
    # to credit and nothing may be billed again (it was a debit note of 81.20).
    assert result.report.rows == ()
    assert result.issued == ()
    balances = [d for d in billed.list_documents() if d.reference == c1.id]
    assert [d.kind for d in balances] == [DocumentKind.CREDIT_NOTE]


def test_units_credited_back_by_hand_are_not_re_priced(billed: Book) -> None:
    c2 = _invoice(billed, "C2")
    billed.create_credit_note(str(c2.number), reason="wrong_quantity", quantities={1: Decimal(10)})
    billed.import_rate_card("std.toml", text=card("12.00", "40.00"))

    [row] = billed.rerate(OCT1, OCT31, customer="C2").report.rows

    # 30 seats still billed, 0.50 too dear each: 15.00 + 2.40 IVA.
    assert row.action is ImpactAction.CREDIT_NOTE
    assert row.difference == Money.of("-17.40", "MXN")
