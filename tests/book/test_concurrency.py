"""Numbers stay unique and gapless when several processes issue at once."""

from __future__ import annotations

import multiprocessing

from o2c.billing import DocumentKind, parse_number
from o2c.billing.numbering import default_series
from o2c.book import Book
from tests.book.factories import customer
from tests.book.workers import issue_invoices

PER_PROCESS = 500


def test_two_processes_issuing_500_invoices_each_get_1000_distinct_gapless_numbers(
    book: Book, book_location: str
) -> None:
    book.add_customer(customer("C1"))
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.starmap(
            issue_invoices, [(book_location, "A", PER_PROCESS), (book_location, "B", PER_PROCESS)]
        )
    numbers = [n for batch in results for n in batch]
    series = default_series(DocumentKind.INVOICE)
    sequence = sorted(parse_number(series, n)[1] for n in numbers)
    assert sequence == list(range(1, 2 * PER_PROCESS + 1))
    assert all(a < b for a, b in zip(results[0], results[0][1:], strict=False))
    stored = book.store.query("SELECT COUNT(DISTINCT number) FROM documents")
    assert stored == [(2 * PER_PROCESS,)]
    assert book.verify_audit() == ()
