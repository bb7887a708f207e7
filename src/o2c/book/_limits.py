"""The dated histories of open items and credits, for the every-date limits.

A command dated D may take off an invoice or a credit only what stays open (unapplied)
as of D and every later date (:mod:`o2c.ledger.limits`); these read each item's
balance changes by posting date from the stored journal lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from o2c.book._codec import as_date, money
from o2c.book._journal import open_item
from o2c.book._session import Session
from o2c.book._tables import journal as journal_table
from o2c.ledger.items import OpenItem
from o2c.ledger.limits import ItemHistory, open_from
from o2c.money import Currency, Money

__all__ = [
    "credit_histories",
    "credit_history",
    "item_histories",
    "item_history",
    "lasting_open_item",
]


def _histories(
    session: Session, account: str, items: Sequence[str], sign: int
) -> dict[str, ItemHistory]:
    wanted = sorted(set(items))
    steps: dict[str, list[tuple[dt.date, Money]]] = {item: [] for item in wanted}
    if wanted:
        for item, _customer, code, day, total in journal_table.account_steps(
            session.store, account, wanted
        ):
            steps[item].append((as_date(day), money(sign * total, Currency.of(code))))
    return {item: ItemHistory(item, found) for item, found in steps.items()}


def item_histories(session: Session, document_ids: Sequence[str]) -> dict[str, ItemHistory]:
    """What AR control holds on each document, by posting date."""
    return _histories(session, session.chart.receivable.code, document_ids, 1)


def credit_histories(session: Session, sources: Sequence[str]) -> dict[str, ItemHistory]:
    """What unapplied cash holds on each credit (payment or credit note), by date."""
    return _histories(session, session.chart.unapplied.code, sources, -1)


def item_history(session: Session, document_id: str) -> ItemHistory:
    """What AR control holds on one document, by posting date."""
    return item_histories(session, [document_id])[document_id]


def credit_history(session: Session, source: str) -> ItemHistory:
    """What unapplied cash holds on one credit, by posting date."""
    return credit_histories(session, [source])[source]


def lasting_open_item(session: Session, document_id: str, on: dt.date) -> OpenItem | None:
    """The document's open item as of ``on`` with only what stays open as of ``on`` and
    every later date (what a credit note dated ``on`` takes off it; the rest of the
    credit becomes customer credit)."""
    found = open_item(session, document_id, on)
    if found is None:
        return None
    return open_from(found, item_history(session, document_id), on)
