"""List commands: --from/--to (both included), --customer, --status, --limit, --after;
streamed CSV/JSON; documents named by number in tables (issue 23)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from o2c.book import Book
from tests.cli.conftest import Invoke, draft_invoice

# The `issued` book: INV-2026-000001 (C-US-1, issued 2026-10-01, 1,599.99 USD + 16 %) and
# INV-2026-000002 (C-MX-1, issued 2026-10-05, 1,500.00 MXN + 16 %).


def _numbers(result_stdout: str) -> list[str]:
    return [d["number"] for d in json.loads(result_stdout)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--from", "2026-10-01", "--to", "2026-10-01"), ["INV-2026-000001"]),
        (("--from", "2026-10-02", "--to", "2026-10-05"), ["INV-2026-000002"]),
        (("--to", "2026-10-04"), ["INV-2026-000001"]),
        (("--from", "2026-10-06"), []),
        (("--customer", "C-MX-1"), ["INV-2026-000002"]),
        (("--status", "issued", "--limit", "1"), ["INV-2026-000001"]),
        (("--after", "INV-2026-000001"), ["INV-2026-000002"]),
    ],
)
def test_invoice_list_filters(issued: Invoke, args: tuple[str, ...], expected: list[str]) -> None:
    result = issued("invoice", "list", *args, fmt="json")
    assert result.exit_code == 0, result.stderr
    assert _numbers(result.stdout) == expected


def test_to_before_from_is_refused_naming_the_option(issued: Invoke) -> None:
    result = issued("invoice", "list", "--from", "2026-10-05", "--to", "2026-10-01")
    assert result.exit_code == 1
    assert result.stderr == "Error: end: expected a day on or after 2026-10-05, got '2026-10-01'\n"
    assert issued("invoice", "list", "--limit", "0").exit_code == 2


def test_payment_list_pages_and_dates(issued: Invoke) -> None:
    for day, pid in (("2026-10-20", "P-1"), ("2026-10-21", "P-2"), ("2026-10-22", "P-3")):
        args = ("--customer", "C-US-1", "--amount", "10", "--date", day, "--id", pid)
        assert issued("payment", "record", *args).exit_code == 0
    page = json.loads(issued("payment", "list", "--limit", "2", fmt="json").stdout)
    assert [p["id"] for p in page] == ["P-1", "P-2"]
    rest = json.loads(issued("payment", "list", "--after", "P-2", fmt="json").stdout)
    assert [p["id"] for p in rest] == ["P-3"]
    dated = issued("payment", "list", "--from", "2026-10-21", "--to", "2026-10-21", fmt="json")
    assert [(p["id"], p["date"]) for p in json.loads(dated.stdout)] == [("P-2", "2026-10-21")]


def test_the_invoice_table_names_documents_by_number_json_keeps_the_id(
    issued: Invoke, book_path: Path
) -> None:
    draft_invoice(book_path, "D-3", "C-US-1", [("setup", "1", "10")])
    table = issued("invoice", "list").stdout.splitlines()
    assert table[0].split() == [
        "number", "kind", "status", "customer", "issue_date", "due_date", "net", "tax", "payable"
    ]  # fmt: skip
    assert table[2].startswith("INV-2026-000001  invoice  issued  C-US-1    2026-10-01")
    assert table[4].startswith("(draft D-3)      invoice  draft   C-US-1")
    assert "D-1" not in "\n".join(table)
    as_json = json.loads(issued("invoice", "list", fmt="json").stdout)
    assert [(d["id"], d["number"]) for d in as_json] == [
        ("D-1", "INV-2026-000001"), ("D-2", "INV-2026-000002"), ("D-3", "(draft D-3)")
    ]  # fmt: skip


def test_allocations_name_the_invoice_by_number(issued: Invoke) -> None:
    args = ("--customer", "C-US-1", "--amount", "100", "--date", "2026-10-20", "--apply")
    assert issued("payment", "record", *args).exit_code == 0
    table = issued("payment", "allocations").stdout.splitlines()
    assert table[0].split() == [
        "id", "source", "document", "customer", "date", "amount", "undone_by"
    ]  # fmt: skip
    assert " INV-2026-000001 " in table[2]
    [record] = json.loads(issued("payment", "allocations", fmt="json").stdout)
    assert (record["document"], record["document_id"]) == ("INV-2026-000001", "D-1")


def test_streamed_csv_and_json_equal_the_whole_list(
    issued: Invoke, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3, 9):
        draft_invoice(book_path, f"D-{n}", "C-US-1", [("setup", str(n), "10")])
    whole_json = json.loads(issued("invoice", "list", fmt="json").stdout)
    whole_csv = issued("invoice", "list", fmt="csv").stdout
    from o2c.book import _lookups

    monkeypatch.setattr(_lookups, "_PAGE", 3)  # pages of three documents, not 500
    paged_json = issued("invoice", "list", fmt="json")
    assert json.loads(paged_json.stdout) == whole_json
    assert issued("invoice", "list", fmt="csv").stdout == whole_csv
    rows = list(csv.DictReader(io.StringIO(whole_csv)))
    assert len(rows) == 8
    assert rows[0]["number"] == "INV-2026-000001"
    assert rows[0]["payable.amount"] == "1855.99"
    assert rows[7]["net.amount"] == "80.00"


def test_an_empty_streamed_list_is_valid_json_and_a_csv_header(o2c: Invoke) -> None:
    assert o2c("init").exit_code == 0
    assert o2c("invoice", "list", fmt="json").stdout == "[]\n"
    assert o2c("invoice", "list", fmt="csv").stdout.splitlines() == [
        "number,kind,status,customer,issue_date,due_date,net.amount,net.currency,"
        "tax.amount,tax.currency,payable.amount,payable.currency"
    ]


def test_iter_documents_yields_every_document_in_creation_order(
    book_path: Path, issued: Invoke
) -> None:
    for n in range(3, 8):
        draft_invoice(book_path, f"D-{n}", "C-US-1", [("setup", "1", "10")])
    with Book.open(book_path, actor="ana") as book:
        assert [d.id for d in book.iter_documents()] == [f"D-{n}" for n in range(1, 8)]


def test_writeoff_list_filters_by_date_and_names_the_invoice(issued: Invoke) -> None:
    for amount, day in (("100", "2026-11-01"), ("50", "2026-11-15")):
        args = ("writeoff", "request", "INV-2026-000002", "--amount", amount, "--date", day)
        done = issued(*args)
        assert done.exit_code == 0, done.stderr
    later = json.loads(issued("writeoff", "list", "--from", "2026-11-02", fmt="json").stdout)
    assert [(w["date"], w["amount"]["amount"]) for w in later] == [("2026-11-15", "50.00")]
    assert (later[0]["document"], later[0]["document_id"]) == ("INV-2026-000002", "D-2")
    first = json.loads(issued("writeoff", "list", "--limit", "1", fmt="json").stdout)
    assert [w["date"] for w in first] == ["2026-11-01"]
    table = issued("writeoff", "list", "--to", "2026-11-01").stdout.splitlines()
    assert len(table) == 3
    assert "INV-2026-000002" in table[2]


def test_refund_list_filters_by_paid_day(issued: Invoke) -> None:
    args = ("--customer", "C-US-1", "--amount", "100", "--date", "2026-10-20", "--id", "P-9")
    assert issued("payment", "record", *args).exit_code == 0
    for amount, day in (("10", "2026-10-21"), ("20", "2026-10-25")):
        paid = issued("refund", "request", "P-9", "--amount", amount, "--reason", "overpaid",
                      "--date", day)  # fmt: skip
        assert paid.exit_code == 0, paid.stderr
    listed = issued("refund", "list", "--from", "2026-10-22", "--to", "2026-10-31", fmt="json")
    assert [r["amount"]["amount"] for r in json.loads(listed.stdout)] == ["20.00"]
    assert len(json.loads(issued("refund", "list", "--limit", "1", fmt="json").stdout)) == 1
