"""``o2c payment``, ``refund``, ``writeoff``, ``period`` and ``report``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, book_dump


def _record(book: Invoke, *args: str) -> dict[str, object]:
    result = book("payment", "record", "--customer", "C-US-1", *args, fmt="json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_payment_in_the_customers_currency_by_default(issued: Invoke) -> None:
    paid = _record(issued, "--amount", "1000", "--date", "2026-10-20", "--reference", "wire 1")
    assert paid["amount"] == {"amount": "1000.00", "currency": "USD"}
    listed = json.loads(issued("payment", "list", fmt="json").stdout)
    assert [p["id"] for p in listed] == [paid["id"]]


def test_payment_of_an_unknown_customer_fails(issued: Invoke) -> None:
    args = ["payment", "record", "--customer", "C-NOPE", "--amount", "10 USD"]
    result = issued(*args)
    assert result.exit_code == 1
    assert "C-NOPE" in result.stderr


def test_usd_payment_for_an_mxn_customer_is_refused_naming_both_currencies(
    issued: Invoke, book_path: Path
) -> None:
    before = book_dump(book_path)
    result = issued("payment", "record", "--customer", "C-MX-1", "--amount", "100 USD")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: payment refused: 100.00 USD from customer C-MX-1 is in USD, but C-MX-1 is "
        "billed in MXN; o2c has no currency conversion (FX) yet: record the payment in MXN\n"
    )
    assert book_dump(book_path) == before


def test_payment_with_a_malformed_amount_is_a_usage_error(issued: Invoke) -> None:
    args = ["payment", "record", "--customer", "C-US-1", "--amount", "1,000.00"]
    assert issued(*args).exit_code == 2


def test_apply_oldest_first_then_unapply(issued: Invoke) -> None:
    paid = _record(issued, "--amount", "1855.99 USD", "--date", "2026-10-20")
    applied = issued("payment", "apply", str(paid["id"]), "--date", "2026-10-21", fmt="json")
    assert applied.exit_code == 0, applied.stderr
    [allocation] = json.loads(applied.stdout)
    assert allocation["amount"] == {"amount": "1855.99", "currency": "USD"}
    records = json.loads(issued("payment", "allocations", fmt="json").stdout)
    undo = issued("payment", "unapply", records[0]["id"], "--reason", "bounced",
                  "--date", "2026-10-25")  # fmt: skip
    assert undo.exit_code == 0, undo.stderr
    aging = json.loads(issued("report", "aging", "--as-of", "2026-11-30", fmt="json").stdout)
    usd = next(t for t in aging["totals"] if t["currency"] == "USD")
    assert usd["unapplied"] == {"amount": "1855.99", "currency": "USD"}


def test_apply_to_a_named_invoice_with_a_bare_amount(issued: Invoke) -> None:
    paid = _record(issued, "--amount", "500", "--date", "2026-10-20")
    target = "INV-2026-000001=200"
    result = issued("payment", "apply", str(paid["id"]), "--to", target, fmt="json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["amount"] == {"amount": "200.00", "currency": "USD"}


def test_apply_with_a_malformed_target_is_a_usage_error(issued: Invoke) -> None:
    paid = _record(issued, "--amount", "500")
    assert issued("payment", "apply", str(paid["id"]), "--to", "INV-1").exit_code == 2


def test_refund_more_than_unapplied_is_refused(issued: Invoke) -> None:
    paid = _record(issued, "--amount", "100", "--date", "2026-10-20")
    too_much = issued("refund", "request", str(paid["id"]), "--amount", "150", "--reason", "x")
    assert too_much.exit_code == 1
    assert "only 100.00 USD is unapplied" in too_much.stderr
    ok = issued("refund", "request", str(paid["id"]), "--amount", "100", "--reason", "overpaid")
    assert ok.exit_code == 0, ok.stderr


def test_writeoff_of_part_of_an_invoice(issued: Invoke) -> None:
    result = issued("writeoff", "request", "INV-2026-000002", "--amount", "40", fmt="json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["amount"] == {"amount": "40.00", "currency": "MXN"}


def test_writeoff_of_an_unknown_invoice_fails(issued: Invoke) -> None:
    assert issued("writeoff", "request", "INV-2026-999999").exit_code == 1


def test_aging_totals_match_the_open_invoices(issued: Invoke) -> None:
    result = issued("report", "aging", "--as-of", "2026-11-30", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "customer,currency,current,1-30,31-60,61-90,90+,disputed,unapplied"
    # INV-1 due 2026-10-31 is 30 days late; INV-2 due 2026-11-04 is 26 days late
    assert "TOTAL,USD,0.00,1855.99,0.00,0.00,0.00,0.00,0.00" in lines
    assert "TOTAL,MXN,0.00,1740.00,0.00,0.00,0.00,0.00,0.00" in lines


def test_statement_runs_from_opening_to_closing(issued: Invoke) -> None:
    args = ["report", "statement", "C-US-1", "--from", "2026-10-01", "--to", "2026-10-31"]
    text = issued(*args).stdout
    assert "opening balance" in text
    assert "invoice INV-2026-000001" in text
    assert text.rstrip().splitlines()[-1].endswith("1855.99 USD")


def test_trial_balance_sums_to_zero_per_currency(issued: Invoke) -> None:
    rows = issued("report", "trial-balance", fmt="csv").stdout.splitlines()
    totals = [r for r in rows if r.startswith("TOTAL")]
    assert totals == ["TOTAL,,MXN,0.00,MXN", "TOTAL,,USD,0.00,USD"]


def test_reconcile_is_clean(issued: Invoke) -> None:
    result = issued("report", "reconcile")
    assert result.exit_code == 0, result.stderr


def test_closed_period_refuses_postings(issued: Invoke) -> None:
    assert issued("period", "close", "2026-10").exit_code == 0
    result = issued(
        "payment", "record", "--customer", "C-US-1", "--amount", "5", "--date", "2026-10-15"
    )
    assert result.exit_code == 1
    assert "2026-10 is closed" in result.stderr
    assert issued("period", "reopen", "2026-10").exit_code == 0
    listed = json.loads(issued("period", "list", fmt="json").stdout)
    assert listed[-1]["status"] == "open"


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-10-05"])
def test_period_close_needs_a_month(issued: Invoke, month: str) -> None:
    assert issued("period", "close", month).exit_code in (1, 2)


def test_refund_above_the_policy_limit_waits_for_another_person(issued: Invoke) -> None:
    for person, role in (("cy", "controller"), ("bo", "lead"), ("ana", "specialist")):
        assert issued("approval", "assign", person, role, actor="cy").exit_code == 0
    policy = issued("approval", "policy", "--set", "approval.refund.USD=100.00 lead", actor="cy")
    assert policy.exit_code == 0, policy.stderr
    paid = _record(issued, "--amount", "500", "--date", "2026-10-20")
    args = ["refund", "request", str(paid["id"]), "--amount", "150", "--reason", "overpaid"]
    held = issued(*args, fmt="json")
    assert held.exit_code == 0, held.stderr
    request = json.loads(held.stdout)
    assert "approval approve" in held.stderr
    own = issued("approval", "approve", str(request["approval"]))  # ana asked: refused
    assert own.exit_code == 1
    assert "cannot approve" in own.stderr
    approved = issued("approval", "approve", str(request["approval"]), actor="bo")
    assert approved.exit_code == 0, approved.stderr
    listed = json.loads(issued("refund", "list", fmt="json").stdout)
    assert [r["amount"] for r in listed] == [{"amount": "150.00", "currency": "USD"}]
