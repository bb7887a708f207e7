"""Issue 18 item 7: nothing may silently stay unbilled.

Every usage record, time entry and order a bill run does not bill is an exception with a
reason or pending with why; a contract with nothing to bill in a run says why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing.unbilled import UnbilledStatus
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import PerUnit, TimeEntry, UsageRecord
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import mx_customer, usage_line

OCT = "2026-10"
MX = dt.timezone(dt.timedelta(hours=-6))


def _record(rid: str, item: str, day: int, month: int = 10, qty: str = "10") -> UsageRecord:
    stamp = dt.datetime(2026, month, day, 12, 0, tzinfo=MX)
    return UsageRecord(id=rid, customer="C1", item=item, quantity=Decimal(qty), timestamp=stamp)


def _seller(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1", "API"))
    return book


def test_usage_for_an_item_not_on_the_contract_is_a_bill_run_exception(book: Book) -> None:
    _seller(book)
    book.import_usage(
        [_record("u-1", "API", 5), _record("u-2", "SMS", 6), _record("u-3", "SMS", 7)]
    )
    result = book.bill_run(OCT)
    assert result.invoices == 1  # API: 10 x 0.50
    (exc,) = result.exceptions
    assert (exc.run_key, exc.code) == ("usage:C1:SMS", "not_on_contract")
    assert "2 usage records stay unbilled (u-2, u-3)" in exc.message
    assert "no contract of customer C1 bills SMS" in exc.message
    assert [e.run_key for e in book.list_exceptions()] == ["usage:C1:SMS"]
    # A re-run meets it again: still one open row.
    again = book.bill_run(OCT)
    assert [e.run_key for e in again.exceptions] == ["usage:C1:SMS"]
    assert len(book.list_exceptions()) == 1
    unbilled = book.list_unbilled(period=OCT)
    assert [(u.id, u.status) for u in unbilled] == [
        ("u-2", UnbilledStatus.EXCEPTION),
        ("u-3", UnbilledStatus.EXCEPTION),
    ]


def test_contract_starting_mid_month_in_arrears_is_pending_with_the_run_that_bills_it(
    book: Book,
) -> None:
    _seller(book)
    start = dt.date(2026, 10, 18)
    line = ContractLine("L1", ItemCode("PLAN"), model=PerUnit(unit_price=Decimal("310.00")))
    version = ContractVersion(
        start, (line,), BillingCycle(Cycle.MONTHLY, start), Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )  # fmt: skip
    book.add_contract(Contract(ContractId("K2"), CustomerId("C1"), (version,)))
    result = book.bill_run(OCT)
    (waiting,) = [u for u in result.pending if u.id == "K2"]
    assert waiting.code == "period_not_ended"
    assert waiting.reason == (
        "first billing period 2026-10-18..2026-11-18 ends after 2026-10 (billed in arrears):"
        " the 2026-11 run bills it"
    )
    assert result.skipped_reasons == {"nothing to bill": 1}  # K1 has no usage this month


def test_usage_after_the_cut_off_and_unapproved_time_are_pending_with_why(book: Book) -> None:
    _seller(book)
    time_version = ContractVersion(
        dt.date(2026, 10, 1),
        (ContractLine("T1", ItemCode("HOURS"), ChargeKind.TIME, model=PerUnit(unit_price="1")),),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )
    book.add_contract(Contract(ContractId("K3"), CustomerId("C1"), (time_version,)))
    book.import_usage([_record("u-9", "API", 30)])
    book.import_time(
        [
            TimeEntry(
                id="t-1", person="eva", role="dev", date=dt.date(2026, 10, 3), hours=Decimal(2)
            )
        ],
        customer="C1",
    )
    result = book.bill_run(OCT, cut_off=dt.date(2026, 10, 25))
    by_id = {u.id: u for u in result.pending}
    assert by_id["u-9"].code == "after_cut_off"
    assert (
        by_id["u-9"].reason
        == "dated 2026-10-30, after the cut-off 2026-10-25: the next run bills it"
    )
    assert by_id["t-1"].code == "not_approved"
    assert result.exceptions == ()


def _fresh() -> Book:
    book = Book.open(
        ":memory:", actor="ana", clock=FakeClock(dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    )
    return _seller(book)


records = st.lists(
    st.tuples(st.sampled_from(["API", "SMS"]), st.integers(1, 28), st.sampled_from([9, 10, 11])),
    max_size=8,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records, cut=st.integers(20, 31))
def test_after_a_run_every_input_is_billed_an_exception_or_pending_with_a_reason(
    records: list[tuple[str, int, int]], cut: int
) -> None:
    book = _fresh()
    try:
        given_records = [
            _record(f"u-{n}", item, day, month) for n, (item, day, month) in enumerate(records)
        ]
        book.import_usage(given_records)
        result = book.bill_run(OCT, cut_off=dt.date(2026, 10, cut))
        left = {u.id: u for u in book.list_unbilled(period=OCT, cut_off=dt.date(2026, 10, cut))}
        queued = {e.run_key for e in result.exceptions}
        pending = {u.id for u in result.pending}
        billed = Decimal(0)
        for doc in book.list_documents():
            billed += sum((line.quantity for line in doc.lines), Decimal(0))
        expected_billed = Decimal(0)
        for record in given_records:
            local = record.timestamp.date()
            if local >= dt.date(2026, 11, 1):
                continue  # not an input of the October run
            why = left.get(record.id)
            if why is None:
                expected_billed += record.quantity
                continue
            assert why.reason
            if why.status is UnbilledStatus.EXCEPTION:
                assert f"usage:C1:{record.item}" in queued
            else:
                assert record.id in pending
        assert billed == expected_billed
    finally:
        book.close()
