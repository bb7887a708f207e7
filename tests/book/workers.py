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


def bill_and_die_after(location: str, period: str, batches: int, workers: int = 1) -> None:
    """Start a bill run of ``period`` in batches of 5 and kill this process (SIGKILL, as
    ``kill -9`` or the OOM killer would) once ``batches`` batches have committed."""
    import os
    import signal

    from o2c.book import BillRunProgress

    def progress(step: BillRunProgress) -> None:
        if step.contracts_done >= 5 * batches:
            os.kill(os.getpid(), signal.SIGKILL)

    with Book.open(location, actor="night-run") as book:
        book.bill_run(period, batch_size=5, progress=progress, workers=workers)


def bill_period(location: str, period: str) -> int:
    """Run the bill run of ``period`` in batches of 5; return how many invoices it made."""
    with Book.open(location, actor="night-run") as book:
        return len(book.bill_run(period, batch_size=5).document_ids)
