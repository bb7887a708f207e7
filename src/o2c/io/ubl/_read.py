"""Read a UBL 2.1 Invoice or CreditNote back into :class:`~o2c.io.ubl.UblDocument`, safely.

The bytes are first parsed by defusedxml, which refuses a DOCTYPE, entity declarations
and external references (XXE, "billion laughs"); only then does lxml parse them, with a
parser that resolves no entities, loads no DTD and never touches the network.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as StdET
from decimal import Decimal, InvalidOperation
from typing import Final

import defusedxml
import defusedxml.ElementTree
from lxml import etree

from o2c.billing import DocumentKind
from o2c.errors import ValidationError
from o2c.io.ubl._codes import CAC, CBC, CREDIT_NOTE_NS, INVOICE_NS
from o2c.io.ubl._model import (
    PrecedingInvoice,
    UblAllowanceCharge,
    UblDocument,
    UblLine,
    UblParty,
    UblPayment,
    UblTaxSubtotal,
    UblTotals,
)
from o2c.money import Currency, Money
from o2c.parties import Address, ElectronicAddress

__all__ = ["MAX_UBL_BYTES", "read_ubl"]

#: The largest document :func:`read_ubl` accepts.
MAX_UBL_BYTES: Final = 32 * 1024 * 1024

_A: Final = "{" + CAC + "}"
_B: Final = "{" + CBC + "}"
_HUNDRED: Final = Decimal(100)
_KINDS: Final = {
    "380": DocumentKind.INVOICE,
    "383": DocumentKind.DEBIT_NOTE,
    "381": DocumentKind.CREDIT_NOTE,
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(data: bytes) -> etree._Element:
    if not isinstance(data, bytes | bytearray):
        raise ValidationError("data", type(data).__name__, "the UBL document as bytes")
    if len(data) > MAX_UBL_BYTES:
        raise ValidationError("data", f"{len(data)} bytes", f"at most {MAX_UBL_BYTES} bytes")
    try:
        defusedxml.ElementTree.fromstring(bytes(data), forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise ValidationError(
            "data",
            type(exc).__name__,
            "XML without a DOCTYPE, entity declarations or external references",
        ) from None
    except StdET.ParseError as exc:
        raise ValidationError("data", str(exc), "well-formed XML") from None
    return etree.fromstring(bytes(data), _parser())


def read_ubl(data: bytes) -> UblDocument:
    """Read a UBL 2.1 ``Invoice`` or ``CreditNote`` (such as :func:`write_ubl` writes).

    Raises:
        ValidationError: Not well-formed XML, a DOCTYPE or entity declaration (refused
            before anything is expanded), a root that is neither an Invoice nor a
            CreditNote, or a missing or malformed element (the message names it).
    """
    root = _parse(data)
    if root.tag == "{" + INVOICE_NS + "}Invoice":
        type_code = _req(root, _B + "InvoiceTypeCode")
        line_tag, quantity_tag = _A + "InvoiceLine", _B + "InvoicedQuantity"
    elif root.tag == "{" + CREDIT_NOTE_NS + "}CreditNote":
        type_code = _req(root, _B + "CreditNoteTypeCode")
        line_tag, quantity_tag = _A + "CreditNoteLine", _B + "CreditedQuantity"
    else:
        raise ValidationError("root", root.tag, "a UBL 2.1 Invoice or CreditNote")
    currency = Currency.of(_req(root, _B + "DocumentCurrencyCode"))
    r = _Reader(currency)
    payment = _payment(root)
    due = _opt_date(root, _B + "DueDate") or (payment.due_date if payment else None)
    return UblDocument(
        kind=_KINDS.get(type_code, DocumentKind.INVOICE),
        type_code=type_code,
        number=_req(root, _B + "ID"),
        issue_date=_date(_req(root, _B + "IssueDate"), "IssueDate"),
        due_date=due,
        currency=currency,
        customization_id=_text(root, _B + "CustomizationID"),
        profile_id=_text(root, _B + "ProfileID"),
        note="\n".join(n.text or "" for n in root.iterchildren(_B + "Note")),
        buyer_reference=_text(root, _B + "BuyerReference"),
        po_number=_text(root, f"{_A}OrderReference/{_B}ID") or None,
        preceding=tuple(
            PrecedingInvoice(_req(ref, _B + "ID"), _opt_date(ref, _B + "IssueDate"))
            for ref in root.iterfind(f"{_A}BillingReference/{_A}InvoiceDocumentReference")
        ),
        period=_period(root.find(_A + "InvoicePeriod")),
        seller=_party(root, "AccountingSupplierParty"),
        buyer=_party(root, "AccountingCustomerParty"),
        payment=payment,
        payment_terms=_text(root, f"{_A}PaymentTerms/{_B}Note"),
        allowances_charges=tuple(r.allowance(e) for e in root.iterchildren(_A + "AllowanceCharge")),
        lines=tuple(r.line(e, quantity_tag) for e in root.iterchildren(line_tag)),
        tax_subtotals=tuple(r.subtotal(e) for e in root.iterfind(f"{_A}TaxTotal/{_A}TaxSubtotal")),
        totals=r.totals(root),
    )


def _text(parent: etree._Element, path: str) -> str:
    value = parent.findtext(path)
    return value.strip() if value else ""


def _req(parent: etree._Element, path: str) -> str:
    value = _text(parent, path)
    if not value:
        raise ValidationError(_name(path), None, f"a {_name(path)} element with a value")
    return value


def _name(path: str) -> str:
    return "/".join(step.rpartition("}")[2] for step in path.split("/"))


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, text, "a date YYYY-MM-DD") from None


def _opt_date(parent: etree._Element, path: str) -> dt.date | None:
    text = _text(parent, path)
    return _date(text, _name(path)) if text else None


def _decimal(text: str, field: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(field, text, "a decimal number") from None
    if not value.is_finite():
        raise ValidationError(field, text, "a finite decimal number")
    return value


def _period(element: etree._Element | None) -> tuple[dt.date, dt.date] | None:
    if element is None:
        return None
    start = _opt_date(element, _B + "StartDate")
    end = _opt_date(element, _B + "EndDate")
    if start is None or end is None:
        return None
    return start, end


def _rate(category: etree._Element | None) -> tuple[str, Decimal | None]:
    if category is None:
        raise ValidationError("TaxCategory", None, "a VAT category")
    percent = _text(category, _B + "Percent")
    rate = _decimal(percent, "Percent") / _HUNDRED if percent else None
    return _req(category, _B + "ID"), rate


def _address(element: etree._Element | None) -> tuple[Address | None, str]:
    if element is None:
        return None, ""
    country = _text(element, f"{_A}Country/{_B}IdentificationCode")
    street = [
        s
        for s in (
            _text(element, _B + "StreetName"),
            _text(element, _B + "AdditionalStreetName"),
            *(_text(e, _B + "Line") for e in element.iterchildren(_A + "AddressLine")),
        )
        if s
    ]
    city = _text(element, _B + "CityName")
    postal = _text(element, _B + "PostalZone")
    if not (street or city or postal):
        return None, country
    region = _text(element, _B + "CountrySubentity")
    return Address("\n".join(street), city, postal, country, region), country


def _party(root: etree._Element, role: str) -> UblParty:
    party = root.find(f"{_A}{role}/{_A}Party")
    if party is None:
        raise ValidationError(role, None, f"a {role} with a Party")
    endpoint = party.find(_B + "EndpointID")
    address, country = _address(party.find(_A + "PostalAddress"))
    vat = None
    for scheme in party.iterchildren(_A + "PartyTaxScheme"):
        if _text(scheme, f"{_A}TaxScheme/{_B}ID") == "VAT":
            vat = _text(scheme, _B + "CompanyID") or None
    legal = party.find(_A + "PartyLegalEntity")
    name = _text(legal, _B + "RegistrationName") if legal is not None else ""
    return UblParty(
        name=name or _text(party, f"{_A}PartyName/{_B}Name"),
        address=address,
        country=country,
        vat_id=vat,
        endpoint=(
            ElectronicAddress(endpoint.get("schemeID", ""), (endpoint.text or "").strip())
            if endpoint is not None
            else None
        ),
        trading_name=_text(party, f"{_A}PartyName/{_B}Name"),
        identifier=_text(party, f"{_A}PartyIdentification/{_B}ID"),
        legal_id=_text(legal, _B + "CompanyID") if legal is not None else "",
        legal_info=_text(legal, _B + "CompanyLegalForm") if legal is not None else "",
        email=_text(party, f"{_A}Contact/{_B}ElectronicMail"),
        phone=_text(party, f"{_A}Contact/{_B}Telephone"),
    )


def _payment(root: etree._Element) -> UblPayment | None:
    means = root.find(_A + "PaymentMeans")
    if means is None:
        return None
    account = means.find(_A + "PayeeFinancialAccount")
    return UblPayment(
        means_code=_req(means, _B + "PaymentMeansCode"),
        payment_id=_text(means, _B + "PaymentID"),
        iban=_text(account, _B + "ID") if account is not None else "",
        bic=(
            _text(account, f"{_A}FinancialInstitutionBranch/{_B}ID") if account is not None else ""
        ),
        holder=_text(account, _B + "Name") if account is not None else "",
        due_date=_opt_date(means, _B + "PaymentDueDate"),
    )


class _Reader:
    """Reads amounts in the document's currency."""

    def __init__(self, currency: Currency) -> None:
        self.currency = currency
        self.zero = Money(Decimal(0), currency)

    def money(self, parent: etree._Element, tag: str, *, required: bool = True) -> Money:
        element = parent.find(_B + tag)
        if element is None or not (element.text or "").strip():
            if required:
                raise ValidationError(tag, None, f"a {tag} amount")
            return self.zero
        given = element.get("currencyID", self.currency.code)
        if given != self.currency.code:
            raise ValidationError(
                f"{tag}@currencyID", given, f"the document currency {self.currency}"
            )
        return Money(_decimal(element.text or "", tag), self.currency)

    def allowance(self, element: etree._Element) -> UblAllowanceCharge:
        category, rate = _rate(element.find(_A + "TaxCategory"))
        return UblAllowanceCharge(
            charge=_text(element, _B + "ChargeIndicator").lower() == "true",
            amount=self.money(element, "Amount"),
            reason=_text(element, _B + "AllowanceChargeReason"),
            reason_code=_text(element, _B + "AllowanceChargeReasonCode"),
            category=category,
            rate=rate,
        )

    def line(self, element: etree._Element, quantity_tag: str) -> UblLine:
        quantity = element.find(quantity_tag)
        if quantity is None:
            raise ValidationError(_name(quantity_tag), None, "a quantity on every line")
        item = element.find(_A + "Item")
        price = element.find(_A + "Price")
        if item is None or price is None:
            raise ValidationError("Item", None, "an Item and a Price on every line")
        category, rate = _rate(item.find(_A + "ClassifiedTaxCategory"))
        allowance = charge = Decimal(0)
        for adjustment in element.iterchildren(_A + "AllowanceCharge"):
            amount = self.money(adjustment, "Amount").amount
            if _text(adjustment, _B + "ChargeIndicator").lower() == "true":
                charge += amount
            else:
                allowance += amount
        base = _text(price, _B + "BaseQuantity")
        return UblLine(
            id=_req(element, _B + "ID"),
            item=_text(item, f"{_A}SellersItemIdentification/{_B}ID"),
            name=_text(item, _B + "Name"),
            quantity=_decimal((quantity.text or "").strip(), _name(quantity_tag)),
            unit_code=quantity.get("unitCode", ""),
            net=self.money(element, "LineExtensionAmount"),
            price=self.money(price, "PriceAmount"),
            base_quantity=_decimal(base, "BaseQuantity") if base else Decimal(1),
            category=category,
            rate=rate,
            allowance=Money(allowance, self.currency),
            charge=Money(charge, self.currency),
            period=_period(element.find(_A + "InvoicePeriod")),
        )

    def subtotal(self, element: etree._Element) -> UblTaxSubtotal:
        category = element.find(_A + "TaxCategory")
        code, rate = _rate(category)
        assert category is not None
        return UblTaxSubtotal(
            category=code,
            rate=rate,
            taxable=self.money(element, "TaxableAmount"),
            tax=self.money(element, "TaxAmount"),
            exemption_code=_text(category, _B + "TaxExemptionReasonCode") or None,
            exemption_reason=_text(category, _B + "TaxExemptionReason") or None,
        )

    def totals(self, root: etree._Element) -> UblTotals:
        total = root.find(_A + "LegalMonetaryTotal")
        if total is None:
            raise ValidationError("LegalMonetaryTotal", None, "the document totals")
        tax_total = root.find(_A + "TaxTotal")
        return UblTotals(
            line_extension=self.money(total, "LineExtensionAmount"),
            allowances=self.money(total, "AllowanceTotalAmount", required=False),
            charges=self.money(total, "ChargeTotalAmount", required=False),
            tax_exclusive=self.money(total, "TaxExclusiveAmount"),
            tax=(
                self.money(tax_total, "TaxAmount", required=False)
                if tax_total is not None
                else self.zero
            ),
            tax_inclusive=self.money(total, "TaxInclusiveAmount"),
            prepaid=self.money(total, "PrepaidAmount", required=False),
            rounding=self.money(total, "PayableRoundingAmount", required=False),
            payable=self.money(total, "PayableAmount"),
        )
