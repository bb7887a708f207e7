"""Limits that hold at every date: what a command dated D may take off an item.

A view as of D ignores the entries dated later, so a command checked only against the
state as of D can break a limit on a later date: a write-off dated before the payment
that settled the invoice leaves the invoice over-settled from the payment's date on, and
a void dated before the payment reverses an invoice that a payment still settles. The
rule (DESIGN.md invariant 4, at every date):

* an amount taken off an open item (allocated, credited, written off) or off a credit
  (allocated, refunded, written off) on D must be open (unapplied) as of D **and as of
  every later date an entry changed it**: the balance never goes below zero on any day;
* a void on D needs the item untouched as of D and as of every later date.

An :class:`ItemHistory` is one item's (or credit's) balance changes by date, built from
the journal (:func:`item_history`, :func:`credit_history`) or from stored rows; the
checks are pure functions over it.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> usd = lambda s: Money.of(s, "USD")
    >>> invoice = ItemHistory("INV-1", ((dt.date(2026, 10, 1), usd("116.00")),
    ...                                 (dt.date(2026, 11, 10), usd("-116.00"))))
    >>> invoice.balance(dt.date(2026, 11, 5))
    Money('116.00', 'USD')
    >>> invoice.least_from(dt.date(2026, 11, 5))
    (Money('0.00', 'USD'), datetime.date(2026, 11, 10))
    >>> check_take(invoice, usd("116.00"), on=dt.date(2026, 11, 5),
    ...            action="write off 116.00 USD of INV-1")
    Traceback (most recent call last):
    ...
    o2c.errors.InvalidState: cannot write off 116.00 USD of INV-1 on 2026-11-05: only 0.00 USD of it is open on 2026-11-10 (entries dated after 2026-11-05 take the rest)
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

import attrs

from o2c.errors import InvalidState
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import JournalEntry
from o2c.money import Money

__all__ = [
    "ItemHistory",
    "check_take",
    "check_untouched",
    "credit_history",
    "item_history",
    "least_balance_from",
    "open_from",
    "unapplied_from",
]

_D = TypeVar("_D", dt.date, str)
_N = TypeVar("_N", int, Money)


def least_balance_from(steps: Sequence[tuple[_D, _N]], on: _D, zero: _N) -> tuple[_N, _D]:
    """The least balance as of ``on`` or as of any later date a step falls on.

    A balance as of a date counts every step dated on or before it (the views' as-of
    semantics), so steps of one day count together, whatever their order.

    Args:
        steps: ``(date, signed change)`` pairs in any order; dates are ``date`` values
            or ISO texts (which order as the dates do), amounts Money or minor units.
        on: The date of the command.
        zero: The zero of the amounts (``0`` or a zero Money).

    Returns:
        The least balance, and the first date it is reached (``on`` when the balance
        as of ``on`` is the least).
    """
    ordered = sorted(steps, key=lambda step: step[0])
    balance = zero
    index, count = 0, len(ordered)
    while index < count and ordered[index][0] <= on:
        balance += ordered[index][1]
        index += 1
    least, when = balance, on
    while index < count:
        day = ordered[index][0]
        while index < count and ordered[index][0] == day:
            balance += ordered[index][1]
            index += 1
        if balance < least:
            least, when = balance, day
    return least, when


def _to_steps(steps: Iterable[tuple[dt.date, Money]]) -> tuple[tuple[dt.date, Money], ...]:
    return tuple(sorted(steps, key=lambda step: step[0]))


@attrs.frozen(slots=True)
class ItemHistory:
    """One open item's (or credit's) balance changes, by posting date.

    Amounts are on the item's own side: what a document owes (AR debits positive) or
    what a credit holds (unapplied credits positive).

    Attributes:
        subject: The document id or credit source.
        steps: ``(posting date, signed change)`` pairs, sorted by date.
    """

    subject: str
    steps: tuple[tuple[dt.date, Money], ...] = attrs.field(converter=_to_steps)

    def balance(self, as_of: dt.date, zero: Money | None = None) -> Money:
        """The balance as of ``as_of`` (``zero`` when nothing is posted yet)."""
        total = self._zero(zero)
        for day, amount in self.steps:
            if day <= as_of:
                total += amount
        return total

    def least_from(self, on: dt.date, zero: Money | None = None) -> tuple[Money, dt.date]:
        """The least balance as of ``on`` or any later date, and the date it is reached."""
        return least_balance_from(self.steps, on, self._zero(zero))

    def first_change_from(self, on: dt.date, expected: Money) -> tuple[dt.date, Money] | None:
        """The first date on or after ``on`` the balance is not ``expected``, with it."""
        balance = self.balance(on, Money.zero(expected.currency))
        if balance != expected:
            return on, balance
        later = [(day, amount) for day, amount in self.steps if day > on]
        for index, (day, amount) in enumerate(later):
            balance += amount
            # Steps of one day count together: look once the day is summed.
            day_done = index + 1 == len(later) or later[index + 1][0] != day
            if day_done and balance != expected:
                return day, balance
        return None

    def plus(self, day: dt.date, amount: Money) -> ItemHistory:
        """This history after a command of the same batch changed it by ``amount``."""
        return ItemHistory(self.subject, (*self.steps, (day, amount)))

    def _zero(self, zero: Money | None) -> Money:
        if zero is not None:
            return zero
        if not self.steps:
            raise ValueError(f"history of {self.subject} is empty: pass its zero")
        return Money.zero(self.steps[0][1].currency)


def _history(entries: Iterable[JournalEntry], item: str, account: str, sign: int) -> ItemHistory:
    steps = [
        (entry.date, line.amount if sign > 0 else -line.amount)
        for entry in entries
        for line in entry.lines
        if line.account == account and line.item == item
    ]
    return ItemHistory(item, steps)


def item_history(
    entries: Iterable[JournalEntry], document_id: str, *, chart: ChartOfAccounts = DEFAULT_CHART
) -> ItemHistory:
    """What the AR control account holds on ``document_id``, by posting date."""
    return _history(entries, document_id, chart.receivable.code, 1)


def credit_history(
    entries: Iterable[JournalEntry], source: str, *, chart: ChartOfAccounts = DEFAULT_CHART
) -> ItemHistory:
    """What unapplied cash holds on the credit ``source``, by posting date."""
    return _history(entries, source, chart.unapplied.code, -1)


def open_from(item: OpenItem, history: ItemHistory, on: dt.date) -> OpenItem:
    """``item`` (as of ``on``) with only what stays open as of ``on`` and every later
    date: what a command dated ``on`` may still take off it.

    A credit note takes this much off the invoice it corrects and puts the rest on
    customer credit; an oldest-first allocation plans against it.
    """
    least, _ = history.least_from(on, Money.zero(item.currency))
    return item if least >= item.open else attrs.evolve(item, open=least)


def unapplied_from(credit: CreditItem, history: ItemHistory, on: dt.date) -> CreditItem:
    """``credit`` (as of ``on``) with only what stays unapplied as of ``on`` and every
    later date."""
    least, _ = history.least_from(on, Money.zero(credit.currency))
    return credit if least >= credit.unapplied else attrs.evolve(credit, unapplied=least)


def check_take(
    history: ItemHistory, amount: Money, *, on: dt.date, action: str, held: str = "open"
) -> None:
    """Refuse taking ``amount`` off an item (or credit) on ``on`` if that leaves it below
    zero as of ``on`` or as of any later date.

    Args:
        history: The item's (or credit's) balance changes.
        amount: What the command takes (above zero).
        on: The command's posting date.
        action: What the command does, for the message ("allocate 50.00 USD to INV-1").
        held: What the balance is called ("open" for an item, "unapplied" for a credit).

    Raises:
        InvalidState: The balance as of ``on`` or a later date is less than ``amount``;
            the message names that date and what is left on it.
    """
    least, when = history.least_from(on, Money.zero(amount.currency))
    if amount <= least:
        return
    later = f" (entries dated after {on} take the rest)" if when > on else ""
    raise InvalidState(
        f"cannot {action} on {on}: only {least} of it is {held} on {when}{later}",
        document_id=history.subject,
    )


def check_untouched(history: ItemHistory, original: Money, *, on: dt.date, what: str) -> None:
    """Refuse a void on ``on`` of an item that something settles as of ``on`` or later.

    Args:
        history: The item's balance changes.
        original: What the document posted.
        on: The void's posting date.
        what: The document, for the message ("invoice INV-2026-000001").

    Raises:
        InvalidState: The open amount differs from ``original`` as of ``on`` or as of a
            later date (a payment, credit note or write-off settles part of it then).
    """
    change = history.first_change_from(on, original)
    if change is None:
        return
    when, balance = change
    settled = original - balance
    raise InvalidState(
        f"{what} cannot be voided on {on}: {settled} of it is settled on {when} by "
        "payments, credits or write-offs; issue a credit note instead",
        document_id=history.subject,
    )
