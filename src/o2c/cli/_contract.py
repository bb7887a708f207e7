"""``o2c contract``: what was agreed with a customer, as effective-dated versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import DATE
from o2c.contracts import Contract, ContractLine

if TYPE_CHECKING:
    from o2c.book import Book
    from o2c.money import Currency

__all__ = ["contract", "contract_row"]

_CYCLES = ["weekly", "monthly", "quarterly", "yearly"]


def _recurring(values: tuple[str, ...]) -> list[ContractLine]:
    from o2c.contracts import ChargeKind
    from o2c.ids import ItemCode
    from o2c.money import parse_decimal

    lines = []
    for value in values:
        item, _, quantity = value.partition(":")
        if not item:
            raise click.BadParameter(f"{value!r}: use ITEM or ITEM:QTY", param_hint="--recurring")
        try:
            amount = parse_decimal(quantity, "quantity") if quantity else Decimal(1)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r}: {exc}", param_hint="--recurring") from None
        lines.append(ContractLine(item, ItemCode(item), ChargeKind.RECURRING, amount))
    return lines


def _lines(
    recurring: tuple[str, ...], usage: tuple[str, ...], time: tuple[str, ...]
) -> tuple[ContractLine, ...]:
    from o2c.contracts import ChargeKind
    from o2c.ids import ItemCode

    lines = _recurring(recurring)
    lines += [ContractLine(f"usage:{i}", ItemCode(i), ChargeKind.USAGE) for i in usage]
    lines += [ContractLine(f"time:{i}", ItemCode(i), ChargeKind.TIME) for i in time]
    return tuple(lines)


def _check_card(book: Book, code: str, currency: Currency) -> None:
    """Refuse a rate card the book does not have, or one in another currency."""
    from o2c.errors import NotFound, ValidationError

    try:
        card = book.get_rate_card(code)
    except NotFound:
        raise NotFound(
            "rate card", code, hint="import it first with `o2c ratecard import FILE`"
        ) from None
    if card.currency != currency:
        raise ValidationError(
            "ratecard",
            code,
            f"a rate card in {currency} (it prices in {card.currency}); "
            "use --currency or another card",
        )


#: The columns of a contract list (the header of an empty one too).
CONTRACT_COLUMNS = (
    "id", "customer", "start", "end", "versions", "cycle", "timing", "currency", "ratecard",
    "lines",
)  # fmt: skip


def contract_row(contract: Contract) -> dict[str, object]:
    """The columns of a contract list."""
    current = contract.current
    return {
        "id": contract.id,
        "customer": contract.customer_id,
        "start": contract.start,
        "end": contract.end,
        "versions": len(contract.versions),
        "cycle": current.cycle.cycle,
        "timing": current.timing,
        "currency": current.currency,
        "ratecard": current.rate_card,
        "lines": [f"{line.kind.value} {line.item}" for line in current.lines],
    }


def _line_options(function: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option(
                "--recurring",
                multiple=True,
                metavar="ITEM[:QTY]",
                help="A recurring charge (subscription, seats); repeat.",
            ),
            click.option("--usage", multiple=True, metavar="ITEM", help="A metered item; repeat."),
            click.option(
                "--time", multiple=True, metavar="ITEM", help="A time & materials item; repeat."
            ),
        ]
    ):
        function = option(function)
    return function


@click.group("contract", cls=NounGroup)
def contract() -> None:
    """Add, list, show and amend contracts."""


@contract.command("add")
@click.argument("contract_id")
@click.option("--customer", required=True, metavar="ID", help="The customer.")
@click.option("--ratecard", required=True, metavar="CODE", help="The rate card it prices from.")
@click.option("--start", required=True, type=DATE, help="First day (also the cycle anchor).")
@click.option("--end", type=DATE, help="First day no longer covered (default: open-ended).")
@click.option("--cycle", type=click.Choice(_CYCLES), default="monthly", show_default=True)
@click.option(
    "--timing",
    type=click.Choice(["advance", "arrears"]),
    default="advance",
    show_default=True,
    help="Bill recurring charges before or after the period.",
)
@click.option("--currency", metavar="CUR", help="Billing currency (default: the customer's).")
@click.option("--po", "po_number", help="Customer's purchase order number.")
@click.option("--terms", help="Payment terms for this contract, e.g. 'net 15'.")
@click.option(
    "--invoice-now",
    is_flag=True,
    help="Billed in advance: issue the first period's invoice now (no bill run bills it again).",
)
@_line_options
@idempotency_option
@pass_context
def contract_add(
    obj: Context,
    contract_id: str,
    customer: str,
    ratecard: str,
    start: dt.date,
    end: dt.date | None,
    cycle: str,
    timing: str,
    currency: str | None,
    po_number: str | None,
    terms: str | None,
    invoice_now: bool,
    recurring: tuple[str, ...],
    usage: tuple[str, ...],
    time: tuple[str, ...],
    idempotency_key: str | None,
) -> None:
    """Add contract CONTRACT_ID, e.g.

    `o2c contract add K-1 --customer C-US-1 --ratecard saas-2026 --start 2026-10-01
    --recurring platform --recurring seats:25 --usage api_calls --time consulting`
    """
    from o2c.calendar import BillingCycle, Cycle, PaymentTerms
    from o2c.contracts import BillingTiming, ContractVersion
    from o2c.ids import ContractId, CustomerId
    from o2c.money import Currency

    lines = _lines(recurring, usage, time)
    if not lines:
        raise click.UsageError("a contract needs at least one --recurring, --usage or --time")
    book = obj.book()
    money = Currency.of(currency) if currency else book.get_customer(customer).currency
    _check_card(book, ratecard, money)
    version = ContractVersion(
        effective_from=start,
        lines=lines,
        cycle=BillingCycle(Cycle.parse(cycle), start),
        currency=money,
        rate_card=ratecard,
        timing=BillingTiming(timing),
        po_number=po_number,
        payment_terms=PaymentTerms.parse(terms) if terms else None,
    )
    new = Contract(ContractId(contract_id), CustomerId(customer), (version,), end=end)
    stored = book.add_contract(new, idempotency_key=idempotency_key, invoice_now=invoice_now)
    row = contract_row(stored)
    if invoice_now:
        row["start_invoice"] = _start_invoice(book, stored)
    obj.emit(row, title=f"Contract {stored.id} added")


def _start_invoice(book: Book, contract: Contract) -> str:
    """The start invoice of ``contract`` (number and total), or why there is none."""
    prefix = f"{contract.id}:"
    for doc in book.list_documents(customer=contract.customer_id):
        key = doc.run_key or ""
        if key.startswith(prefix) and key.endswith(":start"):
            return f"{doc.number or doc.id} {doc.totals.payable}"
    for exc in book.list_exceptions():
        if exc.run_key.startswith(prefix) and exc.run_key.endswith(":start"):
            return f"not issued: {exc.message} (see `o2c bill exceptions`)"
    return "not issued"


@contract.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's contracts.")
@pass_context
def contract_list(obj: Context, customer: str | None) -> None:
    """List contracts."""
    contracts = obj.book().list_contracts(customer=customer)
    obj.emit([contract_row(c) for c in contracts], columns=CONTRACT_COLUMNS)


@contract.command("show")
@click.argument("contract_id")
@pass_context
def contract_show(obj: Context, contract_id: str) -> None:
    """Show CONTRACT_ID with every version."""
    found = obj.book().get_contract(contract_id)
    if obj.output.value == "json":
        obj.emit(found)
        return
    detail = contract_row(found)
    detail["history"] = [
        {
            "from": v.effective_from,
            "cycle": v.cycle.cycle,
            "ratecard": v.rate_card,
            "lines": ", ".join(
                f"{line.item}×{line.quantity:f}"
                if line.kind.value == "recurring"
                else f"{line.item} ({line.kind.value})"
                for line in v.lines
            ),
            "po": v.po_number,
        }
        for v in found.versions
    ]
    obj.emit(detail)


@contract.command("amend")
@click.argument("contract_id")
@click.option("--from", "effective", required=True, type=DATE, help="The change applies from.")
@click.option("--ratecard", metavar="CODE", help="Price from another rate card.")
@click.option("--po", "po_number", help="A new purchase order number.")
@click.option(
    "--quantity",
    "quantities",
    multiple=True,
    metavar="ITEM:QTY",
    help="Change a recurring line's quantity (seats); repeat.",
)
@click.option("--end", type=DATE, help="End the contract on this date (first day not covered).")
@_line_options
@idempotency_option
@pass_context
def contract_amend(
    obj: Context,
    contract_id: str,
    effective: dt.date,
    ratecard: str | None,
    po_number: str | None,
    quantities: tuple[str, ...],
    end: dt.date | None,
    recurring: tuple[str, ...],
    usage: tuple[str, ...],
    time: tuple[str, ...],
    idempotency_key: str | None,
) -> None:
    """Amend CONTRACT_ID from a date (a new version; mid-period changes are prorated).

    --recurring/--usage/--time replace the lines; --quantity changes one line's quantity.
    """
    import attrs

    from o2c.contracts import amend, terminate

    book = obj.book()
    found = book.get_contract(contract_id)
    changes: dict[str, object] = {}
    lines = _lines(recurring, usage, time)
    if quantities:
        base = list(lines or found.version_at(effective).lines)
        for change in _recurring(quantities):
            index = next((i for i, line in enumerate(base) if line.item == change.item), None)
            if index is None:
                raise click.BadParameter(
                    f"{change.item} is not a line of {contract_id}", param_hint="--quantity"
                )
            base[index] = attrs.evolve(base[index], quantity=change.quantity)
        lines = tuple(base)
    if lines:
        changes["lines"] = lines
    if ratecard:
        _check_card(book, ratecard, found.version_at(effective).currency)
        changes["rate_card"] = ratecard
    if po_number:
        changes["po_number"] = po_number
    if not changes and end is None:
        raise click.UsageError(
            "nothing to amend: give lines, --quantity, --ratecard, --po or --end"
        )
    amended = amend(found, effective, **changes) if changes else found
    if end is not None:
        amended = terminate(amended, end)
    stored = book.update_contract(amended, idempotency_key=idempotency_key)
    obj.emit(contract_row(stored), title=f"Contract {stored.id} amended")
