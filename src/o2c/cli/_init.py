"""``o2c init``: create a book (or bring an existing one's schema up to date)."""

from __future__ import annotations

import click

from o2c.cli._app import Context, O2CCommand, natural_idempotency_option, pass_context
from o2c.cli._i18n import _

__all__ = ["init_command"]


@click.command("init", cls=O2CCommand)
@click.option("--seller-country", metavar="CC", help="The seller's country (MX, DE, US...).")
@click.option("--seller-region", metavar="CODE", default="", help="The seller's tax region.")
@click.option("--seller-tax-id", metavar="ID", help="The seller's tax id (RFC, VAT id...).")
@click.option(
    "--timezone",
    "zone",
    metavar="ZONE",
    help="The book's time zone, an IANA name (America/Mexico_City); it decides 'today'.",
)
@natural_idempotency_option("an existing book is only migrated")
@pass_context
def init_command(
    obj: Context,
    seller_country: str | None,
    seller_region: str,
    seller_tax_id: str | None,
    zone: str | None,
) -> None:
    """Create the book named by --book, or migrate an existing one.

    Running it again is safe: an up-to-date book is left as it is. Bill runs tax as the
    seller given with --seller-country (set it once, or again to change it). The book's
    "today" (the default date of every command) is the date in --timezone (UTC unless
    set), whatever the time zone of the machine running o2c.
    """
    if zone:
        from o2c.calendar import zone as time_zone

        zone = str(time_zone(zone.strip()))  # refused before the book is made
    book = obj.book(create=True)
    result: dict[str, object] = {
        "book": obj.book_location,
        "schema_version": book.schema_version(),
    }
    if zone:
        book.set_timezone(zone)
    result["timezone"] = book.timezone()
    if seller_country:
        from o2c.tax import TaxProfile

        seller = TaxProfile(seller_country.upper(), seller_region, tax_id=seller_tax_id)
        book.set_seller(seller)
        result["seller"] = f"{seller.country} {seller.tax_id or ''}".strip()
    obj.emit(result, title=_("Book ready"))
