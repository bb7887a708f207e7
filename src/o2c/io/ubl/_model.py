"""What :func:`~o2c.io.ubl.read_ubl` returns: a UBL invoice or credit note as frozen values.

The values follow the EN 16931 business terms (BT-/BG- numbers in the docstrings) so a
document written by :func:`~o2c.io.ubl.write_ubl` can be compared with what is read back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from o2c.billing import DocumentKind
from o2c.money import Currency, Money
from o2c.parties import Address, ElectronicAddress

__all__ = [
    "PrecedingInvoice",
    "UblAllowanceCharge",
    "UblDocument",
    "UblLine",
    "UblParty",
    "UblPayment",
    "UblTaxSubtotal",
    "UblTotals",
]


@attrs.frozen(slots=True)
class PrecedingInvoice:
    """The invoice a credit or debit note corrects (BG-3).

    Attributes:
        number: Its number (BT-25).
        issue_date: Its issue date (BT-26), if known.
    """

    number: str
    issue_date: dt.date | None = None


@attrs.frozen(slots=True)
class UblParty:
    """A seller (BG-4) or buyer (BG-7).

    Attributes:
        name: Registration name (BT-27 / BT-44).
        address: Postal address (BG-5 / BG-8); ``None`` when only a country is given.
        country: Country code of the postal address (BT-40 / BT-55).
        vat_id: VAT identifier with its country prefix (BT-31 / BT-48).
        endpoint: Electronic address with its EAS scheme (BT-34 / BT-49).
        trading_name: Trading name (BT-28 / BT-45).
        identifier: Party identifier (BT-29 / BT-46), e.g. the o2c customer id.
        legal_id: Legal registration identifier (BT-30 / BT-47).
        legal_info: Additional legal information (BT-33), e.g. the commercial register.
        email: Contact e-mail (BT-43).
        phone: Contact phone (BT-42).
    """

    name: str
    address: Address | None
    country: str
    vat_id: str | None = None
    endpoint: ElectronicAddress | None = None
    trading_name: str = ""
    identifier: str = ""
    legal_id: str = ""
    legal_info: str = ""
    email: str = ""
    phone: str = ""


@attrs.frozen(slots=True)
class UblPayment:
    """Payment instructions (BG-16).

    Attributes:
        means_code: UNCL 4461 code (BT-81): ``58`` SEPA credit transfer, ``30`` credit
            transfer, ``97`` clearing between partners.
        payment_id: Remittance information (BT-83): what the payer quotes.
        iban: Payee account (BT-84).
        bic: Payee bank (BT-86).
        holder: Account name (BT-85).
        due_date: Due date given with the payment means (credit notes).
    """

    means_code: str
    payment_id: str = ""
    iban: str = ""
    bic: str = ""
    holder: str = ""
    due_date: dt.date | None = None


@attrs.frozen(slots=True)
class UblAllowanceCharge:
    """A document-level allowance (BG-20) or charge (BG-21).

    Attributes:
        charge: True for a charge, False for an allowance.
        amount: Amount (BT-92 / BT-99), without VAT.
        reason: Reason text (BT-97 / BT-104).
        reason_code: Reason code (BT-98 / BT-105).
        category: VAT category of the allowance or charge (BT-95 / BT-102).
        rate: VAT rate as a fraction (BT-96 / BT-103), ``None`` for O.
    """

    charge: bool
    amount: Money
    reason: str
    reason_code: str
    category: str
    rate: Decimal | None


@attrs.frozen(slots=True)
class UblLine:
    """An invoice or credit note line (BG-25).

    Attributes:
        id: Line identifier (BT-126).
        item: Seller's item identifier (BT-155).
        name: Item name (BT-153).
        quantity: Invoiced quantity (BT-129).
        unit_code: UN/ECE Rec 20 unit (BT-130).
        net: Line net amount (BT-131).
        price: Item net price (BT-146).
        base_quantity: Price base quantity (BT-149).
        category: VAT category (BT-151).
        rate: VAT rate as a fraction (BT-152), ``None`` for O.
        allowance: Sum of the line's allowances (BG-27).
        charge: Sum of the line's charges (BG-28).
        period: Line period ``(start, end)`` inclusive (BG-26), if any.
    """

    id: str
    item: str
    name: str
    quantity: Decimal
    unit_code: str
    net: Money
    price: Money
    base_quantity: Decimal
    category: str
    rate: Decimal | None
    allowance: Money
    charge: Money
    period: tuple[dt.date, dt.date] | None = None


@attrs.frozen(slots=True)
class UblTaxSubtotal:
    """A VAT breakdown row (BG-23).

    Attributes:
        category: VAT category code (BT-118).
        rate: VAT rate as a fraction (BT-119), ``None`` for O.
        taxable: Taxable amount (BT-116).
        tax: Tax amount (BT-117).
        exemption_code: VATEX code (BT-121), if any.
        exemption_reason: Exemption reason text (BT-120), if any.
    """

    category: str
    rate: Decimal | None
    taxable: Money
    tax: Money
    exemption_code: str | None = None
    exemption_reason: str | None = None


@attrs.frozen(slots=True)
class UblTotals:
    """Document totals (BG-22).

    Attributes:
        line_extension: Sum of line nets (BT-106).
        allowances: Sum of document allowances (BT-107).
        charges: Sum of document charges (BT-108).
        tax_exclusive: Total without VAT (BT-109).
        tax: Total VAT (BT-110).
        tax_inclusive: Total with VAT (BT-112).
        prepaid: Paid amount (BT-113); o2c writes withheld tax here.
        rounding: Rounding amount (BT-114).
        payable: Amount due for payment (BT-115).
    """

    line_extension: Money
    allowances: Money
    charges: Money
    tax_exclusive: Money
    tax: Money
    tax_inclusive: Money
    prepaid: Money
    rounding: Money
    payable: Money


@attrs.frozen(slots=True)
class UblDocument:
    """A UBL 2.1 Invoice or CreditNote, as read.

    Attributes:
        kind: Invoice, credit note (381) or debit note (383).
        type_code: UNCL 1001 type code (BT-3).
        number: Document number (BT-1).
        issue_date: Issue date (BT-2).
        due_date: Due date (BT-9), from the header or the payment means.
        currency: Document currency (BT-5).
        customization_id: Specification identifier (BT-24).
        profile_id: Business process (BT-23).
        note: Document note (BT-22), empty when none.
        buyer_reference: Buyer reference (BT-10).
        po_number: Purchase order reference (BT-13).
        preceding: Preceding invoices (BG-3).
        period: Invoicing period ``(start, end)`` inclusive (BG-14), if any.
        seller: Seller.
        buyer: Buyer.
        payment: Payment instructions, if any.
        payment_terms: Payment terms text (BT-20).
        allowances_charges: Document-level allowances and charges.
        lines: Lines.
        tax_subtotals: VAT breakdown.
        totals: Document totals.
    """

    kind: DocumentKind
    type_code: str
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    currency: Currency
    customization_id: str
    profile_id: str
    note: str
    buyer_reference: str
    po_number: str | None
    preceding: tuple[PrecedingInvoice, ...]
    period: tuple[dt.date, dt.date] | None
    seller: UblParty
    buyer: UblParty
    payment: UblPayment | None
    payment_terms: str
    allowances_charges: tuple[UblAllowanceCharge, ...]
    lines: tuple[UblLine, ...]
    tax_subtotals: tuple[UblTaxSubtotal, ...]
    totals: UblTotals
