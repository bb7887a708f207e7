"""Benchmark: a bill run of the reference workload through a SQLite Book.

Each workload invoice becomes a monthly contract (1-5 lines, per-unit and tiered prices)
billed in arrears for December 2025; the run prices, taxes (IVA 16 % per line, half up),
numbers, posts and commits every invoice in batches. Then the workload's payments and
allocations are imported. Totals are checked to the cent against the workload's
``expected`` record, and each phase is printed in seconds and as a ratio to the floor
(``shared/bench/run_baseline.py``, plain Decimal + sqlite3 executemany) run just before.

The bill run uses two worker processes by default (``--workers 1``: one process); its
CPU time adds the workers'. With ``--phases`` (one process) the bill run's CPU time is
split into phases (by timers wrapped around the functions that do each; about a
microsecond per call of overhead). With ``--closed-past-months N`` a second book, the
same but with the N months before the run period closed (as every team that closes its
months has), is billed after the first and printed beside it: both should take the
compact path at the same speed.

Usage: python benchmarks/bill_run.py [--n 100000] [--batch 10000] [--workers 2] [--keep DIR]
       [--phases] [--closed-past-months N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import expected, floor, generate, records

from o2c.billing._compact import CompactPlanner
from o2c.book import BillRunProgress, Book
from o2c.book import _bill_stages as bill_stages
from o2c.book._billing import BillingMixin  # noqa: F401 - the Book's bill run facade
from o2c.calendar import BillingCycle, Cycle, PaymentTerms
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode, PaymentId
from o2c.ledger import Allocation, Payment
from o2c.money import Currency, Money
from o2c.parties import Address, Customer
from o2c.pricing import Graduated, PerUnit, PriceModel, Tier
from o2c.tax import TaxProfile

MXN = Currency.of("MXN")
START = dt.date(2025, 12, 1)
END = dt.date(2026, 1, 1)
CYCLE = BillingCycle(Cycle.MONTHLY, START)
PERIOD = "2025-12"


#: The phases of --phases: (label, object, attribute); each call's CPU time counts for
#: its phase, minus the time of phases it calls (SQL inserts inside storing rows).
PHASES = (
    ("decode stored contracts (JSON)", bill_stages, "decode"),
    ("plan: compact path", CompactPlanner, "plan"),
    ("plan: general path", bill_stages, "plan_general"),
    ("rows: numbers, journal, documents", bill_stages, "write_invoices"),
    ("SQL inserts (executemany)", None, "executemany"),
)


def install_phase_timers(book: Book) -> dict[str, float]:
    """Wrap each phase's function with a CPU timer; return the seconds per phase."""
    spent = {label: 0.0 for label, _owner, _name in PHASES}
    stack: list[float] = []

    def timed(label: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stack.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                took = time.process_time() - start
                inner = stack.pop()
                spent[label] += took - inner
                if stack:
                    stack[-1] += took

        return wrapper

    for label, owner, name in PHASES:
        target = owner if owner is not None else book.store
        setattr(target, name, timed(label, getattr(target, name)))
    return spent


def peak_mb() -> float:
    """Peak resident memory of this process, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_cpu() -> float:
    """CPU seconds of this process's finished (joined) child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child_peak_mb() -> float:
    """Peak resident memory of the largest finished child process, in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def contract_of(invoice: dict[str, Any], n: int) -> Contract:
    """The contract that bills one workload invoice: lines alternate per-unit and tiered."""
    lines = []
    for k, line in enumerate(invoice["lines"], start=1):
        price = Decimal(line["unit_price"])
        model: PriceModel
        if (n + k) % 2:
            model = PerUnit(unit_price=price)
        else:
            # Two graduated tiers at the same price: the tier code path, the same amount.
            model = Graduated(tiers=[Tier(Decimal(10), price), Tier(None, price)])
        lines.append(
            ContractLine(f"L{k}", ItemCode(line["sku"]), quantity=Decimal(line["qty"]), model=model)
        )
    version = ContractVersion(START, tuple(lines), CYCLE, MXN, timing=BillingTiming.ARREARS)
    return Contract(
        ContractId(contract_id(str(invoice["id"]))),
        CustomerId(str(invoice["customer"])),
        (version,),
        END,
    )


def contract_id(invoice_id: str) -> str:
    """Contract id of a workload invoice id (``INV-0000042`` -> ``K-0000042``)."""
    return "K-" + invoice_id.split("-", 1)[1]


def document_id(invoice_id: str) -> str:
    """The Book's document id of the invoice billed for a workload invoice."""
    return f"B:{contract_id(invoice_id)}:{PERIOD}"


def seed(workload: Path, location: str) -> None:
    """Create the book: seller, customers and one contract per workload invoice."""
    book = Book.open(location, actor="bench")
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    address = Address("Reforma 1", "CDMX", "06600", "MX")
    terms = PaymentTerms.parse("net 30")
    book.add_customers(
        Customer(CustomerId(c["id"]), c["name"], address, "MX", MXN, payment_terms=terms)
        for c in records(workload, "customer")
    )
    batch: list[Contract] = []
    for n, invoice in enumerate(records(workload, "invoice")):
        batch.append(contract_of(invoice, n))
        if len(batch) == 10_000:
            book.add_contracts(batch)
            batch = []
    if batch:
        book.add_contracts(batch)
    book.close()


def payments(workload: Path) -> tuple[list[Payment], list[Allocation]]:
    """The workload's payments and allocations as ledger values."""
    pays: list[Payment] = []
    allocs: list[Allocation] = []
    for p in records(workload, "payment"):
        day = dt.date.fromisoformat(max(p["date"], "2025-12-31"))
        pays.append(
            Payment(PaymentId(p["id"]), CustomerId(p["customer"]), day, Money.of(p["amount"], MXN))
        )
        allocs.extend(
            Allocation(
                p["id"],
                CustomerId(p["customer"]),
                DocumentId(document_id(a["invoice"])),
                Money.of(a["amount"], MXN),
                day,
            )
            for a in p["allocations"]
        )
    return pays, allocs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="invoices (contracts)")
    parser.add_argument("--batch", type=int, default=10_000, help="contracts per batch")
    parser.add_argument("--sync", default="full", choices=["full", "normal"])
    parser.add_argument(
        "--workers", type=int, default=2, help="bill run worker processes (1: one process)"
    )
    parser.add_argument("--keep", type=Path, help="keep the workload and books in this folder")
    parser.add_argument("--phases", action="store_true", help="split the bill run's CPU time")
    parser.add_argument(
        "--closed-past-months",
        type=int,
        default=0,
        metavar="N",
        help="also bill a book with the N months before the run period closed, printed beside",
    )
    parser.add_argument("--seed-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workload", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        seed(args.workload, str(args.seed_only))
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="o2c-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    workload = folder / f"wl-{args.n}.jsonl"
    if not workload.exists():
        generate(args.n, workload)
    want = expected(workload)
    base = floor(workload, folder / "floor.sqlite", args.sync)
    book_path = folder / "book.o2c"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book_path}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    # Seeding runs in a child process, so this process's peak memory is the bill run's.
    subprocess.run(
        [sys.executable, __file__, "--seed-only", str(book_path), "--workload", str(workload)],
        check=True,
    )
    seed_s = time.perf_counter() - t0
    location = f"sqlite:///{book_path}?synchronous={args.sync}"
    book = Book.open(location, actor="bench")
    ticks: list[BillRunProgress] = []
    phases = install_phase_timers(book) if args.phases else None
    rss_before = peak_mb()
    if args.phases:
        args.workers = 1  # the phase timers run in this process only
    children_before = child_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    result = book.bill_run(
        PERIOD, batch_size=args.batch, progress=ticks.append, workers=args.workers
    )
    bill_s = time.perf_counter() - t0
    bill_cpu = time.process_time() - c0
    rss_bill = peak_mb()
    # Workers are child processes: their CPU time counts once they are joined.
    bill_cpu += child_cpu() - children_before
    if phases is not None:
        book.close()  # drop the timers
        book = Book.open(location, actor="bench")
    assert not result.exceptions, result.exceptions[:3]
    pays, allocs = payments(workload)
    t0, c0 = time.perf_counter(), time.process_time()
    paid = book.import_payments(pays, allocs)
    pay_s = time.perf_counter() - t0
    pay_cpu = time.process_time() - c0
    with book.store.transaction(write=False):
        net, tax, gross, count = book.store.query_one(
            "SELECT SUM(net_minor), SUM(tax_minor), SUM(payable_minor), COUNT(*) FROM documents"
        ) or (0, 0, 0, 0)
        lines = book.store.query_one("SELECT COUNT(*) FROM document_lines")
    as_of = dt.date(2026, 12, 31)
    t0 = time.perf_counter()
    balances = book.balances(as_of)
    balance_s = time.perf_counter() - t0
    outstanding = sum((b.receivable for b in balances), Money.zero(MXN))
    checks = {
        "invoices": int(count) == want["n_invoices"],
        "lines": lines is not None and int(lines[0]) == want["n_lines"],
        "total_net": Money.from_minor(int(net), MXN) == Money.of(want["total_net"], MXN),
        "total_tax": Money.from_minor(int(tax), MXN) == Money.of(want["total_tax"], MXN),
        "total_invoiced": Money.from_minor(int(gross), MXN)
        == Money.of(want["total_invoiced"], MXN),
        "payments": paid == want["n_payments"],
        "ar_outstanding": outstanding == Money.of(want["ar_outstanding"], MXN),
        "trial_balance": book.trial_balance(as_of).is_balanced,
    }
    book.close()
    floor_bill = base["price_s"] + base["sqlite_inv_s"]
    print(
        f"o2c bill run benchmark: {args.n:,} contracts, batch {args.batch}, sync={args.sync},"
        f" workers {args.workers}"
    )
    print(f"  seed book (customers + contracts, not timed below)   {seed_s:8.2f} s")
    print(
        f"  bill run: price+tax+number+post+commit  {bill_s:8.2f} s  "
        f"{args.n / bill_s:10,.0f} invoices/s  x{bill_s / floor_bill:5.1f} floor "
        f"(price+insert {floor_bill:.2f} s); cpu {bill_cpu:.2f} s"
    )
    if phases is not None:
        phases["reads, commits, audit, other"] = bill_cpu - sum(phases.values())
        for label, seconds in phases.items():
            print(f"    {label:<40} cpu {seconds:6.2f} s  {100 * seconds / bill_cpu:4.0f} %")
    print(
        f"  payments + allocations import           {pay_s:8.2f} s  "
        f"{len(pays) / pay_s:10,.0f} payments/s  x{pay_s / base['sqlite_pay_s']:5.1f} floor "
        f"({base['sqlite_pay_s']:.2f} s); cpu {pay_cpu:.2f} s"
    )
    print(
        f"  balances in SQL                         {balance_s:8.2f} s  "
        f"x{balance_s / base['aging_s']:5.1f} floor aging ({base['aging_s']:.2f} s)"
    )
    print(
        f"  peak memory: {rss_before:.0f} MiB before the run, {rss_bill:.0f} MiB after it"
        + (
            f"; largest child process (the seeding one or a worker) {child_peak_mb():.0f} MiB"
            if args.workers > 1
            else ""
        )
    )
    print(
        "  checks against the workload's expected record: "
        + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items())
    )
    ok = all(checks.values())
    if args.closed_past_months > 0:
        ok = closed_months_case(args, folder, workload, want, floor_bill, bill_s) and ok
    return 0 if ok else 1


def past_months(period: str, count: int) -> list[str]:
    """The ``count`` months before ``period`` (``"2025-12"``), latest first."""
    year, month = (int(part) for part in period.split("-"))
    labels = []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        labels.append(f"{year:04d}-{month:02d}")
    return labels


def closed_months_case(
    args: argparse.Namespace,
    folder: Path,
    workload: Path,
    want: dict[str, Any],
    floor_bill: float,
    open_s: float,
) -> bool:
    """Bill a second book, with the months before the run period closed; print its time
    as a ratio to the floor beside the open book's. Returns whether its totals check."""
    book_path = folder / "book-closed.o2c"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book_path}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, __file__, "--seed-only", str(book_path), "--workload", str(workload)],
        check=True,
    )
    location = f"sqlite:///{book_path}?synchronous={args.sync}"
    book = Book.open(location, actor="bench")
    months = past_months(PERIOD, args.closed_past_months)
    for label in months:
        book.close_period(label)
    workers = 1 if args.phases else args.workers
    children_before = child_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    result = book.bill_run(PERIOD, batch_size=args.batch, workers=workers)
    closed_s = time.perf_counter() - t0
    closed_cpu = time.process_time() - c0 + child_cpu() - children_before
    with book.store.transaction(write=False):
        row = book.store.query_one("SELECT SUM(payable_minor), COUNT(*) FROM documents")
    book.close()
    gross, count = row or (0, 0)
    ok = (
        not result.exceptions
        and int(count) == want["n_invoices"]
        and Money.from_minor(int(gross), MXN) == Money.of(want["total_invoiced"], MXN)
    )
    print(
        f"  bill run, {len(months)} past month(s) closed ({months[-1]}..{months[0]})"
        f" {closed_s:8.2f} s  {args.n / closed_s:10,.0f} invoices/s"
        f"  x{closed_s / floor_bill:5.1f} floor (open book x{open_s / floor_bill:5.1f});"
        f" cpu {closed_cpu:.2f} s; totals {'ok' if ok else 'FAILED'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
