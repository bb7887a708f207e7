"""UBL 2.1 / EN 16931 / Peppol BIS 3: what a buyer's accounts-payable system reads.

Each document is validated against the OASIS UBL 2.1 XSDs and the calculation rules
BR-CO-10..17 (:func:`tests.io.ubl_cases.assert_valid`), then its exact amounts are checked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from lxml import etree

from o2c.billing import (
    Document,
    DocumentLine,
    LineSource,
    LineTax,
    ReasonCode,
    adjustment_line,
    credit_note_for,
    debit_note_for,
    draft_document,
    issue,
    snapshot,
)
from o2c.errors import ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.io.ubl import (
    CUSTOMIZATION_ID,
    PROFILE_ID,
    PrecedingInvoice,
    unit_code,
    write_ubl,
)
from o2c.money import Money
from o2c.parties import ElectronicAddress
from tests.io.ubl_cases import (
    BUYER_DE,
    BUYER_FR,
    BUYER_MX,
    BUYER_US,
    EUR,
    ISSUED,
    MXN,
    SELLER_DE,
    SELLER_MX,
    expected_payment_id,
    invoice,
    line,
    written,
)

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def xpath(xml: bytes, path: str) -> list[str]:
    """Texts (or attribute values) at ``path`` in ``xml``."""
    found = etree.fromstring(xml).xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [str(x.text if isinstance(x, etree._Element) else x) for x in found]


def m(amount: str, currency: str = "EUR") -> Money:
    return Money.of(amount, currency)


@pytest.fixture(scope="module")
def de_invoice() -> Document:
    """DE seller to a DE business: 19 %, 7 % and an exempt course, a 10 % line discount."""
    return invoice(
        BUYER_DE,
        [
            line("CONSULTING", "3", "333.33", discount="10", description="Beratung"),
            line("BOOK", "2", "19.99", tax_code="reduced", description="Fachbuch"),
            line("COURSE", "1", "50.00", tax_code="E", description="Schulung"),
        ],
        po_number="PO-4711",
    )


def test_eur_invoice_of_a_german_seller_is_a_peppol_bis3_invoice(de_invoice: Document) -> None:
    xml, ubl = written(de_invoice, units={"CONSULTING": "hour", "BOOK": "each"})
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert ubl.customization_id == CUSTOMIZATION_ID
    assert ubl.profile_id == PROFILE_ID
    assert (ubl.type_code, ubl.number, ubl.issue_date) == ("380", "INV-2026-000001", ISSUED)
    assert ubl.due_date == dt.date(2026, 11, 30)
    assert ubl.po_number == "PO-4711"
    assert ubl.buyer_reference == ""  # the PO is the buyer's reference (PEPPOL-EN16931-R003)
    assert [(ln.quantity, ln.unit_code) for ln in ubl.lines] == [
        (Decimal(3), "HUR"),
        (Decimal(2), "EA"),
        (Decimal(1), "C62"),
    ]
    t = ubl.totals
    assert (t.line_extension, t.tax_exclusive) == (m("989.97"), m("989.97"))
    # 899.99 x 19 % = 171.00; 39.98 x 7 % = 2.80 (2.7986); the course is exempt.
    assert (t.tax, t.tax_inclusive, t.payable) == (m("173.80"), m("1163.77"), m("1163.77"))
    assert t.prepaid == m("0")


def test_each_vat_rate_has_its_own_breakdown_row_br_s_08(de_invoice: Document) -> None:
    _, ubl = written(de_invoice)
    rows = [(s.category, s.rate, s.taxable, s.tax) for s in ubl.tax_subtotals]
    assert rows == [
        ("S", Decimal("0.19"), m("899.99"), m("171.00")),
        ("S", Decimal("0.07"), m("39.98"), m("2.80")),
        ("E", Decimal("0"), m("50.00"), m("0.00")),
    ]
    standard = [s for s in ubl.tax_subtotals if s.category == "S"]
    assert all(s.exemption_reason is None and s.exemption_code is None for s in standard)


def test_exempt_row_carries_its_exemption_reason_br_e_10(de_invoice: Document) -> None:
    _, ubl = written(de_invoice)
    (exempt,) = [s for s in ubl.tax_subtotals if s.category == "E"]
    assert exempt.exemption_reason == "item COURSE is exempt"
    assert exempt.rate == Decimal(0)
    assert exempt.tax == m("0.00")


def test_line_discount_is_a_line_allowance_so_quantity_times_price_less_it_is_the_net(
    de_invoice: Document,
) -> None:
    xml, ubl = written(de_invoice)
    consulting = ubl.lines[0]
    # 3 x 333.33 = 999.99, less 10 % = 899.991 -> 899.99: the allowance is 100.00.
    assert (consulting.price, consulting.net, consulting.allowance) == (
        m("333.33"),
        m("899.99"),
        m("100.00"),
    )
    assert xpath(xml, "//cac:InvoiceLine[1]/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode") == [
        "95"
    ]
    assert ubl.lines[1].allowance == m("0")


def test_seller_and_buyer_carry_vat_ids_endpoints_addresses_and_legal_data(
    de_invoice: Document,
) -> None:
    xml, ubl = written(de_invoice)
    s, b = ubl.seller, ubl.buyer
    assert (s.name, s.trading_name, s.vat_id) == (
        "Beispiel Software GmbH",
        "Beispiel Software",
        "DE811907980",
    )
    assert s.endpoint == ElectronicAddress("0088", "4012345000009")
    assert s.legal_info == "HRB 12345, Amtsgericht München"
    assert s.address == SELLER_DE.address
    assert (s.email, s.phone) == ("rechnung@beispiel.de", "+49 89 123456")
    assert (b.name, b.vat_id, b.identifier) == ("Kunde GmbH", "DE136695976", "C-DE")
    # No Peppol id given: the buyer's VAT id under the German VAT scheme 9930.
    assert b.endpoint == ElectronicAddress("9930", "DE136695976")
    assert b.address == BUYER_DE.billing_address
    assert xpath(xml, "//cac:AccountingSupplierParty//cac:PartyTaxScheme/cac:TaxScheme/cbc:ID") == [
        "VAT"
    ]


def test_given_buyer_endpoint_and_reference_are_written(de_invoice: Document) -> None:
    peppol_id = ElectronicAddress("0204", "991-12345-67")
    _, ubl = written(de_invoice, buyer_endpoint=peppol_id, buyer_reference="04011000-1234-56")
    assert ubl.buyer.endpoint == peppol_id
    assert ubl.buyer_reference == "04011000-1234-56"


def test_customer_gln_endpoint_is_the_buyer_endpoint_and_an_explicit_one_still_wins() -> None:
    gln = ElectronicAddress("0088", "4012345000009")
    buyer = attrs.evolve(BUYER_DE, electronic_address=gln)
    doc = invoice(buyer, [line("CONSULTING", "1", "100.00")])
    assert doc.customer.electronic_address == gln
    xml, ubl = written(doc)  # validated against the UBL 2.1 XSD
    assert ubl.buyer.endpoint == gln  # not the 9930 VAT-id endpoint
    assert xpath(xml, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == ["0088"]
    assert xpath(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == ["4012345000009"]
    leitweg = ElectronicAddress("0204", "991-12345-67")
    _, given = written(doc, buyer_endpoint=leitweg)
    assert given.buyer.endpoint == leitweg


def test_payment_means_is_a_sepa_transfer_to_the_sellers_iban_with_the_payment_id(
    de_invoice: Document,
) -> None:
    _xml, ubl = written(de_invoice)
    assert ubl.payment is not None
    assert (ubl.payment.means_code, ubl.payment.iban, ubl.payment.bic) == (
        "58",
        "DE89370400440532013000",
        "COBADEFFXXX",
    )
    # The ISO 11649 creditor reference of the number, which cash application matches.
    assert ubl.payment.payment_id == "RF94INV2026000001" == expected_payment_id(de_invoice)
    assert ubl.payment.holder == "Beispiel Software GmbH"
    assert ubl.payment_terms == "net 30"
    _, given = written(de_invoice, payment_reference="RF18539007547034")
    assert given.payment is not None
    assert given.payment.payment_id == "RF18539007547034"


def test_a_usd_invoice_pays_by_plain_credit_transfer_code_30() -> None:
    usd_buyer = attrs.evolve(BUYER_US, currency=attrs.evolve(EUR, code="USD"))
    doc = invoice(
        usd_buyer, [line("WIDGET", "2", "10.00", tax_code="goods", currency=usd_buyer.currency)]
    )
    _, ubl = written(doc)
    assert ubl.payment is not None
    assert ubl.payment.means_code == "30"


def test_reverse_charge_to_a_french_business_br_ae() -> None:
    doc = invoice(BUYER_FR, [line("CONSULTING", "10", "120.00")], number="INV-2026-000002")
    xml, ubl = written(doc)
    (row,) = ubl.tax_subtotals
    assert (row.category, row.rate, row.taxable, row.tax) == (
        "AE",
        Decimal(0),
        m("1200.00"),
        m("0.00"),
    )
    assert row.exemption_code == "VATEX-EU-AE"  # BR-AE-10: reason code and text
    assert row.exemption_reason is not None
    assert "Reverse charge" in row.exemption_reason
    assert "Article 196" in ubl.note  # the reverse-charge note for the buyer
    # BR-AE-02: seller and buyer VAT ids are both there.
    assert (ubl.seller.vat_id, ubl.buyer.vat_id) == ("DE811907980", "FR40303265045")
    assert ubl.buyer.endpoint == ElectronicAddress("9957", "FR40303265045")
    assert ubl.lines[0].category == "AE"
    assert ubl.lines[0].rate == Decimal(0)
    assert (ubl.totals.tax, ubl.totals.payable) == (m("0.00"), m("1200.00"))
    assert xpath(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == ["0"]


def test_zero_rated_line_has_rate_zero_and_no_tax_br_z_05() -> None:
    doc = invoice(BUYER_DE, [line("BREAD", "4", "2.50", tax_code="Z"), line("APP", "1", "100")])
    _, ubl = written(doc)
    zero = [s for s in ubl.tax_subtotals if s.category == "Z"]
    assert [(s.rate, s.taxable, s.tax, s.exemption_reason) for s in zero] == [
        (Decimal(0), m("10.00"), m("0.00"), None)  # BR-Z-10: no exemption reason
    ]
    assert ubl.totals.tax == m("19.00")


def test_intra_community_supply_of_goods_br_ic() -> None:
    doc = invoice(BUYER_FR, [line("WIDGET", "5", "40.00", tax_code="goods")])
    xml, ubl = written(doc)
    (row,) = ubl.tax_subtotals
    assert (row.category, row.rate, row.tax, row.exemption_code) == (
        "K",
        Decimal(0),
        m("0.00"),
        "VATEX-EU-IC",
    )
    assert row.exemption_reason is not None
    assert "Article 138" in row.exemption_reason
    # BR-IC-11 / BR-IC-12: delivery date and deliver-to country.
    assert xpath(xml, "/*/cac:Delivery/cbc:ActualDeliveryDate") == ["2026-10-31"]
    assert xpath(xml, "/*/cac:Delivery//cac:Country/cbc:IdentificationCode") == ["FR"]


def test_export_of_goods_outside_the_eu_br_g() -> None:
    doc = invoice(BUYER_US, [line("WIDGET", "5", "40.00", tax_code="goods")])
    _, ubl = written(doc)
    (row,) = ubl.tax_subtotals
    assert (row.category, row.rate, row.taxable, row.exemption_code) == (
        "G",
        Decimal(0),
        m("200.00"),
        "VATEX-EU-G",
    )
    assert row.exemption_reason is not None
    assert "Article 146" in row.exemption_reason
    assert ubl.buyer.endpoint is None  # no EU VAT id: no endpoint is invented


def test_out_of_scope_services_have_no_rate_br_o() -> None:
    doc = invoice(BUYER_US, [line("SUPPORT", "2", "75.00")])
    xml, ubl = written(doc)
    (row,) = ubl.tax_subtotals
    assert (row.category, row.rate, row.taxable, row.tax) == ("O", None, m("150.00"), m("0.00"))
    assert row.exemption_code == "VATEX-EU-O"
    # BR-O-05 and the O breakdown: no VAT rate anywhere.
    assert xpath(xml, "//cbc:Percent") == []
    assert ubl.lines[0].category == "O"
    assert ubl.lines[0].rate is None


def test_out_of_scope_lines_with_other_categories_are_refused_br_o_11() -> None:
    doc = invoice(
        BUYER_US, [line("SUPPORT", "2", "75.00"), line("WIDGET", "1", "9", tax_code="goods")]
    )
    with pytest.raises(ValidationError, match="BR-O-11"):
        write_ubl(doc, SELLER_DE)


def test_mxn_invoice_with_iva_16_and_withholdings_pays_gross_less_withheld() -> None:
    doc = invoice(
        BUYER_MX,
        [line("HONORARIOS", "1", "10000.00", currency=MXN, description="Honorarios")],
        seller=SELLER_MX,
        number="A-2026-000001",
    )
    assert doc.totals.withheld == m("2066.67", "MXN")
    xml, ubl = written(doc)
    assert ubl.currency == MXN
    # Only IVA is VAT: the withheld ISR and IVA are no breakdown rows (no such element).
    assert [(s.category, s.rate, s.taxable, s.tax) for s in ubl.tax_subtotals] == [
        ("S", Decimal("0.16"), m("10000.00", "MXN"), m("1600.00", "MXN"))
    ]
    t = ubl.totals
    assert (t.tax_exclusive, t.tax, t.tax_inclusive) == (
        m("10000.00", "MXN"),
        m("1600.00", "MXN"),
        m("11600.00", "MXN"),
    )
    # Withholdings are the prepaid amount: payable = 11600.00 - 2066.67 (BR-CO-16).
    assert (t.prepaid, t.payable) == (m("2066.67", "MXN"), m("9533.33", "MXN"))
    assert "ISR retenido 10 % of 10000.00 MXN = 1000.00 MXN" in ubl.note
    assert "IVA retenido 10.6667 % of 10000.00 MXN = 1066.67 MXN" in ubl.note
    # RFCs get their country prefix as VAT identifiers (BR-CO-09).
    assert (ubl.seller.vat_id, ubl.buyer.vat_id) == ("MXGODE561231GR8", "MXAAA010101AAA")
    assert ubl.seller.address == SELLER_MX.address
    assert xpath(xml, "//cac:WithholdingTaxTotal") == []


@pytest.fixture(scope="module")
def credit_note(de_invoice: Document) -> Document:
    draft = credit_note_for(
        de_invoice,
        (),
        id=DocumentId("CN-1"),
        reason=ReasonCode.WRONG_PRICE,
        quantities={1: Decimal(1)},
        reason_text="one consulting hour too many",
    )
    return issue(draft, "CN-2026-000001", dt.date(2026, 11, 5))


def test_credit_note_references_the_invoice_it_corrects(
    credit_note: Document, de_invoice: Document
) -> None:
    xml, ubl = written(credit_note, corrected=de_invoice)
    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert (ubl.type_code, ubl.number) == ("381", "CN-2026-000001")
    assert ubl.preceding == (PrecedingInvoice("INV-2026-000001", ISSUED),)
    assert "wrong price: one consulting hour too many" in ubl.note
    # One of three consulting hours (the invoice's 899.99 over 3 = 300.00), at 19 %.
    assert [(ln.quantity, ln.net) for ln in ubl.lines] == [(Decimal(1), credit_note.lines[0].net)]
    t = ubl.totals
    assert (t.tax_exclusive, t.tax, t.payable) == (
        credit_note.totals.net,
        credit_note.totals.tax,
        credit_note.totals.payable,
    )
    assert ubl.payment is not None
    assert ubl.payment.means_code == "97"
    assert ubl.due_date == dt.date(2026, 11, 5)  # UBL 2.1 credit notes: PaymentDueDate


def test_credit_note_without_the_invoice_names_its_id_or_a_given_reference(
    credit_note: Document,
) -> None:
    _, by_id = written(credit_note)
    assert by_id.preceding == (PrecedingInvoice("D-INV-2026-000001"),)
    given = PrecedingInvoice("INV-2026-000001", ISSUED)
    _, by_reference = written(credit_note, corrected=given)
    assert by_reference.preceding == (given,)


def test_credit_note_with_another_invoice_is_refused(credit_note: Document) -> None:
    other = invoice(BUYER_DE, [line("APP", "1", "10")], number="INV-2026-000099")
    other = attrs.evolve(other, id=DocumentId("D-OTHER"))
    with pytest.raises(ValidationError, match="corrected"):
        write_ubl(credit_note, SELLER_DE, corrected=other)


def test_debit_note_is_an_invoice_of_type_383(de_invoice: Document) -> None:
    draft = debit_note_for(
        de_invoice,
        [adjustment_line(de_invoice, 1, m("100.00"), description="Consulting, extra hour")],
        id=DocumentId("DN-1"),
        reason=ReasonCode.WRONG_QUANTITY,
    )
    note = issue(draft, "DN-2026-000001", dt.date(2026, 11, 6))
    _, ubl = written(note, corrected=de_invoice)
    assert ubl.type_code == "383"
    # An adjustment has no quantity: one unit at its net (quantity x price = net).
    assert [(ln.quantity, ln.price, ln.net) for ln in ubl.lines] == [
        (Decimal(1), m("100.00"), m("100.00"))
    ]
    assert (ubl.totals.tax, ubl.totals.payable) == (m("19.00"), m("119.00"))
    assert ubl.preceding == (PrecedingInvoice("INV-2026-000001", ISSUED),)


def _hand_built(lines: list[DocumentLine], number: str = "INV-2026-000010") -> Document:
    draft = draft_document(
        DocumentId("D-H"), snapshot(BUYER_DE), EUR, lines, payment_terms="net 14"
    )
    return issue(draft, number, ISSUED)


def _vat(net: str, rate: str = "0.19", *, code: str = "DE-VAT-S") -> tuple[LineTax, ...]:
    amount = (Decimal(net) * Decimal(rate)).quantize(Decimal("0.01"))
    return (LineTax(code, "S", Decimal(rate), m(str(amount)), tax="DE-VAT"),)


def test_document_discount_is_a_document_allowance_br_co_11_and_13() -> None:
    doc = _hand_built(
        [
            DocumentLine(
                1, ItemCode("PLAN"), "Plan", Decimal(1), m("500.00"), m("500.00"), _vat("500.00")
            ),
            DocumentLine(
                2,
                ItemCode("DISCOUNT"),
                "Discount 10 %",
                Decimal(1),
                None,
                m("-50.00"),
                _vat("-50.00"),
                LineSource.DISCOUNT,
            ),
        ]
    )
    xml, ubl = written(doc)
    assert len(ubl.lines) == 1
    (allowance,) = ubl.allowances_charges
    assert (allowance.charge, allowance.amount, allowance.reason_code) == (False, m("50.00"), "95")
    assert (allowance.category, allowance.rate) == ("S", Decimal("0.19"))
    t = ubl.totals
    assert (t.line_extension, t.allowances, t.tax_exclusive) == (
        m("500.00"),
        m("50.00"),
        m("450.00"),
    )
    assert (t.tax, t.payable) == (m("85.50"), m("535.50"))
    assert [(s.taxable, s.tax) for s in ubl.tax_subtotals] == [(m("450.00"), m("85.50"))]
    assert xpath(xml, "/*/cac:AllowanceCharge/cac:TaxCategory/cbc:ID") == ["S"]


def test_line_without_unit_price_is_priced_per_its_quantity() -> None:
    doc = _hand_built(
        [
            DocumentLine(
                1,
                ItemCode("API"),
                "API calls (tiers)",
                Decimal(12345),
                None,
                m("87.65"),
                _vat("87.65"),
            )
        ]
    )
    xml, ubl = written(doc, units={"API": "call"})
    (ln,) = ubl.lines
    assert (ln.quantity, ln.price, ln.base_quantity, ln.net) == (
        Decimal(12345),
        m("87.65"),
        Decimal(12345),
        m("87.65"),
    )
    assert xpath(xml, "//cac:Price/cbc:BaseQuantity/@unitCode") == ["C62"]


def test_line_periods_and_the_invoicing_period() -> None:
    from o2c.calendar import Period

    october = Period.month(2026, 10)
    doc = _hand_built(
        [
            DocumentLine(
                1,
                ItemCode("PLAN"),
                "Plan",
                Decimal(1),
                m("10.00"),
                m("10.00"),
                _vat("10.00"),
                period=october,
            )
        ]
    )
    _, ubl = written(doc)
    assert ubl.period == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert ubl.lines[0].period == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_a_line_with_two_vats_is_refused_naming_the_line() -> None:
    taxes = _vat("10.00") + _vat("10.00", "0.07", code="DE-VAT-R")
    doc = _hand_built(
        [DocumentLine(1, ItemCode("X"), "X", Decimal(1), m("10.00"), m("10.00"), taxes)]
    )
    with pytest.raises(ValidationError, match=r"lines\[0\]\.taxes"):
        write_ubl(doc, SELLER_DE)


def test_a_draft_is_refused(de_invoice: Document) -> None:
    draft = invoice(BUYER_DE, [line("APP", "1", "10")])
    draft = attrs.evolve(
        draft, status=type(draft.status).DRAFT, number=None, issue_date=None, due_date=None
    )
    with pytest.raises(ValidationError, match="an issued document"):
        write_ubl(draft, SELLER_DE)


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("each", "EA"),
        ("seat", "C62"),
        ("hour", "HUR"),
        ("Hours", "HUR"),
        ("month", "MON"),
        ("mes", "MON"),
        ("GB", "E34"),
        ("kWh", "KWH"),
        ("MIN", "MIN"),
        ("", "C62"),
        ("widget-pack", "C62"),
    ],
)
def test_units_map_to_un_ece_rec_20_codes(unit: str, code: str) -> None:
    assert unit_code(unit) == code


def test_written_xml_has_no_doctype_and_the_ubl_namespaces(de_invoice: Document) -> None:
    xml = write_ubl(de_invoice, SELLER_DE)
    root = etree.fromstring(xml)
    assert root.getroottree().docinfo.doctype == ""
    assert root.nsmap["cac"] == NS["cac"]
    assert root.nsmap["cbc"] == NS["cbc"]
    assert xml == write_ubl(de_invoice, SELLER_DE)  # deterministic


def test_a_long_street_and_a_buyer_without_address_stay_schema_valid() -> None:
    seller = attrs.evolve(
        SELLER_DE,
        address=attrs.evolve(SELLER_DE.address, street="Musterstraße 1\nGebäude B\n3. OG"),
        electronic_address=None,
    )
    buyer = attrs.evolve(BUYER_DE, billing_address=None)
    doc = invoice(buyer, [line("APP", "1", "10.00")])
    xml, ubl = written(doc, seller=seller)
    assert ubl.seller.address is not None
    assert ubl.seller.address.street == "Musterstraße 1\nGebäude B\n3. OG"
    assert (ubl.buyer.address, ubl.buyer.country) == (None, "DE")
    # The seller's endpoint falls back to its VAT id under the German VAT scheme.
    assert ubl.seller.endpoint == ElectronicAddress("9930", "DE811907980")
    assert xpath(xml, "//cac:AccountingSupplierParty//cac:AddressLine/cbc:Line") == ["3. OG"]


def test_mxn_invoice_of_a_seller_with_a_clabe_pays_by_credit_transfer_to_it() -> None:
    seller = attrs.evolve(SELLER_MX, clabe="032180000118359719")
    doc = invoice(BUYER_MX, [line("HON", "1", "1000.00", currency=MXN)], seller=SELLER_MX)
    _, ubl = written(doc, seller=seller)
    assert ubl.payment is not None
    assert (ubl.payment.means_code, ubl.payment.iban) == ("30", "032180000118359719")


def test_writing_is_imported_only_when_used() -> None:
    import subprocess
    import sys

    code = "import sys, o2c, o2c.io, o2c.book; print('lxml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_rate_card_units_become_line_unit_codes() -> None:
    from o2c.io.ubl import rate_card_units
    from o2c.pricing import parse_ratecard

    card = parse_ratecard(
        """
[ratecard]
code = "saas"
name = "SaaS"
currency = "EUR"

[[versions]]
effective_from = 2026-01-01

[versions.items.platform]
name = "Platform"
unit = "month"
tax_category = "S"
model = "flat"
price = "100.00"

[versions.items.storage]
name = "Storage"
unit = "GB"
tax_category = "S"
model = "per_unit"
unit_price = "0.10"
"""
    )
    units = rate_card_units(card)
    assert units == {"platform": "month", "storage": "GB"}
    doc = invoice(BUYER_DE, [line("platform", "1", "100.00"), line("storage", "250", "0.10")])
    _, ubl = written(doc, units=units)
    assert [ln.unit_code for ln in ubl.lines] == ["MON", "E34"]


def test_withholding_note_is_in_the_customers_language() -> None:
    buyer = attrs.evolve(BUYER_MX, locale="es_MX")
    doc = invoice(buyer, [line("HONORARIOS", "1", "10000.00", currency=MXN)], seller=SELLER_MX)
    _, ubl = written(doc)
    assert ubl.note == (
        "Impuestos retenidos por el cliente: ISR retenido 10 % de 10000.00 MXN = 1000.00 MXN; "
        "IVA retenido 10.6667 % de 10000.00 MXN = 1066.67 MXN. Total retenido 2066.67 MXN, "
        "indicado como importe pagado; importe a pagar 9533.33 MXN."
    )


def test_credit_note_reason_is_in_the_customers_language(de_invoice: Document) -> None:
    german = attrs.evolve(de_invoice, customer=attrs.evolve(de_invoice.customer, locale="de_DE"))
    draft = credit_note_for(
        german, (), id=DocumentId("CN-DE"), reason=ReasonCode.WRONG_QUANTITY, quantities={2: None}
    )
    note = issue(draft, "CN-2026-000002", dt.date(2026, 11, 5))
    _, ubl = written(note, corrected=german)
    assert ubl.note.splitlines()[-1] == "Grund: falsche Menge"
