"""Invariants of rendered documents, over random invoices: every amount is printed exactly
as stored in the reader's locale, and customer text never becomes markup."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineTax,
    compute_totals,
)
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.io import render_html, render_text
from o2c.money import Currency, Money
from tests.strategies import currencies

LOCALES = ("en_US", "es_MX", "de_DE", "fr_FR")
RATES = (Decimal(0), Decimal("0.07"), Decimal("0.16"), Decimal("0.19"))
#: Names and descriptions with markup, quotes and accents.
texts = st.text(alphabet=st.sampled_from(list("abcñßü€<>&\"' /=")), min_size=1, max_size=24).filter(
    str.strip
)


@st.composite
def invoices(draw: st.DrawFn) -> tuple[Document, str]:
    currency: Currency = draw(currencies)
    count = draw(st.integers(min_value=1, max_value=6))
    lines = []
    for number in range(1, count + 1):
        units = draw(st.integers(min_value=0, max_value=10**9))
        net = Money.from_minor(units, currency)
        rate = draw(
            st.sampled_from([Decimal(0), Decimal("0.07"), Decimal("0.16"), Decimal("0.19")])
        )
        tax = Money(net.amount * rate, currency).round()
        lines.append(
            DocumentLine(
                number,
                ItemCode(f"item-{number}"),
                draw(texts),
                Decimal(draw(st.integers(min_value=1, max_value=999))),
                None,
                net,
                (LineTax(f"VAT-{rate}", "S", rate, tax),),
            )
        )
    locale = draw(st.sampled_from(LOCALES))
    customer = CustomerSnapshot(
        customer_id=CustomerId("C-1"),
        legal_name=draw(texts),
        address=None,
        tax_id=None,
        country="DE",
        locale=locale,
    )
    doc = Document(
        id=DocumentId("D-1"),
        kind=DocumentKind.INVOICE,
        status=DocumentStatus.ISSUED,
        customer=customer,
        currency=currency,
        lines=tuple(lines),
        totals=compute_totals(tuple(lines), currency),
        number="INV-2026-000001",
        issue_date=dt.date(2026, 11, 1),
        due_date=dt.date(2026, 12, 1),
    )
    return doc, locale


@settings(max_examples=60, deadline=None)
@given(invoices())
def test_every_amount_is_printed_exactly_as_stored(case: tuple[Document, str]) -> None:
    doc, locale = case
    text = render_text(doc)
    for line in doc.lines:
        assert line.net.format(locale) in text
    for total in (doc.totals.net, doc.totals.tax, doc.totals.gross):
        assert total.format(locale) in text


@settings(max_examples=60, deadline=None)
@given(invoices())
def test_customer_text_never_becomes_markup(case: tuple[Document, str]) -> None:
    doc, _ = case
    page = render_html(doc)
    assert f'<div class="customer-name">{escape(doc.customer.legal_name)}</div>' in page
    for line in doc.lines:
        assert f"<td>{escape(line.description)}</td>" in page
