"""Revenue recognition rows: rules per item, schedules of deferred lines, their plan
months and their movements (``revrec_events``, append-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from o2c.book._codec import as_date, as_decimal, money
from o2c.calendar import Period
from o2c.money import Currency, Money
from o2c.revrec import Movement, MovementKind, RecognitionRule, ScheduledAmount
from o2c.store import Store

__all__ = [
    "EventRow",
    "ScheduleRow",
    "deferred_flows",
    "events",
    "has_rules",
    "in_use",
    "insert_events",
    "insert_schedules",
    "plans",
    "put_rule",
    "rules",
    "schedules",
    "schedules_due",
    "unrecognized_due",
]

_SCHEDULE_COLUMNS: Final = (
    "id, document_id, line_no, customer_id, item, method, currency, service_start,"
    " service_end, billed_minor, deferred_account, revenue_account, issued_on, created_at"
)


class ScheduleRow(NamedTuple):
    """A stored schedule: one deferred invoice line."""

    id: str
    document_id: str
    line_no: int
    customer_id: str
    item: str
    method: str
    currency: Currency
    service: Period
    billed: Money
    deferred_account: str
    revenue_account: str
    issued_on: dt.date


class EventRow(NamedTuple):
    """A movement to store: its schedule, what it is, when and by which entry."""

    id: str
    schedule_id: str
    movement: Movement
    day: dt.date
    entry_id: str | None
    source: str


# -- rules -------------------------------------------------------------------------------


def has_rules(store: Store) -> bool:
    """Whether any item has a rule that defers its revenue (``at_issue`` does not)."""
    found = store.query_one("SELECT 1 FROM revrec_rules WHERE method <> 'at_issue' LIMIT 1")
    return found is not None


def in_use(store: Store) -> bool:
    """Whether issuing must look at recognition: a deferring rule exists, or a schedule
    that a credit note may reverse (two probes that stop at the first row)."""
    if has_rules(store):
        return True
    return store.query_one("SELECT 1 FROM revrec_schedules LIMIT 1") is not None


def rules(store: Store) -> dict[str, RecognitionRule]:
    """Every item's rule, by item code."""
    rows = store.query("SELECT item, method, term_months FROM revrec_rules ORDER BY item")
    return {
        str(r[0]): RecognitionRule(str(r[0]), str(r[1]), None if r[2] is None else int(str(r[2])))
        for r in rows
    }


def put_rule(store: Store, rule: RecognitionRule, *, now: str, who: str) -> None:
    """Set an item's rule (replacing the one it had)."""
    store.execute("DELETE FROM revrec_rules WHERE item = ?", (rule.item,))
    store.execute(
        "INSERT INTO revrec_rules (item, method, term_months, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (rule.item, rule.method.value, rule.term_months, now, who),
    )


# -- schedules ---------------------------------------------------------------------------


def insert_schedules(
    store: Store,
    rows: Sequence[ScheduleRow],
    plan: Sequence[tuple[str, ScheduledAmount]],
    *,
    now: str,
) -> None:
    """Store schedules and their plan months (``(schedule id, amount)``)."""
    if rows:
        store.executemany(
            f"INSERT INTO revrec_schedules ({_SCHEDULE_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.id,
                    r.document_id,
                    r.line_no,
                    r.customer_id,
                    r.item,
                    r.method,
                    r.currency.code,
                    r.service.start.isoformat(),
                    r.service.end.isoformat(),
                    r.billed.minor_units,
                    r.deferred_account,
                    r.revenue_account,
                    r.issued_on.isoformat(),
                    now,
                )
                for r in rows
            ],
        )
    if plan:
        store.executemany(
            "INSERT INTO revrec_plan (schedule_id, month, due_on, amount_minor)"
            " VALUES (?, ?, ?, ?)",
            [(sid, s.month.label, s.due_on.isoformat(), s.amount.minor_units) for sid, s in plan],
        )


def _schedule(row: Sequence[object]) -> ScheduleRow:
    cur = Currency.of(str(row[6]))
    return ScheduleRow(
        str(row[0]),
        str(row[1]),
        int(str(row[2])),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        cur,
        Period(as_date(row[7]), as_date(row[8])),
        money(row[9], cur),
        str(row[10]),
        str(row[11]),
        as_date(row[12]),
    )


def schedules(
    store: Store, *, document_id: str | None = None, ids: Iterable[str] | None = None
) -> list[ScheduleRow]:
    """Schedules, by id: all, one document's, or the given ids."""
    sql = f"SELECT {_SCHEDULE_COLUMNS} FROM revrec_schedules"
    params: list[object] = []
    if document_id is not None:
        sql += " WHERE document_id = ?"
        params.append(document_id)
    elif ids is not None:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        sql += f" WHERE id IN ({', '.join('?' * len(wanted))})"
        params.extend(wanted)
    return [_schedule(r) for r in store.query(sql + " ORDER BY id", params)]  # type: ignore[arg-type]


def plans(store: Store, by_id: dict[str, ScheduleRow]) -> dict[str, list[ScheduledAmount]]:
    """The plan months of the schedules ``by_id``, in month order."""
    out: dict[str, list[ScheduledAmount]] = {sid: [] for sid in by_id}
    if not by_id:
        return out
    ids = sorted(by_id)
    rows = store.query(
        "SELECT schedule_id, month, due_on, amount_minor FROM revrec_plan"
        f" WHERE schedule_id IN ({', '.join('?' * len(ids))}) ORDER BY schedule_id, month",
        ids,
    )
    for sid, month, due_on, amount in rows:
        cur = by_id[str(sid)].currency
        out[str(sid)].append(
            ScheduledAmount(Period.parse(str(month)), as_date(due_on), money(amount, cur))
        )
    return out


def events(store: Store, by_id: dict[str, ScheduleRow]) -> dict[str, list[Movement]]:
    """The movements of the schedules ``by_id``, in the order they were written."""
    out: dict[str, list[Movement]] = {sid: [] for sid in by_id}
    if not by_id:
        return out
    ids = sorted(by_id)
    rows = store.query(
        "SELECT schedule_id, kind, month, amount_minor, quantity FROM revrec_events"
        f" WHERE schedule_id IN ({', '.join('?' * len(ids))}) ORDER BY id",
        ids,
    )
    for sid, kind, month, amount, quantity in rows:
        cur = by_id[str(sid)].currency
        out[str(sid)].append(
            Movement(
                MovementKind(str(kind)),
                Period.parse(str(month)),
                money(amount, cur),
                None if quantity is None else as_decimal(quantity),
            )
        )
    return out


def insert_events(store: Store, rows: Sequence[EventRow], *, now: str) -> None:
    """Store movements."""
    if not rows:
        return
    store.executemany(
        "INSERT INTO revrec_events (id, schedule_id, kind, month, day, amount_minor, quantity,"
        " entry_id, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.id,
                r.schedule_id,
                r.movement.kind.value,
                r.movement.month.label,
                r.day.isoformat(),
                r.movement.amount.minor_units,
                None if r.movement.quantity is None else str(r.movement.quantity),
                r.entry_id,
                r.source,
                now,
            )
            for r in rows
        ],
    )


_LEFT: Final = (
    "p.amount_minor > COALESCE((SELECT SUM(e.amount_minor) FROM revrec_events e"
    " WHERE e.schedule_id = p.schedule_id AND e.month = p.month"
    " AND e.kind IN ('recognized', 'reversed')), 0)"
)


def schedules_due(store: Store, through: dt.date) -> list[str]:
    """Ids of the schedules with a plan month due by ``through`` and not all recognized."""
    rows = store.query(
        f"SELECT DISTINCT p.schedule_id FROM revrec_plan p WHERE p.due_on <= ? AND {_LEFT}"
        " ORDER BY p.schedule_id",
        (through.isoformat(),),
    )
    return [str(r[0]) for r in rows]


def unrecognized_due(store: Store, through: dt.date) -> tuple[str, str] | None:
    """A (schedule id, month) due by ``through`` with something not recognized, or None."""
    row = store.query_one(
        f"SELECT p.schedule_id, p.month FROM revrec_plan p WHERE p.due_on <= ? AND {_LEFT}"
        " ORDER BY p.month, p.schedule_id LIMIT 1",
        (through.isoformat(),),
    )
    return None if row is None else (str(row[0]), str(row[1]))


def deferred_flows(store: Store) -> list[tuple[str, str, dt.date, int]]:
    """Every movement of deferred revenue as (currency, kind, day, minor units): the
    billed amount of each schedule, then its recognized and reversed movements."""
    billed = store.query("SELECT currency, issued_on, billed_minor FROM revrec_schedules")
    moved = store.query(
        "SELECT s.currency, e.kind, e.day, e.amount_minor FROM revrec_events e"
        " JOIN revrec_schedules s ON s.id = e.schedule_id"
        " WHERE e.kind IN ('recognized', 'reversed')"
    )
    return [(str(c), "billed", as_date(d), int(str(a))) for c, d, a in billed] + [
        (str(c), str(k), as_date(d), int(str(a))) for c, k, d, a in moved
    ]
