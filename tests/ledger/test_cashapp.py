"""Cash application: invoice number, then customer reference, then exact amount."""

from __future__ import annotations

import datetime as dt

from o2c.ids import CustomerId, EntryId, PaymentId
from o2c.ledger import (
    BankLine,
    MatchRule,
    OpenItem,
    Payment,
    allocations_for_match,
    credit_items,
    match_payments,
    open_items,
    post_document,
    post_payment,
)
from tests.ledger.conftest import invoice, money

D = dt.date(2026, 10, 1)
DUE = dt.date(2026, 10, 31)
PAID = dt.date(2026, 11, 3)


def _items() -> tuple[OpenItem, ...]:
    journal = [
        post_document(invoice("D1", "C1", D, DUE, "100.00", "16.00"), entry_id=EntryId("E1")),
        post_document(
            invoice("D2", "C1", D, dt.date(2026, 11, 15), "50.00"), entry_id=EntryId("E2")
        ),
        post_document(invoice("D3", "C2", D, DUE, "75.00"), entry_id=EntryId("E3")),
        post_document(invoice("D4", "C3", D, DUE, "20.00"), entry_id=EntryId("E4")),
        post_document(invoice("D5", "C4", D, DUE, "20.00"), entry_id=EntryId("E5")),
    ]
    return open_items(journal, PAID)


def _line(row: int, amount: str, remittance: str = "", payer: str = "") -> BankLine:
    return BankLine(
        "nov.csv",
        row,
        PAID,
        money(amount),
        reference=f"TX{row}",
        remittance=remittance,
        payer=payer,
    )


def test_bank_lines_are_matched_by_number_then_reference_then_exact_amount() -> None:
    items = _items()
    lines = [
        _line(2, "166.00", "pay n-d1 and N-D2, thanks"),
        _line(3, "10.00", "account beta-001"),
        _line(4, "75.00", "no reference"),
        _line(5, "20.00", "no reference"),
        _line(6, "99.99", "no reference"),
        _line(7, "-3.00", "fee"),
        _line(8, "5.00", "N-D1 N-D3"),
    ]
    result = match_payments(
        lines,
        items,
        customer_references={"BETA-001": CustomerId("C2")},
    )
    assert [(m.line.row, m.rule, m.customer, m.documents) for m in result.matches] == [
        (2, MatchRule.INVOICE_NUMBER, "C1", ("D1", "D2")),
        (3, MatchRule.CUSTOMER_REFERENCE, "C2", ()),
        (4, MatchRule.EXACT_AMOUNT, "C2", ("D3",)),
    ]
    assert [(u.line.row, u.reason) for u in result.unmatched] == [
        (5, "2 open items of exactly 20.00 USD: N-D4, N-D5"),
        (6, "no invoice number, customer reference or exact amount matched"),
        (7, "not an incoming payment (amount is not above zero)"),
        (8, "remittance names invoices of several customers: N-D1, N-D3"),
    ]


def test_an_item_matched_by_amount_is_not_matched_twice_in_one_batch() -> None:
    items = _items()
    result = match_payments([_line(2, "75.00"), _line(3, "75.00")], items)
    assert [m.documents for m in result.matches] == [("D3",)]
    assert [u.line.row for u in result.unmatched] == [3]


def test_matched_payment_is_allocated_to_named_invoices_and_the_rest_stays_unapplied() -> None:
    journal = [
        post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1")),
        post_document(invoice("D2", "C1", D, DUE, "40.00"), entry_id=EntryId("E2")),
    ]
    (match,) = match_payments([_line(2, "130.00", "N-D1")], open_items(journal, PAID)).matches
    journal.append(
        post_payment(
            Payment(PaymentId(match.line.reference), match.customer, PAID, match.line.amount),
            entry_id=EntryId("E3"),
        )
    )
    (credit,) = credit_items(journal, PAID)
    plan = allocations_for_match(match, credit, open_items(journal, PAID), date=PAID)
    assert [(a.document_id, str(a.amount)) for a in plan] == [("D1", "100.00 USD")]


def test_invoice_number_matches_without_its_separators() -> None:
    items = _items()
    result = match_payments([_line(2, "1.00", "ref nd1")], items)
    assert [(m.rule, m.documents) for m in result.matches] == [(MatchRule.INVOICE_NUMBER, ("D1",))]
