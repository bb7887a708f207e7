"""Rate cards, tax tables, contracts, usage and time imports, bill runs."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke

USAGE = """id,customer,item,quantity,timestamp
u-1,C-US-1,api_calls,120000,2026-10-15T10:00:00-05:00
u-2,C-US-1,api_calls,30000,2026-10-31T23:30:00-05:00
"""


def _usage_file(tmp_path: Path, text: str = USAGE) -> str:
    path = tmp_path / "usage.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_ratecard_list_and_show(billing: Invoke) -> None:
    cards = json.loads(billing("ratecard", "list", fmt="json").stdout)
    assert [(c["code"], c["versions"]) for c in cards] == [("saas-2026", 2)]
    shown = billing("ratecard", "show", "saas-2026", "--at", "2026-10-01").stdout
    assert "api_calls   API calls" in shown
    assert "Graduated" in shown


def test_ratecard_show_unknown_code_fails(billing: Invoke) -> None:
    result = billing("ratecard", "show", "nope")
    assert result.exit_code == 1
    assert "nope" in result.stderr


def test_tax_list_shows_the_table_in_use(billing: Invoke) -> None:
    text = billing("tax", "list").stdout
    assert text.startswith("in use: ")
    assert "MX-IVA" in text


def test_contract_add_list_show(billing: Invoke) -> None:
    listed = json.loads(billing("contract", "list", fmt="json").stdout)
    assert listed[0]["id"] == "K-US-1"
    assert listed[0]["lines"] == ["recurring platform", "recurring seats", "usage api_calls"]
    shown = json.loads(billing("contract", "show", "K-US-1", fmt="json").stdout)
    assert shown["versions"][0]["effective_from"] == "2026-10-01"


def test_contract_for_an_unknown_customer_fails(billing: Invoke) -> None:
    args = ["--customer", "C-NOPE", "--ratecard", "saas-2026", "--start", "2026-10-01"]
    result = billing(
        "contract", "add", "K-9", *args, "--recurring", "platform", "--currency", "USD"
    )
    assert result.exit_code == 1
    assert "C-NOPE" in result.stderr


def test_contract_needs_a_line(billing: Invoke) -> None:
    args = ["--customer", "C-US-1", "--ratecard", "saas-2026", "--start", "2026-10-01"]
    result = billing("contract", "add", "K-9", *args)
    assert result.exit_code == 2
    assert "at least one --recurring" in result.stderr


def test_contract_amend_changes_seats_from_a_date(billing: Invoke) -> None:
    result = billing(
        "contract", "amend", "K-US-1", "--from", "2026-10-16", "--quantity", "seats:40"
    )
    assert result.exit_code == 0, result.stderr
    shown = json.loads(billing("contract", "show", "K-US-1", fmt="json").stdout)
    assert [v["effective_from"] for v in shown["versions"]] == ["2026-10-01", "2026-10-16"]
    seats = [line for line in shown["versions"][1]["lines"] if line["item"] == "seats"]
    assert seats[0]["quantity"] == "40"


def test_contract_amend_of_an_unknown_line_is_a_usage_error(billing: Invoke) -> None:
    result = billing("contract", "amend", "K-US-1", "--from", "2026-10-16", "--quantity", "sms:4")
    assert result.exit_code == 2


def test_usage_import_skips_records_already_imported(billing: Invoke, tmp_path: Path) -> None:
    file = _usage_file(tmp_path)
    first = json.loads(billing("usage", "import", file, fmt="json").stdout)
    again = json.loads(billing("usage", "import", file, fmt="json").stdout)
    assert (first["imported"], first["duplicates"]) == (2, 0)
    assert (again["imported"], again["duplicates"]) == (0, 2)


def test_bill_run_dry_run_writes_nothing_then_run_bills_once(
    billing: Invoke, tmp_path: Path
) -> None:
    billing("usage", "import", _usage_file(tmp_path))
    dry = json.loads(billing("bill", "run", "--period", "2026-10", "--dry-run", fmt="json").stdout)
    assert dry["invoices"] == 1
    assert json.loads(billing("invoice", "list", fmt="json").stdout) == []
    args = ["bill", "run", "--period", "2026-10", "--issue", "--invoice-date", "2026-11-01"]
    run = json.loads(billing(*args, fmt="json").stdout)
    # platform 99 + 22 paid seats × 12.50 + API calls (10 + 90,000 × 0.002 + 50,000 × 0.0008)
    assert run["totals"] == [{"amount": "604.00", "currency": "USD"}]
    assert run["totals"] == dry["totals"]
    again = json.loads(billing(*args, fmt="json").stdout)
    assert (again["invoices"], again["skipped"]) == (0, 1)
    invoices = json.loads(billing("invoice", "list", fmt="json").stdout)
    assert [i["number"] for i in invoices] == ["INV-2026-000001"]


def test_bill_run_without_issue_leaves_drafts(billing: Invoke) -> None:
    result = billing("bill", "run", "--period", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert "invoices are drafts" in result.stderr
    statuses = {i["status"] for i in json.loads(billing("invoice", "list", fmt="json").stdout)}
    assert statuses == {"draft"}


def test_bill_run_table_summary_and_exceptions_queue(billing: Invoke) -> None:
    # A contract for a customer without a billing address cannot be invoiced.
    args = ["customer", "add", "C-US-9", "--name", "No Address LLC", "--country", "US"]
    assert billing(*args, "--currency", "USD").exit_code == 0
    contract = ["contract", "add", "K-US-9", "--customer", "C-US-9", "--ratecard", "saas-2026"]
    assert billing(*contract, "--start", "2026-10-01", "--recurring", "platform").exit_code == 0
    result = billing("bill", "run", "--period", "2026-10", "--issue")
    assert result.exit_code == 0, result.stderr
    assert "Bill run 2026-10" in result.stdout
    assert "Exceptions" in result.stdout
    queue = json.loads(billing("bill", "exceptions", fmt="json").stdout)
    assert [e["customer"] for e in queue] == ["C-US-9"]


def test_bill_run_with_a_malformed_period_is_a_usage_error(billing: Invoke) -> None:
    result = billing("bill", "run", "--period", "Oct")
    assert result.exit_code == 2
    assert "YYYY-MM" in result.stderr


def test_usage_for_an_unknown_customer_names_it_and_imports_nothing(
    billing: Invoke, tmp_path: Path
) -> None:
    text = USAGE + "u-3,C-NOPE,api_calls,5,2026-10-01T00:00:00Z\n"
    result = billing("usage", "import", _usage_file(tmp_path, text))
    assert result.exit_code == 1
    assert "customer 'C-NOPE' (first in record 'u-3') is not in the book" in result.stderr
    again = json.loads(billing("usage", "import", _usage_file(tmp_path), fmt="json").stdout)
    assert again["imported"] == 2  # nothing of the bad file was imported


def test_contract_with_an_unknown_or_foreign_rate_card_is_refused(billing: Invoke) -> None:
    base = ["contract", "add", "K-9", "--customer", "C-US-1", "--start", "2026-10-01"]
    unknown = billing(*base, "--ratecard", "nope", "--recurring", "platform")
    assert unknown.exit_code == 1
    assert "rate card nope not found; import it first" in unknown.stderr
    foreign = billing(*base, "--ratecard", "saas-2026", "--currency", "EUR", "--recurring", "x")
    assert foreign.exit_code == 1
    assert "a rate card in EUR (it prices in USD)" in foreign.stderr


def test_usage_import_warns_of_a_known_id_with_other_content(
    billing: Invoke, tmp_path: Path
) -> None:
    billing("usage", "import", _usage_file(tmp_path))
    resent = USAGE.replace("u-2,C-US-1,api_calls,30000", "u-2,C-US-1,api_calls,35000")
    again = billing("usage", "import", _usage_file(tmp_path, resent), fmt="json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["conflicts"] == 1
    assert "1 usage records reuse an id already imported with other content" in again.stderr
    assert "u-2" in again.stderr
