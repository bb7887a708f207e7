"""``o2c export``: tables as CSV (default) or JSON, safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke


def test_export_documents_as_csv_by_default(issued: Invoke) -> None:
    result = issued("export", "documents")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["number"], r["payable.amount"], r["payable.currency"]) for r in rows] == [
        ("INV-2026-000001", "1855.99", "USD"),
        ("INV-2026-000002", "1740.00", "MXN"),
    ]


def test_export_as_json_with_the_format_option(issued: Invoke) -> None:
    result = issued("export", "lines", "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = json.loads(result.stdout)
    assert [(line["number"], line["line"]) for line in lines] == [
        ("INV-2026-000001", 1),
        ("INV-2026-000001", 2),
        ("INV-2026-000002", 1),
    ]


def test_export_journal_balances(issued: Invoke) -> None:
    rows = list(csv.DictReader(io.StringIO(issued("export", "journal").stdout)))
    from decimal import Decimal

    by_currency: dict[str, Decimal] = {}
    for row in rows:
        currency = row["amount.currency"]
        by_currency[currency] = by_currency.get(currency, Decimal(0)) + Decimal(
            row["amount.amount"]
        )
    assert by_currency == {"USD": Decimal(0), "MXN": Decimal(0)}


def test_export_neutralizes_formulas_in_customer_names(book: Invoke, tmp_path: Path) -> None:
    args = ["customer", "add", "C-EVIL", "--name", '=HYPERLINK("http://x")', "--country", "US"]
    assert book(*args, "--currency", "USD").exit_code == 0
    out = tmp_path / "customers.csv"
    assert book("export", "customers", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    evil = next(r for r in rows if r["id"] == "C-EVIL")
    assert evil["legal_name"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("table", ["invoices", "usage_records; DROP TABLE x"])
def test_export_of_an_unknown_table_is_a_usage_error(issued: Invoke, table: str) -> None:
    result = issued("export", table)
    assert result.exit_code == 2
    assert "customers" in result.stderr  # the choices are listed
