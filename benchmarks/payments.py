"""Benchmark: import the reference workload's payments and allocations into a billed Book.

The book (customers, one contract per workload invoice, a bill run of December 2025) is
built once per ``--n`` with the same bulk paths as ``benchmarks/bill_run.py`` and kept
in the work folder; each run copies it and times only :meth:`o2c.book.Book.import_payments`
of the workload's payments (with their allocations). Customer balances and AR are then
checked to the cent against the workload's ``expected`` record, and the journal must
balance.

Usage: python benchmarks/payments.py [--n 10000] [--batch 20000] [--keep DIR] [--profile OUT]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import expected, generate
from bill_run import MXN, PERIOD, payments, seed

from o2c.book import Book
from o2c.money import Money


def billed_book(folder: Path, workload: Path, n: int) -> Path:
    """A book with the workload's invoices issued (built once, then reused)."""
    ready = folder / f"billed-{n}.o2c"
    if ready.exists():
        return ready
    building = folder / f"building-{n}.o2c"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    seed(workload, f"sqlite:///{building}")
    book = Book.open(f"sqlite:///{building}", actor="bench")
    result = book.bill_run(PERIOD, batch_size=2000)
    assert not result.exceptions, result.exceptions[:3]
    book.close()
    building.rename(ready)
    return ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="invoices in the workload")
    parser.add_argument("--batch", type=int, default=20_000, help="payments per batch")
    parser.add_argument("--sync", default="full", choices=["full", "normal"])
    parser.add_argument("--keep", type=Path, help="keep the workload and books in this folder")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the import here")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="o2c-pay-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    workload = folder / f"wl-{args.n}.jsonl"
    if not workload.exists():
        generate(args.n, workload)
    want = expected(workload)
    t0 = time.perf_counter()
    ready = billed_book(folder, workload, args.n)
    build_s = time.perf_counter() - t0
    book_path = folder / "payments.o2c"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book_path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(ready, book_path)
    book = Book.open(f"sqlite:///{book_path}?synchronous={args.sync}", actor="bench")
    pays, allocs = payments(workload)
    profiler = cProfile.Profile() if args.profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    paid = book.import_payments(pays, allocs, batch_size=args.batch)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    pay_s = time.perf_counter() - t0
    pay_cpu = time.process_time() - c0
    again = book.import_payments(
        pays[:100], [a for a in allocs if a.source in {p.id for p in pays[:100]}]
    )
    as_of = dt.date(2026, 12, 31)
    balances = book.balances(as_of)
    outstanding = sum((b.receivable for b in balances), Money.zero(MXN))
    by_customer = {str(b.customer): b.receivable for b in balances}
    # Per customer: what the book invoiced less what the workload paid, to the cent.
    paid_by: dict[str, Decimal] = {}
    for p in pays:
        paid_by[str(p.customer)] = paid_by.get(str(p.customer), Decimal(0)) + p.amount.amount
    with book.store.transaction(write=False):
        billed = {
            str(c): Money.from_minor(int(m), MXN)
            for c, m in book.store.query(
                "SELECT customer_id, SUM(payable_minor) FROM documents GROUP BY customer_id"
            )
        }
    want_by = {c: m - Money.of(paid_by.get(c, Decimal(0)), MXN) for c, m in billed.items()}
    want_by = {c: m for c, m in want_by.items() if not m.is_zero}
    got_by = {c: m for c, m in by_customer.items() if not m.is_zero}
    checks = {
        "payments": paid == want["n_payments"],
        "idempotent": again == 0,
        "ar_outstanding": outstanding == Money.of(want["ar_outstanding"], MXN),
        "total_paid": sum((p.amount for p in pays), Money.zero(MXN))
        == Money.of(want["total_paid"], MXN),
        "customer_balances": got_by == want_by and len(got_by) == want["customers_with_balance"],
        "trial_balance": book.trial_balance(as_of).is_balanced,
    }
    book.close()
    print(f"o2c payments import benchmark: {len(pays):,} payments, {len(allocs):,} allocations")
    print(f"  billed book ready (built or reused, not timed below)  {build_s:8.2f} s")
    print(
        f"  import_payments                         {pay_s:8.2f} s  "
        f"{len(pays) / pay_s:10,.0f} payments/s; cpu {pay_cpu:.2f} s"
    )
    print("  checks: " + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items()))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
