"""``o2c init``: create a book (or bring an existing one's schema up to date)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

import click

from o2c.cli._app import Context, O2CCommand, natural_idempotency_option, pass_context
from o2c.cli._i18n import _

if TYPE_CHECKING:
    from o2c.book import Book

__all__ = [
    "DEFAULT_APPROVAL_LIMITS",
    "TEAM_ON_SQLITE",
    "default_approval_settings",
    "init_command",
]

#: What a new book holds for a second person's approval, per request, by currency: a
#: refund or a credit over a day's small talk, any write-off past a rounding difference,
#: and voiding a sizable invoice. A lead approves (never the requester). Amounts in MXN
#: are about twenty times the dollar ones. Change them with ``o2c approval policy --set``.
DEFAULT_APPROVAL_LIMITS: Final[dict[str, dict[str, str]]] = {
    "USD": {"refund": "500.00", "write_off": "100.00", "credit_note": "1000.00", "void": "1000.00"},
    "EUR": {"refund": "500.00", "write_off": "100.00", "credit_note": "1000.00", "void": "1000.00"},
    "GBP": {"refund": "500.00", "write_off": "100.00", "credit_note": "1000.00", "void": "1000.00"},
    "CAD": {"refund": "500.00", "write_off": "100.00", "credit_note": "1000.00", "void": "1000.00"},
    "MXN": {
        "refund": "10000.00",
        "write_off": "2000.00",
        "credit_note": "20000.00",
        "void": "20000.00",
    },
}


#: Why ``o2c init --team`` refuses a SQLite book.
TEAM_ON_SQLITE: Final = (
    "--team needs a PostgreSQL book (--book postgresql://...): a SQLite book is a file, and "
    "whoever can write it can act under any name (O2C_ACTOR, --actor) and edit any row, so "
    "approvals between people would rest on trust alone. A SQLite book suits one person, "
    "or a team that trusts everyone with the file."
)


def default_approval_settings(currency: str) -> dict[str, str]:
    """The approval settings of a new book billing in ``currency`` (empty if none known).

    The limits are set in every currency of :data:`DEFAULT_APPROVAL_LIMITS`, not only
    the book's: an action with a limit in one currency is held in every currency without
    one (it cannot be compared), so a Mexican seller's USD credit notes would all wait.
    A book in another currency gets none (set them with ``o2c approval policy --set``).

    Example:
        >>> default_approval_settings("USD")["approval.refund.USD"]
        '500.00 lead'
        >>> default_approval_settings("MXN")["approval.refund.MXN"]
        '10000.00 lead'
        >>> default_approval_settings("JPY")
        {}
    """
    if currency.upper() not in DEFAULT_APPROVAL_LIMITS:
        return {}
    return {
        f"approval.{action}.{code}": f"{amount} lead"
        for code, limits in DEFAULT_APPROVAL_LIMITS.items()
        for action, amount in limits.items()
    }


def _seller_currency(country: str, today: dt.date) -> str | None:
    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(country.upper(), today)
    return found[0] if found else None


def _approval_rows(settings: dict[str, str]) -> list[dict[str, str]]:
    """The book's approval limits as rows: action, limit (and window), approver role."""
    rows = []
    for key, value in sorted(settings.items()):
        parts = key.split(".")
        if parts[0] != "approval" or len(parts) not in (3, 4):
            continue
        amount, _sep, role = value.partition(" ")
        rows.append(
            {
                "action": parts[1],
                "above": f"{amount} {parts[2]}",
                "per": parts[3] if len(parts) == 4 else "request",
                "approver": role or "lead",
            }
        )
    return rows


def _apply_defaults(obj: Context, book: Book, currency: str | None) -> dict[str, str]:
    """Write the default approval limits into a new book; what was written."""
    if currency is None:
        obj.note(
            _(
                "no default approval limits: give --currency (or --seller-country); set them "
                "with `o2c approval policy --set approval.refund.USD='500.00 lead'`"
            )
        )
        return {}
    settings = default_approval_settings(currency)
    if not settings:
        obj.note(
            _(
                "no default approval limits for {currency}: set them with `o2c approval policy "
                "--set`"
            ).format(currency=currency)
        )
        return {}
    book.set_policy_settings(settings)
    obj.note(_("change the approval limits with `o2c approval policy --set KEY=VALUE`"))
    return settings


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
@click.option(
    "--currency",
    metavar="CUR",
    help="The currency of a new book's default approval limits (default: the seller country's).",
)
@click.option(
    "--approval-defaults/--no-approval-defaults",
    default=True,
    show_default=True,
    help="Give a new book default approval limits (refund, write-off, credit note, void).",
)
@click.option(
    "--team",
    is_flag=True,
    help="A book several people share: PostgreSQL only (database roles, append-only records).",
)
@natural_idempotency_option("an existing book is only migrated")
@pass_context
def init_command(
    obj: Context,
    seller_country: str | None,
    seller_region: str,
    seller_tax_id: str | None,
    zone: str | None,
    currency: str | None,
    approval_defaults: bool,
    team: bool,
) -> None:
    """Create the book named by --book, or migrate an existing one.

    Running it again is safe: an up-to-date book is left as it is. Bill runs tax as the
    seller given with --seller-country (set it once, or again to change it). The book's
    "today" (the default date of every command) is the date in --timezone (UTC unless
    set), whatever the time zone of the machine running o2c.

    A new book gets default approval limits in its currency (--currency, else the seller
    country's): refunds over 500.00, write-offs over 100.00, credit notes and voids over
    1,000.00 (USD, EUR, GBP, CAD; twenty times that in MXN) wait for a lead's approval.
    They are shown, and `o2c approval policy --set` changes them; an existing book's
    policy is never touched.

    --team makes a book several people share: on PostgreSQL it also creates the book's
    database roles and append-only triggers (o2c db roles), so the database, not a name
    on the command line, says who did what. A SQLite book is refused: whoever can write
    the file can act under any name and edit any row, so approvals between people there
    would be a promise nobody enforces.
    """
    if team and not obj.is_postgres:
        raise click.UsageError(_(TEAM_ON_SQLITE))
    if zone:
        from o2c.calendar import zone as time_zone

        zone = str(time_zone(zone.strip()))  # refused before the book is made
    book = obj.book(create=True)
    fresh = not book.audit_log(limit=1)  # nothing ever happened in it: a new book
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
    if fresh and approval_defaults:
        if currency is None and seller_country:
            currency = _seller_currency(seller_country, book.today())
        _apply_defaults(obj, book, currency)
    if team:
        result["database_roles"] = sorted(book.install_database_roles().values())
    limits = _approval_rows(book.policy_settings())
    if limits:
        result["approval"] = limits
    obj.emit(result, title=_("Book ready"))
