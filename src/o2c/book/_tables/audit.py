"""The audit chain's rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

from o2c.audit import AuditEvent
from o2c.store import Store

__all__ = ["HEAD_SETTING", "append_event", "events", "iterate_events", "last_event"]

#: The setting that records the chain's last event (so deleting the last ones shows).
HEAD_SETTING: Final = "audit.head"

_SELECT: Final = "SELECT seq, at, actor, command, args, ids, prev_hash, hash FROM audit_events"


def _event(row: tuple[Any, ...]) -> AuditEvent:
    ids = json.loads(row[5]) if isinstance(row[5], str) else list(row[5])
    return AuditEvent(
        int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), tuple(ids), row[6], row[7]
    )


def last_event(store: Store) -> AuditEvent | None:
    """The chain's last event, or None for an empty chain."""
    row = store.query_one(_SELECT + " ORDER BY seq DESC LIMIT 1")
    return None if row is None else _event(row)


def append_event(store: Store, event: AuditEvent) -> None:
    """Write ``event`` at the end of the chain."""
    store.execute(
        "INSERT INTO audit_events (seq, at, actor, command, args, ids, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.seq,
            event.at,
            event.actor,
            event.command,
            event.args,
            json.dumps(list(event.ids)),
            event.prev_hash,
            event.hash,
        ),
    )


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
