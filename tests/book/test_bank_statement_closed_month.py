"""A bank statement with lines in a closed month is refused whole and changes nothing.

It used to report "0 payments recorded" for a statement whose lines matched nothing
(September closed) and still write an audit event and move the audit chain's head; a
matched line was refused naming only the date. Now every line in a closed month is
named with its closed period, and every table is as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.errors import PeriodClosed
from o2c.ledger import parse_bank_csv
from o2c.store import Dialect, Store
from tests.book.factories import customer, invoice_draft


def _dump(store: Store) -> dict[str, list[str]]:
    """Every row of every table, as text, sorted (the whole store)."""
    if store.dialect is Dialect.SQLITE:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    tables = sorted(str(r[0]) for r in store.query(query))
    return {t: sorted(repr(tuple(r)) for r in store.query(f"SELECT * FROM {t}")) for t in tables}


@pytest.fixture
def september_closed(book: Book) -> Book:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=dt.date(2026, 9, 1))
    book.close_period("2026-09")
    return book


def test_statement_of_unmatched_lines_in_a_closed_month_changes_nothing(
    september_closed: Book,
) -> None:
    lines = parse_bank_csv(
        "date,amount,currency,reference,remittance\n2026-09-21,5.00,USD,TX-2,?\n", "sep.csv"
    ).lines
    before = _dump(september_closed.store)
    with pytest.raises(PeriodClosed) as caught:
        september_closed.apply_bank_statement(lines)
    assert str(caught.value) == (
        "bank statement refused, nothing recorded: 1 line is dated in a closed period: "
        "sep.csv row 2 (TX-2, 2026-09-21, 5.00 USD) is in 2026-09; reopen the period or "
        "record those payments in an open month"
    )
    assert caught.value.period == "2026-09"
    assert _dump(september_closed.store) == before


def test_statement_with_one_line_in_a_closed_month_records_none_of_its_lines(
    september_closed: Book,
) -> None:
    lines = parse_bank_csv(
        "date,amount,currency,reference,remittance\n"
        "2026-10-02,116.00,USD,TX-1,INV-2026-000001\n"
        "2026-09-30,5.00,USD,TX-2,?\n",
        "mixed.csv",
    ).lines
    before = _dump(september_closed.store)
    with pytest.raises(PeriodClosed, match=r"mixed\.csv row 3 \(TX-2, 2026-09-30, 5\.00 USD\)"):
        september_closed.apply_bank_statement(lines)
    assert _dump(september_closed.store) == before
    assert september_closed.list_payments() == []


def test_lines_imported_before_the_month_closed_are_skipped_not_refused(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=dt.date(2026, 9, 1))
    text = "date,amount,currency,reference,remittance\n2026-09-20,116.00,USD,TX-1,INV-2026-000001\n"
    lines = parse_bank_csv(text, "sep.csv").lines
    assert book.apply_bank_statement(lines).payments == ("TX-1",)
    book.close_period("2026-09")
    again = book.apply_bank_statement(lines)
    assert (again.payments, again.duplicates) == ((), 1)
