"""Wallet rows: the prepaid credit lots of customers and what took credit off them.

A lot is one ``wallet_lots`` row; its remaining amount is not stored but summed from its
``wallet_movements`` (draws and expiries), so :func:`list_lots` returns it as of a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from o2c.book._codec import as_date, money, opt_date
from o2c.credit import LotKind, WalletLot
from o2c.ids import CustomerId
from o2c.money import Currency, Money
from o2c.store import Store

__all__ = [
    "MovementRow",
    "has_lots",
    "insert_lot",
    "insert_movements",
    "list_lots",
    "list_movements",
    "lot_entries",
]


@attrs.frozen(slots=True)
class MovementRow:
    """One movement of a lot as stored: a draw against a document or an expiry."""

    id: str
    lot_id: str
    kind: str
    amount: Money
    moved_on: dt.date
    document_id: str | None
    entry_id: str
    created_by: str


def insert_lot(store: Store, lot: WalletLot, *, entry_id: str, who: str, created_at: str) -> None:
    """Write a new lot."""
    store.execute(
        "INSERT INTO wallet_lots (id, customer_id, currency, kind, amount_minor, granted_on,"
        " expires_on, payment_id, entry_id, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            lot.id,
            lot.customer,
            lot.currency.code,
            lot.kind.value,
            lot.amount.minor_units,
            lot.granted_on.isoformat(),
            None if lot.expires_on is None else lot.expires_on.isoformat(),
            lot.payment,
            entry_id,
            who,
            created_at,
        ),
    )


def insert_movements(store: Store, rows: Sequence[MovementRow], *, created_at: str) -> None:
    """Write movements of lots."""
    store.executemany(
        "INSERT INTO wallet_movements (id, lot_id, kind, amount_minor, moved_on, document_id,"
        " entry_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.id,
                r.lot_id,
                r.kind,
                r.amount.minor_units,
                r.moved_on.isoformat(),
                r.document_id,
                r.entry_id,
                r.created_by,
                created_at,
            )
            for r in rows
        ],
    )


def has_lots(store: Store, customer: str) -> bool:
    """Whether the customer ever had a wallet lot (a cheap check for the bill run)."""
    return (
        store.query_one("SELECT 1 FROM wallet_lots WHERE customer_id = ?", (customer,)) is not None
    )


def list_lots(
    store: Store,
    *,
    as_of: dt.date,
    customer: str | None = None,
    currency: Currency | None = None,
    expiring_before: dt.date | None = None,
) -> list[WalletLot]:
    """Lots granted on or before ``as_of`` with what remains on each on that day, by
    customer and id."""
    where = ["w.granted_on <= ?"]
    # The movements' day comes first in the SQL (the subquery), then the lot's.
    params: list[Any] = [as_of.isoformat(), as_of.isoformat()]
    if customer is not None:
        where.append("w.customer_id = ?")
        params.append(customer)
    if currency is not None:
        where.append("w.currency = ?")
        params.append(currency.code)
    if expiring_before is not None:
        where.append("w.expires_on IS NOT NULL AND w.expires_on < ?")
        params.append(expiring_before.isoformat())
    rows = store.query(
        "SELECT w.id, w.customer_id, w.currency, w.kind, w.amount_minor, w.granted_on,"
        " w.expires_on, w.payment_id,"
        " (SELECT COALESCE(SUM(m.amount_minor), 0) FROM wallet_movements m"
        "  WHERE m.lot_id = w.id AND m.moved_on <= ?)"
        f" FROM wallet_lots w WHERE {' AND '.join(where)} ORDER BY w.customer_id, w.id",
        params,
    )
    lots = []
    for r in rows:
        cur = Currency.of(str(r[2]))
        amount = money(r[4], cur)
        lots.append(
            WalletLot(
                str(r[0]),
                CustomerId(str(r[1])),
                LotKind(str(r[3])),
                amount,
                as_date(r[5]),
                opt_date(r[6]),
                amount - money(r[8], cur),
                None if r[7] is None else str(r[7]),
            )
        )
    return lots


def lot_entries(store: Store, customer: str) -> dict[str, str]:
    """The top-up entry id of each of the customer's lots."""
    rows = store.query("SELECT id, entry_id FROM wallet_lots WHERE customer_id = ?", (customer,))
    return {str(r[0]): str(r[1]) for r in rows}


def list_movements(store: Store, customer: str) -> list[MovementRow]:
    """The movements of a customer's lots, in the order they were made."""
    rows = store.query(
        "SELECT m.id, m.lot_id, m.kind, m.amount_minor, w.currency, m.moved_on, m.document_id,"
        " m.entry_id, m.created_by FROM wallet_movements m"
        " JOIN wallet_lots w ON w.id = m.lot_id WHERE w.customer_id = ? ORDER BY m.id",
        (customer,),
    )
    return [
        MovementRow(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            money(r[3], Currency.of(str(r[4]))),
            as_date(r[5]),
            None if r[6] is None else str(r[6]),
            str(r[7]),
            str(r[8]),
        )
        for r in rows
    ]
