"""``o2c contract``: what was agreed with a customer, as effective-dated versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
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


#: The columns of ``o2c contract import``: one row per contract line.
IMPORT_REQUIRED = ("contract", "customer", "ratecard", "start", "kind", "item")
IMPORT_COLUMNS = (
    *IMPORT_REQUIRED, "quantity", "description", "end", "cycle", "timing", "currency", "po",
    "terms",
)  # fmt: skip
#: Columns that describe the contract, not the line: the same on all its rows.
_HEADER_COLUMNS = (
    "customer", "ratecard", "start", "end", "cycle", "timing", "currency", "po", "terms",
)  # fmt: skip
_KINDS = ("recurring", "usage", "time")


def _import_line(line: int, row: dict[str, str], problems: list[str]) -> ContractLine | None:
    from o2c.cli._customer import row_problem
    from o2c.contracts import ChargeKind
    from o2c.errors import O2CError
    from o2c.ids import ItemCode
    from o2c.money import parse_decimal

    kind, item = row.get("kind", "").lower(), row.get("item", "")
    before = len(problems)
    if kind not in _KINDS:
        got = row.get("kind", "")
        problems.append(f"line {line}: kind: expected one of {', '.join(_KINDS)}, got {got!r}")
    quantity = Decimal(1)
    if row.get("quantity"):
        try:
            quantity = parse_decimal(row["quantity"], "quantity")
        except (O2CError, ValueError) as exc:
            problems.append(row_problem(line, "quantity", row["quantity"], exc))
    if not item:
        problems.append(f"line {line}: item: a value is needed (the cell is empty)")
    if len(problems) > before:
        return None
    line_id = item if kind == "recurring" else f"{kind}:{item}"
    return ContractLine(
        line_id, ItemCode(item), ChargeKind(kind), quantity, row.get("description", "")
    )


def _import_contract(
    book: Book, rows: list[tuple[int, dict[str, str]]], problems: list[str]
) -> Contract | None:
    """The contract of one id's rows (its first row gives the contract's columns)."""
    from o2c.calendar import BillingCycle, Cycle, PaymentTerms, parse_date
    from o2c.cli._customer import row_problem
    from o2c.contracts import BillingTiming, ContractVersion
    from o2c.errors import NotFound, O2CError
    from o2c.ids import ContractId, CustomerId
    from o2c.money import Currency

    first_line, first = rows[0]
    before = len(problems)
    for line, row in rows[1:]:
        for column in _HEADER_COLUMNS:
            if row.get(column) and row[column] != first.get(column, ""):
                problems.append(
                    f"line {line}: {column}: {row[column]!r} differs from "
                    f"{first.get(column, '')!r} on line {first_line} (same contract)"
                )
    values: dict[str, object] = {}
    parsers = {
        "start": lambda v: parse_date(v, "start"),
        "end": lambda v: parse_date(v, "end"),
        "cycle": Cycle.parse,
        "timing": lambda v: BillingTiming(v.lower()),
        "currency": Currency.of,
        "terms": PaymentTerms.parse,
    }
    for column, parse in parsers.items():
        if first.get(column):
            try:
                values[column] = parse(first[column])
            except (O2CError, ValueError) as exc:
                problems.append(row_problem(first_line, column, first[column], exc))
    customer_id = first.get("customer", "")
    try:
        currency = values.get("currency") or book.get_customer(customer_id).currency
    except NotFound:
        problems.append(
            f"line {first_line}: customer: {customer_id!r} is not a customer of the book"
        )
        currency = None
    if currency is not None and first.get("ratecard"):
        try:
            _check_card(book, first["ratecard"], currency)  # type: ignore[arg-type]
        except O2CError as exc:
            problems.append(f"line {first_line}: ratecard: {first['ratecard']!r}: {exc}")
    lines: list[ContractLine] = []
    ids: dict[str, int] = {}
    for line, row in rows:
        built = _import_line(line, row, problems)
        if built is None:
            continue
        if built.id in ids:
            problems.append(f"line {line}: item: {row['item']!r} repeats line {ids[built.id]}")
            continue
        ids[built.id] = line
        lines.append(built)
    if len(problems) > before or "start" not in values:
        return None
    start = values["start"]
    assert isinstance(start, dt.date)
    try:
        version = ContractVersion(
            effective_from=start,
            lines=tuple(lines),
            cycle=BillingCycle(values.get("cycle", Cycle.MONTHLY), start),  # type: ignore[arg-type]
            currency=currency,  # type: ignore[arg-type]
            rate_card=first["ratecard"],
            timing=values.get("timing", BillingTiming.ADVANCE),  # type: ignore[arg-type]
            po_number=first.get("po") or None,
            payment_terms=values.get("terms"),  # type: ignore[arg-type]
        )
        return Contract(
            ContractId(first["contract"]),
            CustomerId(customer_id),
            (version,),
            end=values.get("end"),  # type: ignore[arg-type]
        )
    except (O2CError, ValueError) as exc:
        problems.append(f"line {first_line}: contract: {first['contract']!r}: {exc}")
        return None


@contract.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@idempotency_option
@pass_context
def contract_import(obj: Context, file: Path, idempotency_key: str | None) -> None:
    """Add the contracts of FILE (CSV with , or ; separators, or XLSX), all or none.

    One row per contract line, grouped by the contract column. Columns: contract,
    customer, ratecard, start, kind (recurring, usage or time), item (required);
    quantity (recurring lines, default 1), description, end, cycle (weekly, monthly,
    quarterly, yearly), timing (advance, arrears), currency (default: the customer's),
    po, terms. The contract's columns may be left empty on its later rows. Every
    problem is listed (line, column, value); nothing is added when any row has one.
    """
    from o2c.cli._customer import add_all, line_number
    from o2c.io import FileProblems, read_file, read_rows

    rows = read_rows(
        read_file(str(file), binary=True), file.name, IMPORT_REQUIRED, known=IMPORT_COLUMNS
    )
    book = obj.book()
    existing = {str(c.id) for c in book.list_contracts()}
    problems: list[str] = []
    taken: list[str] = []
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        cid = row.get("contract", "")
        if not cid:
            problems.append(f"line {line}: contract: a value is needed (the cell is empty)")
            continue
        if cid in existing and cid not in grouped:
            taken.append(f"line {line}: contract: {cid!r} exists already in the book")
        grouped.setdefault(cid, []).append((line, row))
    contracts = [c for g in grouped.values() if (c := _import_contract(book, g, problems))]
    if problems or not contracts:
        all_problems = sorted([*problems, *taken], key=line_number)
        raise FileProblems(file.name, all_problems or ["file: no contract rows under the header"])
    count = add_all(
        taken, file.name, lambda: book.add_contracts(contracts, idempotency_key=idempotency_key)
    )
    obj.emit(
        {"file": file.name, "contracts": count, "ids": [str(c.id) for c in contracts]},
        title=f"Imported {count} contracts from {file.name}",
    )
