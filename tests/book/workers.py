"""Work done in child processes by the concurrency tests (importable under ``spawn``)."""

from __future__ import annotations

import datetime as dt

from o2c.book import Book
from tests.book.factories import invoice_draft


def issue_invoices(location: str, prefix: str, count: int) -> list[str]:
    """Create and issue ``count`` manual invoices; return their numbers."""
    numbers = []
    with Book.open(location, actor=f"worker-{prefix}") as book:
        for n in range(count):
            doc = book.create_invoice(
                invoice_draft(f"{prefix}-{n}"), issue_date=dt.date(2026, 10, 1)
            )
            assert doc.number is not None
            numbers.append(doc.number)
    return numbers
