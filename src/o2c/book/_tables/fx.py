"""The ``fx_rates``, ``fx_source_rates`` and ``fx_revaluation*`` tables (issue 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from o2c.book._codec import as_date
from o2c.fx import Quote, Rate, RateType
from o2c.money import Currency
from o2c.store import Store

__all__ = [
    "delete_rate",
    "entry_source",
    "foreign_currencies",
    "has_entries",
    "insert_revaluation",
    "insert_source_rates",
    "known_sources",
    "latest_revaluation",
    "list_rates",
    "revaluation_rows",
    "reversed_by",
    "source_rates",
    "upsert_rates",
]


def upsert_rates(store: Store, rates: Sequence[Rate], *, actor: str, now: str) -> None:
    """Store ``rates``, each replacing the rate of its pair, type and date."""
    for r in rates:
        delete_rate(store, r)
    store.executemany(
        "INSERT INTO fx_rates (base, quote, rate_type, effective, rate, source, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.base.code,
                r.quote.code,
                r.rate_type,
                r.effective.isoformat(),
                str(r.rate),
                r.source,
                now,
                actor,
            )
            for r in rates
        ],
    )


def delete_rate(store: Store, rate: Rate) -> None:
    """Remove the rate of ``rate``'s pair, type and date, if any."""
    store.execute(
        "DELETE FROM fx_rates WHERE base = ? AND quote = ? AND rate_type = ? AND effective = ?",
        (rate.base.code, rate.quote.code, rate.rate_type, rate.effective.isoformat()),
    )


def list_rates(
    store: Store,
    *,
    rate_type: str | None = None,
    currencies: Iterable[str] | None = None,
) -> list[Rate]:
    """Stored rates by pair, type and date; of one type, or touching ``currencies``."""
    sql = "SELECT base, quote, rate_type, effective, rate, source FROM fx_rates WHERE 1 = 1"
    params: list[Any] = []
    if rate_type is not None:
        sql += " AND rate_type = ?"
        params.append(rate_type)
    codes = sorted(set(currencies)) if currencies is not None else None
    if codes is not None:
        marks = ", ".join("?" for _ in codes) or "NULL"
        sql += f" AND (base IN ({marks}) OR quote IN ({marks}))"
        params.extend(codes + codes)
    sql += " ORDER BY base, quote, rate_type, effective"
    return [
        Rate(
            Currency.of(str(r[0])),
            Currency.of(str(r[1])),
            Decimal(str(r[4])),
            as_date(r[3]),
            RateType(str(r[2])),
            str(r[5]),
        )
        for r in store.query(sql, params)
    ]


def entry_source(store: Store, entry_id: str) -> tuple[str, str] | None:
    """``(kind, source)`` of a journal entry, or None."""
    row = store.query_one("SELECT kind, source FROM journal_entries WHERE id = ?", (entry_id,))
    return None if row is None else (str(row[0]), str(row[1]))


def reversed_by(store: Store, entry_id: str) -> str | None:
    """The entry that reverses ``entry_id``, if any."""
    row = store.query_one("SELECT id FROM journal_entries WHERE reverses = ?", (entry_id,))
    return None if row is None else str(row[0])


def has_entries(store: Store) -> bool:
    """Whether the journal has any entry."""
    return store.query_one("SELECT 1 FROM journal_entries LIMIT 1") is not None


def foreign_currencies(store: Store, functional: str) -> list[str]:
    """The currencies other than ``functional`` the journal posts in."""
    rows = store.query(
        "SELECT DISTINCT currency FROM journal_lines WHERE currency <> ? ORDER BY currency",
        (functional,),
    )
    return [str(r[0]) for r in rows]


def known_sources(store: Store, sources: Sequence[str]) -> set[str]:
    """Which of ``sources`` have a kept rate."""
    found: set[str] = set()
    for start in range(0, len(sources), 500):
        chunk = list(sources[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        rows = store.query(f"SELECT source FROM fx_source_rates WHERE source IN ({marks})", chunk)
        found.update(str(r[0]) for r in rows)
    return found


def insert_source_rates(
    store: Store, rows: Sequence[tuple[str, Quote, dt.date, bool]], *, now: str
) -> None:
    """Keep ``(source, quote into functional, rate date, stated)`` rows."""
    store.executemany(
        "INSERT INTO fx_source_rates (source, currency, functional, rate, rate_type,"
        " rate_date, stated, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                source,
                q.base.code,
                q.quote.code,
                _fraction(q),
                q.rate_type,
                day.isoformat(),
                1 if stated else 0,
                now,
            )
            for source, q, day, stated in rows
        ],
    )


def _fraction(q: Quote) -> str:
    # The rate as kept: one number, or numerator/denominator for an inverse or cross rate,
    # so the functional amounts derived from it are exact.
    if q.denominator == 1:
        return str(q.numerator)
    return f"{q.numerator}/{q.denominator}"


def _quote(currency: str, functional: str, text: str, kind: str, day: object) -> Quote:
    num, _, den = text.partition("/")
    return Quote(
        Currency.of(currency),
        Currency.of(functional),
        Decimal(num),
        Decimal(den or 1),
        RateType(kind),
        as_date(day),
        "kept",
    )


def source_rates(store: Store, sources: Sequence[str] | None = None) -> dict[str, Quote]:
    """The kept rate of each source (all of them, or of ``sources``)."""
    sql = "SELECT source, currency, functional, rate, rate_type, rate_date FROM fx_source_rates"
    if sources is None:
        rows = store.query(sql)
    else:
        rows = []
        for start in range(0, len(sources), 500):
            chunk = list(sources[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows.extend(store.query(f"{sql} WHERE source IN ({marks})", chunk))
    return {str(r[0]): _quote(str(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5]) for r in rows}


def insert_revaluation(
    store: Store,
    head: tuple[str, dt.date, dt.date, str, str],
    lines: Sequence[tuple[str, str | None, str | None, str, int, str, int]],
    *,
    actor: str,
    now: str,
) -> None:
    """Store a revaluation ``(id, as_of, reversal date, functional, rate type)`` and its
    lines ``(account, customer, item, currency, open minor, rate, functional minor)``."""
    rid, as_of, back, functional, kind = head
    store.execute(
        "INSERT INTO fx_revaluations (id, as_of, reversal_date, functional, rate_type,"
        " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (rid, as_of.isoformat(), back.isoformat(), functional, kind, now, actor),
    )
    store.executemany(
        "INSERT INTO fx_revaluation_lines (revaluation_id, line_no, account, customer_id, item,"
        " currency, open_minor, rate, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(rid, n, *line) for n, line in enumerate(lines, start=1)],
    )


def latest_revaluation(store: Store) -> dt.date | None:
    """The date of the latest revaluation, or None."""
    row = store.query_one("SELECT MAX(as_of) FROM fx_revaluations")
    return None if row is None or row[0] is None else as_date(row[0])


def revaluation_rows(
    store: Store,
) -> list[tuple[tuple[str, dt.date, dt.date, str, str], list[tuple[Any, ...]]]]:
    """Every revaluation (head as :func:`insert_revaluation` takes it) with its lines
    ``(account, customer, item, currency, open minor, rate, functional minor)``."""
    heads = store.query(
        "SELECT id, as_of, reversal_date, functional, rate_type FROM fx_revaluations ORDER BY as_of"
    )
    lines: dict[str, list[tuple[Any, ...]]] = {}
    for r in store.query(
        "SELECT revaluation_id, account, customer_id, item, currency, open_minor, rate,"
        " amount_minor FROM fx_revaluation_lines ORDER BY revaluation_id, line_no"
    ):
        lines.setdefault(str(r[0]), []).append(tuple(r[1:]))
    return [
        (
            (str(h[0]), as_date(h[1]), as_date(h[2]), str(h[3]), str(h[4])),
            lines.get(str(h[0]), []),
        )
        for h in heads
    ]
