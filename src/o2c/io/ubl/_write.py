"""Write an issued o2c document as a UBL 2.1 Invoice or CreditNote (EN 16931, Peppol BIS 3).

The tree is built with lxml, element by element in the order the UBL 2.1 schema
prescribes; no XML is written as text. How o2c's values map onto the business terms, and
what is done where EN 16931 has no place for something (withholdings), is described in
docs/guide/einvoicing.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs
from lxml import etree

from o2c.billing import (
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineSource,
)
from o2c.billing import payment_reference as rf_reference
from o2c.errors import InvariantViolation, ValidationError
from o2c.io.ubl._codes import (
    CAC,
    CBC,
    CREDIT_NOTE_NS,
    CUSTOMIZATION_ID,
    INVOICE_NS,
    PROFILE_ID,
    VAT_EAS,
    check_category,
    default_exemption,
    unit_code,
    vat_identifier,
)
from o2c.io.ubl._model import PrecedingInvoice
from o2c.io.ubl._texts import texts
from o2c.parties import Address, ElectronicAddress, Seller

__all__ = ["write_ubl"]

_A: Final = "{" + CAC + "}"
_B: Final = "{" + CBC + "}"
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)
_DAY: Final = dt.timedelta(days=1)
#: The tax regime's own line among a document's notes (how tax was rounded): a
#: technical note for explain, not a legal text for the buyer.
_REGIME_NOTE: Final = re.compile(r"^[^:\n]{1,40}: tax rounded (per line|per document)")
#: Countries of the SEPA scheme: a EUR payment to an IBAN there is a SEPA credit transfer.
_SEPA: Final = frozenset(
    {
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    }
)
#: A VAT category and rate: the key of a breakdown row (rate ``None`` for O).
_Key = tuple[str, Decimal | None]


@attrs.frozen(slots=True)
class _Line:
    """A document line as UBL writes it."""

    line: DocumentLine
    category: str
    rate: Decimal | None
    tax: Decimal


def _classify(index: int, line: DocumentLine) -> _Line:
    charged = [t for t in line.taxes if not t.withholding]
    if len(charged) > 1:
        raise ValidationError(
            f"lines[{index}].taxes",
            ", ".join(t.code for t in charged),
            "one VAT on the line (EN 16931 has one VAT category and rate per line)",
        )
    if not charged:
        return _Line(line, "O", None, _ZERO)
    tax = charged[0]
    category = check_category(tax.category, f"lines[{index}].taxes[0].category")
    rate = None if category == "O" else tax.rate
    return _Line(line, category, rate, tax.amount.amount)


@attrs.frozen(slots=True)
class _Plan:
    """What goes where: lines, document allowances and the VAT breakdown."""

    lines: tuple[_Line, ...]
    allowances: tuple[_Line, ...]
    subtotals: dict[_Key, list[Decimal]]


def _plan(document: Document) -> _Plan:
    lines: list[_Line] = []
    allowances: list[_Line] = []
    subtotals: dict[_Key, list[Decimal]] = {}
    for index, line in enumerate(document.lines):
        item = _classify(index, line)
        if line.source is LineSource.DISCOUNT and line.net.amount < 0:
            allowances.append(item)
        else:
            lines.append(item)
        acc = subtotals.setdefault((item.category, item.rate), [_ZERO, _ZERO])
        acc[0] += line.net.amount
        acc[1] += item.tax
    if not lines:
        raise ValidationError(
            "lines", len(document.lines), "at least one line that is not a discount"
        )
    categories = sorted({key[0] for key in subtotals})
    if "O" in categories and len(categories) > 1:
        raise ValidationError(
            "lines",
            ", ".join(categories),
            "lines out of the scope of VAT (O) on an invoice of their own: EN 16931 "
            "(BR-O-11) lets no other VAT category share an invoice with them",
        )
    return _Plan(tuple(lines), tuple(allowances), subtotals)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


class _Writer:
    """Formats amounts in one currency and writes the common components."""

    def __init__(self, document: Document) -> None:
        self.currency = document.currency.code
        self.exponent = document.currency.exponent

    def amount(self, parent: etree._Element, tag: str, value: Decimal) -> None:
        element = etree.SubElement(parent, _B + tag, currencyID=self.currency)
        element.text = f"{value.quantize(self.exponent):f}"

    def tax_category(
        self,
        parent: etree._Element,
        tag: str,
        category: str,
        rate: Decimal | None,
        exemption: tuple[str | None, str | None] = (None, None),
    ) -> None:
        element = _sub(parent, _A + tag)
        _sub(element, _B + "ID", category)
        if rate is not None:
            _sub(element, _B + "Percent", _pct(rate))
        code, text = exemption
        if code:
            _sub(element, _B + "TaxExemptionReasonCode", code)
        if text:
            _sub(element, _B + "TaxExemptionReason", text)
        _sub(_sub(element, _A + "TaxScheme"), _B + "ID", "VAT")


def _pct(rate: Decimal) -> str:
    """A rate fraction as a percentage without exponent: ``0.19`` -> ``"19"``."""
    value = (rate * _HUNDRED).normalize()
    return f"{value:f}"


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def _date(value: dt.date) -> str:
    return value.isoformat()


def write_ubl(
    document: Document,
    seller: Seller,
    *,
    corrected: Document | PrecedingInvoice | None = None,
    units: Mapping[str, str] | None = None,
    buyer_endpoint: ElectronicAddress | None = None,
    buyer_reference: str | None = None,
    payment_reference: str | None = None,
) -> bytes:
    """Write an issued ``document`` as UBL 2.1 (EN 16931 / Peppol BIS Billing 3.0).

    An invoice is an ``Invoice`` of type 380, a debit note an ``Invoice`` of type 383 and
    a credit note a ``CreditNote`` of type 381, all in the document's currency with its
    own rounded amounts (nothing is re-computed or re-rounded).

    Args:
        document: An issued (or void) invoice, credit note or debit note.
        seller: The seller as it was when the document was issued.
        corrected: For a credit or debit note: the invoice it corrects (its number and
            issue date go into the preceding-invoice reference, BG-3). Without it the
            reference carries the corrected document's id.
        units: Unit of each item code (``{"CONSULTING": "hour"}``, as on the rate card),
            turned into UN/ECE Rec 20 codes by :func:`~o2c.io.ubl.unit_code`; items not
            listed are "one" (``C62``).
        buyer_endpoint: The buyer's Peppol participant id (BT-49). Without it the
            customer snapshot's ``electronic_address`` is used, then the buyer's EU VAT id
            under its country's EAS VAT scheme (``9930:DE...``), and none is written when
            the buyer has neither.
        buyer_reference: Buyer reference (BT-10); by default the customer id when the
            document has no purchase order (Peppol needs one of the two).
        payment_reference: Remittance information (BT-83); by default
            :func:`o2c.billing.payment_reference` of the document (the ISO 11649 ``RF``
            creditor reference), or its number when that cannot be encoded.

    Returns:
        The XML document, UTF-8 encoded, with an XML declaration.

    Raises:
        ValidationError: A draft (no number yet), a line with more than one VAT, lines
            out of scope (O) mixed with other VAT categories (BR-O-11), a credit note
            whose ``corrected`` invoice is not the one it names, or a document of
            discounts only (the message names the field).
    """
    if document.status is DocumentStatus.DRAFT or document.number is None:
        raise ValidationError(
            "document", document.label, "an issued document (a draft has no number yet)"
        )
    preceding = _preceding(document, corrected)
    plan = _plan(document)
    w = _Writer(document)
    credit = document.kind is DocumentKind.CREDIT_NOTE
    ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        "{" + ns + "}" + ("CreditNote" if credit else "Invoice"),
        nsmap={None: ns, "cac": CAC, "cbc": CBC},
    )
    _header(root, document, preceding, plan, buyer_reference)
    buyer_vat = _vat(document.customer.tax_id, document.customer.country)
    _supplier(root, seller)
    _customer(root, document, buyer_vat, buyer_endpoint)
    if any(key[0] == "K" for key in plan.subtotals):
        _delivery(root, document)
    _payment(root, w, document, seller, payment_reference)
    for allowance in plan.allowances:
        _allowance(root, w, allowance)
    _tax_total(root, w, document, plan)
    _monetary_total(root, w, document, plan)
    for item in plan.lines:
        _line(root, w, item, credit, units or {})
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _preceding(
    document: Document, corrected: Document | PrecedingInvoice | None
) -> PrecedingInvoice | None:
    if document.kind is DocumentKind.INVOICE or document.reference is None:
        return None
    if corrected is None:
        return PrecedingInvoice(str(document.reference))
    if isinstance(corrected, PrecedingInvoice):
        return corrected
    if corrected.id != document.reference or corrected.number is None:
        raise ValidationError(
            "corrected",
            corrected.label,
            f"the issued invoice {document.reference} that {document.label} corrects",
        )
    return PrecedingInvoice(corrected.number, corrected.issue_date)


def _vat(tax_id: str | None, country: str) -> str | None:
    return vat_identifier(tax_id, country) if tax_id else None


def _notes(document: Document) -> str:
    """The document note (BT-22): its legal notes, the correction reason, withholdings."""
    lines: list[str] = []
    for note in document.notes:
        if note and not _REGIME_NOTE.match(note) and note not in lines:
            lines.append(note)
    text = texts(document.customer.locale)
    if document.kind is not DocumentKind.INVOICE and document.reason is not None:
        why = text.get(document.reason.value, document.reason.value.replace("_", " "))
        extra = f": {document.reason_text}" if document.reason_text else ""
        lines.append(f"{text['reason']}: {why}{extra}")
    withheld = [row for row in document.totals.breakdown if row.withholding]
    if withheld:
        parts = "; ".join(
            f"{row.label or row.tax or row.code} {_pct(row.rate)} % {text['of']} {row.base} "
            f"= {row.amount}"
            for row in withheld
        )
        total = text["total"].format(
            withheld=document.totals.withheld, payable=document.totals.payable
        )
        lines.append(f"{text['withheld']}: {parts}. {total}")
    return "\n".join(lines)


def _header(
    root: etree._Element,
    document: Document,
    preceding: PrecedingInvoice | None,
    plan: _Plan,
    buyer_reference: str | None,
) -> None:
    credit = document.kind is DocumentKind.CREDIT_NOTE
    _sub(root, _B + "CustomizationID", CUSTOMIZATION_ID)
    _sub(root, _B + "ProfileID", PROFILE_ID)
    _sub(root, _B + "ID", document.number)
    assert document.issue_date is not None  # an issued document has one
    _sub(root, _B + "IssueDate", _date(document.issue_date))
    tax_point = document.tax_point
    if credit:
        if tax_point is not None and tax_point != document.issue_date:
            _sub(root, _B + "TaxPointDate", _date(tax_point))
        _sub(root, _B + "CreditNoteTypeCode", "381")
    else:
        if document.due_date is not None:
            _sub(root, _B + "DueDate", _date(document.due_date))
        code = "383" if document.kind is DocumentKind.DEBIT_NOTE else "380"
        _sub(root, _B + "InvoiceTypeCode", code)
    note = _notes(document)
    if note:
        _sub(root, _B + "Note", note)
    if not credit and tax_point is not None and tax_point != document.issue_date:
        _sub(root, _B + "TaxPointDate", _date(tax_point))
    _sub(root, _B + "DocumentCurrencyCode", document.currency.code)
    reference = buyer_reference or (
        "" if document.po_number else str(document.customer.customer_id)
    )
    if reference:
        _sub(root, _B + "BuyerReference", reference)
    period = _period(document, plan)
    if period is not None:
        _period_element(root, period)
    if document.po_number:
        _sub(_sub(root, _A + "OrderReference"), _B + "ID", document.po_number)
    if preceding is not None:
        ref = _sub(_sub(root, _A + "BillingReference"), _A + "InvoiceDocumentReference")
        _sub(ref, _B + "ID", preceding.number)
        if preceding.issue_date is not None:
            _sub(ref, _B + "IssueDate", _date(preceding.issue_date))


def _period(document: Document, plan: _Plan) -> tuple[dt.date, dt.date] | None:
    """The invoicing period: the document's, widened to cover every line period."""
    periods = [p for p in (document.period, *(i.line.period for i in plan.lines)) if p]
    if not periods:
        return None
    return min(p.start for p in periods), max(p.end for p in periods) - _DAY


def _period_element(parent: etree._Element, period: tuple[dt.date, dt.date]) -> None:
    element = _sub(parent, _A + "InvoicePeriod")
    _sub(element, _B + "StartDate", _date(period[0]))
    _sub(element, _B + "EndDate", _date(period[1]))


def _endpoint(
    parent: etree._Element, given: ElectronicAddress | None, vat: str | None, country: str
) -> None:
    if given is None and vat and country in VAT_EAS:
        given = ElectronicAddress(VAT_EAS[country], vat)
    if given is not None:
        element = _sub(parent, _B + "EndpointID", given.value)
        element.set("schemeID", given.scheme)


def _address(parent: etree._Element, address: Address | None, country: str) -> None:
    element = _sub(parent, _A + "PostalAddress")
    if address is not None:
        street = [s.strip() for s in address.street.splitlines() if s.strip()]
        if street:
            _sub(element, _B + "StreetName", street[0])
        if len(street) > 1:
            _sub(element, _B + "AdditionalStreetName", street[1])
        if address.city.strip():
            _sub(element, _B + "CityName", address.city.strip())
        if address.postal_code.strip():
            _sub(element, _B + "PostalZone", address.postal_code.strip())
        if address.region:
            _sub(element, _B + "CountrySubentity", address.region)
        for extra in street[2:]:
            _sub(_sub(element, _A + "AddressLine"), _B + "Line", extra)
        country = address.country
    _sub(_sub(element, _A + "Country"), _B + "IdentificationCode", country)


def _tax_scheme(parent: etree._Element, vat: str | None) -> None:
    if vat:
        scheme = _sub(parent, _A + "PartyTaxScheme")
        _sub(scheme, _B + "CompanyID", vat)
        _sub(_sub(scheme, _A + "TaxScheme"), _B + "ID", "VAT")


def _supplier(root: etree._Element, seller: Seller) -> None:
    party = _sub(_sub(root, _A + "AccountingSupplierParty"), _A + "Party")
    vat = _vat(seller.tax_id, seller.country)
    _endpoint(party, seller.electronic_address, vat, seller.country)
    if seller.trading_name:
        _sub(_sub(party, _A + "PartyName"), _B + "Name", seller.trading_name)
    _address(party, seller.address, seller.country)
    _tax_scheme(party, vat)
    legal = _sub(party, _A + "PartyLegalEntity")
    _sub(legal, _B + "RegistrationName", seller.legal_name)
    if seller.registration:
        _sub(legal, _B + "CompanyLegalForm", seller.registration)
    if seller.phone or seller.email:
        contact = _sub(party, _A + "Contact")
        if seller.phone:
            _sub(contact, _B + "Telephone", seller.phone)
        if seller.email:
            _sub(contact, _B + "ElectronicMail", seller.email)


def _customer(
    root: etree._Element,
    document: Document,
    vat: str | None,
    endpoint: ElectronicAddress | None,
) -> None:
    buyer = document.customer
    party = _sub(_sub(root, _A + "AccountingCustomerParty"), _A + "Party")
    _endpoint(party, endpoint or buyer.electronic_address, vat, buyer.country)
    _sub(_sub(party, _A + "PartyIdentification"), _B + "ID", str(buyer.customer_id))
    _address(party, buyer.address, buyer.country)
    _tax_scheme(party, vat)
    _sub(_sub(party, _A + "PartyLegalEntity"), _B + "RegistrationName", buyer.legal_name)


def _delivery(root: etree._Element, document: Document) -> None:
    """Delivery date and country, which an intra-community supply needs (BR-IC-11/12)."""
    delivery = _sub(root, _A + "Delivery")
    day = document.tax_point or document.issue_date
    assert day is not None
    _sub(delivery, _B + "ActualDeliveryDate", _date(day))
    address = _sub(_sub(delivery, _A + "DeliveryLocation"), _A + "Address")
    country = document.customer.address.country if document.customer.address else None
    _sub(
        _sub(address, _A + "Country"),
        _B + "IdentificationCode",
        country or document.customer.country,
    )


def _reference(document: Document, given: str | None) -> str:
    """The remittance information: ``given``, the ISO 11649 creditor reference, or the number.

    The ``RF`` reference (:func:`o2c.billing.payment_reference`) is what cash application
    matches back; a number it cannot encode (over 21 letters and digits) stays as it is.
    """
    if given:
        return given
    try:
        return rf_reference(document)
    except ValidationError:
        return str(document.number)


def _payment(
    root: etree._Element,
    w: _Writer,
    document: Document,
    seller: Seller,
    payment_reference: str | None,
) -> None:
    reference = _reference(document, payment_reference)
    if document.kind is DocumentKind.CREDIT_NOTE:
        # A credit note is settled against the customer's open items (or refunded): the
        # seller's account is not where anyone pays.
        means = _sub(root, _A + "PaymentMeans")
        _sub(means, _B + "PaymentMeansCode", "97")
        if document.due_date is not None:
            _sub(means, _B + "PaymentDueDate", _date(document.due_date))
        _sub(means, _B + "PaymentID", reference)
    else:
        _transfer(root, w, seller, reference)
    if document.payment_terms:
        _sub(_sub(root, _A + "PaymentTerms"), _B + "Note", document.payment_terms)


def _transfer(root: etree._Element, w: _Writer, seller: Seller, reference: str) -> None:
    """Credit transfer to the seller's first account (a CLABE for MXN when it has one)."""
    account = seller.bank_accounts[0] if seller.bank_accounts else None
    if seller.pays_to_clabe(w.currency):
        number, bic, holder, sepa = seller.clabe, "", "", False
    elif account is not None:
        number, bic, holder = account.iban, account.bic, account.holder
        sepa = w.currency == "EUR" and account.iban[:2] in _SEPA
    else:
        return
    means = _sub(root, _A + "PaymentMeans")
    code = _sub(means, _B + "PaymentMeansCode", "58" if sepa else "30")
    code.set("name", "SEPA credit transfer" if sepa else "Credit transfer")
    _sub(means, _B + "PaymentID", reference)
    payee = _sub(means, _A + "PayeeFinancialAccount")
    _sub(payee, _B + "ID", number)
    _sub(payee, _B + "Name", holder or seller.legal_name)
    if bic:
        _sub(_sub(payee, _A + "FinancialInstitutionBranch"), _B + "ID", bic)


def _allowance(root: etree._Element, w: _Writer, item: _Line) -> None:
    element = _sub(root, _A + "AllowanceCharge")
    _sub(element, _B + "ChargeIndicator", "false")
    _sub(element, _B + "AllowanceChargeReasonCode", "95")
    _sub(element, _B + "AllowanceChargeReason", item.line.description or "Discount")
    w.amount(element, "Amount", -item.line.net.amount)
    w.tax_category(element, "TaxCategory", item.category, item.rate)


def _reasons(document: Document) -> dict[_Key, str]:
    """Exemption reasons per breakdown key; several rows of one key join their reasons."""
    reasons: dict[_Key, list[str]] = {}
    for row in document.totals.breakdown:
        if row.withholding or not row.exemption_reason:
            continue
        key = (row.category, None if row.category == "O" else row.rate)
        texts = reasons.setdefault(key, [])
        if row.exemption_reason not in texts:
            texts.append(row.exemption_reason)
    return {key: "; ".join(texts) for key, texts in reasons.items()}


def _tax_total(root: etree._Element, w: _Writer, document: Document, plan: _Plan) -> None:
    total = sum((acc[1] for acc in plan.subtotals.values()), _ZERO)
    if total != document.totals.tax.amount:
        raise InvariantViolation(
            f"{document.label}: line VAT {total} is not the document's tax {document.totals.tax}"
        )
    element = _sub(root, _A + "TaxTotal")
    w.amount(element, "TaxAmount", total)
    reasons = _reasons(document)
    for (category, rate), (taxable, tax) in plan.subtotals.items():
        sub = _sub(element, _A + "TaxSubtotal")
        w.amount(sub, "TaxableAmount", taxable)
        w.amount(sub, "TaxAmount", tax)
        exemption = default_exemption(category, reasons.get((category, rate), ""))
        w.tax_category(sub, "TaxCategory", category, rate, exemption)


def _monetary_total(root: etree._Element, w: _Writer, document: Document, plan: _Plan) -> None:
    totals = document.totals
    lines = sum((i.line.net.amount for i in plan.lines), _ZERO)
    allowances = -sum((i.line.net.amount for i in plan.allowances), _ZERO)
    if lines - allowances != totals.net.amount:
        raise InvariantViolation(f"{document.label}: lines - allowances != net {totals.net}")
    element = _sub(root, _A + "LegalMonetaryTotal")
    w.amount(element, "LineExtensionAmount", lines)
    w.amount(element, "TaxExclusiveAmount", totals.net.amount)
    w.amount(element, "TaxInclusiveAmount", totals.gross.amount)
    if plan.allowances:
        w.amount(element, "AllowanceTotalAmount", allowances)
    if totals.withheld.amount:
        w.amount(element, "PrepaidAmount", totals.withheld.amount)
    w.amount(element, "PayableAmount", totals.payable.amount)


def _line_price(line: DocumentLine, exponent: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """``(quantity, price, base quantity, gross)`` of a line; gross - adjustments = net.

    A priced line is quantity x unit price; the rounded difference to its net (a line
    discount) becomes a line allowance (or charge). A line without a unit price (tiers,
    packages) is priced at its net per its quantity as base quantity, so nothing is
    rounded. A negative line has a negative quantity: prices are never negative (BR-27).
    """
    net = line.net.amount
    sign = -_ONE if net < 0 else _ONE
    quantity = line.quantity
    if line.unit_price is not None and (quantity or not net):
        price = line.unit_price.amount
        written = sign * quantity
        gross = (written * price).quantize(exponent, ROUND_HALF_UP)
        return written, price, _ONE, gross
    base = abs(quantity) or _ONE
    return sign * base, abs(net), base, net


def _line(
    root: etree._Element, w: _Writer, item: _Line, credit: bool, units: Mapping[str, str]
) -> None:
    line = item.line
    element = _sub(root, _A + ("CreditNoteLine" if credit else "InvoiceLine"))
    _sub(element, _B + "ID", str(line.number))
    quantity, price, base, gross = _line_price(line, w.exponent)
    unit = unit_code(units.get(line.item))
    q = _sub(element, _B + ("CreditedQuantity" if credit else "InvoicedQuantity"), _qty(quantity))
    q.set("unitCode", unit)
    w.amount(element, "LineExtensionAmount", line.net.amount)
    if line.period is not None:
        _period_element(element, (line.period.start, line.period.end - _DAY))
    _line_adjustment(element, w, gross - line.net.amount)
    product = _sub(element, _A + "Item")
    _sub(product, _B + "Name", line.description or str(line.item))
    _sub(_sub(product, _A + "SellersItemIdentification"), _B + "ID", str(line.item))
    w.tax_category(product, "ClassifiedTaxCategory", item.category, item.rate)
    price_element = _sub(element, _A + "Price")
    if price == price.quantize(w.exponent):
        price = price.quantize(w.exponent)  # at least the currency's decimals: 20 -> 20.00
    w_price = etree.SubElement(price_element, _B + "PriceAmount", currencyID=w.currency)
    w_price.text = f"{price:f}"
    if base != _ONE:
        b = _sub(price_element, _B + "BaseQuantity", _qty(base))
        b.set("unitCode", unit)


def _line_adjustment(element: etree._Element, w: _Writer, difference: Decimal) -> None:
    if not difference:
        return
    adjustment = _sub(element, _A + "AllowanceCharge")
    allowance = difference > 0
    _sub(adjustment, _B + "ChargeIndicator", "false" if allowance else "true")
    if allowance:
        _sub(adjustment, _B + "AllowanceChargeReasonCode", "95")
    _sub(adjustment, _B + "AllowanceChargeReason", "Discount" if allowance else "Price adjustment")
    w.amount(adjustment, "Amount", abs(difference))
