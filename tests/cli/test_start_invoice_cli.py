"""``o2c contract add --invoice-now``: the first period of an in-advance contract at once."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke

ADD = ["contract", "add", "K-US-7", "--customer", "C-US-1", "--ratecard", "saas-2026"]


def test_contract_add_invoice_now_issues_the_start_invoice_once(billing: Invoke) -> None:
    result = billing(
        *ADD, "--start", "2026-10-18", "--recurring", "platform", "--invoice-now", fmt="json"
    )
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["start_invoice"].startswith("INV-")
    invoices = json.loads(billing("invoice", "list", fmt="json").stdout)
    assert len(invoices) == 1
    # The run of October bills the other contracts, not K-US-7's first period again.
    run = json.loads(billing("bill", "run", "--period", "2026-10", "--issue", fmt="json").stdout)
    docs = [json.loads(billing("invoice", "show", d, fmt="json").stdout) for d in run["documents"]]
    assert all(d.get("contract_id") != "K-US-7" for d in docs)


def test_contract_add_invoice_now_in_arrears_is_refused_in_one_line(billing: Invoke) -> None:
    result = billing(
        *ADD,
        "--start",
        "2026-10-18",
        "--recurring",
        "platform",
        "--timing",
        "arrears",
        "--invoice-now",
    )
    assert result.exit_code == 1
    assert "invoice_now" in result.stderr
    assert "Traceback" not in result.stderr
    listed = json.loads(billing("contract", "list", fmt="json").stdout)
    assert "K-US-7" not in [c["id"] for c in listed]
