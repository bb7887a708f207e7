"""The collector's worklist: who to call first, with what they owe and what was said.

One row per customer and currency with something **overdue**: an open item past its
effective due date (the extended one, when an extension is in force) whose open amount
less its disputed part is positive. Rows are ranked within each currency by the overdue
amount, largest first, then by the age of the oldest overdue item, oldest first (amounts
in different currencies are not compared: no FX here); currencies follow in code order.

Each row carries what a collector needs before the call: the disputed amount, the last
contact (interaction note), the pending promises (dunning waits for them) and the promises
not kept whose grace ended in the last :data:`RECENT_DAYS` days, and whether dunning put
the customer on credit hold.

>>> import datetime as dt
>>> from o2c.ledger import DocumentKind, OpenItem
>>> from o2c.money import Money
>>> usd = Money.of("0", "USD").currency
>>> def item(doc, customer, due, amount):
...     return OpenItem(doc, "INV-" + doc, DocumentKind.INVOICE, customer, usd,
...         dt.date(2026, 9, 1), due, Money.of(amount, usd), Money.of(amount, usd))
>>> rows = collections_worklist([item("1", "C1", dt.date(2026, 10, 1), "100.00"),
...     item("2", "C2", dt.date(2026, 11, 1), "900.00"),
...     item("3", "C2", dt.date(2026, 12, 30), "50.00")], as_of=dt.date(2026, 11, 30))
>>> [(r.rank, r.customer, str(r.overdue), r.oldest_days, r.items) for r in rows]
[(1, 'C2', '900.00 USD', 29, 1), (2, 'C1', '100.00 USD', 60, 1)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Final

import attrs

from o2c.credit._promises import PromiseOutcome, PromiseStatus
from o2c.ids import CustomerId
from o2c.ledger import OpenItem
from o2c.money import Currency, Money

__all__ = ["RECENT_DAYS", "Contact", "WorklistRow", "collections_worklist"]

#: A promise not kept shows on the worklist this many days after its grace ended.
RECENT_DAYS: Final = 30


@attrs.frozen(slots=True)
class Contact:
    """The last contact with a customer.

    Attributes:
        when: When it started.
        channel: How (``phone``, ``email``...).
        summary: What was said.
        author: Who handled it.
    """

    when: dt.datetime
    channel: str
    summary: str
    author: str


@attrs.frozen(slots=True)
class WorklistRow:
    """One customer's overdue position in one currency.

    Attributes:
        rank: 1 for the first to call, within the currency.
        customer: The customer.
        name: Its legal name.
        currency: The currency.
        overdue: Open less disputed on its overdue items.
        oldest_days: Days past the effective due date of its oldest overdue item.
        items: How many items are overdue.
        open: Everything it owes in the currency, overdue or not.
        disputed: The part of it under active dispute.
        promised: The amount of its pending promises to pay.
        promises_pending: How many promises are pending.
        promises_not_kept: Promises partly kept or broken, graces ended recently.
        last_contact: The last interaction note, if any.
        on_hold: Whether dunning put it on credit hold.
    """

    rank: int
    customer: CustomerId
    name: str
    currency: Currency
    overdue: Money
    oldest_days: int
    items: int
    open: Money
    disputed: Money
    promised: Money
    promises_pending: int
    promises_not_kept: int
    last_contact: Contact | None
    on_hold: bool


class _Acc:
    __slots__ = ("disputed", "items", "oldest", "open", "overdue")

    def __init__(self, currency: Currency) -> None:
        self.overdue = self.open = self.disputed = Money.zero(currency)
        self.items = 0
        self.oldest = 0


def collections_worklist(
    items: Iterable[OpenItem],
    *,
    as_of: dt.date,
    names: Mapping[str, str] | None = None,
    contacts: Mapping[str, Contact] | None = None,
    promises: Iterable[PromiseOutcome] = (),
    holds: Collection[str] = (),
) -> tuple[WorklistRow, ...]:
    """The worklist on ``as_of``.

    Args:
        items: Open items with their disputed parts and extended due dates
            (``Book.open_items_with_cases``).
        as_of: The day.
        names: Customer names by id.
        contacts: Each customer's last contact up to ``as_of``.
        promises: Promises judged on ``as_of``.
        holds: Customers on credit hold.

    Returns:
        The rows, by currency code and rank.
    """
    acc: dict[tuple[str, str], _Acc] = {}
    for item in items:
        if not item.open.is_positive:
            continue
        key = (item.currency.code, str(item.customer))
        row = acc.setdefault(key, _Acc(item.currency))
        disputed = (item.disputed or Money.zero(item.currency)).min(item.open)
        row.open += item.open
        row.disputed += disputed
        chased = item.open - disputed
        days = (as_of - (item.extended_due or item.due_date)).days
        if days > 0 and chased.is_positive:
            row.overdue += chased
            row.items += 1
            row.oldest = max(row.oldest, days)
    pending: dict[tuple[str, str], list[PromiseOutcome]] = {}
    not_kept: dict[tuple[str, str], int] = {}
    for outcome in promises:
        key = (outcome.promise.currency.code, str(outcome.promise.customer_id))
        if outcome.status is PromiseStatus.PENDING:
            pending.setdefault(key, []).append(outcome)
        elif (
            outcome.status in (PromiseStatus.BROKEN, PromiseStatus.PARTLY_KEPT)
            and (as_of - outcome.promise.deadline).days <= RECENT_DAYS
        ):
            not_kept[key] = not_kept.get(key, 0) + 1
    known = names or {}
    last = contacts or {}
    rows: list[WorklistRow] = []
    for code in sorted({c for c, _ in acc}):
        overdue = [(k, a) for k, a in acc.items() if k[0] == code and a.items]
        overdue.sort(key=lambda ka: (-ka[1].overdue.amount, -ka[1].oldest, ka[0][1]))
        for rank, ((_, customer), a) in enumerate(overdue, start=1):
            cur = Currency.of(code)
            waiting = pending.get((code, customer), [])
            rows.append(
                WorklistRow(
                    rank,
                    CustomerId(customer),
                    known.get(customer, customer),
                    cur,
                    a.overdue,
                    a.oldest,
                    a.items,
                    a.open,
                    a.disputed,
                    sum((o.promise.amount for o in waiting), Money.zero(cur)),
                    len(waiting),
                    not_kept.get((code, customer), 0),
                    last.get(customer),
                    customer in holds,
                )
            )
    return tuple(rows)
