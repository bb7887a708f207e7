"""``--line N --amount X`` credits X on line N only (issue 18 item 6).

INV-2026-000001 (USD): line 1 consulting 10 × 150.00 = 1,500.00, line 2 setup
1 × 99.99; 16 % tax.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Invoke, book_dump

INV = "INV-2026-000001"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _credited_lines(o2c: Invoke, number: str) -> list[tuple[int, str]]:
    shown = _json(o2c("invoice", "show", number, fmt="json"))
    return [(ln["ref_line"], ln["net"]["amount"]) for ln in shown["lines"]]


def test_credit_note_of_an_amount_on_one_line_credits_that_line_only(issued: Invoke) -> None:
    args = ["--invoice", INV, "--line", "2", "--amount", "50", "--reason", "wrong_price",
            "--date", "2026-10-20"]  # fmt: skip
    note = _json(issued("credit-note", "create", *args, fmt="json"))
    assert note["net"] == {"amount": "50.00", "currency": "USD"}
    assert note["tax"] == {"amount": "8.00", "currency": "USD"}
    assert _credited_lines(issued, note["number"]) == [(2, "50.00")]
    text = issued("invoice", "render", note["number"]).stdout
    row = next(r for r in text.splitlines() if r.startswith("1  setup"))
    assert " 0 " not in row  # no "0 × 99.99": the amount reads alone
    assert "$99.99" not in row
    assert "$50.00" in row


def test_an_amount_above_what_is_left_on_the_line_is_refused_naming_it(
    issued: Invoke, book_path: Path
) -> None:
    before = book_dump(book_path)
    args = ["--invoice", INV, "--line", "2", "--amount", "100", "--reason", "wrong_price"]
    result = issued("credit-note", "create", *args)
    assert result.exit_code == 1
    assert (
        "cannot credit 100.00 USD on line 2 of INV-2026-000001: 99.99 USD invoiced, "
        "99.99 USD left to credit"
    ) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert book_dump(book_path) == before


def test_a_quantity_with_an_amount_is_a_usage_error(issued: Invoke) -> None:
    args = ["--invoice", INV, "--line", "1:2", "--amount", "10", "--reason", "other"]
    result = issued("credit-note", "create", *args)
    assert result.exit_code == 2
    assert "--line 1:2 with --amount" in result.stderr


def test_approval_request_credits_an_amount_on_one_line(issued: Invoke) -> None:
    args = [INV, "--line", "1", "--amount", "10", "--reason", "goodwill"]
    done = _json(issued("approval", "request", "credit-note", *args, fmt="json"))
    assert done["payable"] == {"amount": "11.60", "currency": "USD"}
    assert _credited_lines(issued, done["number"]) == [(1, "10.00")]


def test_dispute_on_one_line_credited_by_an_amount_credits_that_line(issued: Invoke) -> None:
    opened = _json(
        issued("dispute", "open", INV, "--reason", "wrong_price", "--line", "1",
               "--date", "2026-10-05", fmt="json")
    )  # fmt: skip
    refused = issued("dispute", "credit", opened["id"], "--line", "2", "--date", "2026-10-06")
    assert refused.exit_code == 1
    assert f"dispute {opened['id']} is on line 1; cannot credit line 2" in refused.stderr
    credited = _json(
        issued("dispute", "credit", opened["id"], "--amount", "300", "--date", "2026-10-06",
               fmt="json")
    )  # fmt: skip
    assert credited["resolution"] == "credited"
    assert _credited_lines(issued, credited["credit_note"]) == [(1, "300.00")]


def test_units_of_a_billed_tiered_usage_line_are_credited_top_tier_first(
    billing: Invoke, tmp_path: Path
) -> None:
    """The bill run billed 150,000 API calls: tier 1 flat fee 10.00, 10,000 free,
    90,000 × 0.002 = 180.00, 50,000 × 0.0008 = 40.00 (230.00, line 3). Crediting 60,000
    calls credits the last 60,000 billed: 50,000 × 0.0008 = 40.00 and 10,000 × 0.002 =
    20.00, so 60.00, not the average 230.00 × 60,000 / 150,000 = 92.00."""
    usage = tmp_path / "usage.csv"
    usage.write_text(
        "id,customer,item,quantity,timestamp\n"
        "u-1,C-US-1,api_calls,150000,2026-10-15T10:00:00-05:00\n",
        encoding="utf-8",
    )
    assert billing("usage", "import", str(usage)).exit_code == 0
    run = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    assert billing(*run).exit_code == 0
    args = ["--invoice", INV, "--line", "3:60000", "--reason", "wrong_quantity",
            "--date", "2026-11-05"]  # fmt: skip
    note = _json(billing("credit-note", "create", *args, fmt="json"))
    assert note["net"] == {"amount": "60.00", "currency": "USD"}
    explained = billing("invoice", "explain", note["number"]).stdout
    assert "the last 60000 units billed (top tier first)" in explained
    assert "tier 3 units: 50000 × 0.0008 = 40" in explained
