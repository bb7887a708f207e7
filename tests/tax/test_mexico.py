"""Worked examples for Mexico: IVA, border region, 0 %, exempt, exports, withholdings."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import NotFound
from o2c.money import Money
from o2c.tax import (
    CFDI,
    PersonType,
    RoundingScope,
    TaxableLine,
    TaxCategory,
    TaxKind,
    TaxProfile,
    bundled_table,
    compute_tax,
)

MX = bundled_table("MX")
DAY = dt.date(2026, 10, 31)
COMPANY = TaxProfile("MX", tax_id="EKU9003173C9")
INDIVIDUAL = TaxProfile("MX", person=PersonType.INDIVIDUAL, tax_id="GODE561231GR8")
RESICO = TaxProfile("MX", person=PersonType.INDIVIDUAL, regime="626", tax_id="GODE561231GR8")


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


def services(amount: str, line_id: str = "1", tax_class: str = "services") -> TaxableLine:
    return TaxableLine(line_id, mxn(amount), tax_class)


def test_individual_billing_company_for_services_has_isr_and_two_thirds_iva_withheld() -> None:
    result = compute_tax(
        [services("10000.00")], seller=INDIVIDUAL, buyer=COMPANY, tax_point=DAY, table=MX
    )
    totals = result.totals
    assert totals.net == mxn("10000.00")
    assert totals.tax == mxn("1600.00")
    assert totals.withheld == mxn("2066.67")
    assert totals.gross == mxn("11600.00")
    assert totals.payable == mxn("9533.33")
    held = {b.tax: b.amount for b in result.withholdings}
    assert held == {"MX-ISR-RET": mxn("1000.00"), "MX-IVA-RET": mxn("1066.67")}
    assert all(b.kind is TaxKind.WITHHOLDING for b in result.withholdings)
    assert result.lines[0].payable == mxn("9533.33")


def test_mexico_rounds_per_line_by_default() -> None:
    result = compute_tax(
        [services("10000.00")], seller=INDIVIDUAL, buyer=COMPANY, tax_point=DAY, table=MX
    )
    assert result.regime == CFDI
    assert result.regime.scope is RoundingScope.LINE


def test_every_amount_explains_its_rule_rate_and_base() -> None:
    result = compute_tax(
        [services("10000.00")], seller=INDIVIDUAL, buyer=COMPANY, tax_point=DAY, table=MX
    )
    line = result.lines[0]
    iva, isr, iva_ret = line.taxes[0], line.withholdings[0], line.withholdings[1]
    assert iva.explain.startswith("IVA S 16 % of 10000.00 MXN = 1600.00 MXN [MX-IVA-16")
    assert "MX.toml: rates[1]" in iva.rule
    assert "ISR retenido S 10 % of 10000.00 MXN = 1000.00 MXN" in isr.explain
    assert "10.6667 %" in iva_ret.explain
    assert "rounded per line" in iva.method
    text = result.explain()
    assert "CFDI 4.0: tax rounded per line" in text
    assert text.count("MX-IVA-RET-2/3") == 2  # the line and the breakdown


def test_resico_seller_has_1_25_percent_isr_withheld_instead_of_10() -> None:
    result = compute_tax(
        [services("10000.00")], seller=RESICO, buyer=COMPANY, tax_point=DAY, table=MX
    )
    held = {code: b.amount for b in result.withholdings for code in b.codes}
    assert held == {"MX-ISR-RET-RESICO": mxn("125.00"), "MX-IVA-RET-2/3": mxn("1066.67")}
    assert result.totals.payable == mxn("10408.33")


def test_resico_withholding_did_not_exist_before_2022() -> None:
    result = compute_tax(
        [services("10000.00")],
        seller=RESICO,
        buyer=COMPANY,
        tax_point=dt.date(2021, 12, 31),
        table=MX,
    )
    assert [b.amount for b in result.withholdings] == [mxn("1000.00"), mxn("1066.67")]


def test_freight_paid_by_a_company_has_4_percent_iva_withheld() -> None:
    carrier = TaxProfile("MX")
    result = compute_tax(
        [services("5000.00", tax_class="freight")],
        seller=carrier,
        buyer=COMPANY,
        tax_point=DAY,
        table=MX,
    )
    assert result.totals.tax == mxn("800.00")
    assert [(b.rate, b.amount) for b in result.withholdings] == [
        (MX.rate_on("MX-IVA-RET-FLETE-4", DAY).rate, mxn("200.00"))
    ]
    assert result.totals.payable == mxn("5600.00")


def test_no_withholding_when_an_individual_pays() -> None:
    result = compute_tax(
        [services("10000.00")], seller=INDIVIDUAL, buyer=INDIVIDUAL, tax_point=DAY, table=MX
    )
    assert result.withholdings == ()
    assert result.totals.payable == mxn("11600.00")


def test_border_region_iva_is_8_percent_when_seller_and_buyer_are_there() -> None:
    seller = TaxProfile("MX", region="border_north")
    buyer = TaxProfile("MX", region="BORDER_NORTH", person=PersonType.INDIVIDUAL)
    result = compute_tax([services("1000.00")], seller=seller, buyer=buyer, tax_point=DAY, table=MX)
    assert result.totals.tax == mxn("80.00")
    assert result.breakdown[0].codes == ("MX-IVA-BORDER-NORTH-8",)


def test_border_seller_selling_to_mexico_city_charges_16_percent() -> None:
    seller = TaxProfile("MX", region="BORDER_NORTH")
    buyer = TaxProfile("MX", region="CDMX")
    result = compute_tax([services("1000.00")], seller=seller, buyer=buyer, tax_point=DAY, table=MX)
    assert result.totals.tax == mxn("160.00")


def test_border_iva_withheld_is_two_thirds_of_8_percent() -> None:
    seller = TaxProfile("MX", region="BORDER_NORTH", person=PersonType.INDIVIDUAL)
    buyer = TaxProfile("MX", region="BORDER_NORTH")
    result = compute_tax(
        [services("10000.00")], seller=seller, buyer=buyer, tax_point=DAY, table=MX
    )
    assert result.totals.tax == mxn("800.00")
    assert [b.amount for b in result.withholdings] == [mxn("1000.00"), mxn("533.33")]
    assert result.totals.payable == mxn("9266.67")


def test_border_rate_was_11_percent_until_2013_and_16_percent_from_2014_to_2018() -> None:
    seller = TaxProfile("MX", region="BORDER_NORTH")
    buyer = TaxProfile("MX", region="BORDER_NORTH")

    def tax_on(day: dt.date) -> Money:
        return compute_tax(
            [services("100.00")], seller=seller, buyer=buyer, tax_point=day, table=MX
        ).totals.tax

    assert tax_on(dt.date(2013, 12, 31)) == mxn("11.00")
    assert tax_on(dt.date(2014, 1, 1)) == mxn("16.00")
    assert tax_on(dt.date(2018, 12, 31)) == mxn("16.00")
    assert tax_on(dt.date(2019, 1, 1)) == mxn("8.00")


def test_iva_was_15_percent_before_2010() -> None:
    def tax_on(day: dt.date) -> Money:
        return compute_tax(
            [services("100.00")], seller=COMPANY, buyer=COMPANY, tax_point=day, table=MX
        ).totals.tax

    assert tax_on(dt.date(2009, 12, 31)) == mxn("15.00")
    assert tax_on(dt.date(2010, 1, 1)) == mxn("16.00")


def test_zero_rated_food_has_no_tax_and_no_iva_withholding() -> None:
    result = compute_tax(
        [services("500.00", tax_class="basic_food")],
        seller=COMPANY,
        buyer=COMPANY,
        tax_point=DAY,
        table=MX,
    )
    line = result.lines[0]
    assert line.category is TaxCategory.ZERO
    assert line.tax == mxn("0.00")
    assert [(b.category, b.base, b.amount) for b in result.breakdown] == [
        (TaxCategory.ZERO, mxn("500.00"), mxn("0.00"))
    ]


def test_exempt_education_is_category_e_with_the_legal_reason() -> None:
    result = compute_tax(
        [services("2500.00", tax_class="education")],
        seller=COMPANY,
        buyer=INDIVIDUAL,
        tax_point=DAY,
        table=MX,
    )
    (entry,) = result.breakdown
    assert entry.category is TaxCategory.EXEMPT
    assert entry.amount == mxn("0.00")
    assert entry.exemption_reason == "Exento de IVA (LIVA arts. 9, 15 y 20)"
    assert result.notes == ("Exento de IVA (LIVA arts. 9, 15 y 20)",)


def test_isr_is_still_withheld_on_an_exempt_service_but_no_iva() -> None:
    exempt = compute_tax(
        [TaxableLine("1", mxn("1000.00"), "services", TaxCategory.EXEMPT, "Exento art. 15")],
        seller=INDIVIDUAL,
        buyer=COMPANY,
        tax_point=DAY,
        table=MX,
    )
    assert [b.tax for b in exempt.withholdings] == ["MX-ISR-RET"]
    assert exempt.totals.payable == mxn("900.00")
    assert exempt.breakdown[0].exemption_reason == "Exento art. 15"


def test_export_from_mexico_is_category_g_at_zero() -> None:
    result = compute_tax(
        [services("1000.00", tax_class="goods")],
        seller=COMPANY,
        buyer=TaxProfile("US"),
        tax_point=DAY,
        table=MX,
    )
    assert result.lines[0].category is TaxCategory.EXPORT
    assert result.totals.tax == mxn("0.00")
    assert result.withholdings == ()
    assert "LIVA art. 29" in result.notes[0]


def test_line_rounding_sums_per_line_taxes() -> None:
    # 3 x 0.05 at 16 %: each line 0.008 -> 0.01, so 0.03 (the document rule would say 0.02).
    lines = [services("0.05", str(i)) for i in range(3)]
    result = compute_tax(lines, seller=COMPANY, buyer=COMPANY, tax_point=DAY, table=MX)
    assert result.totals.tax == mxn("0.03")
    assert [ln.tax for ln in result.lines] == [mxn("0.01")] * 3


def test_a_seller_country_without_rates_is_an_error() -> None:
    with pytest.raises(NotFound, match="BR"):
        compute_tax(
            [services("1.00")],
            seller=TaxProfile("BR"),
            buyer=COMPANY,
            tax_point=DAY,
            table=MX,
        )


def test_a_tax_point_before_the_table_starts_is_an_error() -> None:
    with pytest.raises(NotFound, match="1990"):
        compute_tax(
            [services("1.00")],
            seller=COMPANY,
            buyer=COMPANY,
            tax_point=dt.date(1990, 1, 1),
            table=MX,
        )
