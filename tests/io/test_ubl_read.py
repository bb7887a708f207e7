"""Reading UBL back: a round trip gives the amounts and parties, hostile XML is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing import Document, ManualLine, ReasonCode, credit_note_for, issue
from o2c.errors import ValidationError
from o2c.ids import DocumentId
from o2c.io.ubl import read_ubl, vat_identifier, write_ubl
from o2c.money import Money
from o2c.parties import Customer
from tests.io.ubl_cases import (
    BUYER_DE,
    BUYER_FR,
    BUYER_MX,
    BUYER_US,
    EUR,
    MXN,
    SELLER_DE,
    SELLER_MX,
    assert_valid,
    invoice,
    line,
)

_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&xxe;</cbc:ID>
</Invoice>"""

_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>"""

_EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""


def test_xxe_external_entity_is_refused_before_any_file_is_read() -> None:
    with pytest.raises(ValidationError, match="without a DOCTYPE") as caught:
        read_ubl(_XXE)
    assert "passwd" not in str(caught.value)


def test_billion_laughs_entity_expansion_is_refused() -> None:
    with pytest.raises(ValidationError, match="without a DOCTYPE"):
        read_ubl(_LAUGHS)


def test_an_external_dtd_is_refused_without_network() -> None:
    with pytest.raises(ValidationError, match="without a DOCTYPE"):
        read_ubl(_EXTERNAL_DTD)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Invoice", "well-formed XML"),
        (b"<Order xmlns='urn:x'/>", "Invoice or CreditNote"),
        (
            b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
            "InvoiceTypeCode",
        ),
    ],
)
def test_what_is_not_a_ubl_invoice_is_refused_naming_why(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        read_ubl(data)


def test_text_instead_of_bytes_is_refused() -> None:
    with pytest.raises(ValidationError, match="bytes"):
        read_ubl("<Invoice/>")  # type: ignore[arg-type]


_BUYERS: dict[str, Customer] = {"DE": BUYER_DE, "FR": BUYER_FR, "US": BUYER_US}
#: Tax classes: standard, reduced, zero-rated, exempt, goods (K to FR, G to US). To the
#: US, services are out of scope (O), which shares an invoice with nothing (BR-O-11).
_CLASSES = {
    "DE": ("", "reduced", "Z", "E", "goods"),
    "FR": ("", "reduced", "Z", "E", "goods"),
    "US": ("goods", "Z", "E"),
}

quantities = st.decimals(min_value=Decimal(1), max_value=Decimal(500), places=1)
prices = st.decimals(min_value=Decimal("0.10"), max_value=Decimal(5000), places=2)
discounts = st.sampled_from(["0", "0", "5", "12.5", "33"])


@st.composite
def eur_invoices(draw: st.DrawFn) -> Document:
    """Issued EUR invoices of a German seller to a DE, FR or US business."""
    country = draw(st.sampled_from(sorted(_BUYERS)))
    buyer = _BUYERS[country]
    count = draw(st.integers(1, 5))
    lines: list[ManualLine] = []
    for index in range(count):
        lines.append(
            line(
                f"ITEM{index}",
                str(draw(quantities)),
                str(draw(prices)),
                tax_code=draw(st.sampled_from(_CLASSES[country])),
                discount=draw(discounts),
            )
        )
    return invoice(buyer, lines, po_number=draw(st.sampled_from([None, "PO-1"])))


def _check_round_trip(document: Document) -> None:
    seller = SELLER_MX if document.currency == MXN else SELLER_DE
    # CFDI rounds tax per line: BR-CO-17's one-unit tolerance; EN 16931 sellers: exact.
    tolerance = Decimal(1) if document.currency == MXN else Decimal(0)
    ubl = assert_valid(write_ubl(document, seller), vat_tolerance=tolerance)
    t = document.totals
    zero = Money(Decimal(0), document.currency)
    assert (ubl.number, ubl.issue_date, ubl.due_date) == (
        document.number,
        document.issue_date,
        document.due_date,
    )
    assert ubl.currency == document.currency
    assert (ubl.totals.tax_exclusive, ubl.totals.tax, ubl.totals.tax_inclusive) == (
        t.net,
        t.tax,
        t.gross,
    )
    assert (ubl.totals.prepaid, ubl.totals.payable) == (t.withheld, t.payable)
    assert [(ln.item, ln.quantity, ln.net) for ln in ubl.lines] == [
        (str(ln.item), ln.quantity, ln.net) for ln in document.lines
    ]
    charged: dict[tuple[str, Decimal], tuple[Money, Money]] = {}
    for row in t.breakdown:
        if not row.withholding:
            base, tax = charged.get((row.category, row.rate), (zero, zero))
            charged[row.category, row.rate] = (base + row.base, tax + row.amount)
    assert {
        (s.category, s.rate if s.rate is not None else Decimal(0)): (s.taxable, s.tax)
        for s in ubl.tax_subtotals
    } == charged
    buyer = document.customer
    assert (ubl.buyer.name, ubl.buyer.identifier, ubl.buyer.address) == (
        buyer.legal_name,
        str(buyer.customer_id),
        buyer.address,
    )
    expected_vat = vat_identifier(buyer.tax_id, buyer.country) if buyer.tax_id else None
    assert ubl.buyer.vat_id == expected_vat
    assert (ubl.seller.name, ubl.seller.address) == (seller.legal_name, seller.address)
    assert ubl.po_number == document.po_number


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(eur_invoices())
def test_round_trip_gives_back_amounts_parties_and_breakdown(document: Document) -> None:
    _check_round_trip(document)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(quantities, prices), min_size=1, max_size=4))
def test_round_trip_of_mxn_invoices_with_withholdings(rows: list[tuple[Decimal, Decimal]]) -> None:
    lines = [
        line(f"SERV{i}", str(q), str(p), currency=MXN, description=f"Servicio {i}")
        for i, (q, p) in enumerate(rows)
    ]
    document = invoice(BUYER_MX, lines, seller=SELLER_MX, number="A-2026-000007")
    assert document.totals.withheld.amount > 0
    _check_round_trip(document)


def test_round_trip_keeps_the_issue_and_due_dates() -> None:
    document = invoice(BUYER_DE, [line("APP", "1", "99.00")])
    ubl = read_ubl(write_ubl(document, SELLER_DE))
    assert (ubl.issue_date, ubl.due_date) == (dt.date(2026, 10, 31), dt.date(2026, 11, 30))
    assert ubl.currency == EUR


@st.composite
def credit_notes(draw: st.DrawFn) -> tuple[Document, Document, str]:
    """An invoice and an issued credit note on it: full, by quantities or by an amount."""
    inv = draw(eur_invoices())
    how = draw(st.sampled_from(["full", "quantities", "amount"]))
    quantities: dict[int, Decimal | None] | None = None
    amount: Money | None = None
    if how == "quantities":
        quantities = {
            ln.number: draw(st.sampled_from([None, min(ln.quantity, Decimal(1))]))
            for ln in inv.lines
        }
    elif how == "amount":
        cents = draw(st.integers(1, int(inv.totals.net.amount * 100)))
        amount = Money(Decimal(cents) / 100, inv.currency)
    draft = credit_note_for(
        inv,
        (),
        id=DocumentId("CN-D"),
        reason=ReasonCode.WRONG_PRICE,
        quantities=quantities,
        amount=amount,
    )
    return inv, issue(draft, "CN-2026-000001", dt.date(2026, 11, 15)), how


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(credit_notes())
def test_credit_notes_are_valid_and_name_their_invoice(
    case: tuple[Document, Document, str],
) -> None:
    inv, note, how = case
    # A partial credit takes each line's VAT in proportion to the invoice line's own
    # rounded VAT (DESIGN lesson 1: credits never drift from their invoice), so its VAT
    # per rate can differ from round(taxable x rate) by cents: within BR-CO-17's
    # one-unit tolerance. A full credit is the invoice's own breakdown: exact.
    tolerance = Decimal(0) if how == "full" else Decimal(1)
    xml = write_ubl(note, SELLER_DE, corrected=inv)
    ubl = assert_valid(xml, vat_tolerance=tolerance)
    assert ubl.type_code == "381"
    assert [(p.number, p.issue_date) for p in ubl.preceding] == [(inv.number, inv.issue_date)]
    assert (ubl.totals.tax_exclusive, ubl.totals.tax, ubl.totals.payable) == (
        note.totals.net,
        note.totals.tax,
        note.totals.payable,
    )
    assert [ln.net for ln in ubl.lines] == [ln.net for ln in note.lines]
