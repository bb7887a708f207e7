"""Invariants of multi-currency valuation (hypothesis): a random book of invoices, payments,
allocations and settlements in USD, EUR and MXN, valued in MXN.

* every journal entry balances per currency and every valued entry in MXN;
* functional balances are the sums of the valued lines, and AR control equals the sum of
  its items' carrying values;
* a settled item (or used-up credit) carries no functional cent;
* every valued line at a rate is the line converted at that rate, rounded once;
* with one rate per currency throughout, no gain or loss appears: every difference is on
  the FX rounding account, a few minor units per entry at most.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.fx import (
    DEFAULT_FX_ACCOUNTS,
    LineValue,
    Quote,
    account_balances,
    convert,
    item_balances,
    plan_settlements,
    post_settlement,
    value_journal,
)
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId, PaymentId
from o2c.ledger.items import CreditItem, CreditKind, DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.ledger.payments import Allocation, Payment, post_allocation, post_payment
from o2c.money import Currency, Money

MXN = Currency.of("MXN")
CURRENCIES = ("USD", "EUR", "MXN")
DAY = dt.date(2026, 10, 1)
C1 = CustomerId("C1")
AR, UNAPPLIED = "1100", "2100"


class Sim:
    """Builds a journal from random steps, tracking open items and credits."""

    def __init__(self, fixed: dict[str, Decimal] | None) -> None:
        self.fixed = fixed
        self.entries: list[JournalEntry] = []
        self.rates: dict[str, Quote] = {}
        self.items: dict[str, Money] = {}
        self.credits: dict[str, Money] = {}
        self.n = 0

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def rate(self, code: str, drawn: Decimal) -> Decimal:
        return self.fixed[code] if self.fixed is not None else drawn

    def invoice(self, code: str, cents: int, rate: Decimal) -> None:
        doc = self.next_id("D")
        amount = Money.from_minor(cents, code)
        if code != "MXN":
            self.rates[doc] = Quote.stated(code, MXN, self.rate(code, rate))
        self.entries.append(
            JournalEntry(
                EntryId(self.next_id("E")),
                DAY,
                EntryKind.INVOICE,
                doc,
                (
                    Posting(AccountCode(AR), amount, C1, doc),
                    Posting(AccountCode("4000"), -amount),
                ),
            )
        )
        self.items[doc] = amount

    def payment(self, code: str, cents: int, rate: Decimal) -> None:
        pid = self.next_id("P")
        amount = Money.from_minor(cents, code)
        if code != "MXN":
            self.rates[pid] = Quote.stated(code, MXN, self.rate(code, rate))
        pay = Payment(PaymentId(pid), C1, DAY, amount)
        self.entries.append(post_payment(pay, entry_id=EntryId(self.next_id("E"))))
        self.credits[pid] = amount

    def _open(self, doc: str) -> OpenItem:
        amount = self.items[doc]
        return OpenItem(
            DocumentId(doc),
            doc,
            DocumentKind.INVOICE,
            C1,
            amount.currency,
            DAY,
            DAY,
            amount,
            amount,
        )

    def _credit(self, pid: str) -> CreditItem:
        amount = self.credits[pid]
        return CreditItem(pid, CreditKind.PAYMENT, C1, amount.currency, DAY, pid, amount, amount)

    def apply(self, pick_credit: int, pick_item: int, rate: Decimal, part: int) -> None:
        credits = [p for p, m in self.credits.items() if m.is_positive]
        items = [d for d, m in self.items.items() if m.is_positive]
        if not credits or not items:
            return
        pid = credits[pick_credit % len(credits)]
        doc = items[pick_item % len(items)]
        credit, item = self._credit(pid), self._open(doc)
        if credit.currency == item.currency:
            amount = Money.from_minor(
                max(1, min(credit.unapplied, item.open).minor_units * part // 4), credit.currency
            )
            entry = post_allocation(
                Allocation(pid, C1, DocumentId(doc), amount, DAY),
                entry_id=EntryId(self.next_id("E")),
                open_item=item,
                credit=credit,
            )
            self.entries.append(entry)
            self.items[doc] -= amount
            self.credits[pid] -= amount
            return
        stated = rate
        if self.fixed is not None:
            # The rates are chosen so that both cross rates are exact (16 / 20, 20 / 16).
            ratio = self.fixed[item.currency.code] / self.fixed[credit.currency.code]
            stated = ratio.quantize(Decimal("1e-12")).normalize()
        for s in plan_settlements(credit, [item], rate=stated, date=DAY):
            eid = self.next_id("E")
            self.entries.append(
                post_settlement(s, entry_id=EntryId(eid), open_item=item, credit=credit)
            )
            if item.currency != MXN:
                if credit.currency == MXN:
                    self.rates[eid] = s.quote
                else:
                    paying = self.rates[pid]
                    self.rates[eid] = Quote(
                        item.currency,
                        MXN,
                        s.quote.numerator * paying.numerator,
                        s.quote.denominator * paying.denominator,
                    )
            self.items[doc] -= s.settled
            self.credits[pid] -= s.paid


rates = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("25"), places=4)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("invoice"),
            st.sampled_from(CURRENCIES),
            st.integers(1, 10**7),
            rates,
        ),
        st.tuples(
            st.just("payment"),
            st.sampled_from(CURRENCIES),
            st.integers(1, 10**7),
            rates,
        ),
        st.tuples(st.just("apply"), st.integers(0, 9), st.integers(0, 9), rates, st.integers(1, 4)),
    ),
    min_size=1,
    max_size=25,
)


def _run(sim: Sim, ops: list[tuple[object, ...]]) -> None:
    for op in ops:
        if op[0] == "invoice":
            sim.invoice(str(op[1]), int(str(op[2])), Decimal(str(op[3])))
        elif op[0] == "payment":
            sim.payment(str(op[1]), int(str(op[2])), Decimal(str(op[3])))
        else:
            sim.apply(int(str(op[1])), int(str(op[2])), Decimal(str(op[3])), int(str(op[4])))


def _check_common(sim: Sim) -> None:
    valued = value_journal(sim.entries, functional=MXN, rates=sim.rates)
    assert len(valued) == len(sim.entries)
    # Entries balance per currency (JournalEntry checks on construction) and in MXN
    # (FunctionalEntry does too); balances are the sums of the valued lines.
    balances = account_balances(valued, DAY)
    assert sum((m.amount for m in balances.values()), Decimal(0)) == 0
    for account in (AR, UNAPPLIED):
        items = item_balances(valued, DAY, account)
        total = sum((v.amount for _c, _d, v in items.values()), Decimal(0))
        assert balances.get((account, "C1"), Money.zero(MXN)).amount == total
        for _customer, open_amount, value in items.values():
            if open_amount.is_zero:
                assert value.is_zero, "a settled item keeps a functional cent"
            if open_amount.currency == MXN:
                assert value == open_amount
    for entry, source in zip(valued, sim.entries, strict=True):
        for line, posting in zip(entry.lines, source.lines, strict=False):
            assert line.original == posting.amount
            if line.basis == LineValue.RATE and source.kind is not EntryKind.FX_SETTLEMENT:
                quote = sim.rates[source.source]
                assert line.amount == convert(posting.amount, quote)


@given(steps)
def test_functional_values_balance_and_settled_items_keep_no_cent(
    ops: list[tuple[object, ...]],
) -> None:
    sim = Sim(None)
    _run(sim, ops)
    _check_common(sim)


@given(steps, st.sampled_from([("16", "20"), ("0.05", "1.25"), ("2", "0.5")]))
def test_with_one_rate_per_currency_every_difference_is_fx_rounding(
    ops: list[tuple[object, ...]], pair: tuple[str, str]
) -> None:
    usd, eur = pair
    sim = Sim({"USD": Decimal(usd), "EUR": Decimal(eur), "MXN": Decimal(1)})
    _run(sim, ops)
    _check_common(sim)
    valued = value_journal(sim.entries, functional=MXN, rates=sim.rates)
    fx = DEFAULT_FX_ACCOUNTS
    for entry in valued:
        for line in entry.lines:
            assert line.account not in (fx.realized_gain, fx.realized_loss)
            if line.account == fx.rounding:
                # A few minor units per entry: one half unit per rounded line at most.
                assert abs(line.amount.minor_units) <= len(entry.lines)
