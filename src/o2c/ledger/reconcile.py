"""Reconciliation: AR control == sum of customer sub-ledgers == sum of open items.

:func:`reconcile` checks DESIGN.md invariant 2 as of a date and names every difference:
an AR or unapplied posting without a customer or item, an item whose sub-ledger does
not sum to what a caller-supplied list of open items (for instance the Book's SQL table)
says, an item missing from either side. The same is done for unapplied cash against the
credit items. A credit note must reverse tax on the accounts its invoice posted: a credit
that posts to a tax or withholding account its invoice never used (so two accounts of one
tax net across codes) is a difference too. A sound book gives a report with no
differences.

Example:
    >>> import datetime as dt
    >>> reconcile([], dt.date(2026, 11, 30)).ok
    True
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.ledger.views import credit_items, open_items
from o2c.money import Currency, Money

__all__ = [
    "Difference",
    "DifferenceKind",
    "ReconciliationReport",
    "ReconciliationTotals",
    "reconcile",
]


#: How a credit note's entry names the document it corrects (see ``post_document``).
_CORRECTS = "corrects "


class DifferenceKind(enum.Enum):
    """What kind of difference reconciliation found."""

    UNTAGGED_POSTING = "untagged_posting"
    ITEM_MISSING = "item_missing"
    ITEM_UNEXPECTED = "item_unexpected"
    ITEM_AMOUNT = "item_amount"
    CUSTOMER = "customer"
    TOTAL = "total"
    TAX_ACCOUNT = "tax_account"


@attrs.frozen(slots=True)
class Difference:
    """One difference, with what the journal says and what was found.

    Attributes:
        kind: The kind of difference.
        subject: What it is about (an entry id, a document id, an account code).
        expected: The amount the journal implies.
        found: The amount found on the other side.
        message: A sentence for a person.
    """

    kind: DifferenceKind
    subject: str
    expected: Money
    found: Money
    message: str


@attrs.frozen(slots=True)
class ReconciliationTotals:
    """The three totals of one currency (and the unapplied pair).

    Attributes:
        currency: The currency.
        control: AR control account balance.
        subledgers: Sum of AR postings tagged with a customer and an item.
        open_items: Sum of the open items compared (journal-derived unless supplied).
        unapplied_control: Unapplied cash account balance, as a positive credit.
        credit_items: Sum of unapplied credit items compared.
    """

    currency: Currency
    control: Money
    subledgers: Money
    open_items: Money
    unapplied_control: Money
    credit_items: Money

    @property
    def ok(self) -> bool:
        """Whether the totals agree."""
        return (
            self.control == self.subledgers == self.open_items
            and self.unapplied_control == self.credit_items
        )


@attrs.frozen(slots=True)
class ReconciliationReport:
    """Totals per currency and every difference found."""

    as_of: dt.date
    totals: tuple[ReconciliationTotals, ...]
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        """Whether the book reconciles: no difference at all."""
        return not self.differences and all(t.ok for t in self.totals)


def _compare_items(
    derived: dict[str, Money], supplied: dict[str, Money], label: str, out: list[Difference]
) -> None:
    for key in sorted(set(derived) | set(supplied)):
        mine, theirs = derived.get(key), supplied.get(key)
        if mine is not None and theirs is None:
            if not mine.is_zero:
                out.append(
                    Difference(
                        DifferenceKind.ITEM_MISSING,
                        key,
                        mine,
                        Money.zero(mine.currency),
                        f"{label} {key}: journal has {mine} open, the list has none",
                    )
                )
        elif mine is None and theirs is not None:
            if not theirs.is_zero:
                out.append(
                    Difference(
                        DifferenceKind.ITEM_UNEXPECTED,
                        key,
                        Money.zero(theirs.currency),
                        theirs,
                        f"{label} {key}: listed with {theirs}, journal has none",
                    )
                )
        elif mine is not None and theirs is not None and mine != theirs:
            out.append(
                Difference(
                    DifferenceKind.ITEM_AMOUNT,
                    key,
                    mine,
                    theirs,
                    f"{label} {key}: journal has {mine}, the list has {theirs}",
                )
            )


def _check_credit_tax_accounts(
    journal: Iterable[JournalEntry], chart: ChartOfAccounts, out: list[Difference]
) -> None:
    """Every tax account a credit note posts to is one its corrected document posted to."""
    families = (chart.tax_prefix + "-", chart.withheld_prefix + "-")
    posted: dict[str, set[str]] = {}
    credits: list[tuple[JournalEntry, str]] = []
    for entry in journal:
        if entry.kind in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE):
            accounts = posted.setdefault(entry.source, set())
            accounts.update(p.account for p in entry.lines if p.account.startswith(families))
        elif entry.kind is EntryKind.CREDIT_NOTE and entry.memo.startswith(_CORRECTS):
            credits.append((entry, entry.memo.removeprefix(_CORRECTS)))
    for entry, corrected in credits:
        allowed = posted.get(corrected)
        if allowed is None:
            continue  # the corrected document is outside the entries given
        for line in entry.lines:
            if line.account.startswith(families) and line.account not in allowed:
                out.append(
                    Difference(
                        DifferenceKind.TAX_ACCOUNT,
                        line.account,
                        Money.zero(line.amount.currency),
                        line.amount,
                        f"credit note entry {entry.id} posts {line.amount} to {line.account}, "
                        f"an account {corrected} never posted to (it posted to "
                        f"{', '.join(sorted(allowed)) or 'no tax account'})",
                    )
                )


def reconcile(
    entries: Iterable[JournalEntry],
    as_of: dt.date,
    *,
    items: Iterable[OpenItem] | None = None,
    credits: Iterable[CreditItem] | None = None,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> ReconciliationReport:
    """Reconcile AR control, customer sub-ledgers and open items as of ``as_of``.

    Args:
        entries: The journal.
        as_of: Entries dated later are ignored.
        items: Open items to check against the journal (e.g. the Book's table); by
            default those derived from the journal itself.
        credits: Credit items to check against unapplied cash; by default derived.
        chart: The chart of accounts.
    """
    journal = [e for e in entries if e.date <= as_of]
    ar, unapplied = chart.receivable.code, chart.unapplied.code
    differences: list[Difference] = []
    control: dict[str, Money] = {}
    sub: dict[str, Money] = {}
    un_control: dict[str, Money] = {}
    per_item: dict[str, Money] = {}
    per_credit: dict[str, Money] = {}
    item_owner: dict[str, str] = {}

    def add(target: dict[str, Money], key: str, amount: Money) -> None:
        target[key] = target[key] + amount if key in target else amount

    for entry in journal:
        for line in entry.lines:
            code = line.amount.currency.code
            if line.account == ar:
                add(control, code, line.amount)
                if line.customer is None or line.item is None:
                    differences.append(
                        Difference(
                            DifferenceKind.UNTAGGED_POSTING,
                            entry.id,
                            line.amount,
                            Money.zero(code),
                            f"entry {entry.id} posts {line.amount} to AR control without a "
                            "customer and an open item",
                        )
                    )
                    continue
                add(sub, code, line.amount)
                add(per_item, line.item, line.amount)
                owner = item_owner.setdefault(line.item, line.customer)
                if owner != line.customer:
                    differences.append(
                        Difference(
                            DifferenceKind.CUSTOMER,
                            line.item,
                            line.amount,
                            line.amount,
                            f"entry {entry.id} posts item {line.item} for {line.customer}, but it "
                            f"belongs to {owner}",
                        )
                    )
            elif line.account == unapplied:
                add(un_control, code, -line.amount)
                if line.customer is None or line.item is None:
                    differences.append(
                        Difference(
                            DifferenceKind.UNTAGGED_POSTING,
                            entry.id,
                            -line.amount,
                            Money.zero(code),
                            f"entry {entry.id} posts {line.amount} to unapplied cash without a "
                            "customer and a credit source",
                        )
                    )
                    continue
                add(per_credit, line.item, -line.amount)
    item_list = tuple(items) if items is not None else open_items(journal, as_of, chart=chart)
    credit_list = (
        tuple(credits) if credits is not None else credit_items(journal, as_of, chart=chart)
    )
    supplied_items: dict[str, Money] = {}
    for item in item_list:
        add(supplied_items, item.document_id, item.open)
    supplied_credits: dict[str, Money] = {}
    for credit in credit_list:
        add(supplied_credits, credit.source, credit.unapplied)
    _check_credit_tax_accounts(journal, chart, differences)
    _compare_items(per_item, supplied_items, "open item", differences)
    _compare_items(per_credit, supplied_credits, "credit", differences)
    totals: list[ReconciliationTotals] = []
    codes = sorted(
        set(control)
        | set(un_control)
        | {i.currency.code for i in item_list}
        | {c.currency.code for c in credit_list}
    )
    for code in codes:
        zero = Money.zero(code)
        row = ReconciliationTotals(
            Currency.of(code),
            control.get(code, zero),
            sub.get(code, zero),
            sum((i.open for i in item_list if i.currency.code == code), zero),
            un_control.get(code, zero),
            sum((c.unapplied for c in credit_list if c.currency.code == code), zero),
        )
        if not row.ok:
            differences.append(
                Difference(
                    DifferenceKind.TOTAL,
                    code,
                    row.control,
                    row.open_items,
                    f"{code}: AR control {row.control}, sub-ledgers {row.subledgers}, "
                    f"open items {row.open_items}; unapplied {row.unapplied_control} vs "
                    f"credits {row.credit_items}",
                )
            )
        totals.append(row)
    return ReconciliationReport(as_of, tuple(totals), tuple(differences))
