"""A payment in another currency than its customer's is refused on every entry point.

o2c has no currency conversion (FX) yet: a USD payment of a customer billed in MXN would
sit as USD credit no MXN invoice can use. Book.record_payment and a payment file refuse
it naming both currencies and change nothing; a bank statement leaves such a line
unmatched with the reason and records the others.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.errors import ValidationError
from o2c.ids import CustomerId, PaymentId
from o2c.ledger import BankLine, Payment
from o2c.money import Money
from tests.book.factories import customer, invoice_draft, mx_customer

NOV3 = dt.date(2026, 11, 3)


@pytest.fixture
def two(book: Book) -> Book:
    """C-MX billed in MXN with an invoice of 1160.00 MXN; C-US billed in USD."""
    book.add_customer(mx_customer("C-MX"))
    book.add_customer(customer("C-US"))
    book.create_draft(invoice_draft("D-1", "C-MX", lines=(("X", "1", "1000.00"),), currency="MXN"))
    book.issue_document("D-1", issue_date=dt.date(2026, 10, 1))
    return book


def test_usd_payment_for_an_mxn_customer_is_refused_naming_both_currencies(two: Book) -> None:
    before = two.journal()
    with pytest.raises(ValidationError) as caught:
        two.record_payment("C-MX", Money.of("100.00", "USD"), date=NOV3)
    assert str(caught.value) == (
        "payment refused: 100.00 USD from customer C-MX is in USD, but C-MX is billed in "
        "MXN; o2c has no currency conversion (FX) yet: record the payment in MXN"
    )
    assert caught.value.field == "amount"
    assert two.journal() == before
    assert two.list_payments() == []
    paid = two.record_payment("C-MX", Money.of("1160.00", "MXN"), date=NOV3, allocate=True)
    assert paid.amount == Money.of("1160.00", "MXN")
    assert two.open_items(as_of=NOV3) == []


def test_payment_file_with_a_payment_in_another_currency_imports_nothing(two: Book) -> None:
    payments = [
        Payment(PaymentId("BANK-1"), CustomerId("C-US"), NOV3, Money.of("10.00", "USD")),
        Payment(PaymentId("BANK-2"), CustomerId("C-MX"), NOV3, Money.of("58.00", "USD")),
    ]
    with pytest.raises(ValidationError) as caught:
        two.import_payments(payments, batch_size=1)
    assert str(caught.value) == (
        "payment file refused, nothing imported: payments[1] (BANK-2): 58.00 USD from "
        "customer C-MX is in USD, but C-MX is billed in MXN; o2c has no currency "
        "conversion (FX) yet: record the payment in MXN"
    )
    assert caught.value.field == "payments[1].amount"
    assert two.list_payments() == []  # not even the first batch


def test_bank_line_in_another_currency_than_its_customer_is_left_unmatched(two: Book) -> None:
    lines = [
        BankLine("nov.csv", 2, NOV3, Money.of("58.00", "USD"), reference="TX-1", payer="MXREF"),
        BankLine("nov.csv", 3, NOV3, Money.of("1160.00", "MXN"), reference="TX-2", payer="MXREF"),
    ]
    result = two.apply_bank_statement(lines, customer_references={"MXREF": "C-MX"})
    assert result.payments == ("TX-2",)
    assert result.unmatched == (
        (
            "TX-1",
            "not recorded: 58.00 USD from customer C-MX is in USD, but C-MX is billed in MXN; "
            "o2c has no currency conversion (FX) yet: record the payment in MXN",
        ),
    )
    assert [str(p.amount) for p in two.list_payments()] == ["1160.00 MXN"]
    assert two.open_items(as_of=NOV3) == []
