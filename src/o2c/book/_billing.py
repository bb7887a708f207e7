"""The bill run: stream contracts in batches through the pure planner, commit per batch."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing import LineSource
from o2c.billing._billrun_run import _cycle_periods
from o2c.billing.billrun import (
    BillingException,
    BillRunInputs,
    BillRunPlan,
    billing_periods,
    plan_bill_run,
    run_key,
)
from o2c.billing.taxing import TaxContext
from o2c.book._base import Touched
from o2c.book._codec import as_date, as_decimal, as_json
from o2c.book._setup import SetupMixin
from o2c.calendar import BillingCycle, Period, local_date
from o2c.contracts import ChargeKind, Contract, SalesOrder
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io import structure
from o2c.money import Money
from o2c.parties import Customer
from o2c.pricing import RateCard, TimeEntry

__all__ = ["BillRunProgress", "BillRunResult", "BillingMixin", "ExceptionRecord"]

#: Contracts per batch: each batch is planned, written and committed on its own.
DEFAULT_BATCH = 2000


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one batch (reference counting still frees).

    A batch allocates hundreds of thousands of small, acyclic values that live until the
    batch commits; the collector would walk them over and over (a third of a bill run's
    time). Whatever garbage a batch leaves is collected when the collector resumes, so
    memory stays bounded by the batch size.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@attrs.frozen(slots=True)
class BillRunProgress:
    """Where a running bill run is, passed to the progress callback after each batch.

    Attributes:
        contracts_done: Contracts planned so far.
        contracts_total: Contracts the run looks at.
        invoices: Invoices created so far (planned, in a dry run).
        exceptions: Candidates put in the exceptions queue so far.
    """

    contracts_done: int
    contracts_total: int
    invoices: int
    exceptions: int


@attrs.frozen(slots=True)
class ExceptionRecord:
    """A bill run candidate that could not be billed, as the queue keeps it.

    Attributes:
        run_key: The contract-period key that stays unbilled.
        customer_id: The customer.
        contract_id: The contract.
        code: The first problem's code.
        message: Every problem, one sentence each.
    """

    run_key: str
    customer_id: str
    contract_id: str | None
    code: str
    message: str


@attrs.frozen(slots=True)
class BillRunResult:
    """What a bill run did (or, dry, would do).

    Attributes:
        run_id: The run's id (``None`` for a dry run).
        period: The run period.
        cut_off: The cut-off date.
        dry_run: Whether nothing was written.
        issued: Whether invoices were issued (else left as drafts).
        document_ids: The invoices created (or planned), in order.
        exceptions: The exceptions queue entries of this run.
        skipped: Run keys left alone (already billed, nothing to bill).
        totals: Payable total per currency code.
    """

    run_id: str | None
    period: Period
    cut_off: dt.date
    dry_run: bool
    issued: bool
    document_ids: tuple[str, ...]
    exceptions: tuple[ExceptionRecord, ...]
    skipped: int
    totals: Mapping[str, Money]

    @property
    def invoices(self) -> int:
        """How many invoices the run created (or would create)."""
        return len(self.document_ids)


def _exception(exc: BillingException) -> ExceptionRecord:
    return ExceptionRecord(
        exc.run_key, exc.customer_id, exc.contract_id, exc.reason.value, exc.message
    )


class BillingMixin(SetupMixin):
    """Bill runs and the exceptions queue."""

    def bill_run(
        self,
        period: Period | str,
        *,
        cut_off: dt.date | None = None,
        invoice_date: dt.date | None = None,
        dry_run: bool = False,
        issue: bool = True,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[BillRunProgress], None] | None = None,
        actor: str | None = None,
    ) -> BillRunResult:
        """Bill every active contract for ``period``.

        Contracts are streamed in batches; each batch is planned by the pure billing
        core, numbered, posted and committed in its own transaction (with one audit
        event), so memory stays flat and a crash loses nothing committed. Each contract
        period has a run key; keys billed before are skipped, so running the same period
        again (or resuming after a crash) bills nothing twice. Candidates that fail
        validation go to the exceptions queue and the run goes on.

        Args:
            period: The run period (``"2026-10"``).
            cut_off: Last day whose usage, time and orders count (the period's last day by
                default).
            invoice_date: Date of the invoices (the cut-off by default).
            dry_run: Plan everything and write nothing.
            issue: Issue (number and post) the invoices; ``False`` leaves drafts.
            batch_size: Contracts per batch and transaction.
            progress: Called after each batch with a :class:`BillRunProgress`.
            actor: Who runs it.

        Raises:
            NotFound: The seller's tax profile was not set.
        """
        run_period = period if isinstance(period, Period) else Period.parse(period)
        last_day = run_period.last_day
        cut = cut_off or last_day
        day = invoice_date or cut
        if batch_size < 1:
            raise ValidationError("batch_size", batch_size, "at least 1")
        who = self._who(actor)
        tax = TaxContext(self.seller(), self.tax_table())
        cards = {card.code: card for card in self.list_rate_cards()}
        total_row = self._store.query_one("SELECT COUNT(*) FROM contracts WHERE status = 'active'")
        total = int(total_row[0]) if total_row else 0
        run_id: str | None = None
        if not dry_run:
            run_id = self._start_run(run_period, cut, who)
        customers: dict[str, Customer] = {}
        documents: list[str] = []
        exceptions: list[ExceptionRecord] = []
        totals: dict[str, Money] = {}
        skipped = 0
        done = 0
        last_id = ""
        while True:
            with _gc_paused():
                batch = self._bill_batch(
                    last_id, batch_size, run_period, cut, day, tax, cards, customers, run_id,
                    issue=issue, dry_run=dry_run, who=who,
                )  # fmt: skip
                if batch is None:
                    break
                last_id, count, ids, plan_exceptions, plan_skipped, plan_totals = batch
                del batch
            documents.extend(ids)
            done += count
            exceptions.extend(plan_exceptions)
            skipped += plan_skipped
            for code, amount in plan_totals.items():
                prev = totals.get(code)
                totals[code] = amount if prev is None else prev + amount
            if progress is not None:
                progress(BillRunProgress(done, total, len(documents), len(exceptions)))
        # Sales orders without a contract: invoices of their own, after the contracts.
        with self._store.transaction(write=not dry_run):
            plan = self._plan_batch([], run_period, cut, day, tax, cards, customers)
            if plan.candidates or plan.exceptions:
                if dry_run:
                    documents.extend(c.document.id for c in plan.candidates)
                else:
                    assert run_id is not None
                    documents.extend(self._commit_batch(plan, run_id, day, issue, who))
        exceptions.extend(_exception(e) for e in plan.exceptions)
        for currency, amount in plan.totals().items():
            prev = totals.get(currency.code)
            totals[currency.code] = amount if prev is None else prev + amount
        if run_id is not None:
            self._finish_run(run_id, len(documents), len(exceptions), skipped)
        return BillRunResult(
            run_id,
            run_period,
            cut,
            dry_run,
            issue and not dry_run,
            tuple(documents),
            tuple(exceptions),
            skipped,
            totals,
        )

    def _bill_batch(
        self,
        after: str,
        size: int,
        period: Period,
        cut: dt.date,
        day: dt.date,
        tax: TaxContext,
        cards: Mapping[str, RateCard],
        customers: dict[str, Customer],
        run_id: str | None,
        *,
        issue: bool,
        dry_run: bool,
        who: str,
    ) -> tuple[str, int, list[str], list[ExceptionRecord], int, dict[str, Money]] | None:
        """Plan and commit the next batch of contracts after id ``after``; ``None`` at the end.

        Only small results leave: the batch's plan and documents die here, before the
        garbage collector resumes, so it never walks them.
        """
        with self._store.transaction(write=not dry_run):
            rows = self._store.query(
                "SELECT id, data FROM contracts WHERE status = 'active' AND id > ?"
                " ORDER BY id LIMIT ?",
                (after, size),
            )
            if not rows:
                return None
            last_id = str(rows[-1][0])
            contracts = [self._contract(r[1]) for r in rows]
            plan = self._plan_batch(contracts, period, cut, day, tax, cards, customers)
            if dry_run:
                ids: list[str] = [c.document.id for c in plan.candidates]
            else:
                assert run_id is not None
                ids = self._commit_batch(plan, run_id, day, issue, who)
        return (
            last_id,
            len(rows),
            ids,
            [_exception(e) for e in plan.exceptions],
            len(plan.skipped),
            {currency.code: amount for currency, amount in plan.totals().items()},
        )

    def _start_run(self, period: Period, cut: dt.date, who: str) -> str:
        def body(touched: Touched) -> dict[str, Any]:
            run_id = f"BR{self._next_numbers('bill_run'):06d}"
            self._store.execute(
                "INSERT INTO bill_runs (id, period_start, period_end, cut_off, status, actor,"
                " started_at, invoices, exceptions, skipped) VALUES (?, ?, ?, ?, 'running', ?,"
                " ?, 0, 0, 0)",
                (
                    run_id,
                    period.start.isoformat(),
                    period.last_day.isoformat(),
                    cut.isoformat(),
                    who,
                    self._now().isoformat(),
                ),
            )
            touched.add(run_id)
            return {"id": run_id}

        result = self._run(
            "bill_run_start",
            actor=who,
            key=None,
            args={"period": period.label, "cut_off": cut},
            body=body,
        )
        return str(result["id"])

    def _finish_run(self, run_id: str, invoices: int, exceptions: int, skipped: int) -> None:
        def body(touched: Touched) -> dict[str, Any]:
            self._store.execute(
                "UPDATE bill_runs SET status = 'done', finished_at = ?, invoices = ?,"
                " exceptions = ?, skipped = ? WHERE id = ?",
                (self._now().isoformat(), invoices, exceptions, skipped, run_id),
            )
            touched.add(run_id)
            return {}

        self._run(
            "bill_run_finish",
            actor=None if self._default_actor else self._who(None),
            key=None,
            args={"run_id": run_id, "invoices": invoices, "exceptions": exceptions},
            body=body,
        )

    def _plan_batch(
        self,
        contracts: list[Contract],
        period: Period,
        cut: dt.date,
        day: dt.date,
        tax: TaxContext,
        cards: Mapping[str, RateCard],
        customers: dict[str, Customer],
    ) -> BillRunPlan:
        wanted = sorted({c.customer_id for c in contracts} - set(customers))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for cid, data in self._store.query(
                f"SELECT id, data FROM customers WHERE id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ):
                customers[str(cid)] = structure(
                    as_json(data), Customer, converter=self._converter()
                )
        ids = [str(c.id) for c in contracts]
        # The contract-period keys this batch could bill, looked up by the run_key index
        # (bill_run_items has none on contract_id: a lookup by contract scanned the
        # whole table per chunk, quadratic over a run). These are exactly the keys the
        # planner checks; sales-order keys are looked up below.
        billed = self._billed_keys(_period_keys(contracts, period))
        usage = self._usage_for(contracts, period, cut, customers)
        orders = self._orders_for(ids, cut) if ids else self._loose_orders(cut, customers)
        billed |= self._billed_keys([o.run_key for o in orders])
        inputs = BillRunInputs(
            customers={CustomerId(k): v for k, v in customers.items()},
            rate_cards=cards,
            tax=tax,
            usage=usage,
            time=self._time_for(contracts, period, cut),
            orders=orders,
            rounding=self.rounding(),
        )
        return plan_bill_run(
            contracts,
            period,
            cut_off=cut,
            inputs=inputs,
            already_billed=billed,
            invoice_date=day,
            id_for=lambda key: DocumentId(f"B:{key}"),
        )

    def _billed_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            found.update(
                str(r[0])
                for r in self._store.query(
                    "SELECT run_key FROM bill_run_items WHERE run_key IN"
                    f" ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        return found

    def _orders_for(self, contract_ids: list[str], cut: dt.date) -> list[SalesOrder]:
        orders: list[SalesOrder] = []
        for start in range(0, len(contract_ids), 500):
            chunk = contract_ids[start : start + 500]
            orders.extend(
                self._sales_order(data, None)
                for (data,) in self._store.query(
                    "SELECT data FROM sales_orders WHERE document_id IS NULL AND contract_id IN"
                    f" ({', '.join('?' for _ in chunk)}) ORDER BY id",
                    chunk,
                )
            )
        return [o for o in orders if o.billable_from <= cut]

    def _loose_orders(self, cut: dt.date, customers: dict[str, Customer]) -> list[SalesOrder]:
        orders = [
            self._sales_order(data, None)
            for (data,) in self._store.query(
                "SELECT data FROM sales_orders WHERE document_id IS NULL"
                " AND contract_id IS NULL ORDER BY id"
            )
        ]
        orders = [o for o in orders if o.billable_from <= cut]
        missing = sorted({o.customer_id for o in orders} - set(customers))
        for cid in missing:
            row = self._store.query_one("SELECT data FROM customers WHERE id = ?", (cid,))
            if row is not None:
                customers[cid] = structure(as_json(row[0]), Customer, converter=self._converter())
        return orders

    def _time_for(
        self, contracts: list[Contract], period: Period, cut: dt.date
    ) -> dict[tuple[str, ItemCode], tuple[TimeEntry, ...]]:
        """Approved, unbilled time entries per (run key, time item) of the batch."""
        timed = [
            c
            for c in contracts
            if any(line.kind is ChargeKind.TIME for v in c.versions for line in v.lines)
        ]
        result: dict[tuple[str, ItemCode], tuple[TimeEntry, ...]] = {}
        for contract in timed:
            rows = self._store.query(
                "SELECT id, person, role, work_date, hours, approved, description FROM time_entries"
                " WHERE document_id IS NULL AND customer_id = ?"
                " AND (contract_id IS NULL OR contract_id = ?) ORDER BY work_date, id",
                (contract.customer_id, contract.id),
            )
            entries = [
                (
                    as_date(r[3]),
                    TimeEntry(
                        id=str(r[0]),
                        person=str(r[1]),
                        role=str(r[2]),
                        date=as_date(r[3]),
                        hours=as_decimal(r[4]),
                        billable=str(r[6]) != "not billable",
                        approved=bool(r[5]),
                    ),
                )
                for r in rows
            ]
            items = {
                line.item
                for v in contract.versions
                for line in v.lines
                if line.kind is ChargeKind.TIME
            }
            for p in billing_periods(contract, period):
                chosen = tuple(e for day, e in entries if p.start <= day < p.end and day <= cut)
                if chosen:
                    for item in items:
                        result[(run_key(contract.id, p), item)] = chosen
        return result

    def _usage_for(
        self,
        contracts: list[Contract],
        period: Period,
        cut: dt.date,
        customers: Mapping[str, Customer],
    ) -> dict[tuple[str, ItemCode], Decimal]:
        """Sum usage per (run key, item): by the customer's local date, up to the cut-off."""
        by_customer: dict[str, list[Contract]] = {}
        for contract in contracts:
            by_customer.setdefault(contract.customer_id, []).append(contract)
        ids = sorted(by_customer)
        usage: dict[tuple[str, ItemCode], Decimal] = {}
        if not ids:
            return usage
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows.extend(
                self._store.query(
                    "SELECT customer_id, contract_id, item, quantity, occurred_at"
                    " FROM usage_records WHERE document_id IS NULL AND customer_id IN"
                    f" ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        if not rows:
            return usage
        periods = {c.id: billing_periods(c, period) for cs in by_customer.values() for c in cs}
        for cust, contract_id, item, quantity, occurred in rows:
            customer = customers.get(str(cust))
            zone = customer.time_zone if customer else "UTC"
            stamp = (
                occurred
                if isinstance(occurred, dt.datetime)
                else dt.datetime.fromisoformat(str(occurred))
            )
            local = local_date(stamp, zone)
            if local > cut:
                continue
            for contract in by_customer[str(cust)]:
                if contract_id is not None and str(contract_id) != contract.id:
                    continue
                for p in periods[contract.id]:
                    if p.start <= local < p.end:
                        key = (run_key(contract.id, p), ItemCode(str(item)))
                        usage[key] = usage.get(key, Decimal(0)) + as_decimal(quantity)
        return usage

    def _commit_batch(
        self, plan: BillRunPlan, run_id: str, day: dt.date, issue: bool, who: str
    ) -> list[str]:
        def body(touched: Touched) -> dict[str, Any]:
            drafts = [c.document for c in plan.candidates]
            if issue and drafts:
                docs, series = self._issue_documents(drafts, day)
                entries = self._post_documents(docs)
            else:
                docs, series, entries = drafts, {}, []
            self._insert_documents(docs, series=series, bill_run_id=run_id)
            self._write_entries(entries)
            self._store.executemany(
                "INSERT INTO bill_run_items (run_key, bill_run_id, contract_id, period_start,"
                " status, document_id) VALUES (?, ?, ?, ?, 'invoiced', ?)",
                [
                    (key, run_id, c.document.contract_id, _period_start(c.document), c.document.id)
                    for c in plan.candidates
                    for key in c.run_keys
                ],
            )
            order_rows = [
                (c.document.id, key.removeprefix("order:"))
                for c in plan.candidates
                for key in c.run_keys
                if key.startswith("order:")
            ]
            if order_rows:
                self._store.executemany(
                    "UPDATE sales_orders SET document_id = ?, status = 'billed' WHERE id = ?",
                    order_rows,
                )
            time_rows = [
                (c.document.id, entry_id)
                for c in plan.candidates
                for line in c.document.lines
                if line.source is LineSource.TIME
                for entry_id in self._time_ids(c.document.contract_id, c.document.period)
            ]
            if time_rows:
                self._store.executemany(
                    "UPDATE time_entries SET document_id = ? WHERE id = ? AND document_id IS NULL",
                    time_rows,
                )
            now = self._now().isoformat()
            if plan.exceptions:
                self._store.executemany(
                    "INSERT INTO exceptions (bill_run_id, contract_id, customer_id, code,"
                    " message, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)",
                    [
                        (
                            run_id,
                            e.contract_id,
                            e.customer_id,
                            e.reason.value,
                            f"{e.run_key}: {e.message}",
                            now,
                        )
                        for e in plan.exceptions
                    ],
                )
            touched.extend(d.id for d in docs)
            return {"documents": [d.id for d in docs]}

        result = self._run(
            "bill_run",
            actor=who,
            key=None,
            args={
                "run_id": run_id,
                "period": plan.period.label,
                "cut_off": plan.cut_off,
                "run_keys": sorted(plan.run_keys),
            },
            body=body,
        )
        return [str(d) for d in result["documents"]]

    def _time_ids(self, contract_id: str | None, period: Period | None) -> list[str]:
        if contract_id is None or period is None:
            return []
        row = self._store.query_one(
            "SELECT customer_id FROM contracts WHERE id = ?", (contract_id,)
        )
        if row is None:
            return []
        return [
            str(r[0])
            for r in self._store.query(
                "SELECT id FROM time_entries WHERE document_id IS NULL AND approved = 1"
                " AND customer_id = ? AND (contract_id IS NULL OR contract_id = ?)"
                " AND work_date >= ? AND work_date < ?",
                (str(row[0]), contract_id, period.start.isoformat(), period.end.isoformat()),
            )
        ]

    def list_exceptions(
        self, *, status: str | None = "open", bill_run: str | None = None
    ) -> list[ExceptionRecord]:
        """The exceptions queue (open ones by default), oldest first."""
        where = []
        params: list[str] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if bill_run is not None:
            where.append("bill_run_id = ?")
            params.append(bill_run)
        sql = "SELECT contract_id, customer_id, code, message FROM exceptions"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        result = []
        for contract_id, customer_id, code, message in self._store.query(
            sql + " ORDER BY id", params
        ):
            key, _, text = str(message).partition(": ")
            result.append(
                ExceptionRecord(
                    key,
                    str(customer_id),
                    None if contract_id is None else str(contract_id),
                    str(code),
                    text,
                )
            )
        return result


def _period_keys(contracts: Sequence[Contract], period: Period) -> list[str]:
    """Run keys of the contract periods a run for ``period`` bills, for each contract.

    The same as ``run_key(c.id, p) for p in billing_periods(c, period)``, with the cycle's
    periods computed once per cycle rather than once per contract (calendar arithmetic
    that cost more than planning the invoice).
    """
    cycles: dict[BillingCycle, tuple[tuple[Period, str], ...]] = {}
    keys: list[str] = []
    for contract in contracts:
        cycle = contract.version_at(period.start).cycle
        periods = cycles.get(cycle)
        if periods is None:
            # (period, ":" + label): run_key(id, p) is f"{id}:{p.label}".
            periods = cycles[cycle] = tuple(
                (p, ":" + p.label) for p, _ in _cycle_periods(cycle, period)
            )
        cid = contract.id
        keys.extend(cid + label for p, label in periods if contract.covers(p) is not None)
    return keys


def _period_start(doc: Any) -> str:
    period = doc.period
    if period is None:
        return doc.issue_date.isoformat() if doc.issue_date else "1970-01-01"
    return str(period.start.isoformat())
