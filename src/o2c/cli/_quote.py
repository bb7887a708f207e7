"""``o2c quote``: price an item from a rate card file, with the explanation.

It needs no book: it reads the rate card, rates the quantity and prints the price and the
steps that produced it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from o2c.cli._app import Context, O2CCommand, pass_context
from o2c.cli._types import DATE, DECIMAL

__all__ = ["quote_command"]


@click.command("quote", cls=O2CCommand)
@click.option(
    "--ratecard",
    "ratecard_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The rate card TOML file.",
)
@click.argument("item")
@click.argument("quantity", type=DECIMAL)
@click.option("--at", type=DATE, default=None, help="Price on this date (default: today).")
@click.option(
    "--amount",
    "amounts",
    type=DECIMAL,
    multiple=True,
    help="A transaction amount, for percentage pricing (repeat per transaction).",
)
@pass_context
def quote_command(
    obj: Context,
    ratecard_path: Path,
    item: str,
    quantity: Decimal,
    at: dt.date | None,
    amounts: tuple[Decimal, ...],
) -> None:
    """Price QUANTITY of ITEM from a rate card and explain the price (before tax).

    Example: `o2c quote --ratecard saas.toml api_calls 150000 --at 2026-10-01`
    """
    from o2c.pricing import load_ratecard, quote

    card = load_ratecard(ratecard_path)
    day = at or obj.today()
    rated = quote(card, item, quantity, at=day, transactions=list(amounts) or None)
    steps = [
        {
            "step": step.describe(card.currency),
            "kind": step.kind,
            "tier": step.tier,
            "quantity": step.quantity,
            "unit_price": step.unit_price,
            "amount": step.amount,
        }
        for step in rated.steps
    ]
    result = {
        "ratecard": card.code,
        "item": item,
        "at": day,
        "model": rated.model,
        "quantity": rated.quantity,
        "exact": rated.amount,
        "price": rated.net(),
        "steps": steps,
    }
    if obj.output.value == "table":
        click.echo(f"{item} × {quantity} on {day} ({card.code}): {rated.net()}")
        for step in rated.steps:
            click.echo(f"  {step.describe(card.currency)}")
        return
    obj.emit(result)
