"""Customer rows: the searchable columns and the customer as JSON in ``data``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Final

import cattrs

from o2c.book._codec import as_json
from o2c.io import structure, to_plain
from o2c.parties import Customer
from o2c.store import Store

__all__ = [
    "currencies",
    "exists",
    "get",
    "insert",
    "load_into",
    "search",
    "update",
    "version",
]

#: How many ids one ``IN (...)`` query reads at most.
CHUNK: Final = 500

_INSERT: Final = (
    "INSERT INTO customers (id, name, currency, payment_terms, time_zone,"
    " credit_limit_minor, status, version, data, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)"
)


def _text(customer: Customer, converter: cattrs.Converter) -> str:
    return json.dumps(to_plain(customer, converter), sort_keys=True)


def _limit(customer: Customer) -> int | None:
    return None if customer.credit_limit is None else customer.credit_limit.minor_units


def _customer(data: object, converter: cattrs.Converter) -> Customer:
    return structure(as_json(data), Customer, converter=converter)


def exists(store: Store, customer_id: str) -> bool:
    """Whether the book has a customer with this id."""
    return store.query_one("SELECT 1 FROM customers WHERE id = ?", (customer_id,)) is not None


def currencies(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The currency code each of the customers ``ids`` is billed in (those the book has)."""
    wanted = sorted(set(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for cid, code in store.query(
            f"SELECT id, currency FROM customers WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            found[str(cid)] = str(code)
    return found


def version(store: Store, customer_id: str) -> int | None:
    """The stored version of customer ``customer_id``, or None when there is none."""
    row = store.query_one("SELECT version FROM customers WHERE id = ?", (customer_id,))
    return None if row is None else int(row[0])


def insert(
    store: Store,
    customers: Iterable[tuple[Customer, int]],
    *,
    converter: cattrs.Converter,
    now: str,
) -> None:
    """Write new customers, each with its version number."""
    store.executemany(
        _INSERT,
        [
            (
                c.id,
                c.legal_name,
                c.currency.code,
                str(c.payment_terms),
                c.time_zone,
                _limit(c),
                number,
                _text(c, converter),
                now,
                now,
            )
            for c, number in customers
        ],
    )


def update(
    store: Store, customer: Customer, *, version: int, converter: cattrs.Converter, now: str
) -> None:
    """Replace the stored row of ``customer`` with its new details and version."""
    store.execute(
        "UPDATE customers SET name = ?, currency = ?, payment_terms = ?, time_zone = ?,"
        " credit_limit_minor = ?, version = ?, data = ?, updated_at = ? WHERE id = ?",
        (
            customer.legal_name,
            customer.currency.code,
            str(customer.payment_terms),
            customer.time_zone,
            _limit(customer),
            version,
            _text(customer, converter),
            now,
            customer.id,
        ),
    )


def get(store: Store, customer_id: str, *, converter: cattrs.Converter) -> Customer | None:
    """The customer with this id, or None."""
    row = store.query_one("SELECT data FROM customers WHERE id = ?", (customer_id,))
    return None if row is None else _customer(row[0], converter)


def search(
    store: Store,
    *,
    converter: cattrs.Converter,
    text: str | None = None,
    limit: int | None = None,
) -> list[Customer]:
    """Customers by id, optionally those whose id or name contains ``text`` (any case)."""
    sql = "SELECT data FROM customers"
    params: list[str | int] = []
    if text:
        sql += " WHERE LOWER(id) LIKE ? OR LOWER(name) LIKE ?"
        pattern = f"%{text.lower()}%"
        params += [pattern, pattern]
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_customer(row[0], converter) for row in store.query(sql, params)]


def load_into(
    store: Store,
    ids: Iterable[str],
    customers: dict[str, Customer],
    *,
    converter: cattrs.Converter,
) -> None:
    """Read the customers with these ids into ``customers`` (those not there yet)."""
    wanted: Sequence[str] = sorted(set(ids) - set(customers))
    for start in range(0, len(wanted), CHUNK):
        chunk = list(wanted[start : start + CHUNK])
        rows: list[tuple[Any, ...]] = store.query(
            f"SELECT id, data FROM customers WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        for cid, data in rows:
            customers[str(cid)] = _customer(data, converter)
