"""Issue 18 item 5: an in-advance contract is invoiced in the run of its start (or at once).

A monthly contract billed in advance and anchored on its start day (2026-10-18) used to
get nothing in the 2026-10 run and two periods in the 2026-11 run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import Document
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle, Period
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.errors import NotFound, ValidationError
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import PerUnit
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer

START = dt.date(2026, 10, 18)


def _contract(
    kid: str = "K9",
    *,
    anchor: dt.date = START,
    timing: BillingTiming = BillingTiming.ADVANCE,
    cycle: Cycle = Cycle.MONTHLY,
) -> Contract:
    line = ContractLine("L1", ItemCode("PLAN"), model=PerUnit(unit_price=Decimal("310.00")))
    version = ContractVersion(
        START, (line,), BillingCycle(cycle, anchor), Currency.of("MXN"), timing=timing
    )
    return Contract(ContractId(kid), CustomerId("C1"), (version,))


@pytest.fixture
def seller(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    return book


def _docs(book: Book, ids: tuple[str, ...]) -> list[Document]:
    return [book.get_document(d) for d in ids]


def _lines(doc: Document) -> list[tuple[str, str]]:
    return [(str(line.period), str(line.net.amount)) for line in doc.lines]


def test_in_advance_contract_is_invoiced_by_the_run_of_its_start(seller: Book) -> None:
    seller.add_contract(_contract())
    october = seller.bill_run("2026-10")
    (start,) = _docs(seller, october.document_ids)
    # The full anchored period, billed in advance in the run whose month holds the start.
    assert _lines(start) == [("2026-10-18..2026-11-18", "310.00")]
    assert start.run_key == "K9:2026-10-18..2026-11-18:start"
    assert str(start.totals.payable) == "359.60 MXN"
    november = seller.bill_run("2026-11")
    (nxt,) = _docs(seller, november.document_ids)
    # One period, the next one, not two.
    assert _lines(nxt) == [("2026-11-18..2026-12-18", "310.00")]


def test_start_invoice_is_never_billed_twice(seller: Book) -> None:
    seller.add_contract(_contract())
    seller.bill_run("2026-10")
    seller.bill_run("2026-11")
    documents = len(seller.list_documents())
    again_oct, again_nov = seller.bill_run("2026-10"), seller.bill_run("2026-11")
    assert (again_oct.invoices, again_nov.invoices) == (0, 0)
    assert (again_oct.skipped, again_nov.skipped) == (1, 1)
    assert len(seller.list_documents()) == documents
    assert seller.invoice_contract_start("K9").invoices == 0


def test_invoice_now_issues_the_start_invoice_at_once(seller: Book) -> None:
    seller.add_contract(_contract(), invoice_now=True)
    (start,) = seller.list_documents()
    assert start.number == "INV-2026-000001"
    assert start.issue_date == dt.date(2026, 10, 1)  # the book's today
    assert _lines(start) == [("2026-10-18..2026-11-18", "310.00")]
    # The run of the start month bills nothing more; the next run the next period.
    assert seller.bill_run("2026-10").invoices == 0
    (nxt,) = _docs(seller, seller.bill_run("2026-11").document_ids)
    assert _lines(nxt) == [("2026-11-18..2026-12-18", "310.00")]
    assert seller.invoice_contract_start("K9").skipped == 1


def test_invoice_now_bills_a_prorated_stub_alone_then_the_run_bills_the_next_period(
    seller: Book,
) -> None:
    # Anchored on the 1st: the first period is October, 14 of 31 days: 310 x 14/31 = 140.
    seller.add_contract(_contract(anchor=dt.date(2026, 1, 1)), invoice_now=True)
    (start,) = seller.list_documents()
    assert _lines(start) == [("2026-10-18..2026-11-01", "140.00")]
    (run,) = _docs(seller, seller.bill_run("2026-10").document_ids)
    # October settled (nothing changed) and November billed in advance; no second stub.
    assert _lines(run) == [("2026-11-01..2026-12-01", "310.00")]


def test_first_period_ending_inside_the_run_is_billed_with_the_next_as_before(
    seller: Book,
) -> None:
    seller.add_contract(_contract(anchor=dt.date(2026, 1, 1)))
    (run,) = _docs(seller, seller.bill_run("2026-10").document_ids)
    assert _lines(run) == [
        ("2026-10-18..2026-11-01", "140.00"),
        ("2026-11-01..2026-12-01", "310.00"),
    ]


def test_quarterly_in_advance_contract_is_invoiced_in_the_month_it_starts(seller: Book) -> None:
    seller.add_contract(_contract(anchor=dt.date(2026, 1, 1), cycle=Cycle.QUARTERLY))
    (start,) = _docs(seller, seller.bill_run("2026-10").document_ids)
    # Q4 is 92 days; Oct 18 - Jan 1 is 75 of them: 310 x 75/92 = 252.72.
    assert _lines(start) == [("2026-10-18..2027-01-01", "252.72")]
    assert seller.bill_run("2026-11").invoices == 0
    (december,) = _docs(seller, seller.bill_run("2026-12").document_ids)
    assert _lines(december) == [(str(Period(dt.date(2027, 1, 1), dt.date(2027, 4, 1))), "310.00")]


def test_invoice_now_refuses_a_contract_billed_in_arrears_and_adds_nothing(
    seller: Book,
) -> None:
    with pytest.raises(ValidationError, match="invoice_now"):
        seller.add_contract(_contract(timing=BillingTiming.ARREARS), invoice_now=True)
    with pytest.raises(NotFound):
        seller.get_contract("K9")
