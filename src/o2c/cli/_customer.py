"""``o2c customer``: add, list, show and edit customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import click

from o2c.calendar import PaymentTerms
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import MONEY
from o2c.money import Currency
from o2c.parties import Address, Customer, TaxRegistration, TaxScheme
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
        click.option("--locale", help="Document locale, e.g. es_MX, de_DE, en_US."),
        click.option("--terms", metavar="TERMS", help="Payment terms: 'net 30', 'eom+15'..."),
        click.option("--time-zone", metavar="ZONE", help="IANA zone, e.g. America/Mexico_City."),
        click.option("--credit-limit", type=MONEY, help="Credit limit, e.g. '50000 MXN'."),
        click.option("--po-required/--no-po-required", default=None, help="Invoices need a PO."),
        click.option("--segment", help="Collection segment (selects the dunning policy)."),
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
    """Add, list, show and edit customers."""


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
    """Show every detail of customer CUSTOMER_ID."""
    obj.emit(obj.book().get_customer(customer_id))


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
