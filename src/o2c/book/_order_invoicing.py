"""Invoicing one sales order now, instead of waiting for the next bill run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from o2c.billing import Document, order_invoice
from o2c.billing.taxing import TaxContext
from o2c.book import _bill_inputs as inputs
from o2c.book import _catalog as catalog
from o2c.book import _contracts as contracts
from o2c.book import _issuing as issuing
from o2c.book import _lookups as lookups
from o2c.book._session import Session, Touched
from o2c.book._tables import orders as orders_table
from o2c.errors import InvalidState, NotFound
from o2c.parties import Customer

__all__ = ["invoice_sales_order"]


def invoice_sales_order(
    session: Session,
    order_id: str,
    *,
    date: dt.date | None = None,
    issue: bool = True,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Document:
    """Invoice one sales order now (see :meth:`o2c.Book.invoice_sales_order`)."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        found = orders_table.stored(session.store, order_id)
        if found is None:
            raise NotFound("sales order", order_id)
        data, billed_by = found
        if billed_by is not None:
            billed = lookups.get_document(session, str(billed_by))
            raise InvalidState(
                f"sales order {order_id} was billed on {billed.number or billed.id}",
                document_id=billed.id,
            )
        order = orders_table.order_of(data, None, session.converter())
        if not order.rate_card and order.contract_id is not None:
            contract = contracts.get_contract(session, order.contract_id)
            card = contract.version_at(max(order.order_date, contract.start)).rate_card
            if card:
                order = attrs.evolve(order, rate_card=card)
        customers: dict[str, Customer] = {}
        inputs.load_customers(session, {order.customer_id}, customers)
        if order.customer_id not in customers:
            raise NotFound("customer", order.customer_id)
        [doc_id] = lookups.new_document_ids(session, 1)
        draft = order_invoice(
            doc_id,
            order,
            customers[order.customer_id],
            tax=TaxContext(catalog.seller(session), catalog.tax_table(session)),
            tax_point=day,
            rate_cards={card.code: card for card in catalog.list_rate_cards(session)},
            rounding=catalog.rounding(session),
        )
        stored = issuing.store_correction(session, draft, issue, day, touched)
        orders_table.mark_billed(session.store, [(str(stored["id"]), order_id)])
        return stored

    result = session.run(
        "invoice_sales_order",
        actor=actor,
        key=idempotency_key,
        args={"order_id": order_id, "date": day, "issue": issue},
        body=body,
    )
    return lookups.get_document(session, str(result["id"]))
