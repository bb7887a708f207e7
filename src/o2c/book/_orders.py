"""Sales order commands and queries."""

from __future__ import annotations

from typing import Any

from o2c.book._customers import require_customer
from o2c.book._session import Session, Touched
from o2c.book._tables import orders as orders_table
from o2c.contracts import SalesOrder
from o2c.errors import Conflict, NotFound
from o2c.io import to_plain

__all__ = [
    "add_sales_order",
    "billed_orders",
    "get_sales_order",
    "list_sales_orders",
    "sales_order_of",
]


def add_sales_order(
    session: Session,
    order: SalesOrder,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> SalesOrder:
    """Record a sales order (see :meth:`SetupMixin.add_sales_order`)."""

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, order.customer_id)
        if orders_table.exists(session.store, order.id):
            raise Conflict(f"sales order {order.id} exists already")
        session.ensure_currency(order.currency)
        orders_table.insert(
            session.store, order, converter=session.converter(), now=session.now().isoformat()
        )
        touched.add(order.id)
        return {"id": order.id}

    plain = to_plain(order, session.converter())
    result = session.run(
        "add_sales_order", actor=actor, key=idempotency_key, args={"order": plain}, body=body
    )
    return get_sales_order(session, result["id"])


def sales_order_of(session: Session, data: object, document_id: object) -> SalesOrder:
    """The order stored as ``data``, billed by ``document_id`` (or None)."""
    return orders_table.order_of(data, document_id, session.converter())


def get_sales_order(session: Session, order_id: str) -> SalesOrder:
    """The sales order with this id (``invoice_id`` set once billed).

    Raises:
        NotFound: No such order.
    """
    found = orders_table.get(session.store, order_id, converter=session.converter())
    if found is None:
        raise NotFound("sales order", order_id)
    return found


def list_sales_orders(
    session: Session, *, customer: str | None = None, unbilled: bool = False
) -> list[SalesOrder]:
    """Sales orders in id order, optionally one customer's or only those not billed."""
    return orders_table.search(
        session.store, converter=session.converter(), customer=customer, unbilled=unbilled
    )


def billed_orders(session: Session, document_id: str) -> tuple[SalesOrder, ...]:
    """The sales orders invoice ``document_id`` billed, as the bill run planned them."""
    return tuple(orders_table.billed_by(session.store, document_id, converter=session.converter()))
