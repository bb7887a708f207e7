"""Random sequences of ledger events keep DESIGN.md invariants 1-4 and 10 after every step.

The machine issues invoices, credit notes (against invoices and standalone), payments,
allocations (oldest first and explicit, including attempts beyond the limits), unallocations,
refunds, write-offs (of open items and of small credits), debit notes and voids, and after
every step checks:

1. every entry balances per currency and the trial balance sums to zero;
2. AR control == sum of customer sub-ledgers == sum of open items (and the aging total),
   today and at the past dates of the snapshots;
3. money is conserved: cash equals payments received minus refunds paid; every open item
   and credit holds exactly what a model kept beside the journal says (each allocation
   takes from a credit what it gives an item, a credit note's rest becomes credit, an
   oldest-first plan applies exactly what can be applied); every statement's opening
   plus its lines equals its closing, which is the customer's net balance;
4. nothing is open, unapplied or allocated below zero or beyond its original amount, and
   over-limit commands, a second unallocation of the same allocation and a second void of
   the same document are refused without posting anything;
10. every view as of a past date is unchanged by the events added after it.

Back-dated commands (issue 25) allocate, credit, write off, refund and void on a past
date; each limit must hold at the command's date and at every later date, so the machine
decides from its own scan of the views at every later date whether the command may pass,
and checks the ledger's answer against it: nothing is ever over-allocated or
over-credited as of any date, and the ledger still balances.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from o2c.errors import InvalidState
from o2c.ids import CustomerId, DocumentId, EntryId, PaymentId, RefundId, WriteOffId
from o2c.ledger import (
    DEFAULT_CHART,
    Allocation,
    CreditItem,
    CreditWriteOff,
    DocumentKind,
    DocumentPosting,
    JournalEntry,
    OpenItem,
    Payment,
    Refund,
    RevenueAmount,
    TaxAmount,
    WithholdingAmount,
    WriteOff,
    WriteOffReason,
    aging_report,
    allocate_oldest_first,
    allocations,
    approve_refund,
    check_take,
    check_untouched,
    credit_history,
    credit_items,
    customer_balances,
    item_history,
    mark_refund_paid,
    open_from,
    open_items,
    post_allocation,
    post_credit_write_off,
    post_document,
    post_payment,
    post_refund,
    post_unallocation,
    post_void,
    post_write_off,
    reconcile,
    statement,
    trial_balance,
    validate_journal,
)
from o2c.ledger.items import correctable_open
from o2c.ledger.writeoffs import write_off_amount
from o2c.money import Currency, Money, sum_money

CUSTOMERS = ("C1", "C2")
CURRENCIES = ("USD", "JPY")
START = dt.date(2026, 1, 1)


def _m(units: int, currency: str) -> Money:
    return Money.from_minor(units, currency)


class LedgerMachine(RuleBasedStateMachine):
    """A journal grown by random events, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[JournalEntry] = []
        self.today = START
        self.seq = 0
        self.invoices: dict[str, tuple[str, str, int]] = {}  # id -> customer, currency, due
        self.credited: dict[str, int] = {}
        self.voided: set[str] = set()
        self.received: dict[str, int] = dict.fromkeys(CURRENCIES, 0)
        self.refunded: dict[str, int] = dict.fromkeys(CURRENCIES, 0)
        self.snapshots: list[tuple[dt.date, Any]] = []
        # The model: minor units still open per document and unapplied per credit source,
        # kept by hand from what each rule did, never read back from the journal.
        self.owed: dict[str, int] = {}
        self.held: dict[str, int] = {}
        self.cache: dict[tuple[str, int, dt.date], Any] = {}

    # -- helpers -------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self.seq += 1
        return f"{prefix}{self.seq}"

    def _post(self, entry: JournalEntry) -> None:
        self.entries.append(entry)

    def _cached(self, name: str, compute: Any) -> Any:
        # Preconditions ask for the same derived state many times per step.
        key = (name, len(self.entries), self.today)
        if key not in self.cache:
            self.cache = {k: v for k, v in self.cache.items() if k[1:] == key[1:]}
            self.cache[key] = compute()
        return self.cache[key]

    def _items(self, include_settled: bool = False) -> list[OpenItem]:
        return list(
            self._cached(
                f"items{include_settled}",
                lambda: open_items(self.entries, self.today, include_settled=include_settled),
            )
        )

    def _credits(self) -> list[CreditItem]:
        return list(self._cached("credits", lambda: credit_items(self.entries, self.today)))

    def _views(self, as_of: dt.date) -> Any:
        return (
            open_items(self.entries, as_of, include_settled=True),
            credit_items(self.entries, as_of, include_used=True),
            customer_balances(self.entries, as_of),
            aging_report(self.entries, as_of),
            trial_balance(self.entries, as_of),
            allocations(self.entries, as_of),
            statement(self.entries, CustomerId("C1"), "USD", START, as_of),
            reconcile(self.entries, as_of),
        )

    def _refused(self, call: Any) -> None:
        before = len(self.entries)
        try:
            call()
        except InvalidState:
            pass
        else:  # pragma: no cover - a failure of the rule under test
            raise AssertionError("an over-limit command was accepted")
        assert len(self.entries) == before

    # -- rules ---------------------------------------------------------------------

    @rule(days=st.integers(1, 45))
    def advance(self, days: int) -> None:
        self.snapshots.append((self.today, self._views(self.today)))
        self.snapshots = self.snapshots[-3:]
        self.today += dt.timedelta(days=days)

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        currency=st.sampled_from(CURRENCIES),
        net=st.integers(0, 50_000),
        tax=st.integers(0, 8_000),
        withheld=st.integers(0, 5_000),
        terms=st.sampled_from([0, 15, 30, 60]),
    )
    def invoice(
        self, customer: str, currency: str, net: int, tax: int, withheld: int, terms: int
    ) -> None:
        withheld = min(withheld, net + tax)
        doc_id = self._id("D")
        doc = DocumentPosting(
            document_id=DocumentId(doc_id),
            number=f"INV-{doc_id}",
            kind=DocumentKind.INVOICE,
            customer=CustomerId(customer),
            date=self.today,
            due_date=self.today + dt.timedelta(days=terms),
            currency=Currency.of(currency),
            revenue=(RevenueAmount(_m(net, currency), item_class="SAAS"),),
            taxes=(TaxAmount("VAT", _m(tax, currency)),),
            withholdings=(WithholdingAmount("WHT", _m(withheld, currency)),),
            receivable=_m(net + tax - withheld, currency),
        )
        self._post(post_document(doc, entry_id=EntryId(self._id("E"))))
        self.invoices[doc_id] = (customer, currency, net)
        self.credited[doc_id] = 0
        self.owed[doc_id] = net + tax - withheld

    @precondition(lambda self: any(n > self.credited[d] for d, (_, _, n) in self.invoices.items()))
    @rule(data=st.data())
    def credit_note(self, data: st.DataObject) -> None:
        choices = sorted(d for d, (_, _, n) in self.invoices.items() if n > self.credited[d])
        doc_id = data.draw(st.sampled_from(choices))
        customer, currency, net = self.invoices[doc_id]
        amount = data.draw(st.integers(1, net - self.credited[doc_id]))
        item = next(i for i in self._items(True) if i.document_id == doc_id)
        cn_id = self._id("CN")
        doc = DocumentPosting(
            document_id=DocumentId(cn_id),
            number=f"CN-{cn_id}",
            kind=DocumentKind.CREDIT_NOTE,
            customer=CustomerId(customer),
            date=self.today,
            due_date=self.today,
            currency=Currency.of(currency),
            revenue=(RevenueAmount(_m(amount, currency), item_class="SAAS"),),
            receivable=_m(amount, currency),
            corrects=DocumentId(doc_id),
        )
        self._post(post_document(doc, entry_id=EntryId(self._id("E")), corrected_open=item.open))
        self.credited[doc_id] += amount
        to_invoice = min(amount, self.owed[doc_id])
        self.owed[doc_id] -= to_invoice
        if amount > to_invoice:
            self.held[cn_id] = amount - to_invoice

    @precondition(lambda self: bool(self.invoices))
    @rule(data=st.data(), amount=st.integers(0, 20_000), terms=st.sampled_from([0, 30]))
    def debit_note(self, data: st.DataObject, amount: int, terms: int) -> None:
        doc_id = data.draw(st.sampled_from(sorted(self.invoices)))
        customer, currency, _ = self.invoices[doc_id]
        dn_id = self._id("DN")
        doc = DocumentPosting(
            document_id=DocumentId(dn_id),
            number=f"DN-{dn_id}",
            kind=DocumentKind.DEBIT_NOTE,
            customer=CustomerId(customer),
            date=self.today,
            due_date=self.today + dt.timedelta(days=terms),
            currency=Currency.of(currency),
            revenue=(RevenueAmount(_m(amount, currency), item_class="SAAS"),),
            receivable=_m(amount, currency),
            corrects=DocumentId(doc_id),
        )
        self._post(post_document(doc, entry_id=EntryId(self._id("E"))))
        self.invoices[dn_id] = (customer, currency, amount)
        self.credited[dn_id] = 0
        self.owed[dn_id] = amount

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        currency=st.sampled_from(CURRENCIES),
        amount=st.integers(1, 20_000),
    )
    def goodwill_credit_note(self, customer: str, currency: str, amount: int) -> None:
        cn_id = self._id("CN")
        doc = DocumentPosting(
            document_id=DocumentId(cn_id),
            number=f"CN-{cn_id}",
            kind=DocumentKind.CREDIT_NOTE,
            customer=CustomerId(customer),
            date=self.today,
            due_date=self.today,
            currency=Currency.of(currency),
            revenue=(RevenueAmount(_m(amount, currency), item_class="SAAS"),),
            receivable=_m(amount, currency),
        )
        self._post(post_document(doc, entry_id=EntryId(self._id("E"))))
        self.held[cn_id] = amount

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        currency=st.sampled_from(CURRENCIES),
        amount=st.integers(1, 80_000),
    )
    def payment(self, customer: str, currency: str, amount: int) -> None:
        pay = Payment(
            PaymentId(self._id("P")), CustomerId(customer), self.today, _m(amount, currency)
        )
        self._post(post_payment(pay, entry_id=EntryId(self._id("E"))))
        self.received[currency] += amount
        self.held[pay.id] = amount

    @precondition(lambda self: bool(self._credits()))
    @rule(data=st.data())
    def allocate_oldest_first(self, data: st.DataObject) -> None:
        credit = data.draw(st.sampled_from(self._credits()))
        plan = allocate_oldest_first(credit, self._items(), date=self.today)
        owed = sum(
            i.open.minor_units
            for i in self._items()
            if i.customer == credit.customer and i.currency == credit.currency
        )
        # The plan applies all it can, no more: the credit or the customer's items run out.
        assert sum(a.amount.minor_units for a in plan) == min(credit.unapplied.minor_units, owed)
        for alloc in plan:
            item = next(i for i in self._items() if i.document_id == alloc.document_id)
            current = next(c for c in self._credits() if c.source == credit.source)
            self._post(
                post_allocation(
                    alloc, entry_id=EntryId(self._id("E")), open_item=item, credit=current
                )
            )
            self._apply(alloc.source, alloc.document_id, alloc.amount.minor_units)

    @precondition(lambda self: bool(self._credits()) and bool(self._items()))
    @rule(data=st.data())
    def allocate_explicitly(self, data: st.DataObject) -> None:
        credit = data.draw(st.sampled_from(self._credits()))
        items = [
            i
            for i in self._items()
            if i.customer == credit.customer and i.currency == credit.currency
        ]
        if not items:
            return
        item = data.draw(st.sampled_from(items))
        limit = min(item.open.minor_units, credit.unapplied.minor_units)
        units = data.draw(st.integers(1, limit + 3))
        alloc = Allocation(
            credit.source,
            credit.customer,
            item.document_id,
            _m(units, credit.currency.code),
            self.today,
        )

        def call() -> None:
            entry = post_allocation(
                alloc, entry_id=EntryId(self._id("E")), open_item=item, credit=credit
            )
            self._post(entry)
            self._apply(credit.source, item.document_id, units)

        if units > limit:
            self._refused(call)
        else:
            call()

    @precondition(lambda self: any(r.is_active for r in allocations(self.entries, self.today)))
    @rule(data=st.data())
    def unallocate(self, data: st.DataObject) -> None:
        active = [r for r in allocations(self.entries, self.today) if r.is_active]
        record = data.draw(st.sampled_from(active))
        self._post(
            post_unallocation(
                record, entry_id=EntryId(self._id("E")), date=self.today, reason="customer asked"
            )
        )
        self._apply(record.source, record.document_id, -record.amount.minor_units)

    @precondition(lambda self: any(not r.is_active for r in allocations(self.entries, self.today)))
    @rule(data=st.data())
    def unallocate_again(self, data: st.DataObject) -> None:
        undone = [r for r in allocations(self.entries, self.today) if not r.is_active]
        record = data.draw(st.sampled_from(undone))
        self._refused(
            lambda: self._post(
                post_unallocation(
                    record, entry_id=EntryId(self._id("E")), date=self.today, reason="again"
                )
            )
        )

    @precondition(lambda self: bool(self._credits()))
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        credit = data.draw(st.sampled_from(self._credits()))
        units = data.draw(st.integers(1, credit.unapplied.minor_units + 3))
        requested = Refund(
            RefundId(self._id("R")),
            credit.customer,
            credit.source,
            _m(units, credit.currency.code),
            requested_on=self.today,
            requested_by="ana",
            reason="credit balance",
        )
        paid = mark_refund_paid(
            approve_refund(requested, actor="luis", date=self.today), date=self.today
        )

        def call() -> None:
            self._post(post_refund(paid, entry_id=EntryId(self._id("E")), credit=credit))
            self.refunded[credit.currency.code] += units
            self.held[credit.source] -= units

        if units > credit.unapplied.minor_units:
            self._refused(call)
        else:
            call()

    @precondition(lambda self: bool(self._items()))
    @rule(data=st.data(), small=st.booleans())
    def write_off(self, data: st.DataObject, small: bool) -> None:
        item = data.draw(st.sampled_from(self._items()))
        units = data.draw(st.integers(1, item.open.minor_units + 3))
        write_off = WriteOff(
            WriteOffId(self._id("W")),
            item.customer,
            item.document_id,
            _m(units, item.currency.code),
            date=self.today,
            reason=WriteOffReason.SMALL_BALANCE if small else WriteOffReason.UNCOLLECTIBLE,
            requested_by="ana",
            approved_by="luis",
        )

        def call() -> None:
            entry = post_write_off(write_off, entry_id=EntryId(self._id("E")), open_item=item)
            self._post(entry)
            self.owed[item.document_id] -= units

        if units > item.open.minor_units:
            self._refused(call)
        else:
            call()

    @precondition(lambda self: bool(self._credits()))
    @rule(data=st.data())
    def write_off_credit(self, data: st.DataObject) -> None:
        credit = data.draw(st.sampled_from(self._credits()))
        units = data.draw(st.integers(1, credit.unapplied.minor_units + 3))
        write_off = CreditWriteOff(
            WriteOffId(self._id("W")),
            credit.customer,
            credit.source,
            _m(units, credit.currency.code),
            date=self.today,
            requested_by="ana",
        )

        def call() -> None:
            self._post(
                post_credit_write_off(write_off, entry_id=EntryId(self._id("E")), credit=credit)
            )
            self.held[credit.source] -= units

        if units > credit.unapplied.minor_units:
            self._refused(call)
        else:
            call()

    @precondition(
        lambda self: any(
            i.open == i.original and i.document_id not in self.voided and i.open.is_positive
            for i in self._items()
        )
    )
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        candidates = [
            i for i in self._items() if i.open == i.original and i.document_id not in self.voided
        ]
        item = data.draw(st.sampled_from(candidates))
        original = next(
            e for e in self.entries if e.source == item.document_id and e.due_date is not None
        )
        self._post(
            post_void(
                original,
                entry_id=EntryId(self._id("E")),
                date=self.today,
                open_item=item,
                reason="issued in error",
            )
        )
        self.voided.add(item.document_id)
        self.credited[item.document_id] = self.invoices[item.document_id][2]
        self.owed[item.document_id] = 0

    @precondition(lambda self: bool(self.voided))
    @rule(data=st.data())
    def void_again(self, data: st.DataObject) -> None:
        doc_id = data.draw(st.sampled_from(sorted(self.voided)))
        item = next(i for i in self._items(True) if i.document_id == doc_id)
        original = next(e for e in self.entries if e.source == doc_id and e.due_date is not None)
        self._refused(
            lambda: self._post(
                post_void(
                    original,
                    entry_id=EntryId(self._id("E")),
                    date=self.today,
                    open_item=item,
                    reason="again",
                )
            )
        )

    # -- back-dated commands ----------------------------------------------------------

    def _dates_from(self, day: dt.date) -> list[dt.date]:
        """``day`` and every later date an entry is posted on."""
        return sorted({day} | {e.date for e in self.entries if e.date > day})

    def _lasting_open(self, doc_id: str, day: dt.date) -> int:
        """The least open on ``doc_id`` as of ``day`` or a later date, by brute force."""
        return min(
            sum(
                i.open.minor_units
                for i in open_items(self.entries, on, include_settled=True)
                if i.document_id == doc_id
            )
            for on in self._dates_from(day)
        )

    def _lasting_unapplied(self, source: str, day: dt.date) -> int:
        return min(
            sum(
                c.unapplied.minor_units
                for c in credit_items(self.entries, on, include_used=True)
                if c.source == source
            )
            for on in self._dates_from(day)
        )

    def _untouched_from(self, item: OpenItem, day: dt.date) -> bool:
        return all(
            i.open == item.original
            for on in self._dates_from(day)
            for i in open_items(self.entries, on, include_settled=True)
            if i.document_id == item.document_id
        )

    def _past(self, data: st.DataObject) -> dt.date | None:
        """A date before today (an entry's date more often than not), if there is one.

        Today first moves on by 0, 7 or 30 days, so the events after a back-dated
        command's date are spread over several days.
        """
        later = data.draw(st.sampled_from([0, 7, 30]))
        if later:
            self.advance(later)
        if self.today == START:
            return None
        posted = sorted({e.date for e in self.entries if e.date < self.today})
        days = st.dates(START, self.today - dt.timedelta(days=1))
        return data.draw(st.one_of(st.sampled_from(posted), days) if posted else days)

    def _units(self, data: st.DataObject, limit: int, as_of: int) -> int:
        """An amount up to a little past what the day alone would allow, so the window
        between what stays open at every later date and what is open that day is tried."""
        return data.draw(st.integers(1, max(limit, as_of, 0) + 3))

    def _posted_on(self, day: dt.date) -> None:
        # A view as of a date on or after ``day`` now counts the back-dated entry.
        self.snapshots = [(on, views) for on, views in self.snapshots if on < day]

    def _decided(self, call: Any, *, allowed: bool, day: dt.date) -> None:
        if allowed:
            call()
            self._posted_on(day)
        else:
            self._refused(call)

    @precondition(lambda self: bool(self.entries))
    @rule(data=st.data())
    def allocate_back_dated(self, data: st.DataObject) -> None:
        day = self._past(data)
        credits = [] if day is None else credit_items(self.entries, day)
        if day is None or not credits:
            return
        credit = data.draw(st.sampled_from(credits))
        items = [
            i
            for i in open_items(self.entries, day)
            if i.customer == credit.customer and i.currency == credit.currency
        ]
        if not items:
            return
        item = data.draw(st.sampled_from(items))
        limit = min(
            self._lasting_open(item.document_id, day),
            self._lasting_unapplied(credit.source, day),
        )
        units = self._units(data, limit, min(item.open, credit.unapplied).minor_units)
        amount = _m(units, credit.currency.code)
        alloc = Allocation(credit.source, credit.customer, item.document_id, amount, day)

        def call() -> None:
            entry = post_allocation(
                alloc, entry_id=EntryId(self._id("E")), open_item=item, credit=credit
            )
            check_take(item_history(self.entries, item.document_id), amount, on=day, action="a")
            check_take(credit_history(self.entries, credit.source), amount, on=day, action="a")
            self._post(entry)
            self._apply(credit.source, item.document_id, units)

        self._decided(call, allowed=units <= limit, day=day)

    @precondition(lambda self: any(n > self.credited[d] for d, (_, _, n) in self.invoices.items()))
    @rule(data=st.data())
    def credit_note_back_dated(self, data: st.DataObject) -> None:
        day = self._past(data)
        if day is None:
            return
        items = {
            i.document_id: i
            for i in open_items(self.entries, day, include_settled=True)
            if i.document_id in self.invoices and i.original.is_positive
        }
        choices = sorted(d for d in items if self.invoices[d][2] > self.credited[d])
        if not choices:
            return
        doc_id = data.draw(st.sampled_from(choices))
        customer, currency, net = self.invoices[doc_id]
        amount = data.draw(st.integers(1, net - self.credited[doc_id]))
        history = item_history(self.entries, doc_id)
        lasting = correctable_open(open_from(items[doc_id], history, day), Currency.of(currency))
        # What stays open at every later date comes off the invoice; the rest is credit.
        to_invoice = min(amount, max(self._lasting_open(doc_id, day), 0))
        cn_id = self._id("CN")
        doc = DocumentPosting(
            document_id=DocumentId(cn_id),
            number=f"CN-{cn_id}",
            kind=DocumentKind.CREDIT_NOTE,
            customer=CustomerId(customer),
            date=day,
            due_date=day,
            currency=Currency.of(currency),
            revenue=(RevenueAmount(_m(amount, currency), item_class="SAAS"),),
            receivable=_m(amount, currency),
            corrects=DocumentId(doc_id),
        )
        self._post(post_document(doc, entry_id=EntryId(self._id("E")), corrected_open=lasting))
        self._posted_on(day)
        self.credited[doc_id] += amount
        self.owed[doc_id] -= to_invoice
        if amount > to_invoice:
            self.held[cn_id] = amount - to_invoice

    @precondition(lambda self: bool(self.entries))
    @rule(data=st.data())
    def write_off_back_dated(self, data: st.DataObject) -> None:
        day = self._past(data)
        items = [] if day is None else open_items(self.entries, day)
        if day is None or not items:
            return
        item = data.draw(st.sampled_from(items))
        limit = self._lasting_open(item.document_id, day)
        units = self._units(data, limit, item.open.minor_units)
        amount = _m(units, item.currency.code)

        def call() -> None:
            taken = write_off_amount(
                item,
                amount,
                document=item.number,
                document_id=item.document_id,
                on=day,
                history=item_history(self.entries, item.document_id),
            )
            write_off = WriteOff(
                WriteOffId(self._id("W")),
                item.customer,
                item.document_id,
                taken,
                date=day,
                reason=WriteOffReason.UNCOLLECTIBLE,
                requested_by="ana",
                approved_by="luis",
            )
            self._post(post_write_off(write_off, entry_id=EntryId(self._id("E")), open_item=item))
            self.owed[item.document_id] -= units

        self._decided(call, allowed=units <= limit, day=day)

    @precondition(lambda self: bool(self.entries))
    @rule(data=st.data())
    def refund_back_dated(self, data: st.DataObject) -> None:
        day = self._past(data)
        credits = [] if day is None else credit_items(self.entries, day)
        if day is None or not credits:
            return
        credit = data.draw(st.sampled_from(credits))
        limit = self._lasting_unapplied(credit.source, day)
        units = self._units(data, limit, credit.unapplied.minor_units)
        amount = _m(units, credit.currency.code)
        requested = Refund(
            RefundId(self._id("R")),
            credit.customer,
            credit.source,
            amount,
            requested_on=day,
            requested_by="ana",
            reason="credit balance",
        )
        paid = mark_refund_paid(approve_refund(requested, actor="luis", date=day), date=day)

        def call() -> None:
            entry = post_refund(paid, entry_id=EntryId(self._id("E")), credit=credit)
            check_take(credit_history(self.entries, credit.source), amount, on=day, action="r")
            self._post(entry)
            self.refunded[credit.currency.code] += units
            self.held[credit.source] -= units

        self._decided(call, allowed=units <= limit, day=day)

    @precondition(lambda self: bool(self.entries))
    @rule(data=st.data())
    def void_back_dated(self, data: st.DataObject) -> None:
        day = self._past(data)
        candidates = [
            i
            for i in ([] if day is None else open_items(self.entries, day))
            if i.open == i.original and i.document_id not in self.voided
        ]
        if day is None or not candidates:
            return
        item = data.draw(st.sampled_from(candidates))
        original = next(
            e for e in self.entries if e.source == item.document_id and e.due_date is not None
        )
        allowed = self._untouched_from(item, day)

        def call() -> None:
            history = item_history(self.entries, item.document_id)
            check_untouched(history, item.original, on=day, what=item.number)
            self._post(
                post_void(
                    original,
                    entry_id=EntryId(self._id("E")),
                    date=day,
                    open_item=item,
                    reason="issued in error",
                )
            )
            self.voided.add(item.document_id)
            self.credited[item.document_id] = self.invoices[item.document_id][2]
            self.owed[item.document_id] = 0

        self._decided(call, allowed=allowed, day=day)

    def _apply(self, source: str, document_id: str, units: int) -> None:
        """Move ``units`` from a credit onto an item in the model (negative: back)."""
        self.held[source] -= units
        self.owed[document_id] -= units

    # -- invariants ----------------------------------------------------------------

    @invariant()
    def trial_balance_sums_to_zero_per_currency(self) -> None:  # invariant 1
        tb = trial_balance(self.entries, self.today)
        for currency in tb.currencies:
            assert tb.total(currency).is_zero

    @invariant()
    def ar_control_equals_subledgers_equals_open_items(self) -> None:  # invariant 2
        report = reconcile(self.entries, self.today)
        assert report.ok, [d.message for d in report.differences]
        ar_rows = {
            r.currency.code: r.balance
            for r in trial_balance(self.entries, self.today).rows
            if r.account == DEFAULT_CHART.receivable.code
        }
        un_rows = {
            r.currency.code: r.credit
            for r in trial_balance(self.entries, self.today).rows
            if r.account == DEFAULT_CHART.unapplied.code
        }
        aging = aging_report(self.entries, self.today)
        for code in CURRENCIES:
            zero = Money.zero(code)
            assert aging.total(code).total == ar_rows.get(code, zero)
            assert aging.total(code).unapplied == un_rows.get(code, zero)

    @invariant()
    def cash_is_received_minus_refunded(self) -> None:  # invariant 3
        cash = {
            r.currency.code: r.balance.minor_units
            for r in trial_balance(self.entries, self.today).rows
            if r.account == DEFAULT_CHART.cash.code
        }
        for code in CURRENCIES:
            assert cash.get(code, 0) == self.received[code] - self.refunded[code]

    @invariant()
    def items_and_credits_hold_what_the_model_says(self) -> None:  # invariant 3
        owed = {
            i.document_id: i.open.minor_units
            for i in open_items(self.entries, self.today, include_settled=True)
            if not i.open.is_zero
        }
        held = {
            c.source: c.unapplied.minor_units
            for c in credit_items(self.entries, self.today, include_used=True)
            if not c.unapplied.is_zero
        }
        assert owed == {k: v for k, v in self.owed.items() if v}
        assert held == {k: v for k, v in self.held.items() if v}

    @invariant()
    def statements_add_up_to_the_net_balance(self) -> None:  # invariants 2 and 3
        balances = {
            (b.customer, b.currency.code): b for b in customer_balances(self.entries, self.today)
        }
        for customer in CUSTOMERS:
            for code in CURRENCIES:
                s = statement(self.entries, CustomerId(customer), code, START, self.today)
                assert s.opening.is_zero  # nothing happens before START
                assert s.opening + sum_money((ln.amount for ln in s.lines), code) == s.closing
                balance = balances.get((CustomerId(customer), code))
                zero = Money.zero(code)
                receivable = balance.receivable if balance else zero
                assert s.closing == (balance.net if balance else zero)
                assert s.unapplied == (balance.unapplied if balance else zero)
                assert sum_money((i.open for i in s.open_items), code) == receivable

    @invariant()
    def nothing_beyond_its_amount(self) -> None:  # invariant 4
        for item in open_items(self.entries, self.today, include_settled=True):
            assert not item.open.is_negative
            assert item.open <= item.original
        for credit in credit_items(self.entries, self.today, include_used=True):
            assert not credit.unapplied.is_negative
            assert credit.unapplied <= credit.original

    @invariant()
    def nothing_beyond_its_amount_at_any_date(self) -> None:  # invariant 4, back-dated
        for on in sorted({e.date for e in self.entries}):
            for item in open_items(self.entries, on, include_settled=True):
                assert not item.open.is_negative, (item, on)
                assert item.open <= item.original, (item, on)
            for credit in credit_items(self.entries, on, include_used=True):
                assert not credit.unapplied.is_negative, (credit, on)
                assert credit.unapplied <= credit.original, (credit, on)
            assert trial_balance(self.entries, on).is_balanced
            assert reconcile(self.entries, on).ok

    @invariant()
    def journal_audit_finds_nothing(self) -> None:  # invariants 2 and 4, rule by rule
        assert validate_journal(self.entries) == ()

    @invariant()
    def past_views_do_not_change(self) -> None:  # invariant 10
        if self.snapshots:  # the oldest snapshot has seen the most later events
            as_of, views = self.snapshots[0]
            assert self._views(as_of) == views


LedgerMachine.TestCase.settings = settings(stateful_step_count=25)
TestLedgerStateMachine = LedgerMachine.TestCase
