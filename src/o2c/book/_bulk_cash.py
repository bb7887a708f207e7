"""Payments and their allocations posted in bulk, in minor units.

The compact form of :func:`~o2c.ledger.payments.post_payment` and
:func:`~o2c.ledger.payments.post_allocation` for payment files and bank statements: the
same entries and the same checks (proven equal row by row in
``tests/book/test_payments_bulk.py``), as integer minor units and row tuples with no
:class:`~o2c.ledger.journal.JournalEntry` objects, written with a few ``executemany``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from o2c.book._codec import money
from o2c.book._fx_rates import keep_source_rows
from o2c.book._journal import accounting_periods, new_entry_ids, open_item
from o2c.book._policies import policy_settings
from o2c.book._session import Session, Touched
from o2c.book._tables import journal as journal_table
from o2c.book._tables import payments as payments_table
from o2c.book._writeoffs import tolerance_write_off
from o2c.errors import InvalidState, ValidationError
from o2c.ledger.limits import least_balance_from
from o2c.ledger.payments import Allocation, Payment
from o2c.ledger.tolerance import tolerance_writeoff, tolerances_from_settings
from o2c.ledger.writeoffs import WriteOff
from o2c.money import Currency, Money

__all__ = ["record_cash"]


def record_cash(
    session: Session,
    fresh: Sequence[Payment],
    by_source: Mapping[str, Sequence[Allocation]],
    *,
    actor: str | None = None,
    touched: Touched | None = None,
) -> list[tuple[str, WriteOff]]:
    """Post new payments and their allocations (checked), inside a command.

    Returns:
        ``(payment id, write-off)`` of each small-balance write-off, posted in the same
        command, of an item an allocation left open within the book's write-off
        tolerance (:mod:`o2c.ledger.tolerance`).

    Raises:
        InvalidState: An allocation exceeds what is open or unapplied, or precedes its
            document or its payment.
        PeriodClosed: A payment or allocation is dated in a closed month.
        ValidationError: An allocation's customer or currency is not its document's or
            its payment's.
    """
    if not fresh:
        return []
    plans = [a for p in fresh for a in by_source.get(p.id, ())]
    for code in {p.amount.currency.code for p in fresh}:
        session.ensure_currency(Currency.of(code))
    periods = accounting_periods(session)
    if periods.closed:
        for posted in {p.date for p in fresh} | {a.date for a in plans}:
            periods.check_open(posted)
    entry_ids = new_entry_ids(session, len(fresh) + len(plans))
    chart = session.chart
    cash, unapplied, ar = chart.cash.code, chart.unapplied.code, chart.receivable.code
    now = session.now().isoformat()
    payment_rows: list[tuple[Any, ...]] = []
    entry_rows: list[tuple[Any, ...]] = []
    line_rows: list[tuple[Any, ...]] = []
    credits: dict[str, tuple[str, str, str]] = {}
    unapplied_left: dict[str, int] = {}
    add_payment, add_entry, add_line = (
        payment_rows.append,
        entry_rows.append,
        line_rows.append,
    )
    payment_row = payments_table.minor_payment_row
    entry_row, line_row = journal_table.entry_row, journal_table.line_row
    scale: dict[Currency, tuple[str, int]] = {}
    for payment, entry_id in zip(fresh, entry_ids, strict=False):
        amount = payment.amount
        code, units = scale.get(amount.currency) or scale.setdefault(
            amount.currency, (amount.currency.code, amount.currency.minor_units)
        )
        minor = int(amount.amount.scaleb(units))
        day = payment.date.isoformat()
        how = payment.method.value
        pid, customer, reference = payment.id, payment.customer, payment.reference
        add_payment(payment_row(pid, customer, day, code, minor, how, reference, now))
        add_entry(entry_row(entry_id, day, "payment", pid, reference, None, how, None, now))
        add_line(line_row(entry_id, 1, cash, code, minor, None, None, day, None, None))
        add_line(line_row(entry_id, 2, unapplied, code, -minor, customer, pid, day, None, None))
        credits[pid] = (customer, code, day)
        unapplied_left[pid] = minor
    items = _open_item_ledgers(session, sorted({a.document_id for a in plans}))
    allocation_rows: list[tuple[Any, ...]] = []
    add_allocation = allocation_rows.append
    allocation_row = payments_table.minor_allocation_row
    tolerances = tolerances_from_settings(policy_settings(session))
    small: list[tuple[Allocation, str, Money]] = []
    for allocation, entry_id in zip(plans, entry_ids[len(fresh) :], strict=True):
        amount = allocation.amount
        code, units = scale.get(amount.currency) or scale.setdefault(
            amount.currency, (amount.currency.code, amount.currency.minor_units)
        )
        minor = int(amount.amount.scaleb(units))
        document_id = allocation.document_id
        item = items.get(document_id)
        source, customer = allocation.source, allocation.customer
        credit = credits[source]
        day = allocation.date.isoformat()
        if item is None or day < item.first:
            raise InvalidState(
                f"document {document_id} has nothing open on {day}",
                document_id=document_id,
            )
        if (
            item.customer != customer
            or credit[0] != customer
            or credit[1] != code
            or item.currency != code
            or item.currencies
        ):
            _check_compact(allocation, item, credit[0], credit[1], code)
        open_minor = item.open_from(day)
        if minor > open_minor:
            raise InvalidState(
                f"cannot allocate {amount} to {item.number}: only"
                f" {money(open_minor, amount.currency)} is open",
                document_id=document_id,
            )
        left = unapplied_left[source] if day >= credit[2] else 0
        if minor > left:
            raise InvalidState(
                f"cannot allocate {amount} from {source}: only"
                f" {money(left, amount.currency)} is unapplied",
                document_id=document_id,
            )
        item.take(day, minor)
        unapplied_left[source] -= minor
        tolerance = tolerances.get(code)
        if tolerance is not None:
            rest = tolerance_writeoff(money(open_minor, amount.currency), amount, tolerance)
            if rest is not None:
                item.take(day, rest.minor_units)
                small.append((allocation, entry_id, rest))
        add_entry(entry_row(entry_id, day, "allocation", source, item.number, None, "", None, now))
        add_line(line_row(entry_id, 1, unapplied, code, minor, customer, source, day, None, None))
        add_line(
            line_row(
                entry_id,
                2,
                ar,
                code,
                -minor,
                customer,
                document_id,
                day,
                item.item_date or day,
                item.item_due or day,
            )
        )
        add_allocation(allocation_row(entry_id, source, document_id, customer, day, code, minor))
    store = session.store
    payments_table.insert_payment_rows(store, payment_rows)
    keep_source_rows(session, entry_rows, line_rows)
    journal_table.insert_entry_rows(store, entry_rows, line_rows)
    payments_table.insert_allocation_rows(store, allocation_rows)
    written: list[tuple[str, WriteOff]] = []
    for allocation, allocation_id, rest in small:
        after = open_item(session, allocation.document_id, allocation.date)
        assert after is not None  # the allocation above found it open
        written.append(
            (
                allocation.source,
                tolerance_write_off(
                    session,
                    after,
                    rest,
                    day=allocation.date,
                    source=allocation.source,
                    allocation=allocation_id,
                    actor=actor,
                    touched=Touched() if touched is None else touched,
                ),
            )
        )
    return written


def _open_item_ledgers(session: Session, document_ids: Sequence[str]) -> dict[str, _Item]:
    """What the AR control account holds on each document, by posting date."""
    store = session.store
    items: dict[str, _Item] = {}
    receivable = session.chart.receivable.code
    for key, customer, code, day, total in journal_table.receivable_steps(
        store, receivable, document_ids
    ):
        found = items.get(key)
        if found is None:
            found = items[key] = _Item(key, customer, code)
        elif code != found.currency:
            found.currencies.add(code)
        found.add(day, total, customer)
    for doc, issued, due, reference in journal_table.item_heads(store, list(items)):
        found = items[doc]
        if reference is not None:
            found.number = reference or found.number
        if issued is not None:
            found.item_date = issued
            found.item_due = due or issued
    return items


class _Item:
    """An open item's AR postings in minor units, as ``(ISO posting date, net)`` steps."""

    __slots__ = (
        "currencies",
        "currency",
        "customer",
        "first",
        "item_date",
        "item_due",
        "number",
        "steps",
    )

    def __init__(self, document_id: str, customer: str, currency: str) -> None:
        self.customer = customer
        self.currency = currency
        self.currencies: set[str] = set()
        self.number = document_id
        self.item_date: str | None = None
        self.item_due: str | None = None
        self.steps: list[tuple[str, int]] = []
        self.first = "9999-12-31"

    def add(self, day: str, amount: int, customer: str) -> None:
        """Add a stored step (while loading)."""
        self.steps.append((day, amount))
        if day < self.first:
            self.first = day
        if customer < self.customer:
            self.customer = customer

    def open_from(self, day: str) -> int:
        """The least open amount as of ``day`` or any later date (so none goes negative)."""
        steps = self.steps
        if len(steps) == 1:
            return steps[0][1] if steps[0][0] <= day else 0
        return least_balance_from(steps, day, 0)[0]

    def take(self, day: str, amount: int) -> None:
        """Apply an allocation of this batch."""
        self.steps.append((day, -amount))


def _check_compact(
    allocation: Allocation, item: _Item, customer: str, currency: str, code: str
) -> None:
    """:func:`o2c.ledger.payments.check_allocation`'s checks on the compact forms."""
    if item.customer != allocation.customer:
        raise ValidationError(
            "open_item.customer", item.customer, f"customer {allocation.customer}"
        )
    if customer != allocation.customer:
        raise ValidationError("credit.customer", customer, f"customer {allocation.customer}")
    for have in (item.currency, *item.currencies, currency):
        if have != code:
            raise ValidationError("amount", str(allocation.amount), f"an amount in {have}")
