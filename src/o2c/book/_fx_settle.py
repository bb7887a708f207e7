"""Payments applied to items in another currency, and undone (``Book.settle_in_currency``,
``Book.unsettle``): the use cases behind :mod:`o2c.fx.settlement` (issue 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from o2c.book import _catalog as catalog
from o2c.book._fx_rates import functional_currency
from o2c.book._journal import credit_item, journal, new_entry_ids, open_items, write_entries
from o2c.book._lookups import document_id, source_id
from o2c.book._session import Session, Touched
from o2c.book._tables import fx as fx_table
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.fx import Quote, Settlement, plan_settlements, post_settlement
from o2c.ids import CustomerId, DocumentId
from o2c.ledger.journal import EntryKind, JournalEntry, reverse_entry
from o2c.money import Currency, Money

__all__ = ["settle_in_currency", "unsettle"]


def settle_in_currency(
    session: Session,
    source: str,
    documents: Sequence[str] | None,
    *,
    rate: Decimal | str,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> list[Settlement]:
    """Apply a payment to items in another currency at ``rate`` (``Book.settle_in_currency``)."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        fun = functional_currency(session)
        if fun is None:
            raise InvalidState(
                "the book has no functional currency; set one with o2c fx functional CUR "
                "before settling in another currency"
            )
        sid = source_id(session, source)
        credit = credit_item(session, sid, day)
        if credit is None:
            raise NotFound("payment or credit note", source, hint="record the payment first")
        if documents is None:
            items = [
                i
                for i in open_items(session, as_of=day, customer=credit.customer)
                if i.currency != credit.currency
            ]
            items.sort(key=lambda i: (i.due_date, i.document_date, i.number, i.document_id))
            currencies = sorted({i.currency.code for i in items})
            if len(currencies) > 1:
                raise ValidationError(
                    "documents", ",".join(currencies), "documents in one currency: name them"
                )
        else:
            ids = [document_id(session, d) for d in documents]
            found = {i.document_id: i for i in open_items(session, as_of=day, document_ids=ids)}
            missing = [d for d, i in zip(documents, ids, strict=True) if i not in found]
            if missing:
                raise InvalidState(f"nothing is open on {', '.join(missing)} on {day}")
            items = [found[DocumentId(i)] for i in ids]
        if any(i.currency == credit.currency for i in items):
            raise ValidationError(
                "documents",
                credit.currency.code,
                f"documents in another currency than {credit.currency.code} (use allocate)",
            )
        plan = plan_settlements(
            credit, items, rate=rate, date=day, rounding=catalog.rounding(session)
        )
        if not plan:
            return {"settlements": []}
        ids_ = new_entry_ids(session, len(plan))
        by_id = {i.document_id: i for i in items}
        entries = []
        kept: list[tuple[str, Quote, dt.date, bool]] = []
        paying = fx_table.source_rates(session.store, [sid]).get(sid)
        left = credit
        for s, entry_id in zip(plan, ids_, strict=True):
            item = by_id[s.document_id]
            entries.append(
                post_settlement(
                    s, entry_id=entry_id, open_item=item, credit=left, chart=session.chart
                )
            )
            left = attrs.evolve(left, unapplied=left.unapplied - s.paid)
            if item.currency != fun:
                kept.append((entry_id, _into(s.quote, paying, fun), day, True))
        fx_table.insert_source_rates(session.store, kept, now=session.now().isoformat())
        write_entries(session, entries)
        touched.extend(e.id for e in entries)
        return {
            "settlements": [(s.document_id, s.number, str(s.settled), str(s.paid)) for s in plan]
        }

    result = session.run(
        "settle_in_currency",
        actor=actor,
        key=idempotency_key,
        args={"source": source, "documents": list(documents or []), "rate": str(rate), "date": day},
        body=body,
    )
    return _settlements_of(session, source, result["settlements"], rate, day)


def unsettle(
    session: Session,
    entry_id: str,
    *,
    reason: str,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> JournalEntry:
    """Undo one settlement in another currency (``Book.unsettle``): its exact reversal."""
    day = date or session.today()
    why = reason.strip() if isinstance(reason, str) else ""
    if not why:
        raise ValidationError("reason", reason, "why the settlement is undone")

    def body(touched: Touched) -> dict[str, Any]:
        found = fx_table.entry_source(session.store, entry_id)
        if found is None:
            raise NotFound("settlement", entry_id, hint="name its journal entry id")
        kind, source = found
        if kind != EntryKind.FX_SETTLEMENT.value:
            raise InvalidState(
                f"entry {entry_id} is a {kind}, not a settlement in another currency; "
                "use unallocate for an allocation"
            )
        done = fx_table.reversed_by(session.store, entry_id)
        if done is not None:
            raise InvalidState(f"settlement {entry_id} was already undone by {done}")
        [entry] = [e for e in journal(session, source=source) if e.id == entry_id]
        [new_id] = new_entry_ids(session, 1)
        back = reverse_entry(entry, entry_id=new_id, date=day, memo=f"undone: {why}")
        write_entries(session, [back])
        touched.add(entry_id, back.id)
        return {"id": back.id, "source": source}

    result = session.run(
        "unsettle_in_currency",
        actor=actor,
        key=idempotency_key,
        args={"entry_id": entry_id, "reason": why, "date": day},
        body=body,
    )
    return next(e for e in journal(session, source=result["source"]) if e.id == result["id"])


def _into(stated: Quote, paying: Quote | None, fun: Currency) -> Quote:
    """The item currency into the functional one: the stated rate, then the payment's."""
    if stated.quote == fun:
        return stated
    if paying is None or paying.base != stated.quote:
        raise InvalidState(f"payment currency {stated.quote.code} has no rate into {fun.code} kept")
    return Quote(
        stated.base,
        fun,
        stated.numerator * paying.numerator,
        stated.denominator * paying.denominator,
        stated.rate_type,
        paying.effective,
        "stated via payment",
    )


def _settlements_of(
    session: Session, source: str, rows: Sequence[Sequence[str]], rate: object, day: dt.date
) -> list[Settlement]:
    # The command's stored result (also what a repeated idempotency key returns).
    sid = source_id(session, source)
    credit = credit_item(session, sid, day)
    result = []
    for doc, number, settled, paid in rows:
        s_money, p_money = Money.parse(settled), Money.parse(paid)
        result.append(
            Settlement(
                sid,
                credit.customer if credit is not None else CustomerId(""),
                DocumentId(doc),
                number,
                s_money,
                p_money,
                Quote.stated(s_money.currency, p_money.currency, rate),
                day,
            )
        )
    return result
