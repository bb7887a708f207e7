"""Dunning rows: the notices sent, the items each chased, and the policies in the settings.

A notice is one ``dunning_notices`` row with its rendered letter and one ``dunning_items``
row per item it chased; the store's key on (document, step) refuses a second notice of
the same step for an item. Policies are the settings ``dunning.<segment>`` (the steps)
and ``dunning.<segment>.minimum``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from o2c.book._codec import as_date
from o2c.dunning import POLICY_PREFIX, DunningAction, DunningItem, DunningNotice
from o2c.ids import CustomerId, DocumentId
from o2c.money import Currency, Money
from o2c.store import Store

__all__ = [
    "NoticeRow",
    "credit_hold_items",
    "insert_notice",
    "notices",
    "policy_settings",
    "remove_setting",
    "steps_sent",
]


class NoticeRow(NamedTuple):
    """A stored notice, without its items."""

    id: str
    run_date: dt.date
    customer: CustomerId
    currency: Currency
    step: int
    action: DunningAction
    segment: str
    total: Money
    letter: str
    created_by: str


def policy_settings(store: Store) -> dict[str, str]:
    """The dunning settings (``dunning.<segment>`` and ``dunning.<segment>.minimum``)."""
    rows = store.query(
        "SELECT key, value FROM settings WHERE key LIKE ? ORDER BY key", (POLICY_PREFIX + "%",)
    )
    return {str(k): str(v) for k, v in rows}


def remove_setting(store: Store, key: str) -> None:
    """Delete the dunning setting ``key`` (a policy's minimum, when it has none)."""
    store.execute("DELETE FROM settings WHERE key = ?", (key,))


def steps_sent(store: Store, customer: str | None = None) -> dict[str, int]:
    """Per document id, the highest step already sent (of one customer's notices)."""
    where, params = "", []
    if customer is not None:
        where, params = " WHERE n.customer_id = ?", [customer]
    return {
        str(doc): int(step)
        for doc, step in store.query(
            "SELECT i.document_id, MAX(i.step) FROM dunning_items i"
            f" JOIN dunning_notices n ON n.id = i.notice_id{where} GROUP BY i.document_id",
            params,
        )
    }


def insert_notice(
    store: Store,
    notice_id: str,
    notice: DunningNotice,
    *,
    run_date: dt.date,
    letter: str,
    created_by: str,
    created_at: str,
) -> None:
    """Write ``notice`` as sent on ``run_date``, with its letter and its items."""
    store.execute(
        "INSERT INTO dunning_notices (id, run_date, customer_id, currency, step,"
        " action, segment, total_minor, letter, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            notice_id,
            run_date.isoformat(),
            notice.customer,
            notice.currency.code,
            notice.step,
            notice.action.value,
            notice.segment,
            notice.total.minor_units,
            letter,
            created_by,
            created_at,
        ),
    )
    store.executemany(
        "INSERT INTO dunning_items (notice_id, document_id, step, days_past_due,"
        " open_minor, disputed_minor, chased_minor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                notice_id,
                item.document_id,
                notice.step,
                item.days_past_due,
                item.open.minor_units,
                item.disputed.minor_units,
                item.chased.minor_units,
            )
            for item in notice.items
        ],
    )


def notices(
    store: Store,
    *,
    ids: Sequence[str] | None = None,
    customer: str | None = None,
    document: str | None = None,
) -> list[tuple[NoticeRow, tuple[DunningItem, ...]]]:
    """Notices sent, by id, with their items (by effective due date, number).

    Args:
        store: The store.
        ids: Only these notices.
        customer: Only this customer's notices.
        document: Only notices that chased this document (an id).
    """
    where: list[str] = []
    params: list[str] = []
    if ids is not None:
        if not ids:
            return []
        where.append("n.id IN (" + ",".join("?" * len(ids)) + ")")
        params.extend(ids)
    if customer is not None:
        where.append("n.customer_id = ?")
        params.append(customer)
    if document is not None:
        where.append("n.id IN (SELECT notice_id FROM dunning_items WHERE document_id = ?)")
        params.append(document)
    rows = store.query(
        "SELECT n.id, n.run_date, n.customer_id, n.currency, n.step, n.action, n.segment,"
        " n.total_minor, n.letter, n.created_by FROM dunning_notices n"
        f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY n.id",
        params,
    )
    if not rows:
        return []
    items = _items(store, [str(r[0]) for r in rows])
    found = []
    for nid, run, cust, code, step, action, segment, total, letter, by in rows:
        header = NoticeRow(
            str(nid),
            as_date(run),
            CustomerId(str(cust)),
            Currency.of(str(code)),
            int(step),
            DunningAction(str(action)),
            str(segment),
            Money.from_minor(int(total), str(code)),
            str(letter),
            str(by),
        )
        chased = sorted(items.get(str(nid), []), key=lambda i: (i.effective_due, i.number))
        found.append((header, tuple(chased)))
    return found


def _items(store: Store, ids: Sequence[str]) -> dict[str, list[DunningItem]]:
    items: dict[str, list[DunningItem]] = {}
    row: Any
    for row in store.query(
        "SELECT i.notice_id, i.document_id, d.number, d.due_date, i.days_past_due,"
        " i.open_minor, i.disputed_minor, i.chased_minor, d.currency, n.run_date"
        " FROM dunning_items i JOIN documents d ON d.id = i.document_id"
        " JOIN dunning_notices n ON n.id = i.notice_id"
        f" WHERE i.notice_id IN ({','.join('?' * len(ids))})"
        " ORDER BY i.notice_id, d.due_date, d.number",
        list(ids),
    ):
        notice_id, doc, number, due, days, open_, disputed, chased, code, run = row
        items.setdefault(str(notice_id), []).append(
            DunningItem(
                DocumentId(str(doc)),
                str(number),
                as_date(due),
                as_date(run) - dt.timedelta(days=int(days)),
                int(days),
                Money.from_minor(int(open_), str(code)),
                Money.from_minor(int(disputed), str(code)),
                Money.from_minor(int(chased), str(code)),
            )
        )
    return items


def credit_hold_items(
    store: Store, as_of: dt.date, customer: str | None = None
) -> list[tuple[str, str]]:
    """``(customer, document)`` of each item a credit-hold notice up to ``as_of`` chased
    (of one customer's notices)."""
    where, params = "", [DunningAction.CREDIT_HOLD.value, as_of.isoformat()]
    if customer is not None:
        where, params = " AND n.customer_id = ?", [*params, customer]
    return [
        (str(c), str(d))
        for c, d in store.query(
            "SELECT DISTINCT n.customer_id, i.document_id FROM dunning_notices n"
            " JOIN dunning_items i ON i.notice_id = n.id"
            f" WHERE n.action = ? AND n.run_date <= ?{where}",
            params,
        )
    ]
