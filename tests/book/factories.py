"""Small builders of core values for Book tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.billing import Document, DocumentLine, LineTax, snapshot
from o2c.billing.lifecycle import draft_document
from o2c.calendar import BillingCycle, Cycle, PaymentTerms
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.parties import Address, Customer
from o2c.pricing import Graduated, PerUnit, PriceModel, Tier


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


def mx_customer(cid: str, *, address: bool = True) -> Customer:
    """A Mexican company billed in MXN (with or without a billing address)."""
    return Customer(
        CustomerId(cid),
        f"Cliente {cid} SA de CV",
        Address("Reforma 1", "CDMX", "06600", "MX") if address else None,
        "MX",
        Currency.of("MXN"),
        payment_terms=PaymentTerms.parse("net 30"),
        time_zone="America/Mexico_City",
    )


def monthly_contract(
    kid: str,
    cid: str,
    lines: tuple[tuple[str, str, str], ...],
    *,
    start: dt.date = dt.date(2026, 10, 1),
    end: dt.date | None = None,
    tiered: bool = False,
) -> Contract:
    """A monthly contract billed in arrears with per-unit (or one-tier graduated) lines."""
    built = []
    for n, (item, qty, price) in enumerate(lines, start=1):
        model: PriceModel = (
            Graduated(tiers=[Tier(None, Decimal(price))])
            if tiered
            else PerUnit(unit_price=Decimal(price))
        )
        built.append(ContractLine(f"L{n}", ItemCode(item), quantity=Decimal(qty), model=model))
    version = ContractVersion(
        start,
        tuple(built),
        BillingCycle(Cycle.MONTHLY, start),
        Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId(kid), CustomerId(cid), (version,), end)


def usage_line(kid: str, cid: str, item: str = "API") -> Contract:
    """A monthly contract billing usage of ``item`` at 0.50 per unit, in arrears."""
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (
            ContractLine(
                "U1", ItemCode(item), ChargeKind.USAGE, model=PerUnit(unit_price=Decimal("0.50"))
            ),
        ),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId(kid), CustomerId(cid), (version,))
