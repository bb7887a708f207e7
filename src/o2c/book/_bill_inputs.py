"""What the general bill run planner is fed besides the contracts: customers, the run
keys billed before, usage, time and sales orders of one batch, read from the tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from o2c.billing import cycle_periods
from o2c.billing.billrun import billing_periods, run_key, start_key, start_period
from o2c.book._codec import as_decimal, as_timestamp
from o2c.book._session import Session
from o2c.book._tables import contracts as contracts_table
from o2c.book._tables import customers as customers_table
from o2c.book._tables import orders as orders_table
from o2c.book._tables import runs as runs_table
from o2c.book._tables import usage as usage_table
from o2c.calendar import BillingCycle, Period, local_date
from o2c.contracts import BillingTiming, ChargeKind, Contract, SalesOrder
from o2c.ids import ItemCode
from o2c.parties import Customer
from o2c.pricing import TimeEntry

__all__ = [
    "billed_keys",
    "load_customers",
    "loose_orders",
    "orders_for",
    "period_keys",
    "start_keys",
    "time_for",
    "time_items",
    "usage_for",
]

#: Longer than any billing period (a year), for :func:`start_keys`' quick filter.
_YEAR: Final = dt.timedelta(days=367)

#: Where usage of a (run key, item) goes, with the record's quantity, id and time.
AddUsage = Callable[[tuple[str, ItemCode], object, object, dt.datetime], None]

#: A record of an earlier contract period: (record, quantity, received, local date,
#: contract, item, the contract's first period in this run, when it occurred).
LateUsage = tuple[object, object, object, dt.date, Contract, ItemCode, Period, dt.datetime]

#: The usage records of one (run key, item) as transactions: (occurred, id, amount).
Transactions = dict[tuple[str, ItemCode], list[tuple[dt.datetime, str, Decimal]]]


def load_customers(session: Session, ids: set[str], customers: dict[str, Customer]) -> None:
    """Read the customers with these ids into ``customers`` (those not there yet)."""
    customers_table.load_into(session.store, ids, customers, converter=session.converter())


def billed_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """The run keys among ``keys`` billed before."""
    return runs_table.billed_keys(session.store, keys)


def period_keys(contracts: Sequence[Contract], period: Period) -> list[str]:
    """Run keys of the contract periods a run for ``period`` bills, for each contract.

    The same as ``run_key(c.id, p) for p in billing_periods(c, period)``, with the cycle's
    periods computed once per cycle rather than once per contract (calendar arithmetic
    that cost more than planning the invoice).
    """
    cycles: dict[BillingCycle, tuple[tuple[Period, str], ...]] = {}
    keys: list[str] = []
    for contract in contracts:
        cycle = contract.version_at(period.start).cycle
        periods = cycles.get(cycle)
        if periods is None:
            # (period, ":" + label): run_key(id, p) is f"{id}:{p.label}".
            periods = cycles[cycle] = tuple(
                (p, ":" + p.label) for p, _ in cycle_periods(cycle, period)
            )
        cid = contract.id
        keys.extend(cid + label for p, label in periods if contract.covers(p) is not None)
    return keys


def start_keys(contracts: Sequence[Contract], period: Period | None) -> list[str]:
    """The start-invoice keys the planner checks for these contracts in a run for
    ``period`` (``None``: the start invoices alone, ``only_start``), with the first
    period's own key: the start invoice a run for ``period`` would bill, and the one an
    earlier run or ``invoice_now`` may have billed for a first period this run bills."""
    keys: list[str] = []
    for contract in contracts:
        start = contract.start
        # A first period is at most a year long: older contracts are past it (one date
        # comparison for nearly every contract of a run).
        if period is not None and not period.start - _YEAR < start < period.end:
            continue
        version = contract.versions[0]
        if version.timing is not BillingTiming.ADVANCE:
            continue
        first = start_period(contract, None)
        if first is None:
            continue
        if period is None or period.start <= start or period.start < first.end <= period.end:
            keys.extend((start_key(contract.id, first), run_key(contract.id, first)))
    return keys


def time_items(contract: Contract) -> set[ItemCode]:
    """The items ``contract`` bills time for, in any version (the bill run keys a
    contract's time entries under each of them)."""
    return {
        line.item for v in contract.versions for line in v.lines if line.kind is ChargeKind.TIME
    }


def orders_for(session: Session, contract_ids: Sequence[str], cut: dt.date) -> list[SalesOrder]:
    """The unbilled sales orders of these contracts billable by ``cut``."""
    orders = orders_table.unbilled_of_contracts(
        session.store, contract_ids, converter=session.converter()
    )
    return [o for o in orders if o.billable_from <= cut]


def loose_orders(
    session: Session, cut: dt.date, customers: dict[str, Customer]
) -> list[SalesOrder]:
    """The unbilled sales orders of no contract billable by ``cut``; their customers are
    read into ``customers``."""
    orders = orders_table.unbilled_without_contract(session.store, converter=session.converter())
    orders = [o for o in orders if o.billable_from <= cut]
    load_customers(session, {o.customer_id for o in orders}, customers)
    return orders


def time_for(
    session: Session, contracts: Sequence[Contract], period: Period, cut: dt.date
) -> dict[tuple[str, ItemCode], tuple[TimeEntry, ...]]:
    """Approved, unbilled time entries per (run key, time item) of the batch."""
    result: dict[tuple[str, ItemCode], tuple[TimeEntry, ...]] = {}
    for contract in contracts:
        items = time_items(contract)
        if not items:
            continue
        entries = usage_table.unbilled_time(session.store, contract.customer_id, contract.id)
        for p in billing_periods(contract, period):
            chosen = tuple(e for e in entries if p.start <= e.date < p.end and e.date <= cut)
            if chosen:
                for item in items:
                    result[(run_key(contract.id, p), item)] = chosen
    return result


def _bills_usage(contract: Contract, item: ItemCode, period: Period) -> bool:
    """Whether ``contract`` bills usage of ``item`` in ``period``."""
    return any(
        line.kind is ChargeKind.USAGE and line.item == item
        for _piece, version in contract.pieces(period)
        for line in version.lines
    )


def _usage_owner(
    contracts: Sequence[Contract],
    periods: Mapping[str, tuple[Period, ...]],
    item: ItemCode,
    day: dt.date,
) -> tuple[Contract, Period] | None:
    """The contract (lowest id first) and period that bill usage of ``item`` on ``day``."""
    for contract in contracts:
        for p in periods[contract.id]:
            if p.start <= day < p.end and _bills_usage(contract, item, p):
                return contract, p
    return None


def usage_for(
    session: Session,
    contracts: Sequence[Contract],
    period: Period,
    cut: dt.date,
    customers: Mapping[str, Customer],
    record_ids: dict[tuple[str, ItemCode], list[str]] | None = None,
    transactions: dict[tuple[str, ItemCode], tuple[Decimal, ...]] | None = None,
) -> dict[tuple[str, ItemCode], Decimal]:
    """Sum usage per (run key, item): by the customer's local date, up to the cut-off.

    A record imported for a contract counts for that contract only. A record imported
    without one belongs to exactly one contract of its customer: the one with the
    lowest id among the customer's active contracts that bill usage of its item in a
    period of this run containing its date (whether or not that contract is in this
    batch), so a customer with several such contracts is never billed twice for it.

    Late usage goes on the next invoice: a record of an earlier contract period that
    the run billing that period left out (it arrived after the run started, or its
    date fell after the run's cut-off) counts in the contract's first period of this
    run. ``record_ids`` (when given) receives the ids of the records each key sums,
    which the commit marks as billed by the key's invoice. ``transactions`` (when given)
    receives the quantity of each record a key sums, in the order they occurred (then by
    id): a percentage price model rates each usage record as one transaction, and its
    free transactions are the first to occur.
    """
    by_customer: dict[str, list[Contract]] = {}
    for contract in contracts:
        by_customer.setdefault(contract.customer_id, []).append(contract)
    ids = sorted(by_customer)
    usage: dict[tuple[str, ItemCode], Decimal] = {}
    if not ids:
        return usage
    rows = usage_table.unbilled_usage(session.store, ids)
    if not rows:
        return usage
    in_batch = {c.id for c in contracts}
    # Every active contract of the customers with records that name no contract:
    # the owner of such a record may sit in another batch.
    loose = sorted({str(r[1]) for r in rows if r[2] is None})
    owners_of: dict[str, list[Contract]] = {cust: list(by_customer[cust]) for cust in loose}
    converter = session.converter()
    for cid, data in contracts_table.active_of_customers(session.store, loose):
        if cid not in in_batch:
            other = contracts_table.contract_of(data, converter)
            owners_of[other.customer_id].append(other)
    for owners in owners_of.values():
        owners.sort(key=lambda c: c.id)
    periods: dict[str, tuple[Period, ...]] = {
        c.id: billing_periods(c, period)
        for cs in (*by_customer.values(), *owners_of.values())
        for c in cs
    }

    timed: Transactions = {}

    def add(
        key: tuple[str, ItemCode], quantity: object, record: object, occurred: dt.datetime
    ) -> None:
        amount = as_decimal(quantity)
        usage[key] = usage.get(key, Decimal(0)) + amount
        if record_ids is not None:
            record_ids.setdefault(key, []).append(str(record))
        if transactions is not None:
            timed.setdefault(key, []).append((occurred, str(record), amount))

    late: list[LateUsage] = []
    for record, cust, contract_id, item, quantity, occurred, received in rows:
        customer = customers.get(str(cust))
        zone = customer.time_zone if customer else "UTC"
        stamp = as_timestamp(occurred)
        local = local_date(stamp, zone)
        if local > cut:
            continue
        code = ItemCode(str(item))
        if contract_id is None:
            owner = _usage_owner(owners_of[str(cust)], periods, code, local)
            if owner is not None:
                if owner[0].id in in_batch:
                    add((run_key(owner[0].id, owner[1]), code), quantity, record, stamp)
                continue
            first = next(
                (
                    c
                    for c in owners_of[str(cust)]
                    if c.start <= local
                    and periods[c.id]
                    and _bills_usage(c, code, periods[c.id][0])
                ),
                None,
            )
            if first is not None and first.id in in_batch:
                target = periods[first.id][0]
                late.append((record, quantity, received, local, first, code, target, stamp))
            continue
        for contract in by_customer[str(cust)]:
            if str(contract_id) != contract.id:
                continue
            own = periods[contract.id]
            for p in own:
                if p.start <= local < p.end:
                    add((run_key(contract.id, p), code), quantity, record, stamp)
                    break
            else:
                if own and contract.start <= local < own[0].start:
                    late.append((record, quantity, received, local, contract, code, own[0], stamp))
    if late:
        _add_late_usage(session, late, add)
    if transactions is not None:
        for key, records in timed.items():
            records.sort()
            transactions[key] = tuple(amount for _at, _id, amount in records)
    return usage


def _add_late_usage(session: Session, late: list[LateUsage], add: AddUsage) -> None:
    """Put the records of earlier periods that their period's run left out on the
    contract's first period of this run; leave the others (their period was not
    billed yet, or the run saw them and did not bill them) alone."""
    runs = runs_table.invoiced_periods(session.store, sorted({entry[4].id for entry in late}))
    for record, quantity, received, local, contract, code, target, occurred in late:
        cycle = contract.version_at(local).cycle
        containing = cycle.period_containing(local)
        billed = next(
            (
                (started, cut_off)
                for begun, started, cut_off in runs.get(contract.id, ())
                if containing.start <= begun < containing.end
            ),
            None,
        )
        if billed is None:
            continue  # its period was never billed: that period's run will bill it
        started, cut_off = billed
        if as_timestamp(received) > started or local > cut_off:
            add((run_key(contract.id, target), code), quantity, record, occurred)
