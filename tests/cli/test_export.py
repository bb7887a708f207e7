"""``o2c export``: the book's tables as CSV (default) or JSON, safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import Invoke


def test_export_lists_the_tables(issued: Invoke) -> None:
    result = issued("export", "--list", fmt="json")
    names = [row["table"] for row in json.loads(result.stdout)]
    assert {"documents", "document_lines", "journal_lines", "payments"} <= set(names)


def test_export_documents_as_csv_by_default(issued: Invoke) -> None:
    result = issued("export", "documents")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["number"] for r in rows) == ["INV-2026-000001", "INV-2026-000002"]


def test_export_as_json_with_the_format_option(issued: Invoke) -> None:
    result = issued("export", "document_lines", "--format", "json", "--limit", "2")
    assert result.exit_code == 0, result.stderr
    lines = json.loads(result.stdout)
    assert len(lines) == 2
    assert all(list(line) == sorted(line) for line in lines)  # stable keys


def test_exported_journal_balances_per_currency(issued: Invoke) -> None:
    rows = list(csv.DictReader(io.StringIO(issued("export", "journal_lines").stdout)))
    assert rows, "the two issued invoices were posted"
    amount = next(k for k in rows[0] if k.endswith("_minor"))
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["currency"]] = totals.get(row["currency"], 0) + int(row[amount])
    assert totals == {"USD": 0, "MXN": 0}


def test_export_neutralizes_formulas_in_customer_names(book: Invoke, tmp_path: Path) -> None:
    args = ["customer", "add", "C-EVIL", "--name", '=HYPERLINK("http://x")', "--country", "US"]
    assert book(*args, "--currency", "USD").exit_code == 0
    out = tmp_path / "customers.csv"
    assert book("export", "customers", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    assert ",=HYPERLINK" not in text


def test_export_of_an_unknown_table_is_refused(issued: Invoke, book_path: Path) -> None:
    result = issued("export", "customers; DROP TABLE documents")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert issued("export", "documents").exit_code == 0  # still there


def test_export_needs_a_table(issued: Invoke) -> None:
    assert issued("export").exit_code == 2
