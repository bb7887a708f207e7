"""The bill run: stream contracts in batches through the pure planner, commit per batch."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Final

import attrs

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    LineSource,
    format_number,
    order_invoice,
)
from o2c.billing._billrun_fast import CompactInvoice, CompactPlanner
from o2c.billing._billrun_run import _cycle_periods, _Run
from o2c.billing.billrun import (
    BillingException,
    BillRunInputs,
    BillRunPlan,
    Candidate,
    billing_periods,
    plan_bill_run,
    run_key,
)
from o2c.billing.lifecycle import issue as issue_draft
from o2c.billing.posting import to_posting
from o2c.billing.taxing import TaxContext
from o2c.book._base import Touched
from o2c.book._codec import as_date, as_decimal, as_json, as_timestamp
from o2c.book._docrows import (
    DOC_INSERT,
    LINE_INSERT,
    TAX_INSERT,
    charged_tax_json,
    document_rows,
    snapshot_json,
)
from o2c.book._fastcodec import read_contract
from o2c.book._journal import ENTRY_SQL, LINE_SQL
from o2c.book._setup import SetupMixin
from o2c.calendar import BillingCycle, Period, local_date
from o2c.contracts import ChargeKind, Contract, SalesOrder
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io import structure
from o2c.ledger.posting import post_document
from o2c.money import Currency, Money
from o2c.parties import Customer
from o2c.pricing import RateCard, TimeEntry
from o2c.store import Row

__all__ = ["BillRunProgress", "BillRunResult", "BillingMixin", "ExceptionRecord"]

#: Contracts per batch: each batch is planned, written and committed on its own.
DEFAULT_BATCH = 10_000

#: Bill plain contracts on the compact path (tests switch it off to compare the rows).
_COMPACT = True


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


#: What a committed (or, dry, planned) batch leaves: the last contract id, contracts
#: looked at, document ids, exceptions, run keys skipped and payable totals by currency.
BatchOutcome = tuple[str, int, list[str], list["ExceptionRecord"], int, dict[str, Money]]


class _RunContext:
    """What every batch of one bill run shares (see ``BillingMixin._run_context``)."""

    __slots__ = (
        "cards",
        "compact",
        "customers",
        "cut",
        "day",
        "dry_run",
        "issue",
        "period",
        "tax",
        "who",
    )

    def __init__(
        self,
        period: Period,
        cut: dt.date,
        day: dt.date,
        issue: bool,
        dry_run: bool,
        who: str,
        tax: TaxContext,
        cards: dict[str, RateCard],
        compact: CompactPlanner | None,
        customers: dict[str, Customer],
    ) -> None:
        self.period = period
        self.cut = cut
        self.day = day
        self.issue = issue
        self.dry_run = dry_run
        self.who = who
        self.tax = tax
        self.cards = cards
        self.compact = compact
        self.customers = customers


class _Prepared:
    """A batch read and planned on the compact path, not written yet: its invoices
    (``planned``) and the stored contracts the general planner bills (``rest``), each
    with its position in the batch."""

    __slots__ = ("count", "last_id", "planned", "rest")

    def __init__(
        self,
        last_id: str,
        count: int,
        planned: list[tuple[int, CompactInvoice]],
        rest: list[tuple[int, Mapping[str, Any]]],
    ) -> None:
        self.last_id = last_id
        self.count = count
        self.planned = planned
        self.rest = rest


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
        workers: int = 1,
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
            workers: Processes that plan batches while another batch is written (2 on
                a machine with two cores or more makes a large run about a fifth faster).
                Batches are still written one at a time, in contract order, so numbers,
                entries and the audit trail are the same as with one. Needs a book
                opened from a file or URL (an in-memory book bills in this process);
                the workers stamp rows with the system clock, or with a custom
                clock's time at the start of the run.

        Raises:
            NotFound: The seller's tax profile was not set.
        """
        run_period = period if isinstance(period, Period) else Period.parse(period)
        last_day = run_period.last_day
        cut = cut_off or last_day
        day = invoice_date or cut
        if batch_size < 1:
            raise ValidationError("batch_size", batch_size, "at least 1")
        if workers < 1:
            raise ValidationError("workers", workers, "at least 1")
        who = self._who(actor)
        ctx = self._run_context(run_period, cut, day, issue=issue, dry_run=dry_run, who=who)
        total_row = self._store.query_one("SELECT COUNT(*) FROM contracts WHERE status = 'active'")
        total = int(total_row[0]) if total_row else 0
        run_id: str | None = None
        if not dry_run:
            run_id = self._start_run(run_period, cut, who)
        documents: list[str] = []
        exceptions: list[ExceptionRecord] = []
        totals: dict[str, Money] = {}
        skipped = 0
        done = 0

        def add(batch: BatchOutcome) -> None:
            nonlocal skipped, done
            _last_id, count, ids, plan_exceptions, plan_skipped, plan_totals = batch
            documents.extend(ids)
            done += count
            exceptions.extend(plan_exceptions)
            skipped += plan_skipped
            for code, amount in plan_totals.items():
                prev = totals.get(code)
                totals[code] = amount if prev is None else prev + amount
            if progress is not None:
                progress(BillRunProgress(done, total, len(documents), len(exceptions)))

        bounds = self._batch_bounds(batch_size) if workers > 1 and self._location else []
        if len(bounds) > 1:
            # Batches planned in worker processes while another one writes; written and
            # committed one at a time, in contract order (see o2c.book._parallel).
            from o2c.book._parallel import WorkerSpec, bill_in_workers

            assert self._location is not None
            spec = WorkerSpec(
                location=self._location[0],
                schema=self._location[1],
                chart=self._chart,
                fixed_now=None if self._session.uses_system_clock else self._now(),
                period=run_period.label,
                cut=cut,
                day=day,
                issue=issue,
                dry_run=dry_run,
                who=who,
                run_id=run_id,
            )
            bill_in_workers(spec, bounds, min(workers, len(bounds)), add)
        else:
            last_id = ""
            while True:
                with _gc_paused():
                    batch = self._bill_batch(last_id, batch_size, ctx, run_id)
                    if batch is None:
                        break
                    last_id = batch[0]
                    add(batch)
                    del batch
        # Sales orders without a contract: invoices of their own, after the contracts.
        with self._store.transaction(write=not dry_run):
            plan = self._plan_batch([], run_period, cut, day, ctx.tax, ctx.cards, ctx.customers)
            if plan.candidates or plan.exceptions:
                if dry_run:
                    documents.extend(c.document.id for c in plan.candidates)
                else:
                    assert run_id is not None
                    documents.extend(self._commit_batch(plan, [], run_id, day, issue, who))
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

    def _run_context(
        self,
        period: Period,
        cut: dt.date,
        day: dt.date,
        *,
        issue: bool,
        dry_run: bool,
        who: str,
    ) -> _RunContext:
        """What every batch of a run shares: tax context, rate cards, the compact planner
        (when it applies) and the customers read so far."""
        tax = TaxContext(self.seller(), self.tax_table())
        cards = {card.code: card for card in self.list_rate_cards()}
        compact: CompactPlanner | None = None
        # (Issued invoices post: a closed month refuses them on the general path.)
        posting = issue and not dry_run
        if _COMPACT and not (posting and self._accounting_periods().closed):
            compact = CompactPlanner(
                _Run(
                    BillRunInputs(customers={}, rate_cards=cards, tax=tax, rounding=self.rounding())
                ),
                period,
                day,
                tax_json=charged_tax_json,
            )
            if not compact.enabled:
                compact = None
        return _RunContext(period, cut, day, issue, dry_run, who, tax, cards, compact, {})

    def _batch_bounds(self, size: int) -> list[tuple[str, str]]:
        """The batches of the active contracts: ``(after, upto]`` id ranges of ``size``."""
        with self._store.transaction(write=False):
            ids = [
                str(r[0])
                for r in self._store.query(
                    "SELECT id FROM contracts WHERE status = 'active' ORDER BY id"
                )
            ]
        return [
            (ids[start - 1] if start else "", ids[min(start + size, len(ids)) - 1])
            for start in range(0, len(ids), size)
        ]

    def _bill_batch(
        self, after: str, size: int, ctx: _RunContext, run_id: str | None
    ) -> BatchOutcome | None:
        """Plan and commit the next batch of contracts after id ``after``; ``None`` at the end.

        The batch is read, planned and committed in one transaction. Only small results
        leave: the batch's plan and documents die here, before the garbage collector
        resumes, so it never walks them.
        """
        with self._store.transaction(write=not ctx.dry_run):
            rows = self._store.query(
                "SELECT id, customer_id, data FROM contracts WHERE status = 'active' AND id > ?"
                " ORDER BY id LIMIT ?",
                (after, size),
            )
            if not rows:
                return None
            return self._commit_prepared(self._prepare_batch(rows, ctx), ctx, run_id)

    def _prepare_range(self, after: str, upto: str, ctx: _RunContext) -> _Prepared:
        """Read and plan (not write) the active contracts with ids in ``(after, upto]``."""
        with self._store.transaction(write=False):
            rows = self._store.query(
                "SELECT id, customer_id, data FROM contracts WHERE status = 'active' AND id > ?"
                " AND id <= ? ORDER BY id",
                (after, upto),
            )
            return self._prepare_batch(rows, ctx)

    def _prepare_batch(self, rows: list[Row], ctx: _RunContext) -> _Prepared:
        """The batch's contracts, with those of the common shapes planned on the compact
        path (see :mod:`o2c.billing._billrun_fast`); reads but writes nothing."""
        last_id = str(rows[-1][0]) if rows else ""
        compact = ctx.compact
        if compact is None:
            return _Prepared(
                last_id, len(rows), [], [(n, _decode(r[2])) for n, r in enumerate(rows)]
            )
        customers = ctx.customers
        self._load_customers({str(r[1]) for r in rows}, customers)
        with_orders = self._contracts_with_orders([str(r[0]) for r in rows], ctx.cut)
        planned: list[tuple[int, CompactInvoice]] = []
        rest: list[tuple[int, Mapping[str, Any]]] = []
        for n, (cid, _customer, text) in enumerate(rows):
            data = _decode(text)
            invoice = None
            if str(cid) not in with_orders:
                invoice = compact.plan(data, customers.get(str(data["customer_id"])))
            if invoice is None:
                rest.append((n, data))
            else:
                planned.append((n, invoice))
        return _Prepared(last_id, len(rows), planned, rest)

    def _commit_prepared(
        self, prepared: _Prepared, ctx: _RunContext, run_id: str | None
    ) -> BatchOutcome:
        """Plan the rest of a prepared batch on the general path, then number, post and
        store both paths' invoices in contract order (in the caller's transaction).

        Contracts billed before (a re-run) are skipped here, inside the transaction that
        writes, so no contract period is billed twice even by concurrent runs.
        """
        count = prepared.count
        period, cut, day = ctx.period, ctx.cut, ctx.day
        mixed: list[tuple[int, CompactInvoice | Candidate]] = []
        skipped = 0
        planned, rest = prepared.planned, prepared.rest
        prepared.planned, prepared.rest = [], []  # memory stays one copy
        billed = self._billed_keys([inv.key for _n, inv in planned])
        for n, invoice in planned:
            if invoice.key in billed:
                # Billed before (a re-run): the general planner would skip its
                # only key, and the contract has no order to bill.
                skipped += 1
            else:
                mixed.append((n, invoice))
        contracts = [read_contract(d, self._contract_cattrs) for _n, d in rest]
        # (_plan_batch of no contracts plans the sales orders without one.)
        usage_ids: dict[tuple[str, ItemCode], list[str]] = {}
        plan = (
            self._plan_batch(
                contracts, period, cut, day, ctx.tax, ctx.cards, ctx.customers, usage_ids
            )
            if contracts
            else BillRunPlan(period, cut, (), ())
        )
        if mixed:
            # Everything is numbered, posted and stored in contract order (sales
            # orders on invoices of their own last), as by the general planner
            # alone; the sort is stable, so its candidates keep their order.
            position = {str(d["id"]): n for n, d in rest}
            mixed.extend(
                (position.get(str(c.document.contract_id), count), c) for c in plan.candidates
            )
            mixed.sort(key=lambda m: m[0])
        if ctx.dry_run:
            ids: list[str] = (
                [m.doc_id if isinstance(m, CompactInvoice) else m.document.id for _n, m in mixed]
                if mixed
                else [c.document.id for c in plan.candidates]
            )
        else:
            assert run_id is not None
            ids = self._commit_batch(
                plan, [m[1] for m in mixed], run_id, day, ctx.issue, ctx.who, usage_ids
            )
        return (
            prepared.last_id,
            count,
            ids,
            [_exception(e) for e in plan.exceptions],
            len(plan.skipped) + skipped,
            _add_totals(
                {currency.code: amount for currency, amount in plan.totals().items()},
                [inv for _n, inv in mixed if isinstance(inv, CompactInvoice)],
            ),
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
            actor=None if self._session.default_actor else self._who(None),
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
        usage_ids: dict[tuple[str, ItemCode], list[str]] | None = None,
    ) -> BillRunPlan:
        """Plan a batch of contracts (none: the sales orders without a contract);
        ``usage_ids`` receives the usage records each (run key, item) sums."""
        self._load_customers({c.customer_id for c in contracts}, customers)
        ids = [str(c.id) for c in contracts]
        # The contract-period keys this batch could bill, looked up by the run_key index
        # (bill_run_items has none on contract_id: a lookup by contract scanned the
        # whole table per chunk, quadratic over a run). These are exactly the keys the
        # planner checks; sales-order keys are looked up below.
        billed = self._billed_keys(_period_keys(contracts, period))
        usage = self._usage_for(contracts, period, cut, customers, usage_ids)
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

    def _load_customers(self, ids: set[str], customers: dict[str, Customer]) -> None:
        """Read the customers with these ids into ``customers`` (those not there yet)."""
        wanted = sorted(ids - set(customers))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for cid, data in self._store.query(
                f"SELECT id, data FROM customers WHERE id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ):
                customers[str(cid)] = structure(
                    as_json(data), Customer, converter=self._converter()
                )

    def _contracts_with_orders(self, contract_ids: list[str], cut: dt.date) -> set[str]:
        """The contracts among these with a sales order not billed yet."""
        found: set[str] = set()
        for start in range(0, len(contract_ids), 500):
            chunk = contract_ids[start : start + 500]
            found.update(
                str(r[0])
                for r in self._store.query(
                    "SELECT DISTINCT contract_id FROM sales_orders WHERE document_id IS NULL"
                    f" AND contract_id IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        return found

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
        result: dict[tuple[str, ItemCode], tuple[TimeEntry, ...]] = {}
        for contract in contracts:
            items = time_items(contract)
            if not items:
                continue
            rows = self._store.query(
                f"SELECT {TIME_ENTRY_COLUMNS} FROM time_entries"
                " WHERE document_id IS NULL AND customer_id = ?"
                " AND (contract_id IS NULL OR contract_id = ?) ORDER BY work_date, id",
                (contract.customer_id, contract.id),
            )
            entries = [(as_date(r[3]), time_entry(r)) for r in rows]
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
        record_ids: dict[tuple[str, ItemCode], list[str]] | None = None,
    ) -> dict[tuple[str, ItemCode], Decimal]:
        """Sum usage per (run key, item): by the customer's local date, up to the cut-off.

        A record imported for a contract counts for that contract only. A record imported
        without one belongs to exactly one contract of its customer: the one with the
        lowest id among the customer's active contracts that bill usage of its item in a
        period of this run containing its date (whether or not that contract is in this
        batch), so a customer with several such contracts is never billed twice for it.

        Late usage goes on the next invoice: a record of an earlier contract period that
        the run billing that period left out (it arrived after the run started, or its
        date fell after the run's cut-off) counts in the contract's first period of this
        run. ``record_ids`` (when given) receives the ids of the records each key sums,
        which the commit marks as billed by the key's invoice.
        """
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
                    "SELECT id, customer_id, contract_id, item, quantity, occurred_at,"
                    " received_at FROM usage_records WHERE document_id IS NULL AND"
                    f" customer_id IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        if not rows:
            return usage
        in_batch = {c.id for c in contracts}
        # Every active contract of the customers with records that name no contract:
        # the owner of such a record may sit in another batch.
        loose = sorted({str(r[1]) for r in rows if r[2] is None})
        owners_of: dict[str, list[Contract]] = {cust: list(by_customer[cust]) for cust in loose}
        for start in range(0, len(loose), 500):
            chunk = loose[start : start + 500]
            for cid, data in self._store.query(
                "SELECT id, data FROM contracts WHERE status = 'active' AND customer_id IN"
                f" ({', '.join('?' for _ in chunk)}) ORDER BY id",
                chunk,
            ):
                if str(cid) not in in_batch:
                    other = self._contract(data)
                    owners_of[other.customer_id].append(other)
        for owners in owners_of.values():
            owners.sort(key=lambda c: c.id)
        periods: dict[str, tuple[Period, ...]] = {
            c.id: billing_periods(c, period)
            for cs in (*by_customer.values(), *owners_of.values())
            for c in cs
        }

        def add(key: tuple[str, ItemCode], quantity: object, record: object) -> None:
            usage[key] = usage.get(key, Decimal(0)) + as_decimal(quantity)
            if record_ids is not None:
                record_ids.setdefault(key, []).append(str(record))

        # (record, quantity, received, local date, contract, item, the contract's first
        # period in this run) of earlier periods
        late: list[tuple[object, object, object, dt.date, Contract, ItemCode, Period]] = []
        for record, cust, contract_id, item, quantity, occurred, received in rows:
            customer = customers.get(str(cust))
            zone = customer.time_zone if customer else "UTC"
            local = local_date(as_timestamp(occurred), zone)
            if local > cut:
                continue
            code = ItemCode(str(item))
            if contract_id is None:
                owner = _usage_owner(owners_of[str(cust)], periods, code, local)
                if owner is not None:
                    if owner[0].id in in_batch:
                        add((run_key(owner[0].id, owner[1]), code), quantity, record)
                    continue
                first = next(
                    (
                        c
                        for c in owners_of[str(cust)]
                        if c.start <= local
                        and periods[c.id]
                        and _bills_usage(c, code, periods[c.id][0])
                    ),
                    None,
                )
                if first is not None and first.id in in_batch:
                    target = periods[first.id][0]
                    late.append((record, quantity, received, local, first, code, target))
                continue
            for contract in by_customer[str(cust)]:
                if str(contract_id) != contract.id:
                    continue
                own = periods[contract.id]
                for p in own:
                    if p.start <= local < p.end:
                        add((run_key(contract.id, p), code), quantity, record)
                        break
                else:
                    if own and contract.start <= local < own[0].start:
                        late.append((record, quantity, received, local, contract, code, own[0]))
        if late:
            self._add_late_usage(late, add)
        return usage

    def _add_late_usage(
        self,
        late: list[tuple[object, object, object, dt.date, Contract, ItemCode, Period]],
        add: Callable[[tuple[str, ItemCode], object, object], None],
    ) -> None:
        """Put the records of earlier periods that their period's run left out on the
        contract's first period of this run; leave the others (their period was not
        billed yet, or the run saw them and did not bill them) alone."""
        contract_ids = sorted({entry[4].id for entry in late})
        runs: dict[str, list[tuple[dt.date, dt.datetime, dt.date]]] = {}
        for start in range(0, len(contract_ids), 500):
            chunk = contract_ids[start : start + 500]
            for cid, period_start, started, cut_off in self._store.query(
                "SELECT i.contract_id, i.period_start, b.started_at, b.cut_off"
                " FROM bill_run_items i JOIN bill_runs b ON b.id = i.bill_run_id"
                " WHERE i.status = 'invoiced' AND i.contract_id IN"
                f" ({', '.join('?' for _ in chunk)})",
                chunk,
            ):
                runs.setdefault(str(cid), []).append(
                    (as_date(period_start), as_timestamp(started), as_date(cut_off))
                )
        for record, quantity, received, local, contract, code, target in late:
            cycle = contract.version_at(local).cycle
            containing = cycle.period_containing(local)
            billed = next(
                (
                    (started, cut_off)
                    for begun, started, cut_off in runs.get(contract.id, ())
                    if containing.start <= begun < containing.end
                ),
                None,
            )
            if billed is None:
                continue  # its period was never billed: that period's run will bill it
            started, cut_off = billed
            if as_timestamp(received) > started or local > cut_off:
                add((run_key(contract.id, target), code), quantity, record)

    def _commit_batch(
        self,
        plan: BillRunPlan,
        mixed: Sequence[CompactInvoice | Candidate],
        run_id: str,
        day: dt.date,
        issue: bool,
        who: str,
        usage_ids: Mapping[tuple[str, ItemCode], list[str]] | None = None,
    ) -> list[str]:
        """Store a batch: ``plan``'s candidates, or ``mixed`` (the compact path's invoices
        and the plan's candidates, in contract order) when it is not empty; mark the
        usage records (``usage_ids``, per run key and item) on the invoices billed."""
        compact = [m for m in mixed if isinstance(m, CompactInvoice)]
        candidates = [m for m in mixed if isinstance(m, Candidate)] if mixed else plan.candidates

        def body(touched: Touched) -> dict[str, Any]:
            drafts = [c.document for c in candidates]
            if mixed:
                ids = self._store_mixed(mixed, run_id, day, issue=issue)
            else:
                if issue and drafts:
                    docs, series = self._issue_documents(drafts, day)
                    entries = self._post_documents(docs)
                else:
                    docs, series, entries = drafts, {}, []
                self._insert_documents(docs, series=series, bill_run_id=run_id)
                self._write_entries(entries)
                ids = [d.id for d in docs]
            self._store.executemany(
                "INSERT INTO bill_run_items (run_key, bill_run_id, contract_id, period_start,"
                " status, document_id) VALUES (?, ?, ?, ?, 'invoiced', ?)",
                [
                    (m.key, run_id, m.contract_id, m.start, m.doc_id)
                    if isinstance(m, CompactInvoice)
                    else (
                        key,
                        run_id,
                        m.document.contract_id,
                        _period_start(m.document),
                        m.document.id,
                    )
                    for m in (mixed or candidates)
                    for key in ((m.key,) if isinstance(m, CompactInvoice) else m.run_keys)
                ],
            )
            order_rows = [
                (c.document.id, key.removeprefix("order:"))
                for c in candidates
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
                for c in candidates
                for line in c.document.lines
                if line.source is LineSource.TIME
                for entry_id in self._time_ids(c.document.contract_id, c.document.period)
            ]
            if time_rows:
                self._store.executemany(
                    "UPDATE time_entries SET document_id = ? WHERE id = ? AND document_id IS NULL",
                    time_rows,
                )
            usage_rows = [
                (c.document.id, record)
                for c in candidates
                for item in {
                    line.item for line in c.document.lines if line.source is LineSource.USAGE
                }
                for key in c.run_keys
                for record in (usage_ids or {}).get((key, item), ())
            ]
            if usage_rows:
                self._store.executemany(
                    "UPDATE usage_records SET document_id = ? WHERE id = ? AND document_id IS NULL",
                    usage_rows,
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
            touched.extend(ids)
            return {"documents": ids}

        result = self._run(
            "bill_run",
            actor=who,
            key=None,
            args={
                "run_id": run_id,
                "period": plan.period.label,
                "cut_off": plan.cut_off,
                "run_keys": sorted(plan.run_keys.union(c.key for c in compact)),
            },
            body=body,
        )
        return [str(d) for d in result["documents"]]

    def _store_mixed(
        self,
        mixed: Sequence[CompactInvoice | Candidate],
        run_id: str,
        day: dt.date,
        *,
        issue: bool = True,
    ) -> list[str]:
        """Number, post and store issued invoices of both paths, in the order given
        (``issue=False``: store them as drafts).

        The same rows, numbers and entry ids as :meth:`_issue_documents`,
        :meth:`_post_documents`, :meth:`_insert_documents` and :meth:`_write_entries`
        give the general planner's documents (``tests/perf_equivalence`` checks it).
        """
        series = self.number_series(DocumentKind.INVOICE)
        counter = series.counter_key(day.year, day.month)
        for m in mixed:
            if isinstance(m, Candidate) and m.document.kind is not DocumentKind.INVOICE:
                raise InvalidState(f"a bill run issues invoices, not {m.document.kind.value}")
        numbers: list[str | None] = [None] * len(mixed)
        if issue:
            first = self._next_numbers(counter, len(mixed))
            numbers = [
                format_number(series, day.year, first + n, day.month) for n in range(len(mixed))
            ]
        issued: list[CompactInvoice | Document] = []
        for m, number in zip(mixed, numbers, strict=True):
            if isinstance(m, CompactInvoice):
                issued.append(m)
            else:
                issued.append(
                    m.document if number is None else issue_draft(m.document, number, day)
                )
        postable = [
            d
            for d in issued
            if issue
            and (
                isinstance(d, CompactInvoice)
                or not (d.totals.payable.is_zero and d.totals.gross.is_zero)
            )
        ]
        entry_ids = iter(self._new_entry_ids(len(postable)) if postable else [])
        now = self._now().isoformat()
        cache = self._snapshot_cache()
        converter = self._converter()
        ar = self._chart.receivable.code
        revenue = self._chart.revenue_code(None)
        tax_accounts: dict[str, str] = {}
        day_text = day.isoformat()
        # Snapshots are shared per customer: their JSON by object, for this batch.
        snapshots: dict[int, str] = {}

        def snapshot_text(snap: CustomerSnapshot) -> str:
            text = snapshots.get(id(snap))
            if text is None:
                text = snapshots[id(snap)] = snapshot_json(snap, cache, converter)
            return text

        doc_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        tax_rows: list[tuple[Any, ...]] = []
        entry_rows: list[tuple[Any, ...]] = []
        jl_rows: list[tuple[Any, ...]] = []
        periods = self._accounting_periods()
        if issue and periods.closed:
            # Every entry is dated ``day``; _write_entries refuses a closed month alike
            # (a month may have been closed since the run started).
            periods.check_open(day)
        for d, number in zip(issued, numbers, strict=True):
            if isinstance(d, Document):
                self._ensure_currency(d.currency)
                doc, lines, taxes = document_rows(
                    d,
                    series=series.code if issue else None,
                    bill_run_id=run_id,
                    now=now,
                    issued_at=now if issue else None,
                    snapshots=cache,
                    converter=converter,
                )
                doc_rows.append(doc)
                line_rows.extend(lines)
                tax_rows.extend(taxes)
                if not issue or (d.totals.payable.is_zero and d.totals.gross.is_zero):
                    continue
                entry = post_document(to_posting(d), entry_id=next(entry_ids), chart=self._chart)
                e_rows, l_rows = self._entry_rows([entry], periods=periods)
                entry_rows.extend(e_rows)
                jl_rows.extend(l_rows)
                continue
            cur = d.currency
            self._ensure_currency(cur)
            code = cur.code
            due = d.due
            gross = d.gross
            doc_rows.append(
                (
                    d.doc_id,
                    "invoice",
                    "issued" if issue else "draft",
                    series.code if issue else None,
                    number,
                    d.customer_id,
                    d.contract_id,
                    run_id,
                    d.key,
                    code,
                    day_text if issue else None,
                    due if issue else None,
                    day_text,
                    d.start,
                    d.stop,
                    d.po_number,
                    d.terms,
                    None,
                    None,
                    "",
                    d.net,
                    d.tax,
                    0,
                    gross,
                    gross,
                    snapshot_text(d.snapshot),
                    _NOTES.get(d.notes) or _notes_json(d.notes),
                    now,
                    now if issue else None,
                )
            )
            line_rows.extend(d.lines)
            tax_rows.extend(d.taxes)
            if not issue:
                continue
            entry_id = next(entry_ids)
            assert number is not None
            entry_rows.append((entry_id, day_text, "invoice", d.doc_id, number, due, "", None, now))
            jl_rows.append(
                (entry_id, 1, ar, code, gross, d.customer_id, d.doc_id, day_text, day_text, due)
            )
            n = 1
            if d.net:
                n += 1
                jl_rows.append(
                    (entry_id, n, revenue, code, -d.net, None, None, day_text, None, None)
                )
            for tax_code, units in d.tax_by_code:
                if units:
                    account = tax_accounts.get(tax_code)
                    if account is None:
                        account = tax_accounts[tax_code] = self._chart.tax_payable_code(tax_code)
                    n += 1
                    jl_rows.append(
                        (entry_id, n, account, code, -units, None, None, day_text, None, None)
                    )
        self._store.executemany(DOC_INSERT, doc_rows)
        self._store.executemany(LINE_INSERT, line_rows)
        if tax_rows:
            self._store.executemany(TAX_INSERT, tax_rows)
        if entry_rows:
            self._store.executemany(ENTRY_SQL, entry_rows)
            self._store.executemany(LINE_SQL, jl_rows)
        return [d.doc_id if isinstance(d, CompactInvoice) else d.id for d in issued]

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

    def invoice_sales_order(
        self,
        order_id: str,
        *,
        date: dt.date | None = None,
        issue: bool = True,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Invoice one sales order now, instead of waiting for the next bill run.

        Lines without a price are priced from the order's rate card (or its contract's)
        on the order date; the invoice is taxed like a bill run's, has run key
        ``order:<id>``, and the order is marked billed, so no bill run bills it again.

        Args:
            order_id: The sales order.
            date: Invoice (and tax point) date; today by default.
            issue: Issue and post it now; ``False`` stores a draft.
            actor: Who invoices it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            NotFound: No such order.
            InvalidState: The order was billed already.
            ValidationError: A line has no price, or a price in another currency, or the
                invoice fails validation (nothing is stored).
        """
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT data, document_id FROM sales_orders WHERE id = ?", (order_id,)
            )
            if row is None:
                raise NotFound("sales order", order_id)
            if row[1] is not None:
                billed = self.get_document(str(row[1]))
                raise InvalidState(
                    f"sales order {order_id} was billed on {billed.number or billed.id}",
                    document_id=billed.id,
                )
            order = self._sales_order(row[0], None)
            if not order.rate_card and order.contract_id is not None:
                contract = self.get_contract(order.contract_id)
                card = contract.version_at(max(order.order_date, contract.start)).rate_card
                if card:
                    order = attrs.evolve(order, rate_card=card)
            customers: dict[str, Customer] = {}
            self._load_customers({order.customer_id}, customers)
            if order.customer_id not in customers:
                raise NotFound("customer", order.customer_id)
            [doc_id] = self._new_document_ids(1)
            draft = order_invoice(
                doc_id,
                order,
                customers[order.customer_id],
                tax=TaxContext(self.seller(), self.tax_table()),
                tax_point=day,
                rate_cards={card.code: card for card in self.list_rate_cards()},
                rounding=self.rounding(),
            )
            stored = self._store_correction(draft, issue, day, touched)
            self._store.execute(
                "UPDATE sales_orders SET document_id = ?, status = 'billed' WHERE id = ?",
                (stored["id"], order_id),
            )
            return stored

        result = self._run(
            "invoice_sales_order",
            actor=actor,
            key=idempotency_key,
            args={"order_id": order_id, "date": day, "issue": issue},
            body=body,
        )
        return self.get_document(str(result["id"]))

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


#: The columns :func:`time_entry` reads, in its order.
TIME_ENTRY_COLUMNS: Final = "id, person, role, work_date, hours, approved, description"


def time_entry(row: Sequence[Any]) -> TimeEntry:
    """A stored time entry (a row of :data:`TIME_ENTRY_COLUMNS`)."""
    return TimeEntry(
        id=str(row[0]),
        person=str(row[1]),
        role=str(row[2]),
        date=as_date(row[3]),
        hours=as_decimal(row[4]),
        billable=str(row[6]) != "not billable",
        approved=bool(row[5]),
    )


def time_items(contract: Contract) -> set[ItemCode]:
    """The items ``contract`` bills time for, in any version (the bill run keys a
    contract's time entries under each of them)."""
    return {
        line.item for v in contract.versions for line in v.lines if line.kind is ChargeKind.TIME
    }


def _bills_usage(contract: Contract, item: ItemCode, period: Period) -> bool:
    """Whether ``contract`` bills usage of ``item`` in ``period``."""
    return any(
        line.kind is ChargeKind.USAGE and line.item == item
        for _piece, version in contract.pieces(period)
        for line in version.lines
    )


def _usage_owner(
    contracts: Sequence[Contract],
    periods: Mapping[str, tuple[Period, ...]],
    item: ItemCode,
    day: dt.date,
) -> tuple[Contract, Period] | None:
    """The contract (lowest id first) and period that bill usage of ``item`` on ``day``."""
    for contract in contracts:
        for p in periods[contract.id]:
            if p.start <= day < p.end and _bills_usage(contract, item, p):
                return contract, p
    return None


# The scanner of as_json's decoder (json.loads(text, parse_float=Decimal)).
_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = getattr(  # noqa: B009
    json.JSONDecoder(parse_float=Decimal), "scan_once"
)


def _decode(data: object) -> Any:
    """``as_json(data)``: a stored JSON text decoded by the scanner itself when it is
    exactly one value (what ``json.loads`` then does too), skipping its wrappers."""
    if type(data) is str:
        try:
            value, end = _SCAN(data, 0)
        except StopIteration:
            return as_json(data)
        if end == len(data):
            return value
    return as_json(data)


_NOTES: dict[str, str] = {}


def _notes_json(note: str) -> str:
    text = _NOTES[note] = json.dumps([note])
    return text


def _add_totals(totals: dict[str, Money], invoices: Sequence[CompactInvoice]) -> dict[str, Money]:
    """``totals`` (payable per currency code) with the compact path's invoices added."""
    sums: dict[Currency, int] = {}
    for inv in invoices:
        sums[inv.currency] = sums.get(inv.currency, 0) + inv.gross
    for cur, units in sums.items():
        amount = Money.from_minor(units, cur)
        prev = totals.get(cur.code)
        totals[cur.code] = amount if prev is None else prev + amount
    return totals


def _period_start(doc: Any) -> str:
    period = doc.period
    if period is None:
        return doc.issue_date.isoformat() if doc.issue_date else "1970-01-01"
    return str(period.start.isoformat())
