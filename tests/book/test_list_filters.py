"""Book list queries take the CLI's filters, pushed into the store's query (issue 23).

``start`` and ``end`` are both included (the one date convention of lists and exports);
``after`` is a keyset cursor, so pages of ``limit`` read back the whole list exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.errors import NotFound, ValidationError
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT: Final = [dt.date(2026, 10, day) for day in range(1, 32)]


def _numbers(docs: Sequence[Any]) -> list[str]:
    return [d.number or d.id for d in docs]


def _fill(book: Book) -> None:
    """Twelve documents: D-01..D-10 issued on Oct 1..10 (odd ones to C2), two drafts."""
    book.add_customer(customer("C1"))
    book.add_customer(customer("C2", name="Beta LLC"))
    for n in range(1, 13):
        who = "C2" if n % 2 else "C1"
        book.create_draft(invoice_draft(f"D-{n:02}", who))
        if n <= 10:
            book.issue_document(f"D-{n:02}", issue_date=OCT[n - 1])


def _inv(*seq: int) -> list[str]:
    return [f"INV-2026-{n:06}" for n in seq]


def test_from_and_to_both_include_their_day(book: Book) -> None:
    _fill(book)
    found = book.list_documents(start=OCT[2], end=OCT[4])
    assert _numbers(found) == _inv(3, 4, 5)
    assert [d.issue_date for d in found] == [OCT[2], OCT[3], OCT[4]]
    assert _numbers(book.list_documents(start=OCT[9], end=OCT[9])) == _inv(10)


def test_dated_lists_leave_drafts_out_undated_lists_keep_them(book: Book) -> None:
    _fill(book)
    assert len(book.list_documents()) == 12
    assert len(book.list_documents(end=OCT[30])) == 10
    assert [d.id for d in book.list_documents(status="draft")] == ["D-11", "D-12"]


def test_filters_combine(book: Book) -> None:
    _fill(book)
    found = book.list_documents(customer="C1", start=OCT[1], end=OCT[7], status="issued")
    assert _numbers(found) == _inv(2, 4, 6, 8)
    assert _numbers(book.list_documents(customer="C2", limit=2)) == _inv(1, 3)


def test_after_takes_a_number_or_an_id(book: Book) -> None:
    _fill(book)
    by_number = book.list_documents(after="INV-2026-000008")
    by_id = book.list_documents(after="D-08")
    assert [d.id for d in by_number] == [d.id for d in by_id] == ["D-09", "D-10", "D-11", "D-12"]


def test_iter_documents_streams_what_list_documents_returns(book: Book) -> None:
    _fill(book)
    assert [d.id for d in book.iter_documents(customer="C1", limit=4)] == [
        d.id for d in book.list_documents(customer="C1", limit=4)
    ]


def test_bad_ranges_and_cursors_are_refused_naming_the_field(book: Book) -> None:
    _fill(book)
    with pytest.raises(ValidationError) as backwards:
        book.list_documents(start=OCT[5], end=OCT[4])
    assert (backwards.value.field, str(backwards.value)) == (
        "end",
        "end: expected a day on or after 2026-10-06, got '2026-10-05'",
    )
    with pytest.raises(ValidationError) as zero:
        book.list_payments(limit=0)
    assert zero.value.field == "limit"
    with pytest.raises(NotFound, match="document INV-2099-000001 not found"):
        book.list_documents(after="INV-2099-000001")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=15)
@given(size=st.integers(min_value=1, max_value=13), who=st.sampled_from([None, "C1", "C2"]))
def test_pages_read_back_the_whole_list_once(book: Book, size: int, who: str | None) -> None:
    if not book.list_customers():
        _fill(book)
    whole = [d.id for d in book.list_documents(customer=who)]
    pages: list[str] = []
    cursor: str | None = None
    while True:
        page = [d.id for d in book.list_documents(customer=who, after=cursor, limit=size)]
        pages += page
        if len(page) < size:
            break
        cursor = page[-1]
    assert pages == whole


def _spy(book: Book, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the rows each store query returns."""
    counts: list[int] = []
    query: Callable[..., Any] = book.store.query

    def counting(*args: Any, **kwargs: Any) -> Any:
        rows = list(query(*args, **kwargs))
        counts.append(len(rows))
        return rows

    monkeypatch.setattr(book.store, "query", counting)
    return counts


def test_payment_list_is_bounded_in_the_query(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    book.add_customer(customer("C1"))
    for day in range(1, 21):
        book.record_payment(
            "C1", Money.of("10.00", "USD"), date=OCT[day - 1], payment_id=f"P-{day:02}"
        )
    dated = book.list_payments(start=OCT[4], end=OCT[6])
    assert [(p.id, p.date) for p in dated] == [
        ("P-05", OCT[4]), ("P-06", OCT[5]), ("P-07", OCT[6])
    ]  # fmt: skip
    counts = _spy(book, monkeypatch)
    page = book.list_payments(after="P-10", limit=3)
    assert [p.id for p in page] == ["P-11", "P-12", "P-13"]
    assert counts == [3]  # the store read three rows, not twenty


def test_document_numbers_name_issued_documents_by_number_and_drafts_by_id(book: Book) -> None:
    _fill(book)
    assert book.document_numbers(["D-01", "D-12", "D-99"]) == {
        "D-01": "INV-2026-000001",
        "D-12": "D-12",
    }


def test_refund_and_write_off_lists_take_inclusive_dates_and_a_limit(book: Book) -> None:
    _fill(book)
    book.record_payment("C1", Money.of("100.00", "USD"), date=OCT[19], payment_id="P-1")
    for day in (20, 22, 24):
        book.refund("P-1", Money.of("10.00", "USD"), reason="overpaid", date=OCT[day])
    for doc, day in (("D-02", 20), ("D-04", 22), ("D-06", 24)):
        book.write_off(doc, Money.of("5.00", "USD"), date=OCT[day])
    refunds = book.list_refunds(start=OCT[22], end=OCT[24])
    assert [r.paid_on for r in refunds] == [OCT[22], OCT[24]]
    assert len(book.list_refunds(customer="C1", limit=2)) == 2
    assert book.list_refunds(customer="C2") == []
    offs = book.list_write_offs(start=OCT[21], end=OCT[22])
    assert [(w.document_id, w.date) for w in offs] == [("D-04", OCT[22])]
    assert [w.document_id for w in book.list_write_offs(limit=2)] == ["D-02", "D-04"]
    with pytest.raises(ValidationError):
        book.list_write_offs(start=OCT[5], end=OCT[1])
