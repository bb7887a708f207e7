"""``o2c seller``: set and show who issues the book's documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.errors import NotFound, ValidationError
from o2c.parties import (
    Address,
    BankAccount,
    ElectronicAddress,
    Seller,
    TaxScheme,
    normalize_tax_id,
)
from o2c.tax import TaxProfile, is_eu_member

__all__ = ["seller", "seller_row"]


@click.group("seller", cls=NounGroup)
def seller() -> None:
    """Set and show the seller: the legal identity printed on every document."""


def _tax_id(country: str, tax_id: str, day: dt.date) -> str:
    """``tax_id`` checked and compact for the seller's ``country`` (RFC, EU VAT id)."""
    if country == "MX":
        return normalize_tax_id(TaxScheme.MX_RFC, tax_id)
    if is_eu_member(country, day):
        return normalize_tax_id(TaxScheme.EU_VAT, tax_id)
    return normalize_tax_id(TaxScheme.OTHER, tax_id)


def _accounts(ibans: tuple[str, ...], bics: tuple[str, ...], banks: tuple[str, ...]) -> Any:
    """The bank accounts of repeated ``--iban``/``--bic``/``--bank``, paired in order."""
    for flag, values in (("--bic", bics), ("--bank", banks)):
        if len(values) > len(ibans):
            raise ValidationError(
                flag.lstrip("-"), values[len(ibans)], f"at most one {flag} per --iban"
            )
    return tuple(
        BankAccount(
            iban,
            bics[n] if n < len(bics) else "",
            banks[n] if n < len(banks) else "",
        )
        for n, iban in enumerate(ibans)
    )


def _given(value: str | None, old: str) -> str:
    return old if value is None else value.strip()


def _build(
    current: Seller | None, profile: TaxProfile | None, o: dict[str, Any], day: dt.date
) -> Seller:
    """The seller the options describe, starting from ``current`` (options not given keep
    its fields) or, for a first seller, from the tax profile the book bills as."""
    old_address = current.address if current is not None else None
    old_tax = current.tax if current is not None else profile
    country = (o["country"] or (old_tax.country if old_tax else "")).strip().upper()
    if not country:
        raise click.UsageError("seller set needs --country (the seller's ISO country, MX, DE...)")
    if current is None and not o["name"]:
        raise click.UsageError("seller set needs --name (the seller's legal name)")
    tax_changes: dict[str, Any] = {"country": country}
    if o["tax_region"] is not None:
        tax_changes["region"] = o["tax_region"]
    if o["tax_id"] is not None:
        tax_changes["tax_id"] = _tax_id(country, o["tax_id"], day) if o["tax_id"] else None
    if o["regime"] is not None:
        tax_changes["regime"] = o["regime"].strip() or None
    tax = attrs.evolve(old_tax, **tax_changes) if old_tax is not None else TaxProfile(**tax_changes)
    address = Address(
        _given(o["street"], old_address.street if old_address else ""),
        _given(o["city"], old_address.city if old_address else ""),
        _given(o["postal_code"], old_address.postal_code if old_address else ""),
        country,
        _given(o["region"], old_address.region if old_address else ""),
    )
    changes: dict[str, Any] = {"address": address, "tax": tax}
    for option, field in (
        ("name", "legal_name"),
        ("trading_name", "trading_name"),
        ("registration", "registration"),
        ("email", "email"),
        ("phone", "phone"),
        ("website", "website"),
        ("logo", "logo"),
        ("clabe", "clabe"),
    ):
        if o[option] is not None:
            changes[field] = o[option].strip()
    if o["iban"]:
        changes["bank_accounts"] = _accounts(o["iban"], o["bic"], o["bank"])
    elif o["bic"] or o["bank"]:
        raise ValidationError("iban", "", "an --iban for each --bic and --bank")
    if o["no_bank_accounts"]:
        changes["bank_accounts"] = ()
    if o["endpoint_id"] is not None or o["endpoint_scheme"] is not None:
        old_endpoint = current.electronic_address if current is not None else None
        scheme = o["endpoint_scheme"] or (old_endpoint.scheme if old_endpoint else "")
        value = o["endpoint_id"] or (old_endpoint.value if old_endpoint else "")
        changes["electronic_address"] = ElectronicAddress(scheme.strip().upper(), value.strip())
    base = current if current is not None else Seller(changes["legal_name"], address, tax)
    return attrs.evolve(base, **changes)


def seller_row(found: Seller, version: int | None) -> dict[str, object]:
    """The seller as one flat row (table and CSV output)."""
    first = found.bank_accounts[0] if found.bank_accounts else None
    endpoint = found.electronic_address
    return {
        "version": version,
        "legal_name": found.legal_name,
        "trading_name": found.trading_name,
        "street": found.address.street,
        "city": found.address.city,
        "postal_code": found.address.postal_code,
        "region": found.address.region,
        "country": found.country,
        "tax_id": found.tax_id,
        "tax_region": found.tax.region,
        "regime": found.tax.regime,
        "registration": found.registration,
        "iban": " ".join(a.iban for a in found.bank_accounts),
        "bic": first.bic if first else "",
        "bank": first.bank_name if first else "",
        "clabe": found.clabe,
        "endpoint": f"{endpoint.scheme}:{endpoint.value}" if endpoint else "",
        "email": found.email,
        "phone": found.phone,
        "website": found.website,
        "logo": found.logo,
    }


def _emit(obj: Context, found: Seller, version: int | None, title: str) -> None:
    if obj.output.value == "json":
        obj.emit({"version": version, "seller": found})
    else:
        obj.emit(seller_row(found, version), title=title)


@seller.command("set")
@click.option("--name", help="Legal name (needed the first time).")
@click.option("--trading-name", help="Name the customer knows, if not the legal name.")
@click.option("--street", help="Registered address: street and number.")
@click.option("--city", help="Registered address: city.")
@click.option("--postal-code", help="Registered address: postal code.")
@click.option("--region", help="Registered address: state or region code (JAL, BY...).")
@click.option(
    "--country", metavar="CC", help="ISO country code (MX, DE...; needed the first time)."
)
@click.option("--tax-id", metavar="ID", help="Tax id (RFC, EU VAT id...), checked for the country.")
@click.option(
    "--tax-region", metavar="CODE", help="Tax region the book bills as (BORDER_NORTH...)."
)
@click.option("--regime", metavar="CODE", help="Local tax regime code (SAT 601, 626...).")
@click.option("--registration", help="Company registration for the legal footer (HRB 12345...).")
@click.option("--iban", multiple=True, help="Bank account IBAN (repeat for several accounts).")
@click.option("--bic", multiple=True, help="BIC of the --iban in the same position.")
@click.option("--bank", multiple=True, help="Bank name of the --iban in the same position.")
@click.option("--no-bank-accounts", is_flag=True, help="Remove every bank account.")
@click.option("--clabe", help="Mexican CLABE (18 digits; Mexico has no IBAN).")
@click.option(
    "--endpoint-scheme", metavar="EAS", help="Peppol endpoint EAS scheme (0088, 9930...)."
)
@click.option("--endpoint-id", metavar="ID", help="Peppol endpoint id within the scheme.")
@click.option("--email", help="Contact e-mail printed on documents.")
@click.option("--phone", help="Contact phone.")
@click.option("--website", help="Website.")
@click.option("--logo", metavar="PATH", help="Path or URL of a logo for rendered documents.")
@idempotency_option
@pass_context
def seller_set(obj: Context, /, idempotency_key: str | None, **options: Any) -> None:
    """Set the seller (a new version; only the options given change).

    Documents issued before keep the seller they were issued under. IBANs and BICs are
    checked (check digits, length, bank code); a bad one changes nothing.

    Example: `o2c seller set --name "Muster GmbH" --street "Marienplatz 1" --city
    München --postal-code 80331 --country DE --tax-id DE136695976 --iban
    DE89370400440532013000 --bic COBADEFFXXX`
    """
    book = obj.book()
    try:
        current: Seller | None = book.seller_identity()
    except NotFound:
        current = None
    try:
        profile: TaxProfile | None = book.seller()
    except NotFound:
        profile = None
    built = _build(current, profile, options, obj.today())
    book.set_seller(built, idempotency_key=idempotency_key)
    _emit(obj, built, book.seller_version(), f"Seller {built.legal_name}")


@seller.command("show")
@click.option("--version", "version", type=int, help="An earlier version (default: the latest).")
@pass_context
def seller_show(obj: Context, version: int | None) -> None:
    """Show the seller printed on documents issued from now on (or an earlier version)."""
    book = obj.book()
    found = book.seller_identity(version)
    _emit(obj, found, version or book.seller_version(), f"Seller {found.legal_name}")
