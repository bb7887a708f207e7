"""Every limit holds at the command's date and at every later date (issue 25).

Worked examples over a small journal: invoice N-D1 of 116.00 USD issued on Oct 1 and
settled by a payment allocated on Nov 10; commands dated Nov 5 (before that payment)
may take only what stays open on Nov 10.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import InvalidState
from o2c.ids import CustomerId, DocumentId, EntryId
from o2c.ledger import (
    Allocation,
    DocumentKind,
    ItemHistory,
    JournalEntry,
    check_take,
    check_untouched,
    credit_history,
    credit_items,
    item_history,
    least_balance_from,
    open_from,
    open_items,
    post_allocation,
    post_document,
    post_payment,
    unapplied_from,
    validate_journal,
)
from o2c.ledger.items import correctable_open
from o2c.ledger.writeoffs import write_off_amount
from tests.ledger.conftest import invoice, money, payment

OCT1 = dt.date(2026, 10, 1)
NOV5 = dt.date(2026, 11, 5)
NOV10 = dt.date(2026, 11, 10)


def _paid_on_nov10(settled: str = "116.00") -> list[JournalEntry]:
    journal = [
        post_document(
            invoice("D1", "C1", OCT1, dt.date(2026, 10, 31), "100.00", "16.00"),
            entry_id=EntryId("E1"),
        ),
        post_payment(payment("P1", "C1", NOV10, settled), entry_id=EntryId("E2")),
    ]
    [item] = open_items(journal, NOV10)
    [credit] = credit_items(journal, NOV10)
    alloc = Allocation("P1", CustomerId("C1"), DocumentId("D1"), money(settled), NOV10)
    journal.append(post_allocation(alloc, entry_id=EntryId("E3"), open_item=item, credit=credit))
    return journal


def test_least_balance_counts_the_steps_of_one_day_together() -> None:
    steps = [("2026-11-10", -50), ("2026-10-01", 100), ("2026-11-10", 50), ("2026-11-20", -30)]
    # On Nov 10 an allocation of 50 and its unallocation net to nothing: as of that day
    # 100 is open; Nov 20 leaves 70.
    assert least_balance_from(steps, "2026-11-05", 0) == (70, "2026-11-20")
    assert least_balance_from(steps, "2026-11-25", 0) == (70, "2026-11-25")
    assert least_balance_from(steps, "2026-09-30", 0) == (0, "2026-09-30")


def test_write_off_dated_before_the_payment_of_a_paid_invoice_is_refused() -> None:
    journal = _paid_on_nov10()
    [item] = open_items(journal, NOV5)
    assert item.open == money("116.00")  # as of Nov 5 alone, all of it looks open
    with pytest.raises(InvalidState) as caught:
        write_off_amount(
            item,
            money("116.00"),
            document="N-D1",
            document_id="D1",
            on=NOV5,
            history=item_history(journal, "D1"),
        )
    assert str(caught.value) == (
        "cannot write off 116.00 USD of N-D1 on 2026-11-05: only 0.00 USD of it is open on "
        "2026-11-10 (entries dated after 2026-11-05 take the rest)"
    )


def test_write_off_dated_before_a_partial_payment_takes_at_most_what_stays_open() -> None:
    journal = _paid_on_nov10(settled="100.00")
    [item] = open_items(journal, NOV5)
    history = item_history(journal, "D1")
    taken = write_off_amount(
        item, None, document="N-D1", document_id="D1", on=NOV5, history=history
    )
    assert taken == money("16.00")
    with pytest.raises(InvalidState, match=r"only 16\.00 USD of it is open on 2026-11-10"):
        write_off_amount(
            item, money("16.01"), document="N-D1", document_id="D1", on=NOV5, history=history
        )


def test_second_payment_back_dated_cannot_be_allocated_to_a_paid_invoice() -> None:
    journal = _paid_on_nov10()
    journal.append(post_payment(payment("P2", "C1", NOV5, "116.00"), entry_id=EntryId("E4")))
    with pytest.raises(InvalidState) as caught:
        check_take(
            item_history(journal, "D1"),
            money("116.00"),
            on=NOV5,
            action="allocate 116.00 USD to N-D1",
        )
    assert "only 0.00 USD of it is open on 2026-11-10" in str(caught.value)
    [item] = open_items(journal, NOV5)
    assert open_from(item, item_history(journal, "D1"), NOV5).open == money("0.00")


def test_credit_dated_before_its_later_allocation_cannot_be_spent_twice() -> None:
    journal = _paid_on_nov10()
    # P1 arrives on Nov 10 and is all applied that day: nothing of it is unapplied later.
    history = credit_history(journal, "P1")
    [credit] = credit_items(journal, NOV10, include_used=True)
    assert unapplied_from(credit, history, NOV10).unapplied == money("0.00")
    with pytest.raises(InvalidState, match=r"only 0\.00 USD of it is unapplied on 2026-11-10"):
        check_take(
            history, money("0.01"), on=NOV10, action="refund 0.01 USD from P1", held="unapplied"
        )


def test_credit_note_dated_before_the_payment_takes_only_what_stays_open() -> None:
    journal = _paid_on_nov10()
    [item] = open_items(journal, NOV5)
    lasting = correctable_open(open_from(item, item_history(journal, "D1"), NOV5), item.currency)
    assert lasting == money("0.00")
    note = invoice(
        "CN1", "C1", NOV5, NOV5, "100.00", "16.00", kind=DocumentKind.CREDIT_NOTE, corrects="D1"
    )
    journal.append(post_document(note, entry_id=EntryId("E5"), corrected_open=lasting))
    # The whole credit becomes customer credit; the invoice never goes below zero.
    assert [(c.source, str(c.unapplied)) for c in credit_items(journal, NOV10)] == [
        ("CN1", "116.00 USD")
    ]
    assert open_items(journal, NOV10) == ()
    assert validate_journal(journal) == ()


def test_void_dated_before_the_payment_of_a_paid_invoice_is_refused() -> None:
    journal = _paid_on_nov10()
    with pytest.raises(InvalidState) as caught:
        check_untouched(item_history(journal, "D1"), money("116.00"), on=NOV5, what="invoice N-D1")
    assert str(caught.value) == (
        "invoice N-D1 cannot be voided on 2026-11-05: 116.00 USD of it is settled on "
        "2026-11-10 by payments, credits or write-offs; issue a credit note instead"
    )


def test_void_of_an_invoice_untouched_from_its_date_on_is_allowed() -> None:
    history = ItemHistory("D1", [(OCT1, money("116.00"))])
    check_untouched(history, money("116.00"), on=NOV5, what="invoice N-D1")
    assert history.first_change_from(NOV5, money("116.00")) is None


def test_empty_history_needs_its_zero() -> None:
    history = ItemHistory("P9", [])
    assert history.least_from(NOV5, money("0.00")) == (money("0.00"), NOV5)
    assert history.balance(NOV5, money("0.00")) == money("0.00")
    with pytest.raises(ValueError, match="pass its zero"):
        history.balance(NOV5)
