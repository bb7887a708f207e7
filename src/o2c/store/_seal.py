"""Row seals: what a transaction wrote to the money-carrying tables, for its audit event.

Each store has a :class:`RowRecorder`. The store's ``execute`` and ``executemany`` hand
it every ``INSERT``, ``UPDATE`` and ``DELETE`` on a sealed table (:data:`SEALED`):
inserted rows are kept by reference (no copy, no per-row work on the bill run's path),
updated and deleted rows are read before the statement runs (their before-images). When
the command appends its audit event, :func:`take_seals` turns what was recorded into
:class:`~o2c.audit.SealGroup` values: the rows' keys and digests (one pass over the rows,
:func:`o2c.audit.chunk_digests`). A rollback, and the end of every transaction, forget
what was recorded.

Stored values are digested as the store hands them back: on SQLite that is what was
written (text, integers, NULL); on PostgreSQL decimals, dates, timestamps and JSON come
back as other Python types, so both the written and the read values pass through one
normalization per column type (:func:`normalizer`) first.

The module also reads sealed rows back for ``verify`` (:func:`fetch_rows`,
:func:`stored_keys`, :func:`table_rows`).

Every write to a sealed table must happen inside a command (``Session.run``), whose audit
event seals it; a statement the recorder cannot read (``INSERT ... SELECT``, several rows
in one ``VALUES``) is refused with a :class:`~o2c.errors.StoreError` rather than written
unsealed. A migration that adds a column is fine (groups sealed before it do not cover
the new column); one that *changes* stored rows of a sealed table makes ``verify`` report
them as edited, unless the book re-seals them (an event whose update group holds them).
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from o2c.audit import (
    BULK_CHUNK,
    SMALL_GROUP,
    Key,
    SealGroup,
    Value,
    chunk_digests,
    encode_keys,
    key_columns_data,
)
from o2c.errors import StoreError
from o2c.store._base import Dialect, Param

if TYPE_CHECKING:
    from o2c.store._base import Store

__all__ = [
    "SEALED",
    "RowRecorder",
    "TableInfo",
    "fetch_rows",
    "normalizer",
    "stored_keys",
    "table_info",
    "table_rows",
    "take_seals",
]

#: The money-carrying tables every command's audit event seals, with their primary keys:
#: every table with a money column, and the journal entries the lines belong to.
SEALED: Final[dict[str, tuple[str, ...]]] = {
    "customers": ("id",),
    "documents": ("id",),
    "document_lines": ("document_id", "line_no"),
    "document_taxes": ("document_id", "row_no"),
    "journal_entries": ("id",),
    "journal_lines": ("entry_id", "line_no"),
    "payments": ("id",),
    "allocations": ("id",),
    "refunds": ("id",),
    "write_offs": ("id",),
    "approvals": ("id",),
    "disputes": ("id",),
    "dunning_notices": ("id",),
    "dunning_items": ("document_id", "step"),
}

_INSERT: Final = re.compile(
    r"\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)\s*", re.S | re.I
)
_UPDATE: Final = re.compile(r"\s*UPDATE\s+(\w+)\s+SET\s+(.*?)(?:\s+WHERE\s+(.*))?", re.S | re.I)
_DELETE: Final = re.compile(r"\s*DELETE\s+FROM\s+(\w+)(?:\s+WHERE\s+(.*))?", re.S | re.I)
_FIRST: Final = re.compile(r"\s*(\w+)\s+(?:INTO|FROM)?\s*(\w+)", re.I)
_STRING: Final = re.compile(r"'((?:[^']|'')*)'")
_INTEGER: Final = re.compile(r"-?\d+")


@attrs.frozen(slots=True)
class _Plan:
    op: str
    table: str
    columns: tuple[str, ...] = ()
    #: Per insert column: None for a ``?`` placeholder, else the literal value.
    literals: tuple[tuple[int, Value], ...] = ()
    where: str = "1 = 1"
    set_params: int = 0


def _literal(text: str, sql: str) -> Value:
    text = text.strip()
    if text.upper() == "NULL":
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    match = _STRING.fullmatch(text)
    if match:
        return match[1].replace("''", "'")
    raise StoreError(f"cannot seal the rows of {' '.join(sql.split())[:80]!r}: value {text!r}")


def _parse(sql: str) -> _Plan | None:
    """What a statement writes to a sealed table (None: it writes none)."""
    head = _FIRST.match(sql)
    if head is None:
        return None
    verb = head[1].upper()
    if verb not in ("INSERT", "UPDATE", "DELETE") or head[2] not in SEALED:
        return None
    if verb == "INSERT":
        match = _INSERT.fullmatch(sql)
        if match:
            columns = tuple(c.strip() for c in match[2].split(","))
            values = [v.strip() for v in match[3].split(",")]
            if len(values) == len(columns):
                literals = tuple((n, _literal(v, sql)) for n, v in enumerate(values) if v != "?")
                return _Plan("insert", match[1], columns, literals)
    elif verb == "UPDATE":
        match = _UPDATE.fullmatch(sql)
        if match:
            return _Plan(
                "update", match[1], where=match[3] or "1 = 1", set_params=match[2].count("?")
            )
    else:
        match = _DELETE.fullmatch(sql)
        if match:
            return _Plan("delete", match[1], where=match[2] or "1 = 1")
    raise StoreError(f"cannot seal the rows of {' '.join(sql.split())[:80]!r}")


# -- tables and their values ---------------------------------------------------------------


@attrs.frozen(slots=True)
class TableInfo:
    """A sealed table's columns as the store has them now.

    Attributes:
        name: The table.
        columns: Its columns, in table order.
        kinds: Each column's kind: ``int``, ``text``, ``decimal``, ``date``,
            ``timestamp`` or ``json``.
        key: Its primary key columns.
    """

    name: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    key: tuple[str, ...]

    def kind(self, column: str) -> str:
        """The kind of ``column`` (``text`` for one the table does not have)."""
        try:
            return self.kinds[self.columns.index(column)]
        except ValueError:
            return "text"


_PG_KINDS: Final = {
    "bigint": "int",
    "integer": "int",
    "smallint": "int",
    "numeric": "decimal",
    "date": "date",
    "timestamp with time zone": "timestamp",
    "timestamp without time zone": "timestamp",
    "jsonb": "json",
    "json": "json",
}


def table_info(store: Store, table: str) -> TableInfo:
    """The columns of sealed ``table`` (read once per store)."""
    cache: dict[str, TableInfo] = _recorder(store).tables
    found = cache.get(table)
    if found is not None:
        return found
    if store.dialect is Dialect.SQLITE:
        rows = store.query(f"PRAGMA table_info({table})")
        columns = tuple(str(r[1]) for r in rows)
        kinds = tuple("int" if "INT" in str(r[2]).upper() else "text" for r in rows)
    else:
        rows = store.query(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " ORDER BY ordinal_position",
            (table,),
        )
        columns = tuple(str(r[0]) for r in rows)
        kinds = tuple(_PG_KINDS.get(str(r[1]), "text") for r in rows)
    info = TableInfo(table, columns, kinds, SEALED[table])
    cache[table] = info
    return info


def _json_text(value: object) -> str:
    if isinstance(value, str):
        value = json.loads(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _timestamp_text(value: object) -> str:
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if stamp.tzinfo is None:
        return stamp.isoformat()
    return stamp.astimezone(dt.UTC).isoformat()


def _decimal_text(value: object) -> str:
    return format(decimal.Decimal(str(value)), "f")


def _date_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)).isoformat()


def _int_value(value: object) -> Value:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return value  # type: ignore[return-value]


def _text_value(value: object) -> Value:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value  # type: ignore[return-value]


def _plain(value: object) -> Value:
    return value  # type: ignore[return-value]


_PG_NORMAL: Final[dict[str, Callable[[object], Value]]] = {
    "json": _json_text,
    "timestamp": _timestamp_text,
    "decimal": _decimal_text,
    "date": _date_text,
    "int": _int_value,
    "text": _plain,
}
_SQLITE_NORMAL: Final[dict[str, Callable[[object], Value]]] = {
    "int": _int_value,
    "text": _text_value,
}


def normalizer(dialect: Dialect, kind: str) -> Callable[[object], Value] | None:
    """How a value of a column of ``kind`` is digested on ``dialect`` (None: as it is)."""
    if dialect is Dialect.SQLITE:
        return _SQLITE_NORMAL.get(kind)
    return _PG_NORMAL.get(kind, _plain)


def _fits(kind: str, value: object) -> bool:
    """Whether SQLite hands ``value`` back unchanged in a column of ``kind``."""
    if value is None:
        return True
    if kind == "int":
        return type(value) is int
    return type(value) is str


def normalize_rows(
    dialect: Dialect, kinds: Sequence[str], rows: list[tuple[Any, ...]], *, written: bool
) -> list[tuple[Value, ...]]:
    """``rows`` (tuples of values of columns of ``kinds``) as the seal digests them.

    On SQLite the values the Book writes are what the store hands back, so only a column
    whose first written value would change type is converted (none, on the bill run's
    path). On PostgreSQL every value of a decimal, date, timestamp or JSON column is.
    """
    if not rows:
        return rows
    if dialect is Dialect.SQLITE:
        if not written:
            return rows
        first = rows[0]
        fixes = [
            (n, _SQLITE_NORMAL[kind])
            for n, kind in enumerate(kinds)
            if kind in _SQLITE_NORMAL and not _fits(kind, first[n])
        ]
        if not fixes and type(first) is tuple:
            return rows
    else:
        fixes = [
            (n, _PG_NORMAL[kind]) for n, kind in enumerate(kinds) if kind not in ("int", "text")
        ]
    out = []
    for row in rows:
        values = list(row)
        for n, fix in fixes:
            if values[n] is not None:
                values[n] = fix(values[n])
        out.append(tuple(values))
    return out


def _key_getter(columns: Sequence[str], key: Sequence[str]) -> Callable[[Sequence[Any]], Key]:
    positions = [columns.index(c) for c in key]
    if len(positions) == 1:
        return operator.itemgetter(positions[0])
    return operator.itemgetter(*positions)


# -- the recorder ---------------------------------------------------------------------------


class RowRecorder:
    """What the open transaction wrote to the sealed tables (see the module docstring)."""

    __slots__ = ("_before", "_deleted", "_inserted", "_plans", "_store", "defaults", "tables")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._plans: dict[str, _Plan | None] = {}
        self.tables: dict[str, TableInfo] = {}
        #: The values the store gives the columns an insert leaves out, per insert shape.
        self.defaults: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, Value], ...]] = {}
        self.clear()

    def clear(self) -> None:
        """Forget what was recorded (at the end of every transaction)."""
        self._inserted: dict[tuple[str, tuple[str, ...]], list[Sequence[Sequence[Any]]]] = {}
        self._before: dict[str, dict[Key, tuple[Value, ...]]] = {}
        self._deleted: dict[str, dict[Key, tuple[Value, ...]]] = {}

    def plan(self, sql: str) -> _Plan | None:
        """The parsed statement, when it writes to a sealed table."""
        try:
            return self._plans[sql]
        except KeyError:
            plan = self._plans[sql] = _parse(sql)
            if plan is None and sql.lstrip()[:6].upper() in ("ALTER ", "CREATE", "DROP T"):
                # The schema changes (a migration): read the tables' columns again.
                self.tables.clear()
                self.defaults.clear()
            return plan

    def before(self, plan: _Plan, params: Sequence[Param]) -> None:
        """Read the rows an ``UPDATE`` or ``DELETE`` is about to change."""
        info = table_info(self._store, plan.table)
        where = list(params[plan.set_params :])
        rows = self._store.query(
            f"SELECT {', '.join(info.columns)} FROM {plan.table} WHERE {plan.where}", where
        )
        images = normalize_rows(self._store.dialect, info.kinds, rows, written=False)
        get = _key_getter(info.columns, info.key)
        target = self._before if plan.op == "update" else self._deleted
        seen = target.setdefault(plan.table, {})
        earlier = self._before.get(plan.table, {})
        for image in images:
            key = get(image)
            if key not in seen:
                seen[key] = earlier.get(key, image) if plan.op == "delete" else image

    def inserted(self, plan: _Plan, rows: Sequence[Sequence[Any]]) -> None:
        """Keep the rows an ``INSERT`` wrote (by reference)."""
        if not rows:
            return
        if plan.literals:
            rows = [_splice(plan, r) for r in rows]
        shape = (plan.table, plan.columns)
        self._inserted.setdefault(shape, []).append(rows)
        if shape not in self.defaults:
            self.defaults[shape] = self._read_defaults(plan, rows[0])

    def _read_defaults(self, plan: _Plan, first: Sequence[Any]) -> tuple[tuple[str, Value], ...]:
        info = table_info(self._store, plan.table)
        left_out = [c for c in info.columns if c not in plan.columns]
        if not left_out:
            return ()
        key_values = [first[plan.columns.index(c)] for c in info.key]
        row = self._store.query_one(
            f"SELECT {', '.join(left_out)} FROM {plan.table} WHERE "
            + " AND ".join(f"{c} = ?" for c in info.key),
            key_values,
        )
        if row is None:
            return ()
        kinds = [info.kind(c) for c in left_out]
        values = normalize_rows(self._store.dialect, kinds, [tuple(row)], written=False)[0]
        return tuple(zip(left_out, values, strict=True))

    def take(self) -> list[SealGroup]:
        """The groups of what was recorded since the last take; forget it."""
        groups: list[SealGroup] = []
        store = self._store
        inserted, before, deleted = self._inserted, self._before, self._deleted
        self.clear()
        for table in SEALED:
            for (name, columns), batches in inserted.items():
                if name == table:
                    groups.append(self._insert_group(table, columns, batches))
            updated = before.get(table)
            gone = deleted.get(table, {})
            if updated:
                keys = [k for k in updated if k not in gone]
                if keys:
                    groups.append(_update_group(store, table, keys, updated))
            if gone:
                info = table_info(store, table)
                groups.append(
                    SealGroup(
                        table,
                        "delete",
                        info.columns,
                        len(gone),
                        encode_keys(list(gone)),
                        1,
                        b"",
                        (),
                        tuple(gone.values()),
                    )
                )
        return groups

    def _insert_group(
        self, table: str, columns: tuple[str, ...], batches: list[Sequence[Sequence[Any]]]
    ) -> SealGroup:
        store = self._store
        info = table_info(store, table)
        first = batches[0]
        rows: list[Any] = (
            first
            if len(batches) == 1 and isinstance(first, list)
            else list(itertools.chain(*batches))
        )
        kinds = [info.kind(c) for c in columns]
        rows = normalize_rows(store.dialect, kinds, rows, written=True)
        parts = [list(map(operator.itemgetter(columns.index(c)), rows)) for c in info.key]
        chunk = 1 if len(rows) <= SMALL_GROUP else BULK_CHUNK
        return SealGroup(
            table,
            "insert",
            columns,
            len(rows),
            key_columns_data(parts),
            chunk,
            chunk_digests(rows, chunk),
            self.defaults.get((table, columns), ()),
        )


def _splice(plan: _Plan, row: Sequence[Any]) -> tuple[Any, ...]:
    values = list(row)
    for n, literal in plan.literals:
        values.insert(n, literal)
    return tuple(values)


def _update_group(
    store: Store, table: str, keys: list[Key], images: dict[Key, tuple[Value, ...]]
) -> SealGroup:
    info = table_info(store, table)
    found = fetch_rows(store, table, info.columns, keys)
    kept = [k for k in keys if k in found]
    rows = [found[k] for k in kept]
    chunk = 1 if len(rows) <= SMALL_GROUP else BULK_CHUNK
    return SealGroup(
        table,
        "update",
        info.columns,
        len(kept),
        encode_keys(kept),
        chunk,
        chunk_digests(rows, chunk),
        (),
        tuple(images[k] for k in kept),
    )


def _recorder(store: Store) -> RowRecorder:
    recorder = getattr(store, "seals", None)
    if not isinstance(recorder, RowRecorder):
        raise StoreError(f"{store!r} does not record what it writes to the sealed tables")
    return recorder


def take_seals(store: Store) -> list[SealGroup]:
    """The seal groups of what the open transaction wrote since the last call."""
    recorder = getattr(store, "seals", None)
    return recorder.take() if isinstance(recorder, RowRecorder) else []


# -- reading sealed rows back -------------------------------------------------------------

_FETCH_CHUNK: Final = 500


def fetch_rows(
    store: Store, table: str, columns: Sequence[str], keys: Sequence[Key]
) -> dict[Key, tuple[Value, ...]]:
    """The stored rows of ``table`` with these keys, in ``columns`` (normalized), by key.

    Reads by the first key column, ``IN`` lists of :data:`_FETCH_CHUNK` values (no query
    per row).
    """
    info = table_info(store, table)
    have = [c for c in columns if c in info.columns]
    select = list(info.key) + [c for c in have if c not in info.key]
    kinds = [info.kind(c) for c in select]
    first_values = sorted({k[0] if isinstance(k, tuple) else k for k in keys}, key=str)
    wanted = set(keys)
    found: dict[Key, tuple[Value, ...]] = {}
    width = len(info.key)
    for start in range(0, len(first_values), _FETCH_CHUNK):
        part = first_values[start : start + _FETCH_CHUNK]
        rows = store.query(
            f"SELECT {', '.join(select)} FROM {table} WHERE {info.key[0]} IN"
            f" ({', '.join('?' for _ in part)})",
            part,
        )
        for row in normalize_rows(store.dialect, kinds, rows, written=False):
            key: Any = row[0] if width == 1 else row[:width]
            if key in wanted:
                by_name = dict(zip(select, row, strict=True))
                found[key] = tuple(by_name.get(c) for c in columns)
    return found


def stored_keys(store: Store, table: str) -> Iterator[Key]:
    """Every key stored in ``table`` (streamed)."""
    info = table_info(store, table)
    kinds = [info.kind(c) for c in info.key]
    width = len(info.key)
    for row in store.iterate(f"SELECT {', '.join(info.key)} FROM {table}"):
        normal = normalize_rows(store.dialect, kinds, [tuple(row)], written=False)[0]
        yield normal[0] if width == 1 else normal  # type: ignore[misc]


def table_rows(
    store: Store, table: str, *, size: int = 50_000
) -> Iterator[list[tuple[Value, ...]]]:
    """Every row of ``table`` in all its columns (normalized), ``size`` rows at a time."""
    info = table_info(store, table)
    batch: list[tuple[Any, ...]] = []
    for row in store.iterate(f"SELECT {', '.join(info.columns)} FROM {table}"):
        batch.append(tuple(row))
        if len(batch) >= size:
            yield normalize_rows(store.dialect, info.kinds, batch, written=False)
            batch = []
    if batch:
        yield normalize_rows(store.dialect, info.kinds, batch, written=False)


def materialize(rows: Iterable[Sequence[Param]]) -> Sequence[Sequence[Param]]:
    """``rows`` as a sequence (a generator handed to ``executemany`` is read once)."""
    return rows if isinstance(rows, list | tuple) else list(rows)
