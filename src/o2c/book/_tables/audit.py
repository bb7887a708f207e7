"""The audit chain's rows: events (``audit_events``) and their row seals (``audit_seals``)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any, Final

from o2c.audit import (
    BULK_CHUNK,
    ROWS_PICKLE,
    SMALL_GROUP,
    AuditEvent,
    Key,
    SealGroup,
    Value,
    chunk_digests,
    decode_images,
    encode_keys,
    group_digest,
    pack,
    unpack,
)
from o2c.store import SEALED, Store, table_info, table_rows

__all__ = [
    "HEAD_SETTING",
    "StoredGroup",
    "append_event",
    "baseline_groups",
    "events",
    "iterate_events",
    "last_event",
    "seal_groups",
]

#: The setting that records the chain's last event (so deleting the last ones shows).
HEAD_SETTING: Final = "audit.head"

_SELECT: Final = (
    "SELECT seq, at, actor, command, args, ids, prev_hash, hash, seal, db_user FROM audit_events"
)


def _event(row: tuple[Any, ...]) -> AuditEvent:
    ids = json.loads(row[5]) if isinstance(row[5], str) else list(row[5])
    return AuditEvent(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        tuple(ids),
        row[6],
        row[7],
        row[8] or "",
        row[9] or "",
    )


def last_event(store: Store) -> AuditEvent | None:
    """The chain's last event, or None for an empty chain."""
    row = store.query_one(_SELECT + " ORDER BY seq DESC LIMIT 1")
    return None if row is None else _event(row)


def append_event(store: Store, event: AuditEvent, groups: Sequence[SealGroup] = ()) -> None:
    """Write ``event`` at the end of the chain, with the seal groups of its rows."""
    store.execute(
        "INSERT INTO audit_events (seq, at, actor, command, args, ids, prev_hash, hash, seal,"
        " db_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.seq,
            event.at,
            event.actor,
            event.command,
            event.args,
            json.dumps(list(event.ids)),
            event.prev_hash,
            event.hash,
            event.seal or None,
            event.db_user or None,
        ),
    )
    if groups:
        store.executemany(
            "INSERT INTO audit_seals (seq, n, table_name, op, columns, row_count, chunk,"
            " defaults, keys, digests, images) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    event.seq,
                    n,
                    g.table,
                    g.op,
                    ",".join(g.columns),
                    g.count,
                    g.chunk,
                    json.dumps([list(d) for d in g.defaults], separators=(",", ":")),
                    pack(g.keys_data),
                    digests_text(g),
                    pack(g.images_json()),
                )
                for n, g in enumerate(groups, start=1)
            ],
        )


def digests_text(group: SealGroup) -> str:
    """A group's digests as stored: base64, after ``<encoding>:`` from encoding 2 on
    (an encoding 1 group's text is the bare base64 it always was)."""
    text = base64.b64encode(group.digests).decode("ascii")
    return text if group.encoding == ROWS_PICKLE else f"{group.encoding}:{text}"


def read_digests(text: str) -> tuple[int, bytes]:
    """The row encoding and digests of a stored digests text (:func:`digests_text`).

    Raises:
        ValueError: Not such a text.
    """
    head, sep, rest = text.partition(":")
    if not sep:
        return ROWS_PICKLE, base64.b64decode(text)
    return int(head), base64.b64decode(rest)


class StoredGroup:
    """A seal group as stored, decoded on demand (keys and images can be large)."""

    __slots__ = ("_raw", "chunk", "columns", "n", "op", "row_count", "seq", "table")

    def __init__(self, row: Sequence[Any]) -> None:
        self.seq = int(row[0])
        self.n = int(row[1])
        self.table = str(row[2])
        self.op = str(row[3])
        self.columns = tuple(str(row[4]).split(","))
        self.row_count = int(row[5])
        self.chunk = int(row[6])
        self._raw = (str(row[7]), str(row[8]), str(row[9]), str(row[10]))

    def group(self) -> SealGroup:
        """The decoded group.

        Raises:
            ValueError: The stored group is not readable (it was tampered with).
        """
        defaults_text, keys_text, digests_text, images_text = self._raw
        limit = max(1, self.row_count) * 4096 + 65536
        defaults: tuple[tuple[str, Value], ...] = tuple(
            (str(c), v) for c, v in json.loads(defaults_text)
        )
        encoding, digests = read_digests(digests_text)
        return SealGroup(
            self.table,
            self.op,
            self.columns,
            self.row_count,
            unpack(keys_text, limit=limit),
            self.chunk,
            digests,
            defaults,
            decode_images(unpack(images_text, limit=limit * 8)),
            encoding,
        )

    def digest(self, group: SealGroup | None = None) -> bytes:
        """:func:`o2c.audit.group_digest` of the stored group."""
        return group_digest(group or self.group())


def seal_groups(
    store: Store, *, table: str | None = None, ops: Sequence[str] | None = None
) -> Iterator[StoredGroup]:
    """The stored seal groups in (event, group) order, optionally of one table and ops."""
    sql = (
        "SELECT seq, n, table_name, op, columns, row_count, chunk, defaults, keys, digests,"
        " images FROM audit_seals"
    )
    where: list[str] = []
    params: list[str] = []
    if table is not None:
        where.append("table_name = ?")
        params.append(table)
    if ops is not None:
        where.append(f"op IN ({', '.join('?' for _ in ops)})")
        params.extend(ops)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return (StoredGroup(r) for r in store.iterate(sql + " ORDER BY seq, n", params, size=50))


def events(
    store: Store,
    *,
    actor: str | None = None,
    command: str | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[AuditEvent]:
    """The events in order, optionally filtered by actor and command."""
    sql = _SELECT + " WHERE seq > ?"
    params: list[str | int] = [after]
    if actor is not None:
        sql += " AND actor = ?"
        params.append(actor)
    if command is not None:
        sql += " AND command = ?"
        params.append(command)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_event(row) for row in store.query(sql, params)]


def iterate_events(store: Store) -> Iterator[AuditEvent]:
    """Every event in order, streamed."""
    return (_event(row) for row in store.iterate(_SELECT + " ORDER BY seq"))


def first_actor(store: Store, touched_id: str) -> str:
    """Who ran the first command that touched ``touched_id`` ("" when none did)."""
    row = store.query_one(
        "SELECT actor FROM audit_events WHERE ids LIKE ? ORDER BY seq LIMIT 1",
        (f'%"{touched_id}"%',),
    )
    return "" if row is None else str(row[0])


def baseline_groups(store: Store, groups: Sequence[SealGroup]) -> list[SealGroup]:
    """Seal groups of every stored row of the sealed tables that ``groups`` do not hold.

    The first sealed event of a book seals them: in a book made before row seals, the rows
    its earlier commands wrote (in a new book, none).
    """
    found: list[SealGroup] = []
    for table in SEALED:
        info = table_info(store, table)
        positions = [info.columns.index(c) for c in info.key]
        held = {k for g in groups if g.table == table for k in g.row_keys()}
        for batch in table_rows(store, table):
            rows = []
            keys: list[Key] = []
            for row in batch:
                key: Any = (
                    row[positions[0]] if len(positions) == 1 else tuple(row[p] for p in positions)
                )
                if key not in held:
                    rows.append(row)
                    keys.append(key)
            if rows:
                chunk = 1 if len(rows) <= SMALL_GROUP else BULK_CHUNK
                found.append(
                    SealGroup(
                        table,
                        "insert",
                        info.columns,
                        len(rows),
                        encode_keys(keys),
                        chunk,
                        chunk_digests(rows, chunk),
                    )
                )
    return found
