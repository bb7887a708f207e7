"""The journal audit finds every broken rule at once; a posted journal has none."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import ApprovalRequired, InvalidState, SegregationOfDuties
from o2c.ids import AccountCode, CustomerId, EntryId, WriteOffId
from o2c.ledger import (
    DEFAULT_CHART,
    CreditWriteOff,
    EntryKind,
    JournalEntry,
    Posting,
    credit_items,
    post_credit_write_off,
    post_document,
    post_payment,
    reverse_entry,
    trial_balance,
    validate_journal,
)
from tests.ledger.conftest import invoice, money, payment

D = dt.date(2026, 10, 1)
DUE = dt.date(2026, 10, 31)


def _manual(
    entry_id: str, date: dt.date, *lines: Posting, reverses: EntryId | None = None
) -> JournalEntry:
    return JournalEntry(
        EntryId(entry_id), date, EntryKind.REVERSAL, "manual", lines, reverses=reverses
    )


def test_a_journal_written_by_the_posting_verbs_has_no_problem() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"))
    journal = [
        inv,
        post_payment(payment("P1", "C1", D, "20.00"), entry_id=EntryId("E2")),
        reverse_entry(inv, entry_id=EntryId("E3"), date=D),
    ]
    assert validate_journal(journal) == ()


def test_journal_audit_reports_every_broken_rule() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"))
    later = D + dt.timedelta(days=5)
    ar, rev = AccountCode("1100"), AccountCode("4000")
    journal = [
        inv,
        # same id again
        post_payment(payment("P1", "C1", D, "20.00"), entry_id=EntryId("E1")),
        # AR posting without customer or item
        _manual("M1", D, Posting(ar, money("1.00")), Posting(rev, money("-1.00"))),
        # an item that belongs to C1 posted for C2
        _manual(
            "M2",
            later,
            Posting(ar, money("-5.00"), CustomerId("C2"), "D1"),
            Posting(rev, money("5.00")),
        ),
        # an item without its document, driven below zero
        _manual(
            "M3",
            later,
            Posting(ar, money("-5.00"), CustomerId("C1"), "GHOST"),
            Posting(rev, money("5.00")),
        ),
        # D1 credited beyond what was invoiced
        _manual(
            "M4",
            later,
            Posting(ar, money("-150.00"), CustomerId("C1"), "D1"),
            Posting(rev, money("150.00")),
        ),
        # reversal of something unknown, and a double reversal of E1
        reverse_entry(inv, entry_id=EntryId("R1"), date=later),
        _manual(
            "R2",
            later,
            Posting(ar, money("-1.00"), CustomerId("C1"), "D1"),
            Posting(rev, money("1.00")),
            reverses=EntryId("NOPE"),
        ),
        reverse_entry(inv, entry_id=EntryId("R3"), date=later),
    ]
    problems = validate_journal(journal)
    assert [(p.rule, p.entry_id, p.subject) for p in problems] == [
        ("unique_ids", "E1", "E1"),
        ("reversal_target", "R2", "NOPE"),
        ("reversal_target", "R3", "E1"),
        ("tagged_subledger", "M1", "M1"),
        ("one_owner", "M2", "D1"),
        ("item_origin", "M3", "GHOST"),
        ("not_negative", "M4", "D1"),
    ]
    assert str(problems[2]) == "reversal_target: entry E1 is reversed twice: by R1 and R3"


def test_small_credit_balance_is_written_off_to_rounding() -> None:
    journal = [post_payment(payment("P1", "C1", D, "0.04"), entry_id=EntryId("E1"))]
    (credit,) = credit_items(journal, D)
    wo = CreditWriteOff(
        WriteOffId("W1"), CustomerId("C1"), "P1", money("0.04"), date=D, requested_by="ana"
    )
    with pytest.raises(ApprovalRequired):
        post_credit_write_off(wo, entry_id=EntryId("E2"), credit=credit, threshold=money("0.01"))
    entry = post_credit_write_off(
        wo, entry_id=EntryId("E2"), credit=credit, threshold=money("1.00")
    )
    journal.append(entry)
    assert credit_items(journal, D) == ()
    tb = {r.account: str(r.balance) for r in trial_balance(journal, D).rows}
    assert tb == {"1000": "0.04 USD", DEFAULT_CHART.rounding.code: "-0.04 USD"}
    (used,) = credit_items(journal, D, include_used=True)
    with pytest.raises(InvalidState, match=r"only 0\.00 USD is unapplied"):
        post_credit_write_off(wo, entry_id=EntryId("E3"), credit=used)
    with pytest.raises(SegregationOfDuties):
        post_credit_write_off(
            CreditWriteOff(
                WriteOffId("W2"),
                CustomerId("C1"),
                "P1",
                money("0.01"),
                date=D,
                requested_by="ana",
                approved_by="ana",
            ),
            entry_id=EntryId("E4"),
            credit=credit,
        )
