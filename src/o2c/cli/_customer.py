"""``o2c customer``: add, import, list, show and edit customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import click

from o2c.calendar import PaymentTerms
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._output import OutputFormat
from o2c.cli._types import MONEY
from o2c.errors import O2CError, ValidationError
from o2c.money import Currency, Money
from o2c.parties import (
    Address,
    Customer,
    DeliveryChannel,
    DeliveryPreference,
    ElectronicAddress,
    TaxRegistration,
    TaxScheme,
    default_locale,
    electronic_address,
)
from o2c.tax import PersonType, is_eu_member

__all__ = ["customer", "customer_row"]

F = TypeVar("F", bound=Callable[..., Any])


def _details(function: F) -> F:
    """The customer detail options shared by ``add`` and ``edit``."""
    options = [
        click.option("--name", help="Legal name shown on documents."),
        click.option("--country", metavar="CC", help="ISO country code (MX, DE, US...)."),
        click.option("--currency", metavar="CUR", help="Billing currency (MXN, EUR, USD...)."),
        click.option("--region", help="Tax region within the country, if any."),
        click.option(
            "--tax-id",
            metavar="ID",
            help="Tax id: an RFC for MX, a VAT id for the EU (checked), other ids as given.",
        ),
        click.option(
            "--person-type",
            type=click.Choice([p.value for p in PersonType]),
            help="Company or individual (Mexican withholdings).",
        ),
        click.option("--street", help="Billing address: street and number."),
        click.option("--city", help="Billing address: city."),
        click.option("--postal-code", help="Billing address: postal code."),
        click.option(
            "--locale",
            help="Document locale, e.g. es_MX, de_DE, en_US (add: from the country if not given).",
        ),
        click.option(
            "--email",
            metavar="ADDRESSES",
            help="Where documents are e-mailed: one address, or several separated by commas.",
        ),
        click.option(
            "--delivery",
            type=click.Choice([c.value for c in DeliveryChannel]),
            help="How documents reach the customer (o2c invoice send needs email).",
        ),
        click.option(
            "--delivery-format",
            type=click.Choice(["pdf", "ubl"]),
            help="What o2c invoice send attaches: the PDF, or the PDF and the UBL e-invoice.",
        ),
        click.option("--terms", metavar="TERMS", help="Payment terms: 'net 30', 'eom+15'..."),
        click.option("--time-zone", metavar="ZONE", help="IANA zone, e.g. America/Mexico_City."),
        click.option("--credit-limit", type=MONEY, help="Credit limit, e.g. '50000 MXN'."),
        click.option("--po-required/--no-po-required", default=None, help="Invoices need a PO."),
        click.option("--segment", help="Collection segment (selects the dunning policy)."),
        click.option(
            "--endpoint-scheme",
            metavar="EAS",
            help="Peppol endpoint EAS scheme of UBL e-invoices (0088 GLN, 0204, 9930...).",
        ),
        click.option("--endpoint-id", metavar="ID", help="Peppol endpoint id within the scheme."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _registration(country: str, tax_id: str, day: dt.date) -> TaxRegistration:
    if country == "MX":
        return TaxRegistration.of(TaxScheme.MX_RFC, tax_id)
    if is_eu_member(country, day):
        return TaxRegistration.of(TaxScheme.EU_VAT, tax_id)
    return TaxRegistration(TaxScheme.OTHER, tax_id.strip(), country)


def _delivery(preference: DeliveryPreference, options: Mapping[str, Any]) -> DeliveryPreference:
    """``preference`` with ``--email``, ``--delivery`` and ``--delivery-format`` applied."""
    from o2c.io.delivery import check_address

    changes: dict[str, Any] = {}
    if options.get("email") is not None:
        parts = [p for p in str(options["email"]).split(",") if p.strip()]
        changes["recipients"] = tuple(check_address("email", p) for p in parts)
    if options.get("delivery") is not None:
        changes["channel"] = DeliveryChannel(options["delivery"])
    if options.get("delivery_format") is not None:
        changes["format"] = options["delivery_format"]
    return attrs.evolve(preference, **changes) if changes else preference


def _endpoint(customer: Customer, options: Mapping[str, Any]) -> dict[str, ElectronicAddress]:
    """The change ``--endpoint-scheme`` / ``--endpoint-id`` make (the other part is kept)."""
    scheme, value = options.get("endpoint_scheme"), options.get("endpoint_id")
    old = customer.electronic_address
    if scheme is None and value is None:
        return {}
    return {
        "electronic_address": electronic_address(
            scheme if scheme is not None else (old.scheme if old else ""),
            value if value is not None else (old.value if old else ""),
        )
    }


def _apply(customer: Customer, options: dict[str, Any], day: dt.date) -> Customer:
    """Return ``customer`` with the given options applied (``None`` keeps a field)."""
    changes: dict[str, Any] = {}
    if options["name"] is not None:
        changes["legal_name"] = options["name"]
    if options["country"] is not None:
        changes["country"] = options["country"].upper()
    if options["currency"] is not None:
        changes["currency"] = Currency.of(options["currency"])
    if options["region"] is not None:
        changes["region"] = options["region"]
    if options["person_type"] is not None:
        changes["person_type"] = PersonType(options["person_type"])
    if options["locale"] is not None:
        changes["locale"] = options["locale"]
    if options["terms"] is not None:
        changes["payment_terms"] = PaymentTerms.parse(options["terms"])
    if options["time_zone"] is not None:
        changes["time_zone"] = options["time_zone"]
    if options["credit_limit"] is not None:
        changes["credit_limit"] = options["credit_limit"]
    if options["po_required"] is not None:
        changes["po_required"] = options["po_required"]
    if options["segment"] is not None:
        changes["collection_segment"] = options["segment"]
    changes.update(_endpoint(customer, options))
    delivery = _delivery(customer.delivery, options)
    if delivery != customer.delivery:
        changes["delivery"] = delivery
    country = str(changes.get("country", customer.country))
    if options["tax_id"] is not None:
        changes["tax_registrations"] = (_registration(country, options["tax_id"], day),)
    address_parts = ("street", "city", "postal_code")
    if any(options[p] is not None for p in address_parts):
        old = customer.billing_address or Address("", "", "", country)
        changes["billing_address"] = Address(
            options["street"] if options["street"] is not None else old.street,
            options["city"] if options["city"] is not None else old.city,
            options["postal_code"] if options["postal_code"] is not None else old.postal_code,
            country,
            old.region,
        )
    return attrs.evolve(customer, **changes)


#: The columns of a customer list (the header of an empty one too).
CUSTOMER_COLUMNS = ("id", "name", "country", "currency", "tax_id", "terms", "locale", "time_zone")


def customer_row(customer: Customer) -> dict[str, object]:
    """The columns a customer list shows."""
    return {
        "id": customer.id,
        "name": customer.legal_name,
        "country": customer.country,
        "currency": customer.currency,
        "tax_id": customer.tax_id,
        "terms": customer.payment_terms,
        "locale": customer.locale,
        "time_zone": customer.time_zone,
    }


@click.group("customer", cls=NounGroup)
def customer() -> None:
    """Add, import, list, show and edit customers."""


@customer.command("add")
@click.argument("customer_id")
@_details
@idempotency_option
@pass_context
def customer_add(
    obj: Context, /, customer_id: str, idempotency_key: str | None, **options: Any
) -> None:
    """Add customer CUSTOMER_ID (--name, --country and --currency are required).

    Example: `o2c customer add C-MX-1 --name "Tortillería La Esperanza SA de CV"
    --country MX --currency MXN --tax-id TLE010101AB1 --locale es_MX`
    """
    missing = [f"--{k}" for k in ("name", "country", "currency") if not options[k]]
    if missing:
        raise click.UsageError(f"customer add needs {', '.join(missing)}")
    country = options["country"].upper()
    base = Customer(
        id=customer_id,  # type: ignore[arg-type]
        legal_name=options["name"],
        billing_address=None,
        country=country,
        currency=Currency.of(options["currency"]),
        locale=default_locale(country),
    )
    stored = obj.book().add_customer(
        _apply(base, options, obj.today()), idempotency_key=idempotency_key
    )
    obj.emit(customer_row(stored), title=f"Customer {stored.id} added")


@customer.command("list")
@click.option("--search", help="Only customers whose id or name contains this.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@pass_context
def customer_list(obj: Context, search: str | None, limit: int | None) -> None:
    """List customers by id."""
    customers = obj.book().list_customers(search=search, limit=limit)
    obj.emit([customer_row(c) for c in customers], columns=CUSTOMER_COLUMNS)


@customer.command("show")
@click.argument("customer_id")
@pass_context
def customer_show(obj: Context, customer_id: str) -> None:
    """Show every detail of customer CUSTOMER_ID, and its credit against its limit."""
    from o2c.cli._collections import credit_row
    from o2c.io import to_plain

    book = obj.book()
    found = book.get_customer(customer_id)
    credit = credit_row(book.credit_check(customer_id))
    if obj.output is OutputFormat.TABLE:
        obj.emit(found)
        obj.emit(credit, title="Credit")
    else:
        obj.emit({**to_plain(found), "credit": credit})


@customer.command("edit")
@click.argument("customer_id")
@_details
@idempotency_option
@pass_context
def customer_edit(
    obj: Context, /, customer_id: str, idempotency_key: str | None, **options: Any
) -> None:
    """Change details of customer CUSTOMER_ID (only the options given change).

    Issued documents keep the customer as it was when they were issued.
    """
    if all(v is None for v in options.values()):
        raise click.UsageError("customer edit needs at least one option to change")
    book = obj.book()
    changed = _apply(book.get_customer(customer_id), options, obj.today())
    stored = book.update_customer(changed, idempotency_key=idempotency_key)
    obj.emit(customer_row(stored), title=f"Customer {stored.id} updated")


#: The columns of ``o2c customer import``: the required ones, then the optional ones.
IMPORT_REQUIRED: Final = ("id", "name", "country", "currency")
IMPORT_COLUMNS: Final = (
    *IMPORT_REQUIRED, "region", "tax_id", "person_type", "street", "city", "postal_code",
    "locale", "terms", "time_zone", "credit_limit", "po_required", "segment", "email",
    "endpoint_scheme", "endpoint_id",
)  # fmt: skip
#: Customer fields whose errors belong to a differently named column.
_FIELD_COLUMNS: Final = {"legal_name": "name", "payment_terms": "terms", "tax_id": "tax_id"}
_FLAGS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def row_problem(line: int, column: str, value: str, exc: Exception) -> str:
    """One import problem: ``line 4: currency: expected ..., got 'XXX'``."""
    if isinstance(exc, ValidationError):
        return f"line {line}: {column}: expected {exc.expected}, got {value!r}"
    return f"line {line}: {column}: {value!r}: {exc}"


def _flag(value: str) -> bool:
    if value.lower() not in _FLAGS:
        raise ValidationError("po_required", value, "true or false")
    return _FLAGS[value.lower()]


def _row_customer(line: int, row: Mapping[str, str], day: dt.date) -> Customer | list[str]:
    """The customer of one import row, or its problems (every column is checked)."""
    problems: list[str] = []
    for column in IMPORT_REQUIRED:
        if not row.get(column):
            problems.append(f"line {line}: {column}: a value is needed (the cell is empty)")
    country = row.get("country", "").upper()
    checks: dict[str, Callable[[str], object]] = {
        "currency": Currency.of,
        "person_type": lambda v: PersonType(v.lower()),
        "terms": PaymentTerms.parse,
        "credit_limit": lambda v: Money.parse(v, row.get("currency") or None),
        "po_required": _flag,
        "tax_id": lambda v: _registration(country, v, day) if country else v,
    }
    options: dict[str, Any] = {c: row.get(c) or None for c in IMPORT_COLUMNS}
    for column, convert in checks.items():
        value = row.get(column, "")
        if not value:
            continue
        try:
            converted = convert(value)
        except (O2CError, ValueError) as exc:
            problems.append(row_problem(line, column, value, exc))
            continue
        if column in ("credit_limit", "po_required"):
            options[column] = converted
    if options["person_type"]:
        options["person_type"] = options["person_type"].lower()
    try:
        # Built also when other cells have problems (with stand-ins for them), so that a
        # bad country or time zone of the same row is reported in the same run.
        base = Customer(
            id=row.get("id") or "?",  # type: ignore[arg-type]
            legal_name=row.get("name") or "?",
            billing_address=None,
            country=country or "US",
            currency=Currency.of(row["currency"]) if not problems else Currency.of("USD"),
            locale=default_locale(country or "US"),
        )
        built = _apply(base, options if not problems else _safe(options), day)
    except (O2CError, ValueError) as exc:
        field = str(getattr(exc, "field", ""))
        column = _FIELD_COLUMNS.get(field, field if field in IMPORT_COLUMNS else "row")
        problems.append(row_problem(line, column, row.get(column, ""), exc))
    return problems or built


def _safe(options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` without the values checked apart (they have problems of their own)."""
    checked = ("currency", "person_type", "terms", "credit_limit", "po_required", "tax_id")
    return {k: (None if k in checked else v) for k, v in options.items()}


@customer.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@idempotency_option
@pass_context
def customer_import(obj: Context, file: Path, idempotency_key: str | None) -> None:
    """Add the customers of FILE (CSV with , or ; separators, or XLSX), all or none.

    Columns (header row, any order, any case): id, name, country, currency (required);
    region, tax_id, person_type, street, city, postal_code, locale, terms, time_zone,
    credit_limit (in the customer's currency), po_required (true/false), segment, email
    (addresses separated by commas), endpoint_scheme and endpoint_id (the Peppol
    endpoint, an EAS code and an id). Without a locale, the country's is taken. Every
    row is checked first and every problem listed (line, column, value); nothing is
    added when any row has one.
    """
    from o2c.io import FileProblems, read_file, read_rows

    rows = read_rows(
        read_file(str(file), binary=True), file.name, IMPORT_REQUIRED, known=IMPORT_COLUMNS
    )
    book = obj.book()
    existing = {str(c.id) for c in book.list_customers()}
    day = obj.today()
    problems: list[str] = []
    taken: list[str] = []
    customers: list[Customer] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        cid = row.get("id", "")
        if cid in seen:
            problems.append(f"line {line}: id: {cid!r} repeats line {seen[cid]}")
            continue
        seen[cid] = line
        if cid in existing:
            taken.append(f"line {line}: id: customer {cid!r} exists already in the book")
        built = _row_customer(line, row, day)
        if isinstance(built, list):
            problems.extend(built)
        else:
            customers.append(built)
    if problems or not customers:
        all_problems = sorted([*problems, *taken], key=line_number)
        raise FileProblems(file.name, all_problems or ["file: no customer rows under the header"])
    count = add_all(
        taken, file.name, lambda: book.add_customers(customers, idempotency_key=idempotency_key)
    )
    obj.emit(
        {"file": file.name, "customers": count, "ids": [str(c.id) for c in customers]},
        title=f"Imported {count} customers from {file.name}",
    )


def line_number(problem: str) -> int:
    """The line a problem message starts with (0 for the file's own problems)."""
    head = problem.split(":", 1)[0].removeprefix("line ")
    return int(head) if head.isdigit() else 0


def add_all(taken: list[str], source: str, add: Callable[[], int]) -> int:
    """Run ``add`` (the Book's bulk add); ids that ``taken`` lists as stored refuse it.

    With them, ``add`` is still tried: a retry with the first import's idempotency key
    returns its result instead of running again, which is what a retry should do.
    Otherwise the Book refuses (a conflict) and the taken rows are the problems.
    """
    from o2c.errors import Conflict
    from o2c.io import FileProblems

    if not taken:
        return add()
    try:
        return add()
    except Conflict:
        raise FileProblems(source, taken) from None
