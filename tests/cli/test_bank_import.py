"""``o2c payment import``: bank statements (CSV, camt.053) matched and applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, book_dump

CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt><Stmt><Id>S1</Id>
  <Ntry><Amt Ccy="USD">1855.99</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <BookgDt><Dt>2026-11-03</Dt></BookgDt><ValDt><Dt>2026-11-03</Dt></ValDt>
   <AcctSvcrRef>CAMT-1</AcctSvcrRef>
   <NtryDtls><TxDtls><RmtInf><Ustrd>INV-2026-000001</Ustrd></RmtInf></TxDtls></NtryDtls>
  </Ntry>
 </Stmt></BkToCstmrStmt>
</Document>
"""


def test_bank_csv_is_matched_applied_and_imported_once(issued: Invoke, tmp_path: Path) -> None:
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "date,amount,currency,reference,remittance\n"
        "2026-11-03,1855.99,USD,TX-1,Payment INV-2026-000001\n"
        "2026-11-04,1740.00,MXN,TX-2,\n"
        "2026-11-05,12.34,USD,TX-3,who knows\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), fmt="json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recorded"] == 2
    assert [(m["reference"], m["customer"], m["invoices"]) for m in report["matched"]] == [
        ("TX-1", "C-US-1", ["INV-2026-000001"]),  # by the invoice number in the remittance
        ("TX-2", "C-MX-1", ["INV-2026-000002"]),  # by the exact open amount
    ]
    assert [u["reference"] for u in report["unmatched"]] == ["TX-3"]
    aging = json.loads(issued("report", "aging", "--as-of", "2026-11-30", fmt="json").stdout)
    assert aging["rows"] == []  # both invoices paid
    again = json.loads(issued("payment", "import", str(bank), fmt="json").stdout)
    assert (again["recorded"], again["already_imported"]) == (0, 2)


def test_camt053_statement_is_imported(issued: Invoke, tmp_path: Path) -> None:
    statement = tmp_path / "statement.xml"
    statement.write_text(CAMT, encoding="utf-8")
    result = issued("payment", "import", str(statement), fmt="json")
    assert result.exit_code == 0, result.stderr
    matched = json.loads(result.stdout)["matched"][0]
    assert matched["invoices"] == ["INV-2026-000001"]
    assert matched["rule"] == "invoice_number"  # which rule matched the line


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.csv", "date,amount,reference\n2026-13-01,ten,\n"),
        ("bad.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
        ("bad2.xml", "<not-closed>"),
        ("bad.json", '{"payments": [}'),
    ],
)
def test_malformed_bank_file_imports_nothing(
    issued: Invoke, book_path: Path, tmp_path: Path, name: str, content: str
) -> None:
    file = tmp_path / name
    file.write_text(content, encoding="utf-8")
    before = book_dump(book_path)
    result = issued("payment", "import", str(file))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {name}: ")
    assert "Traceback" not in result.stderr
    assert book_dump(book_path) == before


def test_a_line_naming_a_customer_reference_is_applied_to_its_oldest_items(
    issued: Invoke, tmp_path: Path
) -> None:
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "date,amount,currency,reference,remittance\n"
        "2026-11-03,1000.00,USD,TX-7,pago VAN5512 acme\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), "--customer-ref", "VAN5512=C-US-1", fmt="json")
    assert result.exit_code == 0, result.stderr
    matched = json.loads(result.stdout)["matched"]
    assert [(m["customer"], m["rule"], m["invoices"]) for m in matched] == [
        ("C-US-1", "customer_reference, oldest due first", ["INV-2026-000001"])
    ]
    bad = issued("payment", "import", str(bank), "--customer-ref", "VAN5512")
    assert bad.exit_code == 2
    assert "REF=CUSTOMER" in bad.stderr


def test_a_bank_line_quoting_the_invoice_payment_reference_is_matched_to_it(
    issued: Invoke, tmp_path: Path
) -> None:
    from o2c.billing import payment_reference_printed

    bank = tmp_path / "bank.csv"
    reference = payment_reference_printed("INV-2026-000001")  # RF.. INV2 0260 0000 1
    bank.write_text(
        f"date,amount,currency,reference,remittance\n2026-11-03,100.00,USD,TX-RF,{reference}\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), fmt="json")
    assert result.exit_code == 0, result.stderr
    [matched] = json.loads(result.stdout)["matched"]
    assert matched["invoices"] == ["INV-2026-000001"]
    assert matched["rule"] == "invoice_number"


def test_bank_statement_in_a_closed_month_is_refused_and_changes_nothing(
    issued: Invoke, book_path: Path, tmp_path: Path
) -> None:
    assert issued("period", "close", "2026-10").exit_code == 0
    bank = tmp_path / "october.csv"
    bank.write_text(
        "date,amount,currency,reference,remittance\n"
        "2026-10-30,1855.99,USD,TX-1,Payment INV-2026-000001\n"
        "2026-10-31,12.34,USD,TX-3,who knows\n",
        encoding="utf-8",
    )
    before = book_dump(book_path)
    result = issued("payment", "import", str(bank))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: bank statement refused, nothing recorded: 2 lines are dated in a closed "
        "period: october.csv row 2 (TX-1, 2026-10-30, 1855.99 USD) is in 2026-10; "
        "october.csv row 3 (TX-3, 2026-10-31, 12.34 USD) is in 2026-10; reopen the period "
        "or record those payments in an open month\n"
    )
    assert "payments recorded" not in result.stdout
    assert book_dump(book_path) == before


def test_bank_line_in_another_currency_than_its_customer_is_listed_not_recorded(
    issued: Invoke, tmp_path: Path
) -> None:
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "date,amount,currency,reference,remittance,payer_reference\n"
        "2026-11-03,100.00,USD,TX-9,transfer,TORTI-1\n",
        encoding="utf-8",
    )
    result = issued("payment", "import", str(bank), "--customer-ref", "TORTI-1=C-MX-1", fmt="json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recorded"] == 0
    assert report["unmatched"] == [
        {
            "reference": "TX-9",
            "reason": "not recorded: 100.00 USD from customer C-MX-1 is in USD, but C-MX-1 is "
            "billed in MXN; o2c has no currency conversion (FX) yet: record the payment in MXN",
        }
    ]
    assert json.loads(issued("payment", "list", fmt="json").stdout) == []
