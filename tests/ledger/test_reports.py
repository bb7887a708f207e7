"""Statements, aging options and the reconciliation report."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.errors import ValidationError
from o2c.ids import AccountCode, CustomerId, EntryId
from o2c.ledger import (
    AgingBasis,
    AgingBucket,
    Allocation,
    DifferenceKind,
    EntryKind,
    JournalEntry,
    Posting,
    aging,
    buckets_from_bounds,
    credit_items,
    open_items,
    post_allocation,
    post_document,
    post_payment,
    reconcile,
    statement,
)
from tests.ledger.conftest import invoice, money, payment

C1 = CustomerId("C1")


def _journal() -> list[JournalEntry]:
    journal = [
        post_document(
            invoice("D1", "C1", dt.date(2026, 9, 5), dt.date(2026, 10, 5), "100.00"),
            entry_id=EntryId("E1"),
        ),
        post_document(
            invoice("D2", "C1", dt.date(2026, 10, 5), dt.date(2026, 11, 4), "200.00"),
            entry_id=EntryId("E2"),
        ),
        post_payment(payment("P1", "C1", dt.date(2026, 10, 20), "150.00"), entry_id=EntryId("E3")),
    ]
    day = dt.date(2026, 10, 21)
    (credit,) = credit_items(journal, day)
    item = open_items(journal, day)[0]
    alloc = Allocation("P1", C1, item.document_id, money("100.00"), day)
    journal.append(post_allocation(alloc, entry_id=EntryId("E4"), open_item=item, credit=credit))
    return journal


def test_statement_shows_opening_documents_payments_and_closing_balance() -> None:
    s = statement(_journal(), C1, "USD", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert str(s.opening) == "100.00 USD"
    assert [
        (ln.date, ln.kind, ln.reference, str(ln.amount), str(ln.balance)) for ln in s.lines
    ] == [
        (dt.date(2026, 10, 5), EntryKind.INVOICE, "N-D2", "200.00 USD", "300.00 USD"),
        (dt.date(2026, 10, 20), EntryKind.PAYMENT, "P1", "-150.00 USD", "150.00 USD"),
    ]
    assert str(s.closing) == "150.00 USD"
    assert [(i.document_id, str(i.open)) for i in s.open_items] == [("D2", "200.00 USD")]
    assert str(s.unapplied) == "50.00 USD"


def test_statement_shows_the_disputed_part_of_its_open_items_apart() -> None:
    s = statement(_journal(), C1, "USD", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert str(s.disputed) == "0.00 USD"  # the ledger alone knows no disputes
    (item,) = s.open_items
    # A dispute larger than what is open counts only what is open, as in aging.
    held = attrs.evolve(s, open_items=(attrs.evolve(item, disputed=money("250.00")),))
    assert str(held.disputed) == "200.00 USD"
    partly = attrs.evolve(s, open_items=(attrs.evolve(item, disputed=money("40.00")),))
    assert (str(partly.disputed), str(partly.closing)) == ("40.00 USD", "150.00 USD")


def test_statement_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        statement([], C1, "USD", dt.date(2026, 10, 2), dt.date(2026, 10, 1))


def test_aging_bucket_bounds_are_inclusive_and_basis_is_explicit() -> None:
    journal = _journal()
    as_of = dt.date(2026, 12, 4)  # D2 due 2026-11-04: exactly 30 days past due
    items = open_items(journal, as_of)
    by_due = aging(items, as_of).total("USD")
    assert [str(m) for m in by_due.buckets][:3] == ["0.00 USD", "200.00 USD", "0.00 USD"]
    # Document date 2026-10-05: 60 days, the last day of 31-60.
    by_doc = aging(items, as_of, basis=AgingBasis.DOCUMENT_DATE).total("USD")
    assert [str(m) for m in by_doc.buckets][:3] == ["0.00 USD", "0.00 USD", "200.00 USD"]
    custom = aging(items, as_of, buckets=buckets_from_bounds([29])).total("USD")
    assert [str(m) for m in custom.buckets] == ["0.00 USD", "0.00 USD", "200.00 USD"]


def test_disputed_part_and_extended_due_date_are_shown_apart() -> None:
    as_of = dt.date(2026, 12, 4)
    (item,) = open_items(_journal(), as_of)
    held = attrs.evolve(item, disputed=money("50.00"), extended_due=dt.date(2026, 12, 31))
    row = aging([held], as_of).total("USD")
    assert str(row.disputed) == "50.00 USD"
    assert [str(m) for m in row.buckets][:2] == ["150.00 USD", "0.00 USD"]
    assert str(row.total) == "200.00 USD"


def test_buckets_must_be_contiguous() -> None:
    with pytest.raises(ValidationError, match="contiguous"):
        aging(
            [], dt.date(2026, 1, 1), buckets=(AgingBucket("a", None, 0), AgingBucket("b", 2, None))
        )
    with pytest.raises(ValidationError):
        buckets_from_bounds([30, 30])


def test_reconciliation_names_every_difference() -> None:
    journal = _journal()
    day = dt.date(2026, 10, 31)
    # An AR posting without a customer, as a hand-made or tampered entry would have.
    journal.append(
        JournalEntry(
            EntryId("X1"),
            day,
            EntryKind.REVERSAL,
            "manual",
            (
                Posting(AccountCode("1100"), money("5.00")),
                Posting(AccountCode("4000"), money("-5.00")),
            ),
        )
    )
    stored = list(open_items(journal, day))
    stored[0] = attrs.evolve(stored[0], open=money("199.99"))
    report = reconcile(journal, day, items=stored)
    assert not report.ok
    assert [(d.kind, d.subject) for d in report.differences] == [
        (DifferenceKind.UNTAGGED_POSTING, "X1"),
        (DifferenceKind.ITEM_AMOUNT, "D2"),
        (DifferenceKind.TOTAL, "USD"),
    ]
    assert (
        report.differences[1].message
        == "open item D2: journal has 200.00 USD, the list has 199.99 USD"
    )
    (totals,) = report.totals
    assert (str(totals.control), str(totals.subledgers), str(totals.open_items)) == (
        "205.00 USD",
        "200.00 USD",
        "199.99 USD",
    )
