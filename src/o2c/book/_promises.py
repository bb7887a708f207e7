"""Promises to pay on the Book: taken in a contact, judged from the ledger's payments.

The pure rules are :mod:`o2c.credit`; here a promise is taken (with the interaction note
of the contact, a new one or one already recorded), stored with the items it covers, and
judged on a date from the payments the ledger holds (:func:`promise_on`). Dunning asks
:func:`promised_items` which items wait for a pending promise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from o2c.book import _lookups as lookups
from o2c.book._approval_requests import new_id
from o2c.book._area import Area
from o2c.book._disputes import receivable
from o2c.book._reports import open_items_with_cases
from o2c.book._session import Session, Touched
from o2c.book._tables import cases as cases_table
from o2c.book._tables import promises as promises_table
from o2c.cases import Channel, InteractionNote, NoteId, NoteTarget
from o2c.credit import (
    GRACE_SETTING,
    PromiseId,
    PromiseKeptRate,
    PromiseOutcome,
    PromiseToPay,
    grace_from_settings,
    live_promises,
    promise_kept_rate,
    promise_outcome,
)
from o2c.errors import NotFound, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import OpenItem
from o2c.money import Currency, Money

__all__ = [
    "PromisesMixin",
    "add_promise",
    "judge",
    "list_promises",
    "promise_on",
    "promise_rate",
    "promised_items",
]


def judge(session: Session, promise: PromiseToPay, as_of: dt.date) -> PromiseOutcome:
    """``promise`` judged on ``as_of`` from the payments counted at the end of its grace
    (or on ``as_of``, when that comes first)."""
    counted_on = min(as_of, promise.deadline)
    found = promises_table.receipts(session.store, promise, counted_on)
    return promise_outcome(promise, found, as_of=as_of)


def _covered(
    session: Session,
    customer: str,
    currency: Currency | None,
    documents: Sequence[str],
    day: dt.date,
) -> list[OpenItem]:
    # The promised items: those named, or every item of the customer open on the day.
    open_now = {i.document_id: i for i in open_items_with_cases(session, day, customer=customer)}
    if not documents:
        items = [
            i
            for i in open_now.values()
            if i.open.is_positive and (currency is None or i.currency == currency)
        ]
        if not items:
            raise ValidationError(
                "promise.documents", customer, "a customer with an open item to promise"
            )
        if len({i.currency for i in items}) > 1:
            raise ValidationError(
                "promise.amount", "", "an amount in the currency of the promised items"
            )
        return sorted(items, key=lambda i: (i.due_date, i.number))
    items = []
    for name in documents:
        doc = receivable(session, name)
        if doc.customer.customer_id != customer:
            raise ValidationError(
                "promise.documents", doc.number or doc.id, f"an item of customer {customer}"
            )
        item = open_now.get(DocumentId(doc.id))
        if item is None or not item.open.is_positive:
            raise ValidationError(
                "promise.documents", doc.number or doc.id, f"an item open on {day.isoformat()}"
            )
        items.append(item)
    if len({i.currency for i in items}) > 1:
        raise ValidationError(
            "promise.documents", ", ".join(i.number for i in items), "items in one currency"
        )
    return items


def _note(
    session: Session,
    customer: str,
    note: str | None,
    channel: Channel,
    summary: str,
    who: str,
    touched: Touched,
) -> str:
    # The contact in which the promise was taken: a recorded note of the customer, or new.
    if note is not None:
        found = cases_table.list_notes(session.store, note_id=note)
        if not found:
            raise NotFound("note", note)
        if found[0].customer != customer:
            raise ValidationError("promise.note", note, f"a note of customer {customer}")
        return note
    made = InteractionNote(
        NoteId(new_id(session, "note", "NT")),
        NoteTarget.CUSTOMER,
        customer,
        channel,
        summary,
        who,
        session.now(),
        customer_id=CustomerId(customer),
    )
    cases_table.insert_note(
        session.store,
        made,
        document_id=None,
        dispute_id=None,
        created_at=session.now().isoformat(),
    )
    touched.add(made.id)
    return str(made.id)


def add_promise(
    session: Session,
    customer: str,
    promised_on: dt.date,
    *,
    amount: Money | None = None,
    documents: Sequence[str] = (),
    note: str | None = None,
    channel: Channel | str = Channel.PHONE,
    summary: str | None = None,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> PromiseOutcome:
    """Record a promise to pay; see :meth:`PromisesMixin.add_promise`."""
    day = date or session.today()
    how = Channel(channel) if isinstance(channel, str) else channel

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        lookups.require_customer(session, customer)
        items = _covered(
            session, customer, None if amount is None else amount.currency, documents, day
        )
        currency = items[0].currency
        owed = sum(
            (i.open - (i.disputed or Money.zero(currency)) for i in items), Money.zero(currency)
        )
        promised = owed if amount is None else amount
        if promised.currency != currency:
            raise ValidationError(
                "promise.amount", str(promised), f"an amount in {currency.code}, the items'"
            )
        grace = grace_from_settings(
            {GRACE_SETTING: text} if (text := session.setting(GRACE_SETTING)) is not None else {}
        )
        promise_id = PromiseId(new_id(session, "promise", "PTP"))
        text_summary = summary or (
            f"Promised to pay {promised} by {promised_on.isoformat()}"
            f" ({', '.join(i.number for i in items)})"
        )
        note_id = _note(session, customer, note, how, text_summary, who, touched)
        promise = PromiseToPay(
            promise_id,
            CustomerId(customer),
            promised,
            promised_on=promised_on,
            taken_on=day,
            taken_by=who,
            documents=tuple(i.document_id for i in items),
            note_id=note_id,
            grace_days=grace,
            numbers=tuple(i.number for i in items),
        )
        promises_table.insert_promise(session.store, promise, created_at=session.now().isoformat())
        touched.add(promise_id, customer, *promise.documents)
        return {"id": promise_id}

    result = session.run(
        "add_promise",
        actor=actor,
        key=idempotency_key,
        args={
            "customer": customer,
            "promised_on": promised_on,
            "amount": None if amount is None else str(amount),
            "documents": list(documents),
            "note": note,
            "channel": how,
            "summary": summary,
            "date": day,
        },
        body=body,
    )
    return promise_on(session, result["id"], day)


def promise_on(session: Session, promise_id: str, as_of: dt.date | None = None) -> PromiseOutcome:
    """The promise ``promise_id`` judged on ``as_of`` (today by default).

    Raises:
        NotFound: No such promise.
    """
    found = promises_table.list_promises(session.store, promise_id=promise_id)
    if not found:
        raise NotFound("promise", promise_id, hint="list them with list_promises()")
    return judge(session, found[0], as_of or session.today())


def list_promises(
    session: Session,
    *,
    customer: str | None = None,
    document: str | None = None,
    as_of: dt.date | None = None,
) -> list[PromiseOutcome]:
    """Promises in the order they were taken, each judged on ``as_of``."""
    day = as_of or session.today()
    doc = None if document is None else lookups.document_id(session, document)
    return [
        judge(session, p, day)
        for p in promises_table.list_promises(session.store, customer=customer, document=doc)
    ]


def promised_items(
    session: Session, day: dt.date, customer: str | None = None
) -> dict[DocumentId, PromiseOutcome]:
    """Per item, the pending promise that holds dunning off it on ``day``."""
    candidates = promises_table.list_promises(session.store, customer=customer, live_on=day)
    return live_promises(judge(session, p, day) for p in candidates if day <= p.deadline)


def promise_rate(session: Session, start: dt.date, end: dt.date) -> PromiseKeptRate:
    """The promise kept rate of the promises whose grace ended in ``start..end``."""
    outcomes = [
        judge(session, p, p.deadline + dt.timedelta(days=1))
        for p in promises_table.list_promises(session.store)
        if start <= p.deadline <= end
    ]
    return promise_kept_rate(outcomes, start, end)


class PromisesMixin(Area):
    """Promises to pay: taken in a contact, judged from the ledger's payments."""

    def add_promise(
        self,
        customer: str,
        promised_on: dt.date,
        *,
        amount: Money | None = None,
        documents: Sequence[str] = (),
        note: str | None = None,
        channel: Channel | str = Channel.PHONE,
        summary: str | None = None,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> PromiseOutcome:
        """Record a customer's promise to pay ``amount`` by ``promised_on``.

        The promise covers ``documents`` (ids or numbers), or every item of the customer
        open on ``date``; it is linked to the interaction note ``note``, or to a new
        customer note on ``channel`` with ``summary`` (written for you when not given).
        Its grace is the book's ``promise.grace_days`` setting (3 days by default) on the
        day it is taken. While it is pending, dunning leaves its items alone.

        Args:
            customer: Who promised.
            promised_on: The date they promised to pay by.
            amount: What they promised (by default: what is open on the items, less
                disputed parts).
            documents: The promised items (default: all the customer's open items).
            note: An interaction note of the customer already recorded for the contact.
            channel: The channel of the new note (phone by default).
            summary: The new note's summary.
            date: The day the promise was taken (today by default).
            actor: The collector who took it.
            idempotency_key: Repeating the key returns the first promise.

        Returns:
            The promise judged on ``date`` (pending).

        Raises:
            NotFound: No such customer, document or note.
            ValidationError: An item is another customer's, not open, or in another
                currency; the amount is not positive; the promised date is before
                ``date``.
        """
        return add_promise(
            self._session,
            customer,
            promised_on,
            amount=amount,
            documents=documents,
            note=note,
            channel=channel,
            summary=summary,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def promise(self, promise_id: str, *, as_of: dt.date | None = None) -> PromiseOutcome:
        """The promise ``promise_id`` judged on ``as_of`` (today by default): pending,
        kept, kept late, partly kept or broken (:func:`o2c.credit.promise_outcome`).

        Raises:
            NotFound: No such promise.
        """
        with self._session.store.transaction(write=False):
            return promise_on(self._session, promise_id, as_of)

    def list_promises(
        self,
        *,
        customer: str | None = None,
        document: str | None = None,
        as_of: dt.date | None = None,
    ) -> list[PromiseOutcome]:
        """Promises in the order they were taken, of a customer or covering a document
        (id or number), each judged on ``as_of`` (today by default)."""
        with self._session.store.transaction(write=False):
            return list_promises(self._session, customer=customer, document=document, as_of=as_of)

    def promise_kept_rate(self, start: dt.date, end: dt.date) -> PromiseKeptRate:
        """The promise kept rate: promises kept in full (on time or in the grace days) /
        promises whose grace ended in ``start..end`` (:class:`o2c.credit.PromiseKeptRate`)."""
        with self._session.store.transaction(write=False):
            return promise_rate(self._session, start, end)
