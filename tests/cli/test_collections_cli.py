"""``o2c collections worklist|credit`` and the credit part of ``o2c customer show``.

INV-2026-000001 (C-US-1, USD 1,855.99) is due 2026-10-31; INV-2026-000002 is C-MX-1's.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.cli.conftest import Invoke

INV = "INV-2026-000001"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def _usd(text: str) -> dict[str, str]:
    return {"amount": text, "currency": "USD"}


def test_the_worklist_as_json_names_overdue_promises_and_last_contact(issued: Invoke) -> None:
    note = _json(
        issued(
            "note", "add", "--customer", "C-US-1", "--channel", "phone",
            "--summary", "AP promised the 25th", "--started", "2026-11-18T10:00:00+00:00",
            fmt="json",
        )
    )  # fmt: skip
    promised = issued(
        "promise", "add", "C-US-1", "--by", "2026-11-25", "--date", "2026-11-18",
        "--note", note["id"],
    )  # fmt: skip
    assert promised.exit_code == 0, promised.stderr
    rows = _json(issued("collections", "worklist", "--as-of", "2026-11-20", fmt="json"))
    usd = [r for r in rows if r["currency"] == "USD"]
    assert [
        {k: r[k] for k in ("rank", "customer", "overdue", "oldest_days", "items", "promised")}
        for r in usd
    ] == [
        {
            "rank": 1,
            "customer": "C-US-1",
            "overdue": _usd("1855.99"),
            "oldest_days": 20,
            "items": 1,
            "promised": _usd("1855.99"),
        }
    ]
    assert usd[0]["last_summary"] == "AP promised the 25th"
    assert usd[0]["promises_pending"] == 1


def test_the_worklist_as_csv_has_a_header_and_one_row_per_customer(issued: Invoke) -> None:
    result = issued(
        "collections", "worklist", "--as-of", "2026-11-20", "--customer", "C-US-1", fmt="csv"
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["rank"], r["customer"], r["oldest_days"]) for r in rows] == [("1", "C-US-1", "20")]


def test_nothing_overdue_gives_an_empty_worklist(issued: Invoke) -> None:
    assert _json(issued("collections", "worklist", "--as-of", "2026-10-15", fmt="json")) == []


def test_customer_show_has_the_credit_position(issued: Invoke) -> None:
    edited = issued("customer", "edit", "C-US-1", "--credit-limit", "2000.00 USD")
    assert edited.exit_code == 0, edited.stderr
    shown = _json(issued("customer", "show", "C-US-1", fmt="json"))
    assert shown["id"] == "C-US-1"
    credit = shown["credit"]
    assert (credit["credit_limit"], credit["open"], credit["headroom"], credit["blocked"]) == (
        _usd("2000.00"),
        _usd("1855.99"),
        _usd("144.01"),
        False,
    )
    table = issued("customer", "show", "C-US-1")
    assert table.exit_code == 0, table.stderr
    assert "Credit" in table.output
    assert "144.01" in table.output


def test_collections_credit_measures_an_invoice_about_to_be_made(issued: Invoke) -> None:
    issued("customer", "edit", "C-US-1", "--credit-limit", "2000.00 USD")
    result = _json(
        issued("collections", "credit-check", "C-US-1", "--amount", "200.00 USD", fmt="json")
    )
    assert result["blocked"] is True
    assert result["exposure"] == _usd("2055.99")
    assert result["reason"].endswith("is over the credit limit 2000.00 USD")


def test_collections_credit_of_an_unknown_customer_fails_in_one_line(issued: Invoke) -> None:
    result = issued("collections", "credit-check", "C-NOPE")
    assert result.exit_code == 1
    assert "C-NOPE" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bill_run_names_the_customer_it_takes_over_its_limit(billing: Invoke) -> None:
    edited = billing("customer", "edit", "C-US-1", "--credit-limit", "100.00 USD")
    assert edited.exit_code == 0, edited.stderr
    args = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    run = _json(billing(*args, fmt="json"))
    (warning,) = run["credit_warnings"]
    assert (warning["customer"], warning["exposure"], warning["blocked"]) == (
        "C-US-1",
        run["totals"][0],
        True,
    )
    assert warning["reason"].endswith("is over the credit limit 100.00 USD")


def test_the_bill_run_table_shows_the_credit_warnings(billing: Invoke) -> None:
    billing("customer", "edit", "C-US-1", "--credit-limit", "100.00 USD")
    result = billing("bill", "run", "--period", "2026-10", "--issue")
    assert result.exit_code == 0, result.stderr
    assert "Credit warnings" in result.output
    assert "C-US-1" in result.output
