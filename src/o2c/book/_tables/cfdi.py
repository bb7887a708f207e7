"""CFDI rows: versioned master data (``cfdi_master_data``) and stamped CFDIs
(``cfdi_stamps``) with their cancellation requests."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, NamedTuple

from o2c.book._codec import as_json, as_timestamp
from o2c.store import Store

__all__ = [
    "StampRow",
    "add_master",
    "cancel",
    "insert_stamp",
    "latest_master",
    "masters",
    "stamp_by_uuid",
    "stamps_of",
]

_STAMP_COLUMNS: Final = (
    "uuid, source_kind, source_id, cfdi_type, pac, stamped_at, xml, stamped_by,"
    " cancel_reason, cancel_substitute, cancelled_at, cancelled_by"
)


class StampRow(NamedTuple):
    """A stored stamped CFDI."""

    uuid: str
    source_kind: str
    source_id: str
    cfdi_type: str
    pac: str
    stamped_at: dt.datetime
    xml: str
    stamped_by: str
    cancel_reason: str | None
    cancel_substitute: str | None
    cancelled_at: dt.datetime | None
    cancelled_by: str | None


def add_master(store: Store, kind: str, code: str, data: str, *, actor: str, now: str) -> int:
    """Store ``data`` (JSON) as the next version of (kind, code); return the version."""
    row = store.query_one(
        "SELECT MAX(version) FROM cfdi_master_data WHERE kind = ? AND code = ?", (kind, code)
    )
    version = 1 if row is None or row[0] is None else int(row[0]) + 1
    store.execute(
        "INSERT INTO cfdi_master_data (kind, code, version, data, actor, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind, code, version, data, actor, now),
    )
    return version


def latest_master(store: Store, kind: str, code: str) -> Any | None:
    """The latest stored data (decoded JSON) of (kind, code), or None."""
    row = store.query_one(
        "SELECT data FROM cfdi_master_data WHERE kind = ? AND code = ?"
        " ORDER BY version DESC LIMIT 1",
        (kind, code),
    )
    return None if row is None else as_json(row[0])


def masters(store: Store, kind: str, codes: list[str]) -> dict[str, Any]:
    """The latest data of each of ``codes`` of ``kind`` that has any (one query)."""
    if not codes:
        return {}
    marks = ", ".join("?" for _ in codes)
    rows = store.query(
        "SELECT code, version, data FROM cfdi_master_data"
        f" WHERE kind = ? AND code IN ({marks}) ORDER BY code, version",
        (kind, *codes),
    )
    return {str(code): as_json(data) for code, _version, data in rows}


def _row(values: Any) -> StampRow:
    return StampRow(
        str(values[0]),
        str(values[1]),
        str(values[2]),
        str(values[3]),
        str(values[4]),
        as_timestamp(values[5]),
        str(values[6]),
        str(values[7]),
        values[8],
        values[9],
        None if values[10] is None else as_timestamp(values[10]),
        values[11],
    )


def insert_stamp(store: Store, row: StampRow) -> None:
    """Write one stamped CFDI."""
    store.execute(
        f"INSERT INTO cfdi_stamps ({_STAMP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.uuid,
            row.source_kind,
            row.source_id,
            row.cfdi_type,
            row.pac,
            row.stamped_at.isoformat(),
            row.xml,
            row.stamped_by,
            row.cancel_reason,
            row.cancel_substitute,
            None if row.cancelled_at is None else row.cancelled_at.isoformat(),
            row.cancelled_by,
        ),
    )


def stamps_of(store: Store, source_kind: str, source_id: str) -> list[StampRow]:
    """The stamped CFDIs of a document or payment, oldest first."""
    rows = store.query(
        f"SELECT {_STAMP_COLUMNS} FROM cfdi_stamps WHERE source_kind = ? AND source_id = ?"
        " ORDER BY stamped_at, uuid",
        (source_kind, source_id),
    )
    return [_row(r) for r in rows]


def stamp_by_uuid(store: Store, uuid: str) -> StampRow | None:
    """The stamped CFDI of ``uuid``, or None."""
    row = store.query_one(f"SELECT {_STAMP_COLUMNS} FROM cfdi_stamps WHERE uuid = ?", (uuid,))
    return None if row is None else _row(row)


def cancel(
    store: Store, uuid: str, *, reason: str, substitute: str | None, at: str, actor: str
) -> int:
    """Record the cancellation of ``uuid`` (when not already cancelled); rows changed."""
    return store.execute(
        "UPDATE cfdi_stamps SET cancel_reason = ?, cancel_substitute = ?, cancelled_at = ?,"
        " cancelled_by = ? WHERE uuid = ? AND cancel_reason IS NULL",
        (reason, substitute, at, actor, uuid),
    )
