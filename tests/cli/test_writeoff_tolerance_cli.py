"""``o2c approval policy --set writeoff.tolerance.USD=...``: short payments close invoices."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke


def _tolerate(book: Invoke, *pairs: str) -> None:
    args = [a for p in pairs for a in ("--set", p)]
    result = book("approval", "policy", *args, fmt="json")
    assert result.exit_code == 0, result.stderr


def test_payment_three_cents_short_is_applied_and_the_rest_written_off(issued: Invoke) -> None:
    _tolerate(issued, "writeoff.tolerance.USD=0.05")
    result = issued(
        "payment", "record", "--customer", "C-US-1", "--amount", "1855.96",
        "--date", "2026-11-03", "--apply", fmt="json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    paid = json.loads(result.stdout)
    assert paid["written_off"] == [
        {"document": "INV-2026-000001", "amount": {"amount": "0.03", "currency": "USD"}}
    ]
    aging = json.loads(issued("report", "aging", "--as-of", "2026-11-30", fmt="json").stdout)
    assert [r for r in aging["rows"] if r.get("customer") == "C-US-1"] == []


def test_table_output_says_what_was_written_off(issued: Invoke) -> None:
    _tolerate(issued, "writeoff.tolerance.USD=0.05")
    result = issued(
        "payment", "record", "--customer", "C-US-1", "--amount", "1855.96",
        "--date", "2026-11-03", "--apply",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Wrote off 0.03 USD on INV-2026-000001 (within the write-off tolerance)" in (
        result.stdout
    )


def test_apply_shows_the_write_off_and_above_the_tolerance_nothing(issued: Invoke) -> None:
    _tolerate(issued, "writeoff.tolerance.USD=0.05")
    paid = json.loads(
        issued(
            "payment",
            "record",
            "--customer",
            "C-US-1",
            "--amount",
            "2000",
            "--date",
            "2026-11-03",
            fmt="json",
        ).stdout
    )
    far = issued(
        "payment", "apply", str(paid["id"]), "--to", "INV-2026-000001=1855.00",
        "--date", "2026-11-03", fmt="json",
    )  # fmt: skip
    assert far.exit_code == 0, far.stderr
    [allocation] = json.loads(far.stdout)
    assert "written_off" not in allocation
    near = issued(
        "payment", "apply", str(paid["id"]), "--to", "INV-2026-000001=0.95",
        "--date", "2026-11-03", fmt="json",
    )  # fmt: skip
    [allocation] = json.loads(near.stdout)
    assert allocation["written_off"] == {"amount": "0.04", "currency": "USD"}


def test_bank_import_reports_the_small_balance_written_off(issued: Invoke, tmp_path: Path) -> None:
    _tolerate(issued, "writeoff.tolerance.USD=0.05")
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "date,amount,currency,reference,remittance\n"
        "2026-11-03,1855.97,USD,TX-1,Payment INV-2026-000001\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), fmt="json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["written_off"] == [
        {
            "reference": "TX-1",
            "invoice": "INV-2026-000001",
            "amount": {"amount": "0.02", "currency": "USD"},
        }
    ]


def test_bad_tolerance_is_a_one_line_error_naming_the_key(issued: Invoke) -> None:
    result = issued("approval", "policy", "--set", "writeoff.tolerance.USD=0.001")
    assert result.exit_code == 1
    assert "writeoff.tolerance.USD" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
