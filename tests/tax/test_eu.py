"""Worked examples for the EU: rate changes, rounding, inclusive prices, cross-border rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.errors import NotFound
from o2c.money import Money, Rounding
from o2c.tax import (
    CFDI,
    EN16931,
    InclusiveRounding,
    RoundingScope,
    TaxableLine,
    TaxCategory,
    TaxExemption,
    TaxProfile,
    TaxRegime,
    bundled_table,
    compute_tax,
    is_eu_member,
)

EU = bundled_table("EU")
DAY = dt.date(2026, 10, 31)
DE_SELLER = TaxProfile("DE", tax_id="DE136695976")
DE_CONSUMER = TaxProfile("DE", is_business=False)
FR_BUSINESS = TaxProfile("FR", tax_id="FR40303265045")
FR_CONSUMER = TaxProfile("FR", is_business=False)


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def line(amount: str, tax_class: str = "services", line_id: str = "1") -> TaxableLine:
    return TaxableLine(line_id, eur(amount), tax_class)


def tax_on(seller: str, day: dt.date, amount: str = "100.00", tax_class: str = "services") -> Money:
    return compute_tax(
        [line(amount, tax_class)],
        seller=TaxProfile(seller),
        buyer=TaxProfile(seller, is_business=False),
        tax_point=day,
        table=EU,
    ).totals.tax


@pytest.mark.parametrize(
    ("country", "last_old_day", "old", "new"),
    [
        ("ES", dt.date(2012, 8, 31), "18.00", "21.00"),
        ("IT", dt.date(2011, 9, 16), "20.00", "21.00"),
        ("IT", dt.date(2013, 9, 30), "21.00", "22.00"),
        ("GR", dt.date(2016, 5, 31), "23.00", "24.00"),
        ("FI", dt.date(2010, 6, 30), "22.00", "23.00"),
        ("FI", dt.date(2012, 12, 31), "23.00", "24.00"),
        ("FI", dt.date(2024, 8, 31), "24.00", "25.50"),
        ("EE", dt.date(2023, 12, 31), "20.00", "22.00"),
        ("EE", dt.date(2025, 6, 30), "22.00", "24.00"),
        ("SK", dt.date(2024, 12, 31), "20.00", "23.00"),
        ("RO", dt.date(2015, 12, 31), "24.00", "20.00"),
        ("RO", dt.date(2016, 12, 31), "20.00", "19.00"),
        ("RO", dt.date(2025, 7, 31), "19.00", "21.00"),
        ("LU", dt.date(2014, 12, 31), "15.00", "17.00"),
        ("LU", dt.date(2022, 12, 31), "17.00", "16.00"),
        ("CZ", dt.date(2012, 12, 31), "20.00", "21.00"),
        ("HU", dt.date(2011, 12, 31), "25.00", "27.00"),
        ("CY", dt.date(2012, 2, 29), "15.00", "17.00"),
        ("CY", dt.date(2013, 1, 13), "17.00", "18.00"),
        ("CY", dt.date(2014, 1, 12), "18.00", "19.00"),
        ("ES", dt.date(2010, 6, 30), "16.00", "18.00"),
        ("GR", dt.date(2010, 3, 14), "19.00", "21.00"),
        ("GR", dt.date(2010, 6, 30), "21.00", "23.00"),
        ("PT", dt.date(2010, 6, 30), "20.00", "21.00"),
        ("LV", dt.date(2010, 12, 31), "21.00", "22.00"),
        ("SK", dt.date(2010, 12, 31), "19.00", "20.00"),
        ("IE", dt.date(2011, 12, 31), "21.00", "23.00"),
        ("IE", dt.date(2020, 8, 31), "23.00", "21.00"),
        ("IE", dt.date(2021, 2, 28), "21.00", "23.00"),
        ("DE", dt.date(2020, 6, 30), "19.00", "16.00"),
        ("DE", dt.date(2020, 12, 31), "16.00", "19.00"),
        ("FR", dt.date(2013, 12, 31), "19.60", "20.00"),
        ("NL", dt.date(2012, 9, 30), "19.00", "21.00"),
        ("PT", dt.date(2010, 12, 31), "21.00", "23.00"),
        ("PL", dt.date(2010, 12, 31), "22.00", "23.00"),
        ("SI", dt.date(2013, 6, 30), "20.00", "22.00"),
        ("HR", dt.date(2012, 2, 29), "23.00", "25.00"),
        ("LV", dt.date(2012, 6, 30), "22.00", "21.00"),
    ],
)
def test_standard_rate_changes_apply_by_tax_point(
    country: str, last_old_day: dt.date, old: str, new: str
) -> None:
    assert tax_on(country, last_old_day) == eur(old)
    assert tax_on(country, last_old_day + dt.timedelta(days=1)) == eur(new)


def test_reduced_rate_changes_too() -> None:
    assert tax_on("ES", dt.date(2012, 8, 31), tax_class="reduced") == eur("8.00")
    assert tax_on("ES", dt.date(2012, 9, 1), tax_class="reduced") == eur("10.00")
    assert tax_on("NL", dt.date(2019, 1, 1), tax_class="reduced") == eur("9.00")
    assert tax_on("DE", dt.date(2020, 7, 1), tax_class="reduced") == eur("5.00")
    assert tax_on("FI", dt.date(2025, 12, 31), tax_class="reduced") == eur("14.00")
    assert tax_on("FI", dt.date(2026, 1, 1), tax_class="reduced") == eur("13.50")
    assert tax_on("GR", dt.date(2010, 12, 31), tax_class="reduced") == eur("11.00")
    assert tax_on("GR", dt.date(2011, 1, 1), tax_class="reduced") == eur("13.00")
    assert tax_on("GR", dt.date(2015, 7, 20), tax_class="super_reduced") == eur("6.00")


def test_a_class_without_a_reduced_rate_that_day_falls_back_to_the_standard_rate() -> None:
    # Croatia's 5 % rate started on 2013-01-01.
    assert tax_on("HR", dt.date(2012, 12, 31), tax_class="reduced") == eur("25.00")
    assert tax_on("HR", dt.date(2013, 1, 1), tax_class="reduced") == eur("5.00")


def test_every_member_state_has_a_standard_rate_in_2010_and_today() -> None:
    members = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
    for country in members.split():
        for day in (dt.date(2010, 1, 1), DAY):
            row = EU.rate_on(f"{country}-VAT-S", day)
            assert Decimal("0.15") <= row.rate <= Decimal("0.28"), (country, day, row.rate)


def test_the_united_kingdom_is_not_in_the_eu_table_nor_a_member_after_brexit() -> None:
    assert "GB" not in EU.countries
    assert len(EU.countries) == 27
    assert is_eu_member("GB", dt.date(2020, 12, 31))
    assert not is_eu_member("GB", dt.date(2021, 1, 1))
    assert not is_eu_member("HR", dt.date(2013, 6, 30))
    assert is_eu_member("HR", dt.date(2013, 7, 1))


def test_a_uk_seller_needs_a_uk_table_the_eu_one_has_no_rates_for_it() -> None:
    with pytest.raises(NotFound, match="seller country GB"):
        compute_tax(
            [line("100.00")],
            seller=TaxProfile("GB"),
            buyer=TaxProfile("GB", is_business=False),
            tax_point=DAY,
            table=EU,
        )


def test_line_and_document_rounding_give_different_totals_both_correct() -> None:
    lines = [line("10.03", line_id=str(i)) for i in range(3)]
    per_doc = compute_tax(lines, seller=DE_SELLER, buyer=DE_CONSUMER, tax_point=DAY, table=EU)
    per_line = compute_tax(
        lines,
        seller=DE_SELLER,
        buyer=DE_CONSUMER,
        tax_point=DAY,
        table=EU,
        regime=TaxRegime("per line", RoundingScope.LINE),
    )
    # Document (EN 16931): 30.09 x 19 % = 5.7171 -> 5.72, spread 1.91 + 1.91 + 1.90.
    assert per_doc.regime == EN16931
    assert per_doc.totals.tax == eur("5.72")
    assert [ln.tax for ln in per_doc.lines] == [eur("1.91"), eur("1.91"), eur("1.90")]
    assert per_doc.breakdown[0].base == eur("30.09")
    # Line: 10.03 x 19 % = 1.9057 -> 1.91 on each line, 5.73.
    assert per_line.totals.tax == eur("5.73")
    assert per_line.totals.net == per_doc.totals.net == eur("30.09")


def test_inclusive_price_splits_gross_into_net_and_tax_exactly() -> None:
    result = compute_tax(
        [line("10.00")],
        seller=DE_SELLER,
        buyer=DE_CONSUMER,
        tax_point=DAY,
        table=EU,
        prices_include_tax=True,
    )
    # 10.00 x 0.19 / 1.19 = 1.5966... -> 1.60; net = 10.00 - 1.60 = 8.40.
    taxed = result.lines[0]
    assert (taxed.net, taxed.tax, taxed.gross) == (eur("8.40"), eur("1.60"), eur("10.00"))
    assert result.totals.gross == eur("10.00")
    assert result.prices_include_tax


def test_inclusive_rounding_option_decides_where_a_tie_falls() -> None:
    # 9.99 at 20 %: tax = 1.665 exactly, net = 8.325 exactly.
    def split(option: InclusiveRounding) -> tuple[Money, Money]:
        result = compute_tax(
            [line("9.99")],
            seller=TaxProfile("FR"),
            buyer=FR_CONSUMER,
            tax_point=DAY,
            table=EU,
            regime=TaxRegime("x", RoundingScope.LINE, Rounding.HALF_UP, option),
            prices_include_tax=True,
        )
        return result.totals.net, result.totals.tax

    assert split(InclusiveRounding.ROUND_TAX) == (eur("8.32"), eur("1.67"))
    assert split(InclusiveRounding.ROUND_NET) == (eur("8.33"), eur("1.66"))


def test_inclusive_document_rounding_keeps_the_sum_of_gross_prices() -> None:
    lines = [line("0.99", line_id=str(i)) for i in range(7)]
    result = compute_tax(
        lines,
        seller=DE_SELLER,
        buyer=DE_CONSUMER,
        tax_point=DAY,
        table=EU,
        prices_include_tax=True,
    )
    # Each line's net is 0.99 / 1.19 = 0.8319... -> 0.83 (issue 18: identical lines get
    # identical nets); untaxed 7 x 0.83 = 5.81, tax 6.93 - 5.81 = 1.12.
    assert result.totals.gross == eur("6.93")
    assert result.totals.tax == eur("1.12")
    assert result.totals.net == eur("5.81")
    assert all(ln.net + ln.tax == ln.gross == eur("0.99") for ln in result.lines)


def test_reverse_charge_for_b2b_services_across_member_states() -> None:
    result = compute_tax(
        [line("1000.00")], seller=DE_SELLER, buyer=FR_BUSINESS, tax_point=DAY, table=EU
    )
    (entry,) = result.breakdown
    assert entry.category is TaxCategory.REVERSE_CHARGE
    assert (entry.base, entry.amount, entry.rate) == (eur("1000.00"), eur("0.00"), Decimal(0))
    assert result.totals.gross == eur("1000.00")
    assert "Article 196" in result.notes[0]
    assert entry.exemption_reason == result.notes[0]
    assert "FR40303265045" in result.lines[0].taxes[0].rule


def test_intra_community_supply_of_goods_is_category_k() -> None:
    result = compute_tax(
        [line("1000.00", "goods")], seller=DE_SELLER, buyer=FR_BUSINESS, tax_point=DAY, table=EU
    )
    assert result.lines[0].category is TaxCategory.INTRA_COMMUNITY
    assert result.totals.tax == eur("0.00")
    assert "Article 138" in result.notes[0]


def test_invalid_buyer_vat_id_is_taxed_as_a_consumer_sale_with_a_note() -> None:
    buyer = TaxProfile("FR", tax_id="FR12345")
    result = compute_tax([line("100.00")], seller=DE_SELLER, buyer=buyer, tax_point=DAY, table=EU)
    assert result.lines[0].category is TaxCategory.STANDARD
    assert result.totals.tax == eur("19.00")
    assert "not valid for FR" in result.notes[0]


def test_reverse_charge_to_a_uk_business_only_before_brexit() -> None:
    buyer = TaxProfile("GB", tax_id="GB980780684")
    before = compute_tax(
        [line("100.00")], seller=DE_SELLER, buyer=buyer, tax_point=dt.date(2020, 12, 31), table=EU
    )
    after = compute_tax(
        [line("100.00")], seller=DE_SELLER, buyer=buyer, tax_point=dt.date(2021, 1, 1), table=EU
    )
    assert before.lines[0].category is TaxCategory.REVERSE_CHARGE
    assert after.lines[0].category is TaxCategory.OUT_OF_SCOPE


def test_digital_services_to_an_eu_consumer_are_taxed_where_the_consumer_lives() -> None:
    result = compute_tax(
        [line("100.00", "digital")], seller=DE_SELLER, buyer=FR_CONSUMER, tax_point=DAY, table=EU
    )
    assert result.totals.tax == eur("20.00")
    assert result.breakdown[0].tax == "FR-VAT"


def test_other_services_to_an_eu_consumer_carry_the_seller_country_vat() -> None:
    result = compute_tax(
        [line("100.00")], seller=DE_SELLER, buyer=FR_CONSUMER, tax_point=DAY, table=EU
    )
    assert result.totals.tax == eur("19.00")
    assert result.breakdown[0].tax == "DE-VAT"


def test_export_of_goods_outside_the_eu_is_category_g() -> None:
    result = compute_tax(
        [line("100.00", "goods")], seller=DE_SELLER, buyer=TaxProfile("US"), tax_point=DAY, table=EU
    )
    assert result.lines[0].category is TaxCategory.EXPORT
    assert result.totals.tax == eur("0.00")
    assert "Article 146" in result.breakdown[0].exemption_reason  # type: ignore[operator]


def test_b2b_services_outside_the_eu_are_out_of_scope() -> None:
    result = compute_tax(
        [line("100.00")], seller=DE_SELLER, buyer=TaxProfile("US"), tax_point=DAY, table=EU
    )
    assert result.lines[0].category is TaxCategory.OUT_OF_SCOPE
    assert "Article 44" in result.notes[0]


def test_tax_exempt_customer_gets_category_e_with_certificate_reference() -> None:
    buyer = TaxProfile(
        "DE", exemption=TaxExemption("diplomatic mission", certificate="AA-2026-0042")
    )
    result = compute_tax([line("100.00")], seller=DE_SELLER, buyer=buyer, tax_point=DAY, table=EU)
    (entry,) = result.breakdown
    assert entry.category is TaxCategory.EXEMPT
    assert entry.amount == eur("0.00")
    assert (
        entry.exemption_reason
        == "Tax exempt customer: diplomatic mission (certificate AA-2026-0042)"
    )


def test_mixed_categories_get_one_breakdown_entry_each() -> None:
    lines = [
        line("100.00", line_id="a"),
        line("50.00", "reduced", line_id="b"),
        TaxableLine("c", eur("20.00"), "services", TaxCategory.EXEMPT, "Article 132(1)(i)"),
    ]
    result = compute_tax(lines, seller=DE_SELLER, buyer=DE_CONSUMER, tax_point=DAY, table=EU)
    summary = [(b.category.code, str(b.rate), b.base, b.amount) for b in result.breakdown]
    assert summary == [
        ("S", "0.19", eur("100.00"), eur("19.00")),
        ("S", "0.07", eur("50.00"), eur("3.50")),
        ("E", "0", eur("20.00"), eur("0.00")),
    ]
    assert result.totals.tax == eur("22.50")
    assert result.totals.gross == eur("192.50")


def test_document_rounding_spreads_negative_lines_too() -> None:
    lines = [
        line("10.03", line_id="a"),
        line("-0.03", line_id="discount"),
        line("0.01", line_id="b"),
    ]
    result = compute_tax(lines, seller=DE_SELLER, buyer=DE_CONSUMER, tax_point=DAY, table=EU)
    # 10.01 x 19 % = 1.9019 -> 1.90
    assert result.totals.tax == eur("1.90")
    assert sum((ln.tax for ln in result.lines), eur("0")) == eur("1.90")


def test_cfdi_regime_can_be_chosen_for_any_seller() -> None:
    lines = [line("10.03", line_id=str(i)) for i in range(3)]
    result = compute_tax(
        lines, seller=DE_SELLER, buyer=DE_CONSUMER, tax_point=DAY, table=EU, regime=CFDI
    )
    assert result.totals.tax == eur("5.73")


def test_breakdown_carries_vatex_codes_for_e_invoices() -> None:
    def code(buyer: TaxProfile, tax_class: str = "services") -> str | None:
        result = compute_tax(
            [line("100.00", tax_class)], seller=DE_SELLER, buyer=buyer, tax_point=DAY, table=EU
        )
        return result.breakdown[0].exemption_code

    assert code(FR_BUSINESS) == "VATEX-EU-AE"
    assert code(FR_BUSINESS, "goods") == "VATEX-EU-IC"
    assert code(TaxProfile("US"), "goods") == "VATEX-EU-G"
    assert code(TaxProfile("US")) == "VATEX-EU-O"
    assert code(DE_CONSUMER) is None
    exempt = TaxExemption("medical care", reason_code="VATEX-EU-132-1B")
    assert code(TaxProfile("DE", exemption=exempt)) == "VATEX-EU-132-1B"
