"""Bank statements as European and Mexican banks export them: ``;`` cells, decimal comma."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from o2c.ledger import parse_bank_csv
from tests.cli.conftest import Invoke, book_dump


def test_semicolon_statement_with_decimal_comma_is_matched_and_applied(
    issued: Invoke, tmp_path: Path
) -> None:
    bank = tmp_path / "banco.csv"
    bank.write_text(
        "\ufeffdate;amount;currency;reference;remittance\n"
        "2026-11-03;1.855,99;USD;TX-1;Pago INV-2026-000001, gracias\n"
        "2026-11-04;1740,00;MXN;TX-2;\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), fmt="json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recorded"] == 2
    assert [(m["reference"], m["customer"], m["invoices"]) for m in report["matched"]] == [
        ("TX-1", "C-US-1", ["INV-2026-000001"]),
        ("TX-2", "C-MX-1", ["INV-2026-000002"]),
    ]
    payments = json.loads(issued("payment", "list", fmt="json").stdout)
    assert sorted(p["amount"]["amount"] for p in payments) == ["1740.00", "1855.99"]


def test_a_bad_amount_in_a_semicolon_file_names_row_column_and_both_forms(
    issued: Invoke, tmp_path: Path, book_path: Path
) -> None:
    bank = tmp_path / "banco.csv"
    bank.write_text(
        "date;amount;currency;reference\n2026-11-03;1,855.99;USD;TX-1\n", encoding="utf-8"
    )
    before = book_dump(book_path)
    result = issued("payment", "import", str(bank))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: banco.csv: 1 problem; nothing was imported\n"
        "  row 2: amount: a decimal number such as 1234.50 or 1.234,50 (got '1,855.99')\n"
    )
    assert book_dump(book_path) == before


def test_a_comma_file_refuses_a_decimal_comma() -> None:
    text = 'date,amount,currency,reference\n2026-11-03,"1,50",USD,TX-1\n'
    result = parse_bank_csv(text, "bank.csv")
    assert result.lines == ()
    assert [(p.row, p.field, p.value) for p in result.problems] == [(2, "amount", "1,50")]


def test_a_semicolon_header_without_a_column_names_the_columns_it_read() -> None:
    result = parse_bank_csv("fecha;importe;referencia\n", "banco.csv")
    assert str(result.problems[0]) == (
        "banco.csv: row 1: date: a column of this name, got 'fecha;importe;referencia'"
    )


def _european(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{groups},{cents}"


@given(
    cents=st.integers(min_value=-(10**11), max_value=10**11).filter(lambda c: c != 0),
    delimiter=st.sampled_from([";", "\t"]),
)
def test_decimal_comma_and_decimal_point_read_the_same_amount(cents: int, delimiter: str) -> None:
    amount = Decimal(cents).scaleb(-2)
    rows = [["date", "amount", "currency", "reference"]]
    comma = [*rows, ["2026-11-03", _european(amount), "EUR", "TX-1"]]
    point = [*rows, ["2026-11-03", f"{amount:.2f}", "EUR", "TX-1"]]
    read = [
        parse_bank_csv("\n".join(delimiter.join(r) for r in table) + "\n", "b.csv")
        for table in (comma, point)
    ]
    assert [r.problems for r in read] == [(), ()]
    assert read[0].lines[0].amount == read[1].lines[0].amount
    assert read[0].lines[0].amount.amount == amount
