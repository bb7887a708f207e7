"""The FX ledger as a state machine: invoices and payments in USD, EUR and MXN, same-currency
allocations, settlements in another currency, write-offs, reversals and month-end
revaluations over several months, valued in MXN; after every step:

* the journal has no problem (:func:`o2c.ledger.validate_journal`) and every entry
  balances per currency; every valued entry balances in MXN;
* AR control and unapplied cash in MXN equal the sums of their items' carrying values;
* a settled item or used-up credit carries no functional cent;
* on a revaluation date every open foreign item is worth its open amount at that rate,
  and from the next day on it carries its booked value again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from o2c.fx import (
    FunctionalEntry,
    Quote,
    account_balances,
    convert,
    first_of_next_month,
    item_balances,
    plan_settlements,
    post_settlement,
    revaluation_entries,
    revaluation_lines,
    value_journal,
)
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId, PaymentId, WriteOffId
from o2c.ledger import (
    Allocation,
    CreditItem,
    CreditKind,
    DocumentKind,
    JournalEntry,
    OpenItem,
    Payment,
    Posting,
    WriteOff,
    WriteOffReason,
    post_allocation,
    post_payment,
    post_write_off,
    validate_journal,
)
from o2c.ledger.journal import EntryKind, reverse_entry
from o2c.money import Currency, Money

MXN = Currency.of("MXN")
C1 = CustomerId("C1")
RATES = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("25"), places=4)
CODES = st.sampled_from(("USD", "EUR", "MXN"))


class FxLedger(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.today = dt.date(2026, 10, 1)
        self.entries: list[JournalEntry] = []
        self.extra: list[FunctionalEntry] = []
        self.rates: dict[str, Quote] = {}
        self.items: dict[str, Money] = {}
        self.original: dict[str, Money] = {}
        self.credits: dict[str, Money] = {}
        self.undoable: list[tuple[JournalEntry, str, str, Money, Money]] = []
        self.revalued: tuple[dt.date, dict[str, Quote]] | None = None
        self.n = 0

    def _id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def _valued(self) -> tuple[FunctionalEntry, ...]:
        return value_journal(self.entries, functional=MXN, rates=self.rates, extra=self.extra)

    def _open(self, doc: str) -> OpenItem:
        m = self.items[doc]
        return OpenItem(
            DocumentId(doc), doc, DocumentKind.INVOICE, C1, m.currency, self.today, self.today, m, m
        )

    def _credit(self, pid: str) -> CreditItem:
        m = self.credits[pid]
        return CreditItem(pid, CreditKind.PAYMENT, C1, m.currency, self.today, pid, m, m)

    @rule(code=CODES, cents=st.integers(1, 10**7), rate=RATES)
    def invoice(self, code: str, cents: int, rate: Decimal) -> None:
        doc, amount = self._id("D"), Money.from_minor(cents, code)
        if code != "MXN":
            self.rates[doc] = Quote.stated(code, MXN, rate)
        lines = (
            Posting(AccountCode("1100"), amount, C1, doc),
            Posting(AccountCode("4000"), -amount),
        )
        self.entries.append(
            JournalEntry(EntryId(self._id("E")), self.today, EntryKind.INVOICE, doc, lines)
        )
        self.items[doc] = amount
        self.original[doc] = amount

    @rule(code=CODES, cents=st.integers(1, 10**7), rate=RATES)
    def payment(self, code: str, cents: int, rate: Decimal) -> None:
        pid, amount = self._id("P"), Money.from_minor(cents, code)
        if code != "MXN":
            self.rates[pid] = Quote.stated(code, MXN, rate)
        pay = Payment(PaymentId(pid), C1, self.today, amount)
        self.entries.append(post_payment(pay, entry_id=EntryId(self._id("E"))))
        self.credits[pid] = amount
        self.original[pid] = amount

    @rule(pick=st.integers(0, 50), other=st.integers(0, 50), rate=RATES, part=st.integers(1, 4))
    def apply(self, pick: int, other: int, rate: Decimal, part: int) -> None:
        credits = [p for p, m in self.credits.items() if m.is_positive]
        items = [d for d, m in self.items.items() if m.is_positive]
        if not credits or not items:
            return
        pid, doc = credits[pick % len(credits)], items[other % len(items)]
        credit, item = self._credit(pid), self._open(doc)
        eid = self._id("E")
        if credit.currency == item.currency:
            units = max(1, min(credit.unapplied, item.open).minor_units * part // 4)
            amount = Money.from_minor(units, credit.currency)
            entry = post_allocation(
                Allocation(pid, C1, DocumentId(doc), amount, self.today),
                entry_id=EntryId(eid),
                open_item=item,
                credit=credit,
            )
            self._post(entry, pid, doc, amount, amount)
            return
        for s in plan_settlements(credit, [item], rate=rate, date=self.today):
            entry = post_settlement(s, entry_id=EntryId(eid), open_item=item, credit=credit)
            if item.currency != MXN:
                paying = self.rates.get(pid)
                self.rates[eid] = (
                    s.quote
                    if paying is None
                    else Quote(
                        item.currency,
                        MXN,
                        s.quote.numerator * paying.numerator,
                        s.quote.denominator * paying.denominator,
                    )
                )
            self._post(entry, pid, doc, s.paid, s.settled)

    def _post(self, entry: JournalEntry, pid: str, doc: str, paid: Money, settled: Money) -> None:
        self.entries.append(entry)
        self.credits[pid] -= paid
        self.items[doc] -= settled
        self.undoable.append((entry, pid, doc, paid, settled))

    @rule()
    def undo_last_application(self) -> None:
        if not self.undoable:
            return
        entry, pid, doc, paid, settled = self.undoable.pop()
        back = reverse_entry(entry, entry_id=EntryId(self._id("E")), date=self.today)
        self.entries.append(back)
        self.credits[pid] += paid
        self.items[doc] += settled
        # Later applications of the same item or credit would be undone first in a real
        # book; here only the last one is undoable at any time.
        self.undoable = [u for u in self.undoable if u[1] != pid and u[2] != doc]

    @rule(pick=st.integers(0, 50), part=st.integers(1, 4))
    def write_off(self, pick: int, part: int) -> None:
        items = [d for d, m in self.items.items() if m.is_positive]
        if not items:
            return
        doc = items[pick % len(items)]
        item = self._open(doc)
        amount = Money.from_minor(max(1, item.open.minor_units * part // 4), item.currency)
        w = WriteOff(
            WriteOffId(self._id("W")),
            C1,
            DocumentId(doc),
            amount,
            date=self.today,
            reason=WriteOffReason.UNCOLLECTIBLE,
            requested_by="sam",
        )
        self.entries.append(post_write_off(w, entry_id=EntryId(self._id("E")), open_item=item))
        self.items[doc] -= amount
        self.undoable = [u for u in self.undoable if u[2] != doc]

    @rule(days=st.integers(1, 40))
    def advance(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @rule(usd=RATES, eur=RATES)
    def revalue(self, usd: Decimal, eur: Decimal) -> None:
        as_of = first_of_next_month(self.today) - dt.timedelta(days=1)
        quotes = {"USD": Quote.stated("USD", MXN, usd), "EUR": Quote.stated("EUR", MXN, eur)}
        lines = revaluation_lines(
            self._valued(), as_of, functional=MXN, quote=lambda c: quotes[c.code]
        )
        self.extra.extend(revaluation_entries(f"R{as_of}", as_of, lines, functional=MXN))
        self.revalued = (as_of, quotes)
        self.today = as_of + dt.timedelta(days=1)

    @invariant()
    def the_journal_is_sound(self) -> None:
        assert validate_journal(self.entries) == ()

    @invariant()
    def functional_balances_are_the_items_carrying_values(self) -> None:
        valued = self._valued()
        for day in (self.today, dt.date.max):
            balances = account_balances(valued, day)
            assert sum((m.amount for m in balances.values()), Decimal(0)) == 0
            for account in ("1100", "2100"):
                items = item_balances(valued, day, account)
                total = sum((v.amount for _c, _d, v in items.values()), Decimal(0))
                assert balances.get((account, "C1"), Money.zero(MXN)).amount == total
                for _customer, open_amount, value in items.values():
                    assert not (open_amount.is_zero and not value.is_zero)

    @invariant()
    def a_revaluation_restates_open_foreign_items_for_its_day_only(self) -> None:
        if self.revalued is None:
            return
        as_of, quotes = self.revalued
        valued = self._valued()
        for account in ("1100", "2100"):
            on_day = item_balances(valued, as_of, account)
            after = item_balances(valued, dt.date.max, account)
            for item, (_c, open_amount, value) in on_day.items():
                if open_amount.currency == MXN or open_amount.is_zero:
                    continue
                assert value == convert(open_amount, quotes[open_amount.currency.code])
                # Untouched since it was booked: back at its booked value after the reversal.
                untouched = self.original.get(item) == open_amount
                if untouched and item in after and after[item][1] == open_amount:
                    assert after[item][2] == convert(open_amount, self.rates[item])


FxLedger.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_fx_ledger = FxLedger.TestCase
