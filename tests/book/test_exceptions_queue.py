"""The exceptions queue clears: one open row per run key and reason, resolved by the run
that bills it, a suggested fix that works, and an exception rate that counts each
candidate once.

October 2026: C1-C4 bill 3 seats at 100.00 each; C5 requires a purchase order and its
contract K5 has none.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

from o2c.book import Book, ExceptionRecord
from o2c.contracts import amend
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import monthly_contract, mx_customer

OCT = "2026-10"
FIX = re.compile(r"o2c contract amend (\S+) --from (\d{4}-\d\d-\d\d) --po <PO number>")


@pytest.fixture
def queued(book: Book, clock: FakeClock) -> Book:
    """The October run done once: four invoices and K5 in the queue."""
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    for n in range(1, 6):
        customer = mx_customer(f"C{n}")
        book.add_customer(attrs.evolve(customer, po_required=True) if n == 5 else customer)
        book.add_contract(monthly_contract(f"K{n}", f"C{n}", (("SEAT", "3", "100.00"),)))
    clock.advance(days=31)
    first = book.bill_run(OCT)
    assert (first.invoices, [e.contract_id for e in first.exceptions]) == (4, ["K5"])
    return book


def _rate(book: Book) -> tuple[str, str, str]:
    [kpi] = [
        k
        for k in book.kpis(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
        if k.name == "billing_exception_rate"
    ]
    return str(kpi.value), str(kpi.numerator), str(kpi.denominator)


def _only(records: list[ExceptionRecord]) -> ExceptionRecord:
    [record] = records
    return record


def test_a_re_run_keeps_one_open_row_and_updates_when_it_was_last_seen(
    queued: Book, clock: FakeClock
) -> None:
    first = _only(queued.list_exceptions())
    runs = []
    for _ in range(3):
        clock.advance(hours=1)
        again = queued.bill_run(OCT)
        assert [e.contract_id for e in again.exceptions] == ["K5"]
        runs.append(again.run_id)

    record = _only(queued.list_exceptions(status=None))
    assert (record.run_key, record.code, record.status) == ("K5:2026-10", "po_required", "open")
    assert (record.customer_id, record.contract_id) == ("C5", "K5")
    assert record.bill_run_id == first.bill_run_id != runs[-1]
    assert record.last_run_id == runs[-1]
    assert record.raised_at == first.raised_at
    assert record.last_seen_at == clock.now
    # Each run is asked about the rows it raised or saw last.
    assert queued.list_exceptions(bill_run=runs[-1]) == [record]


def test_the_exception_rate_counts_each_candidate_once(queued: Book) -> None:
    assert _rate(queued) == ("0.2000", "1", "5")
    for _ in range(3):
        queued.bill_run(OCT)
    # Four runs: it read 0.5000 (4 exceptions / 8 "candidates").
    assert _rate(queued) == ("0.2000", "1", "5")


def test_the_suggested_fix_works_and_the_re_run_resolves_the_exception(
    queued: Book, clock: FakeClock
) -> None:
    record = _only(queued.list_exceptions())
    match = FIX.search(record.message)
    assert match is not None, record.message
    contract_id, since = match[1], dt.date.fromisoformat(match[2])
    assert (contract_id, since) == ("K5", dt.date(2026, 10, 1))  # the contract's first day

    # Exactly what the message says: amend K5 from 2026-10-01 with the PO (was refused:
    # "a date after the contract start").
    contract = queued.get_contract(contract_id)
    fixed = queued.update_contract(amend(contract, since, po_number="PO-77"))
    assert [v.po_number for v in fixed.versions] == ["PO-77"]
    clock.advance(hours=2)
    rerun = queued.bill_run(OCT)

    assert (rerun.invoices, rerun.exceptions) == (1, ())
    invoice = queued.get_document(rerun.document_ids[0])
    assert invoice.po_number == "PO-77"
    assert queued.list_exceptions() == []
    resolved = _only(queued.list_exceptions(status="resolved"))
    assert resolved.run_key == "K5:2026-10"
    assert resolved.resolved_by_run == rerun.run_id
    assert resolved.resolved_at == clock.now
    # The exception was raised: the rate still counts it, once.
    assert _rate(queued) == ("0.2000", "1", "5")
    # Nothing reopens it: the next run has nothing left to bill.
    assert queued.bill_run(OCT).exceptions == ()
    assert queued.list_exceptions() == []


def test_a_new_reason_resolves_the_old_one(queued: Book, clock: FakeClock) -> None:
    # The PO comes, but the customer's address is gone: the same run key, another reason.
    queued.update_contract(amend(queued.get_contract("K5"), dt.date(2026, 10, 1), po_number="P"))
    customer = queued.get_customer("C5")
    queued.update_customer(attrs.evolve(customer, billing_address=None))
    clock.advance(hours=1)
    rerun = queued.bill_run(OCT)

    [now_open] = queued.list_exceptions()
    assert (now_open.code, now_open.bill_run_id) == ("missing_address", rerun.run_id)
    old = _only(queued.list_exceptions(status="resolved"))
    assert (old.code, old.resolved_by_run) == ("po_required", rerun.run_id)
    assert _rate(queued) == ("0.2000", "1", "5")
