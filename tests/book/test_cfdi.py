"""CFDI in the book: master data refused before anything is stored, stamping through a PAC
(UUID, stamp date and PAC recorded), credit notes related by UUID, cancellation with SAT's
reasons in the audit trail; on both stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.book import Book
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.io.cfdi import CancelReason, CfdiItem, CfdiSeller, Stamp, TestPac, verify_cfdi
from tests.book.clock import FakeClock
from tests.io.cfdi.cases import BUYER, BUYER_CFDI, csd, prepare_mx_book


def snapshot(book: Book) -> dict[str, list[tuple[object, ...]]]:
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


@pytest.fixture
def pac(clock: FakeClock) -> TestPac:
    return TestPac(lambda: clock().astimezone(dt.timezone(dt.timedelta(hours=-6))))


def test_stamping_records_uuid_date_and_pac(book: Book, pac: TestPac) -> None:
    inv = prepare_mx_book(book)
    record = book.stamp_cfdi(str(inv.number), csd(), pac)
    assert record.source == inv.number
    assert (record.cfdi_type, record.pac, record.stamped_by) == ("I", "SPR190613I52", "ana")
    # The clock stands at 2026-10-01 09:00 UTC: 03:00 in Mexico City.
    assert record.stamped_at == dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    assert record.cancel_reason is None
    xml = book.cfdi_xml(str(inv.number))
    assert verify_cfdi(xml) == []
    assert f'UUID="{record.uuid}"'.encode() in xml
    assert b'Total="9533.33"' in xml
    assert b'Fecha="2026-10-01T03:00:00"' in xml  # local time at 44100 (Guadalajara)
    assert book.cfdi_records(str(inv.number)) == [record]
    last = book.audit_log()[-1]
    assert last.command == "stamp_cfdi"
    assert record.uuid in last.args


def test_a_document_is_not_stamped_twice(book: Book, pac: TestPac) -> None:
    inv = prepare_mx_book(book)
    first = book.stamp_cfdi(str(inv.number), csd(), pac)
    with pytest.raises(InvalidState, match=f"already has CFDI {first.uuid}"):
        book.stamp_cfdi(str(inv.number), csd(), pac)


def test_bad_master_data_is_refused_and_nothing_is_stored(book: Book) -> None:
    prepare_mx_book(book)
    before = snapshot(book)
    with pytest.raises(ValidationError) as caught:
        book.set_cfdi_customer(str(BUYER.id), attrs.evolve(BUYER_CFDI, rfc="EKU9003173C8"))
    assert (caught.value.field, caught.value.value) == ("customer.rfc", "EKU9003173C8")
    with pytest.raises(ValidationError) as caught:
        book.set_cfdi_customer(str(BUYER.id), attrs.evolve(BUYER_CFDI, use="D01"))
    assert (caught.value.field, caught.value.value) == ("customer.use", "D01")
    with pytest.raises(ValidationError) as caught:
        book.set_cfdi_item("HONORARIOS", CfdiItem("80101500", "NOPE"))
    assert caught.value.field == "items[HONORARIOS].unit_key"
    with pytest.raises(ValidationError) as caught:
        book.set_cfdi_seller(CfdiSeller(regime="601"))  # a company regime for an individual
    assert (caught.value.field, caught.value.value) == ("seller.regime", "601")
    assert snapshot(book) == before


def test_master_data_is_versioned_and_the_latest_is_in_force(book: Book) -> None:
    prepare_mx_book(book)
    book.set_cfdi_customer(str(BUYER.id), attrs.evolve(BUYER_CFDI, use="G01"))
    assert book.cfdi_customer(str(BUYER.id)) == attrs.evolve(BUYER_CFDI, use="G01")
    versions = [r for r in book.export_table("cfdi_master_data")[1] if r[0] == "customer"]
    assert len(versions) == 2
    assert book.cfdi_item("HONORARIOS") == CfdiItem("80101500", "E48")
    assert book.cfdi_customer("nobody") is None


def test_missing_customer_cfdi_data_is_named(book: Book, pac: TestPac) -> None:
    prepare_mx_book(book)
    from tests.io.cfdi.cases import invoice, line

    other = attrs.evolve(BUYER, id=BUYER.id.__class__("C-NEW"))
    book.add_customer(other)
    inv = book.create_invoice(
        invoice([line("HONORARIOS", "1", "10.00")], buyer=other, issued=False),
        issue_date=dt.date(2026, 10, 1),
    )
    before = snapshot(book)
    with pytest.raises(ValidationError) as caught:
        book.stamp_cfdi(str(inv.number), csd(), pac)
    assert caught.value.field == "customers[C-NEW].cfdi"
    assert "o2c cfdi customer set C-NEW" in str(caught.value)
    assert snapshot(book) == before
    with pytest.raises(NotFound):
        book.cfdi_xml(str(inv.number))


def test_a_refused_stamp_stores_nothing(book: Book, clock: FakeClock) -> None:
    inv = prepare_mx_book(book)

    class Refusing(TestPac):
        def stamp(self, xml: bytes):  # type: ignore[no-untyped-def]
            raise ValidationError("cfdi", "CFDI40108", "a CFDI the PAC accepts")

    before = snapshot(book)
    with pytest.raises(ValidationError, match="CFDI40108"):
        book.stamp_cfdi(str(inv.number), csd(), Refusing(clock))
    assert snapshot(book) == before


def test_credit_note_is_stamped_as_an_egreso_related_to_the_invoice(
    book: Book, pac: TestPac
) -> None:
    inv = prepare_mx_book(book)
    note = book.create_credit_note(str(inv.number), reason="goodwill", amount=None)
    with pytest.raises(ValidationError, match="related_uuid"):
        book.stamp_cfdi(str(note.number), csd(), pac)
    stamped = book.stamp_cfdi(str(inv.number), csd(), pac)
    record = book.stamp_cfdi(str(note.number), csd(), pac)
    assert record.cfdi_type == "E"
    xml = book.cfdi_xml(str(note.number))
    assert verify_cfdi(xml) == []
    assert b'TipoRelacion="01"' in xml
    assert f'<cfdi:CfdiRelacionado UUID="{stamped.uuid}"/>'.encode() in xml
    assert b'TipoDeComprobante="E"' in xml
    assert b'Total="9533.33"' in xml  # the full credit


@pytest.mark.parametrize("reason", ["02", "03", "04"])
def test_cancellation_reasons_without_substitute(
    book: Book, pac: TestPac, clock: FakeClock, reason: str
) -> None:
    inv = prepare_mx_book(book)
    stamped = book.stamp_cfdi(str(inv.number), csd(), pac)
    done = book.cancel_cfdi(str(inv.number), reason, pac, actor="lee")
    assert (done.uuid, done.cancel_reason, done.substitute, done.cancelled_by) == (
        stamped.uuid,
        CancelReason.of(reason),
        None,
        "lee",
    )
    assert pac.cancelled[-1].reason is CancelReason.of(reason)
    last = book.audit_log()[-1]
    assert (last.command, last.actor) == ("cancel_cfdi", "lee")
    assert f'"reason":"{reason}"' in last.args
    with pytest.raises(NotFound):
        book.cfdi_xml(str(inv.number))  # no CFDI in force any more
    # A new CFDI may be stamped once the old one is cancelled (an hour later: a new Fecha).
    clock.advance(hours=1)
    again = book.stamp_cfdi(str(inv.number), csd(), pac)
    assert [r.uuid for r in book.cfdi_records(str(inv.number))] == [stamped.uuid, again.uuid]


def test_reason_01_needs_the_substitutes_uuid(book: Book, pac: TestPac) -> None:
    inv = prepare_mx_book(book)
    stamped = book.stamp_cfdi(str(inv.number), csd(), pac)
    before = snapshot(book)
    with pytest.raises(ValidationError) as caught:
        book.cancel_cfdi(str(inv.number), "01", pac)
    assert caught.value.field == "substitute"
    with pytest.raises(ValidationError, match="only 01"):
        book.cancel_cfdi(str(inv.number), "02", pac, substitute=stamped.uuid)
    with pytest.raises(ValidationError, match="reason: expected a SAT cancellation reason"):
        book.cancel_cfdi(str(inv.number), "05", pac)
    with pytest.raises(ValidationError, match="another CFDI"):
        book.cancel_cfdi(str(inv.number), "01", pac, substitute=stamped.uuid)
    assert snapshot(book) == before
    substitute = "5fb2822e-396d-4725-8521-cdc4bdd20ccf"
    done = book.cancel_cfdi(str(inv.number), "01", pac, substitute=substitute)
    assert done.substitute == substitute.upper()
    assert done.cancel_reason is CancelReason.ERRORS_WITH_RELATION


def test_usd_invoice_is_stamped_with_its_exchange_rate(book: Book, pac: TestPac) -> None:
    prepare_mx_book(book)
    from tests.io.cfdi.cases import USD, invoice, line

    usd_buyer = attrs.evolve(BUYER, id=BUYER.id.__class__("C-USD"), currency=USD)
    book.add_customer(usd_buyer)
    book.set_cfdi_customer("C-USD", BUYER_CFDI)
    draft = invoice(
        [line("CONSULTING", "10", "150.00", currency=USD)], buyer=usd_buyer, issued=False
    )
    inv = book.create_invoice(draft, issue_date=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError, match="exchange_rate"):
        book.stamp_cfdi(str(inv.number), csd(), pac)
    book.stamp_cfdi(str(inv.number), csd(), pac, exchange_rate=Decimal("18.2345"))
    xml = book.cfdi_xml(str(inv.number))
    assert b'Moneda="USD"' in xml
    assert b'TipoCambio="18.234500"' in xml
    assert verify_cfdi(xml) == []


def test_a_retried_stamp_returns_the_first_one_without_asking_the_pac(
    book: Book, pac: TestPac, clock: FakeClock
) -> None:
    inv = prepare_mx_book(book)

    class Counting(TestPac):
        calls = 0

        def stamp(self, xml: bytes) -> Stamp:
            Counting.calls += 1
            return super().stamp(xml)

    counting = Counting(clock)
    first = book.stamp_cfdi(str(inv.number), csd(), counting, idempotency_key="k-1")
    clock.advance(minutes=5)
    again = book.stamp_cfdi(str(inv.number), csd(), counting, idempotency_key="k-1")
    assert again == first
    assert Counting.calls == 1
    cancelled = book.cancel_cfdi(str(inv.number), "03", pac, idempotency_key="k-2")
    assert book.cancel_cfdi(str(inv.number), "03", pac, idempotency_key="k-2") == cancelled
    assert len(pac.cancelled) == 1
