"""Contract rows: the contract as JSON in ``contracts.data`` and one row per version."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Final

import cattrs

from o2c.book._codec import as_json
from o2c.book._contract_reader import read_contract
from o2c.contracts import Contract
from o2c.io import structure, to_plain
from o2c.store import Store

__all__ = ["contract_of", "exists", "get", "insert", "search", "update"]

_INSERT_VERSION: Final = (
    "INSERT INTO contract_versions (contract_id, version, effective_from, data,"
    " created_at) VALUES (?, ?, ?, '{}', ?)"
)


def _text(contract: Contract, converter: cattrs.Converter) -> str:
    return json.dumps(to_plain(contract, converter), separators=(",", ":"))


def contract_of(data: object, converter: cattrs.Converter) -> Contract:
    """The contract stored as ``data`` (a ``contracts.data`` value)."""

    def by_cattrs(plain: object) -> Contract:
        return structure(plain, Contract, converter=converter)

    return read_contract(as_json(data), by_cattrs)


def _version_rows(
    contract: Contract, numbers: Iterable[int], now: str
) -> list[tuple[str, int, str, str]]:
    return [
        (contract.id, n, contract.versions[n - 1].effective_from.isoformat(), now) for n in numbers
    ]


def exists(store: Store, contract_id: str) -> bool:
    """Whether the book has a contract with this id."""
    return store.query_one("SELECT 1 FROM contracts WHERE id = ?", (contract_id,)) is not None


def insert(
    store: Store, contracts: Sequence[Contract], *, converter: cattrs.Converter, now: str
) -> None:
    """Write new contracts, active, with a row for each of their versions."""
    store.executemany(
        "INSERT INTO contracts (id, customer_id, currency, status, effective_from,"
        " effective_to, version, data, created_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)",
        [
            (
                c.id,
                c.customer_id,
                c.versions[-1].currency.code,
                c.start.isoformat(),
                None if c.end is None else c.end.isoformat(),
                len(c.versions),
                _text(c, converter),
                now,
            )
            for c in contracts
        ],
    )
    store.executemany(
        _INSERT_VERSION,
        [row for c in contracts for row in _version_rows(c, range(1, len(c.versions) + 1), now)],
    )


def update(
    store: Store,
    contract: Contract,
    *,
    stored_versions: int,
    converter: cattrs.Converter,
    now: str,
) -> None:
    """Replace a contract's row and add rows for its versions after ``stored_versions``."""
    store.execute(
        "UPDATE contracts SET effective_to = ?, version = ?, data = ?, currency = ? WHERE id = ?",
        (
            None if contract.end is None else contract.end.isoformat(),
            len(contract.versions),
            _text(contract, converter),
            contract.versions[-1].currency.code,
            contract.id,
        ),
    )
    store.executemany(
        _INSERT_VERSION,
        _version_rows(contract, range(stored_versions + 1, len(contract.versions) + 1), now),
    )


def get(store: Store, contract_id: str, *, converter: cattrs.Converter) -> Contract | None:
    """The contract with this id, or None."""
    row = store.query_one("SELECT data FROM contracts WHERE id = ?", (contract_id,))
    return None if row is None else contract_of(row[0], converter)


def search(
    store: Store, *, converter: cattrs.Converter, customer: str | None = None
) -> list[Contract]:
    """Contracts in id order, optionally one customer's."""
    sql = "SELECT data FROM contracts"
    params: list[str] = []
    if customer is not None:
        sql += " WHERE customer_id = ?"
        params.append(customer)
    return [contract_of(r[0], converter) for r in store.query(sql + " ORDER BY id", params)]


# -- the bill run's reads (appended for o2c.book._bill_run) ---------------------------


def count_active(store: Store) -> int:
    """How many contracts are active."""
    row = store.query_one("SELECT COUNT(*) FROM contracts WHERE status = 'active'")
    return int(row[0]) if row else 0


def active_ids(store: Store) -> list[str]:
    """The ids of the active contracts, in order."""
    return [
        str(r[0])
        for r in store.query("SELECT id FROM contracts WHERE status = 'active' ORDER BY id")
    ]


def active_rows(
    store: Store, *, after: str, upto: str | None = None, limit: int | None = None
) -> list[tuple[object, object, object]]:
    """``(id, customer id, data)`` of the active contracts with ids after ``after`` (and up
    to ``upto``), in id order, at most ``limit`` of them; ``data`` as stored."""
    sql = "SELECT id, customer_id, data FROM contracts WHERE status = 'active' AND id > ?"
    params: list[str | int] = [after]
    if upto is not None:
        sql += " AND id <= ?"
        params.append(upto)
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [(r[0], r[1], r[2]) for r in store.query(sql, params)]


def active_of_customers(store: Store, customers: Sequence[str]) -> list[tuple[str, object]]:
    """``(id, data)`` of the active contracts of these customers, in id order per chunk."""
    found: list[tuple[str, object]] = []
    for start in range(0, len(customers), 500):
        chunk = list(customers[start : start + 500])
        found.extend(
            (str(cid), data)
            for cid, data in store.query(
                "SELECT id, data FROM contracts WHERE status = 'active' AND customer_id IN"
                f" ({', '.join('?' for _ in chunk)}) ORDER BY id",
                chunk,
            )
        )
    return found


def customer_of(store: Store, contract_id: str) -> str | None:
    """The customer id of contract ``contract_id``, or None."""
    row = store.query_one("SELECT customer_id FROM contracts WHERE id = ?", (contract_id,))
    return None if row is None else str(row[0])
