"""Rate card and tax table rows: each import a new version, its TOML text kept as given."""

from __future__ import annotations

import json
from typing import Final, Literal

from o2c.book._codec import as_json
from o2c.store import Store

__all__ = ["CatalogTable", "add_version", "latest", "names"]

#: The tables of versioned TOML imports.
CatalogTable = Literal["rate_cards", "tax_tables"]

_TABLES: Final[frozenset[str]] = frozenset({"rate_cards", "tax_tables"})


def _checked(table: CatalogTable) -> str:
    if table not in _TABLES:
        raise ValueError(f"not a catalog table: {table!r}")
    return table


def add_version(
    store: Store,
    table: CatalogTable,
    name: str,
    *,
    source_name: str,
    text: str,
    now: str,
    currency: str | None = None,
) -> int:
    """Store ``text`` as the next version of ``name``; return the version number.

    A rate card row also records its ``currency``.
    """
    sql_table = _checked(table)
    row = store.query_one(f"SELECT MAX(version) FROM {sql_table} WHERE id = ?", (name,))
    version = 1 if row is None or row[0] is None else int(row[0]) + 1
    data = json.dumps({"name": source_name})
    if table == "rate_cards":
        store.execute(
            "INSERT INTO rate_cards (id, version, currency, data, source, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (name, version, currency, data, text, now),
        )
    else:
        store.execute(
            "INSERT INTO tax_tables (id, version, data, source, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, version, data, text, now),
        )
    return version


def latest(store: Store, table: CatalogTable, name: str) -> tuple[str, str] | None:
    """The TOML text and source name of the latest version of ``name``, or None."""
    row = store.query_one(
        f"SELECT source, data FROM {_checked(table)} WHERE id = ? ORDER BY version DESC LIMIT 1",
        (name,),
    )
    if row is None:
        return None
    return str(row[0]), str(as_json(row[1]).get("name", name))


def names(store: Store, table: CatalogTable) -> list[str]:
    """The imported names (codes), sorted."""
    return sorted(str(r[0]) for r in store.query(f"SELECT DISTINCT id FROM {_checked(table)}"))
