"""Worked examples for Mexico: IVA, border region, withholdings."""

from __future__ import annotations

import datetime as dt

from o2c.money import Money
from o2c.tax import PersonType, TaxableLine, TaxProfile, bundled_table, compute_tax

MX = bundled_table("MX")
DAY = dt.date(2026, 10, 31)
COMPANY = TaxProfile("MX", tax_id="EKU9003173C9")
INDIVIDUAL = TaxProfile("MX", person=PersonType.INDIVIDUAL, tax_id="GODE561231GR8")


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


def test_individual_billing_company_for_services_has_isr_and_two_thirds_iva_withheld() -> None:
    result = compute_tax(
        [TaxableLine("1", mxn("10000.00"), "services")],
        seller=INDIVIDUAL,
        buyer=COMPANY,
        tax_point=DAY,
        table=MX,
    )
    totals = result.totals
    assert totals.net == mxn("10000.00")
    assert totals.tax == mxn("1600.00")
    assert totals.withheld == mxn("2066.67")
    assert totals.gross == mxn("11600.00")
    assert totals.payable == mxn("9533.33")
    held = {b.tax: b.amount for b in result.withholdings}
    assert held == {"MX-ISR-RET": mxn("1000.00"), "MX-IVA-RET": mxn("1066.67")}
