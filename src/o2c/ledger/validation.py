"""Journal audit: rule checks over a whole journal, every problem returned as a value.

Each ``_check_<rule>`` looks at the journal for one rule and yields problems, in the
manner of beancount's validations, so an auditor sees all of them at once. A journal
written only through the posting verbs has none; a journal that was edited in the
database, imported from elsewhere or tampered with may.

Rules:

* ``unique_ids``: every entry id appears once;
* ``reversal_target``: ``reverses`` names an earlier entry of the journal, reversed at
  most once, and unallocations reverse allocations;
* ``tagged_subledger``: AR control and unapplied-cash postings carry a customer and an
  item;
* ``one_owner``: an open item or credit belongs to one customer and one currency;
* ``item_origin``: AR postings belong to an item whose invoice or debit note is in the
  journal, dated no later than the posting;
* ``not_negative``: no open item and no credit ever goes below zero, on any day (as of
  the end of the day: the entries of one day count together).

Example:
    >>> validate_journal([])
    ()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs

from o2c.ids import EntryId
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.money import Money

__all__ = ["JournalProblem", "validate_journal"]

_ORIGINS = (EntryKind.INVOICE, EntryKind.DEBIT_NOTE)


@attrs.frozen(slots=True)
class JournalProblem:
    """One broken rule.

    Attributes:
        rule: The rule's name (see the module doc).
        entry_id: The entry concerned, when there is one.
        subject: The item, credit or entry id the problem is about.
        message: A sentence for a person.
    """

    rule: str
    entry_id: EntryId | None
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def _check_unique_ids(entries: Sequence[JournalEntry]) -> Iterator[JournalProblem]:
    seen: set[EntryId] = set()
    for entry in entries:
        if entry.id in seen:
            yield JournalProblem(
                "unique_ids", entry.id, entry.id, f"entry id {entry.id} is used more than once"
            )
        seen.add(entry.id)


def _check_reversal_target(entries: Sequence[JournalEntry]) -> Iterator[JournalProblem]:
    by_id = {e.id: e for e in entries}
    reversed_by: dict[EntryId, EntryId] = {}
    for entry in entries:
        if entry.reverses is None:
            if entry.kind is EntryKind.UNALLOCATION:
                yield JournalProblem(
                    "reversal_target",
                    entry.id,
                    entry.id,
                    f"unallocation {entry.id} does not name the allocation it undoes",
                )
            continue
        target = by_id.get(entry.reverses)
        if target is None:
            yield JournalProblem(
                "reversal_target",
                entry.id,
                entry.reverses,
                f"entry {entry.id} reverses {entry.reverses}, which is not in the journal",
            )
            continue
        if target.date > entry.date:
            yield JournalProblem(
                "reversal_target",
                entry.id,
                target.id,
                f"entry {entry.id} ({entry.date}) reverses the later entry {target.id} "
                f"({target.date})",
            )
        if entry.kind is EntryKind.UNALLOCATION and target.kind is not EntryKind.ALLOCATION:
            yield JournalProblem(
                "reversal_target",
                entry.id,
                target.id,
                f"unallocation {entry.id} reverses {target.id}, a {target.kind.value}",
            )
        if target.id in reversed_by:
            yield JournalProblem(
                "reversal_target",
                entry.id,
                target.id,
                f"entry {target.id} is reversed twice: by {reversed_by[target.id]} and {entry.id}",
            )
        reversed_by.setdefault(target.id, entry.id)


def _check_tagged(
    entries: Sequence[JournalEntry], chart: ChartOfAccounts
) -> Iterator[JournalProblem]:
    sub = {chart.receivable.code: "AR control", chart.unapplied.code: "unapplied cash"}
    for entry in entries:
        for n, line in enumerate(entry.lines):
            if line.account in sub and (line.customer is None or line.item is None):
                yield JournalProblem(
                    "tagged_subledger",
                    entry.id,
                    entry.id,
                    f"entry {entry.id} line {n + 1} posts {line.amount} to "
                    f"{sub[line.account]} without a customer and an item",
                )


def _check_owners_and_balances(
    entries: Sequence[JournalEntry], chart: ChartOfAccounts
) -> Iterator[JournalProblem]:
    ar, unapplied = chart.receivable.code, chart.unapplied.code
    owners: dict[tuple[str, str], tuple[str, str]] = {}
    origins: dict[str, dt.date] = {e.source: e.date for e in entries if e.kind in _ORIGINS}
    running: dict[tuple[str, str], Money] = {}
    flagged: set[tuple[str, str]] = set()
    # A balance is as of a date (the views' semantics): the entries of one day count
    # together, so not_negative looks once a day is summed, whatever their order.
    # The entry that took each balance below zero during the day, while it stays so.
    dipped: dict[tuple[str, str], JournalEntry] = {}
    ordered = sorted(entries, key=lambda e: e.date)
    for index, entry in enumerate(ordered):
        for line in entry.lines:
            if line.item is None or line.customer is None:
                continue
            if line.account == ar:
                side, amount = "open item", line.amount
            elif line.account == unapplied:
                side, amount = "credit", -line.amount
            else:
                continue
            key = (side, line.item)
            owner = (line.customer, line.amount.currency.code)
            first = owners.setdefault(key, owner)
            if first != owner:
                yield JournalProblem(
                    "one_owner",
                    entry.id,
                    line.item,
                    f"{side} {line.item} is posted for {owner[0]} in {owner[1]} by {entry.id}, "
                    f"but belongs to {first[0]} in {first[1]}",
                )
                continue
            if side == "open item" and key not in flagged:
                origin = origins.get(line.item)
                if origin is None or origin > entry.date:
                    flagged.add(key)
                    yield JournalProblem(
                        "item_origin",
                        entry.id,
                        line.item,
                        f"entry {entry.id} posts to open item {line.item}, which has no "
                        f"invoice or debit note entry on or before {entry.date}",
                    )
            running[key] = running[key] + amount if key in running else amount
            if not running[key].is_negative:
                dipped.pop(key, None)
            else:
                dipped.setdefault(key, entry)
        if index + 1 < len(ordered) and ordered[index + 1].date == entry.date:
            continue
        for key, first_below in dipped.items():
            if key not in flagged:
                flagged.add(key)
                yield JournalProblem(
                    "not_negative",
                    first_below.id,
                    key[1],
                    f"{key[0]} {key[1]} goes below zero ({running[key]}) with entry "
                    f"{first_below.id} on {first_below.date}",
                )
        dipped = {}


def validate_journal(
    entries: Iterable[JournalEntry], *, chart: ChartOfAccounts = DEFAULT_CHART
) -> tuple[JournalProblem, ...]:
    """Check the journal against every rule and return all problems found.

    Balance per currency needs no check here: an unbalanced
    :class:`~o2c.ledger.JournalEntry` cannot be constructed.

    Args:
        entries: The whole journal.
        chart: The chart of accounts.

    Returns:
        The problems, rule by rule, in journal order within a rule; empty when sound.
    """
    journal = list(entries)
    problems: list[JournalProblem] = []
    problems.extend(_check_unique_ids(journal))
    problems.extend(_check_reversal_target(journal))
    problems.extend(_check_tagged(journal, chart))
    problems.extend(_check_owners_and_balances(journal, chart))
    return tuple(problems)
