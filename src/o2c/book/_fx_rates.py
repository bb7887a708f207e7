"""The book's functional currency and the rate each foreign source is booked at.

Kept apart from :mod:`o2c.book._fx` (the FX commands) because the journal writer calls
:func:`keep_source_rates` for every entry it writes: a book without a functional
currency pays one settings read per write and nothing else; a book with one keeps, once,
the rate of every invoice, credit note, debit note and payment that posts in another
currency (the document's rate, looked up in the book's rate table on its date), in the
same transaction. A missing rate refuses the posting with
:class:`~o2c.fx.RateMissing`: never a silent 1.0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

from o2c.book._session import Session
from o2c.book._tables import fx as fx_table
from o2c.errors import InvalidState, ValidationError
from o2c.fx import DEFAULT_RATE_TYPE, Quote, RateMissing, RateTable, RateType, rate_type
from o2c.ledger.journal import JournalEntry
from o2c.money import Currency

__all__ = [
    "FUNCTIONAL_SETTING",
    "RATE_TYPE_SETTING",
    "book_rate_type",
    "check_after_revaluation",
    "check_rates",
    "functional_currency",
    "keep_source_rates",
    "keep_source_rows",
    "rate_table",
]

FUNCTIONAL_SETTING: Final = "fx.functional_currency"
RATE_TYPE_SETTING: Final = "fx.rate_type"

#: Entry kinds whose source gets a rate when it posts in a foreign currency.
_RATED_KINDS: Final = frozenset({"invoice", "credit_note", "debit_note", "payment"})


def functional_currency(session: Session) -> Currency | None:
    """The book's functional currency, or None (a book that does not value in one)."""
    code = session.setting(FUNCTIONAL_SETTING)
    return None if code is None else Currency.of(code)


def book_rate_type(session: Session) -> RateType:
    """The rate type documents and payments are booked at (``BOOK`` by default)."""
    found = session.setting(RATE_TYPE_SETTING)
    return DEFAULT_RATE_TYPE if found is None else rate_type(found)


def rate_table(session: Session, *, kind: str | None = None) -> RateTable:
    """The book's rates (of one type, or all) as a :class:`~o2c.fx.RateTable`."""
    return RateTable(fx_table.list_rates(session.store, rate_type=kind))


def keep_source_rates(session: Session, entries: Sequence[JournalEntry]) -> None:
    """Keep the rate of each foreign source among ``entries`` (see the module docs)."""
    fun = functional_currency(session)
    if fun is None:
        return
    check_after_revaluation(session, [e.date for e in entries])
    keep(
        session,
        fun,
        (
            (e.source, e.kind.value, e.date, c.code)
            for e in entries
            if e.kind.value in _RATED_KINDS
            for c in e.currencies
            if c != fun
        ),
    )


def keep_source_rows(
    session: Session, entry_rows: Sequence[Sequence[Any]], line_rows: Sequence[Sequence[Any]]
) -> None:
    """:func:`keep_source_rates` for journal rows (the bill run's compact path)."""
    fun = functional_currency(session)
    if fun is None:
        return
    check_after_revaluation(session, [dt.date.fromisoformat(str(r[1])) for r in entry_rows])
    currencies: dict[str, set[str]] = {}
    for line in line_rows:
        currencies.setdefault(str(line[0]), set()).add(str(line[3]))
    keep(
        session,
        fun,
        (
            (str(row[3]), str(row[2]), dt.date.fromisoformat(str(row[1])), code)
            for row in entry_rows
            if str(row[2]) in _RATED_KINDS
            for code in sorted(currencies.get(str(row[0]), ()))
            if code != fun.code
        ),
    )


def check_rates(session: Session, wanted: Sequence[tuple[str, Currency, dt.date]]) -> None:
    """Refuse a batch (a bank file) before anything is stored if a foreign amount has no
    rate on its date, naming every ``(what, currency, date)`` without one.

    Raises:
        ValidationError: On the first such amount, naming all of them.
    """
    fun = functional_currency(session)
    foreign = [(what, cur, day) for what, cur, day in wanted if fun is not None and cur != fun]
    if fun is None or not foreign:
        return
    kind = book_rate_type(session)
    table = rate_table(session, kind=kind)
    missing = []
    for what, cur, day in foreign:
        try:
            table.quote(cur, fun, day, kind)
        except RateMissing as error:
            missing.append(f"{what}: {error}")
    if missing:
        raise ValidationError(
            "rate",
            missing[0],
            "a rate for every foreign payment",
            message=f"file refused, nothing imported: {'; '.join(missing[:10])}",
        )


def check_after_revaluation(session: Session, days: Iterable[dt.date]) -> None:
    """Refuse a posting dated on or before the latest revaluation.

    A revaluation restates the balances open on its date; an entry dated on or before it
    but posted later would settle a balance the revaluation already restated.

    Raises:
        InvalidState: Naming the revaluation date and the first later date.
    """
    latest = fx_table.latest_revaluation(session.store)
    if latest is None:
        return
    early = [d for d in days if d <= latest]
    if early:
        raise InvalidState(
            f"open foreign items were revalued as of {latest.isoformat()}; post on "
            f"{(latest + dt.timedelta(days=1)).isoformat()} or later, not on "
            f"{min(early).isoformat()}"
        )


def keep(session: Session, fun: Currency, wanted: Iterable[tuple[str, str, dt.date, str]]) -> None:
    """Keep the table rate of each ``(source, kind, date, currency)`` not yet kept."""
    needed = {source: (day, code) for source, _kind, day, code in wanted}
    if not needed:
        return
    known = fx_table.known_sources(session.store, sorted(needed))
    todo = {s: v for s, v in needed.items() if s not in known}
    if not todo:
        return
    kind = book_rate_type(session)
    table = rate_table(session, kind=kind)
    rows: list[tuple[str, Quote, dt.date, bool]] = []
    for source, (day, code) in sorted(todo.items()):
        quote = table.quote(code, fun, day, kind)
        rows.append((source, quote, day, False))
    fx_table.insert_source_rates(session.store, rows, now=session.now().isoformat())
