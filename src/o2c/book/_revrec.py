"""Revenue recognition on the book: rules per item, deferral at issue, recognition runs,
releases, the period-close check and the deferred revenue reports.

A book without recognition rules behaves exactly as before: :func:`deferral` returns
``None`` after two probes (a deferring rule, a schedule), and issuing posts revenue as it
always did; ``at_issue`` rules defer nothing and count as none.
With rules, issuing a line of a deferring item posts its net to deferred revenue
(:data:`o2c.revrec.DEFERRED_REVENUE_ACCOUNT`) and stores its schedule; a credit note on
such a line reverses the unrecognized part first (:func:`o2c.revrec.apply_credit`); a
void reverses the whole schedule while nothing of it was recognized.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing import Document, DocumentKind
from o2c.book import _catalog as catalog
from o2c.book._area import Area
from o2c.book._journal import accounting_periods, new_entry_ids, write_entries
from o2c.book._lookups import document_id as lookup_id
from o2c.book._lookups import get_document
from o2c.book._session import Session, Touched
from o2c.book._tables import revrec as revrec_table
from o2c.book._tables.revrec import EventRow, ScheduleRow
from o2c.calendar import Period
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import AccountCode, EntryId
from o2c.ledger import DocumentPosting, RevenueAmount
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.money import Currency, Money, Rounding
from o2c.revrec import (
    DEFERRED_REVENUE_ACCOUNT,
    DeferredFlow,
    FlowKind,
    LineBalances,
    Movement,
    MovementKind,
    RecognitionMethod,
    RecognitionRule,
    RollForwardRow,
    ScheduledAmount,
    WaterfallRow,
    apply_credit,
    due_recognitions,
    line_balances,
    ratable_schedule,
    release,
    remaining_by_month,
    rollforward,
    service_period,
    usage_release,
    waterfall,
)

__all__ = [
    "Deferral",
    "LineSchedule",
    "RecognitionRun",
    "RevRecMixin",
    "check_recognized",
    "deferral",
    "line_schedules",
    "recognition_rules",
    "release_revenue",
    "revrec_rollforward",
    "revrec_run",
    "revrec_waterfall",
    "set_recognition_rule",
    "void_schedules",
]


# -- rules -------------------------------------------------------------------------------


def set_recognition_rule(
    session: Session,
    item: str,
    method: RecognitionMethod | str,
    *,
    term_months: int | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> RecognitionRule:
    """Set how ``item``'s revenue is recognized (see :meth:`RevRecMixin.set_recognition_rule`)."""
    rule = RecognitionRule(item, method, term_months)

    def body(touched: Touched) -> dict[str, Any]:
        revrec_table.put_rule(
            session.store, rule, now=session.now().isoformat(), who=session.who(actor)
        )
        touched.add(rule.item)
        return {"item": rule.item}

    session.run(
        "set_recognition_rule",
        actor=actor,
        key=idempotency_key,
        args={"item": rule.item, "method": rule.method.value, "term_months": term_months},
        body=body,
    )
    return revrec_table.rules(session.store)[rule.item]


def recognition_rules(session: Session) -> list[RecognitionRule]:
    """Every item's recognition rule, by item code."""
    return list(revrec_table.rules(session.store).values())


# -- deferral at issue -------------------------------------------------------------------


def _schedule_id(document_id: str, line_no: int) -> str:
    return f"RS-{document_id}-{line_no}"


class Deferral:
    """What issuing does in a book with recognition rules, for one command or batch.

    :meth:`defer` rewrites a document's posting (deferred lines to deferred revenue) and
    collects the schedule rows and movements; :meth:`write` stores them (in the same
    transaction as the entries).
    """

    __slots__ = ("_events", "_moves", "_plan", "_rounding", "_rules", "_schedules", "session")

    def __init__(self, session: Session, rules: dict[str, RecognitionRule]) -> None:
        self.session = session
        self._rules = rules
        self._rounding: Rounding = catalog.rounding(session)
        self._schedules: list[ScheduleRow] = []
        self._plan: list[tuple[str, ScheduledAmount]] = []
        self._events: list[tuple[str, Movement, dt.date, str, str]] = []
        # Movements collected in this batch, per schedule (a second credit note sees them).
        self._moves: dict[str, list[Movement]] = {}

    def defer(
        self, document: Document, posting: DocumentPosting, entry_id: EntryId
    ) -> DocumentPosting:
        """``posting`` with the deferred lines' revenue moved to deferred revenue."""
        if document.kind is DocumentKind.CREDIT_NOTE:
            deferred = self._credit(document, posting, entry_id)
        else:
            deferred = self._schedule(document, posting)
        if not deferred.is_positive:
            return posting
        return _moved(posting, deferred)

    def _schedule(self, document: Document, posting: DocumentPosting) -> Money:
        total = Money.zero(document.currency)
        revenue = self.session.chart.revenue_code(None)
        for line in document.lines:
            rule = self._rules.get(line.item)
            if rule is None or not rule.method.defers or not line.net.is_positive:
                continue
            service = service_period(rule, line.period or document.period, posting.date)
            sid = _schedule_id(document.id, line.number)
            self._schedules.append(
                ScheduleRow(
                    sid,
                    document.id,
                    line.number,
                    document.customer.customer_id,
                    line.item,
                    rule.method.value,
                    document.currency,
                    service,
                    line.net,
                    DEFERRED_REVENUE_ACCOUNT,
                    revenue,
                    posting.date,
                )
            )
            if rule.method is RecognitionMethod.RATABLE:
                plan = ratable_schedule(line.net, service, self._rounding)
                self._plan.extend((sid, s) for s in plan)
            total = total + line.net
        return total

    def _credit(self, document: Document, posting: DocumentPosting, entry_id: EntryId) -> Money:
        total = Money.zero(document.currency)
        if document.reference is None:
            return total
        store = self.session.store
        by_line = {
            s.line_no: s for s in revrec_table.schedules(store, document_id=document.reference)
        }
        if not by_line:
            return total
        by_id = {s.id: s for s in by_line.values()}
        plans = revrec_table.plans(store, by_id)
        stored = revrec_table.events(store, by_id)
        for line in document.lines:
            sched = by_line.get(line.ref_line) if line.ref_line is not None else None
            if sched is None or not line.net.is_positive:
                continue
            moves = self._moves.setdefault(sched.id, list(stored[sched.id]))
            made = apply_credit(sched.billed, plans[sched.id], moves, line.net, posting.date)
            moves.extend(made)
            source = f"{document.id}:{line.number}"
            for m in made:
                self._events.append((sched.id, m, posting.date, entry_id, source))
                if m.kind is MovementKind.REVERSED:
                    total = total + m.amount
        return total

    def write(self) -> None:
        """Store the schedules and movements collected."""
        session = self.session
        now = session.now().isoformat()
        revrec_table.insert_schedules(session.store, self._schedules, self._plan, now=now)
        _write_events(session, self._events)
        self._schedules, self._plan, self._events = [], [], []


def _moved(posting: DocumentPosting, deferred: Money) -> DocumentPosting:
    # The lines were posted to the bare revenue account (the book posts without item
    # classes); their deferred part moves to deferred revenue.
    revenue = list(posting.revenue)
    for i, rev in enumerate(revenue):
        if rev.item_class is None and rev.account is None:
            revenue[i] = attrs.evolve(rev, amount=rev.amount - deferred)
            break
    else:
        raise InvalidState(
            f"{posting.number}: no revenue amount on the bare revenue account to defer"
        )
    revenue.append(RevenueAmount(deferred, account=AccountCode(DEFERRED_REVENUE_ACCOUNT)))
    return attrs.evolve(posting, revenue=tuple(r for r in revenue if not r.amount.is_zero))


def _write_events(
    session: Session, events: Sequence[tuple[str, Movement, dt.date, str | None, str]]
) -> None:
    if not events:
        return
    first = session.next_numbers("revrec_event", len(events))
    rows = [
        EventRow(f"RE{first + i:010d}", sid, m, day, entry, source)
        for i, (sid, m, day, entry, source) in enumerate(events)
    ]
    revrec_table.insert_events(session.store, rows, now=session.now().isoformat())


def deferral(session: Session) -> Deferral | None:
    """The deferral of a book with recognition rules or schedules; ``None`` (nothing
    changes) in a book without either."""
    if not revrec_table.in_use(session.store):
        return None
    return Deferral(session, revrec_table.rules(session.store))


def void_schedules(session: Session, document_id: str, day: dt.date) -> None:
    """Reverse the schedules of a voided document (its void reverses the deferral).

    Raises:
        InvalidState: Revenue of one of its lines was recognized or credited already.
    """
    store = session.store
    by_id = {s.id: s for s in revrec_table.schedules(store, document_id=document_id)}
    if not by_id:
        return
    stored = revrec_table.events(store, by_id)
    plans = revrec_table.plans(store, by_id)
    events: list[tuple[str, Movement, dt.date, str | None, str]] = []
    for sid, sched in by_id.items():
        if stored[sid]:
            raise InvalidState(
                f"revenue of {document_id} line {sched.line_no} was recognized or credited; "
                "issue a credit note instead",
                document_id=document_id,
            )
        # Nothing was recognized: the whole line is reversed, month by month.
        made = apply_credit(sched.billed, plans[sid], [], sched.billed, day)
        events.extend((sid, m, day, None, "void") for m in made)
    _write_events(session, events)


# -- recognition runs --------------------------------------------------------------------


@attrs.frozen(slots=True)
class RecognitionRun:
    """What a recognition run recognized (or, dry, would).

    Attributes:
        through: Recognized what was due on or before this date.
        dry_run: Nothing was written.
        amounts: Recognized per (currency, month).
        lines: How many schedule months were recognized.
        entries: The journal entries posted (none on a dry run).
    """

    through: dt.date
    dry_run: bool
    amounts: tuple[tuple[str, str, Money], ...]
    lines: int
    entries: tuple[str, ...]


def _due(session: Session, through: dt.date) -> list[tuple[ScheduleRow, ScheduledAmount]]:
    store = session.store
    by_id = {
        s.id: s
        for s in revrec_table.schedules(store, ids=revrec_table.schedules_due(store, through))
    }
    plans = revrec_table.plans(store, by_id)
    moves = revrec_table.events(store, by_id)
    return [
        (sched, s)
        for sid, sched in by_id.items()
        for s in due_recognitions(plans[sid], moves[sid], through)
    ]


def _summary(
    through: dt.date,
    dry: bool,
    due: Sequence[tuple[ScheduleRow, ScheduledAmount]],
    ids: Sequence[str],
) -> RecognitionRun:
    sums: dict[tuple[str, str], Money] = {}
    for sched, s in due:
        key = (sched.currency.code, s.month.label)
        sums[key] = sums.get(key, Money.zero(sched.currency)) + s.amount
    return RecognitionRun(
        through, dry, tuple((c, m, a) for (c, m), a in sorted(sums.items())), len(due), tuple(ids)
    )


def revrec_run(
    session: Session,
    through: dt.date,
    *,
    dry_run: bool = False,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> RecognitionRun:
    """Recognize what is due through ``through`` (see :meth:`RevRecMixin.revrec_run`)."""
    if dry_run:
        with session.store.transaction(write=False):
            return _summary(through, True, _due(session, through), ())

    def body(touched: Touched) -> dict[str, Any]:
        due = _due(session, through)
        periods = accounting_periods(session)
        groups: dict[
            tuple[Currency, dt.date, str, str], list[tuple[ScheduleRow, ScheduledAmount]]
        ] = {}
        for sched, s in due:
            day = periods.posting_date(s.due_on)
            key = (sched.currency, day, sched.deferred_account, sched.revenue_account)
            groups.setdefault(key, []).append((sched, s))
        ids = new_entry_ids(session, len(groups)) if groups else []
        entries: list[JournalEntry] = []
        events: list[tuple[str, Movement, dt.date, str | None, str]] = []
        for entry_id, ((cur, day, deferred, revenue), items) in zip(
            ids,
            sorted(groups.items(), key=lambda kv: (kv[0][0].code, kv[0][1], kv[0][2], kv[0][3])),
            strict=True,
        ):
            total = sum((s.amount for _, s in items), Money.zero(cur))
            entries.append(
                JournalEntry(
                    id=entry_id,
                    date=day,
                    kind=EntryKind.RECOGNITION,
                    source=f"revrec:{through.isoformat()}",
                    lines=(
                        Posting(AccountCode(deferred), total),
                        Posting(AccountCode(revenue), -total),
                    ),
                    reference=f"revenue recognition through {through.isoformat()}",
                )
            )
            events.extend(
                (
                    sched.id,
                    Movement(MovementKind.RECOGNIZED, s.month, s.amount),
                    day,
                    entry_id,
                    "run",
                )
                for sched, s in items
            )
        write_entries(session, entries)
        _write_events(session, events)
        touched.add(*ids)
        result = _summary(through, False, due, ids)
        return {
            "amounts": [[c, m, str(a.amount)] for c, m, a in result.amounts],
            "lines": result.lines,
            "entries": list(result.entries),
        }

    out = session.run(
        "run_recognition",
        actor=actor,
        key=idempotency_key,
        args={"through": through},
        body=body,
    )
    return RecognitionRun(
        through,
        False,
        tuple((c, m, Money.of(a, c)) for c, m, a in out["amounts"]),
        int(out["lines"]),
        tuple(out["entries"]),
    )


def check_recognized(session: Session, month: Period) -> None:
    """Refuse to close ``month`` while recognition due in it (or before) has not run.

    Raises:
        InvalidState: A schedule month due by the month's last day is not recognized.
    """
    found = revrec_table.unrecognized_due(session.store, month.last_day)
    if found is None:
        return
    schedule_id, due_month = found
    raise InvalidState(
        f"period {month.label} cannot close: revenue recognition due by "
        f"{month.last_day.isoformat()} has not run ({schedule_id}, {due_month}); run "
        f"`o2c revrec run --through {month.last_day.isoformat()}` (Book.revrec_run) first"
    )


# -- releases ----------------------------------------------------------------------------


def _one_schedule(session: Session, document: str, line: int) -> ScheduleRow:
    doc_id = lookup_id(session, document)
    for sched in revrec_table.schedules(session.store, document_id=doc_id):
        if sched.line_no == line:
            return sched
    raise NotFound("recognition schedule", f"{document} line {line}")


def release_revenue(
    session: Session,
    document: str,
    line: int,
    *,
    amount: Money | None = None,
    quantity: Decimal | None = None,
    on: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Money:
    """Recognize part of a milestone or usage line (see :meth:`RevRecMixin.release_revenue`)."""
    day = on or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        sched = _one_schedule(session, document, line)
        by_id = {sched.id: sched}
        moves = revrec_table.events(session.store, by_id)[sched.id]
        method = RecognitionMethod(sched.method)
        if method is RecognitionMethod.USAGE:
            if quantity is None or amount is not None:
                raise ValidationError("quantity", quantity, "the quantity consumed (usage lines)")
            qty = get_document(session, sched.document_id).line(sched.line_no).quantity
            move = usage_release(sched.billed, qty, moves, quantity, day, catalog.rounding(session))
        elif method is RecognitionMethod.MILESTONE:
            if amount is None or quantity is not None:
                raise ValidationError("amount", amount, "the amount released (milestone lines)")
            move = release(sched.billed, moves, amount, day)
        else:
            raise InvalidState(
                f"{document} line {line} is recognized {method.value}; only usage and "
                "milestone lines are released by hand"
            )
        [entry_id] = new_entry_ids(session, 1)
        if move.amount.is_positive:
            write_entries(
                session,
                [
                    JournalEntry(
                        id=entry_id,
                        date=day,
                        kind=EntryKind.RECOGNITION,
                        source=sched.document_id,
                        lines=(
                            Posting(AccountCode(sched.deferred_account), move.amount),
                            Posting(AccountCode(sched.revenue_account), -move.amount),
                        ),
                        reference=f"release {document} line {line}",
                    )
                ],
            )
            _write_events(session, [(sched.id, move, day, entry_id, f"release:{entry_id}")])
            touched.add(sched.id, entry_id)
        return {"amount": str(move.amount.amount), "currency": sched.currency.code}

    out = session.run(
        "release_revenue",
        actor=actor,
        key=idempotency_key,
        args={
            "document": document,
            "line": line,
            "amount": None if amount is None else str(amount),
            "quantity": None if quantity is None else str(quantity),
            "on": day,
        },
        body=body,
    )
    return Money.of(out["amount"], out["currency"])


# -- queries and reports -----------------------------------------------------------------


@attrs.frozen(slots=True)
class LineSchedule:
    """A deferred line's schedule and where it stands.

    Attributes:
        document_id: The invoice (or debit note).
        line: Its line number.
        item: The item code.
        method: How it is recognized.
        service: The service period.
        plan: The planned months (ratable lines; empty otherwise).
        remaining: What each plan month still has to recognize.
        balances: Billed, recognized, deferred and credited.
    """

    document_id: str
    line: int
    item: str
    method: RecognitionMethod
    service: Period
    plan: tuple[ScheduledAmount, ...]
    remaining: tuple[ScheduledAmount, ...]
    balances: LineBalances


def line_schedules(session: Session, document: str | None = None) -> list[LineSchedule]:
    """The schedules of one document (all when ``None``), by id."""
    store = session.store
    if document is None:
        rows = revrec_table.schedules(store)
    else:
        rows = revrec_table.schedules(store, document_id=lookup_id(session, document))
    by_id = {s.id: s for s in rows}
    plans = revrec_table.plans(store, by_id)
    moves = revrec_table.events(store, by_id)
    return [
        LineSchedule(
            s.document_id,
            s.line_no,
            s.item,
            RecognitionMethod(s.method),
            s.service,
            tuple(plans[s.id]),
            remaining_by_month(plans[s.id], moves[s.id]),
            line_balances(s.billed, moves[s.id]),
        )
        for s in rows
    ]


def revrec_rollforward(
    session: Session, start: dt.date, end: dt.date
) -> tuple[RollForwardRow, ...]:
    """The deferred revenue roll-forward from ``start`` to ``end``, per currency."""
    flows = [
        DeferredFlow(day, FlowKind(kind), Money.from_minor(minor, cur))
        for cur, kind, day, minor in revrec_table.deferred_flows(session.store)
    ]
    return rollforward(flows, start, end)


def revrec_waterfall(session: Session) -> tuple[WaterfallRow, ...]:
    """What deferred revenue is still to recognize, per currency and month."""
    scheduled: list[tuple[Period, Money]] = []
    unscheduled: list[Money] = []
    for ls in line_schedules(session):
        months = [(s.month, s.amount) for s in ls.remaining]
        scheduled.extend(months)
        rest = ls.balances.deferred - sum(
            (a for _, a in months), Money.zero(ls.balances.billed.currency)
        )
        if not rest.is_zero:
            unscheduled.append(rest)
    return waterfall(scheduled, unscheduled)


class RevRecMixin(Area):
    """Revenue recognition: rules per item, runs, releases, schedules and reports."""

    def set_recognition_rule(
        self,
        item: str,
        method: RecognitionMethod | str,
        *,
        term_months: int | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RecognitionRule:
        """Set how ``item``'s revenue is recognized; lines issued afterwards follow it.

        Args:
            item: The rate-card item code.
            method: ``at_issue`` (no deferral, as without a rule), ``ratable`` (by day over
                the line's service period), ``usage`` (as the prepaid quantity is
                consumed) or ``milestone`` (released by hand).
            term_months: For ``ratable``: the term from the issue date for lines without
                a service period of their own.
            actor: Who sets it (a controller when the book has roles).
            idempotency_key: Repeating the key returns the first result.

        Raises:
            ValidationError: An unknown method, or a term that is not 1..600 months or
                given for another method than ``ratable``.
        """
        return set_recognition_rule(
            self._session,
            item,
            method,
            term_months=term_months,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def recognition_rules(self) -> list[RecognitionRule]:
        """Every item's recognition rule, by item code."""
        return recognition_rules(self._session)

    def revrec_run(
        self,
        through: dt.date,
        *,
        dry_run: bool = False,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RecognitionRun:
        """Recognize the schedule months due on or before ``through``.

        Each due month posts Dr deferred revenue, Cr revenue, dated the month's last
        service day (the first open day after it when its month is closed), one entry per
        currency and date. Running again recognizes nothing twice.

        Args:
            through: The last day to recognize.
            dry_run: Report what would be recognized and write nothing.
            actor: Who runs it.
            idempotency_key: Repeating the key returns the first result.
        """
        return revrec_run(
            self._session,
            through,
            dry_run=dry_run,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def release_revenue(
        self,
        document: str,
        line: int,
        *,
        amount: Money | None = None,
        quantity: Decimal | None = None,
        on: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Money:
        """Recognize part of a deferred milestone line (``amount``) or usage line
        (``quantity`` consumed); return the amount recognized.

        Raises:
            NotFound: The document line has no schedule.
            InvalidState: The line is recognized ratably.
            ValidationError: The amount or quantity is missing, not positive, or more than
                is left.
            PeriodClosed: ``on`` is in a closed month.
        """
        return release_revenue(
            self._session,
            document,
            line,
            amount=amount,
            quantity=quantity,
            on=on,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def revrec_schedules(self, document: str | None = None) -> list[LineSchedule]:
        """The recognition schedules of ``document`` (an id or number; all when ``None``)."""
        return line_schedules(self._session, document)

    def revrec_rollforward(self, start: dt.date, end: dt.date) -> tuple[RollForwardRow, ...]:
        """Deferred revenue from ``start`` to ``end``, per currency:
        ``opening + billed - recognized - reversed == closing``."""
        return revrec_rollforward(self._session, start, end)

    def revrec_waterfall(self) -> tuple[WaterfallRow, ...]:
        """Deferred revenue still to recognize, per currency and month (``month`` None:
        waiting for usage or a milestone)."""
        return revrec_waterfall(self._session)
