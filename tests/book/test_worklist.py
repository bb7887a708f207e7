"""The collector's worklist: ranked by overdue amount, then age; contacts, promises, disputes.

As of 2026-12-10:

* C3 owes INV-2026-000004 (1,160.00, due 2026-12-01): 1,160.00 overdue 9 days;
* C1 owes INV 1 (116.00) and INV 2 (58.00), due 2026-10-31: 174.00 overdue 40 days,
  promised on 2026-12-05 to pay by 2026-12-20 (pending);
* C2 owes INV 3 (116.00, due 2026-10-31) of which 100.00 is disputed: 16.00 overdue 40
  days, and its promise to pay by 2026-11-25 broke.
"""

from __future__ import annotations

import datetime as dt

import attrs

from o2c.book import Book
from o2c.money import Money
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft

OCT_1, NOV_1, DEC_10 = dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 10)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _book(book: Book, clock: FakeClock) -> None:
    book.add_customer(customer("C1"))
    book.add_customer(customer("C2", name="Vip LLC"))
    book.add_customer(attrs.evolve(customer("C3", name="Big Co"), credit_limit=usd("5000.00")))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D2", "C1", (("API", "2", "25.00"),)), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D3", "C2"), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D4", "C3", (("X", "10", "100.00"),)), issue_date=NOV_1)
    book.open_dispute("D3", reason="wrong_price", amount=usd("100.00"), date=dt.date(2026, 11, 3))
    clock.now = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
    book.add_promise("C2", dt.date(2026, 11, 25), date=dt.date(2026, 11, 20), actor="bo")
    clock.now = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    book.add_promise("C1", dt.date(2026, 12, 20), date=dt.date(2026, 12, 5), channel="email")


def test_the_worklist_ranks_by_overdue_amount_then_age(book: Book, clock: FakeClock) -> None:
    _book(book, clock)
    rows = book.collections_worklist(DEC_10)
    assert [(r.rank, r.customer, str(r.overdue), r.oldest_days, r.items) for r in rows] == [
        (1, "C3", "1160.00 USD", 9, 1),
        (2, "C1", "174.00 USD", 40, 2),
        (3, "C2", "16.00 USD", 40, 1),
    ]
    c3, c1, c2 = rows
    assert (c3.name, c3.last_contact, c3.promises_pending, c3.on_hold) == ("Big Co", None, 0, False)
    assert (str(c1.promised), c1.promises_pending, c1.promises_not_kept) == ("174.00 USD", 1, 0)
    assert c1.last_contact is not None
    assert (c1.last_contact.channel, c1.last_contact.author) == ("email", "ana")
    assert c1.last_contact.summary == (
        "Promised to pay 174.00 USD by 2026-12-20 (INV-2026-000001, INV-2026-000002)"
    )
    assert (str(c2.disputed), str(c2.open), c2.promises_pending, c2.promises_not_kept) == (
        "100.00 USD",
        "116.00 USD",
        0,
        1,
    )
    assert c2.last_contact is not None
    assert c2.last_contact.when == dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def test_nothing_overdue_is_not_on_the_worklist(book: Book, clock: FakeClock) -> None:
    _book(book, clock)
    rows = book.collections_worklist(dt.date(2026, 10, 31))  # due today: not overdue yet
    assert rows == []
    book.record_payment("C3", usd("1160.00"), date=DEC_10, allocate=True)
    assert [r.customer for r in book.collections_worklist(DEC_10)] == ["C1", "C2"]


def test_contacts_after_the_day_asked_about_are_not_shown(book: Book, clock: FakeClock) -> None:
    _book(book, clock)
    (c1,) = book.collections_worklist(dt.date(2026, 12, 4), customer="C1")
    assert c1.last_contact is None  # the promise was taken on 2026-12-05
    assert c1.promises_pending == 0


def test_a_pending_promise_keeps_the_credit_hold_off_and_a_broken_one_does_not(
    book: Book, clock: FakeClock
) -> None:
    _book(book, clock)
    day = dt.date(2026, 12, 16)  # 46 days past due
    assert book.run_dunning(day).credit_holds == ("C2",)
    rows = {str(r.customer): r for r in book.collections_worklist(day)}
    assert (rows["C1"].on_hold, rows["C2"].on_hold) == (False, True)
    assert book.credit_check("C2", as_of=day).reason == "customer C2 is on credit hold"
