"""CSV export: formula injection is neutralized, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.io import flatten, neutralize_cell, write_csv


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x")', "+1+1", "-cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_cells_a_spreadsheet_would_run_are_prefixed_with_a_quote(cell: str) -> None:
    assert neutralize_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "+3", "-0.00042", "12.50"])
def test_negative_and_signed_numbers_stay_numeric(cell: str) -> None:
    assert neutralize_cell(cell) == cell


def test_csv_has_header_and_neutralized_rows() -> None:
    text = write_csv(
        [{"customer": "=evil()", "balance": "-5.00"}, {"customer": "ACME", "balance": None}],
        ["customer", "balance"],
    )
    assert list(csv.reader(io.StringIO(text))) == [
        ["customer", "balance"],
        ["'=evil()", "-5.00"],
        ["ACME", ""],
    ]


def test_nested_money_becomes_amount_and_currency_columns() -> None:
    row = flatten({"id": "INV-1", "total": {"amount": "116.00", "currency": "MXN"}})
    assert row == {"id": "INV-1", "total.amount": "116.00", "total.currency": "MXN"}


@given(st.text())
def test_no_exported_cell_starts_a_formula_unless_it_is_a_number(text: str) -> None:
    cell = neutralize_cell(text)
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert Decimal(cell).is_finite()
