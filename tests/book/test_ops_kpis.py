"""KPIs computed from a real, hand-built book, each checked against figures worked by hand.

The book (USD, customer C1, net 30, 16 % tax; invoices named by their draft ids):

=====  ==========  =======  ==========================================================
 doc   issued      payable  what happens
=====  ==========  =======  ==========================================================
 G     2026-08-20   232.00  due Sep 19; dispute V (32.00, duplicate) opened Oct 1, open
 A     2026-09-01   580.00  due Oct 1; paid Oct 2
 F     2026-09-15   348.00  due Oct 15, extended on Oct 14 to Nov 10; dispute Z
                            (duplicate) opened Sep 16, due Sep 21, rejected Oct 2
 B     2026-10-01   116.00  paid Oct 25 (a 200.00 payment; 84.00 stays unapplied)
 C     2026-10-05   232.00  dispute X (wrong price) opened Oct 6, credited 23.20 Oct 12
 D     2026-10-10    58.00  goodwill credit 11.60 Oct 15; dispute Y rejected Oct 17
 E     2026-10-20  1160.00  dispute W (160.00) opened Oct 21, open; tax-error credit Nov 5
=====  ==========  =======  ==========================================================

Duplicates get 3 business days (Mexico), other reasons 10; the escalation job of Oct 7
escalates V. Refunds of the unapplied 84.00: 50.00 requested Oct 26 (over the 40.00 limit), approved
and paid Oct 29; 4.00 paid at once Oct 30 (its credit arose Oct 25). A bill run in MXN
(other customers) on Oct 1 tries 3 invoices and queues 1 exception. Contacts: five in
October, one on each side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.cases import ApprovalRequest, Role
from o2c.kpi import KpiValue
from o2c.money import Money
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer
from tests.store.backends import BACKENDS, book_url

OCT1, NOV1 = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
SEP1 = dt.date(2026, 9, 1)
UTC = dt.UTC


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _build(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.assign_role("ana", Role.CONTROLLER)  # a book with roles: ana needs one to work
    book.assign_role("bo", Role.LEAD)
    book.set_policy_settings(
        {"approval.refund.USD": "40.00 lead", "calendar.country": "MX", "sla.duplicate": "3"}
    )
    invoices = [
        ("G", "200.00", dt.date(2026, 8, 20)),
        ("A", "500.00", dt.date(2026, 9, 1)),
        ("F", "300.00", dt.date(2026, 9, 15)),
        ("B", "100.00", dt.date(2026, 10, 1)),
        ("C", "200.00", dt.date(2026, 10, 5)),
        ("D", "50.00", dt.date(2026, 10, 10)),
        ("E", "1000.00", dt.date(2026, 10, 20)),
    ]
    for doc, price, day in invoices:
        book.create_draft(invoice_draft(doc, lines=(("SERVICE", "1", price),)))
        book.issue_document(doc, issue_date=day)
    z = book.open_dispute("F", reason="duplicate", amount=usd("10.00"), date=dt.date(2026, 9, 16))
    book.reject_dispute(z.id, comment="not a duplicate", date=dt.date(2026, 10, 2))
    book.open_dispute("G", reason="duplicate", amount=usd("32.00"), date=OCT1)
    pay = book.record_payment("C1", usd("580.00"), date=dt.date(2026, 10, 2))
    book.allocate(pay.id, {"A": usd("580.00")}, date=dt.date(2026, 10, 2))
    x = book.open_dispute("C", reason="wrong_price", amount=usd("23.20"), date=dt.date(2026, 10, 6))
    escalated = book.escalate_overdue_disputes(dt.date(2026, 10, 7))
    assert [d.document_id for d in escalated] == ["G"]  # V, due Oct 6
    book.credit_dispute(x.id, amount=usd("20.00"), date=dt.date(2026, 10, 12))
    book.grant_extension("F", dt.date(2026, 11, 10), reason="PO", date=dt.date(2026, 10, 14))
    book.create_credit_note("D", reason="goodwill", amount=usd("10.00"), date=dt.date(2026, 10, 15))
    y = book.open_dispute("D", reason="quality", amount=usd("5.00"), date=dt.date(2026, 10, 10))
    book.reject_dispute(y.id, comment="as ordered", date=dt.date(2026, 10, 17))
    book.open_dispute("E", reason="wrong_price", amount=usd("160.00"), date=dt.date(2026, 10, 21))
    pay = book.record_payment("C1", usd("200.00"), date=dt.date(2026, 10, 25))
    book.allocate(pay.id, {"B": usd("116.00")}, date=dt.date(2026, 10, 25))
    held = book.request_refund(pay.id, usd("50.00"), reason="overpaid", date=dt.date(2026, 10, 26))
    assert isinstance(held, ApprovalRequest)
    book.approve_request(held.id, date=dt.date(2026, 10, 29), actor="bo")
    book.request_refund(pay.id, usd("4.00"), reason="rest", date=dt.date(2026, 10, 30))
    book.create_credit_note("E", reason="tax_error", amount=usd("10.00"), date=dt.date(2026, 11, 5))
    # An MXN bill run with one contract lacking a billing address (an exception).
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("M1"))
    book.add_customer(mx_customer("M2"))
    book.add_customer(mx_customer("M3", address=False))
    for kid, cid in (("K1", "M1"), ("K2", "M2"), ("K3", "M3")):
        book.add_contract(monthly_contract(kid, cid, (("SEAT", "1", "100.00"),)))
    book.bill_run("2026-10")
    t = dt.datetime(2026, 10, 5, 15, 0, tzinfo=UTC)
    contacts = [
        (t - dt.timedelta(days=6), dt.timedelta(minutes=3), True),  # Sep 29: outside
        (t, dt.timedelta(minutes=12, seconds=30), True),
        (t + dt.timedelta(days=1), dt.timedelta(minutes=5), True),
        (t + dt.timedelta(days=2), dt.timedelta(minutes=7, seconds=30), False),
        (t + dt.timedelta(days=3), dt.timedelta(minutes=20), True),
        (t + dt.timedelta(days=4), None, False),
        (dt.datetime(2026, 11, 1, 0, 30, tzinfo=UTC), dt.timedelta(minutes=9), True),
    ]
    for started, took, solved in contacts:
        book.add_note(
            "customer",
            "C1",
            channel="phone",
            summary="call",
            started=started,
            ended=None if took is None else started + took,
            first_contact_resolution=solved,
        )


@pytest.fixture(scope="module", params=BACKENDS)
def october(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Book]:
    """The book of the module docstring, built once per backend."""
    clock = FakeClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    with book_url(request.param, tmp_path_factory.mktemp("kpis")) as url:
        book = Book.open(url, actor="ana", clock=clock)
        try:
            _build(book)
            yield book
        finally:
            book.close()


@pytest.fixture(scope="module")
def report(october: Book) -> dict[str, KpiValue]:
    return {k.name: k for k in october.kpis(OCT1, NOV1, currency="USD")}


def _figures(kpi: KpiValue) -> tuple[str | None, str | None, str | None]:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return text(kpi.value), text(kpi.numerator), text(kpi.denominator)


def test_invoice_accuracy_counts_billing_error_corrections_up_to_the_report_date(
    report: dict[str, KpiValue],
) -> None:
    # B, C, D, E issued in October; C corrected for a wrong price; D's goodwill credit and
    # E's tax-error credit of Nov 5 do not count: 3 / 4.
    assert _figures(report["invoice_accuracy"]) == ("0.7500", "3", "4")


def test_billing_exception_rate_from_the_bill_runs_of_the_range(
    october: Book, report: dict[str, KpiValue]
) -> None:
    # October's MXN run: M1 and M2 invoiced, M3 (no billing address) an exception.
    mxn = {k.name: k for k in october.kpis(OCT1, NOV1, currency="MXN")}
    assert _figures(mxn["billing_exception_rate"]) == ("0.3333", "1", "3")
    # No bill run made or tried a USD invoice (B..G were issued by hand).
    assert _figures(report["billing_exception_rate"]) == (None, "0", "0")
    # The run counts for the period it billed, not the day it ran: September has none.
    september = {k.name: k for k in october.kpis(SEP1, OCT1, currency="MXN")}
    assert _figures(september["billing_exception_rate"]) == (None, "0", "0")


def test_dso_from_ar_and_credit_sales(report: dict[str, KpiValue]) -> None:
    # AR on Oct 31: C 208.80 + D 46.40 + E 1,160.00 + F 348.00 + G 232.00 = 1,995.20.
    # Credit sales: 116.00 + 232.00 + 58.00 + 1,160.00 - 23.20 - 11.60 = 1,531.20.
    # 1,995.20 x 31 / 1,531.20 = 40.39 days.
    assert _figures(report["dso"]) == ("40.39", "61851.20", "1531.20")


def test_cei_counts_the_extended_invoice_as_current(report: dict[str, KpiValue]) -> None:
    # Start AR 1,160.00 (G, A, F); current at the end: C, D, E and F (extended to Nov 10)
    # = 1,763.20. (1,160.00 + 1,531.20 - 1,995.20) / (1,160.00 + 1,531.20 - 1,763.20)
    # = 696.00 / 928.00.
    assert _figures(report["collection_effectiveness_index"]) == ("0.7500", "696.00", "928.00")


def test_aging_profile_takes_disputes_apart_and_ages_extensions_late(
    report: dict[str, KpiValue],
) -> None:
    # current 208.80 + 46.40 + (1,160.00 - 160.00) + 348.00 = 1,603.20; G is 42 days past
    # due: 232.00 - 32.00 = 200.00 at 31-60; disputed 160.00 + 32.00 = 192.00.
    shares = {
        name: _figures(report[name])[:2]
        for name in (
            "aging_current",
            "aging_1_30",
            "aging_31_60",
            "aging_61_90",
            "aging_over_90",
            "aging_disputed",
        )
    }
    assert shares == {
        "aging_current": ("0.8035", "1603.20"),
        "aging_1_30": ("0.0000", "0.00"),
        "aging_31_60": ("0.1002", "200.00"),
        "aging_61_90": ("0.0000", "0.00"),
        "aging_over_90": ("0.0000", "0.00"),
        "aging_disputed": ("0.0962", "192.00"),
    }
    assert report["aging_current"].denominator == Decimal("1995.20")


def test_unapplied_cash_after_refunds(report: dict[str, KpiValue]) -> None:
    # 200.00 - 116.00 applied - 50.00 - 4.00 refunded = 30.00.
    assert report["unapplied_cash"].value == Decimal("30.00")
    assert report["unapplied_cash"].unit == "USD"


def test_refund_turnaround_counts_from_the_approval_request(report: dict[str, KpiValue]) -> None:
    # 50.00: requested Oct 26, paid on approval Oct 29 (3 days); 4.00 paid at once on
    # Oct 30, no approval held it: from its credit, the payment of Oct 25 (5 days).
    assert _figures(report["refund_turnaround_mean"]) == ("4.00", "8", "2")
    assert report["refund_turnaround_median"].value == Decimal("4.00")


def test_dispute_resolution_time_and_sla_adherence(
    october: Book, report: dict[str, KpiValue]
) -> None:
    due = {d.document_id: d.sla_due for d in october.list_disputes()}
    assert due == {
        "F": dt.date(2026, 9, 21),  # Z: Sep 16 (Independence Day) + 3 business days
        "G": dt.date(2026, 10, 6),  # V
        "C": dt.date(2026, 10, 20),  # X
        "D": dt.date(2026, 10, 23),  # Y
        "E": dt.date(2026, 11, 4),  # W
    }
    # Resolved in October: X 6 days (Oct 6-12), Y 7 (Oct 10-17), Z 16 (Sep 16-Oct 2).
    assert _figures(report["dispute_resolution_time_mean"]) == ("9.67", "29", "3")
    assert report["dispute_resolution_time_median"].value == Decimal("7.00")
    # X and Y met their SLA; Z (due Sep 21) and V (due Oct 6, still open) missed it;
    # W is due Nov 4, not counted yet.
    assert _figures(report["sla_adherence"]) == ("0.5000", "2", "4")


def test_contact_kpis_over_the_notes_started_in_the_range(report: dict[str, KpiValue]) -> None:
    assert _figures(report["first_contact_resolution"]) == ("0.6000", "3", "5")
    assert _figures(report["average_handle_time"]) == ("11.25", "45", "4")


def test_the_book_agrees_with_its_aging_report(october: Book) -> None:
    aged = october.aging(dt.date(2026, 10, 31))
    usd_total = next(t for t in aged.totals if t.currency.code == "USD")
    assert usd_total.disputed == usd("192.00")
    assert usd_total.total == usd("1995.20")
    assert usd_total.unapplied == usd("30.00")
    ledger = october.aging(dt.date(2026, 10, 31), cases=False)
    plain = next(t for t in ledger.totals if t.currency.code == "USD")
    assert plain.total == usd_total.total
    assert october.aging(dt.date(2026, 10, 31)) == aged


def test_kpis_need_a_currency_in_a_book_with_several(october: Book) -> None:
    from o2c.errors import ValidationError

    with pytest.raises(ValidationError, match="currency"):
        october.kpis(OCT1, NOV1)
    with pytest.raises(ValidationError, match="end"):
        october.kpis(NOV1, OCT1, currency="USD")


def test_a_month_with_nothing_in_it_has_undefined_rates(october: Book) -> None:
    empty = {
        k.name: k for k in october.kpis(dt.date(2025, 1, 1), dt.date(2025, 2, 1), currency="USD")
    }
    assert empty["invoice_accuracy"].value is None
    assert empty["dso"].value is None
    assert empty["sla_adherence"].value is None
