"""CSV export: formula injection is neutralized, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.io import flatten, neutralize_cell, write_csv


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x")', "+1+1", "-cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1", "\rcmd"],
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


_LINES = re.compile(r"\r\n|\r|\n")


@given(st.text(alphabet=st.sampled_from(" \t\r\n\u00a0=+-@aB1.,'\""), max_size=12))
def test_no_line_of_any_cell_starts_a_formula_after_neutralizing(text: str) -> None:
    cell = neutralize_cell(text)
    if cell == text and _is_plain_number(text):
        return
    for line in _LINES.split(cell):
        stripped = line.lstrip(" \t\u00a0\u3000")
        # A line that is a plain number ("+1", "-.1") is a number to a spreadsheet too.
        if _is_plain_number(stripped):
            continue
        assert not stripped.startswith(("=", "+", "-", "@")), repr(cell)


def _is_plain_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def test_a_carriage_return_or_leading_blank_does_not_smuggle_a_formula() -> None:
    name = 'Acme\r=HYPERLINK("http://x")'
    out = write_csv([{"name": name}, {"name": "  @SUM(A1)"}, {"name": "\n-2+3"}], ["name"])
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[1:] == [['Acme\r\'=HYPERLINK("http://x")'], ["'  @SUM(A1)"], ["\n'-2+3"]]
    # Every cell holding a line break is quoted, so it stays one cell.
    assert '"Acme\r' in out
    assert '"\n\'-2+3"' in out
    # A cell that starts with a carriage return is quoted as a whole and on each line.
    assert neutralize_cell("\r=1") == "'\r'=1"
