"""Views derived from the journal, as of any date: open items, credits, balances, trial balance.

Nothing here is stored: every view is a pure function of the entries and an ``as_of``
date, beancount-style. **As-of semantics**: an entry counts when its posting ``date`` is
on or before ``as_of``; entries dated later are ignored, so a view as of D does not
change when later events are added (DESIGN.md invariant 10). The Book computes the same
figures in SQL for large books; these functions are the reference it is tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import NamedTuple, TypeVar

import attrs

from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger.accounts import DEFAULT_CHART, AccountKind, ChartOfAccounts
from o2c.ledger.items import AllocationRecord, CreditItem, CreditKind, DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.money import Currency, Money

__all__ = [
    "CustomerBalance",
    "TrialBalance",
    "TrialBalanceRow",
    "account_balances",
    "allocations",
    "credit_items",
    "customer_balances",
    "open_items",
    "trial_balance",
]

_DOCUMENT_KINDS = {
    EntryKind.INVOICE: DocumentKind.INVOICE,
    EntryKind.DEBIT_NOTE: DocumentKind.DEBIT_NOTE,
}
_CREDIT_KINDS = {
    EntryKind.PAYMENT: CreditKind.PAYMENT,
    EntryKind.CREDIT_NOTE: CreditKind.CREDIT_NOTE,
}


_K = TypeVar("_K")


def _add(totals: dict[_K, Money], key: _K, amount: Money) -> None:
    totals[key] = totals[key] + amount if key in totals else amount


class _ItemScan(NamedTuple):
    """What one pass over an account's item-tagged postings finds, keyed by item."""

    balances: dict[str, Money]
    origin: dict[str, tuple[JournalEntry, Money]]
    customers: dict[str, CustomerId]
    first_seen: dict[str, dt.date]


def _scan_items(
    entries: Iterable[JournalEntry],
    as_of: dt.date,
    account: AccountCode,
    *,
    sign: int,
    origins: Collection[EntryKind],
) -> _ItemScan:
    """Sum an account's postings per item up to ``as_of``, with each item's origin entry.

    ``sign`` turns the account's natural side positive (1 for AR debits, -1 for credits
    on unapplied cash); the origin of an item is the entry of one of the ``origins`` kinds
    whose source is the item itself.
    """
    scan = _ItemScan({}, {}, {}, {})
    for entry in entries:
        if entry.date > as_of:
            continue
        for line in entry.lines:
            if line.account != account or line.item is None:
                continue
            amount = line.amount if sign > 0 else -line.amount
            _add(scan.balances, line.item, amount)
            if line.customer is not None:
                scan.customers.setdefault(line.item, line.customer)
            first = scan.first_seen.get(line.item)
            if first is None or entry.date < first:
                scan.first_seen[line.item] = entry.date
            if entry.kind in origins and entry.source == line.item:
                scan.origin[line.item] = (entry, amount)
    return scan


def open_items(
    entries: Iterable[JournalEntry],
    as_of: dt.date,
    *,
    chart: ChartOfAccounts = DEFAULT_CHART,
    include_settled: bool = False,
) -> tuple[OpenItem, ...]:
    """The invoices and debit notes with what is open on each, as of ``as_of``.

    The open amount of a document is the sum of the AR control postings that carry its
    id: the document's own debit, less allocations, credit notes and write-offs, plus
    unallocations. A voided document is settled (its reversal nets it to zero).

    Args:
        entries: The journal, in any order.
        as_of: Entries dated after it are ignored.
        chart: The chart of accounts (which code is AR control).
        include_settled: Also return items with nothing open.

    Returns:
        Items sorted by customer, due date, number.
    """
    opened, origin, customers, first_seen = _scan_items(
        entries, as_of, chart.receivable.code, sign=1, origins=_DOCUMENT_KINDS.keys()
    )
    items: list[OpenItem] = []
    for key, amount in opened.items():
        item = str(key)
        if amount.is_zero and not include_settled:
            continue
        if item in origin:
            entry, original = origin[item]
            number, kind, doc_date = (
                entry.reference or item,
                _DOCUMENT_KINDS[entry.kind],
                entry.date,
            )
            due = entry.due_date or entry.date
        else:
            # AR postings without their document entry (e.g. a partial journal): keep
            # them visible rather than drop money; reconcile() names the gap.
            number, kind, doc_date = item, DocumentKind.INVOICE, first_seen[item]
            due, original = doc_date, Money.zero(amount.currency)
        items.append(
            OpenItem(
                document_id=DocumentId(item),
                number=number,
                kind=kind,
                customer=customers.get(item, CustomerId("")),
                currency=amount.currency,
                document_date=doc_date,
                due_date=due,
                original=original,
                open=amount,
            )
        )
    items.sort(key=lambda i: (i.customer, i.due_date, i.number, i.document_id))
    return tuple(items)


def credit_items(
    entries: Iterable[JournalEntry],
    as_of: dt.date,
    *,
    chart: ChartOfAccounts = DEFAULT_CHART,
    include_used: bool = False,
) -> tuple[CreditItem, ...]:
    """Customer credits on unapplied cash (payments, credit notes) and what is left of each.

    Args:
        entries: The journal.
        as_of: Entries dated after it are ignored.
        chart: The chart of accounts (which code is unapplied cash).
        include_used: Also return credits fully allocated or refunded.

    Returns:
        Credits sorted by customer, date, source.
    """
    left, origin, customers, first_seen = _scan_items(
        entries, as_of, chart.unapplied.code, sign=-1, origins=_CREDIT_KINDS.keys()
    )
    result: list[CreditItem] = []
    for key, amount in left.items():
        source = str(key)
        if amount.is_zero and not include_used:
            continue
        if source in origin:
            entry, original = origin[source]
            kind, date, reference = _CREDIT_KINDS[entry.kind], entry.date, entry.reference
        else:
            kind, date, reference = CreditKind.PAYMENT, first_seen[source], source
            original = Money.zero(amount.currency)
        result.append(
            CreditItem(
                source=source,
                kind=kind,
                customer=customers.get(source, CustomerId("")),
                currency=amount.currency,
                date=date,
                reference=reference,
                original=original,
                unapplied=amount,
            )
        )
    result.sort(key=lambda c: (c.customer, c.date, c.source))
    return tuple(result)


def allocations(entries: Iterable[JournalEntry], as_of: dt.date) -> tuple[AllocationRecord, ...]:
    """Every allocation entry up to ``as_of``, marked when an unallocation undid it.

    Sorted by date, in journal order within a day.
    """
    records: dict[EntryId, AllocationRecord] = {}
    undone: dict[EntryId, EntryId] = {}
    for entry in entries:
        if entry.date > as_of:
            continue
        if entry.kind is EntryKind.UNALLOCATION and entry.reverses is not None:
            undone[entry.reverses] = entry.id
        if entry.kind is not EntryKind.ALLOCATION:
            continue
        credit = next(line for line in entry.lines if line.amount.is_positive)
        debit = next(line for line in entry.lines if line.amount.is_negative)
        records[entry.id] = AllocationRecord(
            entry_id=entry.id,
            date=entry.date,
            customer=credit.customer or CustomerId(""),
            source=entry.source,
            document_id=DocumentId(debit.item or ""),
            amount=credit.amount,
        )
    return tuple(
        attrs.evolve(r, unallocated_by=undone.get(r.entry_id)) if r.entry_id in undone else r
        for r in sorted(records.values(), key=lambda r: r.date)
    )


@attrs.frozen(slots=True)
class CustomerBalance:
    """A customer's position in one currency.

    Attributes:
        customer: The customer.
        currency: The currency.
        receivable: The AR sub-ledger balance (sum of the customer's open items).
        unapplied: Unapplied cash and credit held for the customer (a positive amount).
    """

    customer: CustomerId
    currency: Currency
    receivable: Money
    unapplied: Money

    @property
    def net(self) -> Money:
        """``receivable - unapplied``; negative when o2c owes the customer."""
        return self.receivable - self.unapplied


def customer_balances(
    entries: Iterable[JournalEntry], as_of: dt.date, *, chart: ChartOfAccounts = DEFAULT_CHART
) -> tuple[CustomerBalance, ...]:
    """Each customer's receivable and unapplied credit per currency, as of ``as_of``.

    Customers whose both figures are zero are left out. Sorted by customer, currency.
    """
    ar, unapplied = chart.receivable.code, chart.unapplied.code
    recv: dict[tuple[CustomerId, str], Money] = {}
    cred: dict[tuple[CustomerId, str], Money] = {}
    for entry in entries:
        if entry.date > as_of:
            continue
        for line in entry.lines:
            if line.customer is None:
                continue
            key = (line.customer, line.amount.currency.code)
            if line.account == ar:
                _add(recv, key, line.amount)
            elif line.account == unapplied:
                _add(cred, key, -line.amount)
    result = []
    for key in sorted(set(recv) | set(cred)):
        customer, code = key
        zero = Money.zero(code)
        balance = CustomerBalance(
            customer, Currency.of(code), recv.get(key, zero), cred.get(key, zero)
        )
        if balance.receivable.is_zero and balance.unapplied.is_zero:
            continue
        result.append(balance)
    result.sort(key=lambda b: (b.customer, b.currency.code))
    return tuple(result)


def account_balances(
    entries: Iterable[JournalEntry], as_of: dt.date
) -> dict[tuple[AccountCode, Currency], Money]:
    """The signed balance (debit positive) of every account and currency as of ``as_of``."""
    totals: dict[tuple[AccountCode, Currency], Money] = {}
    for entry in entries:
        if entry.date > as_of:
            continue
        for line in entry.lines:
            _add(totals, (line.account, line.amount.currency), line.amount)
    return totals


@attrs.frozen(slots=True)
class TrialBalanceRow:
    """One account's balance in one currency.

    Attributes:
        account: The account code.
        name: Its name in the chart (the code itself for an unknown account).
        kind: Its kind, or ``None`` for an account the chart does not know.
        currency: The currency.
        balance: Signed balance, debit positive.
    """

    account: AccountCode
    name: str
    kind: AccountKind | None
    currency: Currency
    balance: Money

    @property
    def debit(self) -> Money:
        """The balance in the debit column (zero when it is a credit balance)."""
        return self.balance if self.balance.is_positive else Money.zero(self.currency)

    @property
    def credit(self) -> Money:
        """The balance in the credit column, as a positive amount."""
        return -self.balance if self.balance.is_negative else Money.zero(self.currency)


@attrs.frozen(slots=True)
class TrialBalance:
    """Every account's balance per currency as of a date.

    Attributes:
        as_of: The date.
        rows: Rows sorted by currency, then account code; zero balances left out.
    """

    as_of: dt.date
    rows: tuple[TrialBalanceRow, ...]

    @property
    def currencies(self) -> tuple[Currency, ...]:
        """The currencies present, sorted by code."""
        return tuple(sorted({r.currency for r in self.rows}, key=lambda c: c.code))

    def total(self, currency: Currency | str) -> Money:
        """Sum of signed balances in ``currency``: zero in a sound book (invariant 1)."""
        cur = Currency.of(currency)
        total = Money.zero(cur)
        for row in self.rows:
            if row.currency == cur:
                total += row.balance
        return total

    @property
    def is_balanced(self) -> bool:
        """Whether every currency sums to zero."""
        return all(self.total(c).is_zero for c in self.currencies)


def trial_balance(
    entries: Iterable[JournalEntry], as_of: dt.date, *, chart: ChartOfAccounts = DEFAULT_CHART
) -> TrialBalance:
    """The trial balance per currency as of ``as_of``."""
    rows = []
    for (code, currency), balance in account_balances(entries, as_of).items():
        if balance.is_zero:
            continue
        role = chart.role_of(code)
        if role is None:
            name, kind = str(code), None
        else:
            account = chart.account(code)
            name, kind = account.name, account.kind
        rows.append(TrialBalanceRow(code, name, kind, currency, balance))
    rows.sort(key=lambda r: (r.currency.code, r.account))
    return TrialBalance(as_of, tuple(rows))
