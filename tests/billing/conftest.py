"""Shared builders for billing tests: a Mexican seller, customers, a rate card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing.billrun import BillRunInputs
from o2c.billing.taxing import TaxContext
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.parties import Address, Customer, TaxRegistration, TaxScheme
from o2c.pricing import Flat, Graduated, Item, PerUnit, RateCard, RateCardVersion, Tier
from o2c.tax import TaxProfile, bundled_table

MXN = Currency.of("MXN")
OCT_1 = dt.date(2026, 10, 1)


def make_customer(cid: str = "C-1", **changes: object) -> Customer:
    """A complete Mexican company customer billed in MXN."""
    fields: dict[str, object] = {
        "id": CustomerId(cid),
        "legal_name": f"Cliente {cid} SA de CV",
        "billing_address": Address("Av. Reforma 1", "Ciudad de México", "06600", "MX"),
        "country": "MX",
        "currency": MXN,
        "tax_registrations": (TaxRegistration.of(TaxScheme.MX_RFC, "AAA010101AAA"),),
    }
    fields.update(changes)
    return Customer(**fields)  # type: ignore[arg-type]


def rate_card() -> RateCard:
    """Plans, API calls (graduated) and consulting hours."""
    items = [
        Item(
            code=ItemCode("PLAN-BASIC"),
            name="Basic plan",
            unit="month",
            tax_category="S",
            model=Flat(price="310.00"),
        ),
        Item(
            code=ItemCode("PLAN-PRO"),
            name="Pro plan",
            unit="month",
            tax_category="S",
            model=Flat(price="620.00"),
        ),
        Item(
            code=ItemCode("SEAT"),
            name="Seat",
            unit="seat",
            tax_category="S",
            model=PerUnit(unit_price="100.00"),
        ),
        Item(
            code=ItemCode("API"),
            name="API calls",
            unit="call",
            tax_category="S",
            model=Graduated(tiers=[Tier(1000, "0.10"), Tier(None, "0.05")]),
        ),
    ]
    return RateCard(
        code="STD", currency="MXN", versions=[RateCardVersion(dt.date(2026, 1, 1), items)]
    )


def make_contract(
    kid: str = "K-1",
    cid: str = "C-1",
    lines: tuple[ContractLine, ...] | None = None,
    *,
    start: dt.date = OCT_1,
    timing: BillingTiming = BillingTiming.ADVANCE,
    **changes: object,
) -> Contract:
    """A monthly contract anchored on the 1st on the standard rate card."""
    if lines is None:
        lines = (ContractLine("plan", ItemCode("PLAN-BASIC"), ChargeKind.RECURRING),)
    version = ContractVersion(
        start,
        lines,
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 1)),
        MXN,
        "STD",
        timing,
        **changes,  # type: ignore[arg-type]
    )
    return Contract(ContractId(kid), CustomerId(cid), (version,))


def tax_context() -> TaxContext:
    """A Mexican company selling under CFDI (per-line rounding, IVA 16 %)."""
    return TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table("MX"))


def inputs(customers: list[Customer], **changes: object) -> BillRunInputs:
    """Bill-run inputs for ``customers`` with the standard card and MX tax."""
    return BillRunInputs(
        {c.id: c for c in customers},
        {"STD": rate_card()},
        tax_context(),
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture
def customer() -> Customer:
    return make_customer()


ZERO = Decimal(0)
