"""Why an input stays unbilled: nothing a bill run leaves alone goes without a reason.

After a run for period ``R`` with cut-off ``C``, every usage record, time entry, sales
order and active contract the run did not bill is one of:

* an **exception** with its reason (``status`` ``"exception"``): usage or time for an
  item none of the customer's contracts bills on that day; a person must act (amend the
  contract, or re-import against the right customer);
* **pending** with why (``status`` ``"pending"``): its billing period ends after ``R``
  (and the run that bills it is named), it is dated after the cut-off, it is not approved
  or not billable, it waits for its contract period in the exceptions queue, or it
  arrived after the run of its period and goes on the contract's next invoice.

The functions here are pure: the book reads the records and contracts and calls them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Sequence

import attrs

from o2c.calendar import Period
from o2c.contracts import BillingTiming, ChargeKind, Contract, SalesOrder

__all__ = [
    "Unbilled",
    "UnbilledKind",
    "UnbilledStatus",
    "billed_by_run",
    "contract_pending",
    "order_pending",
    "time_unbilled",
    "usage_unbilled",
]


class UnbilledKind(enum.Enum):
    """What stays unbilled."""

    USAGE = "usage"
    TIME = "time"
    ORDER = "order"
    CONTRACT = "contract"


class UnbilledStatus(enum.Enum):
    """Whether a person must act (an exception) or a later run bills it (pending)."""

    EXCEPTION = "exception"
    PENDING = "pending"


@attrs.frozen(slots=True)
class Unbilled:
    """An input a bill run did not bill, and why.

    Attributes:
        kind: Usage record, time entry, sales order or contract.
        id: The record's, entry's, order's or contract's id.
        customer_id: Its customer.
        contract_id: The contract it belongs to (or would), if any.
        item: The item (usage and time), if any.
        day: Its date (usage: the customer's local date; time: the work date; order:
            billable from; contract: its start).
        status: Exception or pending.
        code: A short code for the reason (``"not_on_contract"``, ``"period_not_ended"``,
            ``"after_cut_off"``, ``"not_approved"``, ``"not_billable"``,
            ``"waits_for_exception"``, ``"next_invoice"``, ``"starts_later"``;
            ``"per_event"`` for usage charged per event, which the bill run leaves to
            :meth:`o2c.Book.charge_usage_events`).
        reason: The reason, one sentence a billing person can act on.
        run_key: The run key that bills it (or would), when there is one.
    """

    kind: UnbilledKind
    id: str
    customer_id: str
    contract_id: str | None
    item: str | None
    day: dt.date
    status: UnbilledStatus
    code: str
    reason: str
    run_key: str | None = None


def _month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def billed_by_run(period: Period) -> str:
    """The monthly run that bills a contract period: the month its last day falls in.

    Example:
        >>> billed_by_run(Period(dt.date(2026, 10, 18), dt.date(2026, 11, 18)))
        '2026-11'
    """
    return _month_of(period.end - dt.timedelta(days=1))


def _bills(contract: Contract, kind: ChargeKind, item: str, day: dt.date) -> bool:
    if day < contract.start or (contract.end is not None and day >= contract.end):
        return False
    return any(line.kind is kind and line.item == item for line in contract.version_at(day).lines)


def _owner(
    contracts: Sequence[Contract], named: str | None, kind: ChargeKind, item: str, day: dt.date
) -> Contract | None:
    """The contract that bills ``item`` on ``day``: the named one, else the lowest id."""
    for contract in sorted(contracts, key=lambda c: c.id):
        if named is not None and contract.id != named:
            continue
        if _bills(contract, kind, item, day):
            return contract
    return None


def _pending_in_period(
    kind: UnbilledKind,
    record: str,
    customer: str,
    contract: Contract,
    item: str | None,
    day: dt.date,
    run: Period,
    cut_off: dt.date,
    open_keys: Collection[str],
) -> Unbilled:
    """Why a record of ``contract`` dated ``day`` is still unbilled after the run."""
    p = contract.version_at(day).cycle.period_containing(day)
    key = f"{contract.id}:{p.label}"

    def pending(code: str, reason: str) -> Unbilled:
        return Unbilled(
            kind, record, customer, contract.id, item, day, UnbilledStatus.PENDING, code, reason,
            key,
        )  # fmt: skip

    if day > cut_off:
        return pending(
            "after_cut_off", f"dated {day}, after the cut-off {cut_off}: the next run bills it"
        )
    if p.end > run.end:
        return pending(
            "period_not_ended",
            f"its billing period {p} of contract {contract.id} ends after {run.label}: "
            f"the {billed_by_run(p)} run bills it",
        )
    if key in open_keys or f"{key}:start" in open_keys:
        return pending(
            "waits_for_exception",
            f"contract period {key} is in the exceptions queue: billed by the run after the fix",
        )
    return pending(
        "next_invoice",
        f"arrived after the run that billed {key}, or that period was not run yet: "
        f"the next run bills it on contract {contract.id}'s next invoice",
    )


def usage_unbilled(
    record: str,
    customer: str,
    named_contract: str | None,
    item: str,
    day: dt.date,
    contracts: Sequence[Contract],
    run: Period,
    cut_off: dt.date,
    open_keys: Collection[str] = (),
) -> Unbilled:
    """Why usage record ``record`` (``item`` on local date ``day``) is unbilled.

    ``contracts`` are the customer's contracts (any status); ``named_contract`` the one
    the record was imported for, if any; ``open_keys`` the run keys open in the
    exceptions queue.

    Example:
        >>> r = usage_unbilled("u-1", "C1", None, "SMS", dt.date(2026, 10, 5), [],
        ...                    Period.month(2026, 10), dt.date(2026, 10, 31))
        >>> r.status.value, r.reason
        ('exception', 'usage of SMS on 2026-10-05: no contract of customer C1 bills SMS then')
    """
    owner = _owner(contracts, named_contract, ChargeKind.USAGE, item, day)
    if owner is None:
        whose = (
            f"contract {named_contract}"
            if named_contract
            else f"no contract of customer {customer}"
        )
        verb = "does not bill" if named_contract else "bills"
        return Unbilled(
            UnbilledKind.USAGE, record, customer, named_contract, item, day,
            UnbilledStatus.EXCEPTION, "not_on_contract",
            f"usage of {item} on {day}: {whose} {verb} {item} then",
        )  # fmt: skip
    return _pending_in_period(
        UnbilledKind.USAGE, record, customer, owner, item, day, run, cut_off, open_keys
    )


def time_unbilled(
    entry: str,
    customer: str,
    named_contract: str | None,
    day: dt.date,
    *,
    approved: bool,
    billable: bool,
    contracts: Sequence[Contract],
    run: Period,
    cut_off: dt.date,
    open_keys: Collection[str] = (),
) -> Unbilled:
    """Why time entry ``entry`` (worked on ``day``) is unbilled.

    Example:
        >>> r = time_unbilled("t-1", "C1", None, dt.date(2026, 10, 5), approved=False,
        ...                   billable=True, contracts=[], run=Period.month(2026, 10),
        ...                   cut_off=dt.date(2026, 10, 31))
        >>> r.status.value, r.code
        ('pending', 'not_approved')
    """
    if not billable:
        return Unbilled(
            UnbilledKind.TIME, entry, customer, named_contract, None, day,
            UnbilledStatus.PENDING, "not_billable",
            "marked not billable: it is never invoiced (mark it billable to bill it)",
        )  # fmt: skip
    if not approved:
        return Unbilled(
            UnbilledKind.TIME, entry, customer, named_contract, None, day,
            UnbilledStatus.PENDING, "not_approved",
            "not approved yet: the first run after its approval bills it",
        )  # fmt: skip
    owner = next(
        (
            c
            for c in sorted(contracts, key=lambda c: c.id)
            if (named_contract is None or c.id == named_contract)
            and any(
                _bills(c, ChargeKind.TIME, line.item, day)
                for line in c.version_at(day).lines
                if line.kind is ChargeKind.TIME
            )
        ),
        None,
    )
    if owner is None:
        whose = f"contract {named_contract}" if named_contract else f"customer {customer}"
        return Unbilled(
            UnbilledKind.TIME, entry, customer, named_contract, None, day,
            UnbilledStatus.EXCEPTION, "not_on_contract",
            f"time worked on {day}: {whose} has no time and materials line then",
        )  # fmt: skip
    return _pending_in_period(
        UnbilledKind.TIME, entry, customer, owner, None, day, run, cut_off, open_keys
    )


def order_pending(order: SalesOrder, cut_off: dt.date, open_keys: Collection[str] = ()) -> Unbilled:
    """Why sales order ``order`` is unbilled after a run with ``cut_off``.

    Example:
        >>> import datetime as dt
        >>> from o2c.contracts import OrderLine
        >>> from o2c.ids import CustomerId, ItemCode
        >>> from o2c.money import Currency
        >>> o = SalesOrder("SO-1", CustomerId("C1"), dt.date(2026, 11, 2), Currency.of("MXN"),
        ...                (OrderLine(ItemCode("X"), 1),))
        >>> order_pending(o, dt.date(2026, 10, 31)).code
        'after_cut_off'
    """
    day = order.billable_from
    key = order.run_key

    def pending(code: str, reason: str) -> Unbilled:
        return Unbilled(
            UnbilledKind.ORDER, str(order.id), str(order.customer_id),
            str(order.contract_id) if order.contract_id else None, None, day,
            UnbilledStatus.PENDING, code, reason, key,
        )  # fmt: skip

    if day > cut_off:
        return pending(
            "after_cut_off",
            f"billable from {day}, after the cut-off {cut_off}: the next run bills it",
        )
    if order.contract_id is not None and any(
        k.startswith(f"{order.contract_id}:") for k in open_keys
    ):
        return pending(
            "waits_for_exception",
            f"its contract {order.contract_id} is in the exceptions queue: the order goes on "
            "its invoice after the fix",
        )
    if key in open_keys:
        return pending("waits_for_exception", f"{key} is in the exceptions queue")
    return pending("next_invoice", "not run yet: the next run bills it")


def contract_pending(contract: Contract, run: Period) -> Unbilled:
    """Why an active ``contract`` has nothing to bill in a run for ``run`` (the planner
    found no period of it ending in ``run`` and no start invoice).

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle
        >>> from o2c.contracts import ContractVersion
        >>> from o2c.ids import ContractId, CustomerId
        >>> from o2c.money import Currency
        >>> start = dt.date(2026, 10, 18)
        >>> v = ContractVersion(start, (), BillingCycle(Cycle.MONTHLY, start),
        ...                     Currency.of("MXN"), timing=BillingTiming.ARREARS)
        >>> why = contract_pending(Contract(ContractId("K"), CustomerId("C"), (v,)),
        ...                        Period.month(2026, 10))
        >>> why.code, why.reason.split(": ")[1]
        ('period_not_ended', 'the 2026-11 run bills it')
    """
    start = contract.start
    version = contract.version_at(max(run.start, start))

    def pending(code: str, reason: str, key: str | None = None) -> Unbilled:
        return Unbilled(
            UnbilledKind.CONTRACT, str(contract.id), str(contract.customer_id),
            str(contract.id), None, start, UnbilledStatus.PENDING, code, reason, key,
        )  # fmt: skip

    if start >= run.end:
        return pending("starts_later", f"starts {start}, after {run.label}: nothing to bill yet")
    if contract.end is not None and contract.end <= run.start:
        return pending("ended", f"ended {contract.end}, before {run.label}: nothing to bill")
    p = version.cycle.period_containing(max(run.start, start))
    key = f"{contract.id}:{p.label}"
    first = "first billing period" if p.start <= start else "billing period"
    timing = "in advance" if version.timing is BillingTiming.ADVANCE else "in arrears"
    return pending(
        "period_not_ended",
        f"{first} {p} ends after {run.label} (billed {timing}): the {billed_by_run(p)} run "
        "bills it",
        key,
    )
