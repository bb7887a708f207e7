"""Functional-currency amounts of the journal, derived, with FX lines where they belong.

The journal keeps every line in its own (document) currency and balances per currency.
A book with a functional currency also needs every line's value in that currency. o2c
derives it (:func:`value_journal`) instead of storing a second amount per line: the
journal is replayed in order with the rate each source was booked at (the document's
rate, kept on the document when it is issued; the payment's rate...), so

* a line in the functional currency is its own value;
* a line that *adds to* an open item (an invoice's receivable, a payment's unapplied
  cash) or touches any other account is valued at its entry's rate, rounded once per
  line to the functional currency's minor unit (:func:`o2c.fx.convert`);
* a line that *settles* part of an open item or credit (an allocation, a write-off, a
  credit note on an invoice) is valued at that item's carrying value: its share of the
  item's functional balance, and exactly the rest of it when it settles the item, so no
  functional cent stays on a settled item;
* a reversal (void, unallocation, returned payment) is the exact negation of the value
  of the entry it reverses.

What keeps an entry from balancing in the functional currency is then split in two named
lines: the **realized FX gain or loss** (the settled lines' value at their item's booked
rate against their value at the entry's rate: zero when the rates agree) and the **FX
rounding** line (everything else: per-line rounding, never more than a few minor units).
Each derived entry balances in the functional currency; a single-currency book's journal
is its own functional journal and needs no derivation at all.

Example: a USD invoice of 100.00 booked at 17.00 MXN, paid with 100.00 USD received at
18.00, in an MXN book:

    >>> import datetime as dt
    >>> from o2c.ids import AccountCode, CustomerId, EntryId
    >>> from o2c.ledger.journal import EntryKind, JournalEntry, Posting
    >>> from o2c.money import Money
    >>> from o2c.fx.rates import Quote
    >>> usd = lambda a: Money.of(a, "USD")
    >>> c = CustomerId("C1")
    >>> entries = [
    ...   JournalEntry(EntryId("E1"), dt.date(2026, 10, 1), EntryKind.INVOICE, "INV1", (
    ...     Posting(AccountCode("1100"), usd("100.00"), c, "INV1"),
    ...     Posting(AccountCode("4000"), usd("-100.00")))),
    ...   JournalEntry(EntryId("E2"), dt.date(2026, 10, 20), EntryKind.PAYMENT, "P1", (
    ...     Posting(AccountCode("1000"), usd("100.00")),
    ...     Posting(AccountCode("2100"), usd("-100.00"), c, "P1"))),
    ...   JournalEntry(EntryId("E3"), dt.date(2026, 10, 20), EntryKind.ALLOCATION, "P1", (
    ...     Posting(AccountCode("2100"), usd("100.00"), c, "P1"),
    ...     Posting(AccountCode("1100"), usd("-100.00"), c, "INV1")))]
    >>> rates = {"INV1": Quote.stated("USD", "MXN", "17.00"),
    ...          "P1": Quote.stated("USD", "MXN", "18.00")}
    >>> valued = value_journal(entries, functional="MXN", rates=rates)
    >>> [(str(line.account), str(line.amount)) for line in valued[2].lines]
    [('2100', '1800.00 MXN'), ('1100', '-1700.00 MXN'), ('7100', '-100.00 MXN')]
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import InvariantViolation, ValidationError
from o2c.fx.rates import Quote, convert
from o2c.ids import AccountCode, CustomerId
from o2c.ledger.journal import JournalEntry, Posting
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding

__all__ = [
    "DEFAULT_FX_ACCOUNTS",
    "FunctionalEntry",
    "FunctionalLine",
    "FxAccounts",
    "LineValue",
    "account_balances",
    "item_balances",
    "value_journal",
]

_ZERO: Final = Decimal(0)
_PRECISION: Final = 60


@attrs.frozen(slots=True)
class FxAccounts:
    """The accounts FX amounts post to (codes; rename them in the chart's names).

    Attributes:
        position: Currency exchange position: the per-currency clearing of a settlement
            in another currency than the item's (the payment's currency out, the item's
            in), so every entry still balances per currency.
        realized_gain: Realized FX gain (revenue).
        realized_loss: Realized FX loss (expense).
        unrealized: Unrealized FX gain and loss of open items revalued at period end.
        rounding: FX rounding: the minor units conversion rounding leaves.
    """

    position: AccountCode = attrs.field(default=AccountCode("1950"))
    realized_gain: AccountCode = attrs.field(default=AccountCode("7100"))
    realized_loss: AccountCode = attrs.field(default=AccountCode("7200"))
    unrealized: AccountCode = attrs.field(default=AccountCode("7300"))
    rounding: AccountCode = attrs.field(default=AccountCode("6950"))

    def names(self) -> dict[str, str]:
        """Default names of the FX accounts by code."""
        return {
            self.position: "Currency exchange position",
            self.realized_gain: "Realized FX gain",
            self.realized_loss: "Realized FX loss",
            self.unrealized: "Unrealized FX gain/loss",
            self.rounding: "FX rounding",
        }


#: The default FX accounts: 1950 position, 7100 gain, 7200 loss, 7300 unrealized,
#: 6950 rounding.
DEFAULT_FX_ACCOUNTS: Final = FxAccounts()


class LineValue:
    """How a functional line was valued (the value of :attr:`FunctionalLine.basis`)."""

    FUNCTIONAL: Final = "functional"
    RATE: Final = "rate"
    CARRYING: Final = "carrying"
    REVERSAL: Final = "reversal"
    FX: Final = "fx"


@attrs.frozen(slots=True)
class FunctionalLine:
    """One journal line valued in the functional currency.

    Attributes:
        account: The account.
        amount: Signed value in the functional currency (debit > 0).
        original: The journal line's own amount; zero in the functional currency for an
            FX line (gain, loss, rounding, revaluation), which exists only in functional.
        customer: The customer of a sub-ledger line.
        item: The open item or credit source of a sub-ledger line.
        basis: How it was valued (:class:`LineValue`).
    """

    account: AccountCode
    amount: Money
    original: Money
    customer: CustomerId | None = None
    item: str | None = None
    basis: str = LineValue.RATE


def _check_balanced(instance: FunctionalEntry, _attribute: object, lines: object) -> None:
    total = _ZERO
    for line in instance.lines:
        if line.amount.currency != instance.functional:
            raise ValidationError("lines", str(line.amount), f"{instance.functional.code} values")
        total += line.amount.amount
    if total:
        raise InvariantViolation(
            f"functional value of entry {instance.entry_id} does not balance: {total}"
        )


@attrs.frozen(slots=True)
class FunctionalEntry:
    """A journal entry (or an FX revaluation) valued in the functional currency.

    Attributes:
        entry_id: The journal entry (or revaluation) id.
        date: Its posting date.
        kind: The journal entry's kind value (``invoice``, ``allocation``...) or
            ``fx_revaluation`` / ``fx_revaluation_reversal``.
        source: What caused it.
        functional: The functional currency.
        lines: The valued lines; they sum to zero.
    """

    entry_id: str
    date: dt.date
    kind: str
    source: str
    functional: Currency
    lines: tuple[FunctionalLine, ...] = attrs.field(validator=_check_balanced)


def _round(value: Decimal, currency: Currency, rounding: Rounding) -> Decimal:
    return Money(value, currency).round(rounding).amount


def _same_rate(booked: Quote | None, quote: Quote) -> bool:
    # Equal rates value every amount alike: no realized difference to compute.
    if booked is quote:
        return True
    if booked is None or booked.base != quote.base:
        return False
    with decimal.localcontext(prec=_PRECISION):
        return booked.numerator * quote.denominator == quote.numerator * booked.denominator


class _Replay:
    """The running functional value of every open item and credit while replaying."""

    def __init__(
        self,
        functional: Currency,
        rates: Mapping[str, Quote],
        subledger: frozenset[str],
        accounts: FxAccounts,
        rounding: Rounding,
        fallback: Callable[[Currency, dt.date], Quote] | None = None,
    ) -> None:
        self.fallback = fallback
        self.functional = functional
        self.rates = rates
        self.subledger = subledger
        self.accounts = accounts
        self.rounding = rounding
        # (account, item, currency) -> [open amount in its currency, functional value]
        self.balances: dict[tuple[str, str, str], list[Decimal]] = {}
        self.valued: dict[str, FunctionalEntry] = {}

    def quote_for(self, entry: JournalEntry, currency: Currency) -> Quote:
        """The entry's rate for ``currency``: its own (entry id, then source), else
        the rate of an item it settles in that currency."""
        for key in (entry.id, entry.source):
            found = self.rates.get(key)
            if found is not None and found.base == currency:
                return found
        for line in entry.lines:
            if line.item is not None and line.currency == currency:
                found = self.rates.get(line.item)
                if found is not None and found.base == currency:
                    return found
        if self.fallback is not None:
            return self.fallback(currency, entry.date)
        raise InvariantViolation(
            f"entry {entry.id} ({entry.kind.value} {entry.source}) posts in "
            f"{currency.code} but no {currency.code}/{self.functional.code} rate is kept for "
            "it; foreign sources get their rate when they post"
        )

    def at(self, money: Money, quote: Quote) -> Decimal:
        return convert(money, quote, self.rounding).amount

    def apply(self, entry: FunctionalEntry) -> None:
        for line in entry.lines:
            if line.item is None or line.account not in self.subledger:
                continue
            key = (line.account, line.item, line.original.currency.code)
            bal = self.balances.setdefault(key, [_ZERO, _ZERO])
            bal[0] += line.original.amount
            bal[1] += line.amount.amount

    def reversal(self, entry: JournalEntry, target: FunctionalEntry) -> FunctionalEntry:
        lines = tuple(
            attrs.evolve(
                line,
                amount=-line.amount,
                original=-line.original,
                basis=LineValue.REVERSAL if line.basis != LineValue.FX else LineValue.FX,
            )
            for line in target.lines
        )
        return FunctionalEntry(
            entry.id, entry.date, entry.kind.value, entry.source, self.functional, lines
        )

    def value(self, entry: JournalEntry) -> FunctionalEntry:
        fun = self.functional
        lines: list[FunctionalLine] = []
        realized = _ZERO
        total = _ZERO
        quotes: dict[Currency, Quote] = {}
        for line in entry.lines:
            cur = line.amount.currency
            if cur == fun:
                value, basis = line.amount.amount, LineValue.FUNCTIONAL
            else:
                quote = quotes.get(cur)
                if quote is None:
                    quote = quotes[cur] = self.quote_for(entry, cur)
                carried = self.carrying(line)
                if carried is None:
                    value, basis = self.at(line.amount, quote), LineValue.RATE
                else:
                    booked = self.rates.get(line.item or "")
                    if not _same_rate(booked, quote):
                        # Settled at another rate than booked: the difference is realized.
                        at_booked = (
                            self.at(line.amount, booked)
                            if booked is not None and booked.base == cur
                            else carried
                        )
                        realized += at_booked - self.at(line.amount, quote)
                    value, basis = carried, LineValue.CARRYING
            total += value
            lines.append(
                FunctionalLine(
                    line.account,
                    Money(value, fun),
                    line.amount,
                    line.customer,
                    line.item,
                    basis,
                )
            )
        rounding = total - realized
        zero = Money.zero(fun)
        if realized:
            account = self.accounts.realized_loss if realized < 0 else self.accounts.realized_gain
            lines.append(FunctionalLine(account, Money(-realized, fun), zero, basis=LineValue.FX))
        if rounding:
            lines.append(
                FunctionalLine(
                    self.accounts.rounding, Money(-rounding, fun), zero, basis=LineValue.FX
                )
            )
        return FunctionalEntry(
            entry.id, entry.date, entry.kind.value, entry.source, fun, tuple(lines)
        )

    def carrying(self, line: Posting) -> Decimal | None:
        """The carrying value of a line that settles (part of) an open sub-ledger
        balance, or None when it adds to one or is on another account."""
        if line.item is None or line.account not in self.subledger:
            return None
        bal = self.balances.get((line.account, line.item, line.amount.currency.code))
        if bal is None or not bal[0]:
            return None
        amount = line.amount.amount
        if (amount > 0) == (bal[0] > 0) or abs(amount) > abs(bal[0]):
            return None
        if amount == -bal[0]:
            return -bal[1]
        with decimal.localcontext(prec=_PRECISION):
            share = bal[1] * amount / bal[0]
        return _round(share, self.functional, self.rounding)


def value_journal(
    entries: Iterable[JournalEntry],
    *,
    functional: str | Currency,
    rates: Mapping[str, Quote],
    receivable: str = "1100",
    unapplied: str = "2100",
    accounts: FxAccounts = DEFAULT_FX_ACCOUNTS,
    rounding: Rounding = DEFAULT_ROUNDING,
    extra: Sequence[FunctionalEntry] = (),
    fallback: Callable[[Currency, dt.date], Quote] | None = None,
) -> tuple[FunctionalEntry, ...]:
    """Value every entry in the functional currency, in journal order.

    Args:
        entries: The journal, in posting order.
        functional: The book's functional currency.
        rates: The rate each foreign source was booked at, by source id (a document, a
            payment) or by entry id (a settlement in another currency), each a quote
            from the source's currency into ``functional``.
        receivable: The AR control account code.
        unapplied: The unapplied cash account code.
        accounts: Where FX differences go.
        rounding: The book's rounding mode.
        extra: Functional-only entries (revaluations and their reversals) to interleave
            by date: on its day, after the day's journal entries, or before them for an
            entry whose kind ends in ``_reversal``.
        fallback: The rate of an entry that has none of its own and settles no rated
            item (a revenue recognition entry: deferred to recognized revenue), by
            currency and date; typically the book's rate table. Without it such an
            entry is an error.

    Returns:
        One :class:`FunctionalEntry` per journal entry (and per ``extra`` entry).

    Raises:
        InvariantViolation: A foreign entry has no rate to value it with.
    """
    fun = Currency.of(functional)
    replay = _Replay(fun, rates, frozenset({receivable, unapplied}), accounts, rounding, fallback)
    pending = sorted(extra, key=lambda e: (e.date, not e.kind.endswith("_reversal")))
    result: list[FunctionalEntry] = []
    at = 0

    def flush(before: dt.date, reversals_only_on: dt.date | None) -> None:
        nonlocal at
        while at < len(pending):
            nxt = pending[at]
            early = nxt.date < before
            same_day_reversal = nxt.date == reversals_only_on and nxt.kind.endswith("_reversal")
            if not (early or same_day_reversal):
                break
            replay.apply(nxt)
            result.append(nxt)
            at += 1

    for entry in entries:
        flush(entry.date, entry.date)
        target = replay.valued.get(entry.reverses) if entry.reverses is not None else None
        valued = replay.reversal(entry, target) if target is not None else replay.value(entry)
        replay.apply(valued)
        replay.valued[entry.id] = valued
        result.append(valued)
    flush(dt.date.max, None)
    return tuple(result)


def account_balances(
    valued: Iterable[FunctionalEntry], as_of: dt.date
) -> dict[tuple[str, str | None], Money]:
    """Functional balance per ``(account, customer)`` as of a date (zeros left out)."""
    sums: dict[tuple[str, str | None], Money] = {}
    for entry in valued:
        if entry.date > as_of:
            continue
        for line in entry.lines:
            key = (str(line.account), line.customer)
            sums[key] = sums[key] + line.amount if key in sums else line.amount
    return {k: v for k, v in sums.items() if not v.is_zero}


def item_balances(
    valued: Iterable[FunctionalEntry], as_of: dt.date, account: str
) -> dict[str, tuple[CustomerId | None, Money, Money]]:
    """Each item's ``(customer, open amount, functional value)`` on ``account`` as of a
    date; items with nothing open in either currency are left out."""
    sums: dict[str, tuple[CustomerId | None, Money, Money]] = {}
    for entry in valued:
        if entry.date > as_of:
            continue
        for line in entry.lines:
            if line.account != account or line.item is None:
                continue
            if line.item in sums:
                cust, doc, fun = sums[line.item]
                if line.original.currency == doc.currency:
                    doc = doc + line.original
                sums[line.item] = (cust, doc, fun + line.amount)
            else:
                sums[line.item] = (line.customer, line.original, line.amount)
    return {k: v for k, v in sums.items() if not (v[1].is_zero and v[2].is_zero)}
