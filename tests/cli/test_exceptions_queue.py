"""``o2c bill exceptions``: the queue clears after the fix its message suggests.

Five MXN customers with 4 seats at 12.50 each (58.00 with IVA); C5 requires a purchase
order and its contract K5 has none. October is billed four times before the fix.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

CARD = """
[ratecard]
code = "std"
name = "Standard"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEAT]
name = "User seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "12.50"
"""
RUN = ("bill", "run", "--period", "2026-10", "--invoice-date", "2026-10-31")


def _ok(o2c: Invoke, *args: str, fmt: str | None = None) -> str:
    result = o2c(*args) if fmt is None else o2c(*args, fmt=fmt)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.fixture
def billed(o2c: Invoke, tmp_path: Path) -> Invoke:
    card = tmp_path / "std.toml"
    card.write_text(CARD, encoding="utf-8")
    _ok(o2c, "init", "--seller-country", "MX", "--seller-tax-id", "AAA010101AAA")
    _ok(o2c, "ratecard", "import", str(card))
    who = ("--country", "MX", "--currency", "MXN", "--tax-id", "AAA010101AAA")
    address = ("--street", "Reforma 1", "--city", "CDMX", "--postal-code", "06600")
    terms = ("--ratecard", "std", "--start", "2026-10-01", "--timing", "arrears")
    for n in range(1, 6):
        po = ("--po-required",) if n == 5 else ()
        _ok(o2c, "customer", "add", f"C{n}", "--name", f"Cliente {n}", *who, *address, *po)
        _ok(o2c, "contract", "add", f"K{n}", "--customer", f"C{n}", *terms, "--recurring", "SEAT:4")
    for _ in range(4):
        _ok(o2c, *RUN)
    return o2c


def _queue(o2c: Invoke, status: str = "open") -> list[dict[str, object]]:
    rows = json.loads(_ok(o2c, "bill", "exceptions", "--status", status, fmt="json"))
    assert isinstance(rows, list)
    return rows


def _rate(o2c: Invoke) -> tuple[str, str, str]:
    kpis = json.loads(_ok(o2c, "report", "kpis", "--period", "2026-10", fmt="json"))
    [kpi] = [k for k in kpis if k["name"] == "billing_exception_rate"]
    return kpi["value"], kpi["numerator"], kpi["denominator"]


def test_four_runs_leave_one_open_exception_and_a_rate_of_one_in_five(billed: Invoke) -> None:
    [row] = _queue(billed, "all")
    assert (row["run_key"], row["code"], row["status"]) == ("K5:2026-10", "po_required", "open")
    assert (row["customer"], row["contract"]) == ("C5", "K5")
    assert (row["raised_by"], row["last_run"]) == ("BR000001", "BR000004")
    assert _rate(billed) == ("0.2000", "1", "5")  # it read 0.5000 (4/8)
    table = _ok(billed, "bill", "exceptions")
    # The table shows each message whole, with the command that fixes it.
    assert "o2c contract amend K5 --from 2026-10-01 --po <PO number>" in table


def test_the_command_the_message_suggests_fixes_it_and_the_re_run_resolves_it(
    billed: Invoke,
) -> None:
    [row] = _queue(billed)
    match = re.search(r"add it: (o2c contract amend .*<PO number>)", str(row["message"]))
    assert match is not None, row["message"]
    command = shlex.split(match[1].replace("<PO number>", "PO-77"))[1:]
    assert command == ["contract", "amend", "K5", "--from", "2026-10-01", "--po", "PO-77"]

    _ok(billed, *command)  # was: "expected a date after the contract start 2026-10-01"
    rerun = json.loads(_ok(billed, *RUN, fmt="json"))

    assert (rerun["invoices"], rerun["exceptions"]) == (1, [])
    assert _queue(billed) == []
    [resolved] = _queue(billed, "resolved")
    assert (resolved["run_key"], resolved["resolved_by"]) == ("K5:2026-10", rerun["run"])
    assert resolved["resolved_at"] is not None
    invoices = json.loads(_ok(billed, "invoice", "list", fmt="json"))
    assert len([i for i in invoices if i["customer"] == "C5"]) == 1
    assert _rate(billed) == ("0.2000", "1", "5")
