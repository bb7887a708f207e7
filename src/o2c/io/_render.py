"""Render billing documents for people: plain text and HTML, in the customer's locale.

Numbers, amounts, percentages and dates are formatted with babel in the locale of the
document's customer snapshot (``es_MX`` shows ``$1,160.00`` and ``31 oct 2026``,
``de_DE`` shows ``1.160,00 €`` and ``31.10.2026``). Labels are English, Spanish, German
or French by the locale's language, English otherwise. Amounts are shown exactly as
stored: rendering never rounds.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Final

import babel.dates
import babel.numbers
from babel.core import Locale, UnknownLocaleError

from o2c.billing import Document, DocumentKind, DocumentStatus
from o2c.money import Money

__all__ = ["render_html", "render_text"]

_LABELS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "debit_note": "Debit note",
        "draft": "DRAFT",
        "void": "VOID",
        "number": "Number",
        "issued": "Issue date",
        "due": "Due date",
        "period": "Service period",
        "customer": "Bill to",
        "tax_id": "Tax id",
        "po": "PO number",
        "terms": "Payment terms",
        "corrects": "Corrects",
        "reason": "Reason",
        "line": "#",
        "item": "Item",
        "description": "Description",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "net": "Net",
        "tax": "Tax",
        "withheld": "Withheld",
        "gross": "Total",
        "payable": "Amount due",
        "breakdown": "Tax breakdown",
        "base": "Base",
        "rate": "Rate",
    },
    "es": {
        "invoice": "Factura",
        "credit_note": "Nota de crédito",
        "debit_note": "Nota de débito",
        "draft": "BORRADOR",
        "void": "CANCELADA",
        "number": "Folio",
        "issued": "Fecha de emisión",
        "due": "Fecha de vencimiento",
        "period": "Periodo",
        "customer": "Cliente",
        "tax_id": "RFC / NIF",
        "po": "Orden de compra",
        "terms": "Condiciones de pago",
        "corrects": "Corrige",
        "reason": "Motivo",
        "line": "#",
        "item": "Concepto",
        "description": "Descripción",
        "quantity": "Cant.",
        "unit_price": "Precio unitario",
        "net": "Importe",
        "tax": "Impuestos",
        "withheld": "Retenciones",
        "gross": "Total",
        "payable": "Total a pagar",
        "breakdown": "Desglose de impuestos",
        "base": "Base",
        "rate": "Tasa",
    },
    "de": {
        "invoice": "Rechnung",
        "credit_note": "Gutschrift",
        "debit_note": "Belastungsanzeige",
        "draft": "ENTWURF",
        "void": "STORNIERT",
        "number": "Nummer",
        "issued": "Rechnungsdatum",
        "due": "Fällig am",
        "period": "Leistungszeitraum",
        "customer": "Rechnungsempfänger",
        "tax_id": "USt-IdNr.",
        "po": "Bestellnummer",
        "terms": "Zahlungsbedingungen",
        "corrects": "Korrigiert",
        "reason": "Grund",
        "line": "Pos.",
        "item": "Artikel",
        "description": "Beschreibung",
        "quantity": "Menge",
        "unit_price": "Einzelpreis",
        "net": "Netto",
        "tax": "Steuer",
        "withheld": "Einbehalten",
        "gross": "Gesamt",
        "payable": "Zahlbetrag",
        "breakdown": "Steueraufstellung",
        "base": "Bemessungsgrundlage",
        "rate": "Satz",
    },
    "fr": {
        "invoice": "Facture",
        "credit_note": "Avoir",
        "debit_note": "Note de débit",
        "draft": "BROUILLON",
        "void": "ANNULÉE",
        "number": "Numéro",
        "issued": "Date d'émission",
        "due": "Échéance",
        "period": "Période",
        "customer": "Client",
        "tax_id": "N° TVA",
        "po": "Bon de commande",
        "terms": "Conditions de paiement",
        "corrects": "Corrige",
        "reason": "Motif",
        "line": "#",
        "item": "Article",
        "description": "Description",
        "quantity": "Qté",
        "unit_price": "Prix unitaire",
        "net": "HT",
        "tax": "TVA",
        "withheld": "Retenue",
        "gross": "TTC",
        "payable": "Net à payer",
        "breakdown": "Détail de la TVA",
        "base": "Base",
        "rate": "Taux",
    },
}


class _Formatter:
    """Locale-aware formatting of one document's values."""

    def __init__(self, locale: str) -> None:
        try:
            self.locale = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.locale = Locale.parse("en_US")
        self.labels = _LABELS.get(self.locale.language, _LABELS["en"])

    def label(self, key: str) -> str:
        return self.labels[key]

    def money(self, value: Money) -> str:
        return value.format(str(self.locale))

    def number(self, value: Decimal) -> str:
        return babel.numbers.format_decimal(value, locale=self.locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        return babel.numbers.format_percent(
            rate, locale=self.locale, format="#,##0.##%", decimal_quantization=False
        )

    def date(self, value: dt.date) -> str:
        return babel.dates.format_date(value, format="medium", locale=self.locale)


def _title(doc: Document, f: _Formatter) -> str:
    title = f.label(doc.kind.value)
    if doc.number:
        title = f"{title} {doc.number}"
    if doc.status is DocumentStatus.DRAFT:
        title = f"{title} ({f.label('draft')})"
    elif doc.status is DocumentStatus.VOID:
        title = f"{title} ({f.label('void')})"
    return title


def _header(doc: Document, f: _Formatter, corrects: str | None) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if doc.issue_date:
        rows.append((f.label("issued"), f.date(doc.issue_date)))
    if doc.due_date and doc.kind is not DocumentKind.CREDIT_NOTE:
        rows.append((f.label("due"), f.date(doc.due_date)))
    if doc.period:
        rows.append(
            (f.label("period"), f"{f.date(doc.period.start)} – {f.date(doc.period.last_day)}")
        )
    customer = doc.customer
    rows.append((f.label("customer"), customer.legal_name))
    if customer.address is not None:
        address = customer.address
        street = ", ".join(part.strip() for part in address.street.splitlines() if part.strip())
        place = " ".join(p for p in (address.postal_code, address.city) if p)
        rows.append(("", ", ".join(p for p in (street, place, address.country) if p)))
    if customer.tax_id:
        rows.append((f.label("tax_id"), customer.tax_id))
    if doc.po_number:
        rows.append((f.label("po"), doc.po_number))
    if doc.payment_terms and doc.kind is not DocumentKind.CREDIT_NOTE:
        rows.append((f.label("terms"), doc.payment_terms))
    if doc.reference:
        rows.append((f.label("corrects"), corrects or str(doc.reference)))
    if doc.reason:
        reason = doc.reason.value.replace("_", " ")
        rows.append(
            (f.label("reason"), f"{reason}: {doc.reason_text}" if doc.reason_text else reason)
        )
    return rows


def _lines(doc: Document, f: _Formatter) -> tuple[list[str], list[list[str]]]:
    head = [
        f.label(k) for k in ("line", "item", "description", "quantity", "unit_price", "net", "tax")
    ]
    rows = [
        [
            str(line.number),
            str(line.item),
            line.description,
            f.number(line.quantity),
            f.money(line.unit_price) if line.unit_price is not None else "",
            f.money(line.net),
            ", ".join(f.percent(t.rate) for t in line.taxes if not t.withholding)
            or line.tax_category,
        ]
        for line in doc.lines
    ]
    return head, rows


def _totals(doc: Document, f: _Formatter) -> list[tuple[str, str]]:
    totals = doc.totals
    rows = [(f.label("net"), f.money(totals.net)), (f.label("tax"), f.money(totals.tax))]
    if not totals.withheld.is_zero:
        rows.append((f.label("withheld"), f.money(-totals.withheld)))
    rows.append((f.label("gross"), f.money(totals.gross)))
    if totals.payable != totals.gross:
        rows.append((f.label("payable"), f.money(totals.payable)))
    return rows


def _breakdown(doc: Document, f: _Formatter) -> list[list[str]]:
    return [
        [
            row.code or row.category,
            f.percent(row.rate),
            f.money(row.base),
            f.money(-row.amount if row.withholding else row.amount),
        ]
        for row in doc.totals.breakdown
    ]


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [fmt(head), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def render_text(
    document: Document, *, locale: str | None = None, corrects: str | None = None
) -> str:
    """Render ``document`` as plain text for a terminal, an email or a letter.

    Args:
        document: The invoice, credit note or debit note.
        locale: Override the customer's locale (``"es_MX"``, ``"de_DE"``).
        corrects: The number of the corrected invoice, shown instead of its id.

    Returns:
        The text, ending with the document's notes (tax rounding mode, exemptions).
    """
    f = _Formatter(locale or document.customer.locale)
    out = [_title(document, f), "=" * len(_title(document, f))]
    header = _header(document, f, corrects)
    width = max(len(k) for k, _ in header)
    out += [f"{k.ljust(width)}  {v}".rstrip() for k, v in header]
    head, rows = _lines(document, f)
    out += ["", *_table(head, rows, {0, 3, 4, 5, 6})]
    totals = _totals(document, f)
    width = max(len(k) for k, _ in totals)
    value_width = max(len(v) for _, v in totals)
    out.append("")
    out += [f"{k.rjust(width)}  {v.rjust(value_width)}" for k, v in totals]
    breakdown = _breakdown(document, f)
    if breakdown:
        labels = [f.label(k) for k in ("breakdown", "rate", "base", "tax")]
        out += ["", *_table(labels, breakdown, {1, 2, 3})]
    if document.notes:
        out += ["", *document.notes]
    return "\n".join(out) + "\n"


def render_html(
    document: Document, *, locale: str | None = None, corrects: str | None = None
) -> str:
    """Render ``document`` as a self-contained HTML page (every text escaped).

    Args:
        document: The invoice, credit note or debit note.
        locale: Override the customer's locale.
        corrects: The number of the corrected invoice, shown instead of its id.
    """
    f = _Formatter(locale or document.customer.locale)
    e = html.escape
    title = _title(document, f)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(f.locale.language)}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{padding:.2em .6em;border-bottom:1px solid #ddd}.num{text-align:right}</style>",
        "</head><body>",
        f"<h1>{e(title)}</h1>",
        '<table class="header">',
    ]
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _header(document, f, corrects)]
    parts.append("</table>")
    head, rows = _lines(document, f)
    numeric = {0, 3, 4, 5, 6}

    def row(cells: list[str], tag: str) -> str:
        return (
            "<tr>"
            + "".join(
                f"<{tag}{' class=num' if i in numeric else ''}>{e(c)}</{tag}>"
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )

    parts += ['<table class="lines">', row(head, "th"), *(row(r, "td") for r in rows), "</table>"]
    parts.append('<table class="totals">')
    parts += [
        f'<tr><th>{e(k)}</th><td class="num">{e(v)}</td></tr>' for k, v in _totals(document, f)
    ]
    parts.append("</table>")
    breakdown = _breakdown(document, f)
    if breakdown:
        labels = [f.label(k) for k in ("breakdown", "rate", "base", "tax")]
        numeric = {1, 2, 3}
        parts += [
            '<table class="tax">',
            row(labels, "th"),
            *(row(r, "td") for r in breakdown),
            "</table>",
        ]
    parts += [f"<p>{e(note)}</p>" for note in document.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
