"""``o2c rerate``: the wrong-price example through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from o2c.book import Book
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer
from tests.book.test_rerate import card, contract
from tests.cli.conftest import Invoke


@pytest.fixture
def billed(book_path: Path) -> Path:
    """10 customers billed for October 2026; then the PREMIUM price corrected 40 -> 35."""
    book = Book.open(str(book_path), actor="ana")
    try:
        book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
        book.import_rate_card("std.toml", text=card("12.50", "40.00"))
        for n in range(1, 11):
            book.add_customer(mx_customer(f"C{n}"))
            book.add_contract(contract(n, "PREMIUM" if n <= 3 else "SEAT", "2" if n <= 3 else "4"))
        assert book.bill_run("2026-10").invoices == 10
        book.import_rate_card("std.toml", text=card("12.50", "35.00"))
    finally:
        book.close()
    return book_path


def _documents(o2c: Invoke) -> str:
    result = o2c("invoice", "list", fmt="json")
    assert result.exit_code == 0, result.output
    return result.stdout


RANGE = ("--from", "2026-10-01", "--to", "2026-10-31")


def test_table_lists_the_three_affected_invoices(o2c: Invoke, billed: Path) -> None:
    before = _documents(o2c)
    result = o2c("rerate", *RANGE)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("C")]
    assert [line.split()[0] for line in lines] == ["C1", "C2", "C3"]
    for line in lines:
        assert "92.80" in line
        assert "81.20" in line
        assert "-11.60" in line
        assert "credit_note" in line
    assert "checked 10, affected 3, skipped 0" in result.stderr
    assert _documents(o2c) == before


def test_json_has_amounts_as_strings_and_a_summary(o2c: Invoke, billed: Path) -> None:
    result = o2c("rerate", *RANGE, "--customer", "C2", fmt="json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [row] = data["rows"]
    assert row["customer"] == "C2"
    assert (row["old"], row["new"], row["difference"]) == ("92.80", "81.20", "-11.60")
    assert row["action"] == "credit_note"
    assert data["summary"]["checked"] == 1
    assert data["summary"]["difference"] == {"MXN": "-11.60"}
    assert data["summary"]["applied"] is False


def test_apply_issues_the_credit_notes_once(o2c: Invoke, billed: Path) -> None:
    result = o2c("rerate", *RANGE, "--apply", "--idempotency-key", "rr-1", fmt="json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["applied"] is True
    assert len(summary["issued"]) == 3
    after = _documents(o2c)
    again = o2c("rerate", *RANGE, "--apply", "--idempotency-key", "rr-1", fmt="json")
    assert json.loads(again.stdout)["summary"]["issued"] == summary["issued"]
    assert _documents(o2c) == after
    check = o2c("rerate", *RANGE, fmt="json")
    assert json.loads(check.stdout)["rows"] == []


def test_a_bad_date_is_a_usage_error_and_changes_nothing(o2c: Invoke, billed: Path) -> None:
    before = _documents(o2c)
    result = o2c("rerate", "--from", "2026-13-01", "--to", "2026-10-31", "--apply")
    assert result.exit_code == 2
    assert "--from" in result.stderr
    assert "2026-13-01" in result.stderr
    backwards = o2c("rerate", "--from", "2026-10-31", "--to", "2026-10-01")
    assert backwards.exit_code == 2
    assert "--to" in backwards.stderr
    assert _documents(o2c) == before


def test_an_unknown_customer_is_one_line_exit_1(o2c: Invoke, billed: Path) -> None:
    result = o2c("rerate", *RANGE, "--customer", "NOPE")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert "NOPE" in result.stderr


def test_apply_leaves_goodwill_and_cancelled_invoices_alone(o2c: Invoke, billed: Path) -> None:
    # C4 (58.00, SEAT price unchanged) got 25.00 + IVA of goodwill; C1 (PREMIUM, its price
    # now 35.00) was cancelled in full. Neither is billed again: only C2 and C3 get credits.
    numbers = {
        d["customer"]: d["number"] for d in json.loads(_documents(o2c)) if d["kind"] == "invoice"
    }
    day = ("--date", "2026-11-03")
    goodwill = ("--amount", "25.00", "--reason", "goodwill")
    for args in (
        ("--invoice", numbers["C4"], *goodwill, *day),
        ("--invoice", numbers["C1"], "--reason", "cancellation", *day),
    ):
        created = o2c("credit-note", "create", *args)
        assert created.exit_code == 0, created.output

    result = o2c("rerate", *RANGE, "--apply", fmt="json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["customer"], r["difference"]) for r in data["rows"]] == [
        ("C2", "-11.60"),
        ("C3", "-11.60"),
    ]
    assert len(data["summary"]["issued"]) == 2
    assert json.loads(o2c("rerate", *RANGE, fmt="json").stdout)["rows"] == []
