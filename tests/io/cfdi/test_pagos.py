"""Pagos 2.0: a PPD invoice paid in two installments whose balances chain to zero; taxes paid
in proportion add up to the invoice's; several invoices in one complement; foreign currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from o2c.errors import ValidationError
from o2c.io.cfdi import Installment, TestPac, verify_cfdi, write_cfdi, write_payment_complement
from o2c.parties import Customer
from tests.io.cfdi.cases import AT, BUYER, BUYER_CFDI, ITEMS, SELLER, USD, csd, invoice, line

P = "http://www.sat.gob.mx/Pagos20"
NS = {"p": P, "cfdi": "http://www.sat.gob.mx/cfd/4"}
PAID = dt.datetime(2026, 11, 15, 12, 0)


def stamped(
    *, number: str = "A-2026-000001", price: str = "10000.00", buyer: Customer = BUYER
) -> bytes:
    doc = invoice(
        [line("HONORARIOS", "1", price, currency=buyer.currency)], number=number, buyer=buyer
    )
    options: dict[str, object] = {}
    if doc.currency.code != "MXN":
        options["exchange_rate"] = Decimal("18.00")
    xml = write_cfdi(
        doc,
        seller=SELLER,
        customer=BUYER_CFDI,
        items=ITEMS,
        csd=csd(),
        issued_at=AT,
        **options,  # type: ignore[arg-type]
    )
    return TestPac(lambda: AT).stamp(xml).xml


def complement(parts: list[Installment], **kw: object) -> etree._Element:
    options: dict[str, object] = {
        "paid_at": PAID,
        "payment_form": "03",
        "csd": csd(),
        "issued_at": dt.datetime(2026, 11, 16, 10, 0),
        "folio": "PAY-1",
    }
    options.update(kw)
    xml = write_payment_complement(parts, **options)  # type: ignore[arg-type]
    assert verify_cfdi(xml) == []
    return etree.fromstring(xml)


def docto(root: etree._Element) -> list[dict[str, str]]:
    return [dict(d.attrib) for d in root.iterfind(".//p:DoctoRelacionado", NS)]


def test_two_installments_chain_to_zero_and_their_taxes_add_up() -> None:
    inv = stamped()
    first = complement([Installment(inv, 1, Decimal("9533.33"), Decimal("5000.00"))])
    second = complement([Installment(inv, 2, Decimal("4533.33"), Decimal("4533.33"))])
    one, two = docto(first)[0], docto(second)[0]
    assert (
        one["NumParcialidad"],
        one["ImpSaldoAnt"],
        one["ImpPagado"],
        one["ImpSaldoInsoluto"],
    ) == (
        "1",
        "9533.33",
        "5000.00",
        "4533.33",
    )
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
    assert first.get("TipoDeComprobante") == "P"
    tfd = etree.fromstring(inv).find(".//{*}TimbreFiscalDigital")
    assert tfd is not None
    assert one["IdDocumento"] == tfd.get("UUID")
    totals = [root.find(".//p:Totales", NS) for root in (first, second)]
    assert [dict(t.attrib) for t in totals if t is not None] == [
        {
            "TotalRetencionesIVA": "559.44",
            "TotalRetencionesISR": "524.48",
            "TotalTrasladosBaseIVA16": "5244.76",
            "TotalTrasladosImpuestoIVA16": "839.16",
            "MontoTotalPagos": "5000.00",
        },
        {
            "TotalRetencionesIVA": "507.23",
            "TotalRetencionesISR": "475.52",
            "TotalTrasladosBaseIVA16": "4755.24",
            "TotalTrasladosImpuestoIVA16": "760.84",
            "MontoTotalPagos": "4533.33",
        },
    ]
    # Base 10,000.00, IVA 1,600.00, ISR 1,000.00, IVA withheld 1,066.67: as invoiced.


def test_several_invoices_in_one_complement() -> None:
    a = stamped(number="A-1")
    b = stamped(number="A-2", price="500.00")
    root = complement(
        [
            Installment(a, 1, Decimal("9533.33"), Decimal("9533.33")),
            Installment(b, 1, Decimal("476.67"), Decimal("476.67")),
        ]
    )
    assert [(d["Folio"], d["ImpSaldoInsoluto"]) for d in docto(root)] == [
        ("A-1", "0.00"),
        ("A-2", "0.00"),
    ]
    pago = root.find(".//p:Pago", NS)
    assert pago is not None
    assert pago.get("Monto") == "10010.00"


def test_a_usd_payment_carries_its_exchange_rate() -> None:
    buyer = attrs.evolve(BUYER, currency=USD)
    doc = stamped(buyer=buyer, price="1000.00")
    with pytest.raises(ValidationError, match="TipoCambioP"):
        complement([Installment(doc, 1, Decimal("953.33"), Decimal("953.33"))])
    root = complement(
        [Installment(doc, 1, Decimal("953.33"), Decimal("953.33"))], exchange_rate=Decimal("17.5")
    )
    pago = root.find(".//p:Pago", NS)
    assert pago is not None
    assert (pago.get("MonedaP"), pago.get("TipoCambioP"), pago.get("Monto")) == (
        "USD",
        "17.500000",
        "953.33",
    )


def test_refusals_name_field_and_value() -> None:
    inv = stamped()
    with pytest.raises(ValidationError) as caught:
        complement([Installment(inv, 1, Decimal("9533.33"), Decimal("9600.00"))])
    assert (caught.value.field, caught.value.value) == ("installments[0].paid", "9600.00")
    with pytest.raises(ValidationError) as caught:
        complement([Installment(inv, 1, Decimal("9533.33"), Decimal("1.00"))], payment_form="99")
    assert (caught.value.field, caught.value.value) == ("payment_form", "99")
    pue = attrs.evolve(BUYER_CFDI, payment_method="PUE", payment_form="03")
    doc = invoice([line("HONORARIOS", "1", "100.00")])
    xml = write_cfdi(doc, seller=SELLER, customer=pue, items=ITEMS, csd=csd(), issued_at=AT)
    with pytest.raises(ValidationError, match="PUE invoice was paid at issue"):
        complement(
            [Installment(TestPac(lambda: AT).stamp(xml).xml, 1, Decimal("95.33"), Decimal("1"))]
        )


@settings(max_examples=30)  # each example seals and validates two CFDIs
@given(st.integers(min_value=1, max_value=953332))
def test_any_split_in_two_installments_pays_exactly_the_invoices_taxes(cents: int) -> None:
    inv = STAMPED
    first_paid = Decimal(cents).scaleb(-2)
    rest = Decimal("9533.33") - first_paid
    roots = [
        complement([Installment(inv, 1, Decimal("9533.33"), first_paid)]),
        complement([Installment(inv, 2, rest, rest)]),
    ]
    sums: dict[str, Decimal] = {}
    for root in roots:
        totals = root.find(".//p:Totales", NS)
        assert totals is not None
        for name, value in totals.items():
            sums[name] = sums.get(name, Decimal(0)) + Decimal(value)
    assert sums == {
        "TotalRetencionesIVA": Decimal("1066.67"),
        "TotalRetencionesISR": Decimal("1000.00"),
        "TotalTrasladosBaseIVA16": Decimal("10000.00"),
        "TotalTrasladosImpuestoIVA16": Decimal("1600.00"),
        "MontoTotalPagos": Decimal("9533.33"),
    }


STAMPED = stamped()
