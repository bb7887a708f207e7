"""Unrealized FX: open foreign balances revalued at a month-end rate, reversed next month.

At period end (SAT, IFRS IAS 21, US GAAP ASC 830) monetary items in a foreign currency are
restated at the closing rate: each open AR item, each unapplied credit and each foreign
cash balance gets the difference between its value at the ``as_of`` rate and its
carrying value, against the unrealized FX account. The revaluation exists only in the
functional currency and is reversed on the first day of the next month, so a later
settlement realizes against the rate the item was booked at.

The currency exchange position is not revalued: its two legs are the sides of a
conversion already valued at its rate, no currency is held there.

Example: a USD invoice of 100.00 booked at 17.00 MXN, revalued at 18.50:

    >>> import datetime as dt
    >>> from o2c.fx.rates import Quote
    >>> from o2c.fx.valuation import FunctionalEntry, FunctionalLine
    >>> from o2c.ids import AccountCode, CustomerId
    >>> from o2c.money import Currency, Money
    >>> mxn = Currency.of("MXN")
    >>> booked = FunctionalEntry("E1", dt.date(2026, 10, 1), "invoice", "INV1", mxn, (
    ...     FunctionalLine(AccountCode("1100"), Money.of("1700.00", mxn),
    ...                    Money.of("100.00", "USD"), CustomerId("C1"), "INV1"),
    ...     FunctionalLine(AccountCode("4000"), Money.of("-1700.00", mxn),
    ...                    Money.of("-100.00", "USD"))))
    >>> lines = revaluation_lines([booked], dt.date(2026, 10, 31), functional=mxn,
    ...     quote=lambda cur: Quote.stated(cur, mxn, "18.50"))
    >>> [(str(r.account), str(r.open), str(r.adjustment)) for r in lines]
    [('1100', '100.00 USD', '150.00 MXN')]
    >>> entry, back = revaluation_entries("FXR-1", dt.date(2026, 10, 31), lines,
    ...                                  functional=mxn)
    >>> [str(line.amount) for line in entry.lines], back.date.isoformat()
    (['150.00 MXN', '-150.00 MXN'], '2026-11-01')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.fx.rates import Quote, convert
from o2c.fx.valuation import (
    DEFAULT_FX_ACCOUNTS,
    FunctionalEntry,
    FunctionalLine,
    FxAccounts,
    LineValue,
    item_balances,
)
from o2c.ids import AccountCode, CustomerId
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding

__all__ = [
    "REVALUATION",
    "REVALUATION_REVERSAL",
    "RevaluationLine",
    "first_of_next_month",
    "revaluation_entries",
    "revaluation_lines",
]

#: The kind of a revaluation entry and of its reversal.
REVALUATION: Final = "fx_revaluation"
REVALUATION_REVERSAL: Final = "fx_revaluation_reversal"


@attrs.frozen(slots=True)
class RevaluationLine:
    """One foreign balance restated.

    Attributes:
        account: AR control, unapplied cash or cash.
        customer: Whose (sub-ledger accounts).
        item: The open item or credit (sub-ledger accounts).
        open: The balance in its own currency.
        rate: The ``as_of`` rate into the functional currency (for display).
        adjustment: What its functional value changes by (signed, rounded).
    """

    account: AccountCode
    customer: CustomerId | None
    item: str | None
    open: Money
    rate: Decimal
    adjustment: Money


def first_of_next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s: when a revaluation reverses."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def revaluation_lines(
    valued: Iterable[FunctionalEntry],
    as_of: dt.date,
    *,
    functional: Currency,
    quote: Callable[[Currency], Quote],
    receivable: str = "1100",
    unapplied: str = "2100",
    cash: str = "1000",
    rounding: Rounding = DEFAULT_ROUNDING,
) -> tuple[RevaluationLine, ...]:
    """The foreign balances whose value at the ``as_of`` rate differs from their
    carrying value (in the valued journal as of ``as_of``).

    Args:
        valued: The journal valued in ``functional`` (with earlier revaluations).
        as_of: The revaluation date.
        functional: The functional currency.
        quote: The ``as_of`` rate of a currency into ``functional``.
        receivable: AR control.
        unapplied: Unapplied cash.
        cash: Cash and bank.
        rounding: The book's rounding mode.

    Raises:
        RateMissing: From ``quote``, for a currency without a rate.
    """
    entries = [e for e in valued if e.date <= as_of]
    found: list[RevaluationLine] = []
    for account in (receivable, unapplied):
        for item, (customer, doc, value) in sorted(item_balances(entries, as_of, account).items()):
            if doc.currency == functional or doc.is_zero:
                continue
            q = quote(doc.currency)
            adjustment = convert(doc, q, rounding) - value
            if not adjustment.is_zero:
                found.append(
                    RevaluationLine(AccountCode(account), customer, item, doc, q.rate, adjustment)
                )
    pooled: dict[str, list[Money]] = {}
    for entry in entries:
        for line in entry.lines:
            if line.account != cash or line.original.currency == functional:
                continue
            code = line.original.currency.code
            if code in pooled:
                pooled[code][0] += line.original
                pooled[code][1] += line.amount
            else:
                pooled[code] = [line.original, line.amount]
    for _code, (doc, value) in sorted(pooled.items()):
        if doc.is_zero and value.is_zero:
            continue
        q = quote(doc.currency)
        adjustment = convert(doc, q, rounding) - value
        if not adjustment.is_zero:
            found.append(RevaluationLine(AccountCode(cash), None, None, doc, q.rate, adjustment))
    return tuple(found)


def revaluation_entries(
    revaluation_id: str,
    as_of: dt.date,
    lines: Sequence[RevaluationLine],
    *,
    functional: Currency,
    accounts: FxAccounts = DEFAULT_FX_ACCOUNTS,
) -> tuple[FunctionalEntry, FunctionalEntry]:
    """The revaluation (dated ``as_of``) and its reversal (the first of the next month);
    the balancing line is on the unrealized FX account."""
    valued = [
        FunctionalLine(
            r.account,
            r.adjustment,
            Money.zero(r.open.currency),
            r.customer,
            r.item,
            LineValue.FX,
        )
        for r in lines
    ]
    total = sum((r.adjustment.amount for r in lines), Decimal(0))
    if total:
        valued.append(
            FunctionalLine(
                accounts.unrealized,
                Money(-total, functional),
                Money.zero(functional),
                basis=LineValue.FX,
            )
        )
    entry = FunctionalEntry(
        revaluation_id, as_of, REVALUATION, revaluation_id, functional, tuple(valued)
    )
    back = FunctionalEntry(
        f"{revaluation_id}-R",
        first_of_next_month(as_of),
        REVALUATION_REVERSAL,
        revaluation_id,
        functional,
        tuple(attrs.evolve(line, amount=-line.amount) for line in valued),
    )
    return entry, back
