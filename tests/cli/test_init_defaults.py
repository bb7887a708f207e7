"""``o2c init`` gives a new book default approval limits and shows them (issue 23)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from o2c.book import Book
from o2c.cases import ApprovalAction
from tests.cli.conftest import Invoke

USD_ROWS = [
    {"action": "credit_note", "above": "1000.00 USD", "per": "request", "approver": "lead"},
    {"action": "refund", "above": "500.00 USD", "per": "request", "approver": "lead"},
    {"action": "void", "above": "1000.00 USD", "per": "request", "approver": "lead"},
    {"action": "write_off", "above": "100.00 USD", "per": "request", "approver": "lead"},
]


def test_a_new_book_gets_limits_in_the_sellers_currency_and_shows_them(
    o2c: Invoke, book_path: Path
) -> None:
    result = o2c("init", "--seller-country", "MX", fmt="json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)["approval"]
    assert [r for r in shown if r["above"].endswith("MXN")] == [
        {"action": "credit_note", "above": "20000.00 MXN", "per": "request", "approver": "lead"},
        {"action": "refund", "above": "10000.00 MXN", "per": "request", "approver": "lead"},
        {"action": "void", "above": "20000.00 MXN", "per": "request", "approver": "lead"},
        {"action": "write_off", "above": "2000.00 MXN", "per": "request", "approver": "lead"},
    ]
    # also in the common foreign currencies: a limit in pesos alone would hold every USD credit
    assert [r for r in shown if r["above"].endswith("USD")] == USD_ROWS
    assert "o2c approval policy --set" in result.stderr
    with Book.open(book_path, actor="ana") as book:
        policy = book.approval_policy()
    refund = policy.threshold(ApprovalAction.REFUND, "MXN")
    assert refund is not None
    assert refund.limit.amount == Decimal("10000.00")
    assert refund.role is not None
    assert refund.role.value == "lead"


def test_the_table_lists_the_limits(o2c: Invoke) -> None:
    result = o2c("init", "--currency", "USD")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("approval:")
    assert lines[start + 1].split() == ["action", "above", "per", "approver"]
    assert ["refund", "500.00", "USD", "request", "lead"] in [line.split() for line in lines]


def test_an_existing_books_policy_is_never_touched(book: Invoke, book_path: Path) -> None:
    # the `book` fixture was made with a plain `o2c init` and has customers
    result = book("init", "--seller-country", "US", fmt="json")
    assert result.exit_code == 0, result.stderr
    assert "approval" not in json.loads(result.stdout)
    with Book.open(book_path, actor="ana") as opened:
        assert opened.approval_policy().thresholds == ()


def test_without_a_currency_or_with_no_defaults_the_book_gets_none(
    o2c: Invoke, tmp_path: Path
) -> None:
    plain = o2c("init")
    assert plain.exit_code == 0
    assert "no default approval limits: give --currency (or --seller-country)" in plain.stderr
    assert "approval" not in plain.stdout
    assert o2c("approval", "policy", fmt="json").stdout.count("approval.") == 0
    other = o2c("--book", str(tmp_path / "jp.db"), "init", "--currency", "JPY")
    assert "no default approval limits for JPY" in other.stderr
    off = o2c("--book", str(tmp_path / "off.db"), "init", "--seller-country", "US",
              "--no-approval-defaults", fmt="json")  # fmt: skip
    assert "approval" not in json.loads(off.stdout)
