"""A refused command leaves the store byte for byte as it was (DESIGN invariant 9).

Each case below is a command a billing team gets refused; the checksum of every table and
counter of the store (``tests.store.checksum``) must be the same before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.book import Book
from o2c.cases import Role
from o2c.cli import cli
from o2c.errors import O2CError
from o2c.ids import CustomerId, PaymentId
from o2c.ledger import Payment
from o2c.money import Money
from o2c.store import SqliteStore
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, mx_customer
from tests.store.checksum import changed_tables, store_dump

OCT1 = dt.date(2026, 10, 1)
SEP15 = dt.date(2026, 9, 15)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def shop(book: Book) -> Book:
    """C1 with INV 1 (D-1, 116.00, Oct 1) paid 50.00 (PAY 1, allocated), an unapplied
    payment of 20.00 (PAY 2), a draft D-2; September closed; refunds above 100.00 wait
    for a lead."""
    book.add_customer(customer("C1"))
    book.create_invoice(invoice_draft("D-1"), issue_date=OCT1)
    book.record_payment("C1", usd("50.00"), date=OCT1, allocate=True, idempotency_key="pay-1")
    book.record_payment("C1", usd("20.00"), date=OCT1)
    book.create_draft(invoice_draft("D-2"))
    book.close_period("2026-09")
    book.set_policy_settings({"approval.refund.USD": "100.00 lead"})
    return book


def _first_payment(book: Book) -> str:
    return str(book.list_payments()[0].id)


def _second_payment(book: Book) -> str:
    return str(book.list_payments()[1].id)


def _grant_as_specialist(book: Book) -> Callable[[], object]:
    book.assign_role("cy", Role.CONTROLLER, actor="cy")
    book.assign_role("ana", Role.SPECIALIST, actor="cy")
    return lambda: book.assign_role("ana", Role.CONTROLLER, actor="ana")


def _import_with_one_bad_payment(book: Book) -> Callable[[], object]:
    good = Payment(PaymentId("PAY-X1"), CustomerId("C1"), OCT1, usd("5.00"))
    bad = Payment(PaymentId("PAY-X2"), CustomerId("C404"), OCT1, usd("5.00"))
    return lambda: book.import_payments([good, bad])


def _approving_ones_own_request(book: Book) -> Callable[[], object]:
    source = str(book.record_payment("C1", usd("150.00"), date=OCT1).id)
    held = book.request_refund(source, usd("150.00"), reason="asked", date=OCT1)
    return lambda: book.approve_request(held.id, actor="ana")


#: Each case prepares what it needs (that is not the refusal) and returns the refused
#: command.
REFUSALS: dict[str, Callable[[Book], Callable[[], object]]] = {
    "invoice with a negative unit price": lambda b: (
        lambda: b.create_invoice(
            invoice_draft("D-9", lines=(("FEE", "1", "-5.00"),)), issue_date=OCT1
        )
    ),
    "invoice dated in a closed month": lambda b: (
        lambda: b.create_invoice(invoice_draft("D-9"), issue_date=SEP15)
    ),
    "issuing a draft in a closed month": lambda b: (
        lambda: b.issue_document("D-2", issue_date=SEP15)
    ),
    "invoice for an unknown customer": lambda b: (
        lambda: b.create_invoice(invoice_draft("D-9", cid="C404"), issue_date=OCT1)
    ),
    "credit note above what is open": lambda b: (
        lambda: b.create_credit_note("D-1", reason="goodwill", amount=usd("500.00"), date=OCT1)
    ),
    "payment in a closed month": lambda b: lambda: b.record_payment("C1", usd("10.00"), date=SEP15),
    "payment of an unknown customer": lambda b: (
        lambda: b.record_payment("C404", usd("10.00"), date=OCT1)
    ),
    "payment of a negative amount": lambda b: (
        lambda: b.record_payment("C1", usd("-10.00"), date=OCT1)
    ),
    "idempotency key reused for other arguments": lambda b: (
        lambda: b.record_payment(
            "C1", usd("51.00"), date=OCT1, allocate=True, idempotency_key="pay-1"
        )
    ),
    "allocation beyond what is open": lambda b: (
        lambda: b.allocate(
            _second_payment(b), {"D-1": usd("20.00"), "D-404": usd("0.01")}, date=OCT1
        )
    ),
    "refund beyond what is unapplied": lambda b: (
        lambda: b.refund(_second_payment(b), usd("20.01"), reason="asked", date=OCT1)
    ),
    "refund above the approval limit": lambda b: _refund_above_the_limit(b),
    "write-off beyond what is open": lambda b: lambda: b.write_off("D-1", usd("66.01"), date=OCT1),
    "voiding a paid invoice": lambda b: lambda: b.void_document("D-1", reason="oops", date=OCT1),
    "dispute on a draft": lambda b: lambda: b.open_dispute("D-2", reason="wrong_price", date=OCT1),
    "closing a closed month": lambda b: lambda: b.close_period("2026-09"),
    "a customer added twice": lambda b: lambda: b.add_customer(customer("C1")),
    "an import with one bad payment": _import_with_one_bad_payment,
    "bill run with a batch size of 0": lambda b: lambda: b.bill_run("2026-10", batch_size=0),
    "a role granted by someone who may not": _grant_as_specialist,
    "approving one's own refund request": _approving_ones_own_request,
}


def _refund_above_the_limit(book: Book) -> Callable[[], object]:
    source = str(book.record_payment("C1", usd("150.00"), date=OCT1).id)
    return lambda: book.refund(source, usd("100.01"), reason="asked", date=OCT1)


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_command_leaves_every_table_as_it_was(shop: Book, case: str) -> None:
    command = REFUSALS[case](shop)
    before = store_dump(shop.store)
    with pytest.raises(O2CError):
        command()
    assert changed_tables(before, store_dump(shop.store)) == [], case
    assert shop.verify_audit() == ()


# -- the command line: a manual invoice is priced and checked before anything is written ---


def _cli_book(tmp_path: Path) -> Path:
    path = tmp_path / "cli.o2c"
    book = Book.open(str(path), actor="ana")
    try:
        book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
        book.add_customer(mx_customer("C1"))
        book.close_period("2026-09")
    finally:
        book.close()
    return path


def test_a_price_of_ten_to_the_twentieth_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    path = _cli_book(tmp_path)
    store = SqliteStore(path)
    try:
        before = store_dump(store)
        result = CliRunner().invoke(
            cli,
            [
                "--book",
                str(path),
                "invoice",
                "create",
                "--customer",
                "C1",
                "--issue",
                "--line",
                "fee:1@1" + "0" * 20,
                "--date",
                "2026-10-01",
            ],
        )
        assert result.exit_code == 2
        assert "10^15" in result.output
        assert changed_tables(before, store_dump(store)) == []
    finally:
        store.close()


@pytest.mark.parametrize(
    ("case", "args"),
    [
        ("negative unit price", ["--line", "fee:1@-5", "--date", "2026-10-01", "--issue"]),
        ("quantity 0", ["--line", "fee:0@5", "--date", "2026-10-01", "--issue"]),
        ("dated in a closed month", ["--line", "fee:1@5", "--date", "2026-09-15", "--issue"]),
    ],
)
def test_a_refused_manual_invoice_on_the_command_line_leaves_the_book_as_it_was(
    tmp_path: Path, case: str, args: list[str]
) -> None:
    path = _cli_book(tmp_path)
    store = SqliteStore(path)
    try:
        before = store_dump(store)
        result = CliRunner().invoke(
            cli,
            ["--book", str(path), "--actor", "ana", "invoice", "create", "--customer", "C1", *args],
        )
        assert result.exit_code == 1, (case, result.output)
        assert "seller" not in result.output
        assert changed_tables(before, store_dump(store)) == [], (case, result.output)
    finally:
        store.close()
