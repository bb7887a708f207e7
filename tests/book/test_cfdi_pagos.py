"""Payment complements from the AR ledger: a PPD invoice paid in two installments whose
complements chain to zero, as the sub-ledger shows; refusals store nothing (both stores)."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from o2c.book import Book
from o2c.errors import InvalidState, ValidationError
from o2c.io.cfdi import TestPac, verify_cfdi
from o2c.money import Money
from tests.book.clock import FakeClock
from tests.io.cfdi.cases import BUYER, BUYER_CFDI, csd, invoice, line, prepare_mx_book

NS = {"p": "http://www.sat.gob.mx/Pagos20"}


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


def snapshot(book: Book) -> dict[str, list[tuple[object, ...]]]:
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


@pytest.fixture
def pac(clock: FakeClock) -> TestPac:
    return TestPac(lambda: clock().astimezone(dt.timezone(dt.timedelta(hours=-6))))


def docto(xml: bytes) -> dict[str, str]:
    (found,) = etree.fromstring(xml).iterfind(".//p:DoctoRelacionado", NS)
    return dict(found.attrib)


def test_two_installments_chain_to_zero_with_the_ledger(
    book: Book, pac: TestPac, clock: FakeClock
) -> None:
    inv = prepare_mx_book(book)
    number = str(inv.number)
    stamped = book.stamp_cfdi(number, csd(), pac)
    first = book.record_payment(str(BUYER.id), mxn("5000.00"), date=dt.date(2026, 11, 15))
    book.allocate(str(first.id), {number: mxn("5000.00")}, date=dt.date(2026, 11, 15))
    record = book.stamp_payment_complement(str(first.id), csd(), pac)
    assert (record.cfdi_type, record.source) == ("P", str(first.id))
    xml = book.payment_complement_xml(str(first.id))
    assert verify_cfdi(xml) == []
    one = docto(xml)
    assert (one["IdDocumento"], one["NumParcialidad"]) == (stamped.uuid, "1")
    assert (one["ImpSaldoAnt"], one["ImpPagado"], one["ImpSaldoInsoluto"]) == (
        "9533.33",
        "5000.00",
        "4533.33",
    )
    pago = etree.fromstring(xml).find(".//p:Pago", NS)
    assert pago is not None
    assert (pago.get("FechaPago"), pago.get("FormaDePagoP"), pago.get("Monto")) == (
        "2026-11-15T12:00:00",
        "03",
        "5000.00",
    )
    clock.advance(days=20)
    second = book.record_payment(str(BUYER.id), mxn("4533.33"), date=dt.date(2026, 12, 5))
    book.allocate(str(second.id), {number: mxn("4533.33")}, date=dt.date(2026, 12, 5))
    book.stamp_payment_complement(str(second.id), csd(), pac)
    two = docto(book.payment_complement_xml(str(second.id)))
    assert (
        two["NumParcialidad"],
        two["ImpSaldoAnt"],
        two["ImpPagado"],
        two["ImpSaldoInsoluto"],
    ) == (
        "2",
        "4533.33",
        "4533.33",
        "0.00",
    )
    # The sub-ledger agrees: nothing open on the invoice.
    assert [i for i in book.open_items(customer=str(BUYER.id)) if i.number == number] == []
    # The first complement, re-derived now, still says what it said.
    (again,) = book.payment_installments(str(first.id))
    assert (again.number, again.previous_balance, again.paid) == (
        1,
        Decimal("9533.33"),
        Decimal("5000.00"),
    )


def test_a_complement_is_not_stamped_twice(book: Book, pac: TestPac) -> None:
    inv = prepare_mx_book(book)
    book.stamp_cfdi(str(inv.number), csd(), pac)
    pay = book.record_payment(str(BUYER.id), mxn("100.00"), date=dt.date(2026, 11, 15))
    book.allocate(str(pay.id), {str(inv.number): mxn("100.00")}, date=dt.date(2026, 11, 15))
    book.stamp_payment_complement(str(pay.id), csd(), pac)
    with pytest.raises(InvalidState, match="already has complement"):
        book.stamp_payment_complement(str(pay.id), csd(), pac)


def test_a_payment_to_an_unstamped_invoice_is_refused_and_nothing_stored(
    book: Book, pac: TestPac
) -> None:
    inv = prepare_mx_book(book)
    pay = book.record_payment(str(BUYER.id), mxn("100.00"), date=dt.date(2026, 11, 15))
    with pytest.raises(InvalidState, match="not applied to any invoice"):
        book.stamp_payment_complement(str(pay.id), csd(), pac)
    book.allocate(str(pay.id), {str(inv.number): mxn("100.00")}, date=dt.date(2026, 11, 15))
    before = snapshot(book)
    with pytest.raises(ValidationError) as caught:
        book.stamp_payment_complement(str(pay.id), csd(), pac)
    assert (caught.value.field, caught.value.value) == ("invoice", inv.number)
    assert snapshot(book) == before


def test_a_pue_invoice_gets_no_complement(book: Book, pac: TestPac) -> None:
    prepare_mx_book(book)
    book.set_cfdi_customer(
        str(BUYER.id), attrs.evolve(BUYER_CFDI, payment_method="PUE", payment_form="03")
    )
    pue = book.create_invoice(
        invoice([line("HONORARIOS", "1", "100.00")], issued=False), issue_date=dt.date(2026, 10, 1)
    )
    book.stamp_cfdi(str(pue.number), csd(), pac)
    pay = book.record_payment(str(BUYER.id), mxn("95.33"), date=dt.date(2026, 10, 1))
    book.allocate(str(pay.id), {str(pue.number): mxn("95.33")}, date=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError, match="PUE invoice was paid at issue"):
        book.stamp_payment_complement(str(pay.id), csd(), pac)


def test_a_credit_note_before_the_payment_lowers_the_previous_balance(
    book: Book, pac: TestPac
) -> None:
    # 9,533.33 invoiced; a credit note of 1,000.00 net (1,000 + 160 IVA - 100 ISR - 106.67
    # IVA withheld = 953.33) applied to it; then 8,580.00 paid: previous balance 8,580.00,
    # remaining 0.00, and still installment 1 (a credit note is not a payment).
    inv = prepare_mx_book(book)
    number = str(inv.number)
    book.stamp_cfdi(number, csd(), pac)
    note = book.create_credit_note(number, reason="goodwill", amount=mxn("1000.00"))
    assert note.totals.payable == mxn("953.33")
    book.allocate(str(note.id), {number: mxn("953.33")}, date=dt.date(2026, 11, 1))
    pay = book.record_payment(str(BUYER.id), mxn("8580.00"), date=dt.date(2026, 11, 15))
    book.allocate(str(pay.id), {number: mxn("8580.00")}, date=dt.date(2026, 11, 15))
    book.stamp_payment_complement(str(pay.id), csd(), pac)
    found = docto(book.payment_complement_xml(str(pay.id)))
    assert (found["NumParcialidad"], found["ImpSaldoAnt"], found["ImpSaldoInsoluto"]) == (
        "1",
        "8580.00",
        "0.00",
    )


@settings(max_examples=10, deadline=None)  # each example opens a book and stamps CFDIs
@given(
    st.lists(st.integers(min_value=1, max_value=300_000), min_size=1, max_size=3),  # <= 9,000.00
    st.booleans(),
)
def test_complements_always_chain_to_what_the_ledger_has_open(
    cents: list[int], pay_the_rest: bool
) -> None:
    clock = FakeClock(dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC))
    pac = TestPac(lambda: clock().astimezone(dt.timezone(dt.timedelta(hours=-6))))
    with (
        tempfile.TemporaryDirectory() as folder,
        Book.open(Path(folder) / "b.o2c", actor="ana", clock=clock) as book,
    ):
        inv = prepare_mx_book(book)
        number = str(inv.number)
        book.stamp_cfdi(number, csd(), pac)
        amounts = [Decimal(c).scaleb(-2) for c in cents]
        if pay_the_rest:
            amounts.append(Decimal("9533.33") - sum(amounts))
        previous = Decimal("9533.33")
        for n, amount in enumerate(amounts, start=1):
            clock.advance(days=1)
            pay = book.record_payment(str(BUYER.id), mxn(str(amount)), date=clock().date())
            book.allocate(str(pay.id), {number: mxn(str(amount))}, date=clock().date())
            book.stamp_payment_complement(str(pay.id), csd(), pac)
            found = docto(book.payment_complement_xml(str(pay.id)))
            assert found["NumParcialidad"] == str(n)
            assert Decimal(found["ImpSaldoAnt"]) == previous
            previous = Decimal(found["ImpSaldoInsoluto"])
            assert previous == Decimal(found["ImpSaldoAnt"]) - amount
        open_now = [i.open.amount for i in book.open_items(customer=str(BUYER.id))]
        assert sum(open_now, Decimal(0)) == previous
