"""The collector's worklist on the Book: who owes what overdue, with contacts and promises.

The pure ranking is :func:`o2c.credit.collections_worklist`; here the book feeds it the
open items with their cases, the customers' names, each one's last interaction note up to
the end of the day (in the book's time zone), the promises judged that day and the
customers on credit hold.
"""

from __future__ import annotations

import datetime as dt

from o2c.book._area import Area
from o2c.book._customers import load_customers
from o2c.book._dunning import credit_holds
from o2c.book._promises import judge
from o2c.book._reports import open_items_with_cases
from o2c.book._session import Session
from o2c.book._tables import collections as collections_table
from o2c.book._tables import promises as promises_table
from o2c.credit import RECENT_DAYS, Contact, WorklistRow, collections_worklist
from o2c.parties import Customer

__all__ = ["CollectionsMixin", "worklist"]


def worklist(session: Session, day: dt.date, customer: str | None = None) -> list[WorklistRow]:
    """The worklist on ``day``; see :meth:`CollectionsMixin.collections_worklist`."""
    items = open_items_with_cases(session, day, customer=customer)
    people: dict[str, Customer] = {}
    load_customers(session, {str(i.customer) for i in items}, people)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=session.timezone())
    contacts = {
        cust: Contact(when, channel, summary, author)
        for cust, (when, channel, summary, author) in collections_table.last_contacts(
            session.store, end, customer
        ).items()
    }
    recent = day - dt.timedelta(days=RECENT_DAYS)
    promises = [
        judge(session, p, day)
        for p in promises_table.list_promises(session.store, customer=customer)
        if p.taken_on <= day and p.deadline >= recent
    ]
    holds = set(credit_holds(session, day))
    return list(
        collections_worklist(
            items,
            as_of=day,
            names={cid: person.legal_name for cid, person in people.items()},
            contacts=contacts,
            promises=promises,
            holds=holds,
        )
    )


class CollectionsMixin(Area):
    """The collector's worklist."""

    def collections_worklist(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> list[WorklistRow]:
        """Who to call first on ``as_of`` (today by default): one row per customer and
        currency with something overdue, ranked within the currency by the overdue amount
        (open less disputed, past the effective due date), then by the age of the oldest
        overdue item; with the disputed amount, the last contact, pending promises and
        those not kept lately, and the credit hold (:func:`o2c.credit.collections_worklist`).
        """
        with self._session.store.transaction(write=False):
            return worklist(self._session, as_of or self._session.today(), customer)
