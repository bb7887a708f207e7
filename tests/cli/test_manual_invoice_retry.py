"""``o2c invoice create --issue`` retried with the same idempotency key: the first result."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke


def test_a_retried_create_and_issue_returns_the_first_invoice_and_creates_nothing(
    billing: Invoke,
) -> None:
    args = ["invoice", "create", "--customer", "C-US-1", "--line", "setup:1@500",
            "--date", "2026-10-20", "--issue", "--idempotency-key", "crm-4711"]  # fmt: skip
    first = billing(*args, fmt="json")
    assert first.exit_code == 0, first.stderr
    again = billing(*args, fmt="json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["number"] == json.loads(first.stdout)["number"]
    listed = billing("invoice", "list", fmt="json")
    assert len([d for d in json.loads(listed.stdout) if d["kind"] == "invoice"]) == 1


def test_a_retried_create_held_for_approval_returns_the_same_request(billing: Invoke) -> None:
    policy = billing("approval", "policy", "--set", "approval.manual_invoice.USD=100.00")
    assert policy.exit_code == 0, policy.stderr
    args = ["invoice", "create", "--customer", "C-US-1", "--line", "setup:1@500",
            "--date", "2026-10-20", "--issue", "--idempotency-key", "crm-4712"]  # fmt: skip
    first = billing(*args)
    assert first.exit_code == 0, first.stderr
    again = billing(*args)
    assert again.exit_code == 0, again.stderr
    pending = billing("approval", "list", fmt="json")
    assert len(json.loads(pending.stdout)) == 1
