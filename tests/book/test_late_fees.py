"""Late fees charged by the dunning run: one debit note per overdue invoice, posted.

C1 owes INV-2026-000001 of 1,000.00 USD (862.07 + 16 % tax), due 2026-10-31; the
standard late-fee policy is 12 % a year, simple daily interest.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.billing import DocumentKind
from o2c.book import Book
from o2c.errors import PeriodClosed, ValidationError
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT_1, NOV_30 = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
INV1 = "INV-2026-000001"


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _book(book: Book, policy: str = "interest 12%") -> None:
    book.add_customer(customer("C1"))
    book.create_invoice(invoice_draft("D1", "C1", (("X", "1", "862.07"),)), issue_date=OCT_1)
    book.set_policy_settings({"late_fee.standard": policy})


def test_a_30_day_overdue_invoice_is_charged_9_86_by_a_debit_note(book: Book) -> None:
    _book(book)
    plan = book.plan_late_fees(NOV_30)
    assert [(f.number, f.days, str(f.amount)) for f in plan.fees] == [(INV1, 30, "9.86 USD")]
    run = book.run_dunning(NOV_30)
    (charged,) = run.late_fees
    note = book.get_document(charged.debit_note_id)
    assert (note.kind, note.number, note.reference, str(note.totals.payable)) == (
        DocumentKind.DEBIT_NOTE,
        "DN-2026-000001",
        "D1",
        "9.86 USD",
    )
    (line,) = note.lines
    assert line.description == (
        f"Late interest on {INV1}: 1000.00 USD at 12% a year for 30 days (2026-10-31 to 2026-11-30)"
    )
    assert str(line.taxes[0].amount) == "0.00 USD"
    (bal,) = book.balances(NOV_30, customer="C1")
    assert str(bal.receivable) == "1009.86 USD"
    assert book.reconcile(NOV_30).differences == ()
    assert [c.debit_note_id for c in book.list_late_fees(document=INV1)] == [note.id]


def test_a_second_run_charges_only_the_days_since_the_last_charge(book: Book) -> None:
    _book(book)
    book.run_dunning(NOV_30)
    assert book.run_dunning(NOV_30).late_fees == ()
    (later,) = book.run_dunning(dt.date(2026, 12, 31)).late_fees
    # 31 days from 2026-11-30 on the invoice's 1,000.00; the debit note is not charged.
    assert (later.fee.start, later.fee.days, str(later.fee.amount)) == (
        NOV_30,
        31,
        "10.19 USD",
    )


def test_disputed_and_extended_invoices_are_not_charged(book: Book) -> None:
    _book(book)
    book.create_invoice(invoice_draft("D2", "C1", (("X", "1", "100.00"),)), issue_date=OCT_1)
    book.open_dispute("D1", reason="wrong_price", amount=usd("10.00"), date=dt.date(2026, 11, 2))
    book.grant_extension("D2", dt.date(2026, 11, 30), reason="asked", date=OCT_1)
    run = book.run_dunning(NOV_30)
    assert run.late_fees == ()
    plan = book.plan_late_fees(NOV_30)
    assert [(s.number, s.reason) for s in plan.skipped] == [
        (INV1, "disputed"),
        ("INV-2026-000002", "extended to 2026-11-30"),
    ]


def test_a_fixed_fee_is_charged_once_per_invoice(book: Book) -> None:
    _book(book, "fixed 25.00 USD")
    (fee,) = book.run_dunning(NOV_30).late_fees
    assert str(fee.fee.amount) == "25.00 USD"
    assert book.run_dunning(dt.date(2026, 12, 31)).late_fees == ()


def test_without_a_policy_nothing_is_charged(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=OCT_1)
    assert book.run_dunning(NOV_30).late_fees == ()
    assert book.plan_late_fees(NOV_30).fees == ()


def test_an_unreadable_policy_is_refused_when_it_is_set(book: Book) -> None:
    events = len(book.audit_log())
    with pytest.raises(ValidationError, match=r"late_fee\.standard"):
        book.set_policy_settings({"late_fee.standard": "monthly 2%"})
    assert len(book.audit_log()) == events
    assert book.policy_settings() == {}


def test_a_run_whose_debit_note_cannot_post_changes_nothing(book: Book) -> None:
    _book(book)
    book.close_period("2026-10")
    book.close_period("2026-11")
    tables = ("documents", "journal_lines", "dunning_notices", "late_fees", "audit_events")

    def counts() -> dict[str, int]:
        found = {}
        for table in tables:
            row = book.store.query_one(f"SELECT COUNT(*) FROM {table}")
            assert row is not None
            found[table] = int(row[0])
        return found

    before = counts()
    with pytest.raises(PeriodClosed):
        book.run_dunning(NOV_30)  # the notice and the fee's debit note in one transaction
    assert counts() == before
