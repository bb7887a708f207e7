"""Bulk payment import: the same stored rows as the one-by-one commands, and its refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.errors import InvalidState, PeriodClosed, ValidationError
from o2c.ids import CustomerId, DocumentId, PaymentId
from o2c.ledger import Allocation, BankLine, Payment
from o2c.money import Money
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft
from tests.store.backends import BACKENDS, book_url

OCT1 = dt.date(2026, 10, 1)
CUSTOMERS = ("C1", "C2")
# Invoice n of the fixture: customer, issue day, payable (116.00 or 232.00 USD).
INVOICES = (("C1", 1, "1"), ("C1", 2, "2"), ("C2", 1, "1"), ("C2", 3, "2"), ("C1", 4, "1"))


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture(params=BACKENDS)
def pair(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[Book, Book]]:
    """Two books with the same customers and issued invoices (D-0 .. D-4), same backend."""
    books = []
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        book_url(request.param, tmp_path / "a") as one,
        book_url(request.param, tmp_path / "b") as two,
    ):
        for location in (one, two):
            book = Book.open(location, actor="ana", clock=clock)
            for cid in CUSTOMERS:
                book.add_customer(customer(cid))
            for n, (cid, day, qty) in enumerate(INVOICES):
                book.create_draft(invoice_draft(f"D-{n}", cid, (("SETUP", qty, "100.00"),)))
                book.issue_document(f"D-{n}", issue_date=OCT1 + dt.timedelta(days=day))
            books.append(book)
        try:
            yield books[0], books[1]
        finally:
            for book in books:
                book.close()


def one_by_one(book: Book, payments: list[Payment], allocations: list[Allocation]) -> None:
    """The same cash through ``record_payment`` and ``allocate``, one command each."""
    for payment in payments:
        book.record_payment(
            payment.customer,
            payment.amount,
            date=payment.date,
            reference=payment.reference,
            method=payment.method,
            payment_id=payment.id,
        )
        mine = [a for a in allocations if a.source == payment.id]
        for day in sorted({a.date for a in mine}):
            book.allocate(
                payment.id, {a.document_id: a.amount for a in mine if a.date == day}, date=day
            )


def stored(book: Book) -> dict[str, Any]:
    """Everything the cash writes, with entry ids replaced by what they record."""
    store = book.store
    with store.transaction(write=False):
        entries: dict[str, list[Any]] = {}
        for row in store.query(
            "SELECT e.id, e.entry_date, e.kind, e.source, e.reference, e.due_date, e.memo,"
            " e.reverses, l.line_no, l.account, l.currency, l.amount_minor, l.customer_id,"
            " l.item, l.entry_date, l.item_date, l.item_due FROM journal_entries e"
            " JOIN journal_lines l ON l.entry_id = e.id ORDER BY e.id, l.line_no"
        ):
            entries.setdefault(str(row[0]), []).append(tuple(str(v) for v in row[1:]))
        allocations = sorted(
            tuple(str(v) for v in r[1:])
            for r in store.query(
                "SELECT id, source_id, document_id, customer_id, alloc_date, currency,"
                " amount_minor, reversed_by FROM allocations WHERE id = entry_id"
            )
        )
        payments = sorted(
            tuple(str(v) for v in r)
            for r in store.query(
                "SELECT id, customer_id, received_date, currency, amount_minor, method,"
                " reference, created_at FROM payments"
            )
        )
    as_of = dt.date(2026, 12, 31)
    return {
        "journal": sorted(tuple(lines) for lines in entries.values()),
        "allocations": allocations,
        "payments": payments,
        "balances": book.balances(as_of),
        "open_items": book.open_items(as_of=as_of),
        "credits": book.credits(as_of=as_of),
        "balanced": book.trial_balance(as_of).is_balanced,
    }


def pay(pid: str, cid: str, amount: str, day: int, ref: str = "") -> Payment:
    return Payment(PaymentId(pid), CustomerId(cid), OCT1 + dt.timedelta(days=day), usd(amount), ref)


def alloc(pid: str, cid: str, doc: int, amount: str, day: int) -> Allocation:
    return Allocation(
        pid, CustomerId(cid), DocumentId(f"D-{doc}"), usd(amount), OCT1 + dt.timedelta(days=day)
    )


WORKED_PAYMENTS = [
    pay("P1", "C1", "116.00", 5, "wire 1"),  # settles D-0
    pay("P2", "C1", "300.00", 6),  # 232.00 to D-1, 40.00 to D-4, 28.00 unapplied
    pay("P3", "C2", "50.00", 6),  # part of D-2
    pay("P4", "C2", "66.00", 7),  # the rest of D-2, in another batch
    pay("P5", "C2", "10.00", 8),  # nothing allocated
]
WORKED_ALLOCATIONS = [
    alloc("P1", "C1", 0, "116.00", 5),
    alloc("P2", "C1", 1, "232.00", 6),
    alloc("P2", "C1", 4, "40.00", 9),
    alloc("P3", "C2", 2, "50.00", 6),
    alloc("P4", "C2", 2, "66.00", 7),
]


def test_bulk_import_stores_the_same_rows_as_record_payment_and_allocate(
    pair: tuple[Book, Book],
) -> None:
    bulk, single = pair
    assert bulk.import_payments(WORKED_PAYMENTS, WORKED_ALLOCATIONS, batch_size=3) == 5
    one_by_one(single, WORKED_PAYMENTS, WORKED_ALLOCATIONS)
    got, want = stored(bulk), stored(single)
    assert got == want
    assert got["balanced"]
    assert [(c.source, str(c.unapplied)) for c in got["credits"]] == [
        ("P2", "28.00 USD"),
        ("P5", "10.00 USD"),
    ]
    assert [(i.document_id, str(i.open)) for i in got["open_items"]] == [
        ("D-4", "76.00 USD"),
        ("D-3", "232.00 USD"),
    ]


def test_importing_a_file_twice_records_it_once(pair: tuple[Book, Book]) -> None:
    bulk, _ = pair
    assert bulk.import_payments(WORKED_PAYMENTS, WORKED_ALLOCATIONS) == 5
    before = stored(bulk)
    assert bulk.import_payments(WORKED_PAYMENTS + WORKED_PAYMENTS[:1], WORKED_ALLOCATIONS) == 0
    assert stored(bulk) == before


def test_one_audit_event_per_batch_names_the_payments(pair: tuple[Book, Book]) -> None:
    bulk, _ = pair
    bulk.import_payments(WORKED_PAYMENTS, WORKED_ALLOCATIONS, batch_size=3)
    events = bulk.audit_log(command="import_payments")
    assert [list(e.ids) for e in events] == [["P1", "P2", "P3"], ["P4", "P5"]]
    assert bulk.verify_audit() == ()


@pytest.mark.parametrize(
    ("allocations", "message"),
    [
        ([alloc("P1", "C1", 0, "116.01", 5)], r"only 116\.00 USD is open"),
        ([alloc("P1", "C1", 0, "60.00", 5), alloc("P1", "C1", 0, "60.00", 5)], "only 56.00"),
        ([alloc("P1", "C1", 1, "200.00", 5)], r"only 150\.00 USD is unapplied"),
        ([alloc("P1", "C1", 4, "10.00", 3)], "nothing open on 2026-10-04"),
        ([alloc("P1", "C1", 0, "10.00", 4)], r"only 0\.00 USD is unapplied"),
        ([alloc("P1", "C1", 9, "10.00", 5)], "D-9 has nothing open"),
    ],
)
def test_an_allocation_beyond_what_is_open_or_unapplied_refuses_its_batch(
    pair: tuple[Book, Book], allocations: list[Allocation], message: str
) -> None:
    bulk, _ = pair
    before = stored(bulk)
    with pytest.raises(InvalidState, match=message):
        bulk.import_payments([pay("P1", "C1", "150.00", 5)], allocations)
    assert stored(bulk) == before


def test_an_allocation_after_a_later_one_cannot_overdraw_the_item(pair: tuple[Book, Book]) -> None:
    bulk, _ = pair
    bulk.import_payments([pay("P1", "C1", "116.00", 20)], [alloc("P1", "C1", 0, "116.00", 20)])
    with pytest.raises(InvalidState, match=r"only 0\.00 USD is open"):
        bulk.import_payments([pay("P2", "C1", "116.00", 5)], [alloc("P2", "C1", 0, "1.00", 5)])
    assert [c.source for c in bulk.credits(as_of=dt.date(2026, 12, 31))] == []


def test_an_allocation_to_another_customers_document_is_refused(pair: tuple[Book, Book]) -> None:
    bulk, _ = pair
    with pytest.raises(ValidationError, match=r"open_item\.customer"):
        bulk.import_payments([pay("P1", "C2", "10.00", 5)], [alloc("P1", "C2", 0, "10.00", 5)])
    with pytest.raises(ValidationError, match=r"credit\.customer"):
        bulk.import_payments([pay("P1", "C2", "10.00", 5)], [alloc("P1", "C1", 0, "10.00", 5)])
    assert bulk.list_payments() == []


def test_an_allocation_of_a_payment_not_in_the_file_is_refused_not_dropped(
    pair: tuple[Book, Book],
) -> None:
    bulk, _ = pair
    before = stored(bulk)
    allocations = [alloc("P1", "C1", 0, "116.00", 5), alloc("P9", "C1", 1, "232.00", 6)]
    message = r"allocations\[1\]\.source: expected a payment in the file.*'P9'"
    with pytest.raises(ValidationError, match=message):
        bulk.import_payments([pay("P1", "C1", "116.00", 5)], allocations, batch_size=1)
    assert stored(bulk) == before
    assert bulk.audit_log(command="import_payments") == []


def test_statement_lines_paying_one_invoice_each_see_what_the_earlier_left(
    pair: tuple[Book, Book],
) -> None:
    bulk, _ = pair
    number = bulk.get_document("D-0").number
    lines = [
        BankLine(
            "st.csv",
            n,
            OCT1 + dt.timedelta(days=5),
            usd(amount),
            reference=f"BNK-{n}",
            remittance=f"pago {number}",
        )
        for n, amount in ((1, "100.00"), (2, "50.00"))
    ]
    result = bulk.apply_bank_statement(lines)
    assert result.payments == ("BNK-1", "BNK-2")
    day = OCT1 + dt.timedelta(days=5)
    assert [(c.source, str(c.unapplied)) for c in bulk.credits(as_of=day)] == [
        ("BNK-2", "34.00 USD")
    ]
    assert "D-0" not in [i.document_id for i in bulk.open_items(as_of=day)]
    assert [(a.source, str(a.amount)) for a in bulk.list_allocations(document="D-0")] == [
        ("BNK-1", "100.00 USD"),
        ("BNK-2", "16.00 USD"),
    ]
    assert bulk.apply_bank_statement(lines).duplicates == 2
    assert bulk.trial_balance(day).is_balanced


def test_a_batch_dated_in_a_closed_month_is_refused(pair: tuple[Book, Book]) -> None:
    bulk, _ = pair
    bulk.close_period("2026-09")
    with pytest.raises(PeriodClosed):
        bulk.import_payments([pay("P1", "C1", "10.00", -1)])
    assert bulk.list_payments() == []


def cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@st.composite
def cash_plans(draw: st.DrawFn) -> tuple[list[Payment], list[Allocation]]:
    """Payments that fit: each allocation within what is open and unapplied."""
    open_left = {n: 11600 * int(qty) for n, (_, _, qty) in enumerate(INVOICES)}
    payments, allocations = [], []
    for k in range(draw(st.integers(1, 6))):
        cid = draw(st.sampled_from(CUSTOMERS))
        day = draw(st.integers(4, 30))
        cents = draw(st.integers(1, 40000))
        pid = f"P{k}"
        payments.append(pay(pid, cid, cents_text(cents), day))
        left = cents
        mine = [n for n, (c, _, _) in enumerate(INVOICES) if c == cid]
        for n in draw(st.lists(st.sampled_from(mine), unique=True, max_size=2)):
            most = min(left, open_left[n])
            if most <= 0:
                continue
            take = draw(st.integers(1, most))
            left -= take
            open_left[n] -= take
            allocations.append(alloc(pid, cid, n, cents_text(take), day))
    return payments, allocations


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=cash_plans(), batch=st.integers(1, 4))
def test_any_fitting_plan_imports_exactly_like_the_commands(
    tmp_path_factory: pytest.TempPathFactory,
    clock: FakeClock,
    plan: tuple[list[Payment], list[Allocation]],
    batch: int,
) -> None:
    payments, allocations = plan
    base = tmp_path_factory.mktemp("plan")
    books = []
    for name in ("bulk", "single"):
        book = Book.open(str(base / f"{name}.o2c"), actor="ana", clock=clock)
        for cid in CUSTOMERS:
            book.add_customer(customer(cid))
        for n, (cid, day, qty) in enumerate(INVOICES):
            book.create_draft(invoice_draft(f"D-{n}", cid, (("SETUP", qty, "100.00"),)))
            book.issue_document(f"D-{n}", issue_date=OCT1 + dt.timedelta(days=day))
        books.append(book)
    bulk, single = books
    try:
        assert bulk.import_payments(payments, allocations, batch_size=batch) == len(payments)
        one_by_one(single, payments, allocations)
        got = stored(bulk)
        assert got == stored(single)
        assert all(not i.open.is_negative for i in got["open_items"])
        assert all(not c.unapplied.is_negative for c in got["credits"])
    finally:
        bulk.close()
        single.close()


CAMT_BY_CUSTOMER = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt><Stmt><Id>S1</Id>
  <Ntry><Amt Ccy="USD">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <BookgDt><Dt>2026-10-20</Dt></BookgDt><ValDt><Dt>2026-10-20</Dt></ValDt>
   <AcctSvcrRef>CAMT-1</AcctSvcrRef>
   <NtryDtls><TxDtls><RmtInf><Ustrd>Pago cliente ACME-77</Ustrd></RmtInf></TxDtls></NtryDtls>
  </Ntry>
 </Stmt></BkToCstmrStmt>
</Document>
"""


@pytest.mark.parametrize(
    ("amount", "rule", "applied", "unapplied"),
    [
        # exactly one of C1's open items is 232.00 (D-1), though D-0 is older
        ("232.00", "customer_reference, exact amount", [("D-1", "232.00 USD")], None),
        # two items of 116.00 (D-0, D-4): no single exact match, so oldest due first
        ("116.00", "customer_reference, oldest due first", [("D-0", "116.00 USD")], None),
        # more than everything open: oldest due first, 36.00 stays unapplied
        (
            "500.00",
            "customer_reference, oldest due first",
            [("D-0", "116.00 USD"), ("D-1", "232.00 USD"), ("D-4", "116.00 USD")],
            "36.00 USD",
        ),
    ],
)
def test_a_camt053_line_matched_by_customer_reference_is_applied(
    pair: tuple[Book, Book],
    amount: str,
    rule: str,
    applied: list[tuple[str, str]],
    unapplied: str | None,
) -> None:
    from o2c.ledger import parse_camt053

    bulk, _ = pair
    parsed = parse_camt053(CAMT_BY_CUSTOMER.format(amount=amount).encode(), "stmt.xml")
    assert parsed.problems == ()
    result = bulk.apply_bank_statement(parsed.lines, customer_references={"ACME-77": "C1"})
    assert result.payments == ("CAMT-1",)
    assert result.rules == (("CAMT-1", rule),)
    got = [(a.document_id, str(a.amount)) for a in bulk.list_allocations(source="CAMT-1")]
    assert got == applied
    credits = [str(c.unapplied) for c in bulk.credits(as_of=dt.date(2026, 12, 31))]
    assert credits == ([] if unapplied is None else [unapplied])
