"""``o2c order``: one-time orders billed once by the bill run."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke


def test_order_is_billed_once_on_the_contracts_invoice(billing: Invoke) -> None:
    args = ["order", "add", "SO-1", "--customer", "C-US-1", "--contract", "K-US-1"]
    added = billing(*args, "--line", "gateway:2@349", "--date", "2026-10-05", fmt="json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["invoice"] == "(not billed)"
    run = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    assert billing(*run).exit_code == 0
    shown = json.loads(billing("order", "show", "SO-1", fmt="json").stdout)
    assert shown["invoice_id"] is not None
    lines = json.loads(billing("export", "document_lines", "--format", "json").stdout)
    gateway = [line for line in lines if line["item"] == "gateway"]
    assert [g["net_minor"] for g in gateway] == [69800]  # 2 × 349.00 USD
    assert json.loads(billing("order", "list", "--unbilled", fmt="json").stdout) == []


def test_order_lines_without_price_need_a_rate_card(billing: Invoke) -> None:
    result = billing("order", "add", "SO-2", "--customer", "C-US-1", "--line", "setup:1")
    assert result.exit_code == 2
    assert "--ratecard or --contract" in result.stderr


def test_order_twice_is_a_conflict(billing: Invoke) -> None:
    args = ["order", "add", "SO-3", "--customer", "C-US-1", "--line", "setup:1@10"]
    assert billing(*args).exit_code == 0
    again = billing(*args)
    assert again.exit_code == 1
    assert "SO-3" in again.stderr
