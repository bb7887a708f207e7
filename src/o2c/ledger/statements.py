"""Customer statements: opening balance, documents and payments, closing balance.

A statement shows a customer's **net** position in one currency: AR sub-ledger minus
unapplied credit. The opening balance is the position at the end of the day before
``start``; each entry dated ``start..end`` (inclusive) that changes the position is a
line with a running balance (in date order, journal order within a day); the closing
balance is the position as of ``end``.
Allocations and unallocations move money between a customer's credit and open items
without changing the net position, so they are not lines (the open items they settle are
listed after the lines).

Example:
    >>> import datetime as dt
    >>> s = statement([], CustomerId("C1"), "USD", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    >>> str(s.opening), str(s.closing), s.lines
    ('0.00 USD', '0.00 USD', ())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId, EntryId
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.ledger.views import open_items
from o2c.money import Currency, Money

__all__ = ["Statement", "StatementLine", "statement"]


@attrs.frozen(slots=True)
class StatementLine:
    """One movement on a statement.

    Attributes:
        date: The entry date.
        entry_id: The journal entry.
        kind: What it was (invoice, payment, credit note, refund, write-off...).
        reference: The document number or bank reference.
        amount: The change of the customer's net position: positive for what the
            customer owes more (invoice, refund), negative for payments and credits.
        balance: The running balance after this line.
    """

    date: dt.date
    entry_id: EntryId
    kind: EntryKind
    reference: str
    amount: Money
    balance: Money


@attrs.frozen(slots=True)
class Statement:
    """A customer's statement for ``start..end`` in one currency.

    Attributes:
        customer: The customer.
        currency: The currency.
        start: First day (inclusive).
        end: Last day (inclusive).
        opening: Net position at the end of the day before ``start``.
        lines: Movements in date order.
        closing: Net position as of ``end``.
        open_items: The customer's open items as of ``end``.
        unapplied: Unapplied credit as of ``end`` (positive).
    """

    customer: CustomerId
    currency: Currency
    start: dt.date
    end: dt.date
    opening: Money
    lines: tuple[StatementLine, ...]
    closing: Money
    open_items: tuple[OpenItem, ...]
    unapplied: Money

    @property
    def disputed(self) -> Money:
        """The part of the open items under active dispute, shown apart from the balance.

        The ledger knows no disputes: this is zero unless the caller gave the open items
        their ``disputed`` part (the Book's case-aware statement does). Each item counts
        at most what is open on it, as in aging.
        """
        total = Money.zero(self.currency)
        for item in self.open_items:
            if item.disputed is not None and item.disputed.is_positive:
                total += item.disputed.min(item.open)
        return total


def statement(
    entries: Iterable[JournalEntry],
    customer: CustomerId,
    currency: Currency | str,
    start: dt.date,
    end: dt.date,
    *,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> Statement:
    """Build the statement of ``customer`` in ``currency`` for ``start..end`` inclusive.

    Raises:
        ValidationError: ``end`` is before ``start``.
    """
    if end < start:
        raise ValidationError("end", end.isoformat(), f"a date on or after {start}")
    cur = Currency.of(currency)
    ar, unapplied_code = chart.receivable.code, chart.unapplied.code
    journal = sorted((e for e in entries if e.date <= end), key=lambda e: e.date)
    opening = Money.zero(cur)
    unapplied = Money.zero(cur)
    lines: list[StatementLine] = []
    running = opening
    for entry in journal:
        change = Money.zero(cur)
        for line in entry.lines:
            if line.customer != customer or line.amount.currency != cur:
                continue
            if line.account == ar:
                change += line.amount
            elif line.account == unapplied_code:
                change += line.amount
                unapplied -= line.amount
        if entry.date < start:
            opening += change
            running = opening
            continue
        if change.is_zero:
            continue
        running += change
        lines.append(
            StatementLine(
                entry.date, entry.id, entry.kind, entry.reference or entry.source, change, running
            )
        )
    items = tuple(
        i
        for i in open_items(journal, end, chart=chart)
        if i.customer == customer and i.currency == cur
    )
    return Statement(customer, cur, start, end, opening, tuple(lines), running, items, unapplied)
