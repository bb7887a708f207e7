"""Sales order rows: the order as JSON in ``data``, and the invoice that billed it."""

from __future__ import annotations

import json
from collections.abc import Sequence

import attrs
import cattrs

from o2c.book._codec import as_json
from o2c.contracts import SalesOrder
from o2c.ids import DocumentId
from o2c.io import structure, to_plain
from o2c.store import Store

__all__ = ["billed_by", "exists", "get", "insert", "order_of", "search"]


def order_of(data: object, document_id: object, converter: cattrs.Converter) -> SalesOrder:
    """The order stored as ``data``, with ``invoice_id`` set when ``document_id`` is."""
    order = structure(as_json(data), SalesOrder, converter=converter)
    if document_id is not None:
        order = attrs.evolve(order, invoice_id=DocumentId(str(document_id)))
    return order


def exists(store: Store, order_id: str) -> bool:
    """Whether the book has a sales order with this id."""
    return store.query_one("SELECT 1 FROM sales_orders WHERE id = ?", (order_id,)) is not None


def insert(store: Store, order: SalesOrder, *, converter: cattrs.Converter, now: str) -> None:
    """Write a new, open sales order."""
    store.execute(
        "INSERT INTO sales_orders (id, customer_id, contract_id, order_date, status,"
        " data, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
        (
            order.id,
            order.customer_id,
            order.contract_id,
            order.order_date.isoformat(),
            json.dumps(to_plain(order, converter), separators=(",", ":")),
            now,
        ),
    )


def get(store: Store, order_id: str, *, converter: cattrs.Converter) -> SalesOrder | None:
    """The sales order with this id, or None."""
    row = store.query_one("SELECT data, document_id FROM sales_orders WHERE id = ?", (order_id,))
    return None if row is None else order_of(row[0], row[1], converter)


def search(
    store: Store,
    *,
    converter: cattrs.Converter,
    customer: str | None = None,
    unbilled: bool = False,
) -> list[SalesOrder]:
    """Sales orders in id order, optionally one customer's or only those not billed."""
    where = []
    params: list[str] = []
    if customer is not None:
        where.append("customer_id = ?")
        params.append(customer)
    if unbilled:
        where.append("document_id IS NULL")
    sql = "SELECT data, document_id FROM sales_orders"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    return [order_of(d, i, converter) for d, i in store.query(sql + " ORDER BY id", params)]


def billed_by(store: Store, document_id: str, *, converter: cattrs.Converter) -> list[SalesOrder]:
    """The sales orders invoice ``document_id`` billed, in id order (``invoice_id`` unset,
    as the bill run planned them)."""
    return [
        order_of(data, None, converter)
        for (data,) in store.query(
            "SELECT data FROM sales_orders WHERE document_id = ? ORDER BY id", (document_id,)
        )
    ]


# -- the bill run's reads and marks (appended for o2c.book._bill_run) -----------------


def stored(store: Store, order_id: str) -> tuple[object, object] | None:
    """``(data, document id)`` of sales order ``order_id`` as stored, or None."""
    row = store.query_one("SELECT data, document_id FROM sales_orders WHERE id = ?", (order_id,))
    return None if row is None else (row[0], row[1])


def contracts_with_unbilled(store: Store, contract_ids: Sequence[str]) -> set[str]:
    """The contracts among these with a sales order not billed yet."""
    found: set[str] = set()
    for start in range(0, len(contract_ids), 500):
        chunk = list(contract_ids[start : start + 500])
        found.update(
            str(r[0])
            for r in store.query(
                "SELECT DISTINCT contract_id FROM sales_orders WHERE document_id IS NULL"
                f" AND contract_id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
        )
    return found


def unbilled_of_contracts(
    store: Store, contract_ids: Sequence[str], *, converter: cattrs.Converter
) -> list[SalesOrder]:
    """The sales orders of these contracts not billed yet, by id per chunk."""
    orders: list[SalesOrder] = []
    for start in range(0, len(contract_ids), 500):
        chunk = list(contract_ids[start : start + 500])
        orders.extend(
            order_of(data, None, converter)
            for (data,) in store.query(
                "SELECT data FROM sales_orders WHERE document_id IS NULL AND contract_id IN"
                f" ({', '.join('?' for _ in chunk)}) ORDER BY id",
                chunk,
            )
        )
    return orders


def unbilled_without_contract(store: Store, *, converter: cattrs.Converter) -> list[SalesOrder]:
    """The sales orders of no contract not billed yet, by id."""
    return [
        order_of(data, None, converter)
        for (data,) in store.query(
            "SELECT data FROM sales_orders WHERE document_id IS NULL"
            " AND contract_id IS NULL ORDER BY id"
        )
    ]


def all_unbilled(store: Store, *, converter: cattrs.Converter) -> list[SalesOrder]:
    """Every sales order not billed yet, by id."""
    return [
        order_of(data, None, converter)
        for (data,) in store.query(
            "SELECT data FROM sales_orders WHERE document_id IS NULL ORDER BY id"
        )
    ]


def mark_billed(store: Store, rows: Sequence[tuple[str, str]]) -> None:
    """Mark sales orders billed: ``(document id, order id)`` pairs."""
    store.executemany(
        "UPDATE sales_orders SET document_id = ?, status = 'billed' WHERE id = ?", rows
    )
