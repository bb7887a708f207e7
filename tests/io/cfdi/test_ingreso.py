"""CFDI 4.0 Ingreso and Egreso from issued o2c documents: amounts as Anexo 20 rounds them,
SAT's XSDs, the seal, and master data refused before anything is sealed."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from o2c.billing import Document, ReasonCode, credit_note_for, issue
from o2c.errors import InvalidState, ValidationError
from o2c.ids import DocumentId
from o2c.io.cfdi import (
    CfdiCustomer,
    CfdiItem,
    TestPac,
    check_customer,
    tax_limits,
    verify_cfdi,
    write_cfdi,
)
from tests.io.cfdi.cases import (
    AT,
    BUYER,
    BUYER_CFDI,
    CERT_NUMBER,
    ITEMS,
    SELLER,
    USD,
    csd,
    invoice,
    line,
)

NS = {"cfdi": "http://www.sat.gob.mx/cfd/4"}


def written(doc: Document, **kw: Any) -> tuple[bytes, etree._Element]:
    options: dict[str, Any] = {
        "seller": SELLER,
        "customer": BUYER_CFDI,
        "items": ITEMS,
        "csd": csd(),
        "issued_at": AT,
    }
    options.update(kw)
    xml = write_cfdi(doc, **options)
    return xml, etree.fromstring(xml)


def one(root: etree._Element, path: str) -> etree._Element:
    (found,) = root.xpath(path, namespaces=NS)
    assert isinstance(found, etree._Element)
    return found


def test_professional_services_to_a_company_worked_example() -> None:
    # The issue's example: 10,000.00 MXN of professional services by an individual to a
    # company: IVA 1,600.00, ISR withheld 1,000.00, IVA withheld 1,066.67, total 9,533.33.
    doc = invoice([line("HONORARIOS", "1", "10000.00", description="Honorarios")])
    xml, root = written(doc)
    assert verify_cfdi(xml) == []
    assert (root.get("SubTotal"), root.get("Total"), root.get("Moneda")) == (
        "10000.00",
        "9533.33",
        "MXN",
    )
    assert (root.get("TipoDeComprobante"), root.get("MetodoPago"), root.get("FormaPago")) == (
        "I",
        "PPD",
        "99",
    )
    assert root.get("Folio") == "A-2026-000001"
    assert root.get("LugarExpedicion") == "44100"
    assert root.get("NoCertificado") == CERT_NUMBER
    concept = one(root, "cfdi:Conceptos/cfdi:Concepto")
    assert (concept.get("ClaveProdServ"), concept.get("ClaveUnidad"), concept.get("ObjetoImp")) == (
        "80101500",
        "E48",
        "02",
    )
    transfer = one(concept, "cfdi:Impuestos/cfdi:Traslados/cfdi:Traslado")
    assert dict(transfer.attrib) == {
        "Base": "10000.00",
        "Impuesto": "002",
        "TipoFactor": "Tasa",
        "TasaOCuota": "0.160000",
        "Importe": "1600.00",
    }
    withheld = concept.xpath("cfdi:Impuestos/cfdi:Retenciones/cfdi:Retencion", namespaces=NS)
    assert [(w.get("Impuesto"), w.get("TasaOCuota"), w.get("Importe")) for w in withheld] == [
        ("001", "0.100000", "1000.00"),
        ("002", "0.106667", "1066.67"),
    ]
    summary = one(root, "cfdi:Impuestos")
    assert (summary.get("TotalImpuestosTrasladados"), summary.get("TotalImpuestosRetenidos")) == (
        "1600.00",
        "2066.67",
    )
    assert [
        (r.get("Impuesto"), r.get("Importe"))
        for r in summary.xpath("cfdi:Retenciones/cfdi:Retencion", namespaces=NS)
    ] == [("001", "1000.00"), ("002", "1066.67")]
    emisor, receptor = one(root, "cfdi:Emisor"), one(root, "cfdi:Receptor")
    assert dict(emisor.attrib) == {
        "Rfc": "GODE561231GR8",
        "Nombre": "EDUARDO GOMEZ DIAZ",
        "RegimenFiscal": "612",
    }
    assert dict(receptor.attrib) == {
        "Rfc": "EKU9003173C9",
        "Nombre": "ESCUELA KEMPER URGATE",
        "DomicilioFiscalReceptor": "42501",
        "RegimenFiscalReceptor": "601",
        "UsoCFDI": "G03",
    }


def test_the_seal_verifies_and_any_change_after_sealing_breaks_it() -> None:
    doc = invoice([line("HONORARIOS", "1", "10000.00")])
    xml, _ = written(doc)
    tampered = xml.replace(b'UsoCFDI="G03"', b'UsoCFDI="G01"')
    assert tampered != xml
    problems = verify_cfdi(tampered)
    assert problems == [
        "Sello does not verify with the certificate (the XML changed after sealing?)"
    ]


def test_a_total_that_does_not_add_up_is_found() -> None:
    doc = invoice([line("HONORARIOS", "1", "10000.00")])
    xml, _ = written(doc)
    wrong = xml.replace(b'Total="9533.33"', b'Total="9533.34"')
    assert "Total 9533.34 != 9533.33 recomputed from the concepts" in verify_cfdi(wrong)


def test_schema_violations_are_reported_from_sats_xsd() -> None:
    doc = invoice([line("HONORARIOS", "1", "10000.00")])
    xml, _ = written(doc)
    broken = xml.replace(b'LugarExpedicion="44100"', b'LugarExpedicion="4410"')
    (problem,) = verify_cfdi(broken)
    assert problem.startswith("XSD line")
    assert "LugarExpedicion" in problem


def test_iva_8_0_and_exempt_lines_with_a_discount() -> None:
    # 3 widgets at 33.33 = 99.99 less 10 % = 89.99 net (Descuento 10.00): IVA 16 % 14.40;
    # medicine at 0 %, a course exempt (Exento: no rate, no amount).
    doc = invoice(
        [
            line("WIDGET", "3", "33.33", discount_percent=Decimal(10)),
            line("WIDGET", "2", "50.00", tax_code="medicine", description="Medicina"),
            line("CONSULTING", "1", "200.00", tax_code="education", description="Curso"),
        ]
    )
    xml, root = written(doc)
    assert verify_cfdi(xml) == []
    concepts = root.xpath("cfdi:Conceptos/cfdi:Concepto", namespaces=NS)
    assert [(c.get("Importe"), c.get("Descuento")) for c in concepts] == [
        ("99.99", "10.00"),
        ("100.00", None),
        ("200.00", None),
    ]
    transfers = [
        dict(t.attrib)
        for t in root.xpath("cfdi:Impuestos/cfdi:Traslados/cfdi:Traslado", namespaces=NS)
    ]
    assert transfers == [
        {
            "Base": "89.99",
            "Impuesto": "002",
            "TipoFactor": "Tasa",
            "TasaOCuota": "0.160000",
            "Importe": "14.40",
        },
        {
            "Base": "100.00",
            "Impuesto": "002",
            "TipoFactor": "Tasa",
            "TasaOCuota": "0.000000",
            "Importe": "0.00",
        },
        {"Base": "200.00", "Impuesto": "002", "TipoFactor": "Exento"},
    ]
    assert (root.get("SubTotal"), root.get("Descuento"), root.get("Total")) == (
        "399.99",
        "10.00",
        str(doc.totals.payable.amount),
    )
    # 389.99 net + IVA 14.40 - ISR withheld 9.00 - IVA withheld 9.60 (on the 16 % line).
    assert doc.totals.payable.amount == Decimal("385.79")
    assert one(root, "cfdi:Impuestos").get("TotalImpuestosRetenidos") == "18.60"


def test_usd_invoice_carries_the_exchange_rate() -> None:
    usd_buyer = attrs.evolve(BUYER, currency=USD)
    doc = invoice(
        [line("CONSULTING", "10", "150.00", currency=USD)], buyer=usd_buyer, number="A-2026-000002"
    )
    xml, root = written(doc, exchange_rate=Decimal("18.2345"))
    assert verify_cfdi(xml) == []
    assert (root.get("Moneda"), root.get("TipoCambio"), root.get("SubTotal")) == (
        "USD",
        "18.234500",
        "1500.00",
    )
    assert root.get("Total") == str(doc.totals.payable.amount)
    with pytest.raises(ValidationError, match="exchange_rate: expected the pesos per USD"):
        written(doc)


def test_credit_note_is_an_egreso_related_to_its_invoice_by_uuid() -> None:
    doc = invoice([line("HONORARIOS", "2", "5000.00")])
    stamped = TestPac(lambda: AT).stamp(written(doc)[0])
    draft = credit_note_for(
        doc, (), id=DocumentId("CN-1"), reason=ReasonCode.WRONG_QUANTITY, quantities={1: Decimal(1)}
    )
    note = issue(draft, "NC-2026-000001", dt.date(2026, 11, 5))
    xml, root = written(note, related_uuid=stamped.uuid)
    assert verify_cfdi(xml) == []
    assert (root.get("TipoDeComprobante"), root.get("MetodoPago"), root.get("FormaPago")) == (
        "E",
        "PUE",
        "17",
    )
    relation = one(root, "cfdi:CfdiRelacionados")
    assert relation.get("TipoRelacion") == "01"
    assert one(relation, "cfdi:CfdiRelacionado").get("UUID") == stamped.uuid
    # Half the invoice: 5,000.00 + IVA 800.00 - ISR 500.00 - IVA withheld 533.34 (rounded
    # on the credit's own base: 5000 x 0.106667 = 533.335 -> 533.34).
    assert (root.get("SubTotal"), root.get("Total")) == ("5000.00", str(note.totals.payable.amount))
    with pytest.raises(ValidationError, match="related_uuid"):
        written(note)


def test_bad_rfc_check_digit_is_refused_naming_field_and_value() -> None:
    bad = CfdiCustomer(regime="601", postal_code="42501", use="G03", rfc="EKU9003173C8")
    doc = invoice([line("HONORARIOS", "1", "10000.00")])
    with pytest.raises(ValidationError) as caught:
        written(doc, customer=bad)
    assert caught.value.field == "customer.rfc"
    assert caught.value.value == "EKU9003173C8"
    assert "check digit" in str(caught.value)


def test_regime_not_allowed_for_the_cfdi_use_is_refused() -> None:
    # D01 (medical fees) is a personal deduction: a company in 601 cannot receive it.
    bad = attrs.evolve(BUYER_CFDI, use="D01")
    with pytest.raises(ValidationError) as caught:
        written(invoice([line("HONORARIOS", "1", "10000.00")]), customer=bad)
    assert (caught.value.field, caught.value.value) == ("customer.use", "D01")
    assert "regime 601" in str(caught.value)


def test_all_master_data_problems_are_reported_at_once() -> None:
    bad = CfdiCustomer(
        regime="999", postal_code="00001", use="G99", payment_method="PPD", payment_form="03"
    )
    problems = check_customer(bad, rfc="EKU9003173C9")
    assert [(p.field, p.value) for p in problems] == [
        ("customer.regime", "999"),
        ("customer.use", "G99"),
        ("customer.postal_code", "00001"),
        ("customer.payment_form", "03"),
    ]


def test_generic_public_rfc_needs_regime_616_and_use_s01() -> None:
    assert (
        check_customer(
            CfdiCustomer(regime="616", postal_code="44100", use="S01"), rfc="XAXX010101000"
        )
        == ()
    )
    (problem,) = check_customer(BUYER_CFDI, rfc="XAXX010101000")
    assert problem.field == "customer.regime"


def test_item_without_sat_keys_is_refused() -> None:
    doc = invoice([line("HONORARIOS", "1", "100.00"), line("OTHER", "1", "5.00")])
    with pytest.raises(ValidationError) as caught:
        written(doc)
    assert (caught.value.field, caught.value.value) == ("lines[1].item", "OTHER")


def test_unknown_product_key_is_refused() -> None:
    items = {**ITEMS, "HONORARIOS": CfdiItem("99999999", "E48")}
    with pytest.raises(ValidationError) as caught:
        written(invoice([line("HONORARIOS", "1", "100.00")]), items=items)
    assert (caught.value.field, caught.value.value) == ("items[HONORARIOS].product_key", "99999999")


def test_a_csd_of_another_rfc_is_refused() -> None:
    with pytest.raises(ValidationError, match="a CSD of the issuer's RFC GODE561231GR8"):
        written(invoice([line("HONORARIOS", "1", "100.00")]), csd=csd("EKU9003173C9"))


def test_a_draft_is_not_a_cfdi() -> None:
    doc = invoice([line("HONORARIOS", "1", "100.00")], issued=False)
    with pytest.raises(InvalidState):
        written(doc)


def test_anexo_20_tax_limits() -> None:
    assert tax_limits(Decimal("10000.00"), Decimal("0.160000"), 2) == (
        Decimal("1599.99"),
        Decimal("1600.01"),
    )
    assert tax_limits(Decimal("0.01"), Decimal("0.160000"), 2) == (Decimal("0.00"), Decimal("0.01"))


def test_the_seal_is_sha256_rsa_over_the_original_string() -> None:
    from satcfdi.cfdi import CFDI

    _, root = written(invoice([line("HONORARIOS", "1", "10000.00")]))
    original = CFDI.from_xml(root).cadena_original()
    assert original.startswith(
        "||4.0|A-2026-000001|2026-10-31T12:00:00|99|30001000000500003416|10000.00|MXN"
        "|9533.33|I|01|PPD|44100|"
    )
    assert csd().signer.verify_sha256(original.encode(), base64.b64decode(root.get("Sello", "")))


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("1"), max_value=Decimal("999"), places=2),
            st.decimals(min_value=Decimal("0.10"), max_value=Decimal("99999"), places=2),
            st.sampled_from(["", "medicine", "education"]),
            st.sampled_from(["0", "5", "12.5"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_cfdi_totals_always_equal_the_documents_and_validate(
    rows: list[tuple[Decimal, Decimal, str, str]],
) -> None:
    doc = invoice(
        [
            line("HONORARIOS", str(q), str(p), tax_code=code, discount_percent=Decimal(d))
            for q, p, code, d in rows
        ]
    )
    xml, root = written(doc)
    assert verify_cfdi(xml) == []
    assert Decimal(root.get("Total", "")) == doc.totals.payable.amount
    discount = Decimal(root.get("Descuento") or 0)
    assert Decimal(root.get("SubTotal", "")) - discount == doc.totals.net.amount
