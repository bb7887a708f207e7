"""Spreadsheets from the CLI: XLSX with typed cells, CSV with a BOM, amounts in major units.

What a controller checks when the aging or an export opens in Excel: amounts are numbers
in their currency's format (JPY 0 decimals, MXN 2, KWD 3) next to the currency, dates
are dates, the header is frozen and filterable, "México" is not garbled.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, draft_invoice

openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra (openpyxl) is not installed")


def _sheet(path: Path, index: int = 0) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


def _formats(path: Path, row: int) -> list[str]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [cell.number_format for cell in sheet[row]]


def _add_jpy_and_kwd(book: Invoke, book_path: Path) -> None:
    for cid, country, currency in (("C-JP-1", "JP", "JPY"), ("C-KW-1", "KW", "KWD")):
        args = ["customer", "add", cid, "--name", f"{country} Co", "--country", country]
        assert book(*args, "--currency", currency).exit_code == 0
    draft_invoice(book_path, "D-3", "C-JP-1", [("setup", "1", "1000")])
    draft_invoice(book_path, "D-4", "C-KW-1", [("setup", "1", "12.345")])
    assert book("invoice", "issue", "D-3", "--date", "2026-10-06").exit_code == 0
    assert book("invoice", "issue", "D-4", "--date", "2026-10-07").exit_code == 0


def test_aging_as_xlsx_has_amounts_as_numbers_in_each_currencys_format(
    issued: Invoke, book_path: Path, tmp_path: Path
) -> None:
    _add_jpy_and_kwd(issued, book_path)
    out = tmp_path / "aging.xlsx"
    result = issued("report", "aging", "--as-of", "2026-12-15", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = _sheet(out)
    assert rows[0] == [
        "customer", "currency", "current", "1-30", "31-60", "61-90", "90+",
        "disputed", "unapplied",
    ]  # fmt: skip
    by_customer = {(r[0], r[1]): r for r in rows[1:]}
    # Due 2026-10-31, -11-04, -11-05, -11-06 (net 30): 45, 41, 40 and 39 days late.
    assert by_customer["C-US-1", "USD"][4] == pytest.approx(1855.99)
    assert by_customer["C-MX-1", "MXN"][4] == 1740
    assert by_customer["C-JP-1", "JPY"][4] == 1160
    assert by_customer["C-KW-1", "KWD"][4] == pytest.approx(14.320)
    assert all(isinstance(v, int | float) for r in rows[1:] for v in r[2:])
    formats = {rows[i][1]: _formats(out, i + 1)[4] for i in range(1, len(rows))}
    assert formats == {"JPY": "#,##0", "MXN": "#,##0.00", "USD": "#,##0.00", "KWD": "#,##0.000"}
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{len(rows)}"
    assert sheet.column_dimensions["A"].width >= len("customer")


def test_xlsx_cells_keep_dates_as_dates_and_text_never_runs_as_a_formula(
    book: Invoke, tmp_path: Path
) -> None:
    args = ["customer", "add", "C-EVIL", "--name", "=HYPERLINK(1)", "--country", "US"]
    assert book(*args, "--currency", "USD").exit_code == 0
    out = tmp_path / "customers.xlsx"
    assert book("customer", "list", "--format", "xlsx", "-o", str(out)).exit_code == 0
    rows = _sheet(out)
    evil = next(r for r in rows if r[0] == "C-EVIL")
    assert evil[rows[0].index("name")] == "=HYPERLINK(1)"
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cell = sheet.cell(row=rows.index(evil) + 1, column=rows[0].index("name") + 1)
    assert cell.data_type == "s"


def test_xlsx_to_a_terminal_is_refused_with_a_clear_message(issued: Invoke) -> None:
    result = issued("report", "aging", "--format", "xlsx")
    assert result.exit_code == 2
    assert "give -o FILE.xlsx" in result.stderr
    assert result.stdout == ""


def test_xlsx_without_the_extra_is_one_line_naming_it(
    issued: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = issued("report", "aging", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: XLSX needs openpyxl, which is not installed; "
        "install the xlsx extra: pip install 'o2c[xlsx]'"
    ]


def test_csv_with_bom_keeps_mexico_readable_in_excel(issued: Invoke, tmp_path: Path) -> None:
    result = issued("customer", "list", "--format", "csv", "--bom")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert "Tortillería" in result.stdout_bytes.decode("utf-8-sig")
    plain = issued("customer", "list", "--format", "csv")
    assert not plain.stdout_bytes.startswith(b"\xef\xbb\xbf")
    out = tmp_path / "customers.csv"
    assert issued("export", "customers", "--bom", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,")


def test_the_bom_can_be_a_users_default_through_the_environment(
    issued: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("O2C_CSV_BOM", "1")
    assert issued("customer", "list", "--format", "csv").stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert not issued("customer", "list", "--format", "csv", "--no-bom").stdout_bytes.startswith(
        b"\xef\xbb\xbf"
    )


def test_an_empty_aging_still_prints_its_header(book: Invoke) -> None:
    result = book("report", "aging", "--as-of", "2026-12-15", fmt="csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "customer,currency,current,1-30,31-60,61-90,90+,disputed,unapplied"
    ]


def test_an_empty_customer_list_prints_its_header(o2c: Invoke) -> None:
    assert o2c("init").exit_code == 0
    result = o2c("customer", "list", fmt="csv")
    assert result.stdout.splitlines() == ["id,name,country,currency,tax_id,terms,locale,time_zone"]


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (("payment", "list"), "id,customer,date,amount.amount,amount.currency,method,reference"),
        (("order", "list"), "id,customer,order_date,delivery,contract,lines,invoice"),
        (("period", "list"), "period,status,changed_by,changed_at"),
        (("report", "trial-balance"), "account,name,currency,balance.amount,balance.currency"),
    ],
    ids=" ".join,
)
def test_empty_lists_print_the_header_they_print_with_rows(
    o2c: Invoke, command: tuple[str, ...], header: str
) -> None:
    assert o2c("init").exit_code == 0
    result = o2c(*command, fmt="csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [header]


def test_an_empty_payment_list_header_matches_a_full_one(issued: Invoke) -> None:
    empty = issued("payment", "list", fmt="csv").stdout.splitlines()[0]
    args = ("payment", "record", "--customer", "C-US-1", "--amount", "100.00 USD")
    assert issued(*args).exit_code == 0
    assert issued("payment", "list", fmt="csv").stdout.splitlines()[0] == empty


def test_the_statement_csv_has_one_amount_column(issued: Invoke) -> None:
    args = ("report", "statement", "C-US-1", "--from", "2026-10-01", "--to", "2026-10-31")
    result = issued(*args, fmt="csv")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header == [
        "date", "what", "amount.amount", "amount.currency", "balance.amount", "balance.currency"
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[1]["amount.amount"] == "1855.99"
    assert rows[-1]["what"] == "closing balance"


def test_a_list_writes_to_a_file_and_refuses_to_replace_it_without_force(
    issued: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "customers.csv"
    assert issued("customer", "list", "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,name,")
    again = issued("customer", "list", "--format", "csv", "-o", str(out))
    assert again.exit_code == 1
    assert "exists; pass --force" in again.stderr
    forced = issued("customer", "list", "--format", "csv", "-o", str(out), "--force")
    assert forced.exit_code == 0


def test_export_writes_amounts_in_major_units_beside_the_stored_minor_units(
    issued: Invoke, book_path: Path
) -> None:
    _add_jpy_and_kwd(issued, book_path)
    rows = list(csv.DictReader(io.StringIO(issued("export", "documents").stdout)))
    got = {r["number"]: (r["currency"], r["payable_minor"], r["payable"]) for r in rows}
    assert got == {
        "INV-2026-000001": ("USD", "185599", "1855.99"),
        "INV-2026-000002": ("MXN", "174000", "1740.00"),
        "INV-2026-000003": ("JPY", "1160", "1160"),
        "INV-2026-000004": ("KWD", "14320", "14.320"),
    }
    header = next(csv.reader(io.StringIO(issued("export", "document_lines").stdout)))
    assert header[header.index("net_minor") + 1] == "net"
    assert header[-1] == "currency"  # from the line's document
    stored = next(csv.reader(io.StringIO(issued("export", "documents", "--as-stored").stdout)))
    assert "payable" not in stored
    assert "payable_minor" in stored


def test_export_filters_by_date_and_customer(issued: Invoke) -> None:
    def numbers(*args: str) -> list[str]:
        result = issued("export", "documents", *args)
        assert result.exit_code == 0, result.stderr
        return sorted(r["number"] for r in csv.DictReader(io.StringIO(result.stdout)))

    assert numbers("--from", "2026-10-02") == ["INV-2026-000002"]
    assert numbers("--to", "2026-10-01") == ["INV-2026-000001"]
    assert numbers("--from", "2026-10-01", "--to", "2026-10-05") == [
        "INV-2026-000001",
        "INV-2026-000002",
    ]
    assert numbers("--customer", "C-MX-1") == ["INV-2026-000002"]
    assert numbers("--customer", "nobody") == []
    empty = issued("export", "documents", "--customer", "nobody").stdout
    assert empty.startswith("id,kind,status,")  # the header of an empty export
    refused = issued("export", "currencies", "--from", "2026-10-01")
    assert refused.exit_code == 1
    assert "date column" in refused.stderr


def test_export_as_xlsx_types_amounts_and_dates(issued: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "documents.xlsx"
    result = issued("export", "documents", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = _sheet(out)
    header = rows[0]
    first = next(r for r in rows[1:] if r[header.index("number")] == "INV-2026-000002")
    assert first[header.index("payable")] == 1740
    assert first[header.index("payable_minor")] == 174000
    assert first[header.index("currency")] == "MXN"
    assert first[header.index("issue_date")] == dt.datetime(2026, 10, 5)
    at = header.index("payable") + 1
    assert _formats(out, rows.index(first) + 1)[at - 1] == "#,##0.00"
