"""A payment applied to open items in another currency, at the payment's stated rate.

A USD payment for EUR invoices cannot be allocated the usual way: an allocation moves
one amount from unapplied cash to AR in one currency. :func:`plan_settlements` converts
at the rate the customer paid at (``rate`` units of the payment currency per unit of the
items' currency) and :func:`post_settlement` posts each settlement through the currency
exchange position account, so the entry still balances per currency::

    Dr unapplied (payment currency, the payment)    paid
    Cr FX position (payment currency)               paid
    Dr FX position (item currency)                  settled
    Cr AR (item currency, the invoice)              settled

The conversion rounds **once over the running total** of the items settled: the payment
part of item *k* is ``convert(open_1 + ... + open_k) - convert(open_1 + ... + open_(k-1))``,
so the parts add up to the converted total exactly and no cent is left unallocated by
accident (DESIGN.md lesson 6). What each part differs from its item at the exact rate
is conversion rounding: the functional valuation (:mod:`o2c.fx.valuation`) puts it on
the FX rounding account, and a rate other than the items were booked at gives a realized
FX gain or loss.

Example: invoices of 100.00 + 100.00 + 100.00 EUR and a payment of 330.00 USD at 1.10:

    >>> import datetime as dt
    >>> from o2c.ids import CustomerId, DocumentId
    >>> from o2c.ledger.items import CreditItem, CreditKind, DocumentKind, OpenItem
    >>> from o2c.money import Money
    >>> day = dt.date(2026, 11, 2)
    >>> items = [OpenItem(DocumentId(f"D{n}"), f"INV-{n}", DocumentKind.INVOICE,
    ...                   CustomerId("C1"), Money.of("1", "EUR").currency, day, day,
    ...                   Money.of("100.00", "EUR"), Money.of("100.00", "EUR"))
    ...          for n in (1, 2, 3)]
    >>> pay = CreditItem("P1", CreditKind.PAYMENT, CustomerId("C1"),
    ...                  Money.of("1", "USD").currency, day, "TRF",
    ...                  Money.of("330.00", "USD"), Money.of("330.00", "USD"))
    >>> [(s.document_id, str(s.settled), str(s.paid))
    ...  for s in plan_settlements(pay, items, rate="1.10", date=day)]
    [('D1', '100.00 EUR', '110.00 USD'), ('D2', '100.00 EUR', '110.00 USD'), ('D3', '100.00 EUR', '110.00 USD')]
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from o2c.errors import InvalidState, ValidationError
from o2c.fx.rates import Quote, convert
from o2c.fx.valuation import DEFAULT_FX_ACCOUNTS, FxAccounts
from o2c.ids import CustomerId, DocumentId, EntryId
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = ["Settlement", "plan_settlements", "post_settlement"]


@attrs.frozen(slots=True)
class Settlement:
    """Part of a payment applied to an item in another currency.

    Attributes:
        source: The payment (or credit) applied.
        customer: Whose.
        document_id: The open item settled.
        number: The item's document number.
        settled: What it settles, in the item's currency (above zero).
        paid: What it takes from the payment, in the payment's currency (above zero).
        quote: The stated rate: item currency into payment currency.
        date: The posting date.
    """

    source: str
    customer: CustomerId
    document_id: DocumentId
    number: str
    settled: Money
    paid: Money
    quote: Quote
    date: dt.date

    def __attrs_post_init__(self) -> None:
        for name, value in (("settled", self.settled), ("paid", self.paid)):
            if not value.is_positive or not value.is_rounded:
                raise ValidationError(name, str(value), "a rounded amount above zero")
        if self.settled.currency != self.quote.base or self.paid.currency != self.quote.quote:
            raise ValidationError(
                "quote",
                f"{self.quote.base.code}/{self.quote.quote.code}",
                f"{self.settled.currency.code}/{self.paid.currency.code}",
            )


def plan_settlements(
    credit: CreditItem,
    open_items: Iterable[OpenItem],
    *,
    rate: object,
    date: dt.date,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> tuple[Settlement, ...]:
    """Plan settling ``open_items``, in the given order, from ``credit`` at ``rate``.

    Each item is settled in full while the credit lasts (the parts rounded over the
    running total, see the module docs); the first item the rest does not cover gets
    the rest converted back at the rate (at most what is open); then the plan stops.
    Whatever is not used stays unapplied on the payment.

    Args:
        credit: The payment's (or credit's) unapplied credit.
        open_items: The items to settle, in order (all in one currency other than the
            credit's, of the credit's customer).
        rate: Units of the credit's currency per unit of the items' currency
            (``"1.10"``: one euro for 1.10 dollars).
        date: The posting date.
        rounding: The book's rounding mode.

    Raises:
        ValidationError: An item of another customer, currency mixes, the same currency
            as the credit (use an ordinary allocation), or a bad rate.
        InvalidState: Nothing is unapplied on the credit.
    """
    items = list(open_items)
    if not items:
        return ()
    currency = items[0].currency
    quote = Quote.stated(currency, credit.currency, rate)
    for item in items:
        if item.customer != credit.customer:
            raise ValidationError("documents", item.number, f"a document of {credit.customer}")
        if item.currency != currency:
            raise ValidationError("documents", item.number, f"a document in {currency.code}")
    if not credit.unapplied.is_positive:
        raise InvalidState(
            f"{credit.source} has nothing unapplied to settle with", document_id=credit.source
        )
    available = credit.unapplied
    converted_before = Money.zero(credit.currency)
    running = Money.zero(currency)
    plan: list[Settlement] = []
    for item in items:
        if not item.open.is_positive:
            continue
        running += item.open
        converted = convert(running, quote, rounding)
        part = converted - converted_before
        if part <= available:
            settled, paid = item.open, part
        else:
            back = convert(available, quote.inverse(), rounding)
            settled, paid = back.min(item.open), available
        if not settled.is_positive or not paid.is_positive:
            break
        plan.append(
            Settlement(
                credit.source,
                credit.customer,
                item.document_id,
                item.number,
                settled,
                paid,
                quote,
                date,
            )
        )
        available -= paid
        converted_before = converted
        if settled != item.open or not available.is_positive:
            break
    return tuple(plan)


def post_settlement(
    settlement: Settlement,
    *,
    entry_id: EntryId,
    open_item: OpenItem,
    credit: CreditItem,
    chart: ChartOfAccounts = DEFAULT_CHART,
    accounts: FxAccounts = DEFAULT_FX_ACCOUNTS,
) -> JournalEntry:
    """The entry of one settlement (see the module docs for its four lines).

    Raises:
        InvalidState: More than is open on the item or unapplied on the credit.
        ValidationError: The item or credit is not the one the settlement names.
    """
    s = settlement
    if open_item.document_id != s.document_id:
        raise ValidationError("open_item", open_item.document_id, s.document_id)
    if credit.source != s.source:
        raise ValidationError("credit", credit.source, s.source)
    if open_item.currency != s.settled.currency or s.settled > open_item.open:
        raise InvalidState(
            f"cannot settle {s.settled} of {open_item.number}: {open_item.open} is open",
            document_id=open_item.document_id,
        )
    if credit.currency != s.paid.currency or s.paid > credit.unapplied:
        raise InvalidState(
            f"cannot take {s.paid} from {credit.source}: {credit.unapplied} is unapplied",
            document_id=open_item.document_id,
        )
    return JournalEntry(
        id=entry_id,
        date=s.date,
        kind=EntryKind.FX_SETTLEMENT,
        source=s.source,
        lines=(
            Posting(chart.unapplied.code, s.paid, s.customer, s.source),
            Posting(accounts.position, -s.paid),
            Posting(accounts.position, s.settled),
            Posting(chart.receivable.code, -s.settled, s.customer, s.document_id),
        ),
        reference=open_item.number,
        memo=(
            f"{s.settled} at {s.quote.rate} {s.paid.currency.code} per "
            f"{s.settled.currency.code} = {s.paid}"
        ),
    )
