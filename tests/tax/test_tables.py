"""Rate tables: TOML parsing, errors naming file, row and field, merging, bundled tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.errors import NotFound, ValidationError
from o2c.tax import (
    BUNDLED_TABLES,
    PersonType,
    Sourcing,
    TaxCategory,
    TaxKind,
    TaxTableError,
    bundled_table,
    check_tax_table,
    is_valid_tax_id,
    parse_tax_table,
    validate_tax_id,
)

GOOD_ROW = """
[[rates]]
code = "XX-VAT-S"
tax = "XX-VAT"
category = "S"
rate = "0.20"
jurisdiction = "XX"
valid_from = 2020-01-01
"""


def test_a_minimal_table_parses_with_defaults() -> None:
    table = parse_tax_table("[table]\nname = 'mine'\n" + GOOD_ROW, "mine.toml")
    (row,) = table.rates
    assert table.name == "mine"
    assert row.rate == Decimal("0.20")
    assert row.kind is TaxKind.TAX
    assert row.sourcing is Sourcing.DESTINATION
    assert row.classes == frozenset()
    assert row.label == "XX-VAT"
    assert row.source == "mine.toml: rates[0]"


def test_all_row_fields_parse() -> None:
    table = parse_tax_table(
        """
[[rates]]
code = "MX-X"
tax = "MX-X-RET"
label = "X retenido"
kind = "withholding"
category = "S"
rate = "0.0125"
jurisdiction = "mx/border_north"
classes = ["services", "rent"]
sourcing = "both"
seller_person = "individual"
buyer_person = "company"
seller_regime = "626"
buyer_business = true
on_tax = "MX-IVA"
compound = false
note = "a note"
valid_from = "2022-01-01"
valid_to = 2022-12-31
""",
        "x.toml",
    )
    (row,) = table.rates
    assert row.jurisdiction == "MX/BORDER_NORTH"
    assert row.classes == frozenset({"services", "rent"})
    assert row.seller_person is PersonType.INDIVIDUAL
    assert row.buyer_person is PersonType.COMPANY
    assert row.kind is TaxKind.WITHHOLDING
    assert row.valid_to == dt.date(2022, 12, 31)
    assert row.valid_on(dt.date(2022, 12, 31))
    assert not row.valid_on(dt.date(2023, 1, 1))


def test_bad_file_error_names_file_row_and_field() -> None:
    text = GOOD_ROW + GOOD_ROW.replace('"XX-VAT-S"', '"XX-VAT-R"').replace('"0.20"', '"abc"')
    with pytest.raises(TaxTableError) as caught:
        parse_tax_table(text, "my-rates.toml")
    err = caught.value
    assert err.field == "my-rates.toml: rates[1].rate"
    assert err.value == "abc"
    assert "my-rates.toml: rates[1].rate" in str(err)
    assert isinstance(err, ValidationError)


def test_every_problem_is_reported_at_once() -> None:
    text = """
[[rates]]
code = "A"
category = "Q"
rate = 0.2
jurisdiction = "XX"
valid_from = 2020-13-01
colour = "red"
"""
    with pytest.raises(TaxTableError) as caught:
        parse_tax_table(text.replace("2020-13-01", '"2020-13-01"'), "bad.toml")
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == [
        "bad.toml: rates[0].category",
        "bad.toml: rates[0].colour",
        "bad.toml: rates[0].rate",
        "bad.toml: rates[0].tax",
        "bad.toml: rates[0].valid_from",
    ]
    rate_problem = next(p for p in caught.value.problems if p.field.endswith(".rate"))
    assert "not a float" in rate_problem.expected


def test_invalid_toml_names_the_file() -> None:
    with pytest.raises(TaxTableError, match=r"broken\.toml"):
        parse_tax_table("[[rates]\ncode = ", "broken.toml")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('rate = "0.20"', 'rate = "1.5"'), "rate"),
        (('rate = "0.20"', 'rate = "-0.1"'), "rate"),
        (('category = "S"', 'category = "E"'), "rate"),
        (('jurisdiction = "XX"', 'jurisdiction = "Mexico"'), "jurisdiction"),
        (("valid_from = 2020-01-01", "valid_from = 2020-01-01\nvalid_to = 2019-01-01"), "valid_to"),
        (("valid_from = 2020-01-01", "valid_from = 2020-01-01\nkind = 'refund'"), "kind"),
        (("valid_from = 2020-01-01", "valid_from = 2020-01-01\nclasses = 'goods'"), "classes"),
        (("valid_from = 2020-01-01", "valid_from = 2020-01-01\ncompound = 'yes'"), "compound"),
        (("valid_from = 2020-01-01", "valid_from = 2020-01-01T10:00:00"), "valid_from"),
    ],
)
def test_field_errors(change: tuple[str, str], field: str) -> None:
    with pytest.raises(TaxTableError) as caught:
        parse_tax_table(GOOD_ROW.replace(*change), "t.toml")
    assert caught.value.field == f"t.toml: rates[0].{field}"


def test_overlapping_dates_of_one_code_are_refused() -> None:
    second = GOOD_ROW.replace("2020-01-01", "2021-06-01").replace('"0.20"', '"0.21"')
    with pytest.raises(TaxTableError) as caught:
        parse_tax_table(GOOD_ROW + second, "t.toml")
    assert caught.value.field == "t.toml: rates[1].valid_from"
    assert "rates[0]" in caught.value.expected


def test_rows_of_one_code_must_agree_on_what_they_apply_to() -> None:
    second = GOOD_ROW.replace("2020-01-01", "2019-01-01\nvalid_to = 2019-12-31").replace(
        '"XX"', '"XX/NORTH"'
    )
    with pytest.raises(TaxTableError) as caught:
        parse_tax_table(GOOD_ROW + second, "t.toml")
    assert caught.value.field == "t.toml: rates[1].jurisdiction"


def test_rate_on_picks_the_row_in_force() -> None:
    second = GOOD_ROW.replace("2020-01-01", "2021-01-01").replace('"0.20"', '"0.21"')
    first = GOOD_ROW.replace("2020-01-01", "2020-01-01\nvalid_to = 2020-12-31")
    table = parse_tax_table(first + second, "t.toml")
    assert table.rate_on("XX-VAT-S", dt.date(2020, 12, 31)).rate == Decimal("0.20")
    assert table.rate_on("XX-VAT-S", dt.date(2021, 1, 1)).rate == Decimal("0.21")
    with pytest.raises(NotFound):
        table.rate_on("XX-VAT-S", dt.date(2019, 12, 31))
    with pytest.raises(NotFound):
        table.rate_on("nope", dt.date(2021, 1, 1))


def test_a_user_table_merged_over_a_bundled_one_replaces_its_codes() -> None:
    mine = parse_tax_table(
        GOOD_ROW.replace("XX-VAT-S", "DE-VAT-S")
        .replace('"XX-VAT"', '"DE-VAT"')
        .replace('"XX"', '"DE"')
        .replace('"0.20"', '"0.21"'),
        "mine.toml",
    )
    merged = bundled_table("EU").merge(mine)
    assert merged.rate_on("DE-VAT-S", dt.date(2026, 1, 1)).rate == Decimal("0.21")
    with pytest.raises(NotFound):
        merged.rate_on("DE-VAT-S", dt.date(2015, 1, 1))
    assert merged.rate_on("FR-VAT-S", dt.date(2026, 1, 1)).rate == Decimal("0.20")


def test_bundled_tables_load_and_all_merges_them() -> None:
    every = bundled_table("ALL")
    for name in BUNDLED_TABLES:
        table = bundled_table(name)
        assert table.rates
        assert set(table.codes) <= set(every.codes)
    assert {"MX", "DE", "US"} <= every.countries
    with pytest.raises(NotFound, match="XX"):
        bundled_table("XX")


def test_bundled_rows_only_carry_tax_in_charging_categories() -> None:
    for row in bundled_table("ALL").rates:
        assert row.rate == 0 or row.category.charges_tax, row.source


def test_tax_category_codes_are_en16931() -> None:
    assert [c.code for c in TaxCategory] == ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"]
    assert TaxCategory.parse("ae") is TaxCategory.REVERSE_CHARGE
    assert TaxCategory.parse("EXPORT") is TaxCategory.EXPORT
    with pytest.raises(ValidationError, match="category"):
        TaxCategory.parse("X")


@pytest.mark.parametrize(
    ("country", "raw", "compact"),
    [
        ("DE", "DE 136 695 976", "DE136695976"),
        ("DE", "136695976", "DE136695976"),
        ("GR", "094259216", "EL094259216"),
        ("FR", "FR 40 303 265 045", "FR40303265045"),
        ("MX", "EKU9003173C9", "EKU9003173C9"),
    ],
)
def test_valid_tax_ids_are_returned_compact(country: str, raw: str, compact: str) -> None:
    assert validate_tax_id(country, raw) == compact


@pytest.mark.parametrize(
    ("country", "raw"),
    [("DE", "DE136695977"), ("FR", "DE136695976"), ("MX", "XXXX"), ("ES", ""), ("DE", "  ")],
)
def test_invalid_tax_ids_name_the_value(country: str, raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_tax_id(country, raw)
    assert caught.value.field == "tax_id"
    assert caught.value.value == raw
    assert not is_valid_tax_id(country, raw)


def test_tables_survive_pickling_for_worker_processes() -> None:
    import pickle

    table = bundled_table("ALL")
    copy = pickle.loads(pickle.dumps(table))
    assert copy == table
    day = dt.date(2020, 8, 1)
    assert copy.rate_on("DE-VAT-S", day) == table.rate_on("DE-VAT-S", day)


def test_check_returns_all_problems_as_values() -> None:
    bad = GOOD_ROW.replace('"0.20"', "0.2").replace('category = "S"', 'category = "?"')
    problems = check_tax_table(bad, "t.toml")
    assert [p.field for p in problems] == ["t.toml: rates[0].category", "t.toml: rates[0].rate"]
    assert check_tax_table(GOOD_ROW, "t.toml") == ()
