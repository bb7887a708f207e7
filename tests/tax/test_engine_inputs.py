"""Input checks and edge cases of compute_tax."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import CurrencyMismatch, ValidationError
from o2c.money import Money
from o2c.tax import (
    PersonType,
    TaxableLine,
    TaxCategory,
    TaxExemption,
    TaxProfile,
    bundled_table,
    compute_tax,
    default_regime,
)

TABLE = bundled_table("ALL")
DAY = dt.date(2026, 10, 31)
DE = TaxProfile("DE")


def test_a_document_without_lines_has_zero_totals_in_its_currency() -> None:
    result = compute_tax([], seller=DE, buyer=DE, tax_point=DAY, table=TABLE, currency="EUR")
    assert result.totals.payable == Money.zero("EUR")
    assert result.lines == ()
    assert result.breakdown == result.withholdings == ()


def test_a_document_without_lines_needs_a_currency() -> None:
    with pytest.raises(ValidationError, match="currency"):
        compute_tax([], seller=DE, buyer=DE, tax_point=DAY, table=TABLE)


def test_line_ids_must_be_unique() -> None:
    lines = [TaxableLine("1", Money.of("1.00", "EUR"))] * 2
    with pytest.raises(ValidationError, match="line_id"):
        compute_tax(lines, seller=DE, buyer=DE, tax_point=DAY, table=TABLE)


def test_lines_must_share_one_currency() -> None:
    lines = [TaxableLine("1", Money.of("1.00", "EUR")), TaxableLine("2", Money.of("1.00", "USD"))]
    with pytest.raises(CurrencyMismatch):
        compute_tax(lines, seller=DE, buyer=DE, tax_point=DAY, table=TABLE)


def test_line_amounts_must_be_rounded() -> None:
    with pytest.raises(ValidationError, match=r"lines\[7\]\.amount"):
        TaxableLine("7", Money.of("1.005", "EUR"))


def test_an_exempt_line_must_give_a_reason() -> None:
    with pytest.raises(ValidationError, match="BR-E-10"):
        TaxableLine("1", Money.of("1.00", "EUR"), category=TaxCategory.EXEMPT)


def test_profiles_check_country_codes_and_normalise_regions() -> None:
    with pytest.raises(ValidationError, match="country"):
        TaxProfile("Mexico")
    assert TaxProfile("US", region=" ca / los_angeles/ ").location == "US/CA/LOS_ANGELES"
    with pytest.raises(ValidationError, match="reason"):
        TaxExemption(" ")


def test_zero_decimal_currency_is_rounded_to_whole_units() -> None:
    lines = [TaxableLine(str(i), Money.of("333", "JPY")) for i in range(3)]
    result = compute_tax(lines, seller=DE, buyer=DE, tax_point=DAY, table=TABLE)
    # 999 x 19 % = 189.81 -> 190 JPY, spread 64 + 63 + 63.
    assert result.totals.tax == Money.of("190", "JPY")
    assert [ln.tax for ln in result.lines] == [Money.of(n, "JPY") for n in (64, 63, 63)]


def test_mexican_exempt_customer_has_no_iva_but_isr_is_still_withheld() -> None:
    buyer = TaxProfile("MX", exemption=TaxExemption("donataria autorizada", "SAT-600-04"))
    seller = TaxProfile("MX", person=PersonType.INDIVIDUAL)
    result = compute_tax(
        [TaxableLine("1", Money.of("1000.00", "MXN"))],
        seller=seller,
        buyer=buyer,
        tax_point=DAY,
        table=TABLE,
    )
    assert result.lines[0].category is TaxCategory.EXEMPT
    assert result.totals.tax == Money.zero("MXN")
    assert [b.tax for b in result.withholdings] == ["MX-ISR-RET"]
    assert "certificate SAT-600-04" in result.notes[0]


def test_the_regime_used_is_reported() -> None:
    result = compute_tax(
        [TaxableLine("1", Money.of("1.00", "EUR"))], seller=DE, buyer=DE, tax_point=DAY, table=TABLE
    )
    assert result.regime == default_regime("DE")
    assert result.explain().startswith("EN 16931: tax rounded per document")
