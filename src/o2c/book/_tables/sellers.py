"""The ``sellers`` table: the seller's identity, one append-only row per version."""

from __future__ import annotations

from typing import Any

from o2c.book._codec import as_json
from o2c.store import Store

__all__ = ["add_version", "current_version", "get_version"]


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
    """The stored seller of ``version`` (decoded JSON), or None."""
    row = store.query_one("SELECT seller FROM sellers WHERE version = ?", (version,))
    return None if row is None else as_json(row[0])
