"""``o2c customer import`` and ``o2c contract import``: a whole file or nothing.

A billing specialist moving from a spreadsheet: the file may be comma or semicolon
separated (Excel in a Spanish or German locale), carry a BOM, or be an XLSX; every bad
row is reported at once with its line, column and value, and the book is unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, book_dump

GOOD = (
    "id,name,country,currency,tax_id,terms,city,locale,time_zone,credit_limit,po_required\n"
    "C-MX-9,Panadería México SA de CV,MX,MXN,PME010101AB1,net 15,Monterrey,es_MX,"
    "America/Monterrey,50000,yes\n"
    "C-US-9,Widgets LLC,US,USD,,eom+15,Austin,en_US,America/Chicago,,\n"
)


def _write(tmp_path: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _customer(book: Invoke, cid: str) -> dict[str, object]:
    result = book("customer", "show", cid, fmt="json")
    assert result.exit_code == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_a_good_customer_file_adds_every_customer(book: Invoke, tmp_path: Path) -> None:
    result = book("customer", "import", str(_write(tmp_path, "c.csv", GOOD)), fmt="json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "customers": 2, "file": "c.csv", "ids": ["C-MX-9", "C-US-9"],
    }  # fmt: skip
    mx = _customer(book, "C-MX-9")
    assert mx["legal_name"] == "Panadería México SA de CV"
    assert mx["currency"] == "MXN"
    assert mx["payment_terms"] == "net 15"
    assert mx["credit_limit"] == {"amount": "50000.00", "currency": "MXN"}
    assert mx["po_required"] is True
    assert mx["time_zone"] == "America/Monterrey"
    assert _customer(book, "C-US-9")["payment_terms"] == "eom+15"


def test_three_bad_rows_are_all_reported_and_the_book_is_unchanged(
    book: Invoke, book_path: Path, tmp_path: Path
) -> None:
    bad = (
        "id,name,country,currency,terms\n"
        "C-OK-1,Fine Ltd,US,USD,net 30\n"
        "C-BAD-1,Bad Currency,US,USX,net 30\n"
        "C-BAD-2,,US,USD,net 30\n"
        "C-BAD-3,Bad Terms,US,USD,net thirty\n"
        "C-OK-2,Also Fine,US,USD,\n"
    )
    before = book_dump(book_path)
    result = book("customer", "import", str(_write(tmp_path, "bad.csv", bad)))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Error: bad.csv: 3 problems; nothing was imported"
    assert lines[1].startswith("  line 3: currency: expected a known ISO 4217")
    assert lines[1].endswith("got 'USX'")
    assert lines[2] == "  line 4: name: a value is needed (the cell is empty)"
    assert lines[3].startswith("  line 5: terms: expected ")
    assert lines[3].endswith("got 'net thirty'")
    assert book_dump(book_path) == before
    assert "Traceback" not in result.stderr


def test_existing_and_repeated_ids_are_problems_of_their_rows(book: Invoke, tmp_path: Path) -> None:
    text = "id,name,country,currency\nC-MX-1,Again,MX,MXN\nC-N,New,US,USD\nC-N,Twice,US,USD\n"
    result = book("customer", "import", str(_write(tmp_path, "dup.csv", text)))
    assert result.exit_code == 1
    assert "line 2: id: customer 'C-MX-1' exists already in the book" in result.stderr
    assert "line 4: id: 'C-N' repeats line 3" in result.stderr


def test_a_semicolon_file_with_a_bom_from_excel_imports(book: Invoke, tmp_path: Path) -> None:
    semicolon = GOOD.replace(",", ";")
    path = _write(tmp_path, "excel.csv", "\ufeff" + semicolon)
    result = book("customer", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert _customer(book, "C-MX-9")["legal_name"] == "Panadería México SA de CV"
    assert _customer(book, "C-US-9")["currency"] == "USD"


def test_an_unknown_column_is_named_instead_of_ignored(book: Invoke, tmp_path: Path) -> None:
    text = "id,name,country,curency\nC-X,X,US,USD\n"
    result = book("customer", "import", str(_write(tmp_path, "typo.csv", text)))
    assert result.exit_code == 1
    assert "missing currency (the header has: id, name, country, curency" in result.stderr
    assert "unknown column 'curency'" in result.stderr


def test_an_xlsx_file_imports_like_a_csv(book: Invoke, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Name", "Country", "Currency", "Credit_Limit", "PO_Required"])
    sheet.append(["C-XL-1", "Hoja de Cálculo SA", "MX", "MXN", 1250.5, True])
    sheet.append(["C-XL-2", "Sheet Inc", "US", "USD", None, False])
    path = tmp_path / "customers.xlsx"
    workbook.save(path)
    result = book("customer", "import", str(path))
    assert result.exit_code == 0, result.stderr
    first = _customer(book, "C-XL-1")
    assert first["credit_limit"] == {"amount": "1250.50", "currency": "MXN"}
    assert first["po_required"] is True
    assert _customer(book, "C-XL-2")["po_required"] is False


def test_a_customer_import_is_idempotent_with_its_key(
    book: Invoke, book_path: Path, tmp_path: Path
) -> None:
    path = _write(tmp_path, "c.csv", GOOD)
    first = book("customer", "import", str(path), "--idempotency-key", "crm-2026-10")
    assert first.exit_code == 0, first.stderr
    after = book_dump(book_path)
    again = book("customer", "import", str(path), "--idempotency-key", "crm-2026-10")
    assert again.exit_code == 0, again.stderr
    assert book_dump(book_path) == after


CONTRACTS = (
    "contract;customer;ratecard;start;kind;item;quantity;timing;po\n"
    "K-US-2;C-US-1;saas-2026;2026-10-01;recurring;platform;;arrears;PO-7\n"
    "K-US-2;;;;recurring;seats;25;;\n"
    "K-US-2;;;;usage;api_calls;;;\n"
    "K-US-3;C-US-1;saas-2026;2026-11-01;recurring;seats;3;;\n"
)


def test_contracts_import_one_row_per_line_grouped_by_contract(
    billing: Invoke, tmp_path: Path
) -> None:
    result = billing("contract", "import", str(_write(tmp_path, "k.csv", CONTRACTS)))
    assert result.exit_code == 0, result.stderr
    shown = json.loads(billing("contract", "show", "K-US-2", fmt="json").stdout)
    [version] = shown["versions"]
    assert [(line["id"], line["kind"], line["quantity"]) for line in version["lines"]] == [
        ("platform", "recurring", "1"),
        ("seats", "recurring", "25"),
        ("usage:api_calls", "usage", "1"),
    ]
    assert version["timing"] == "arrears"
    assert version["po_number"] == "PO-7"
    assert version["currency"] == "USD"
    other = json.loads(billing("contract", "show", "K-US-3", fmt="json").stdout)
    assert other["versions"][0]["effective_from"] == "2026-11-01"


def test_bad_contract_rows_are_all_reported_and_nothing_is_added(
    billing: Invoke, book_path: Path, tmp_path: Path
) -> None:
    bad = (
        "contract,customer,ratecard,start,kind,item,quantity\n"
        "K-A,C-US-1,saas-2026,2026-10-01,recurring,platform,\n"
        "K-A,C-MX-1,,,recurring,seats,x\n"
        "K-B,C-404,saas-2026,2026-10-01,recurring,platform,\n"
        "K-C,C-US-1,no-such-card,2026-10-01,seat,platform,\n"
        "K-D,C-US-1,saas-2026,2026-10-01,recurring,platform,\n"
    )
    before = book_dump(book_path)
    result = billing("contract", "import", str(_write(tmp_path, "k.csv", bad)))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Error: k.csv: 5 problems; nothing was imported"
    assert lines[1:3] == [
        "  line 3: customer: 'C-MX-1' differs from 'C-US-1' on line 2 (same contract)",
        "  line 3: quantity: expected a decimal number such as '1234.50', got 'x'",
    ]
    assert lines[3] == "  line 4: customer: 'C-404' is not a customer of the book"
    assert lines[4].startswith("  line 5: ")
    assert "ratecard: 'no-such-card'" in result.stderr
    assert "kind: expected one of recurring, usage, time, got 'seat'" in result.stderr
    assert book_dump(book_path) == before


def test_usage_in_a_semicolon_file_is_read_not_refused(billing: Invoke, tmp_path: Path) -> None:
    text = (
        "id;customer;item;quantity;timestamp\nu-1;C-US-1;api_calls;1250;2026-10-15T10:00:00-05:00\n"
    )
    result = billing("usage", "import", str(_write(tmp_path, "usage.csv", text)))
    assert result.exit_code == 0, result.stderr


def test_contracts_from_xlsx_import_and_a_retry_with_the_key_changes_nothing(
    billing: Invoke, book_path: Path, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header, *rows = [line.split(";") for line in CONTRACTS.splitlines()]
    sheet.append(header)
    for row in rows:
        cells: list[object] = [cell or None for cell in row]
        if row[3]:
            cells[3] = dt.date.fromisoformat(row[3])  # a real date cell, as Excel stores it
        if row[6]:
            cells[6] = int(row[6])
        sheet.append(cells)
    path = tmp_path / "contracts.xlsx"
    workbook.save(path)
    first = billing("contract", "import", str(path), "--idempotency-key", "k-2026-10")
    assert first.exit_code == 0, first.stderr
    shown = json.loads(billing("contract", "show", "K-US-2", fmt="json").stdout)
    assert shown["versions"][0]["effective_from"] == "2026-10-01"
    assert shown["versions"][0]["lines"][1]["quantity"] == "25"
    after = book_dump(book_path)
    again = billing("contract", "import", str(path), "--idempotency-key", "k-2026-10")
    assert again.exit_code == 0, again.stderr
    assert book_dump(book_path) == after
    other_key = billing("contract", "import", str(path), "--idempotency-key", "k-other")
    assert other_key.exit_code == 1
    assert "line 2: contract: 'K-US-2' exists already in the book" in other_key.stderr


def test_imported_customers_take_their_email_and_their_countrys_locale(
    book: Invoke, tmp_path: Path
) -> None:
    text = (
        "id,name,country,currency,email\n"
        "C-MX-7,Siete SA,MX,MXN,cobranza@siete.mx\n"
        "C-MX-8,Ocho SA,MX,MXN,not-an-address\n"
    )
    bad = book("customer", "import", str(_write(tmp_path, "mail.csv", text)))
    assert bad.exit_code == 1
    assert "line 3: email: expected an e-mail address" in bad.stderr
    good = book("customer", "import", str(_write(tmp_path, "ok.csv", text.rsplit("C-MX-8")[0])))
    assert good.exit_code == 0, good.stderr
    shown = _customer(book, "C-MX-7")
    assert shown["locale"] == "es_MX"
    assert shown["delivery"]["recipients"] == ["cobranza@siete.mx"]  # type: ignore[index]
