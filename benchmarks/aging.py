"""Benchmark: aging over a million open items, computed in SQL by a SQLite Book.

The reference workload's generator (``shared/bench/workload.py``, imported so its
``expected`` record is computed by the same code) produces N invoices with no payments,
so every invoice is an open item. The book's journal is seeded with the entries the Book
posts for them (AR, revenue and tax lines; AR lines carry the item's date and due date)
and then aged as of the workload's date by document date, in the workload's brackets.
Buckets are checked to the cent against ``expected``; times are printed with the ratio to
the floor's aging SQL (``run_baseline.py``) on the same data.

Usage: python benchmarks/aging.py [--n 1000000] [--keep DIR] [--no-floor]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import bench_dir, floor

from o2c.book import Book
from o2c.calendar import PaymentTerms
from o2c.ids import CustomerId
from o2c.ledger import AgingBasis, AgingBucket
from o2c.money import Currency, Money
from o2c.parties import Address, Customer

MXN = Currency.of("MXN")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TAX = Decimal("0.16")


def workload_module() -> ModuleType:
    """Import the shared workload generator."""
    spec = importlib.util.spec_from_file_location("o2c_bench_workload", bench_dir() / "workload.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed(book: Book, records: Any, out: Path | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the invoices' journal into the book (and the workload file for the floor)."""
    store = book.store
    meta: dict[str, Any] = {}
    want: dict[str, Any] = {}
    entries: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    customers: list[Customer] = []
    address = Address("Reforma 1", "CDMX", "06600", "MX")
    terms = PaymentTerms.parse("net 30")
    handle = out.open("w", encoding="utf-8") if out else None
    n = 0

    def flush() -> None:
        with store.transaction():
            store.executemany(
                "INSERT INTO journal_entries (id, entry_date, kind, source, reference, due_date,"
                " memo, reverses, created_at) VALUES (?, ?, 'invoice', ?, ?, ?, '', NULL, ?)",
                entries,
            )
            store.executemany(
                "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_minor,"
                " customer_id, item, entry_date, item_date, item_due)"
                " VALUES (?, ?, ?, 'MXN', ?, ?, ?, ?, ?, ?)",
                lines,
            )
        entries.clear()
        lines.clear()

    ar, revenue = book.chart.receivable.code, book.chart.revenue().code
    tax_account = book.chart.tax_payable("MX-IVA").code
    for record in records:
        if handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        kind = record["type"]
        if kind == "meta":
            meta = record
        elif kind == "customer":
            customers.append(
                Customer(
                    CustomerId(record["id"]),
                    record["name"],
                    address,
                    "MX",
                    MXN,
                    payment_terms=terms,
                )
            )
        elif kind == "invoice":
            if customers:
                book.add_customers(customers)
                customers = []
            n += 1
            net = tax = Decimal(0)
            for line in record["lines"]:
                amount = Decimal(line["qty"]) * Decimal(line["unit_price"])
                net += amount
                tax += (amount * TAX).quantize(CENT, rounding=ROUND_HALF_UP)
            entry = f"JE{n:010d}"
            day, due, doc = record["date"], record["due"], record["id"]
            entries.append((entry, day, doc, doc, due, day))
            lines.append(
                (entry, 1, ar, int((net + tax) * HUNDRED), record["customer"], doc, day, day, due)
            )
            lines.append((entry, 2, revenue, -int(net * HUNDRED), None, None, day, None, None))
            lines.append((entry, 3, tax_account, -int(tax * HUNDRED), None, None, day, None, None))
            if len(entries) >= 50_000:
                flush()
        elif kind == "expected":
            want = record
    if entries:
        flush()
    if handle:
        handle.close()
    return meta, want


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="open invoices")
    parser.add_argument("--customers", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the workload and books in this folder")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor baseline")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="o2c-aging-"))
    folder.mkdir(parents=True, exist_ok=True)
    book_path = folder / "aging.o2c"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book_path}{suffix}").unlink(missing_ok=True)
    workload = workload_module()
    customers = args.customers or max(10, args.n // 20)
    file = None if args.no_floor else folder / f"wl-open-{args.n}.jsonl"
    book = Book.open(f"sqlite:///{book_path}?synchronous=normal", actor="bench")
    t0 = time.perf_counter()
    meta, want = seed(book, workload.generate(args.n, customers, 42, paid_ratio=0.0), file)
    seed_s = time.perf_counter() - t0
    as_of = dt.date.fromisoformat(meta["as_of"])
    brackets = meta["aging_buckets"]
    buckets = []
    low: int | None = None
    for label, high in brackets:
        buckets.append(AgingBucket(label, low, None if high >= 10**9 else int(high)))
        low = int(high) + 1
    with book.store.transaction(write=False):
        book.store.query("SELECT COUNT(*) FROM journal_lines")  # warm the page cache
    times = []
    cpu = []
    report = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        report = book.aging(as_of, buckets=buckets, basis=AgingBasis.DOCUMENT_DATE)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert report is not None
    t0 = time.perf_counter()
    balances = book.balances(as_of)
    balance_s = time.perf_counter() - t0
    total = report.total(MXN)
    checks = {
        label: total.buckets[i] == Money.of(want["aging"][label], MXN)
        for i, (label, _) in enumerate(brackets)
    }
    checks["ar_outstanding"] = total.total == Money.of(want["ar_outstanding"], MXN)
    checks["customers_with_balance"] = len(balances) == want["customers_with_balance"]
    book.close()
    aging_s = statistics.median(times)
    print(f"o2c aging benchmark: {args.n:,} open items, {customers:,} customers")
    print(f"  seed journal (not timed below)          {seed_s:8.2f} s")
    floor_note = ""
    if file is not None:
        base = floor(file, folder / "floor.sqlite", "normal")
        floor_note = f"  x{aging_s / base['aging_s']:5.2f} floor ({base['aging_s']:.2f} s)"
    print(
        f"  aging in SQL (median of {args.repeat})             {aging_s:8.2f} s"
        f" (cpu {statistics.median(cpu):.2f} s){floor_note}"
    )
    print(f"  balances in SQL                         {balance_s:8.2f} s")
    print(
        "  checks against the workload's expected record: "
        + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items())
    )
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
