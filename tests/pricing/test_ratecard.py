"""Rate cards: TOML format, effective dates, errors that name file, item and field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from o2c.calendar import Period
from o2c.errors import NotFound
from o2c.money import Money
from o2c.pricing import (
    Graduated,
    PerUnit,
    RateCard,
    RateCardError,
    TimeAndMaterials,
    TimeEntry,
    load_ratecard,
    parse_ratecard,
    quote,
)

EXAMPLE = resources.files("o2c.pricing") / "examples" / "saas.toml"


@pytest.fixture(scope="module")
def saas() -> RateCard:
    return parse_ratecard(EXAMPLE.read_text(encoding="utf-8"), "saas.toml")


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_example_rate_card_loads_every_model(saas: RateCard) -> None:
    assert saas.code == "saas-2026"
    assert saas.currency.code == "USD"
    assert [v.effective_from for v in saas.versions] == [dt.date(2026, 1, 1), dt.date(2026, 7, 1)]
    names = {item.model.name for item in saas.versions[0].items}
    assert names == {
        "flat",
        "per_unit",
        "graduated",
        "volume",
        "package",
        "percentage",
        "graduated_percentage",
        "time_and_materials",
    }


def test_toml_numbers_are_read_exactly(saas: RateCard) -> None:
    model = saas.price_for("api_calls", dt.date(2026, 1, 1)).model
    assert isinstance(model, Graduated)
    assert model.tiers[1].unit_price == Decimal("0.002")
    storage = saas.price_for("storage", dt.date(2026, 7, 1)).model
    assert storage.tiers[0].unit_price == Decimal("0.55")  # type: ignore[union-attr]


def test_price_change_applies_from_its_effective_date(saas: RateCard) -> None:
    before = quote(saas, "api_calls", 150_000, at=dt.date(2026, 6, 30))
    after = quote(saas, "api_calls", 150_000, at=dt.date(2026, 7, 1))
    assert before.net() == usd("240.00")  # 10 + 90,000 × 0.002 + 50,000 × 0.001
    assert after.net() == usd("230.00")  # the third tier drops to 0.0008


def test_a_period_is_priced_by_the_version_in_effect_on_its_first_day(saas: RateCard) -> None:
    straddling = Period(dt.date(2026, 6, 15), dt.date(2026, 7, 15))
    item = saas.price_for_period("storage", straddling)
    assert item.model.tiers[0].unit_price == Decimal("0.50")  # type: ignore[union-attr]


def test_dates_before_the_card_and_unknown_items_are_not_found(saas: RateCard) -> None:
    with pytest.raises(NotFound, match="starts 2026-01-01"):
        quote(saas, "seats", 1, at=dt.date(2025, 12, 31))
    with pytest.raises(NotFound, match="item nope"):
        quote(saas, "nope", 1, at=dt.date(2026, 1, 1))


def test_example_time_and_materials_item(saas: RateCard) -> None:
    model = saas.price_for("consulting", dt.date(2026, 8, 1)).model
    assert isinstance(model, TimeAndMaterials)
    entries = [
        TimeEntry(
            id="t1",
            person="ana",
            role="senior",
            date=dt.date(2026, 8, 3),
            hours="1.1",
            approved=True,
        ),
    ]
    rated = quote(saas, "consulting", 0, at=dt.date(2026, 8, 3), entries=entries)
    assert rated.net() == usd("237.50")  # 1.25 h × 190


def test_single_version_layout_with_top_level_items() -> None:
    card = parse_ratecard(
        """
        [ratecard]
        code = "mini"
        currency = "MXN"
        effective_from = "2026-01-01"

        [items.seat]
        name = "Asiento"
        unit = "seat"
        tax_category = "S"
        model = "per_unit"
        unit_price = "199.00"
        """,
        "mini.toml",
    )
    item = card.price_for("seat", dt.date(2026, 3, 1))
    assert item.model == PerUnit(unit_price="199.00")
    assert quote(card, "seat", 2, at=dt.date(2026, 3, 1)).net() == Money.of("398", "MXN")


BAD = """
[ratecard]
code = "bad"
currency = "USD"
effective_from = 2026-01-01

[items.a]
name = "A"
model = "tiered_magic"

[items.b]
name = "B"
model = "graduated"
tiers = [{ up_to = 100, unit_price = 1 }, { up_to = 50, unit_price = 1 }, { up_to = "inf" }]

[items.c]
name = "C"
model = "volume"
tiers = [{ up_to = 100, unit_price = 1 }, { unit_price = 1 }]

[items.d]
name = "D"
model = "per_unit"
unit_price = "12,50"
"""


def test_all_problems_of_a_file_are_reported_with_file_item_and_field() -> None:
    with pytest.raises(RateCardError) as caught:
        parse_ratecard(BAD, "bad.toml")
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "bad.toml: items.a.model",
        "bad.toml: items.b.tiers[1].up_to",
        "bad.toml: items.c.tiers[1].up_to",
        "bad.toml: items.d.unit_price",
    ]
    message = str(caught.value)
    assert "4 problems" in message
    assert "tiers out of order" in message
    assert 'up_to = "inf" on the last tier' in message
    assert "'12,50'" in message
    assert caught.value.field == "bad.toml: items.a.model"


def test_last_tier_must_be_open_ended_and_unknown_fields_are_reported() -> None:
    text = """
    [ratecard]
    code = "x"
    currency = "USD"
    [[versions]]
    effective_from = 2026-01-01
    [versions.items.api]
    name = "API"
    model = "graduated"
    unit_prize = 3
    tiers = [{ up_to = 100, unit_price = 1 }, { up_to = 200, unit_price = 1 }]
    """
    with pytest.raises(RateCardError) as caught:
        parse_ratecard(text, "x.toml")
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "x.toml: versions[0].items.api.unit_prize",
        "x.toml: versions[0].items.api.tiers[1].up_to",
    ]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("not toml = = 1", "t.toml: file"),
        (
            '[ratecard]\ncode = "x"\ncurrency = "XXQ"\neffective_from = 2026-01-01\n'
            '[items.a]\nname = "A"\nmodel = "flat"\nprice = 1\n',
            "t.toml: ratecard.currency",
        ),
        (
            '[ratecard]\ncode = "x"\ncurrency = "USD"\neffective_from = "soon"\n'
            '[items.a]\nname = "A"\nmodel = "flat"\nprice = 1\n',
            "t.toml: ratecard.effective_from",
        ),
        (
            '[ratecard]\ncode = "x"\ncurrency = "USD"\neffective_from = 2026-01-01\n'
            '[items.a]\nname = "A"\nmodel = "package"\nsize = 0\nprice = 1\n',
            "t.toml: items.a.size",
        ),
        (
            '[ratecard]\ncode = "x"\ncurrency = "USD"\neffective_from = 2026-01-01\n'
            '[items.a]\nname = "A"\nmodel = "flat"\nprice = true\n',
            "t.toml: items.a.price",
        ),
    ],
)
def test_bad_input_names_the_field(text: str, field: str) -> None:
    with pytest.raises(RateCardError) as caught:
        parse_ratecard(text, "t.toml")
    assert caught.value.problems[0].field == field


def test_load_ratecard_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "prices.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(RateCardError, match=r"prices\.toml: items\.a\.model"):
        load_ratecard(path)
    with pytest.raises(RateCardError, match="readable file"):
        load_ratecard(tmp_path / "missing.toml")


def test_unknown_tax_category_and_bad_item_code_are_reported() -> None:
    text = """
    [ratecard]
    code = "x"
    currency = "USD"
    effective_from = 2026-01-01
    [items."api calls"]
    name = "API"
    tax_category = "VAT16"
    model = "flat"
    price = 1
    """
    with pytest.raises(RateCardError) as caught:
        parse_ratecard(text, "x.toml")
    assert [p.field for p in caught.value.problems] == [
        "x.toml: items.api calls",
        "x.toml: items.api calls.tax_category",
    ]


def _graduated_card(tiers: str) -> str:
    return f"""
    [ratecard]
    code = "x"
    currency = "USD"
    effective_from = 2026-01-01
    [items.api]
    name = "API"
    model = "graduated"
    tiers = {tiers}
    """


@pytest.mark.parametrize("bound", ['"inf"', '"Unlimited"', "inf", "+inf"])
def test_last_tier_is_open_ended_with_inf_quoted_or_bare(bound: str) -> None:
    text = _graduated_card(
        f"[{{ up_to = 100, unit_price = 1 }}, {{ up_to = {bound}, unit_price = 0.5 }}]"
    )
    card = parse_ratecard(text, "x.toml")
    assert quote(card, "api", 101, at=dt.date(2026, 1, 1)).net() == usd("100.50")


@pytest.mark.parametrize(
    ("tiers", "field", "fragment"),
    [
        (
            "[{ up_to = inf, unit_price = 1 }, { up_to = inf, unit_price = 1 }]",
            "tiers[0].up_to",
            "expected a number: only the last tier is open, got Infinity",
        ),
        (
            "[{ up_to = 100, unit_price = 1 }, { up_to = -inf, unit_price = 1 }]",
            "tiers[1].up_to",
            "got -Infinity",
        ),
        (
            "[{ up_to = 10.5, unit_price = 1 }, { up_to = 7.5 }, { up_to = inf }]",
            "tiers[1].up_to",
            "expected a bound above the previous tier's 10.5 (tiers out of order), got 7.5",
        ),
    ],
)
def test_bad_bounds_are_reported_in_plain_numbers(tiers: str, field: str, fragment: str) -> None:
    with pytest.raises(RateCardError) as caught:
        parse_ratecard(_graduated_card(tiers), "x.toml")
    assert caught.value.problems[0].field == f"x.toml: items.api.{field}"
    assert fragment in str(caught.value)
    assert "Decimal(" not in str(caught.value)
