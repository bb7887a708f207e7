"""The bill run: stream contracts in batches through the planner, commit per batch.

:func:`bill_run` settles what the run shares (:func:`run_context`: tax context, rate
cards and whether the compact form applies, decided by
:func:`o2c.billing.compact_eligibility.compact_ineligibility`), records the run, and
bills the active contracts batch by batch through the stages of
:mod:`o2c.book._bill_stages` (in this process or, see :mod:`o2c.book._parallel`, with
batches planned in worker processes), then the sales orders of no contract.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import attrs

from o2c.billing import CompactPlanner, PlanCaches
from o2c.billing.billrun import BillRunInputs, start_period
from o2c.billing.compact_eligibility import CompactRunTerms, compact_ineligibility
from o2c.billing.taxing import TaxContext
from o2c.billing.unbilled import Unbilled, UnbilledStatus
from o2c.billing.validation import BillRunPolicy
from o2c.book import _bill_stages as stages
from o2c.book import _catalog as catalog
from o2c.book import _journal as journal
from o2c.book import _unbilled as unbilled
from o2c.book._contracts import get_contract
from o2c.book._exceptions_queue import ExceptionRecord, queue_entry
from o2c.book._session import Session, Touched
from o2c.book._tables import contracts as contracts_table
from o2c.book._tables import documents as documents_table
from o2c.book._tables import revrec as revrec_table
from o2c.book._tables import runs as runs_table
from o2c.book._tables import sellers as sellers_table
from o2c.calendar import Period
from o2c.contracts import Contract
from o2c.credit import CreditCheck
from o2c.errors import Conflict, ValidationError
from o2c.money import Money

__all__ = [
    "DEFAULT_BATCH",
    "BillRunProgress",
    "BillRunResult",
    "batch_bounds",
    "bill_run",
    "check_invoice_now",
    "invoice_start",
    "run_context",
]

#: Contracts per batch: each batch is planned, written and committed on its own.
DEFAULT_BATCH: Final = 10_000


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
class BillRunResult:
    """What a bill run did (or, dry, would do).

    Attributes:
        run_id: The run's id (``None`` for a dry run).
        period: The run period.
        cut_off: The cut-off date.
        dry_run: Whether nothing was written.
        issued: Whether invoices were issued (else left as drafts).
        document_ids: The invoices created (or planned), in order.
        exceptions: The exceptions queue entries of this run (contract periods and
            orders that failed validation, and usage or time for an item no contract
            of the customer bills, keyed ``usage:<customer>:<item>``/``time:<customer>``).
        skipped: Run keys left alone (already billed, nothing to bill).
        totals: Payable total per currency code.
        skipped_reasons: ``skipped`` by reason (``"already billed"``, ``"nothing to
            bill"``, ``"zero amount"``).
        pending: What the run did not bill and a later run will, each with why
            (:class:`o2c.billing.unbilled.Unbilled`): contracts whose period ends after
            the run's (or that start later), usage and time of such periods or after the
            cut-off, time not approved or not billable, inputs waiting for an exception.
        credit_warnings: Customers the run invoiced whose credit is now blocked: over
            their credit limit with the run's invoices, or on credit hold (issue 20;
            none when the ``credit.bill_run`` setting is ``off``; not for a dry run).
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
    skipped_reasons: Mapping[str, int] = attrs.field(factory=dict)
    pending: tuple[Unbilled, ...] = ()
    credit_warnings: tuple[CreditCheck, ...] = ()

    @property
    def invoices(self) -> int:
        """How many invoices the run created (or would create)."""
        return len(self.document_ids)


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


def run_context(
    session: Session,
    period: Period,
    cut: dt.date,
    day: dt.date,
    *,
    issue: bool,
    dry_run: bool,
    who: str,
    compact: bool = True,
) -> stages.RunContext:
    """What every batch of a run shares: tax context, rate cards, the compact planner
    (when the run may use the compact form; ``compact=False`` never) and the customers
    read so far."""
    tax = TaxContext(catalog.seller(session), catalog.tax_table(session))
    cards = {card.code: card for card in catalog.list_rate_cards(session)}
    rounding = catalog.rounding(session)
    reason: str | None = "switched off"
    if compact:
        reason = compact_ineligibility(
            CompactRunTerms(
                tax,
                BillRunPolicy(),
                day,
                posts=issue and not dry_run,
                closed_months=journal.accounting_periods(session).closed,
            )
        )
    if reason is None and revrec_table.has_rules(session.store):
        # The compact form posts one revenue amount; deferred lines need the general one.
        reason = "the book has revenue recognition rules"
    planner: CompactPlanner | None = None
    if reason is None:
        planner = CompactPlanner(
            PlanCaches(BillRunInputs(customers={}, rate_cards=cards, tax=tax, rounding=rounding)),
            period,
            day,
            tax_json=documents_table.charged_tax_json,
        )
    return stages.RunContext(
        period,
        cut,
        day,
        issue,
        dry_run,
        who,
        tax,
        cards,
        planner,
        reason,
        {},
        sellers_table.current_version(session.store),
    )


def batch_bounds(session: Session, size: int) -> list[tuple[str, str]]:
    """The batches of the active contracts: ``(after, upto]`` id ranges of ``size``."""
    with session.store.transaction(write=False):
        ids = contracts_table.active_ids(session.store)
    return [
        (ids[start - 1] if start else "", ids[min(start + size, len(ids)) - 1])
        for start in range(0, len(ids), size)
    ]


def bill_next_batch(
    session: Session, after: str, size: int, ctx: stages.RunContext, run_id: str | None
) -> stages.BatchOutcome | None:
    """Select, plan and commit the next batch of contracts after id ``after``; ``None``
    at the end.

    The batch is read, planned and committed in one transaction. Only small results
    leave: the batch's plan and documents die here, before the garbage collector
    resumes, so it never walks them.
    """
    with session.store.transaction(write=not ctx.dry_run):
        rows = stages.select_batch(session, after=after, limit=size)
        if not rows:
            return None
        outcome = stages.commit_prepared(
            session, stages.plan_compact(session, rows, ctx), ctx, run_id
        )
        beat(session, run_id)
        return outcome


def beat(session: Session, run_id: str | None) -> None:
    """Record, in the batch's transaction, that run ``run_id`` is alive (see
    :func:`_take_over_dead_runs`)."""
    if run_id is not None:
        runs_table.heartbeat(session.store, run_id, session.now().isoformat())


#: A run recorded as running that committed nothing for this long is taken for dead (its
#: process was killed, the machine went down): batches commit every second or two.
RUN_LEASE: Final = dt.timedelta(minutes=10)


def _take_over_dead_runs(session: Session) -> None:
    """Mark runs whose process died as failed; refuse to start beside a live one.

    A run is alive while its last committed batch (or its start) is within
    :data:`RUN_LEASE`. What a dead run committed stays (its invoices are issued and
    its run keys bill nothing twice); the run starting now bills the rest.

    Raises:
        Conflict: Another bill run is working on the book.
    """
    now = session.now()
    for run_id, actor, started, beat_at in runs_table.running_runs(session.store):
        last = beat_at or started
        if now - last < RUN_LEASE:
            raise Conflict(
                f"bill run {run_id} (started by {actor} at {started:%Y-%m-%d %H:%M} UTC) is "
                f"still running: its last batch committed at {last:%H:%M:%S} UTC; wait for "
                f"it (a run silent for {RUN_LEASE.seconds // 60} minutes is taken for dead)"
            )
        runs_table.fail_run(
            session.store,
            run_id,
            now=now.isoformat(),
            note=(
                f"abandoned: no batch committed since {last.isoformat()}; taken over at "
                f"{now.isoformat()} (what it committed stays; the next run billed the rest)"
            ),
        )


def prepare_range(
    session: Session, after: str, upto: str, ctx: stages.RunContext
) -> stages.Prepared:
    """Select and plan (not write) the active contracts with ids in ``(after, upto]``."""
    with session.store.transaction(write=False):
        rows = stages.select_batch(session, after=after, upto=upto)
        return stages.plan_compact(session, rows, ctx)


def _start_run(session: Session, period: Period, cut: dt.date, who: str) -> str:
    def body(touched: Touched) -> dict[str, Any]:
        _take_over_dead_runs(session)
        run_id = f"BR{session.next_numbers('bill_run'):06d}"
        runs_table.start_run(session.store, run_id, period, cut, who, session.now().isoformat())
        touched.add(run_id)
        return {"id": run_id}

    result = session.run(
        "bill_run_start",
        actor=who,
        key=None,
        args={"period": period.label, "cut_off": cut},
        body=body,
    )
    return str(result["id"])


def _finish_run(
    session: Session, run_id: str, invoices: int, exceptions: int, skipped: int
) -> None:
    def body(touched: Touched) -> dict[str, Any]:
        runs_table.finish_run(
            session.store,
            run_id,
            invoices=invoices,
            exceptions=exceptions,
            skipped=skipped,
            now=session.now().isoformat(),
        )
        touched.add(run_id)
        return {}

    session.run(
        "bill_run_finish",
        actor=None if session.default_actor else session.who(None),
        key=None,
        args={"run_id": run_id, "invoices": invoices, "exceptions": exceptions},
        body=body,
    )


@contextmanager
def _failure_recorded(session: Session, run_id: str | None) -> Iterator[None]:
    """Run the block; if it stops (an error, an interrupt), record run ``run_id`` as
    failed at once rather than leave it "running" for the next run to take over after
    its lease. What it committed stays."""
    try:
        yield
    except BaseException as error:
        if run_id is not None:
            _fail_run(session, run_id, f"stopped: {type(error).__name__}: {error}")
        raise


def _fail_run(session: Session, run_id: str, note: str) -> None:
    def body(touched: Touched) -> dict[str, Any]:
        runs_table.fail_run(session.store, run_id, now=session.now().isoformat(), note=note)
        touched.add(run_id)
        return {}

    try:
        session.run(
            "bill_run_finish",
            actor=None if session.default_actor else session.who(None),
            key=None,
            args={"run_id": run_id, "failed": note[:200]},
            body=body,
        )
    except Exception:  # the run's own error matters more; the lease recovers
        return


def _not_planned(waiting: list[Unbilled], documents: list[str]) -> list[Unbilled]:
    """The pending records a dry run would leave: not those of the contract periods it
    planned invoices for (a bill run's invoice id is the run key after
    ``stages.RUN_DOCUMENT_PREFIX``), which the store still shows unbilled because a dry
    run writes nothing."""
    prefix = stages.RUN_DOCUMENT_PREFIX
    planned = {d.removeprefix(prefix) for d in documents if d.startswith(prefix)}
    return [u for u in waiting if u.run_key not in planned]


def _left_unbilled(
    session: Session, run_id: str | None, period: Period, cut: dt.date, who: str
) -> tuple[list[ExceptionRecord], list[Unbilled]]:
    """Nothing stays unbilled silently: the usage, time and orders a run left are
    exceptions (no contract bills them; queued unless dry) or pending with why."""
    with session.store.transaction(write=False):
        left = unbilled.list_unbilled(session, period, cut)
    found = unbilled.input_exceptions(left)
    if run_id is not None:
        unbilled.record_input_exceptions(session, run_id, found, who)
    return found, [u for u in left if u.status is UnbilledStatus.PENDING]


def _credit_warnings(session: Session, run_id: str | None, day: dt.date) -> tuple[CreditCheck, ...]:
    # Credit limits and holds (issue 20): the customers the run took past them.
    if run_id is None:
        return ()
    from o2c.book._credit import bill_run_credit

    with session.store.transaction(write=False):
        return tuple(bill_run_credit(session, run_id, day))


def bill_run(
    session: Session,
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
    compact: bool = True,
) -> BillRunResult:
    """Bill every active contract for ``period`` (see :meth:`o2c.Book.bill_run`);
    ``compact=False`` bills every contract with the general planner."""
    run_period = period if isinstance(period, Period) else Period.parse(period)
    cut = cut_off or run_period.last_day
    day = invoice_date or cut
    if batch_size < 1:
        raise ValidationError("batch_size", batch_size, "at least 1")
    if workers < 1:
        raise ValidationError("workers", workers, "at least 1")
    who = session.who(actor)
    ctx = run_context(
        session, run_period, cut, day, issue=issue, dry_run=dry_run, who=who, compact=compact
    )
    total = contracts_table.count_active(session.store)
    run_id: str | None = None
    if not dry_run:
        run_id = _start_run(session, run_period, cut, who)
    with _failure_recorded(session, run_id):
        documents: list[str] = []
        exceptions: list[ExceptionRecord] = []
        totals: dict[str, Money] = {}
        skipped = 0
        done = 0

        reasons: dict[str, int] = {}
        pending: list[Unbilled] = []

        def add(batch: stages.BatchOutcome) -> None:
            nonlocal skipped, done
            _last_id, count, ids, plan_exceptions, plan_skipped, plan_totals, why, waiting = batch
            documents.extend(ids)
            done += count
            exceptions.extend(plan_exceptions)
            skipped += plan_skipped
            for reason, n in why.items():
                reasons[reason] = reasons.get(reason, 0) + n
            pending.extend(waiting)
            for code, amount in plan_totals.items():
                prev = totals.get(code)
                totals[code] = amount if prev is None else prev + amount
            if progress is not None:
                progress(BillRunProgress(done, total, len(documents), len(exceptions)))

        location = session.location
        bounds = batch_bounds(session, batch_size) if workers > 1 and location else []
        if len(bounds) > 1:
            # Batches planned in worker processes while another one writes; written and
            # committed one at a time, in contract order (see o2c.book._parallel).
            from o2c.book._parallel import WorkerSpec, bill_in_workers

            assert location is not None
            spec = WorkerSpec(
                location=location[0],
                schema=location[1],
                chart=session.chart,
                fixed_now=None if session.uses_system_clock else session.now(),
                period=run_period.label,
                cut=cut,
                day=day,
                issue=issue,
                dry_run=dry_run,
                who=who,
                run_id=run_id,
                compact=compact,
            )
            bill_in_workers(spec, bounds, min(workers, len(bounds)), add)
        else:
            last_id = ""
            while True:
                with _gc_paused():
                    batch = bill_next_batch(session, last_id, batch_size, ctx, run_id)
                    if batch is None:
                        break
                    last_id = batch[0]
                    add(batch)
                    del batch
        # Sales orders without a contract: invoices of their own, after the contracts.
        with session.store.transaction(write=not dry_run):
            plan = stages.plan_general(session, [], ctx)
            if plan.candidates or plan.exceptions:
                if dry_run:
                    documents.extend(c.document.id for c in plan.candidates)
                else:
                    assert run_id is not None
                    documents.extend(stages.write_batch(session, plan, [], run_id, ctx))
        exceptions.extend(queue_entry(e) for e in plan.exceptions)
        for currency, amount in plan.totals().items():
            prev = totals.get(currency.code)
            totals[currency.code] = amount if prev is None else prev + amount
        found, waiting = _left_unbilled(session, run_id, run_period, cut, who)
        exceptions.extend(found)
        pending.extend(_not_planned(waiting, documents) if dry_run else waiting)
        if run_id is not None:
            _finish_run(session, run_id, len(documents), len(exceptions), skipped)
    warnings = _credit_warnings(session, run_id, day)
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
        reasons,
        tuple(pending),
        warnings,
    )


def check_invoice_now(contract: Contract) -> None:
    """Refuse a start invoice for a contract billed in arrears.

    Raises:
        ValidationError: The contract has no start invoice (billed in arrears).
    """
    if start_period(contract) is None:
        raise ValidationError(
            "invoice_now",
            contract.id,
            "a contract billed in advance (one billed in arrears is invoiced when its "
            "first period ends)",
        )


def invoice_start(
    session: Session,
    contract_id: str,
    *,
    invoice_date: dt.date | None = None,
    actor: str | None = None,
) -> BillRunResult:
    """Issue the start invoice of in-advance contract ``contract_id`` now: its first
    period (prorated where the contract starts inside it), with run key
    ``"{contract}:{period}:start"``, as a one-contract bill run of the month of its start
    (see :meth:`o2c.Book.invoice_contract_start`). Billed already (by a run or an
    earlier call): nothing new, the key is counted as skipped.

    Raises:
        NotFound: No such contract.
        ValidationError: The contract is billed in arrears (it is invoiced when its first
            period ends).
    """
    contract = get_contract(session, contract_id)
    check_invoice_now(contract)
    day = invoice_date or session.today()
    start = contract.start
    run_period = Period.month(start.year, start.month)
    who = session.who(actor)
    ctx = run_context(
        session, run_period, day, day, issue=True, dry_run=False, who=who, compact=False
    )
    run_id = _start_run(session, run_period, day, who)
    with session.store.transaction(write=True):
        plan = stages.plan_general(session, [contract], ctx, only_start=True)
        documents = (
            stages.write_batch(session, plan, [], run_id, ctx)
            if plan.candidates or plan.exceptions
            else []
        )
    exceptions = tuple(queue_entry(e) for e in plan.exceptions)
    _finish_run(session, run_id, len(documents), len(exceptions), len(plan.skipped))
    totals = {currency.code: amount for currency, amount in plan.totals().items()}
    return BillRunResult(
        run_id,
        run_period,
        day,
        False,
        True,
        tuple(documents),
        exceptions,
        len(plan.skipped),
        totals,
        {s.reason: 1 for s in plan.skipped},
    )
