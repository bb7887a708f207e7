"""``o2c invoice create``: manual invoices, priced by hand or from a rate card, taxed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke


def test_manual_invoice_priced_by_hand_and_taxed(billing: Invoke) -> None:
    args = ["invoice", "create", "--customer", "C-US-1", "--line", "setup:1@500"]
    result = billing(*args, "--line", "consulting:2.5@150", "--date", "2026-10-20", "--issue",
                     fmt="json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["number"] == "INV-2026-000001"
    assert created["net"] == {"amount": "875.00", "currency": "USD"}  # 500 + 2.5 × 150


def test_manual_invoice_priced_from_a_rate_card(billing: Invoke) -> None:
    args = ["invoice", "create", "--customer", "C-US-1", "--ratecard", "saas-2026"]
    result = billing(*args, "--line", "seats:10", "--date", "2026-10-20", fmt="json")
    assert result.exit_code == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["status"] == "draft"
    assert draft["net"] == {"amount": "87.50", "currency": "USD"}  # 3 free, 7 × 12.50


def test_manual_invoice_line_without_price_or_card_is_a_usage_error(billing: Invoke) -> None:
    result = billing("invoice", "create", "--customer", "C-US-1", "--line", "setup:1")
    assert result.exit_code == 2
    assert "give ITEM:QTY@PRICE or --ratecard" in result.stderr


def test_manual_invoice_for_an_unknown_customer_fails(billing: Invoke) -> None:
    result = billing("invoice", "create", "--customer", "C-NOPE", "--line", "setup:1@5")
    assert result.exit_code == 1
    assert "C-NOPE" in result.stderr


def test_explain_of_a_rate_card_line_shows_the_currencys_decimals(billing: Invoke) -> None:
    args = ["invoice", "create", "--customer", "C-US-1", "--ratecard", "saas-2026"]
    result = billing(*args, "--line", "seats:10", "--date", "2026-10-20", fmt="json")
    assert result.exit_code == 0, result.stderr
    number = json.loads(result.stdout)["id"]
    shown = billing("invoice", "explain", number, fmt="json")
    assert shown.exit_code == 0, shown.stderr
    steps = json.loads(shown.stdout)[0]["explain"]
    assert any(step.endswith("7 × 12.50 = 87.50") for step in steps), steps


def _dump(path: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def test_a_refused_manual_invoice_leaves_the_book_as_it_was(
    billing: Invoke, book_path: Path
) -> None:
    before = _dump(str(book_path))
    for line in ("setup:0@500", "setup:0.000000001@5", "setup:1@-5", "setup:3@0"):
        result = billing("invoice", "create", "--customer", "C-US-1", "--line", line, "--issue")
        assert result.exit_code in (1, 2), (line, result.stdout)
        assert "Traceback" not in result.output
    assert _dump(str(book_path)) == before


def test_a_quantity_that_rounds_to_nothing_is_refused_naming_the_line(billing: Invoke) -> None:
    result = billing("invoice", "create", "--customer", "C-US-1", "--line", "setup:0.000000001@5")
    assert result.exit_code == 1
    assert "lines[0].quantity" in result.stderr
    assert "rounds to 0.00 USD" in result.stderr
