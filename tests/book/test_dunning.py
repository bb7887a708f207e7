"""The dunning job on a book: preview, send once, skip disputes, follow extensions, credit hold."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.book import Book
from o2c.dunning import DunningAction, DunningPolicy
from o2c.errors import NotFound, ValidationError
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT_1 = dt.date(2026, 10, 1)


def _book(book: Book) -> None:
    """C1: INV 1 (116.00) and INV 2 (58.00) due 2026-10-31; C2 (segment vip): INV 3 (116.00)."""
    book.add_customer(customer("C1", "USD"))
    book.add_customer(attrs.evolve(customer("C2", "USD", name="Vip LLC"), collection_segment="vip"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D2", "C1", (("API", "2", "25.00"),)), issue_date=OCT_1)
    book.create_invoice(invoice_draft("D3", "C2"), issue_date=OCT_1)
    book.set_dunning_policy(DunningPolicy.parse("vip", "30 reminder"))


def _rows(book: Book, table: str) -> int:
    row = book.store.query_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def test_the_preview_shows_the_notices_and_writes_nothing(book: Book) -> None:
    _book(book)
    events = len(book.audit_log())
    plan = book.plan_dunning(dt.date(2026, 11, 20))  # 20 days past due
    assert [(n.customer, n.action, str(n.total)) for n in plan.notices] == [
        ("C1", DunningAction.STATEMENT, "174.00 USD"),
    ]
    # C2's vip policy waits 30 days.
    assert _rows(book, "dunning_notices") == 0
    assert len(book.audit_log()) == events


def test_a_run_sends_each_step_once_and_the_next_step_when_it_is_reached(book: Book) -> None:
    _book(book)
    first = book.run_dunning(dt.date(2026, 11, 20), actor="collector")
    (notice,) = first.notices
    assert notice.action is DunningAction.STATEMENT
    assert [i.number for i in notice.items] == ["INV-2026-000001", "INV-2026-000002"]
    assert str(notice.total) == "174.00 USD"
    assert notice.letter.startswith("Dear Acme Inc.,")
    assert "Total due now: $174.00" in notice.letter
    assert notice.created_by == "collector"
    assert book.run_dunning(dt.date(2026, 11, 20)).notices == ()
    assert book.run_dunning(dt.date(2026, 11, 25)).notices == ()
    later = book.run_dunning(dt.date(2026, 12, 1))  # 31 days: final notice; vip: reminder
    assert [(n.customer, n.action) for n in later.notices] == [
        ("C1", DunningAction.FINAL_NOTICE),
        ("C2", DunningAction.REMINDER),
    ]
    sent = book.list_dunning_notices(customer="C1")
    assert [n.action for n in sent] == [DunningAction.STATEMENT, DunningAction.FINAL_NOTICE]
    assert [n.id for n in book.list_dunning_notices(document="INV-2026-000003")] == [
        later.notices[1].id
    ]
    assert book.get_dunning_notice(notice.id) == notice


def test_disputed_parts_and_extended_items_are_not_chased(book: Book) -> None:
    _book(book)
    book.open_dispute(
        "D2", reason="wrong_price", amount=Money.of("20.00", "USD"), date=dt.date(2026, 11, 3)
    )
    book.grant_extension("D1", dt.date(2026, 11, 25), reason="promise to pay", date=OCT_1)
    run = book.run_dunning(dt.date(2026, 11, 20))
    (notice,) = run.notices
    (row,) = notice.items
    assert (row.number, str(row.open), str(row.disputed), str(row.chased)) == (
        "INV-2026-000002",
        "58.00 USD",
        "20.00 USD",
        "38.00 USD",
    )
    assert [(s.number, s.reason) for s in run.skipped] == [
        ("INV-2026-000001", "extended to 2026-11-25")
    ]
    # Once the extended date has passed by three days, the reminder goes out.
    (reminder,) = book.run_dunning(dt.date(2026, 11, 28)).notices
    assert reminder.action is DunningAction.REMINDER
    assert [(i.number, i.days_past_due) for i in reminder.items] == [("INV-2026-000001", 3)]
    assert reminder.items[0].due_date == dt.date(2026, 10, 31)


def test_a_credit_hold_lasts_while_a_chased_item_is_owed(book: Book) -> None:
    _book(book)
    run = book.run_dunning(dt.date(2026, 12, 20))  # 50 days: credit hold for C1
    assert run.credit_holds == ("C1",)
    assert book.credit_holds(dt.date(2026, 12, 20)) == ["C1"]
    book.record_payment("C1", Money.of("174.00", "USD"), date=dt.date(2026, 12, 21), allocate=True)
    assert book.credit_holds(dt.date(2026, 12, 20)) == ["C1"]  # as of then, still owed
    assert book.credit_holds(dt.date(2026, 12, 21)) == []


def test_a_repeated_idempotency_key_returns_the_first_runs_notices(book: Book) -> None:
    _book(book)
    first = book.run_dunning(dt.date(2026, 11, 20), idempotency_key="dunning-2026-11-20")
    again = book.run_dunning(dt.date(2026, 11, 20), idempotency_key="dunning-2026-11-20")
    assert again == first
    assert _rows(book, "dunning_notices") == 1


def test_the_store_refuses_a_step_sent_twice_for_an_item(book: Book) -> None:
    _book(book)
    book.run_dunning(dt.date(2026, 11, 20))
    (notice,) = book.list_dunning_notices()
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), book.store.transaction():
        book.store.execute(
            "INSERT INTO dunning_items (notice_id, document_id, step, days_past_due,"
            " open_minor, disputed_minor, chased_minor) VALUES (?, 'D1', 2, 20, 1, 0, 1)",
            (notice.id,),
        )
    assert _rows(book, "dunning_items") == 2


def test_policies_live_in_the_book_settings(book: Book) -> None:
    _book(book)
    book.set_dunning_policy(
        DunningPolicy.parse("standard", "5 reminder, 25 final_notice", "10.00 USD")
    )
    policies = book.dunning_policies()
    assert policies.default.steps_text() == "5 reminder, 25 final_notice"
    assert policies.default.minimum_text() == "10.00 USD"
    assert [p.segment for p in policies.segments] == ["vip"]
    plan = book.plan_dunning(dt.date(2026, 11, 20))
    assert [n.action for n in plan.notices] == [DunningAction.REMINDER]


def test_bad_input_is_refused_by_name(book: Book) -> None:
    with pytest.raises(ValidationError, match=r"dunning\.standard"):
        DunningPolicy.parse("standard", "5 reminders")
    with pytest.raises(NotFound, match="DN-404"):
        book.get_dunning_notice("DN-404")
