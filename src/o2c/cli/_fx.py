"""``o2c fx``: exchange rates, the functional currency, settlement in another currency,
and the book valued in its functional currency (issue 19); ``o2c period revalue``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, NounGroup, O2CCommand, idempotency_option, pass_context
from o2c.cli._i18n import _
from o2c.cli._types import DATE, DECIMAL

if TYPE_CHECKING:
    from o2c.fx import FunctionalEntry, Quote, Rate

__all__ = ["fx", "period_revalue"]


def _pair(value: str) -> tuple[str, str]:
    base, sep, quote = value.upper().partition("/")
    if not sep or len(base) != 3 or len(quote) != 3:
        raise click.BadParameter(
            _("expected a pair such as EUR/USD, got {value!r}").format(value=value),
            param_hint="PAIR",
        )
    return base, quote


def _rate_row(r: Rate) -> dict[str, object]:
    return {
        "pair": r.pair,
        "rate_type": r.rate_type,
        "effective": r.effective.isoformat(),
        "rate": str(r.rate),
        "source": r.source,
    }


def _quote_row(q: Quote) -> dict[str, object]:
    return {
        "pair": f"{q.base.code}/{q.quote.code}",
        "rate_type": q.rate_type,
        "effective": q.effective.isoformat(),
        "rate": str(q.rate),
        "how": q.how,
    }


@click.group("fx", cls=NounGroup)
def fx() -> None:
    """Exchange rates, the functional currency and multi-currency valuation."""


@fx.command("functional")
@click.argument("currency")
@click.option(
    "--rate-type",
    default=None,
    help="The rate type documents and payments are booked at (default BOOK).",
)
@idempotency_option
@pass_context
def fx_functional(
    obj: Context, currency: str, rate_type: str | None, idempotency_key: str | None
) -> None:
    """Set the book's functional CURRENCY (before posting in other currencies)."""
    book = obj.book()
    cur = book.set_functional_currency(
        currency, rate_type=rate_type, idempotency_key=idempotency_key
    )
    obj.emit({"functional_currency": cur.code, "rate_type": rate_type or "BOOK"})


@fx.command("set")
@click.argument("pair")
@click.argument("rate", type=DECIMAL)
@click.option("--date", "effective", type=DATE, default=None, help="Effective from (today).")
@click.option("--type", "rate_type", default="BOOK", show_default=True, help="Rate type.")
@idempotency_option
@pass_context
def fx_set(
    obj: Context,
    pair: str,
    rate: Decimal,
    effective: dt.date | None,
    rate_type: str,
    idempotency_key: str | None,
) -> None:
    """Enter RATE for PAIR by hand: units of the second currency per one of the first
    (``o2c fx set USD/MXN 18.2345 --date 2026-10-30 --type DOF-FIX``)."""
    base, quote = _pair(pair)
    made = obj.book().set_rate(
        base,
        quote,
        rate,
        effective=effective or obj.today(),
        rate_type=rate_type,
        idempotency_key=idempotency_key,
    )
    obj.emit(_rate_row(made))


@fx.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "fmt",
    type=click.Choice(["csv", "ecb"]),
    default=None,
    help="csv (date,base,quote,rate[,rate_type]) or ecb (eurofxref XML); by extension.",
)
@click.option("--type", "rate_type", default=None, help="Rate type (csv: BOOK, ecb: ECB).")
@idempotency_option
@pass_context
def fx_import(
    obj: Context,
    file: Path,
    fmt: str | None,
    rate_type: str | None,
    idempotency_key: str | None,
) -> None:
    """Import rates from FILE; a file with any problem is refused whole."""
    chosen = fmt or ("ecb" if file.suffix.lower() == ".xml" else "csv")
    count = obj.book().import_rates(
        file.read_bytes(),
        name=file.name,
        format=chosen,
        rate_type=rate_type,
        idempotency_key=idempotency_key,
    )
    obj.emit({"file": file.name, "imported": count})


@fx.command("list")
@click.option("--type", "rate_type", default=None, help="Only this rate type.")
@click.option("--currency", default=None, help="Only pairs with this currency.")
@pass_context
def fx_list(obj: Context, rate_type: str | None, currency: str | None) -> None:
    """List stored rates by pair, type and date."""
    rows = [_rate_row(r) for r in obj.book().list_rates(rate_type=rate_type, currency=currency)]
    obj.emit(rows, columns=("pair", "rate_type", "effective", "rate", "source"))


@fx.command("show")
@click.argument("pair")
@click.option("--date", "on", type=DATE, default=None, help="On this day (today).")
@click.option("--type", "rate_type", default=None, help="Rate type (the book's).")
@pass_context
def fx_show(obj: Context, pair: str, on: dt.date | None, rate_type: str | None) -> None:
    """Show the rate converting PAIR on a day (direct, inverse or cross)."""
    base, quote = _pair(pair)
    found = obj.book().quote(base, quote, on or obj.today(), rate_type=rate_type)
    obj.emit(_quote_row(found))


@fx.command("settle")
@click.argument("payment")
@click.argument("documents", nargs=-1)
@click.option(
    "--rate",
    type=DECIMAL,
    required=True,
    help="Units of the payment's currency per unit of the documents' currency.",
)
@click.option("--date", "day", type=DATE, default=None, help="Posting date (today).")
@idempotency_option
@pass_context
def fx_settle(
    obj: Context,
    payment: str,
    documents: tuple[str, ...],
    rate: Decimal,
    day: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Apply PAYMENT to DOCUMENTS in another currency at --rate (oldest first if none)."""
    done = obj.book().settle_in_currency(
        payment,
        list(documents) or None,
        rate=rate,
        date=day,
        idempotency_key=idempotency_key,
    )
    obj.emit(
        [{"document": s.number, "settled": str(s.settled), "paid": str(s.paid)} for s in done],
        columns=("document", "settled", "paid"),
    )


@fx.command("unsettle")
@click.argument("entry")
@click.option("--reason", required=True, help="Why the settlement is undone.")
@click.option("--date", "day", type=DATE, default=None, help="Posting date (today).")
@idempotency_option
@pass_context
def fx_unsettle(
    obj: Context, entry: str, reason: str, day: dt.date | None, idempotency_key: str | None
) -> None:
    """Undo the settlement ENTRY (its journal entry id): the document is owed again."""
    back = obj.book().unsettle(entry, reason=reason, date=day, idempotency_key=idempotency_key)
    obj.emit({"entry": entry, "undone_by": back.id, "date": back.date.isoformat()})


@fx.command("balances")
@click.option("--as-of", "as_of", type=DATE, default=None, help="As of this day (today).")
@pass_context
def fx_balances(obj: Context, as_of: dt.date | None) -> None:
    """Each customer's receivable and unapplied credit in the functional currency."""
    rows = obj.book().functional_balances(as_of)
    obj.emit(
        [
            {"customer": c, "receivable": str(r), "unapplied": str(u), "net": str(r - u)}
            for c, r, u in rows
        ],
        columns=("customer", "receivable", "unapplied", "net"),
        money=("receivable", "unapplied", "net"),
    )


@fx.command("trial-balance")
@click.option("--as-of", "as_of", type=DATE, default=None, help="As of this day (today).")
@pass_context
def fx_trial_balance(obj: Context, as_of: dt.date | None) -> None:
    """Each account's balance in the functional currency (they sum to zero)."""
    balances = obj.book().functional_trial_balance(as_of)
    obj.emit(
        [{"account": code, "balance": str(value)} for code, value in balances.items()],
        columns=("account", "balance"),
        money=("balance",),
    )


@fx.command("journal")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Entries up to this day (all).")
@pass_context
def fx_journal(obj: Context, as_of: dt.date | None) -> None:
    """Every journal line with its functional value, and the FX lines (for analysis)."""
    columns = (
        "entry",
        "date",
        "kind",
        "account",
        "customer",
        "item",
        "original",
        "amount",
        "basis",
    )
    obj.emit_rows(
        (
            {
                "entry": entry.entry_id,
                "date": entry.date.isoformat(),
                "kind": entry.kind,
                "account": str(line.account),
                "customer": line.customer or "",
                "item": line.item or "",
                "original": str(line.original),
                "amount": str(line.amount),
                "basis": line.basis,
            }
            for entry in obj.book().functional_journal(as_of)
            for line in entry.lines
        ),
        columns=columns,
        money=("original", "amount"),
    )


@fx.command("aging")
@click.option("--as-of", "as_of", type=DATE, default=None, help="As of this day (today).")
@pass_context
def fx_aging(obj: Context, as_of: dt.date | None) -> None:
    """AR by days past due in the functional currency (adds up to AR control)."""
    buckets = obj.book().functional_aging(as_of)
    obj.emit(
        [{"bucket": label, "amount": str(value)} for label, value in buckets.items()],
        columns=("bucket", "amount"),
        money=("amount",),
    )


def _entry_rows(entry: FunctionalEntry) -> list[dict[str, object]]:
    return [
        {
            "account": str(line.account),
            "customer": line.customer or "",
            "item": line.item or "",
            "amount": str(line.amount),
        }
        for line in entry.lines
    ]


@click.command("revalue", cls=O2CCommand)
@click.option("--as-of", "as_of", type=DATE, required=True, help="The month end to revalue at.")
@click.option("--type", "rate_type", default=None, help="Rate type (the book's).")
@idempotency_option
@pass_context
def period_revalue(
    obj: Context, as_of: dt.date, rate_type: str | None, idempotency_key: str | None
) -> None:
    """Revalue open foreign items at the --as-of rate (unrealized FX); the revaluation
    is reversed on the first day of the next month."""
    entry = obj.book().revalue(as_of, rate_type=rate_type, idempotency_key=idempotency_key)
    obj.emit(
        _entry_rows(entry),
        columns=("account", "customer", "item", "amount"),
        title=_("Revaluation {id} as of {day}").format(id=entry.entry_id, day=as_of.isoformat()),
        money=("amount",),
    )
