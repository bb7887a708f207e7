"""Book settings, registered currencies, number counters and idempotency results."""

from __future__ import annotations

import json
from typing import Any

from o2c.money import Currency
from o2c.store import Store

__all__ = [
    "ensure_currency",
    "get",
    "idempotent_result",
    "put",
    "remember_result",
    "reserve_numbers",
]


def get(store: Store, key: str) -> str | None:
    """The setting ``key``, or None."""
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return None if row is None else str(row[0])


def put(store: Store, key: str, value: str) -> None:
    """Set ``key`` to ``value`` (insert or replace)."""
    store.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def ensure_currency(store: Store, currency: Currency, receivable: str) -> None:
    """Register ``currency`` and the receivable account code, if not yet there."""
    store.execute(
        "INSERT INTO currencies (code, minor_units) VALUES (?, ?) ON CONFLICT (code) DO NOTHING",
        (currency.code, currency.minor_units),
    )
    store.execute(
        "INSERT INTO settings (key, value) VALUES ('account.receivable', ?)"
        " ON CONFLICT (key) DO NOTHING",
        (receivable,),
    )


def reserve_numbers(store: Store, counter: str, count: int) -> int:
    """Reserve ``count`` consecutive values of ``counter``; return the first."""
    row = store.query_one(
        "UPDATE number_series SET next_value = next_value + ? WHERE series = ?"
        " RETURNING next_value",
        (count, counter),
    )
    if row is None:
        store.execute(
            "INSERT INTO number_series (series, next_value) VALUES (?, ?)", (counter, count + 1)
        )
        return 1
    return int(row[0]) - count


def idempotent_result(store: Store, key: str) -> tuple[str, str, dict[str, Any]] | None:
    """The (command, arguments hash, result) stored under idempotency ``key``, or None."""
    row = store.query_one(
        "SELECT command, args_hash, result FROM idempotency WHERE key = ?", (key,)
    )
    if row is None:
        return None
    stored = row[2]
    result: dict[str, Any] = json.loads(stored) if isinstance(stored, str | bytes) else dict(stored)
    return str(row[0]), str(row[1]), result


def remember_result(
    store: Store, key: str, command: str, digest: str, result: dict[str, Any], at: str
) -> None:
    """Store ``result`` under idempotency ``key``."""
    store.execute(
        "INSERT INTO idempotency (key, command, args_hash, result, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (key, command, digest, json.dumps(result), at),
    )


def with_prefix(store: Store, prefix: str) -> dict[str, str]:
    """The settings whose key starts with ``prefix`` (``"approval."``), by key."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return {
        str(k): str(v)
        for k, v in store.query(
            "SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'", (pattern,)
        )
    }


def delete(store: Store, key: str) -> None:
    """Remove the setting ``key`` (nothing happens when it is not set)."""
    store.execute("DELETE FROM settings WHERE key = ?", (key,))


def delete_with_prefix(store: Store, prefix: str) -> None:
    """Remove every setting whose key starts with ``prefix`` (``"approval."``)."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    store.execute("DELETE FROM settings WHERE key LIKE ? ESCAPE '\\'", (pattern,))
