"""``o2c order``: one-time sales orders (hardware, set-up fees), billed by the next bill run
or invoiced at once with ``o2c order invoice``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import DATE, LINE, LineSpec

if TYPE_CHECKING:
    from o2c.contracts import SalesOrder

__all__ = ["order", "order_row"]


def order_row(item: SalesOrder) -> dict[str, object]:
    """The columns of an order list."""
    return {
        "id": item.id,
        "customer": item.customer_id,
        "order_date": item.order_date,
        "delivery": item.delivery_date,
        "contract": item.contract_id,
        "lines": [f"{line.item}×{line.quantity:f}" for line in item.lines],
        "invoice": item.invoice_id or "(not billed)",
    }


@click.group("order", cls=NounGroup)
def order() -> None:
    """Record one-time sales orders; the bill run invoices them once."""


@order.command("add")
@click.argument("order_id")
@click.option("--customer", required=True, metavar="ID", help="Who ordered.")
@click.option(
    "--line",
    "lines",
    type=LINE,
    multiple=True,
    required=True,
    help="ITEM:QTY@PRICE, or ITEM:QTY priced from the rate card; repeat.",
)
@click.option("--date", "order_date", type=DATE, help="Order date (default: today).")
@click.option("--delivery", type=DATE, help="Delivery date: billed by the first run after it.")
@click.option("--contract", metavar="ID", help="Bill it on this contract's invoice.")
@click.option("--ratecard", metavar="CODE", help="Rate card for lines without @PRICE.")
@click.option("--po", "po_number", help="Customer's purchase order number.")
@idempotency_option
@pass_context
def order_add(
    obj: Context,
    order_id: str,
    customer: str,
    lines: tuple[LineSpec, ...],
    order_date: dt.date | None,
    delivery: dt.date | None,
    contract: str | None,
    ratecard: str | None,
    po_number: str | None,
    idempotency_key: str | None,
) -> None:
    """Record sales order ORDER_ID, e.g. `--line gateway:2@349 --line setup:1`."""
    from o2c.contracts import OrderLine, SalesOrder
    from o2c.ids import ContractId, CustomerId, ItemCode
    from o2c.money import Money

    book = obj.book()
    currency = book.get_customer(customer).currency
    built = tuple(
        OrderLine(
            ItemCode(spec.item),
            spec.quantity,
            Money(spec.unit_price, currency) if spec.unit_price is not None else None,
        )
        for spec in lines
    )
    if any(line.unit_price is None for line in built) and not (ratecard or contract):
        raise click.UsageError("lines without @PRICE need --ratecard or --contract to price them")
    new = SalesOrder(
        order_id,
        CustomerId(customer),
        order_date or obj.today(),
        currency,
        built,
        contract_id=ContractId(contract) if contract else None,
        po_number=po_number,
        delivery_date=delivery,
        rate_card=ratecard or "",
    )
    stored = book.add_sales_order(new, idempotency_key=idempotency_key)
    obj.emit(order_row(stored), title=f"Order {stored.id} recorded")


@order.command("invoice")
@click.argument("order_id")
@click.option("--date", type=DATE, help="Invoice date (default: today).")
@click.option("--draft", is_flag=True, help="Store a draft instead of issuing it.")
@idempotency_option
@pass_context
def order_invoice(
    obj: Context, order_id: str, date: dt.date | None, draft: bool, idempotency_key: str | None
) -> None:
    """Invoice sales order ORDER_ID now instead of in the next bill run."""
    from o2c.cli._views import DOCUMENT_COLUMNS, document_row

    doc = obj.book().invoice_sales_order(
        order_id, date=date, issue=not draft, idempotency_key=idempotency_key
    )
    title = f"Draft {doc.id}" if draft else f"Issued {doc.number}"
    obj.emit(document_row(doc), columns=DOCUMENT_COLUMNS, title=title)


@order.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's orders.")
@click.option("--unbilled", is_flag=True, help="Only orders not billed yet.")
@pass_context
def order_list(obj: Context, customer: str | None, unbilled: bool) -> None:
    """List sales orders."""
    orders = obj.book().list_sales_orders(customer=customer, unbilled=unbilled)
    obj.emit(
        [order_row(o) for o in orders],
        columns=("id", "customer", "order_date", "delivery", "contract", "lines", "invoice"),
    )


@order.command("show")
@click.argument("order_id")
@pass_context
def order_show(obj: Context, order_id: str) -> None:
    """Show sales order ORDER_ID and the invoice that billed it."""
    found = obj.book().get_sales_order(order_id)
    obj.emit(found if obj.output.value == "json" else order_row(found))
