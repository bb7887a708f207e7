"""``o2c wallet``: prepaid credits, topped up, drawn against invoices and expired."""

from __future__ import annotations

import datetime as dt

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._output import OutputFormat
from o2c.cli._types import DATE, MONEY
from o2c.credit import LotKind, WalletDraw, WalletLot
from o2c.money import Money

__all__ = ["LOT_COLUMNS", "wallet"]

#: The columns of a wallet's lots.
LOT_COLUMNS = ("lot", "kind", "amount", "remaining", "granted_on", "expires_on", "payment")
_HISTORY_COLUMNS = ("date", "event", "lot", "kind", "amount", "invoice", "entry")


def lot_row(lot: WalletLot) -> dict[str, object]:
    """One lot as a row."""
    return {
        "lot": lot.id,
        "kind": lot.kind,
        "amount": lot.amount,
        "remaining": lot.remaining,
        "granted_on": lot.granted_on,
        "expires_on": lot.expires_on,
        "payment": lot.payment,
    }


def _draw_row(draw: WalletDraw) -> dict[str, object]:
    return {
        "customer": draw.customer,
        "invoice": draw.number,
        "date": draw.date,
        "applied": draw.applied,
        "open": draw.open,
        "lots": ", ".join(f"{t.lot_id} {t.amount}" for t in draw.takes),
    }


@click.group("wallet", cls=NounGroup)
def wallet() -> None:
    """Prepaid credits: top up a customer's wallet, draw it against invoices, expire it."""


@wallet.command("topup")
@click.argument("customer")
@click.argument("amount", type=MONEY)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in LotKind]),
    default="paid",
    show_default=True,
    help="Paid credit (bought) or granted credit (free, promotional).",
)
@click.option("--expires", type=DATE, help="Last day the credit can be used (default: never).")
@click.option("--payment", metavar="PAYMENT_ID", help="Buy the credit out of this payment.")
@click.option("--date", type=DATE, help="Day of the top-up (default: today).")
@idempotency_option
@pass_context
def wallet_topup(
    obj: Context,
    customer: str,
    amount: Money,
    kind: str,
    expires: dt.date | None,
    payment: str | None,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Put AMOUNT of prepaid credit in CUSTOMER's wallet as a new lot.

    Paid credit is bought with cash received for it, or out of a payment's unapplied
    credit with --payment; granted credit is free and booked as a promotional expense.
    """
    lot = obj.book().wallet_topup(
        customer,
        amount,
        kind=kind,
        expires=expires,
        payment=payment,
        date=date,
        idempotency_key=idempotency_key,
    )
    obj.emit(lot_row(lot))


@wallet.command("show")
@click.argument("customer")
@click.option("--as-of", type=DATE, help="The wallet on this date (default: today).")
@pass_context
def wallet_show(obj: Context, customer: str, as_of: dt.date | None) -> None:
    """Show CUSTOMER's wallet: every lot in drawdown order, with what remains."""
    found = obj.book().wallet(customer, as_of=as_of)
    obj.emit([lot_row(x) for x in found.lots], columns=LOT_COLUMNS, money=("amount", "remaining"))
    if obj.output is not OutputFormat.TABLE:
        return
    for cur in found.currencies:
        paid = found.balance(cur, LotKind.PAID)
        granted = found.balance(cur, LotKind.GRANTED)
        obj.note(f"{cur.code}: paid {paid}, granted {granted}, total {paid + granted}")


@wallet.command("history")
@click.argument("customer")
@pass_context
def wallet_history(obj: Context, customer: str) -> None:
    """List every top-up, draw and expiry of CUSTOMER's wallet, by date."""
    rows = [
        {
            "date": e.date,
            "event": e.event,
            "lot": e.lot_id,
            "kind": e.lot_kind,
            "amount": e.amount,
            "invoice": e.document,
            "entry": e.entry_id,
        }
        for e in obj.book().wallet_history(customer)
    ]
    obj.emit(rows, columns=_HISTORY_COLUMNS, money=("amount",))


@wallet.command("draw")
@click.argument("customer")
@click.argument("invoice")
@click.option("--date", type=DATE, help="Day of the draw (default: today).")
@idempotency_option
@pass_context
def wallet_draw(
    obj: Context, customer: str, invoice: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Apply CUSTOMER's wallet credit to INVOICE, granted credit first.

    At most what the invoice has open is taken, from granted lots, then the earliest
    expiry, then the oldest lot; the rest of the invoice stays open.
    """
    made = obj.book().wallet_draw(customer, invoice, date=date, idempotency_key=idempotency_key)
    obj.emit(_draw_row(made))


@wallet.command("expire")
@click.option("--as-of", type=DATE, help="Expire lots whose last day is before it (today).")
@click.option("--customer", help="Only this customer's lots.")
@idempotency_option
@pass_context
def wallet_expire(
    obj: Context, as_of: dt.date | None, customer: str | None, idempotency_key: str | None
) -> None:
    """Expire what is left on lots past their last day: breakage for paid credit.

    Expired paid credit is posted to breakage revenue; expired granted credit reverses
    its promotional expense.
    """
    day = as_of or obj.today()
    done = obj.book().wallet_expire(day, customer=customer, idempotency_key=idempotency_key)
    rows = [{"customer": c, "lot": t.lot_id, "kind": t.kind, "expired": t.amount} for c, t in done]
    obj.emit(rows, columns=("customer", "lot", "kind", "expired"), money=("expired",))
