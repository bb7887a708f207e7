"""A bill run with worker processes stores exactly what a run in one process stores.

Workers plan batches while another batch is written, but batches are written one at a
time in contract order, so every row (numbers, journal entry ids, the audit trail's hash
chain) must come out the same. The book mixes contracts of both planners, exceptions and
sales orders, so batches of both paths and the sales orders after them are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from o2c.book import BillRunProgress, Book
from o2c.errors import PeriodClosed, ValidationError
from tests.perf_equivalence.test_compact_path import (
    MIXED,
    TABLES,
    _dump,
    _fill,
)

OCT = "2026-10"


def _billed(
    open_book: Callable[[str], Book], name: str, workers: int, batch: int, **how: Any
) -> tuple[dict[str, list[tuple[Any, ...]]], list[Any]]:
    book = open_book(name)
    try:
        _fill(book, MIXED)
        seen: list[BillRunProgress] = []
        first = book.bill_run(OCT, batch_size=batch, workers=workers, progress=seen.append, **how)
        again = book.bill_run(OCT, batch_size=batch, workers=workers, **how)
        results = [
            (r.document_ids, r.totals, r.exceptions, r.skipped, r.run_id) for r in (first, again)
        ]
        assert book.verify_audit() == ()
        return _dump(book), [*results, seen]
    finally:
        book.close()


@pytest.mark.parametrize(("batch", "how"), [(3, {}), (4, {"issue": False}), (5, {"dry_run": True})])
def test_two_workers_store_the_same_rows_as_one_process(
    open_book: Callable[[str], Book], batch: int, how: dict[str, bool]
) -> None:
    one, one_results = _billed(open_book, "one", 1, batch, **how)
    two, two_results = _billed(open_book, "two", 2, batch, **how)
    for table in TABLES:
        assert two[table] == one[table], table
    assert two_results == one_results
    if not how:
        # The re-run billed nothing: every contract period was billed once.
        assert one_results[1][0] == ()
        numbers = [row[4] for row in one["documents"]]
        assert len(numbers) == len(set(numbers)) > batch


def test_a_worker_error_reaches_the_caller_and_keeps_the_batches_before_it(
    open_book: Callable[[str], Book],
) -> None:
    # The controller closes October once the first batch is in: the next batch, planned
    # by the other worker before the close, may not post into the closed month.
    book = open_book("closing")
    try:
        _fill(book, MIXED)

        def close_october(progress: BillRunProgress) -> None:
            if progress.contracts_done == 3:
                book.close_period(OCT, actor="controller")

        with pytest.raises(PeriodClosed, match="2026-10"):
            book.bill_run(OCT, batch_size=3, workers=2, progress=close_october)
        with book.store.transaction(write=False):
            contracts = book.store.query("SELECT contract_id FROM documents ORDER BY number")
        assert [r[0] for r in contracts] == ["K000", "K001", "K002"]  # the first batch
        assert book.trial_balance(dt.date(2026, 10, 31)).is_balanced
        assert book.verify_audit() == ()
    finally:
        book.close()


def test_an_in_memory_book_bills_in_its_own_process() -> None:
    with Book.open(":memory:", actor="ana") as book:
        _fill(book, MIXED[:4])
        one_by_one = book.bill_run(OCT, batch_size=1, workers=2)
        # K000 (with its sales order SO-2), K001 and K002; SO-1 on an invoice of its own.
        assert one_by_one.invoices == 4
        with pytest.raises(ValidationError, match="workers"):
            book.bill_run(OCT, workers=0)
