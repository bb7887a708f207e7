"""``o2c dunning fees`` and the late fees ``o2c dunning run`` charges.

INV-2026-000001 (C-US-1, USD 1,855.99) is due 2026-10-31; INV-2026-000002 is C-MX-1's
(MXN). The standard late-fee policy is 12 % a year.
"""

from __future__ import annotations

import json
from typing import Any

from tests.cli.conftest import Invoke

INV = "INV-2026-000001"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def _policy(issued: Invoke) -> None:
    result = issued("approval", "policy", "--set", "late_fee.standard=interest 12%")
    assert result.exit_code == 0, result.stderr


def test_the_preview_shows_the_fee_and_the_run_charges_it(issued: Invoke) -> None:
    _policy(issued)
    preview = _json(issued("dunning", "fees", "--as-of", "2026-11-30", fmt="json"))
    us = [f for f in preview if f["customer"] == "C-US-1"]
    # 1,855.99 x 12 / 100 x 30 / 365 = 18.3056... -> 18.31
    assert [(f["invoice"], f["days"], f["rate"], f["amount"]) for f in us] == [
        (INV, 30, "12%", {"amount": "18.31", "currency": "USD"})
    ]
    run = _json(issued("dunning", "run", "--as-of", "2026-11-30", fmt="json"))
    charged = [f for f in run["late_fees"] if f["customer"] == "C-US-1"]
    # C-MX-1's invoice is charged too (in MXN), first: customers in id order.
    assert [(f["invoice"], f["debit_note"]) for f in charged] == [(INV, "DN-2026-000002")]
    listed = _json(issued("dunning", "fees", "--charged", "--invoice", INV, fmt="json"))
    assert [f["debit_note"] for f in listed] == ["DN-2026-000002"]
    again = _json(issued("dunning", "fees", "--as-of", "2026-11-30", fmt="json"))
    assert again == []


def test_an_unreadable_policy_is_one_line_naming_the_setting(issued: Invoke) -> None:
    result = issued("approval", "policy", "--set", "late_fee.standard=monthly 2%")
    assert result.exit_code == 1
    assert "late_fee.standard" in result.stderr
    assert "Traceback" not in result.stderr
