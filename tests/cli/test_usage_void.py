"""``o2c usage void`` / ``o2c time void`` and ``o2c usage list --voided`` (issue 26).

A billing specialist takes a wrong record out before the bill run, without SQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, book_dump

USAGE = """id,customer,item,quantity,timestamp
u-1,C-US-1,api_calls,30000,2026-10-15T10:00:00-05:00
u-bad,C-US-1,api_calls,5000000,2026-10-16T10:00:00-05:00
"""

TIME = """id,person,role,date,hours
t-1,luis,dev,2026-10-05,2
"""


def _import(billing: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "usage.csv"
    file.write_text(USAGE, encoding="utf-8")
    assert billing("usage", "import", str(file)).exit_code == 0


def test_a_voided_record_is_left_out_of_the_bill_run(billing: Invoke, tmp_path: Path) -> None:
    _import(billing, tmp_path)
    voided = billing(
        "usage", "void", "u-bad", "--reason", "meter glitch", "--idempotency-key", "v-1",
        fmt="json",
    )  # fmt: skip
    assert voided.exit_code == 0, voided.stderr
    [row] = json.loads(voided.stdout)
    assert (row["kind"], row["id"], row["customer"], row["item"]) == (
        "usage",
        "u-bad",
        "C-US-1",
        "api_calls",
    )
    assert (row["quantity"], row["voided_by"], row["reason"]) == ("5000000", "ana", "meter glitch")
    # A retry with the same key returns the first result; the list shows the record.
    again = billing(
        "usage", "void", "u-bad", "--reason", "meter glitch", "--idempotency-key", "v-1"
    )
    assert again.exit_code == 0, again.stderr
    listed = json.loads(billing("usage", "list", "--voided", fmt="json").stdout)
    assert [(r["id"], r["reason"]) for r in listed] == [("u-bad", "meter glitch")]
    unbilled = json.loads(billing("usage", "list", "--unbilled", fmt="json").stdout)
    assert [r["id"] for r in unbilled if r["kind"] == "usage"] == ["u-1"]
    run = json.loads(billing("bill", "run", "--period", "2026-10", "--issue", fmt="json").stdout)
    [doc_id] = run["documents"]
    # 99.00 platform + 275.00 seats (3 free) + 50.00 API calls.
    assert run["totals"] == [{"amount": "424.00", "currency": "USD"}]
    shown = json.loads(billing("invoice", "show", doc_id, fmt="json").stdout)
    api = [line for line in shown["lines"] if line["item"] == "api_calls"]
    # 30,000 calls: the 10.00 base fee, then 20,000 x 0.002 = 40.00 (not 5,030,000 calls).
    assert [(line["quantity"], line["net"]["amount"]) for line in api] == [("30000", "50.00")]
    refused = billing("usage", "void", "u-1", "--reason", "late")
    assert refused.exit_code == 1
    assert "usage record u-1 is billed on invoice INV-2026-" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_void_naming_an_unknown_id_voids_nothing(
    billing: Invoke, tmp_path: Path, book_path: Path
) -> None:
    _import(billing, tmp_path)
    before = book_dump(book_path)
    result = billing("usage", "void", "u-bad", "u-typo", "--reason", "wrong")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: usage record u-typo not found")
    assert "nothing was voided" in result.stderr
    assert book_dump(book_path) == before


def test_time_void_takes_an_entry_out(billing: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "time.csv"
    file.write_text(TIME, encoding="utf-8")
    assert billing("time", "import", str(file), "--customer", "C-US-1").exit_code == 0
    result = billing("time", "void", "t-1", "--reason", "wrong customer", fmt="json")
    assert result.exit_code == 0, result.stderr
    assert [(r["kind"], r["id"], r["quantity"]) for r in json.loads(result.stdout)] == [
        ("time", "t-1", "2")
    ]
    listed = json.loads(billing("usage", "list", "--voided", fmt="json").stdout)
    assert [(r["kind"], r["id"]) for r in listed] == [("time", "t-1")]
    unbilled = json.loads(billing("usage", "list", "--unbilled", fmt="json").stdout)
    assert [r["id"] for r in unbilled if r["kind"] == "time"] == []


@pytest.mark.parametrize(
    "args",
    [("--unbilled", "--voided"), ("--voided", "--period", "2026-10"), ("--customer", "C-US-1")],
)
def test_usage_list_options_that_do_not_go_together_are_usage_errors(
    billing: Invoke, args: tuple[str, ...]
) -> None:
    assert billing("usage", "list", *args).exit_code == 2


def test_usage_void_asks_first_without_yes(
    billing: Invoke, tmp_path: Path, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(billing, tmp_path)
    monkeypatch.delenv("O2C_YES")
    before = book_dump(book_path)
    result = billing("usage", "void", "u-bad", "--reason", "glitch")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: not confirmed: Void usage record u-bad? No bill run will bill it again."
        " (o2c cannot ask without a terminal; pass --yes to confirm)\n"
    )
    assert book_dump(book_path) == before
    assert billing("usage", "void", "u-bad", "--reason", "glitch", "--yes").exit_code == 0
