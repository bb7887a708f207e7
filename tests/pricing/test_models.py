"""Worked examples with exact amounts for every price model, including edge quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.errors import ValidationError
from o2c.money import Money
from o2c.pricing import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Package,
    Percentage,
    PercentageTier,
    PerUnit,
    RoleRate,
    StepKind,
    Tier,
    TimeAndMaterials,
    Volume,
    explain,
    rate,
)

D = Decimal


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


GRADUATED = Graduated(
    tiers=[Tier(100, "0.10", flat_fee="5"), Tier(1000, "0.08", flat_fee="2"), Tier(None, "0.05")]
)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "5.00"),  # the first tier's flat fee is the base fee, charged at zero
        ("1", "5.10"),
        ("100", "15.00"),  # exactly on the bound: tier 2 not entered, no tier-2 fee
        ("101", "17.08"),  # one above: tier-2 fee plus one unit at 0.08
        ("100.5", "17.04"),  # fractional quantities split across tiers exactly
        ("1000", "89.00"),
        ("1001", "89.05"),
    ],
)
def test_graduated_prices_each_tier_and_charges_fee_when_entered(
    quantity: str, expected: str
) -> None:
    assert rate(GRADUATED, quantity, currency="USD").net() == usd(expected)


def test_graduated_explanation_names_each_tier() -> None:
    rated = rate(GRADUATED, 101, currency="USD")
    assert [(s.kind, s.tier, s.quantity) for s in rated.steps] == [
        (StepKind.FLAT_FEE, 1, D(1)),
        (StepKind.UNITS, 1, D(100)),
        (StepKind.FLAT_FEE, 2, D(1)),
        (StepKind.UNITS, 2, D(1)),
    ]
    assert "tier 2 units: 1 × 0.08 = 0.08" in explain(rated)


VOLUME = Volume(
    tiers=[Tier(100, "1.00", flat_fee="10"), Tier(1000, "0.50"), Tier(None, "0.10", flat_fee="2")]
)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "10.00"),
        ("100", "110.00"),
        ("100.5", "50.25"),  # just above the bound: the whole quantity moves to tier 2
        ("101", "50.50"),  # all units at the tier the total reaches
        ("1000", "500.00"),
        ("1001", "102.10"),  # 1001 × 0.10 plus the tier's flat fee
    ],
)
def test_volume_prices_all_units_at_the_reached_tier(quantity: str, expected: str) -> None:
    assert rate(VOLUME, quantity, currency="USD").net() == usd(expected)


PACKAGE = Package(size=100, price="5.00", free_units=50)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0.00"),
        ("50", "0.00"),
        ("51", "5.00"),
        ("150", "5.00"),
        ("151", "10.00"),
        ("250.5", "15.00"),
    ],
)
def test_package_charges_each_started_block_after_free_units(quantity: str, expected: str) -> None:
    assert rate(PACKAGE, quantity, currency="USD").net() == usd(expected)


def test_per_unit_keeps_many_decimals_until_the_line_is_rounded() -> None:
    rated = rate(PerUnit(unit_price="0.00042"), 1_000_001, currency="USD")
    assert rated.amount == usd("420.00042")
    assert rated.net() == usd("420.00")


@pytest.mark.parametrize(
    ("quantity", "expected"), [("0", "0.00"), ("3", "0.00"), ("4", "12.50"), ("10", "87.50")]
)
def test_per_unit_free_units_are_taken_first(quantity: str, expected: str) -> None:
    model = PerUnit(unit_price="12.50", free_units=3)
    assert rate(model, quantity, currency="USD").net() == usd(expected)


def test_minimum_charge_per_period_tops_up_with_its_own_step() -> None:
    model = PerUnit(unit_price="12.50", minimum="25")
    rated = rate(model, 1, currency="USD")
    assert rated.amount == usd("25")
    assert rated.steps[-1].kind is StepKind.MINIMUM
    assert rated.steps[-1].amount == D("12.50")
    assert rate(model, 0, currency="USD").amount == usd("25")


def test_maximum_charge_per_period_caps_with_a_negative_step() -> None:
    model = Graduated(tiers=[Tier(None, "1")], maximum="100")
    rated = rate(model, 250, currency="USD")
    assert rated.amount == usd("100")
    assert rated.steps[-1].kind is StepKind.MAXIMUM
    assert rated.steps[-1].amount == D(-150)


def test_flat_charges_price_per_period_times_subscriptions() -> None:
    assert rate(Flat(price="99"), 1, currency="USD").net() == usd("99.00")
    assert rate(Flat(price="99"), 0, currency="USD").net() == usd("0.00")


def test_negative_quantity_is_rejected_unless_the_model_allows_credits() -> None:
    models = (
        PerUnit(unit_price="2"),
        GRADUATED,
        VOLUME,
        PACKAGE,
        Flat(price="9"),
        Percentage(percent="2.9"),
        GraduatedPercentage(tiers=[PercentageTier(None, "1")]),
        TimeAndMaterials(rates=[RoleRate("dev", 100)]),
    )
    for model in models:
        with pytest.raises(ValidationError, match="quantity"):
            rate(model, -1, currency="USD")
    assert rate(PerUnit(unit_price="2", allow_credits=True), -3, currency="USD").amount == usd("-6")
    assert rate(Flat(price="9", allow_credits=True), -1, currency="USD").amount == usd("-9")


def test_float_quantity_is_refused() -> None:
    with pytest.raises(ValidationError, match="float"):
        rate(PerUnit(unit_price="1"), 0.1, currency="USD")  # type: ignore[arg-type]


CARD_FEES = Percentage(
    percent="2.9",
    fixed_fee="0.30",
    transaction_minimum="0.50",
    transaction_maximum="25",
    free_transactions=2,
)


def test_percentage_applies_fee_min_max_per_transaction_after_free_ones() -> None:
    # 10 and 10 are free; 5 -> 0.445 raised to 0.50; 100 -> 3.20; 2000 -> 58.30 capped at 25.
    txs = [D(10), D(10), D(5), D(100), D(2000)]
    rated = rate(CARD_FEES, 0, currency="USD", transactions=txs)
    assert rated.amount == usd("28.70")
    assert rated.quantity == D(2125)
    kinds = [s.kind for s in rated.steps]
    assert kinds == [
        StepKind.FREE,
        StepKind.PERCENT,
        StepKind.TRANSACTION_FEE,
        StepKind.TRANSACTION_MINIMUM,
        StepKind.TRANSACTION_MAXIMUM,
    ]


def test_percentage_free_amount_charges_the_part_of_a_transaction_above_it() -> None:
    model = Percentage(percent="2.9", fixed_fee="0.30", free_amount="100")
    # 60 free; the next 60 crosses the allowance: 20 charged (0.58 + 0.30); 50 -> 1.45 + 0.30.
    rated = rate(model, 0, currency="USD", transactions=[D(60), D(60), D(50)])
    assert rated.amount == usd("2.63")


def test_percentage_free_allowance_ends_at_whichever_limit_comes_first() -> None:
    model = Percentage(percent="2.9", fixed_fee="0.30", free_transactions=1, free_amount="100")
    rated = rate(model, 0, currency="USD", transactions=[D(60), D(60)])
    assert rated.amount == usd("2.04")


def test_percentage_without_transactions_rates_the_quantity_as_one_transaction() -> None:
    model = Percentage(percent="1.5", fixed_fee="0.25")
    assert rate(model, 200, currency="USD").amount == usd("3.25")
    assert rate(model, 0, currency="USD", transactions=[]).amount == usd("0")


def test_percentage_rejects_negative_transactions() -> None:
    with pytest.raises(ValidationError, match=r"transactions\[1\]"):
        rate(CARD_FEES, 0, currency="USD", transactions=[D(1), D(-1)])


GRAD_PERCENT = GraduatedPercentage(
    tiers=[PercentageTier(1000, "1", flat_fee="5"), PercentageTier(None, "0.5", flat_fee="10")]
)


@pytest.mark.parametrize(
    ("total", "expected"),
    [("0", "5.00"), ("1000", "15.00"), ("1001", "25.01"), ("3000", "35.00")],
)
def test_graduated_percentage_charges_tier_fee_once_when_entered(total: str, expected: str) -> None:
    assert rate(GRAD_PERCENT, total, currency="USD").net() == usd(expected)


def test_graduated_percentage_runs_over_the_transaction_total() -> None:
    rated = rate(GRAD_PERCENT, 0, currency="USD", transactions=[D(600), D(401)])
    assert rated.amount == usd("25.005")
    assert rated.net() == usd("25.01")


def test_jpy_rounds_to_whole_yen() -> None:
    assert rate(PerUnit(unit_price="0.5"), 3, currency="JPY").net() == Money.of("2", "JPY")


@pytest.mark.parametrize(
    ("tiers", "field"),
    [
        ([Tier(100, "1"), Tier(50, "1"), Tier(None, "1")], r"tiers\[1\]\.up_to"),
        ([Tier(100, "1"), Tier(200, "1")], r"tiers\[1\]\.up_to"),
        ([Tier(None, "1"), Tier(None, "1")], r"tiers\[0\]\.up_to"),
        ([], "tiers"),
    ],
)
def test_tiers_must_increase_and_end_open(tiers: list[Tier], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        Graduated(tiers=tiers)


def test_minimum_above_maximum_is_rejected() -> None:
    with pytest.raises(ValidationError, match="maximum"):
        PerUnit(unit_price="1", minimum="10", maximum="5")


def test_credits_are_not_topped_up_to_the_minimum_charge() -> None:
    model = PerUnit(unit_price="2", minimum="25", allow_credits=True)
    rated = rate(model, -3, currency="USD")
    assert rated.amount == usd("-6")
    assert [s.kind for s in rated.steps] == [StepKind.UNITS]


@pytest.mark.parametrize(
    ("amount", "expected", "adjusted"),
    [
        ("0", "0.50", True),  # 0.30 raised to the 0.50 minimum
        ("2", "0.50", False),  # 0.20 + 0.30 = 0.50: exactly the minimum, no adjustment
        ("2.01", "0.501", False),
        ("247", "25.00", False),  # 24.70 + 0.30 = 25.00: exactly the maximum
        ("247.01", "25.00", True),  # 25.001 capped
    ],
)
def test_transaction_min_and_max_bounds_are_inclusive(
    amount: str, expected: str, adjusted: bool
) -> None:
    model = Percentage(
        percent="10", fixed_fee="0.30", transaction_minimum="0.50", transaction_maximum="25"
    )
    rated = rate(model, 0, currency="USD", transactions=[D(amount)])
    assert rated.amount == usd(expected)
    assert any(s.unit_price is None for s in rated.steps) is adjusted


def test_graduated_percentage_with_one_tier_equals_percentage() -> None:
    one = GraduatedPercentage(tiers=[PercentageTier(None, "2.5")])
    flat = Percentage(percent="2.5")
    txs = [D("19.99"), D("250"), D("0.01")]
    assert (
        rate(one, 0, currency="USD", transactions=txs).amount
        == rate(flat, 0, currency="USD", transactions=txs).amount
    )


GRADUATED_FREE = Graduated(tiers=[Tier(100, "1.00"), Tier(None, "0.50")], free_units=10)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0.00"),
        ("10", "0.00"),  # exactly the free units
        ("11", "1.00"),
        ("110", "100.00"),  # 100 billable units: exactly on the tier-1 bound
        ("111", "100.50"),
    ],
)
def test_graduated_free_units_come_off_before_the_tiers(quantity: str, expected: str) -> None:
    assert rate(GRADUATED_FREE, quantity, currency="USD").net() == usd(expected)


VOLUME_FREE = Volume(tiers=[Tier(100, "1.00"), Tier(None, "0.50")], free_units=10)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0.00"),
        ("10", "0.00"),
        ("110", "100.00"),  # the tier is chosen on the 100 billable units: tier 1
        ("111", "50.50"),  # 101 billable units reach tier 2
    ],
)
def test_volume_chooses_the_tier_on_the_units_left_after_free_units(
    quantity: str, expected: str
) -> None:
    assert rate(VOLUME_FREE, quantity, currency="USD").net() == usd(expected)


@pytest.mark.parametrize(
    ("transactions", "expected"),
    [
        (["100"], "0.00"),  # exactly the free amount: free
        (["100", "0.01"], "0.30"),  # the allowance is used up: 0.0003 + 0.30
        (["99.99", "0.02"], "0.30"),  # crosses it: 0.01 charged (0.0003) + 0.30
    ],
)
def test_percentage_free_amount_boundary(transactions: list[str], expected: str) -> None:
    model = Percentage(percent="3", fixed_fee="0.30", free_amount="100")
    rated = rate(model, 0, currency="USD", transactions=[D(t) for t in transactions])
    assert rated.net() == usd(expected)


@pytest.mark.parametrize(
    ("quantity", "expected", "kinds"),
    [
        ("1", "25.00", [StepKind.UNITS, StepKind.MINIMUM]),
        ("2", "25.00", [StepKind.UNITS]),  # exactly the minimum: no adjustment step
        ("8", "100.00", [StepKind.UNITS]),  # exactly the maximum: no adjustment step
        ("9", "100.00", [StepKind.UNITS, StepKind.MAXIMUM]),
    ],
)
def test_minimum_and_maximum_charge_bounds_are_inclusive(
    quantity: str, expected: str, kinds: list[StepKind]
) -> None:
    model = PerUnit(unit_price="12.50", minimum="25", maximum="100")
    rated = rate(model, quantity, currency="USD")
    assert rated.net() == usd(expected)
    assert [s.kind for s in rated.steps] == kinds
