"""Prepaid credits (wallets): credit lots a customer holds, drawn down against invoices.

A customer's **wallet** (one per customer and currency) holds **lots** of credit:

* a **paid** lot was bought: with cash received for it, or out of a payment's unapplied
  credit (the payment is then named on the lot);
* a **granted** lot is free (promotional): the book pays for it with an expense.

The rules:

* **Drawdown order** (:func:`drawdown_order`): granted lots before paid ones, then the
  earliest expiry first (a lot without an expiry date last), then the oldest lot, then the
  lot id. Free credit goes first because it costs the customer nothing; of the rest, what
  would expire soonest is used before it is lost.
* A lot **can be used** up to and including its expiry date; :func:`plan_expiry` on a day
  ``as_of`` expires the remaining credit of every lot whose expiry date is before it.
* **Expiry** (:func:`post_expiry`): an expired **granted** lot is simply gone, so the
  promotional cost booked for its unused part is reversed (Dr customer credit, Cr
  promotional credits expense). An expired **paid** lot's remaining credit becomes
  **breakage revenue** on the expiry day (Dr customer credit, Cr breakage): the simple
  IFRS 15 rule "recognise breakage when the customer's right to it lapses", without
  estimating expected breakage in advance.
* A draw never takes more than a lot has remaining, and a lot's remaining amount is its
  amount less its draws and its expiry: never negative.

Every posting keeps the customer credit account (``2150``) equal, per customer and lot
(the posting's ``item``), to the lot's remaining amount.

>>> import datetime as dt
>>> from o2c.money import Money
>>> usd = lambda text: Money.of(text, "USD")
>>> lots = [
...     WalletLot("L1", CustomerId("C1"), LotKind.PAID, usd("100.00"), dt.date(2026, 10, 1)),
...     WalletLot("L2", CustomerId("C1"), LotKind.GRANTED, usd("30.00"), dt.date(2026, 10, 5)),
... ]
>>> [(t.lot_id, str(t.amount)) for t in plan_draw(lots, usd("120.00"), dt.date(2026, 11, 1))]
[('L2', '30.00 USD'), ('L1', '90.00 USD')]
>>> top_up_needed(TopUpRule(threshold=usd("10.00"), amount=usd("50.00")), usd("5.00"))
Money('50.00', 'USD')
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId, EntryId
from o2c.ledger import (
    DEFAULT_CHART,
    ChartOfAccounts,
    EntryKind,
    JournalEntry,
    Posting,
)
from o2c.money import Currency, Money

__all__ = [
    "LotKind",
    "LotTake",
    "TopUpRule",
    "Wallet",
    "WalletDraw",
    "WalletEvent",
    "WalletLot",
    "drawdown_order",
    "plan_draw",
    "plan_expiry",
    "post_draw",
    "post_expiry",
    "post_topup",
    "top_up_needed",
    "wallet_balance",
]


class LotKind(enum.Enum):
    """Where a wallet lot's credit comes from."""

    #: Bought by the customer (cash for credits, or a payment's unapplied credit).
    PAID = "paid"
    #: Free, promotional credit; its cost is an expense.
    GRANTED = "granted"


def _positive(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money) or not value.is_positive or not value.is_rounded:
        raise ValidationError(
            f"wallet.{attribute.name}", str(value), "a positive amount in minor units"
        )


@attrs.frozen(slots=True)
class WalletLot:
    """One lot of prepaid credit in a customer's wallet.

    Attributes:
        id: The lot id; the customer credit postings carry it as their ``item``.
        customer: Whose credit it is.
        kind: Paid or granted.
        amount: The credit put in the lot.
        granted_on: When it was bought or granted.
        expires_on: The last day it can be used (``None``: it never expires).
        remaining: What is left (the amount, when not given).
        payment: The payment whose unapplied credit bought the lot, if any.
    """

    id: str
    customer: CustomerId
    kind: LotKind
    amount: Money = attrs.field(validator=_positive)
    granted_on: dt.date
    expires_on: dt.date | None = None
    remaining: Money = attrs.field(default=attrs.Factory(lambda self: self.amount, takes_self=True))
    payment: str | None = None

    def __attrs_post_init__(self) -> None:
        left = self.remaining
        if left.currency != self.amount.currency or left.is_negative or left > self.amount:
            raise ValidationError("wallet.remaining", str(left), f"0 to {self.amount}")
        if self.expires_on is not None and self.expires_on < self.granted_on:
            raise ValidationError(
                "wallet.expires", self.expires_on.isoformat(), "a date on or after the top-up"
            )

    @property
    def currency(self) -> Currency:
        """The lot's currency."""
        return self.amount.currency

    def usable_on(self, day: dt.date) -> bool:
        """Whether credit of the lot can be drawn on ``day``: something left, granted on
        or before it, and not past its expiry date."""
        return (
            self.remaining.is_positive
            and self.granted_on <= day
            and (self.expires_on is None or day <= self.expires_on)
        )


@attrs.frozen(slots=True)
class LotTake:
    """An amount taken off one lot (a draw or an expiry)."""

    lot_id: str
    kind: LotKind
    amount: Money


@attrs.frozen(slots=True)
class TopUpRule:
    """An automatic top-up: when the balance is below ``threshold``, top up ``amount``.

    Attributes:
        threshold: The balance under which the wallet is topped up.
        amount: What one top-up adds.
        kind: The kind of lot a top-up makes (paid by default).
    """

    threshold: Money
    amount: Money = attrs.field(validator=_positive)
    kind: LotKind = LotKind.PAID

    def __attrs_post_init__(self) -> None:
        if self.threshold.currency != self.amount.currency or self.threshold.is_negative:
            raise ValidationError(
                "wallet.threshold", str(self.threshold), f"0 or more in {self.amount.currency}"
            )


@attrs.frozen(slots=True)
class Wallet:
    """A customer's wallet as of a day: its lots and what is left on them.

    Attributes:
        customer: Whose wallet.
        as_of: The day.
        lots: Every lot granted by then (used up or not), in drawdown order.
    """

    customer: CustomerId
    as_of: dt.date
    lots: tuple[WalletLot, ...]

    @property
    def currencies(self) -> tuple[Currency, ...]:
        """The currencies the wallet holds lots in, by code."""
        return tuple(sorted({lot.currency for lot in self.lots}, key=lambda c: c.code))

    def balance(self, currency: Currency | str, kind: LotKind | None = None) -> Money:
        """What is left in ``currency``, of one kind of lot or of all."""
        cur = Currency.of(currency)
        return wallet_balance((x for x in self.lots if kind is None or x.kind is kind), cur)


@attrs.frozen(slots=True)
class WalletDraw:
    """Wallet credit applied to an invoice.

    Attributes:
        customer: Whose wallet.
        document_id: The invoice (or debit note).
        number: Its number.
        date: The day of the draw.
        takes: What each lot gave, in drawdown order.
        applied: The total applied.
        open: What is still open on the invoice after the draw.
    """

    customer: CustomerId
    document_id: DocumentId
    number: str
    date: dt.date
    takes: tuple[LotTake, ...]
    applied: Money
    open: Money


@attrs.frozen(slots=True)
class WalletEvent:
    """One line of a wallet's history.

    Attributes:
        date: When it happened.
        event: ``topup``, ``draw`` or ``expiry``.
        lot_id: The lot.
        lot_kind: Paid or granted.
        amount: The credit added (top-up) or taken off the lot (draw, expiry).
        document: The invoice number of a draw.
        entry_id: The journal entry that posted it.
    """

    date: dt.date
    event: str
    lot_id: str
    lot_kind: LotKind
    amount: Money
    document: str | None
    entry_id: str


def drawdown_order(lots: Iterable[WalletLot]) -> list[WalletLot]:
    """``lots`` in the order a draw uses them: granted before paid, then the earliest
    expiry (no expiry last), then the oldest, then by id."""
    return sorted(
        lots,
        key=lambda lot: (
            lot.kind is not LotKind.GRANTED,
            lot.expires_on is None,
            lot.expires_on or dt.date.max,
            lot.granted_on,
            lot.id,
        ),
    )


def wallet_balance(lots: Iterable[WalletLot], currency: Currency) -> Money:
    """What is left on ``lots`` in ``currency``."""
    total = Money.zero(currency)
    for lot in lots:
        if lot.currency == currency:
            total = total + lot.remaining
    return total


def plan_draw(lots: Sequence[WalletLot], amount: Money, on: dt.date) -> tuple[LotTake, ...]:
    """What a draw of up to ``amount`` on ``on`` takes off each lot, in drawdown order.

    Only lots in ``amount``'s currency and usable on the day count; when they hold less
    than ``amount``, everything usable is taken (the rest of the invoice stays open).
    """
    if amount.is_negative:
        raise ValidationError("wallet.amount", str(amount), "zero or more")
    need = amount
    takes: list[LotTake] = []
    for lot in drawdown_order(x for x in lots if x.currency == amount.currency):
        if not need.is_positive:
            break
        if not lot.usable_on(on):
            continue
        take = lot.remaining.min(need)
        takes.append(LotTake(lot.id, lot.kind, take))
        need = need - take
    return tuple(takes)


def plan_expiry(lots: Iterable[WalletLot], as_of: dt.date) -> tuple[LotTake, ...]:
    """The remaining credit of every lot whose expiry date is before ``as_of``."""
    return tuple(
        LotTake(lot.id, lot.kind, lot.remaining)
        for lot in drawdown_order(lots)
        if lot.expires_on is not None and lot.expires_on < as_of and lot.remaining.is_positive
    )


def top_up_needed(rule: TopUpRule, balance: Money) -> Money | None:
    """What to top up under ``rule`` when the wallet holds ``balance``: the rule's amount
    when the balance is below its threshold, else ``None``."""
    if balance.currency != rule.amount.currency:
        raise ValidationError(
            "wallet.balance", str(balance), f"an amount in {rule.amount.currency.code}"
        )
    return rule.amount if balance < rule.threshold else None


def post_topup(
    lot: WalletLot, *, entry_id: EntryId, chart: ChartOfAccounts = DEFAULT_CHART
) -> JournalEntry:
    """The entry putting ``lot`` in the wallet: Cr customer credit, and Dr promotional
    credits expense (granted), the payment's unapplied credit (paid out of a payment) or
    cash (paid, cash received for the credits)."""
    if lot.kind is LotKind.GRANTED:
        debit = Posting(chart.promotional.code, lot.amount)
    elif lot.payment is not None:
        debit = Posting(chart.unapplied.code, lot.amount, customer=lot.customer, item=lot.payment)
    else:
        debit = Posting(chart.cash.code, lot.amount)
    return JournalEntry(
        id=entry_id,
        date=lot.granted_on,
        kind=EntryKind.WALLET_TOPUP,
        source=lot.id,
        lines=(
            debit,
            Posting(chart.customer_credit.code, -lot.amount, customer=lot.customer, item=lot.id),
        ),
        reference=lot.payment or "",
        memo=f"wallet {lot.kind.value} credit",
    )


def post_draw(
    takes: Sequence[LotTake],
    *,
    customer: CustomerId,
    document_id: DocumentId,
    number: str,
    entry_id: EntryId,
    date: dt.date,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """The entry applying wallet credit to an invoice: Dr customer credit per lot, Cr AR
    on the invoice (its open amount drops by the total)."""
    if not takes:
        raise ValidationError("wallet.draw", number, "credit to draw")
    total = takes[0].amount
    for take in takes[1:]:
        total = total + take.amount
    lines = [
        Posting(chart.customer_credit.code, t.amount, customer=customer, item=t.lot_id)
        for t in takes
    ]
    lines.append(Posting(chart.receivable.code, -total, customer=customer, item=document_id))
    return JournalEntry(
        id=entry_id,
        date=date,
        kind=EntryKind.WALLET_DRAW,
        source=str(document_id),
        lines=tuple(lines),
        reference=number,
        memo="wallet credit applied",
    )


def post_expiry(
    take: LotTake,
    *,
    customer: CustomerId,
    entry_id: EntryId,
    date: dt.date,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """The entry expiring a lot's remaining credit: Dr customer credit, Cr breakage
    revenue (paid) or promotional credits expense (granted: the cost is reversed)."""
    other = chart.breakage if take.kind is LotKind.PAID else chart.promotional
    return JournalEntry(
        id=entry_id,
        date=date,
        kind=EntryKind.WALLET_EXPIRY,
        source=take.lot_id,
        lines=(
            Posting(chart.customer_credit.code, take.amount, customer=customer, item=take.lot_id),
            Posting(other.code, -take.amount),
        ),
        memo=f"wallet {take.kind.value} credit expired",
    )
