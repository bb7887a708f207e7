"""Import tables: comma or semicolon CSV, a BOM, or XLSX; the header problems said plainly."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from o2c.io import FileProblems, detect_delimiter, read_rows, read_usage_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,name\n", ","),
        ("id;name;city\nC1;Acme, Inc.;Monterrey\n", ";"),
        ('"a;b",c\n', ","),  # a separator inside quotes does not count
        ("id\tname\n", "\t"),
        ("id\n", ","),
        ("\ufeffid;name\n", ";"),
    ],
)
def test_the_delimiter_is_read_off_the_header_line(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_a_semicolon_usage_file_reads_like_a_comma_one() -> None:
    text = "id;customer;item;quantity;timestamp\nu-1;C-1;api;1250;2026-10-31T23:30:00-06:00\n"
    [record] = read_usage_csv(text)
    assert record.quantity == 1250


def test_a_header_without_the_columns_says_what_it_found() -> None:
    with pytest.raises(FileProblems) as caught:
        read_usage_csv("id|customer|item\nu-1|C-1|api\n", "usage.csv")
    [problem] = caught.value.problems
    assert problem == (
        "line 1: header: expected the columns id, customer, item, quantity, timestamp; "
        "missing id, customer, item, quantity, timestamp "
        "(the header has: id|customer|item; cells separated by , or ;)"
    )


def test_rows_of_an_xlsx_sheet_come_back_as_text() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Id", "Amount", "Day", "Flag"])
    sheet.append(["A-1", 1250, dt.date(2026, 10, 5), True])
    sheet.append(["A-2", 12.5, None, False])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue(), "x.xlsx", ["id"])
    assert rows == [
        (2, {"id": "A-1", "amount": "1250", "day": "2026-10-05", "flag": "true"}),
        (3, {"id": "A-2", "amount": "12.5", "day": "", "flag": "false"}),
    ]


def test_a_broken_xlsx_is_a_file_problem_not_a_crash() -> None:
    pytest.importorskip("openpyxl")
    with pytest.raises(FileProblems, match="not an XLSX workbook"):
        read_rows(b"PK\x03\x04 not really a zip", "broken.xlsx", ["id"])
