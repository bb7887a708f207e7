"""Small builders of issued invoices for correction tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentLine,
    LineTax,
    draft_document,
    issue,
)
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money, Rounding

USD = Currency.of("USD")
WHO = CustomerSnapshot(CustomerId("C-1"), "ACME Corp", None, "AAA010101AAA", "MX")


def taxed_line(
    item: str, quantity: str, unit_price: str, rate: str = "0.16", *, withholding: str = ""
) -> DocumentLine:
    """A line with net = round(qty x price) and IVA = round(net x rate)."""
    price = Money.of(unit_price, USD)
    net = (price * Decimal(quantity)).round(Rounding.HALF_UP)
    taxes = [LineTax("IVA", "S", Decimal(rate), (net * Decimal(rate)).round(), tax="MX-IVA")]
    if withholding:
        taxes.append(
            LineTax(
                "ISR-RET",
                "S",
                Decimal(withholding),
                (net * Decimal(withholding)).round(),
                withholding=True,
                tax="MX-ISR",
            )
        )
    return DocumentLine(0, ItemCode(item), item, Decimal(quantity), price, net, tuple(taxes))


def issued_invoice(
    *lines: DocumentLine, doc_id: str = "I-1", number: str = "INV-2026-000001"
) -> Document:
    """An issued USD invoice of ``lines`` dated Oct 31, 2026."""
    draft = draft_document(DocumentId(doc_id), WHO, USD, list(lines), payment_terms="net 30")
    return issue(draft, number, dt.date(2026, 10, 31))
