"""Delivery rows: each e-mail sent (or tried) to a customer, of a document or a notice.

One ``deliveries`` row per attempt, never updated; recipients and attachment names are
kept comma-separated (an e-mail address holds no comma once checked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, NamedTuple

from o2c.book._codec import as_timestamp
from o2c.store import Store

__all__ = ["DeliveryRow", "insert", "rows", "sent_documents"]

_COLUMNS: Final = (
    "id, document_id, notice_id, customer_id, channel, status, message_id, sent_at,"
    " sender, recipients, subject, attachments, error, created_by"
)


class DeliveryRow(NamedTuple):
    """A stored delivery."""

    id: str
    document_id: str | None
    notice_id: str | None
    customer_id: str
    channel: str
    status: str
    message_id: str
    sent_at: dt.datetime
    sender: str
    recipients: tuple[str, ...]
    subject: str
    attachments: tuple[str, ...]
    error: str
    created_by: str


def insert(store: Store, row: DeliveryRow) -> None:
    """Write one delivery."""
    store.execute(
        f"INSERT INTO deliveries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.id,
            row.document_id,
            row.notice_id,
            row.customer_id,
            row.channel,
            row.status,
            row.message_id,
            row.sent_at.isoformat(),
            row.sender,
            ",".join(row.recipients),
            row.subject,
            ",".join(row.attachments),
            row.error,
            row.created_by,
        ),
    )


def _split(text: object) -> tuple[str, ...]:
    return tuple(p for p in str(text or "").split(",") if p)


def rows(
    store: Store,
    *,
    document_id: str | None = None,
    notice_ids: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
) -> list[DeliveryRow]:
    """Deliveries, oldest first: of a document, of these notices, or these ids."""
    where: list[str] = []
    params: list[str] = []
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    for column, values in (("notice_id", notice_ids), ("id", ids)):
        if values is not None:
            if not values:
                return []
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    found = store.query(f"SELECT {_COLUMNS} FROM deliveries{clause} ORDER BY sent_at, id", params)
    return [
        DeliveryRow(
            str(r[0]),
            None if r[1] is None else str(r[1]),
            None if r[2] is None else str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            str(r[6]),
            as_timestamp(r[7]),
            str(r[8]),
            _split(r[9]),
            str(r[10]),
            _split(r[11]),
            str(r[12]),
            str(r[13]),
        )
        for r in found
    ]


def sent_documents(store: Store, document_ids: Sequence[str]) -> set[str]:
    """Which of ``document_ids`` were delivered successfully at least once."""
    if not document_ids:
        return set()
    marks = ", ".join("?" for _ in document_ids)
    return {
        str(r[0])
        for r in store.query(
            f"SELECT DISTINCT document_id FROM deliveries WHERE status = 'sent'"
            f" AND document_id IN ({marks})",
            list(document_ids),
        )
    }
