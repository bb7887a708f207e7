"""Invoices of usage charged per event ("pay in advance").

Usage of a rate-card item marked :attr:`~o2c.pricing.Item.per_event` is not rated by the
bill run at the end of its period: each event is charged as it arrives
(:func:`o2c.pricing.charge_events`: what the rounded period-to-date amount grows by, so
a period's charges add up exactly to its period rating), on an invoice of its own or on
one invoice per contract period and charge run. This module plans those invoices; the
book (:meth:`o2c.Book.charge_usage_events`) reads the events, stores the invoices and
marks each event billed by its invoice, so no event is charged twice.

Which contract charges an event
    The one the record was imported for, else the customer's contract with the lowest
    id whose terms on the event's local date bill usage of the item (as the bill run
    decides). The event belongs to the contract period containing that date; the price
    is the rate card's (or the contract's override) for that period, as in the bill run.

Invoices
    Each invoice carries one line per event (its id in the description, its quantity,
    its charge and the rule in ``explain``), the contract's period, and the run key
    ``<contract>:<period>:events:<first event id>`` (unique, so a retry stores nothing
    twice). With ``each``, an invoice per charged event, the free events before it
    (0.00 lines) on it too; otherwise one invoice per contract period in the run. A
    charge run whose events are all free still issues one 0.00 invoice, so the events
    are billed and count as earlier events from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from o2c.billing._bill_run_state import _Pending, _Run, card_item_name
from o2c.billing._documents import Document, LineSource
from o2c.billing.billrun import BillRunInputs
from o2c.billing.lifecycle import draft_document
from o2c.billing.taxing import TaxContext
from o2c.billing.validation import BillRunPolicy, Problem, validate_invoice
from o2c.calendar import Period, local_date
from o2c.contracts import ChargeKind, Contract, ContractLine, ContractVersion
from o2c.errors import NotFound
from o2c.ids import DocumentId, ItemCode
from o2c.money import DEFAULT_ROUNDING, Rounding
from o2c.parties import Customer
from o2c.pricing import EventCharge, RateCard, UsageRecord, charge_events

__all__ = [
    "EventGroup",
    "EventInvoice",
    "event_invoices",
    "event_owner",
    "event_run_key",
    "is_event_run_key",
    "per_event_item",
    "recharge_event_invoice",
]

_EVENTS: Final = ":events:"


def event_run_key(contract_id: str, period: Period, first_event: str) -> str:
    """The run key of an invoice of events charged per event.

    Example:
        >>> event_run_key("K1", Period.month(2026, 10), "u-7")
        'K1:2026-10:events:u-7'
    """
    return f"{contract_id}:{period.label}{_EVENTS}{first_event}"


def is_event_run_key(run_key: str | None) -> bool:
    """Whether ``run_key`` is the run key of an invoice of events charged per event."""
    return run_key is not None and _EVENTS in run_key


def per_event_item(contract: Contract, cards: dict[str, RateCard], item: str, day: dt.date) -> bool:
    """Whether ``contract`` charges usage of ``item`` per event in the period of ``day``:
    its terms bill the item's usage and the rate card prices it per event for the period.
    """
    if day < contract.start or (contract.end is not None and day >= contract.end):
        return False
    version = contract.version_at(day)
    if not any(cl.kind is ChargeKind.USAGE and cl.item == item for cl in version.lines):
        return False
    card = cards.get(version.rate_card)
    if card is None:
        return False
    period = version.cycle.period_containing(day)
    try:
        return card.price_for(ItemCode(item), period.start).per_event
    except NotFound:
        return False


def event_owner(
    record: UsageRecord,
    named_contract: str | None,
    contracts: Sequence[Contract],
    cards: dict[str, RateCard],
    time_zone: str,
) -> tuple[Contract, Period] | None:
    """The contract and contract period that charge ``record`` per event, or ``None``
    (no contract bills the item then, or the one that does rates it per period)."""
    day = local_date(record.timestamp, time_zone)
    for contract in sorted(contracts, key=lambda c: c.id):
        if named_contract is not None and contract.id != named_contract:
            continue
        if day < contract.start or (contract.end is not None and day >= contract.end):
            continue
        version = contract.version_at(day)
        if not any(cl.kind is ChargeKind.USAGE and cl.item == record.item for cl in version.lines):
            continue
        if not per_event_item(contract, cards, record.item, day):
            return None
        return contract, version.cycle.period_containing(day)
    return None


@attrs.frozen(slots=True)
class EventGroup:
    """The events of one contract period to charge now, per item.

    Attributes:
        contract: The contract.
        period: The contract period.
        events: The events to charge, per item.
        earlier: The period's events of each item charged before.
    """

    contract: Contract
    period: Period
    events: dict[ItemCode, tuple[UsageRecord, ...]]
    earlier: dict[ItemCode, tuple[UsageRecord, ...]]


@attrs.frozen(slots=True)
class EventInvoice:
    """A draft invoice of events, with the events it bills (or why it cannot be issued).

    Attributes:
        document: The draft.
        events: The ids of the events it bills, in line order.
        problems: Why it cannot be issued (validation); empty when it can.
    """

    document: Document
    events: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


def event_invoices(
    group: EventGroup,
    customer: Customer,
    *,
    cards: dict[str, RateCard],
    tax: TaxContext,
    day: dt.date,
    new_id: Callable[[], DocumentId],
    each: bool = False,
    rounding: Rounding = DEFAULT_ROUNDING,
    policy: BillRunPolicy | None = None,
) -> list[EventInvoice]:
    """Charge ``group``'s events and plan their invoices, dated ``day`` (their tax point).

    Raises:
        ValidationError: The item's model cannot be charged per event (a contract
            override with volume pricing, say).
    """
    contract, period = group.contract, group.period
    version = contract.version_at(max(period.start, contract.start))
    run = _Run(BillRunInputs({customer.id: customer}, cards, tax, rounding=rounding))
    at = period.start  # priced as on the period's first day, as the bill run does
    charged: list[tuple[ItemCode, EventCharge]] = []
    for item in sorted(group.events):
        line = _usage_line(version, item)
        model = run.model_for(item, line.model, version, at)
        for charge in charge_events(
            model,
            group.events[item],
            currency=version.currency,
            earlier=group.earlier.get(item, ()),
            rounding=rounding,
        ):
            charged.append((item, charge))
    batches: list[list[tuple[ItemCode, EventCharge]]] = [[]]
    for item, charge in charged:
        batches[-1].append((item, charge))
        if each and charge.amount.amount:
            batches.append([])
    if not batches[-1]:
        batches.pop()
    out = []
    for batch in batches:
        pending: list[_Pending] = []
        for item, charge in batch:
            line = _usage_line(version, item)
            name = line.description or card_item_name(cards, version.rate_card, item, at)
            pending.append(
                (
                    item,
                    f"{name} ({charge.event})",
                    charge.quantity,
                    None,
                    charge.amount,
                    LineSource.USAGE,
                    period,
                    charge.explain,
                    run.tax_code(version.rate_card, item, at, line.tax_code),
                )
            )
        lines, breakdown, notes, _totals = run.tax(pending, customer, day, version.currency)
        terms = version.payment_terms or customer.payment_terms
        who = run.snapshot(customer)
        if version.locale and version.locale != who.locale:
            who = attrs.evolve(who, locale=version.locale)
        draft = draft_document(
            new_id(),
            who,
            version.currency,
            lines,
            breakdown=breakdown,
            tax_point=day,
            period=period,
            contract_id=contract.id,
            po_number=version.po_number,
            payment_terms=run.terms_text(terms),
            run_key=event_run_key(contract.id, period, batch[0][1].event),
            notes=notes,
            explain=tax.explanation(),
        )
        problems = validate_invoice(draft, customer, policy or BillRunPolicy())
        out.append(EventInvoice(draft, tuple(c.event for _i, c in batch), problems))
    return out


def _usage_line(version: ContractVersion, item: ItemCode) -> ContractLine:
    return next(cl for cl in version.lines if cl.kind is ChargeKind.USAGE and cl.item == item)


def recharge_event_invoice(
    invoice: Document,
    contract: Contract,
    customer: Customer,
    *,
    events: Sequence[UsageRecord],
    earlier: Sequence[UsageRecord],
    cards: dict[str, RateCard],
    tax: TaxContext,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> Document | None:
    """The invoice of events ``invoice`` as the current rate cards and tax charge its
    ``events``, given the ``earlier`` events of its period (those charged on its
    period's event invoices before it), for re-rating; ``None`` when it is not an
    invoice of events of ``contract``.

    Each invoice re-charged so telescopes like the charges themselves: the corrected
    invoices of a period add up to the corrected period rating of its events.
    """
    period = invoice.period
    if (
        not is_event_run_key(invoice.run_key)
        or period is None
        or invoice.contract_id != contract.id
        or not events
    ):
        return None
    by_item: dict[ItemCode, list[UsageRecord]] = {}
    for record in events:
        by_item.setdefault(ItemCode(record.item), []).append(record)
    before: dict[ItemCode, list[UsageRecord]] = {}
    for record in earlier:
        before.setdefault(ItemCode(record.item), []).append(record)
    whole = Period(period.start, period.end)
    group = EventGroup(
        contract,
        whole,
        {item: tuple(records) for item, records in by_item.items()},
        {item: tuple(records) for item, records in before.items()},
    )
    [planned] = event_invoices(
        group,
        customer,
        cards=cards,
        tax=tax,
        day=invoice.tax_point or invoice.issue_date or whole.start,
        new_id=lambda: DocumentId(f"{invoice.id}:rerated"),
        rounding=rounding,
    )
    return planned.document
