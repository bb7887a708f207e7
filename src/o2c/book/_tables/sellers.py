"""The ``sellers`` table: the seller's identity, one append-only row per version."""

from __future__ import annotations

from typing import Any

from o2c.store import Store

__all__ = ["add_version", "current_version", "get_version", "seller_of_document"]


def current_version(store: Store) -> int | None:
    """The number of the latest seller version, or None when no seller was set."""
    row = store.query_one("SELECT MAX(version) FROM sellers")
    return None if row is None or row[0] is None else int(row[0])


def add_version(store: Store, seller: str, *, actor: str, now: str) -> int:
    """Store ``seller`` (its JSON) as the next version; return its number."""
    version = (current_version(store) or 0) + 1
    store.execute(
        "INSERT INTO sellers (version, seller, actor, created_at) VALUES (?, ?, ?, ?)",
        (version, seller, actor, now),
    )
    return version


def get_version(store: Store, version: int) -> Any | None:
    """The stored seller of ``version`` (its JSON text, or decoded JSONB), or None."""
    row = store.query_one("SELECT seller FROM sellers WHERE version = ?", (version,))
    return None if row is None else row[0]


def seller_of_document(store: Store, id_or_number: str) -> tuple[Any | None] | None:
    """``(stored seller,)`` of the version the document with this id (or, failing that,
    number) was issued under (``(None,)``: none recorded); None when no such document."""
    by_id = (
        "SELECT s.seller FROM documents d LEFT JOIN sellers s ON s.version = d.seller_version"
        " WHERE d.id = ?"
    )
    by_number = (
        "SELECT s.seller FROM documents d LEFT JOIN sellers s ON s.version = d.seller_version"
        " WHERE d.number = ?"
    )
    for sql in (by_id, by_number):
        row = store.query_one(sql, (id_or_number,))
        if row is not None:
            return (row[0],)
    return None
