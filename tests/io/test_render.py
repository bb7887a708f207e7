"""Documents render for people in the customer's locale, with exact amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineTax,
    compute_totals,
)
from o2c.calendar import Period
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io import render_html, render_text
from o2c.money import Currency, Money
from o2c.parties import Address


def _invoice(
    locale: str = "es_MX", name: str = "Tortillería La Esperanza S.A. de C.V."
) -> Document:
    mxn = Currency.of("MXN")
    line = DocumentLine(
        number=1,
        item=ItemCode("consulting"),
        description="Consultoría <senior>",
        quantity=Decimal("10"),
        unit_price=Money.of("100", "MXN"),
        net=Money.of("1000", "MXN"),
        taxes=(
            LineTax("MX-IVA-16", "S", Decimal("0.16"), Money.of("160", "MXN")),
            LineTax("MX-ISR-RET-10", "S", Decimal("0.10"), Money.of("100", "MXN"), True),
        ),
    )
    customer = CustomerSnapshot(
        customer_id=CustomerId("C-MX-1"),
        legal_name=name,
        address=Address("Av. Juárez 100", "Guadalajara", "44100", "MX", "JAL"),
        tax_id="TLE010101AB1",
        country="MX",
        locale=locale,
        time_zone="America/Mexico_City",
    )
    return Document(
        id=DocumentId("doc-1"),
        kind=DocumentKind.INVOICE,
        status=DocumentStatus.ISSUED,
        customer=customer,
        currency=mxn,
        lines=(line,),
        totals=compute_totals((line,), mxn),
        number="INV-2026-000042",
        issue_date=dt.date(2026, 10, 31),
        due_date=dt.date(2026, 11, 30),
        period=Period.month(2026, 10),
        payment_terms="net 30",
        notes=("Impuestos redondeados por línea.",),
    )


def test_text_invoice_in_spanish_for_a_mexican_customer() -> None:
    text = render_text(_invoice())
    assert text.startswith("Factura INV-2026-000042\n")
    assert "RFC                   TLE010101AB1" in text  # a Mexican tax id is an RFC
    assert "$1,000.00" in text  # net
    assert "$160.00" in text  # IVA 16 %
    assert "-$100.00" in text  # ISR withheld
    assert "Total a pagar  $1,060.00" in text  # 1,000 + 160 IVA - 100 ISR withheld
    assert "16%" in text
    assert "31 oct 2026" in text


def test_text_invoice_in_german_formats_numbers_the_german_way() -> None:
    text = render_text(_invoice("de_DE"))
    assert text.startswith("Rechnung INV-2026-000042")
    assert " Zahlbetrag  1.060,00\xa0MX$" in text
    assert "31.10.2026" in text


def test_an_unknown_locale_falls_back_to_english() -> None:
    assert render_text(_invoice("xx_YY")).startswith("Invoice INV-2026-000042")


def test_a_draft_is_marked_as_draft() -> None:
    draft = attrs.evolve(_invoice("en_US"), status=DocumentStatus.DRAFT, number=None)
    assert render_text(draft).startswith("Invoice (DRAFT)")


def test_html_escapes_every_customer_text() -> None:
    page = render_html(_invoice("en_US", name="<script>alert(1)</script>"))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "Consultoría &lt;senior&gt;" in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<td class=num>MX$1,000.00</td>" in page or "1,000.00" in page
