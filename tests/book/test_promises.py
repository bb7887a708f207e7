"""Promises to pay on a book: kept on time, kept late, partly kept, broken; dunning waits.

The book: C1 owes INV-2026-000001 (116.00) and INV-2026-000002 (58.00), issued 2026-10-01
on net 30, so both are due 2026-10-31. The default policy sends a reminder at 3 days, a
statement at 15, a final notice at 30 and a credit hold at 45. Promises have the default
grace of 3 days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.credit import PromiseStatus
from o2c.dunning import DunningAction, DunningPolicy
from o2c.errors import NotFound, ValidationError
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT_1 = dt.date(2026, 10, 1)
NOV_5, NOV_15 = dt.date(2026, 11, 5), dt.date(2026, 11, 15)
INV1, INV2 = "INV-2026-000001", "INV-2026-000002"


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _book(book: Book) -> None:
    book.add_customer(customer("C1", "USD"))
    book.add_customer(customer("C2", "USD", name="Other Co"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D2", "C1", (("API", "2", "25.00"),)), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D3", "C2"), issue_date=OCT_1)


def _count(book: Book, table: str) -> int:
    row = book.store.query_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def test_a_promise_covers_the_open_items_and_is_linked_to_a_new_note(book: Book) -> None:
    _book(book)
    taken = book.add_promise("C1", NOV_15, date=NOV_5, actor="collector")
    promise = taken.promise
    assert (promise.id, str(promise.amount), promise.documents) == (
        "PTP0000000001",
        "174.00 USD",
        ("D1", "D2"),
    )
    assert (promise.taken_on, promise.taken_by, promise.grace_days) == (NOV_5, "collector", 3)
    assert promise.deadline == dt.date(2026, 11, 18)
    assert taken.status is PromiseStatus.PENDING
    (note,) = book.list_notes(customer="C1")
    assert note.id == promise.note_id
    assert note.summary == f"Promised to pay 174.00 USD by 2026-11-15 ({INV1}, {INV2})"
    assert note.author == "collector"
    assert [p.promise.id for p in book.list_promises(document=INV2)] == ["PTP0000000001"]
    assert book.list_promises(customer="C2") == []


def test_a_promise_kept_on_time_holds_dunning_off_and_is_kept(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, date=NOV_5)
    run = book.run_dunning(
        dt.date(2026, 11, 10), customer="C1"
    )  # 10 days past due: the reminder step
    assert [n.customer for n in run.notices] == []
    assert [(s.number, s.reason) for s in run.skipped] == [
        (INV1, "promised to pay by 2026-11-15 (PTP0000000001)"),
        (INV2, "promised to pay by 2026-11-15 (PTP0000000001)"),
    ]
    book.record_payment("C1", usd("174.00"), date=dt.date(2026, 11, 14), allocate=True)
    outcome = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 30))
    assert (outcome.status, str(outcome.paid), outcome.kept_on) == (
        PromiseStatus.KEPT,
        "174.00 USD",
        dt.date(2026, 11, 14),
    )
    assert str(outcome.short) == "0.00 USD"
    assert book.run_dunning(dt.date(2026, 11, 30), customer="C1").notices == ()


def test_a_promise_paid_in_the_grace_days_is_kept_late(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, date=NOV_5)
    # Still waiting on the last day of the grace.
    assert book.run_dunning(dt.date(2026, 11, 17), customer="C1").notices == ()
    book.record_payment("C1", usd("174.00"), date=dt.date(2026, 11, 17), allocate=True)
    outcome = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 30))
    assert (outcome.status, outcome.kept_on) == (PromiseStatus.KEPT_LATE, dt.date(2026, 11, 17))
    assert outcome.status.is_kept


def test_a_broken_promise_resumes_the_policy_with_the_step_reached(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, date=NOV_5)
    assert (
        book.promise("PTP0000000001", as_of=dt.date(2026, 11, 18)).status is PromiseStatus.PENDING
    )
    assert book.run_dunning(dt.date(2026, 11, 18), customer="C1").notices == ()
    broken = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 19))
    assert (broken.status, str(broken.paid)) == (PromiseStatus.BROKEN, "0.00 USD")
    (notice,) = book.run_dunning(dt.date(2026, 11, 19), customer="C1").notices  # 19 days past due
    assert (notice.customer, notice.step, notice.action) == ("C1", 2, DunningAction.STATEMENT)
    assert str(notice.total) == "174.00 USD"
    # A payment after the grace does not mend a broken promise.
    book.record_payment("C1", usd("174.00"), date=dt.date(2026, 11, 20), allocate=True)
    assert book.promise("PTP0000000001", as_of=dt.date(2026, 12, 1)).status is PromiseStatus.BROKEN


def test_a_partly_kept_promise_resumes_dunning_for_what_is_still_open(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, date=NOV_5)
    book.record_payment("C1", usd("100.00"), date=dt.date(2026, 11, 10), allocate=True)
    outcome = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 19))
    assert (outcome.status, str(outcome.paid), str(outcome.short)) == (
        PromiseStatus.PARTLY_KEPT,
        "100.00 USD",
        "74.00 USD",
    )
    (notice,) = book.run_dunning(dt.date(2026, 11, 19), customer="C1").notices
    assert [(i.number, str(i.chased)) for i in notice.items] == [
        (INV1, "16.00 USD"),
        (INV2, "58.00 USD"),
    ]
    assert str(notice.total) == "74.00 USD"


def test_45_days_overdue_with_a_15_30_45_policy_gets_exactly_the_third_step(book: Book) -> None:
    _book(book)
    book.set_dunning_policy(
        DunningPolicy.parse("standard", "15 reminder, 30 statement, 45 final_notice")
    )
    book.add_promise("C1", dt.date(2026, 12, 10), date=dt.date(2026, 12, 1))
    assert book.run_dunning(dt.date(2026, 12, 13), customer="C1").notices == ()
    # 2026-12-15 is 45 days after the due date; the promise broke on 2026-12-14.
    (notice,) = book.run_dunning(dt.date(2026, 12, 15), customer="C1").notices
    assert (notice.step, notice.action) == (3, DunningAction.FINAL_NOTICE)
    assert [(i.number, i.days_past_due) for i in notice.items] == [(INV1, 45), (INV2, 45)]
    assert [n.step for n in book.list_dunning_notices(customer="C1")] == [3]


def test_only_payments_to_the_promised_items_or_unapplied_count(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, documents=[INV2], date=NOV_5)
    assert str(book.promise("PTP0000000001").promise.amount) == "58.00 USD"
    # 116.00 applied to INV 1, which the promise does not cover: nothing counts.
    pay = book.record_payment("C1", usd("116.00"), date=dt.date(2026, 11, 10))
    book.allocate(pay.id, {INV1: usd("116.00")}, date=dt.date(2026, 11, 10))
    # 58.00 paid and not yet applied: it is the customer's money, it counts.
    book.record_payment("C1", usd("58.00"), date=dt.date(2026, 11, 12))
    outcome = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 30))
    assert (outcome.status, str(outcome.paid)) == (PromiseStatus.KEPT, "58.00 USD")


def test_payments_before_the_promise_was_taken_do_not_count(book: Book) -> None:
    _book(book)
    book.record_payment("C1", usd("50.00"), date=dt.date(2026, 11, 1))
    book.add_promise("C1", NOV_15, amount=usd("50.00"), date=NOV_5)
    assert book.promise("PTP0000000001", as_of=dt.date(2026, 11, 19)).status is PromiseStatus.BROKEN


def test_a_promise_can_name_a_recorded_note_of_the_customer(book: Book) -> None:
    _book(book)
    note = book.add_note("customer", "C1", channel="email", summary="will pay on the 15th")
    other = book.add_note("customer", "C2", channel="email", summary="other")
    taken = book.add_promise("C1", NOV_15, note=note.id, date=NOV_5)
    assert taken.promise.note_id == note.id
    assert len(book.list_notes(customer="C1")) == 1
    with pytest.raises(ValidationError, match="a note of customer C1"):
        book.add_promise("C1", NOV_15, note=other.id, date=NOV_5)
    with pytest.raises(NotFound):
        book.add_promise("C1", NOV_15, note="NT-999999", date=NOV_5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"documents": ["INV-2026-000003"]}, "an item of customer C1"),
        ({"amount": Money.of("10.00", "EUR")}, "a customer with an open item to promise"),
        ({"amount": usd("0.00")}, "an amount > 0"),
        ({"promised_on": dt.date(2026, 11, 1)}, "on or after the day it is taken"),
    ],
)
def test_a_refused_promise_changes_nothing(
    book: Book, kwargs: dict[str, object], message: str
) -> None:
    _book(book)
    tables = {t: _count(book, t) for t in ("promises", "promise_items", "notes", "audit_events")}
    args: dict[str, object] = {"date": NOV_5, "promised_on": NOV_15, **kwargs}
    with pytest.raises(ValidationError, match=message):
        book.add_promise("C1", **args)  # type: ignore[arg-type]
    assert {t: _count(book, t) for t in tables} == tables


def test_a_settled_item_cannot_be_promised(book: Book) -> None:
    _book(book)
    book.record_payment("C1", usd("116.00"), date=dt.date(2026, 11, 1), allocate=True)
    with pytest.raises(ValidationError, match="an item open on 2026-11-05"):
        book.add_promise("C1", NOV_15, documents=[INV1], date=NOV_5)


def test_the_grace_days_come_from_the_setting_when_the_promise_is_taken(book: Book) -> None:
    _book(book)
    book.set_policy_settings({"promise.grace_days": "0"})
    book.add_promise("C1", NOV_15, date=NOV_5)
    book.set_policy_settings({"promise.grace_days": "10"})
    assert book.promise("PTP0000000001").promise.grace_days == 0
    book.record_payment("C1", usd("174.00"), date=dt.date(2026, 11, 16), allocate=True)
    assert book.promise("PTP0000000001", as_of=dt.date(2026, 11, 30)).status is PromiseStatus.BROKEN


def test_a_repeated_idempotency_key_returns_the_first_promise(book: Book) -> None:
    _book(book)
    first = book.add_promise("C1", NOV_15, date=NOV_5, idempotency_key="ptp-c1")
    again = book.add_promise("C1", NOV_15, date=NOV_5, idempotency_key="ptp-c1")
    assert again == first
    assert _count(book, "promises") == 1


def test_the_promise_kept_rate_counts_promises_judged_in_the_period(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, documents=[INV1], date=NOV_5)  # kept on time
    book.add_promise("C1", NOV_15, documents=[INV2], date=NOV_5)  # broken
    book.add_promise("C2", dt.date(2026, 11, 20), date=NOV_5)  # kept late
    book.add_promise("C2", dt.date(2026, 12, 20), amount=usd("1.00"), date=NOV_5)  # later
    pay = book.record_payment("C1", usd("116.00"), date=dt.date(2026, 11, 14))
    book.allocate(pay.id, {INV1: usd("116.00")}, date=dt.date(2026, 11, 14))
    book.record_payment("C2", usd("116.00"), date=dt.date(2026, 11, 22), allocate=True)
    rate = book.promise_kept_rate(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (rate.judged, rate.kept, rate.kept_late, rate.partly_kept, rate.broken) == (
        3,
        1,
        1,
        0,
        1,
    )
    assert rate.rate == Decimal(2) / Decimal(3)
    assert book.promise_kept_rate(dt.date(2026, 10, 1), dt.date(2026, 10, 31)).rate is None


def test_the_outcome_as_of_a_date_does_not_change_with_later_events(book: Book) -> None:
    _book(book)
    book.add_promise("C1", NOV_15, date=NOV_5)
    before = book.promise("PTP0000000001", as_of=dt.date(2026, 11, 12))
    book.record_payment("C1", usd("174.00"), date=dt.date(2026, 11, 13), allocate=True)
    assert book.promise("PTP0000000001", as_of=dt.date(2026, 11, 12)) == before
    assert book.promise("PTP0000000001", as_of=dt.date(2026, 11, 13)).status is PromiseStatus.KEPT
