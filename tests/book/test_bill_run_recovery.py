"""A bill run whose process died is taken over by the next run; nothing is billed twice."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from o2c.book import Book
from o2c.errors import Conflict
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import monthly_contract, mx_customer
from tests.book.workers import bill_and_die_after
from tests.store.backends import BACKENDS, book_url

CONTRACTS = 30
PERIOD = "2026-10"


def _book(location: str) -> None:
    with Book.open(location, actor="ana") as book:
        book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
        book.add_customers([mx_customer(f"C{n:02d}") for n in range(CONTRACTS)])
        book.add_contracts(
            [
                monthly_contract(f"K{n:02d}", f"C{n:02d}", (("support", "1", "100.00"),))
                for n in range(CONTRACTS)
            ]
        )


def _killed_run(location: str, batches: int, workers: int = 1) -> None:
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=bill_and_die_after, args=(location, PERIOD, batches, workers))
    child.start()
    child.join(120)
    assert child.exitcode == -9, child.exitcode


def _runs(book: Book) -> list[tuple[str, str, int]]:
    return [
        (str(r[0]), str(r[1]), int(r[2]))
        for r in book.store.query("SELECT id, status, invoices FROM bill_runs ORDER BY id")
    ]


def _invoices(book: Book) -> list[str]:
    return sorted(d.customer.customer_id for d in book.list_documents())


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh book with 30 contracts, on each configured store."""
    with book_url(request.param, tmp_path) as url:
        _book(url)
        yield url


def test_a_killed_run_is_taken_over_after_its_lease_and_the_next_bills_the_rest(
    location: str,
) -> None:
    _killed_run(location, batches=2)
    with Book.open(location, actor="ana") as book:
        assert _runs(book) == [("BR000001", "running", 0)]
        assert len(_invoices(book)) == 10
        # Moments later the dead run still looks alive: a second run is refused.
        with pytest.raises(Conflict, match=r"BR000001 .* is still running"):
            book.bill_run(PERIOD)
    later = FakeClock(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))
    with Book.open(location, actor="ana", clock=later) as book:
        result = book.bill_run(PERIOD)
        assert len(result.document_ids) == CONTRACTS - 10
        assert _runs(book) == [("BR000001", "failed", 10), ("BR000002", "done", 20)]
        note = book.store.query("SELECT note FROM bill_runs WHERE id = 'BR000001'")[0][0]
        assert str(note).startswith("abandoned: no batch committed since")
        assert _invoices(book) == [f"C{n:02d}" for n in range(CONTRACTS)]
        assert book.verify_audit() == ()
        assert book.trial_balance().is_balanced


def test_workers_of_a_killed_run_commit_nothing_after_it(location: str) -> None:
    _killed_run(location, batches=1, workers=2)
    with Book.open(location, actor="ana") as book:
        committed = len(_invoices(book))
        time.sleep(2.0)  # a worker left behind would commit its next batch meanwhile
        assert len(_invoices(book)) == committed
        assert committed < CONTRACTS
        assert book.verify_audit() == ()


def test_a_run_stopped_by_an_error_is_recorded_failed_at_once(location: str) -> None:
    class Interrupted(Exception):
        pass

    def stop(_step: object) -> None:
        raise Interrupted("operator pressed Ctrl-C")

    with Book.open(location, actor="ana") as book:
        with pytest.raises(Interrupted):
            book.bill_run(PERIOD, batch_size=5, progress=stop)
        assert _runs(book) == [("BR000001", "failed", 5)]
        note = book.store.query("SELECT note FROM bill_runs WHERE id = 'BR000001'")[0][0]
        assert note == "stopped: Interrupted: operator pressed Ctrl-C"
        resumed = book.bill_run(PERIOD)  # no lease to wait for
        assert len(resumed.document_ids) == CONTRACTS - 5
