"""What stays unbilled, and why: usage, time and sales orders a bill run did not bill.

:func:`list_unbilled` reads every unbilled usage record, time entry and sales order (up
to the end of a run period) and asks :mod:`o2c.billing.unbilled` why each one is
unbilled: an exception (usage or time for an item no contract of the customer bills)
or pending with a reason. :func:`record_input_exceptions` keeps the exceptions in the
exceptions queue, one row per ``usage:<customer>:<item>`` or ``time:<customer>`` key,
resolved by the first run that no longer meets them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from o2c.billing.events import per_event_item
from o2c.billing.unbilled import (
    Unbilled,
    UnbilledKind,
    UnbilledStatus,
    order_pending,
    time_unbilled,
    usage_unbilled,
)
from o2c.book import _catalog as catalog
from o2c.book._bill_inputs import load_customers
from o2c.book._codec import as_timestamp
from o2c.book._exceptions_queue import ExceptionRecord, list_exceptions, record_exceptions
from o2c.book._session import Session, Touched
from o2c.book._tables import contracts as contracts_table
from o2c.book._tables import orders as orders_table
from o2c.book._tables import runs as runs_table
from o2c.book._tables import usage as usage_table
from o2c.calendar import Period, local_date
from o2c.contracts import Contract
from o2c.parties import Customer
from o2c.pricing import RateCard

__all__ = ["input_exceptions", "list_unbilled", "list_unbilled_now", "record_input_exceptions"]

#: Run-key prefixes of the exceptions this module keeps in the queue.
_PREFIXES = ("usage:", "time:")


def _contracts_of(
    session: Session, cache: dict[str, list[Contract]], customer: str
) -> list[Contract]:
    found = cache.get(customer)
    if found is None:
        found = cache[customer] = contracts_table.search(
            session.store, converter=session.converter(), customer=customer
        )
    return found


def list_unbilled(session: Session, period: Period, cut_off: dt.date) -> list[Unbilled]:
    """Every unbilled usage record, time entry (dated before ``period`` ends) and sales
    order, with why, as a run for ``period`` with ``cut_off`` leaves them (in the
    caller's transaction): usage first, then time, then orders."""
    store = session.store
    open_keys = {e.run_key for e in list_exceptions(session)}
    contracts: dict[str, list[Contract]] = {}
    out: list[Unbilled] = []
    cards: dict[str, RateCard] = {}
    customer_ids = usage_table.unbilled_usage_customers(store)
    customers: dict[str, Customer] = {}
    load_customers(session, set(customer_ids), customers)
    for record, cust, contract_id, item, _quantity, occurred, _received in sorted(
        usage_table.unbilled_usage(store, customer_ids), key=lambda r: (str(r[1]), str(r[0]))
    ):
        customer = customers.get(str(cust))
        day = local_date(as_timestamp(occurred), customer.time_zone if customer else "UTC")
        if day >= period.end:
            continue
        why = usage_unbilled(
            str(record),
            str(cust),
            None if contract_id is None else str(contract_id),
            str(item),
            day,
            _contracts_of(session, contracts, str(cust)),
            period,
            cut_off,
            open_keys,
        )
        out.append(_per_event(session, cards, contracts, why))
    for entry, cust, contract_id in usage_table.all_unbilled_time(store):
        if entry.date >= period.end:
            continue
        out.append(
            time_unbilled(
                entry.id,
                cust,
                contract_id,
                entry.date,
                approved=entry.approved,
                billable=entry.billable,
                contracts=_contracts_of(session, contracts, cust),
                run=period,
                cut_off=cut_off,
                open_keys=open_keys,
            )
        )
    out.extend(
        order_pending(order, cut_off, open_keys)
        for order in orders_table.all_unbilled(store, converter=session.converter())
    )
    return out


def _per_event(
    session: Session,
    cards: dict[str, RateCard],
    contracts: dict[str, list[Contract]],
    why: Unbilled,
) -> Unbilled:
    """``why``, or, for usage its contract charges per event, pending with that reason
    (the bill run never bills it: :meth:`o2c.Book.charge_usage_events` does)."""
    if why.status is not UnbilledStatus.PENDING or why.contract_id is None or why.item is None:
        return why
    if not cards:
        cards.update((card.code, card) for card in catalog.list_rate_cards(session))
    contract = next(
        (c for c in contracts.get(why.customer_id, ()) if c.id == why.contract_id), None
    )
    if contract is None or not per_event_item(contract, cards, why.item, why.day):
        return why
    return attrs.evolve(
        why,
        code="per_event",
        reason=f"{why.item} is charged per event: o2c usage charge (Book.charge_usage_events)"
        " invoices it, not the bill run",
    )


def _key(u: Unbilled) -> str:
    if u.kind is UnbilledKind.USAGE:
        return f"usage:{u.customer_id}:{u.item}"
    return f"time:{u.customer_id}"


def input_exceptions(unbilled: Sequence[Unbilled]) -> list[ExceptionRecord]:
    """The exceptions among ``unbilled``, one per ``usage:<customer>:<item>`` or
    ``time:<customer>`` key, naming how many records and the first one's reason."""
    groups: dict[str, list[Unbilled]] = {}
    for u in unbilled:
        if u.status is UnbilledStatus.EXCEPTION:
            groups.setdefault(_key(u), []).append(u)
    out = []
    for key, members in groups.items():
        first = members[0]
        what = "usage records" if first.kind is UnbilledKind.USAGE else "time entries"
        ids = ", ".join(m.id for m in members[:5]) + (", ..." if len(members) > 5 else "")
        out.append(
            ExceptionRecord(
                key,
                first.customer_id,
                first.contract_id,
                first.code,
                f"{len(members)} {what} stay unbilled ({ids}); first: {first.reason}",
            )
        )
    return out


def record_input_exceptions(
    session: Session, run_id: str, entries: Sequence[ExceptionRecord], who: str
) -> None:
    """Bring the queue's ``usage:`` and ``time:`` rows up to date with run ``run_id``:
    open ``entries`` (or mark them seen again) and resolve the open rows the run no
    longer meets (the contract was amended, or the records were billed)."""
    wanted = {(e.run_key, e.code) for e in entries}
    stale_keys = [
        e.run_key
        for e in list_exceptions(session)
        if e.run_key.startswith(_PREFIXES) and (e.run_key, e.code) not in wanted
    ]
    if not entries and not stale_keys:
        return

    def body(touched: Touched) -> dict[str, Any]:
        store = session.store
        if stale_keys:
            rows = runs_table.open_exceptions(store, stale_keys)
            stale = sorted(i for (k, c), i in rows.items() if (k, c) not in wanted)
            runs_table.resolve_exceptions(store, run_id, stale, now=session.now().isoformat())
        record_exceptions(session, run_id, entries)
        touched.extend(e.run_key for e in entries)
        return {}

    session.run(
        "bill_run",
        actor=who,
        key=None,
        args={"run_id": run_id, "unbilled_exceptions": sorted(e.run_key for e in entries)},
        body=body,
    )


def list_unbilled_now(
    session: Session, period: Period | str | None, cut_off: dt.date | None
) -> list[Unbilled]:
    """:func:`list_unbilled` for ``period`` (the month of the book's today by default)
    and ``cut_off`` (the period's last day, or today when that is earlier)."""
    today = session.today()
    if period is None:
        period = Period.month(today.year, today.month)
    elif isinstance(period, str):
        period = Period.parse(period)
    cut = cut_off or min(period.last_day, max(today, period.start))
    with session.store.transaction(write=False):
        return list_unbilled(session, period, cut)
