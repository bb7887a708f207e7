"""Charging usage per event: the use case behind :meth:`o2c.Book.charge_usage_events`.

Reads the unbilled usage records of items priced per event, charges each one given the
earlier events of its contract period (:mod:`o2c.billing.events`), issues and posts
their invoices and marks each record billed by its invoice, in one command. A record is
charged once: a billed record is never read again, and each invoice's run key names its
first event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from o2c.billing.events import EventGroup, event_invoices, event_owner
from o2c.billing.taxing import TaxContext
from o2c.book import _catalog as catalog
from o2c.book import _issuing as issuing
from o2c.book import _lookups as lookups
from o2c.book._bill_inputs import load_customers
from o2c.book._codec import as_decimal, as_timestamp
from o2c.book._customers import require_customer
from o2c.book._session import Session, Touched
from o2c.book._tables import contracts as contracts_table
from o2c.book._tables import usage as usage_table
from o2c.calendar import Period, local_date
from o2c.contracts import Contract
from o2c.errors import O2CError
from o2c.ids import ItemCode
from o2c.parties import Customer
from o2c.pricing import RateCard, UsageRecord

__all__ = ["EventChargeResult", "charge_usage_events", "event_record"]


@attrs.frozen(slots=True)
class EventChargeResult:
    """What a charge run of per-event usage did.

    Attributes:
        document_ids: The invoices issued, in order.
        charged: How many usage events they bill.
        problems: Contract periods whose events could not be charged, each with why
            (``"<contract>:<period>: <reason>"``); their events stay unbilled.
    """

    document_ids: tuple[str, ...]
    charged: int
    problems: tuple[str, ...] = ()


def event_record(row: tuple[Any, ...]) -> UsageRecord:
    """A stored usage row (id, customer, item, quantity, occurred at...) as a record."""
    return UsageRecord(
        id=str(row[0]),
        customer=str(row[1]),
        item=str(row[2]),
        quantity=as_decimal(row[3]),
        timestamp=as_timestamp(row[4]),
    )


def _groups(
    session: Session,
    customer: str | None,
    through: dt.date,
    customers: dict[str, Customer],
    cards: dict[str, RateCard],
) -> dict[tuple[str, Period], tuple[Contract, dict[ItemCode, list[UsageRecord]]]]:
    """The unbilled per-event records up to ``through`` (local date), by contract period."""
    store = session.store
    # Only items some rate card prices per event (on any version) are read.
    codes = sorted(
        {
            str(i.code)
            for card in cards.values()
            for v in card.versions
            for i in v.items
            if i.per_event
        }
    )
    rows = usage_table.unbilled_usage_of_items(store, codes, customer) if codes else []
    load_customers(session, {str(r[1]) for r in rows}, customers)
    converter = session.converter()
    contracts: dict[str, list[Contract]] = {}
    groups: dict[tuple[str, Period], tuple[Contract, dict[ItemCode, list[UsageRecord]]]] = {}
    for rid, cust, contract_id, item, quantity, occurred, _received in rows:
        who = customers.get(str(cust))
        if who is None:
            continue
        record = event_record((rid, cust, item, quantity, occurred))
        if local_date(record.timestamp, who.time_zone) > through:
            continue
        found = contracts.get(who.id)
        if found is None:
            found = contracts[who.id] = contracts_table.search(
                store, converter=converter, customer=who.id
            )
        owner = event_owner(
            record,
            None if contract_id is None else str(contract_id),
            found,
            cards,
            who.time_zone,
        )
        if owner is None:
            continue  # rated per period by the bill run (or an exception there)
        contract, period = owner
        _, items = groups.setdefault((contract.id, period), (contract, {}))
        items.setdefault(ItemCode(record.item), []).append(record)
    return groups


def charge_usage_events(
    session: Session,
    *,
    date: dt.date | None = None,
    through: dt.date | None = None,
    each: bool = False,
    customer: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> EventChargeResult:
    """Charge the unbilled usage priced per event (see :meth:`o2c.Book.charge_usage_events`)."""
    day = date or session.today()
    last = through or day

    def body(touched: Touched) -> dict[str, Any]:
        store = session.store
        if customer is not None:
            require_customer(session, customer)
        cards = {card.code: card for card in catalog.list_rate_cards(session)}
        customers: dict[str, Customer] = {}
        tax = TaxContext(catalog.seller(session), catalog.tax_table(session))
        rounding = catalog.rounding(session)
        documents: list[str] = []
        problems: list[str] = []
        charged = 0
        groups = _groups(session, customer, last, customers, cards)
        for (contract_id, period), (contract, items) in sorted(
            groups.items(), key=lambda g: (g[0][0], g[0][1].start)
        ):
            who = customers[contract.customer_id]
            earlier: dict[ItemCode, list[UsageRecord]] = {}
            for row in usage_table.charged_events(
                store, contract_id, period.start.isoformat(), sorted(items)
            ):
                earlier.setdefault(ItemCode(str(row[2])), []).append(event_record(row))
            group = EventGroup(
                contract,
                period,
                {item: tuple(records) for item, records in items.items()},
                {item: tuple(records) for item, records in earlier.items()},
            )

            def new_id() -> Any:
                [doc_id] = lookups.new_document_ids(session, 1)
                return doc_id

            try:
                invoices = event_invoices(
                    group,
                    who,
                    cards=cards,
                    tax=tax,
                    day=day,
                    new_id=new_id,
                    each=each,
                    rounding=rounding,
                )
            except O2CError as exc:
                problems.append(f"{contract_id}:{period.label}: {exc}")
                continue
            refused = [p for inv in invoices for p in inv.problems]
            if refused:
                problems.append(
                    f"{contract_id}:{period.label}: " + "; ".join(str(p) for p in refused)
                )
                continue
            for invoice in invoices:
                stored = issuing.store_correction(session, invoice.document, True, day, touched)
                doc_id = str(stored["id"])
                documents.append(doc_id)
                usage_table.mark_usage_billed(store, [(doc_id, e) for e in invoice.events])
                charged += len(invoice.events)
        return {"documents": documents, "charged": charged, "problems": problems}

    result = session.run(
        "charge_usage_events",
        actor=actor,
        key=idempotency_key,
        args={"date": day, "through": last, "each": each, "customer": customer},
        body=body,
    )
    return EventChargeResult(
        tuple(str(d) for d in result["documents"]),
        int(result["charged"]),
        tuple(str(p) for p in result["problems"]),
    )
