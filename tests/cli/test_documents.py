"""``o2c invoice``, ``o2c credit-note`` and ``o2c debit-note``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke


def test_invoice_list_shows_numbers_and_totals(issued: Invoke) -> None:
    rows = json.loads(issued("invoice", "list", fmt="json").stdout)
    assert [(r["number"], r["payable"]["amount"]) for r in rows] == [
        ("INV-2026-000001", "1855.99"),  # 1,500 + 99.99 net, 240 + 16 tax
        ("INV-2026-000002", "1740.00"),
    ]


def test_invoice_show_json_is_the_full_document(issued: Invoke) -> None:
    doc = json.loads(issued("invoice", "show", "INV-2026-000001", fmt="json").stdout)
    assert doc["number"] == "INV-2026-000001"
    assert doc["due_date"] == "2026-10-31"  # net 30
    assert doc["lines"][1]["net"] == {"amount": "99.99", "currency": "USD"}


def test_invoice_show_table_has_lines_and_taxes(issued: Invoke) -> None:
    text = issued("invoice", "show", "INV-2026-000001").stdout
    assert "lines:" in text
    assert "taxes:" in text
    assert "1599.99 USD  256.00 USD" in text


def test_invoice_show_unknown_number_fails(issued: Invoke) -> None:
    result = issued("invoice", "show", "INV-2026-999999")
    assert result.exit_code == 1
    assert result.stderr == "Error: document INV-2026-999999 not found\n"


def test_invoice_explain_lists_each_line_and_its_tax(issued: Invoke) -> None:
    text = issued("invoice", "explain", "INV-2026-000001").stdout
    assert "line 1: consulting × 10 = 1500.00 USD" in text
    assert "tax: VAT-16 16.00% = 240.00 USD" in text


def test_issuing_twice_is_refused(issued: Invoke) -> None:
    result = issued("invoice", "issue", "D-1")
    assert result.exit_code == 1
    assert "D-1" in result.stderr or "INV-2026-000001" in result.stderr


def test_void_keeps_the_number(issued: Invoke) -> None:
    result = issued("invoice", "void", "INV-2026-000002", "--reason", "duplicate", fmt="json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "void"
    assert json.loads(result.stdout)["number"] == "INV-2026-000002"


def test_void_needs_a_reason(issued: Invoke) -> None:
    assert issued("invoice", "void", "INV-2026-000002").exit_code == 2


def test_render_in_the_customers_locale(issued: Invoke, tmp_path: Path) -> None:
    text = issued("invoice", "render", "INV-2026-000002").stdout
    assert text.startswith("Factura INV-2026-000002")
    out = tmp_path / "inv.html"
    result = issued("invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out))
    assert result.exit_code == 0
    assert "<h1>Invoice INV-2026-000001</h1>" in out.read_text(encoding="utf-8")


def test_credit_note_for_part_of_a_line(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000001", "--line", "1:2", "--reason", "wrong_quantity",
            "--date", "2026-10-20"]  # fmt: skip
    result = issued("credit-note", "create", *args, fmt="json")
    assert result.exit_code == 0, result.stderr
    note = json.loads(result.stdout)
    assert note["number"] == "CN-2026-000001"
    assert note["net"] == {"amount": "300.00", "currency": "USD"}  # 2 × 150
    assert note["tax"] == {"amount": "48.00", "currency": "USD"}


def test_credit_note_beyond_the_invoice_is_refused_and_changes_nothing(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000001", "--amount", "5000", "--reason", "goodwill"]
    result = issued("credit-note", "create", *args)
    assert result.exit_code == 1
    assert "cannot credit 5000.00 USD" in result.stderr
    kinds = [r["kind"] for r in json.loads(issued("invoice", "list", fmt="json").stdout)]
    assert "credit note" not in kinds


def test_credit_note_takes_a_line_quantity_or_an_amount_not_both(issued: Invoke) -> None:
    # `--line 1 --amount 10` credits 10 on line 1 (tests/cli/test_credit_lines.py).
    args = ["--invoice", "INV-2026-000001", "--line", "1:2", "--amount", "10", "--reason", "other"]
    assert issued("credit-note", "create", *args).exit_code == 2


def test_credit_note_with_an_unknown_reason_is_a_usage_error(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000001", "--reason", "because"]
    assert issued("credit-note", "create", *args).exit_code == 2


def test_debit_note_adds_taxed_amount_on_a_line(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000002", "--line", "1:100", "--reason", "wrong_price"]
    result = issued("debit-note", "create", *args, fmt="json")
    assert result.exit_code == 0, result.stderr
    note = json.loads(result.stdout)
    assert note["payable"] == {"amount": "116.00", "currency": "MXN"}


def test_debit_note_needs_an_amount_per_line(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000002", "--line", "1", "--reason", "wrong_price"]
    result = issued("debit-note", "create", *args)
    assert result.exit_code == 2
    assert "needs an amount" in result.stderr


def test_rendered_credit_note_names_the_invoice_number(issued: Invoke) -> None:
    args = ["--invoice", "INV-2026-000001", "--line", "1:2", "--reason", "wrong_quantity",
            "--date", "2026-10-20"]  # fmt: skip
    assert issued("credit-note", "create", *args).exit_code == 0
    text = issued("invoice", "render", "CN-2026-000001").stdout
    assert "Corrects    INV-2026-000001" in text
