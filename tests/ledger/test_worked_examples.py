"""Worked examples with exact amounts: allocation, over-payment refund, write-off, aging."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import ApprovalRequired, InvalidState, SegregationOfDuties
from o2c.ids import CustomerId, DocumentId, EntryId, RefundId, WriteOffId
from o2c.ledger import (
    DEFAULT_CHART,
    JournalEntry,
    Refund,
    WriteOff,
    WriteOffReason,
    aging_report,
    allocate_oldest_first,
    approve_refund,
    approve_write_off,
    credit_items,
    customer_balances,
    mark_refund_paid,
    open_items,
    post_allocation,
    post_document,
    post_payment,
    post_refund,
    post_write_off,
    reconcile,
    trial_balance,
)
from tests.ledger.conftest import invoice, money, payment

C1 = CustomerId("C1")


class Journal:
    """A list of entries with numbered ids: the smallest possible book for a test."""

    def __init__(self) -> None:
        self.entries: list[JournalEntry] = []

    def next_id(self) -> EntryId:
        return EntryId(f"E{len(self.entries) + 1}")

    def add(self, entry: JournalEntry) -> JournalEntry:
        self.entries.append(entry)
        return entry


def _open(entries: list[JournalEntry], as_of: dt.date) -> dict[str, str]:
    return {i.document_id: str(i.open) for i in open_items(entries, as_of)}


def test_payment_is_allocated_across_three_invoices_oldest_due_first() -> None:
    j = Journal()
    # Issued out of due-date order on purpose: allocation follows the due date.
    for doc, issued, due, net, tax in [
        ("D2", dt.date(2026, 9, 10), dt.date(2026, 10, 10), "200.00", "32.00"),
        ("D1", dt.date(2026, 9, 1), dt.date(2026, 10, 1), "100.00", "16.00"),
        ("D3", dt.date(2026, 9, 20), dt.date(2026, 10, 20), "300.00", "48.00"),
    ]:
        j.add(post_document(invoice(doc, "C1", issued, due, net, tax), entry_id=j.next_id()))
    day = dt.date(2026, 10, 15)
    j.add(post_payment(payment("P1", "C1", day, "500.00"), entry_id=j.next_id()))
    (credit,) = credit_items(j.entries, day)
    plan = allocate_oldest_first(credit, open_items(j.entries, day), date=day)
    assert [(a.document_id, str(a.amount)) for a in plan] == [
        ("D1", "116.00 USD"),
        ("D2", "232.00 USD"),
        ("D3", "152.00 USD"),
    ]
    for alloc in plan:
        (credit,) = credit_items(j.entries, day)
        items = {i.document_id: i for i in open_items(j.entries, day)}
        j.add(
            post_allocation(
                alloc, entry_id=j.next_id(), open_item=items[alloc.document_id], credit=credit
            )
        )
    assert _open(j.entries, day) == {"D3": "196.00 USD"}
    assert credit_items(j.entries, day) == ()
    (balance,) = customer_balances(j.entries, day)
    assert (str(balance.receivable), str(balance.unapplied)) == ("196.00 USD", "0.00 USD")
    tb = trial_balance(j.entries, day)
    assert {r.account: str(r.balance) for r in tb.rows} == {
        "1000": "500.00 USD",
        "1100": "196.00 USD",
        "2300-VAT": "-96.00 USD",
        "4000-SERVICES": "-600.00 USD",
    }
    assert tb.is_balanced
    assert reconcile(j.entries, day).ok


def test_over_payment_stays_unapplied_and_is_refunded_after_approval() -> None:
    j = Journal()
    j.add(
        post_document(
            invoice("D1", "C1", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "100.00", "16.00"),
            entry_id=j.next_id(),
        )
    )
    day = dt.date(2026, 10, 20)
    j.add(post_payment(payment("P1", "C1", day, "150.00"), entry_id=j.next_id()))
    (credit,) = credit_items(j.entries, day)
    (alloc,) = allocate_oldest_first(credit, open_items(j.entries, day), date=day)
    (item,) = open_items(j.entries, day)
    j.add(post_allocation(alloc, entry_id=j.next_id(), open_item=item, credit=credit))
    (credit,) = credit_items(j.entries, day)
    assert str(credit.unapplied) == "34.00 USD"
    (balance,) = customer_balances(j.entries, day)
    assert str(balance.net) == "-34.00 USD"  # we owe the customer

    refund = Refund(
        RefundId("R1"),
        C1,
        "P1",
        money("34.00"),
        requested_on=dt.date(2026, 10, 21),
        requested_by="ana",
        reason="over-payment",
    )
    with pytest.raises(SegregationOfDuties):
        approve_refund(refund, actor="ana", date=dt.date(2026, 10, 22))
    approved = approve_refund(refund, actor="luis", date=dt.date(2026, 10, 22))
    with pytest.raises(InvalidState, match="only a paid refund posts"):
        post_refund(approved, entry_id=j.next_id(), credit=credit)
    paid = mark_refund_paid(approved, date=dt.date(2026, 10, 23))
    j.add(post_refund(paid, entry_id=j.next_id(), credit=credit))
    end = dt.date(2026, 10, 31)
    assert credit_items(j.entries, end) == ()
    assert customer_balances(j.entries, end) == ()
    assert {r.account: str(r.balance) for r in trial_balance(j.entries, end).rows} == {
        "1000": "116.00 USD",
        "2300-VAT": "-16.00 USD",
        "4000-SERVICES": "-100.00 USD",
    }
    # The same refund cannot be paid out a second time: the credit is used up.
    (used,) = credit_items(j.entries, end, include_used=True)
    with pytest.raises(InvalidState, match=r"only 0\.00 USD is unapplied"):
        post_refund(paid, entry_id=j.next_id(), credit=used)


def test_small_balance_is_written_off_to_rounding_and_large_one_needs_approval() -> None:
    j = Journal()
    for doc in ("D1", "D2"):
        j.add(
            post_document(
                invoice(doc, "C1", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "100.00", "16.00"),
                entry_id=j.next_id(),
            )
        )
    day = dt.date(2026, 11, 5)
    j.add(post_payment(payment("P1", "C1", day, "115.97"), entry_id=j.next_id()))
    (credit,) = credit_items(j.entries, day)
    items = {i.document_id: i for i in open_items(j.entries, day)}
    (alloc,) = allocate_oldest_first(credit, [items[DocumentId("D1")]], date=day)
    j.add(
        post_allocation(
            alloc, entry_id=j.next_id(), open_item=items[alloc.document_id], credit=credit
        )
    )
    items = {i.document_id: i for i in open_items(j.entries, day)}
    assert str(items[DocumentId("D1")].open) == "0.03 USD"

    threshold = money("5.00")
    small = WriteOff(
        WriteOffId("W1"),
        C1,
        DocumentId("D1"),
        money("0.03"),
        date=day,
        reason=WriteOffReason.SMALL_BALANCE,
        requested_by="ana",
    )
    j.add(
        post_write_off(
            small, entry_id=j.next_id(), open_item=items[DocumentId("D1")], threshold=threshold
        )
    )
    bad = WriteOff(
        WriteOffId("W2"),
        C1,
        DocumentId("D2"),
        money("116.00"),
        date=day,
        reason=WriteOffReason.UNCOLLECTIBLE,
        requested_by="ana",
    )
    with pytest.raises(ApprovalRequired, match=r"116\.00 USD is above the threshold 5\.00 USD"):
        post_write_off(
            bad, entry_id=j.next_id(), open_item=items[DocumentId("D2")], threshold=threshold
        )
    with pytest.raises(SegregationOfDuties):
        approve_write_off(bad, actor="ana")
    approved = approve_write_off(bad, actor="luis")
    j.add(
        post_write_off(
            approved, entry_id=j.next_id(), open_item=items[DocumentId("D2")], threshold=threshold
        )
    )
    assert open_items(j.entries, day) == ()
    tb = {r.account: str(r.balance) for r in trial_balance(j.entries, day).rows}
    assert tb[DEFAULT_CHART.rounding.code] == "0.03 USD"
    assert tb[DEFAULT_CHART.bad_debt.code] == "116.00 USD"
    assert DEFAULT_CHART.receivable.code not in tb
    # Nothing is written off twice.
    settled = {i.document_id: i for i in open_items(j.entries, day, include_settled=True)}
    with pytest.raises(InvalidState, match=r"only 0\.00 USD is open"):
        post_write_off(
            approved, entry_id=j.next_id(), open_item=settled[DocumentId("D2")], threshold=threshold
        )


def test_aging_at_two_dates_moves_items_between_buckets_and_matches_ar_control() -> None:
    j = Journal()
    # Due 2026-09-30, 2026-10-31 and 2026-11-30.
    for doc, issued, due, net in [
        ("D1", dt.date(2026, 9, 1), dt.date(2026, 9, 30), "100.00"),
        ("D2", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "200.00"),
        ("D3", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "300.00"),
    ]:
        j.add(post_document(invoice(doc, "C1", issued, due, net), entry_id=j.next_id()))
    j.add(post_payment(payment("P1", "C1", dt.date(2026, 11, 10), "50.00"), entry_id=j.next_id()))

    first = aging_report(j.entries, dt.date(2026, 11, 15))
    assert [b.label for b in first.buckets] == ["current", "1-30", "31-60", "61-90", "90+"]
    total = first.total("USD")
    # D1 is 46 days past due, D2 15 days, D3 not yet due.
    assert [str(m) for m in total.buckets] == [
        "300.00 USD",
        "200.00 USD",
        "100.00 USD",
        "0.00 USD",
        "0.00 USD",
    ]
    assert (str(total.unapplied), str(total.total), str(total.net)) == (
        "50.00 USD",
        "600.00 USD",
        "550.00 USD",
    )

    second = aging_report(j.entries, dt.date(2027, 1, 5)).total("USD")
    # D1 97 days (90+), D2 66 days (61-90), D3 36 days (31-60).
    assert [str(m) for m in second.buckets] == [
        "0.00 USD",
        "0.00 USD",
        "300.00 USD",
        "200.00 USD",
        "100.00 USD",
    ]
    ar = trial_balance(j.entries, dt.date(2027, 1, 5))
    (ar_row,) = [r for r in ar.rows if r.account == DEFAULT_CHART.receivable.code]
    assert second.total == ar_row.balance
    (un_row,) = [r for r in ar.rows if r.account == DEFAULT_CHART.unapplied.code]
    assert second.unapplied == un_row.credit
    # The first report is reproducible: later entries do not change it.
    assert aging_report(j.entries, dt.date(2026, 11, 15)) == first
