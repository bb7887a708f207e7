"""The stages of one bill run batch: select contracts, plan, number, write, post and
record (run keys, billed orders, time and usage, the exceptions queue).

A batch is read and planned first (:func:`select_batch`, :func:`plan_compact`), which
worker processes may do ahead of time, then written in one command
(:func:`commit_prepared`): the contracts the compact form did not take are planned by
the general planner (:func:`plan_general`), both forms' invoices are numbered
(:func:`number_invoices`), written and posted (:func:`write_invoices`) and the run's
bookkeeping recorded (:func:`record_batch`), in contract order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from o2c.billing import (
    CompactInvoice,
    CompactPlanner,
    CustomerSnapshot,
    Document,
    DocumentKind,
    LineSource,
    NumberSeries,
    format_number,
)
from o2c.billing.billrun import (
    BillRunInputs,
    BillRunPlan,
    Candidate,
    plan_bill_run,
)
from o2c.billing.lifecycle import issue as issue_draft
from o2c.billing.posting import to_posting
from o2c.billing.taxing import TaxContext
from o2c.billing.unbilled import Unbilled
from o2c.book import _bill_inputs as inputs
from o2c.book import _catalog as catalog
from o2c.book import _issuing as issuing
from o2c.book import _journal as journal
from o2c.book._codec import as_json
from o2c.book._contract_reader import read_contract
from o2c.book._exceptions_queue import ExceptionRecord, queue_entry, record_exceptions
from o2c.book._fx_rates import keep_source_rows
from o2c.book._revrec import deferral as revrec_deferral
from o2c.book._session import Session, Touched
from o2c.book._tables import contracts as contracts_table
from o2c.book._tables import documents as documents_table
from o2c.book._tables import journal as journal_table
from o2c.book._tables import orders as orders_table
from o2c.book._tables import runs as runs_table
from o2c.book._tables import usage as usage_table
from o2c.calendar import Period
from o2c.contracts import Contract
from o2c.errors import InvalidState
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io import structure
from o2c.ledger.posting import post_document, post_invoice_minor
from o2c.money import Currency, Money
from o2c.parties import Customer
from o2c.pricing import RateCard

__all__ = [
    "RUN_DOCUMENT_PREFIX",
    "BatchOutcome",
    "Prepared",
    "RunContext",
    "commit_prepared",
    "decode",
    "number_invoices",
    "plan_compact",
    "plan_general",
    "record_batch",
    "select_batch",
    "write_batch",
    "write_invoices",
]

#: A bill run's invoice id is this prefix and its run key (``B:K1:2026-10``): planned and
#: written alike, so a dry run's planned ids name the run keys it would bill.
RUN_DOCUMENT_PREFIX: Final = "B:"

#: What a committed (or, dry, planned) batch leaves: the last contract id, contracts
#: looked at, document ids, exceptions, run keys skipped, payable totals by currency,
#: skipped run keys by reason and the contracts with nothing to bill in the run (why).
BatchOutcome = tuple[
    str,
    int,
    list[str],
    list[ExceptionRecord],
    int,
    dict[str, Money],
    dict[str, int],
    list[Unbilled],
]

#: The usage record ids each (run key, item) of a batch sums.
UsageIds = dict[tuple[str, ItemCode], list[str]]

#: A stored contract row: id, customer id and data (as stored).
ContractRow = tuple[object, object, object]


class RunContext:
    """What every batch of one bill run shares (see ``o2c.book._bill_run.run_context``).

    ``compact`` is the compact planner when the run may use the compact form, and
    ``compact_reason`` why not otherwise (``o2c.billing.compact_eligibility``).
    """

    __slots__ = (
        "cards",
        "compact",
        "compact_reason",
        "customers",
        "cut",
        "day",
        "dry_run",
        "issue",
        "period",
        "seller_version",
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
        compact_reason: str | None,
        customers: dict[str, Customer],
        seller_version: int | None = None,
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
        self.compact_reason = compact_reason
        self.customers = customers
        #: The seller version the run's invoices record (read once, at its start).
        self.seller_version = seller_version


class Prepared:
    """A batch read and planned in the compact form, not written yet: its invoices
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


# The scanner of as_json's decoder (json.loads(text, parse_float=Decimal)).
_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = getattr(  # noqa: B009
    json.JSONDecoder(parse_float=Decimal), "scan_once"
)


def decode(data: object) -> Any:
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


# -- select ----------------------------------------------------------------------------


def select_batch(
    session: Session, *, after: str, upto: str | None = None, limit: int | None = None
) -> list[ContractRow]:
    """Stage 1: the active contracts of a batch (ids after ``after``, up to ``upto`` or
    ``limit`` of them), in id order (in the caller's transaction)."""
    return contracts_table.active_rows(session.store, after=after, upto=upto, limit=limit)


# -- plan ------------------------------------------------------------------------------


def plan_compact(session: Session, rows: Sequence[ContractRow], ctx: RunContext) -> Prepared:
    """Stage 2a: the batch's contracts, with those of the common shapes planned in the
    compact form (see :mod:`o2c.billing._compact`); reads but writes nothing."""
    last_id = str(rows[-1][0]) if rows else ""
    compact = ctx.compact
    if compact is None:
        return Prepared(last_id, len(rows), [], [(n, decode(r[2])) for n, r in enumerate(rows)])
    customers = ctx.customers
    inputs.load_customers(session, {str(r[1]) for r in rows}, customers)
    with_orders = orders_table.contracts_with_unbilled(session.store, [str(r[0]) for r in rows])
    planned: list[tuple[int, CompactInvoice]] = []
    rest: list[tuple[int, Mapping[str, Any]]] = []
    for n, (cid, _customer, text) in enumerate(rows):
        data = decode(text)
        invoice = None
        if str(cid) not in with_orders:
            invoice = compact.plan(data, customers.get(str(data["customer_id"])))
        if invoice is None:
            rest.append((n, data))
        else:
            planned.append((n, invoice))
    return Prepared(last_id, len(rows), planned, rest)


def plan_general(
    session: Session,
    contracts: list[Contract],
    ctx: RunContext,
    usage_ids: UsageIds | None = None,
    *,
    only_start: bool = False,
) -> BillRunPlan:
    """Stage 2b: plan contracts with the general planner (none: the sales orders of no
    contract); ``usage_ids`` receives the usage records each (run key, item) sums;
    ``only_start``: only the start invoices of in-advance contracts."""
    period, cut, customers = ctx.period, ctx.cut, ctx.customers
    inputs.load_customers(session, {c.customer_id for c in contracts}, customers)
    ids = [str(c.id) for c in contracts]
    # The contract-period keys this batch could bill, looked up by the run_key index
    # (bill_run_items has none on contract_id: a lookup by contract scanned the
    # whole table per chunk, quadratic over a run). These are exactly the keys the
    # planner checks; sales-order keys are looked up below.
    keys = [] if only_start else inputs.period_keys(contracts, period)
    keys.extend(inputs.start_keys(contracts, None if only_start else period))
    billed = inputs.billed_keys(session, keys)
    # Each usage record is one transaction for the percentage price models.
    transactions: dict[tuple[str, ItemCode], tuple[Decimal, ...]] = {}
    usage = inputs.usage_for(session, contracts, period, cut, customers, usage_ids, transactions)
    orders = (
        inputs.orders_for(session, ids, cut)
        if ids
        else inputs.loose_orders(session, cut, customers)
    )
    billed |= inputs.billed_keys(session, [o.run_key for o in orders])
    plan_inputs = BillRunInputs(
        customers={CustomerId(k): v for k, v in customers.items()},
        rate_cards=ctx.cards,
        tax=ctx.tax,
        usage=usage,
        transactions=transactions,
        time=inputs.time_for(session, contracts, period, cut),
        orders=orders,
        rounding=catalog.rounding(session),
    )
    return plan_bill_run(
        contracts,
        period,
        cut_off=cut,
        inputs=plan_inputs,
        already_billed=billed,
        invoice_date=ctx.day,
        id_for=lambda key: DocumentId(f"{RUN_DOCUMENT_PREFIX}{key}"),
        only_start=only_start,
    )


def commit_prepared(
    session: Session, prepared: Prepared, ctx: RunContext, run_id: str | None
) -> BatchOutcome:
    """Plan the rest of a prepared batch with the general planner, then number, post and
    store both forms' invoices in contract order (in the caller's transaction).

    Contracts billed before (a re-run) are skipped here, inside the transaction that
    writes, so no contract period is billed twice even by concurrent runs.
    """
    count = prepared.count
    mixed: list[tuple[int, CompactInvoice | Candidate]] = []
    skipped = 0
    planned, rest = prepared.planned, prepared.rest
    prepared.planned, prepared.rest = [], []  # memory stays one copy
    billed = inputs.billed_keys(session, [inv.key for _n, inv in planned])
    for n, invoice in planned:
        if invoice.key in billed:
            # Billed before (a re-run): the general planner would skip its
            # only key, and the contract has no order to bill.
            skipped += 1
        else:
            mixed.append((n, invoice))
    converter = session.converter()

    def by_cattrs(plain: object) -> Contract:
        return structure(plain, Contract, converter=converter)

    contracts = [read_contract(d, by_cattrs) for _n, d in rest]
    usage_ids: UsageIds = {}
    plan = (
        plan_general(session, contracts, ctx, usage_ids)
        if contracts
        else BillRunPlan(ctx.period, ctx.cut, (), ())
    )
    if mixed:
        # Everything is numbered, posted and stored in contract order (sales
        # orders on invoices of their own last), as by the general planner
        # alone; the sort is stable, so its candidates keep their order.
        position = {str(d["id"]): n for n, d in rest}
        mixed.extend((position.get(str(c.document.contract_id), count), c) for c in plan.candidates)
        mixed.sort(key=lambda m: m[0])
    if ctx.dry_run:
        ids: list[str] = (
            [m.doc_id if isinstance(m, CompactInvoice) else m.document.id for _n, m in mixed]
            if mixed
            else [c.document.id for c in plan.candidates]
        )
    else:
        assert run_id is not None
        ids = write_batch(session, plan, [m[1] for m in mixed], run_id, ctx, usage_ids)
    reasons: dict[str, int] = {"already billed": skipped} if skipped else {}
    for s in plan.skipped:
        reasons[s.reason] = reasons.get(s.reason, 0) + 1
    return (
        prepared.last_id,
        count,
        ids,
        [queue_entry(e) for e in plan.exceptions],
        len(plan.skipped) + skipped,
        add_totals(
            {currency.code: amount for currency, amount in plan.totals().items()},
            [inv for _n, inv in mixed if isinstance(inv, CompactInvoice)],
        ),
        reasons,
        list(plan.pending),
    )


def add_totals(totals: dict[str, Money], invoices: Sequence[CompactInvoice]) -> dict[str, Money]:
    """``totals`` (payable per currency code) with the compact form's invoices added."""
    sums: dict[Currency, int] = {}
    for inv in invoices:
        sums[inv.currency] = sums.get(inv.currency, 0) + inv.gross
    for cur, units in sums.items():
        amount = Money.from_minor(units, cur)
        prev = totals.get(cur.code)
        totals[cur.code] = amount if prev is None else prev + amount
    return totals


# -- write: the batch's command --------------------------------------------------------


def write_batch(
    session: Session,
    plan: BillRunPlan,
    mixed: Sequence[CompactInvoice | Candidate],
    run_id: str,
    ctx: RunContext,
    usage_ids: Mapping[tuple[str, ItemCode], list[str]] | None = None,
) -> list[str]:
    """Store a batch as one command: ``plan``'s candidates, or ``mixed`` (the compact
    form's invoices and the plan's candidates, in contract order) when it is not empty,
    through :func:`write_invoices`; then record its run keys, billed orders, time and
    usage, and its exceptions."""
    day, issue = ctx.day, ctx.issue
    compact = [m for m in mixed if isinstance(m, CompactInvoice)]
    candidates = [m for m in mixed if isinstance(m, Candidate)] if mixed else list(plan.candidates)

    def body(touched: Touched) -> dict[str, Any]:
        ids = write_invoices(
            session,
            mixed or candidates,
            run_id,
            day,
            issue=issue,
            seller_version=ctx.seller_version,
        )
        record_batch(session, run_id, mixed or candidates, candidates, usage_ids)
        record_exceptions(session, run_id, [queue_entry(e) for e in plan.exceptions])
        touched.extend(ids)
        return {"documents": ids}

    result = session.run(
        "bill_run",
        actor=ctx.who,
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


def number_invoices(
    session: Session, mixed: Sequence[CompactInvoice | Candidate], day: dt.date, *, issue: bool
) -> tuple[NumberSeries, list[CompactInvoice | Document], list[str | None]]:
    """Stage 3: number both forms' invoices (gapless, in the order given) and issue the
    general form's drafts; ``issue=False`` leaves them drafts without numbers.

    Raises:
        InvalidState: A candidate is not an invoice.
    """
    series = issuing.number_series(session, DocumentKind.INVOICE)
    for m in mixed:
        if isinstance(m, Candidate) and m.document.kind is not DocumentKind.INVOICE:
            raise InvalidState(f"a bill run issues invoices, not {m.document.kind.value}")
    numbers: list[str | None] = [None] * len(mixed)
    if issue and mixed:
        first = session.next_numbers(series.counter_key(day.year, day.month), len(mixed))
        numbers = [format_number(series, day.year, first + n, day.month) for n in range(len(mixed))]
    issued: list[CompactInvoice | Document] = []
    for m, number in zip(mixed, numbers, strict=True):
        if isinstance(m, CompactInvoice):
            issued.append(m)
        else:
            issued.append(m.document if number is None else issue_draft(m.document, number, day))
    return series, issued, numbers


def write_invoices(
    session: Session,
    mixed: Sequence[CompactInvoice | Candidate],
    run_id: str,
    day: dt.date,
    *,
    issue: bool = True,
    seller_version: int | None = None,
) -> list[str]:
    """Stages 3 to 5: number, write and post invoices of both forms, in the order given
    (``issue=False``: store them as drafts); issued ones record ``seller_version``.

    Both forms write through the documents table's row function and post through the
    ledger's posting functions, so their rows, numbers and entry ids are the ones the
    general form alone gives (``tests/perf_equivalence`` checks it).
    """
    series, issued, numbers = number_invoices(session, mixed, day, issue=issue)
    postable = [
        d
        for d in issued
        if issue
        and (
            isinstance(d, CompactInvoice)
            or not (d.totals.payable.is_zero and d.totals.gross.is_zero)
        )
    ]
    entry_ids = iter(journal.new_entry_ids(session, len(postable)) if postable else [])
    now = session.now().isoformat()
    cache = session.snapshots
    converter = session.converter()
    chart = session.chart
    tax_accounts: dict[str, Any] = {}
    day_text = day.isoformat()
    # Snapshots are shared per customer: their JSON by object, for this batch.
    snapshots: dict[int, str] = {}

    def snapshot_text(snap: CustomerSnapshot) -> str:
        text = snapshots.get(id(snap))
        if text is None:
            text = snapshots[id(snap)] = documents_table.snapshot_json(snap, cache, converter)
        return text

    doc_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[Any, ...]] = []
    tax_rows: list[tuple[Any, ...]] = []
    entry_rows: list[tuple[Any, ...]] = []
    jl_rows: list[tuple[Any, ...]] = []
    periods = journal.accounting_periods(session)
    if postable and periods.closed:
        # Every entry is dated ``day`` (a month may have been closed since the run
        # started): the run stops here, before anything of the batch is written.
        periods.check_open(day)
    series_code = series.code if issue else None
    # Revenue recognition (o2c.book._revrec): None in a book without recognition rules.
    deferral = revrec_deferral(session) if postable else None
    for d, number in zip(issued, numbers, strict=True):
        if isinstance(d, Document):
            session.ensure_currency(d.currency)
            doc, lines, taxes = documents_table.document_rows(
                d,
                series=series_code,
                bill_run_id=run_id,
                now=now,
                issued_at=now if issue else None,
                snapshots=cache,
                converter=converter,
                seller_version=seller_version,
            )
            doc_rows.append(doc)
            line_rows.extend(lines)
            tax_rows.extend(taxes)
            if not issue or (d.totals.payable.is_zero and d.totals.gross.is_zero):
                continue
            entry_id = next(entry_ids)
            posting = to_posting(d)
            if deferral is not None:
                posting = deferral.defer(d, posting, entry_id)
            entry = post_document(posting, entry_id=entry_id, chart=chart)
            e_rows, l_rows = journal.entry_rows(session, [entry], periods=periods)
            entry_rows.extend(e_rows)
            jl_rows.extend(l_rows)
            continue
        session.ensure_currency(d.currency)
        doc_rows.append(
            documents_table.compact_document_row(
                d,
                number=number,
                series=series_code,
                bill_run_id=run_id,
                day=day_text,
                now=now,
                snapshot=snapshot_text(d.snapshot),
                seller_version=seller_version,
            )
        )
        line_rows.extend(d.lines)
        tax_rows.extend(d.taxes)
        if not issue:
            continue
        assert number is not None
        postings = post_invoice_minor(
            receivable=d.gross,
            revenue=d.net,
            taxes=d.tax_by_code,
            chart=chart,
            tax_accounts=tax_accounts,
        )
        e_row, l_rows = journal_table.minor_entry_rows(
            next(entry_ids),
            postings,
            day=day_text,
            kind="invoice",
            source=d.doc_id,
            reference=number,
            due=d.due,
            customer=d.customer_id,
            currency=d.currency.code,
            now=now,
        )
        entry_rows.append(e_row)
        jl_rows.extend(l_rows)
    documents_table.insert_rows(session.store, doc_rows, line_rows, tax_rows)
    keep_source_rows(session, entry_rows, jl_rows)
    journal_table.insert_entry_rows(session.store, entry_rows, jl_rows)
    if deferral is not None:
        deferral.write()
    return [d.doc_id if isinstance(d, CompactInvoice) else d.id for d in issued]


# -- record ----------------------------------------------------------------------------


def _period_start(doc: Document) -> str:
    period = doc.period
    if period is None:
        return doc.issue_date.isoformat() if doc.issue_date else "1970-01-01"
    return period.start.isoformat()


def time_ids(session: Session, contract_id: str | None, period: Period | None) -> list[str]:
    """The approved, unbilled time entries an invoice of ``contract_id`` for ``period``
    bills."""
    if contract_id is None or period is None:
        return []
    customer = contracts_table.customer_of(session.store, contract_id)
    if customer is None:
        return []
    return usage_table.approved_unbilled_time_ids(
        session.store, customer, contract_id, period.start, period.end
    )


def record_batch(
    session: Session,
    run_id: str,
    billed: Sequence[CompactInvoice | Candidate],
    candidates: Sequence[Candidate],
    usage_ids: Mapping[tuple[str, ItemCode], list[str]] | None,
) -> None:
    """Stage 6: record the run keys ``billed`` settles, and mark the sales orders, time
    entries and usage records the general form's ``candidates`` bill (``usage_ids``:
    the usage records per run key and item)."""
    store = session.store
    runs_table.insert_run_items(
        store,
        run_id,
        [
            (m.key, m.contract_id, m.start, m.doc_id)
            if isinstance(m, CompactInvoice)
            else (key, m.document.contract_id, _period_start(m.document), m.document.id)
            for m in billed
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
        orders_table.mark_billed(store, order_rows)
    time_rows = [
        (c.document.id, entry_id)
        for c in candidates
        for line in c.document.lines
        if line.source is LineSource.TIME
        for entry_id in time_ids(session, c.document.contract_id, c.document.period)
    ]
    if time_rows:
        usage_table.mark_time_billed(store, time_rows)
    # Usage rated at 0.00 has no line; the invoice bills its records all the same.
    usage_rows = [
        (c.document.id, record)
        for c in candidates
        for item in c.usage_items.union(
            line.item for line in c.document.lines if line.source is LineSource.USAGE
        )
        for key in c.run_keys
        for record in (usage_ids or {}).get((key, item), ())
    ]
    if usage_rows:
        usage_table.mark_usage_billed(store, usage_rows)
