"""What a rendered document shows, formatted for one locale: the templates' context.

Everything a customer reads is built here as plain strings in the document's language
(labels from :mod:`o2c.io._catalogs`, dates, amounts and percentages with babel), so the
templates only lay it out. The raw values (``doc``, ``statement``, ``seller``, ``customer``)
and the formatter ``fmt`` are in the context too, for a user's own templates.

What is left out on purpose: the tax engine's technical notes (rounding mode, "buyer VAT id
not valid" warnings) and the "Credit note for ..." note, which the "Corrects" row says
better. Only legal texts reach the customer: the exemption reasons of the tax breakdown
and the notes that are known legal texts, translated.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import babel.dates
import babel.numbers
from babel.core import Locale, UnknownLocaleError
from babel.support import Translations

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentStatus,
    LineSource,
    payment_reference_printed,
)
from o2c.calendar import PaymentTerms, TermsKind
from o2c.errors import ValidationError
from o2c.io._catalogs import LEGAL_TEXTS, translations
from o2c.ledger import Statement
from o2c.money import Money
from o2c.parties import Address, Customer, Seller

__all__ = ["Formatter", "document_context", "statement_context"]

#: EU member states (VAT ids), as ISO 3166 codes.
_EU = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
_KIND_LABELS = {
    DocumentKind.INVOICE: "Invoice",
    DocumentKind.CREDIT_NOTE: "Credit note",
    DocumentKind.DEBIT_NOTE: "Debit note",
}
_REASONS = {
    "wrong_price": "Wrong price",
    "wrong_quantity": "Wrong quantity",
    "duplicate": "Duplicate",
    "tax_error": "Tax error",
    "goodwill": "Goodwill",
    "cancellation": "Cancellation",
    "other": "Other",
}


class Formatter:
    """Locale-aware formatting and translation for one rendered document.

    Attributes:
        locale: The babel locale (``en_US`` when the requested one is unknown).
        translations: Its message catalog.
    """

    def __init__(self, locale: str) -> None:
        try:
            self.locale = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.locale = Locale.parse("en_US")
        self.translations: Translations = translations(self.locale)

    @property
    def lang(self) -> str:
        """The language code for ``<html lang>`` (``"es"``)."""
        return str(self.locale.language)

    def _(self, message: str, **values: object) -> str:
        """``message`` translated, with ``{name}`` placeholders filled in."""
        text = str(self.translations.gettext(message))
        return text.format(**values) if values else text

    def money(self, value: Money) -> str:
        """``$1,160.00``, ``1.160,00 €``: babel's currency format, never rounded."""
        return value.format(str(self.locale))

    def number(self, value: Decimal) -> str:
        """A quantity in the locale's digits, every decimal kept."""
        return babel.numbers.format_decimal(value, locale=self.locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        """A rate given as a fraction (``0.16`` -> ``16%``, ``16 %`` in German, ``7,5 %``):
        the locale's percent pattern, with the rate's decimals kept."""
        pattern = self.locale.percent_formats[None].pattern.replace("#,##0", "#,##0.##", 1)
        return babel.numbers.format_percent(
            rate, locale=self.locale, format=pattern, decimal_quantization=False
        )

    def date(self, value: dt.date) -> str:
        """A date in the locale's medium form (``Oct 31, 2026``, ``31.10.2026``)."""
        return babel.dates.format_date(value, format="medium", locale=self.locale)

    def country(self, code: str) -> str:
        """The country's name in the locale's language (``DE`` -> ``Alemania``)."""
        return str(self.locale.territories.get(code, code))

    def tax_id_label(self, country: str) -> str:
        """What a party's tax id is called: RFC in Mexico, VAT id in the EU, else tax id."""
        if country == "MX":
            return "RFC"
        return self._("VAT id" if country in _EU else "Tax id")

    def terms(self, text: str) -> str:
        """Payment terms in words (``net 30`` -> ``30 días netos``); unknown text as is."""
        try:
            terms = PaymentTerms.parse(text)
        except (ValidationError, ValueError):
            return text
        if terms.kind is TermsKind.NET:
            if terms.days == 0:
                return self._("Due on receipt")
            return self._("Net {days} days", days=terms.days)
        if terms.kind is TermsKind.END_OF_MONTH:
            return self._("End of month + {days} days", days=terms.days)
        return self._("Day {days} of the following month", days=terms.days)


def address_lines(address: Address | None, f: Formatter) -> list[str]:
    """An address as printed: street lines, postal code and city, the country's name."""
    if address is None:
        return []
    lines = [part.strip() for part in address.street.splitlines() if part.strip()]
    place = " ".join(p for p in (address.postal_code, address.city) if p)
    lines.append(", ".join(p for p in (place, address.region) if p))
    lines.append(f.country(address.country))
    return [line for line in lines if line]


def _logo(seller: Seller | None) -> str | None:
    """The logo as an ``<img src>``: a URL as given, a local file inlined as data."""
    if seller is None or not seller.logo:
        return None
    if seller.logo.startswith(("http://", "https://", "data:")):
        return seller.logo
    path = Path(seller.logo).expanduser()
    if not path.is_file():
        return None
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def payment_accounts(seller: Seller, currency: str | None) -> list[dict[str, str]]:
    """The accounts a customer paying in ``currency`` is shown, the preferred first.

    The CLABE or the IBAN accounts, by :meth:`o2c.parties.Seller.pays_to_clabe` (the
    rule the UBL payment means follow too).
    """
    if seller.pays_to_clabe(currency or ""):
        clabe = {"holder": seller.legal_name, "bank": "", "number": seller.clabe, "bic": ""}
        return [{"scheme": "CLABE", **clabe}]
    return [
        {
            "scheme": "IBAN",
            "holder": account.holder or seller.legal_name,
            "bank": account.bank_name,
            "number": account.iban_printed,
            "bic": account.bic,
        }
        for account in seller.bank_accounts
    ]


def seller_context(
    seller: Seller | None, f: Formatter, currency: str | None = None
) -> dict[str, Any]:
    """The seller block, the payment accounts (for ``currency``) and the legal footer."""
    if seller is None:
        return {
            "seller": None,
            "seller_name": "",
            "seller_lines": [],
            "seller_ids": [],
            "seller_contact": [],
            "logo": None,
            "accounts": [],
            "footer": [],
        }
    ids = []
    if seller.tax_id:
        ids.append((f.tax_id_label(seller.country), seller.tax_id))
    if seller.registration:
        ids.append((f._("Registration"), seller.registration))
    contact = [
        (f._(label), value)
        for label, value in (
            ("Phone", seller.phone),
            ("E-mail", seller.email),
            ("Web", seller.website),
        )
        if value
    ]
    accounts = payment_accounts(seller, currency)
    footer = [seller.legal_name, *(f"{k} {v}" for k, v in ids), *(f"{k} {v}" for k, v in contact)]
    return {
        "seller": seller,
        "seller_name": seller.trading_name or seller.legal_name,
        "seller_lines": [
            *([seller.legal_name] if seller.trading_name else []),
            *address_lines(seller.address, f),
        ],
        "seller_ids": ids,
        "seller_contact": contact,
        "logo": _logo(seller),
        "accounts": accounts,
        "footer": footer,
    }


def legal_texts(doc: Document, f: Formatter) -> list[str]:
    """The legal texts to print: breakdown exemption reasons and known legal notes."""
    texts: list[str] = []
    for row in doc.totals.breakdown:
        if row.exemption_reason and row.exemption_reason not in texts:
            texts.append(row.exemption_reason)
    for note in doc.notes:
        if note in LEGAL_TEXTS and note not in texts:
            texts.append(note)
    return [f._(text) for text in texts]


def _corrects(corrects: str | Document | None, doc: Document, f: Formatter) -> str | None:
    if doc.reference is None:
        return None
    if isinstance(corrects, Document):
        number = corrects.number or str(corrects.id)
        if corrects.issue_date is not None:
            return f._("{number} of {date}", number=number, date=f.date(corrects.issue_date))
        return number
    return corrects or str(doc.reference)


def _meta(doc: Document, f: Formatter, corrects: str | None) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if doc.issue_date:
        rows.append((f._("Issue date"), f.date(doc.issue_date)))
    if doc.period:
        span = f"{f.date(doc.period.start)} – {f.date(doc.period.last_day)}"
        rows.append((f._("Service period"), span))
    payable = doc.kind is not DocumentKind.CREDIT_NOTE
    if not doc.period and doc.tax_point and payable:
        # The date of supply is due on an invoice even when it is the issue date
        # (e.g. UStG § 14 (4) no. 6); a credit note refers to its invoice's.
        rows.append((f._("Date of supply"), f.date(doc.tax_point)))
    if doc.due_date and payable:
        rows.append((f._("Due date"), f.date(doc.due_date)))
    if doc.po_number:
        rows.append((f._("PO number"), doc.po_number))
    if doc.payment_terms and payable:
        rows.append((f._("Payment terms"), f.terms(doc.payment_terms)))
    if corrects:
        rows.append((f._("Corrects"), corrects))
    if doc.reason:
        reason = f._(_REASONS.get(doc.reason.value, doc.reason.value))
        rows.append((f._("Reason"), f"{reason}: {doc.reason_text}" if doc.reason_text else reason))
    return rows


def _customer_rows(customer: CustomerSnapshot | Customer, f: Formatter) -> dict[str, Any]:
    address = (
        customer.address if isinstance(customer, CustomerSnapshot) else customer.billing_address
    )
    lines = address_lines(address, f)
    ids = [(f.tax_id_label(customer.country), customer.tax_id)] if customer.tax_id else []
    return {
        "customer_name": customer.legal_name,
        "customer_lines": lines,
        "customer_ids": ids,
        # The recipient as ``key  value`` rows, for the text templates.
        "customer_rows": [
            (f._("Bill to"), customer.legal_name),
            *(("", line) for line in lines),
            *ids,
        ],
    }


def _lines(doc: Document, f: Formatter) -> list[dict[str, str]]:
    return [
        {
            "number": str(line.number),
            "item": str(line.item),
            "description": line.description,
            # A correction of an amount (a price adjustment) credits or adds no units:
            # the customer reads the amount, not "0 × price".
            "quantity": ""
            if line.source is LineSource.CORRECTION and not line.quantity
            else f.number(line.quantity),
            "unit_price": f.money(line.unit_price) if line.unit_price is not None else "",
            "net": f.money(line.net),
            "tax": ", ".join(f.percent(t.rate) for t in line.taxes if not t.withholding)
            or line.tax_category,
        }
        for line in doc.lines
    ]


def _totals(doc: Document, f: Formatter) -> list[dict[str, Any]]:
    totals = doc.totals
    rows = [
        {"label": f._("Net"), "value": f.money(totals.net), "grand": False},
        {"label": f._("Tax"), "value": f.money(totals.tax), "grand": False},
    ]
    if not totals.withheld.is_zero:
        rows.append({"label": f._("Withheld"), "value": f.money(-totals.withheld), "grand": False})
    rows.append({"label": f._("Total"), "value": f.money(totals.gross), "grand": False})
    if totals.payable != totals.gross:
        due = "Amount credited" if doc.kind is DocumentKind.CREDIT_NOTE else "Amount due"
        rows.append({"label": f._(due), "value": f.money(totals.payable), "grand": True})
    else:
        rows[-1]["grand"] = True
    return rows


def _breakdown(doc: Document, f: Formatter) -> list[dict[str, str]]:
    return [
        {
            "tax": row.label or row.code or row.category,
            "rate": f.percent(row.rate),
            "base": f.money(row.base),
            "amount": f.money(-row.amount if row.withholding else row.amount),
        }
        for row in doc.totals.breakdown
    ]


def _payment(doc: Document, f: Formatter, reference: str) -> dict[str, Any]:
    if doc.kind is DocumentKind.CREDIT_NOTE:
        text = f._("The amount will be offset against your open invoices or refunded.")
        return {"text": text, "reference": None, "accounts": False}
    amount = f.money(doc.totals.payable)
    if doc.due_date is not None:
        text = f._("Please pay {amount} by {date}.", amount=amount, date=f.date(doc.due_date))
    else:
        text = f._("Please pay {amount}.", amount=amount)
    return {"text": text, "reference": reference, "accounts": True}


def _payment_reference(doc: Document) -> str:
    """The ISO 11649 creditor reference of an issued document, else its number or id."""
    if doc.number is None or doc.status is DocumentStatus.DRAFT:
        return str(doc.id)
    try:
        return payment_reference_printed(doc)
    except ValidationError:  # a number with no letter or digit, or over 21 of them
        return doc.number


def _labels(f: Formatter, names: Sequence[str]) -> dict[str, str]:
    """The column and caption labels, keyed by their English message id."""
    return {name: f._(name) for name in names}


_DOC_LABELS = (
    "#", "Item", "Description", "Qty", "Unit price", "Net", "Tax", "Tax breakdown", "Rate",
    "Base", "Bill to", "From", "Payment", "Payment reference", "Bank", "Account holder",
    "IBAN", "CLABE", "BIC", "Page", "of", "Number", "Amount",
)  # fmt: skip
_STATEMENT_LABELS = (
    "Date", "Movement", "Reference", "Amount", "Balance", "Open items", "Number", "Due date",
    "Original", "Open", "Disputed", "Extended to", "Customer", "From", "Payment",
    "Payment reference", "Bank", "Account holder", "IBAN", "CLABE", "BIC", "Page",
    "of", "Issue date", "Bill to",
)  # fmt: skip


def document_context(
    doc: Document,
    *,
    seller: Seller | None,
    locale: str | None,
    corrects: str | Document | None,
    payment_reference: str | None,
) -> dict[str, Any]:
    """The template context of an invoice, credit note or debit note."""
    f = Formatter(locale or doc.customer.locale)
    kind = f._(_KIND_LABELS[doc.kind])
    title = f"{kind} {doc.number}" if doc.number else kind
    mark = None
    if doc.status is DocumentStatus.DRAFT:
        mark = f._("DRAFT")
    elif doc.status is DocumentStatus.VOID:
        mark = f._("VOID")
    if mark:
        title = f"{title} ({mark})"
    reference = payment_reference or _payment_reference(doc)
    return {
        "doc": doc,
        "fmt": f,
        "lang": f.lang,
        "locale": str(f.locale),
        "title": title,
        "kind_label": kind,
        "status_mark": mark,
        "number": doc.number,
        "meta": _meta(doc, f, _corrects(corrects, doc, f)),
        "lines": _lines(doc, f),
        "totals": _totals(doc, f),
        "breakdown": _breakdown(doc, f),
        "legal_texts": legal_texts(doc, f),
        "payment": _payment(doc, f, reference),
        "label": _labels(f, _DOC_LABELS),
        **_customer_rows(doc.customer, f),
        **seller_context(seller, f, doc.currency.code),
    }


def _capital(text: str) -> str:
    """``text`` with its first letter in upper case (a table cell starts with one)."""
    return text[:1].upper() + text[1:]


def _signed(f: Formatter) -> Callable[[Money | None], str]:
    return lambda m: "" if m is None else f.money(m)


def statement_context(
    statement: Statement,
    customer: Customer | CustomerSnapshot,
    *,
    seller: Seller | None,
    locale: str | None,
) -> dict[str, Any]:
    """The template context of a customer statement."""
    f = Formatter(locale or customer.locale)
    money = _signed(f)
    title = f._("Customer statement")
    movements = [
        {
            "date": f.date(statement.start),
            "what": f._("Opening balance"),
            "reference": "",
            "amount": "",
            "balance": money(statement.opening),
        },
        *(
            {
                "date": f.date(line.date),
                "what": _capital(f._(line.kind.value)),
                "reference": line.reference,
                "amount": money(line.amount),
                "balance": money(line.balance),
            }
            for line in statement.lines
        ),
        {
            "date": f.date(statement.end),
            "what": f._("Closing balance"),
            "reference": "",
            "amount": "",
            "balance": money(statement.closing),
        },
    ]
    items = [
        {
            "number": item.number,
            "date": f.date(item.document_date),
            "due": f.date(item.due_date),
            "extended": f.date(item.extended_due) if item.extended_due else "",
            "original": money(item.original),
            "open": money(item.open),
            "disputed": money(item.disputed) if item.disputed else "",
        }
        for item in statement.open_items
    ]
    meta = [
        (f._("Statement period"), f"{f.date(statement.start)} – {f.date(statement.end)}"),
        (f._("Statement date"), f.date(statement.end)),
    ]
    due = statement.closing
    payment = None
    if due.is_positive:
        text = f._("Please pay {amount}.", amount=f.money(due))
        payment = {"text": text, "reference": None, "accounts": True}
    notes = []
    if not statement.disputed.is_zero:
        notes.append(f"{f._('Disputed')}: {money(statement.disputed)}")
    if not statement.unapplied.is_zero:
        notes.append(f"{f._('Unapplied credit')}: {money(statement.unapplied)}")
    return {
        "statement": statement,
        "fmt": f,
        "lang": f.lang,
        "locale": str(f.locale),
        "title": title,
        "kind_label": title,
        "status_mark": None,
        "number": None,
        "meta": meta,
        "movements": movements,
        "open_items": items,
        "has_disputes": any(i["disputed"] or i["extended"] for i in items),
        "closing": money(statement.closing),
        "closing_label": f._("Closing balance"),
        "notes": notes,
        "payment": payment,
        "label": _labels(f, _STATEMENT_LABELS),
        **_customer_rows(customer, f),
        **seller_context(seller, f, statement.currency.code),
    }
