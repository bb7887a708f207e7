"""Small builders of core values for Book tests."""

from __future__ import annotations

from decimal import Decimal

from o2c.billing import Document, DocumentLine, LineTax, snapshot
from o2c.billing.lifecycle import draft_document
from o2c.calendar import PaymentTerms
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.parties import Address, Customer


def customer(cid: str = "C1", currency: str = "USD", name: str = "Acme Inc.") -> Customer:
    """A complete customer billed in ``currency``."""
    return Customer(
        CustomerId(cid),
        name,
        Address("1 Main St", "Springfield", "12345", "US"),
        "US",
        Currency.of(currency),
        payment_terms=PaymentTerms.parse("net 30"),
    )


def invoice_draft(
    doc_id: str,
    cid: str = "C1",
    lines: tuple[tuple[str, str, str], ...] = (("SETUP", "1", "100.00"),),
    currency: str = "USD",
    rate: str = "0.16",
) -> Document:
    """A draft invoice of ``(item, quantity, unit price)`` lines taxed at ``rate``."""
    cur = Currency.of(currency)
    built = []
    for n, (item, qty, price) in enumerate(lines, start=1):
        net = (Money.of(price, cur) * Decimal(qty)).round()
        tax = (net * Decimal(rate)).round()
        built.append(
            DocumentLine(
                n,
                ItemCode(item),
                item.title(),
                Decimal(qty),
                Money.of(price, cur),
                net,
                (LineTax("VAT", "S", Decimal(rate), tax),),
            )
        )
    who = snapshot(customer(cid, currency))
    return draft_document(DocumentId(doc_id), who, cur, built, payment_terms="net 30")
