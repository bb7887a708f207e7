"""KPIs of a month read as of the report date (issue 25), worked by hand.

October: INV 1-4 (D-1..D-4, 116.00 USD each) issued Oct 1-4; D-3 is credited 10.00 for a
wrong price on Nov 5. Invoice accuracy of October is 1.0000 (4/4) as of Oct 31 and
0.7500 (3/4) as of Nov 30: the correction counts in the invoice's month however late it
came. A voided invoice is not accurate. A refund no approval held turns around from the
day its credit arose.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.kpi import KpiValue
from o2c.money import Money
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft

OCT1, NOV1 = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
OCT31, NOV30 = dt.date(2026, 10, 31), dt.date(2026, 11, 30)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def october(book: Book) -> Book:
    book.add_customer(customer("C1"))
    for n in range(1, 5):
        book.create_draft(invoice_draft(f"D-{n}"))
        book.issue_document(f"D-{n}", issue_date=dt.date(2026, 10, n))
    book.create_credit_note(
        "D-3", reason="wrong_price", amount=usd("10.00"), date=dt.date(2026, 11, 5)
    )
    return book


def _kpi(book: Book, name: str, **kwargs: dt.date) -> tuple[str, str, str]:
    [kpi] = [k for k in book.kpis(OCT1, NOV1, currency="USD", **kwargs) if k.name == name]
    return _figures(kpi)


def _figures(kpi: KpiValue) -> tuple[str, str, str]:
    return str(kpi.value), str(kpi.numerator), str(kpi.denominator)


def test_october_accuracy_counts_the_correction_of_nov_5_as_of_nov_30(october: Book) -> None:
    assert _kpi(october, "invoice_accuracy", as_of=OCT31) == ("1.0000", "4", "4")
    assert _kpi(october, "invoice_accuracy", as_of=NOV30) == ("0.7500", "3", "4")


def test_the_report_date_is_today_and_never_before_the_months_end(
    october: Book, clock: FakeClock
) -> None:
    # The clock stands at Oct 1: October's figure is as of its last day.
    assert _kpi(october, "invoice_accuracy") == ("1.0000", "4", "4")
    clock.advance(days=61)  # Dec 1
    assert _kpi(october, "invoice_accuracy") == ("0.7500", "3", "4")


def test_voided_invoice_is_not_accurate(october: Book) -> None:
    october.void_document("D-4", reason="issued twice", date=dt.date(2026, 10, 20))
    assert _kpi(october, "invoice_accuracy", as_of=OCT31) == ("0.7500", "3", "4")
    assert _kpi(october, "invoice_accuracy", as_of=dt.date(2026, 10, 19)) == (
        "1.0000",
        "4",
        "4",
    )
    assert _kpi(october, "invoice_accuracy", as_of=NOV30) == ("0.5000", "2", "4")


def test_refund_no_approval_held_counts_from_the_day_its_credit_arose(october: Book) -> None:
    # 200.00 received Oct 25 pays D-1 (116.00); 84.00 is credit, refunded at once Oct 30.
    paid = october.record_payment("C1", usd("200.00"), date=dt.date(2026, 10, 25))
    october.allocate(paid.id, {"D-1": usd("116.00")}, date=dt.date(2026, 10, 25))
    october.refund(paid.id, usd("84.00"), reason="overpaid", date=dt.date(2026, 10, 30))
    assert _kpi(october, "refund_turnaround_mean") == ("5.00", "5", "1")
