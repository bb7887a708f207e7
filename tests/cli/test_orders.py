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


def test_order_invoiced_now_from_the_contracts_rate_card(billing: Invoke) -> None:
    # 2 gateways at an agreed 349.00 and 25 seats from the contract's card (saas-2026).
    args = ["order", "add", "SO-4", "--customer", "C-US-1", "--contract", "K-US-1",
            "--line", "gateway:2@349", "--line", "seats:1", "--date", "2026-10-05"]  # fmt: skip
    assert billing(*args).exit_code == 0
    made = billing("order", "invoice", "SO-4", "--date", "2026-10-06", fmt="json")
    assert made.exit_code == 0, made.stderr
    invoice = json.loads(made.stdout)
    assert invoice["status"] == "issued"
    lines = json.loads(billing("export", "document_lines", "--format", "json").stdout)
    mine = {
        line["item"]: line["net_minor"] for line in lines if line["document_id"] == invoice["id"]
    }
    assert mine["gateway"] == 69800
    assert "seats" in mine
    shown = json.loads(billing("order", "show", "SO-4", fmt="json").stdout)
    assert shown["invoice_id"] == invoice["id"]
    again = billing("order", "invoice", "SO-4")
    assert again.exit_code == 1
    assert f"was billed on {invoice['number']}" in again.stderr
    run = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    assert billing(*run).exit_code == 0
    lines = json.loads(billing("export", "document_lines", "--format", "json").stdout)
    assert [line["item"] for line in lines].count("gateway") == 1  # not billed twice
