"""Additive jurisdictions (US example) and compound taxes (tax on tax)."""

from __future__ import annotations

import datetime as dt

from o2c.money import Money
from o2c.tax import (
    RoundingScope,
    TaxableLine,
    TaxCategory,
    TaxProfile,
    TaxRegime,
    bundled_table,
    compute_tax,
    parse_tax_table,
)

US = bundled_table("US-EXAMPLE")
DAY = dt.date(2026, 10, 31)
SELLER = TaxProfile("US", region="CA/SAN_FRANCISCO")


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def test_state_county_and_city_taxes_add_up_on_one_line() -> None:
    buyer = TaxProfile("US", region="CA/Los_Angeles/Culver_City", is_business=False)
    result = compute_tax(
        [TaxableLine("1", usd("100.00"), "goods")],
        seller=SELLER,
        buyer=buyer,
        tax_point=DAY,
        table=US,
    )
    amounts = {t.tax: t.amount for t in result.lines[0].taxes}
    assert amounts == {
        "US-CA-STATE": usd("7.25"),
        "US-CA-LOS_ANGELES-COUNTY": usd("2.25"),
        "US-CA-CULVER_CITY": usd("0.75"),
    }
    assert result.totals.tax == usd("10.25")
    assert all(t.base == usd("100.00") for t in result.lines[0].taxes)


def test_a_buyer_outside_the_city_pays_only_state_and_county() -> None:
    buyer = TaxProfile("US", region="CA/LOS_ANGELES/PASADENA")
    result = compute_tax(
        [TaxableLine("1", usd("100.00"), "goods")],
        seller=SELLER,
        buyer=buyer,
        tax_point=DAY,
        table=US,
    )
    assert result.totals.tax == usd("9.50")


def test_california_rate_was_7_5_percent_from_2013_to_2016() -> None:
    buyer = TaxProfile("US", region="CA")

    def tax_on(day: dt.date) -> Money:
        return compute_tax(
            [TaxableLine("1", usd("100.00"), "goods")],
            seller=SELLER,
            buyer=buyer,
            tax_point=day,
            table=US,
        ).totals.tax

    assert tax_on(dt.date(2016, 12, 31)) == usd("7.50")
    assert tax_on(dt.date(2017, 1, 1)) == usd("7.25")


def test_untaxed_class_or_state_without_nexus_is_out_of_scope() -> None:
    services = compute_tax(
        [TaxableLine("1", usd("100.00"), "services")],
        seller=SELLER,
        buyer=TaxProfile("US", region="CA"),
        tax_point=DAY,
        table=US,
    )
    other_state = compute_tax(
        [TaxableLine("1", usd("100.00"), "goods")],
        seller=SELLER,
        buyer=TaxProfile("US", region="NY"),
        tax_point=DAY,
        table=US,
    )
    for result in (services, other_state):
        assert result.lines[0].category is TaxCategory.OUT_OF_SCOPE
        assert result.totals.tax == usd("0.00")


def test_origin_sourced_state_taxes_intrastate_sales_by_the_seller_location() -> None:
    seller = TaxProfile("US", region="TX/AUSTIN")

    def taxes(buyer_region: str) -> list[str]:
        result = compute_tax(
            [TaxableLine("1", usd("100.00"), "goods")],
            seller=seller,
            buyer=TaxProfile("US", region=buyer_region),
            tax_point=DAY,
            table=US,
        )
        return [t.tax for t in result.lines[0].taxes]

    assert taxes("TX/DALLAS") == ["US-TX-STATE"]
    assert taxes("CA") == ["US-CA-STATE"]


QUEBEC = parse_tax_table(
    """
[table]
name = "CA-QC-example"

[[rates]]
code = "CA-GST"
tax = "CA-GST"
label = "GST"
category = "S"
rate = "0.05"
jurisdiction = "CA"
valid_from = 2008-01-01

[[rates]]
code = "CA-QC-QST"
tax = "CA-QC-QST"
label = "QST"
category = "S"
rate = "0.095"
jurisdiction = "CA/QC"
compound = true
valid_from = 2012-01-01
valid_to = 2012-12-31
""",
    "quebec.toml",
)


def test_compound_tax_is_charged_on_net_plus_the_earlier_tax() -> None:
    # Quebec before 2013: QST 9.5 % on (net + GST 5 %): 9.5 % x 105.00 = 9.975 -> 9.98.
    buyer = TaxProfile("CA", region="QC")
    result = compute_tax(
        [TaxableLine("1", Money.of("100.00", "CAD"), "goods")],
        seller=TaxProfile("CA", region="QC"),
        buyer=buyer,
        tax_point=dt.date(2012, 6, 1),
        table=QUEBEC,
    )
    gst, qst = result.lines[0].taxes
    assert (gst.base, gst.amount) == (Money.of("100.00", "CAD"), Money.of("5.00", "CAD"))
    assert (qst.base, qst.amount) == (Money.of("105.00", "CAD"), Money.of("9.98", "CAD"))
    assert result.totals.gross == Money.of("114.98", "CAD")


def test_compound_tax_inclusive_price_is_split_back_exactly() -> None:
    # Factor 0.05 + 0.095 x 1.05 = 0.14975; 114.98 x 0.14975 / 1.14975 = 14.9756 -> 14.98,
    # split 0.05 : 0.09975 -> 5.0017 / 9.9783 -> 5.00 + 9.98 (largest remainder).
    for scope in RoundingScope:
        result = compute_tax(
            [TaxableLine("1", Money.of("114.98", "CAD"), "goods")],
            seller=TaxProfile("CA", region="QC"),
            buyer=TaxProfile("CA", region="QC"),
            tax_point=dt.date(2012, 6, 1),
            table=QUEBEC,
            regime=TaxRegime("x", scope),
            prices_include_tax=True,
        )
        gst, qst = result.lines[0].taxes
        assert result.lines[0].net == Money.of("100.00", "CAD")
        assert (gst.amount, qst.amount) == (Money.of("5.00", "CAD"), Money.of("9.98", "CAD"))
        assert qst.base == Money.of("105.00", "CAD")


def test_compound_tax_with_document_rounding() -> None:
    lines = [TaxableLine(str(i), Money.of("10.03", "CAD"), "goods") for i in range(3)]
    result = compute_tax(
        lines,
        seller=TaxProfile("CA", region="QC"),
        buyer=TaxProfile("CA", region="QC"),
        tax_point=dt.date(2012, 6, 1),
        table=QUEBEC,
        regime=TaxRegime("x", RoundingScope.DOCUMENT),
    )
    # GST: 30.09 x 5 % = 1.5045 -> 1.50, spread 0.50 each; QST: (30.09 + 1.50) x 9.5 %
    # = 3.00105 -> 3.00.
    gst, qst = result.breakdown
    assert (gst.base, gst.amount) == (Money.of("30.09", "CAD"), Money.of("1.50", "CAD"))
    assert (qst.base, qst.amount) == (Money.of("31.59", "CAD"), Money.of("3.00", "CAD"))


def test_several_zero_rate_taxes_on_an_inclusive_line_leave_net_equal_to_gross() -> None:
    table = parse_tax_table(
        """
[[rates]]
code = "A"
tax = "A"
category = "Z"
rate = "0"
jurisdiction = "XX"
valid_from = 2020-01-01

[[rates]]
code = "B"
tax = "B"
category = "Z"
rate = "0"
jurisdiction = "XX"
valid_from = 2020-01-01
""",
        "zero.toml",
    )
    for scope in RoundingScope:
        result = compute_tax(
            [TaxableLine("1", usd("10.00"))],
            seller=TaxProfile("XX"),
            buyer=TaxProfile("XX"),
            tax_point=DAY,
            table=table,
            regime=TaxRegime("x", scope),
            prices_include_tax=True,
        )
        assert result.lines[0].net == result.lines[0].gross == usd("10.00")
        assert [t.amount for t in result.lines[0].taxes] == [usd("0.00"), usd("0.00")]
