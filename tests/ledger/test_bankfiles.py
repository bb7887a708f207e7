"""Bank statement imports: CSV with every problem named, camt.053 parsed safely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from o2c.ledger import parse_bank_csv, parse_camt053

DATA = Path(__file__).parent / "data"


def test_csv_rows_parse_into_bank_lines_with_signed_amounts() -> None:
    text = (
        "Date,Amount,Currency,Reference,Remittance,Payer\n"
        "2026-11-03,116.00,USD,TX1,INV-2026-000001,Acme\n"
        "2026-11-03,-5.00,USD,TX2,fee,\n"
        "\n"
        "2026-11-04,1000,JPY,TX3,,\n"
    )
    result = parse_bank_csv(text, "nov.csv")
    assert result.ok
    assert [(ln.row, ln.date, str(ln.amount), ln.reference) for ln in result.lines] == [
        (2, dt.date(2026, 11, 3), "116.00 USD", "TX1"),
        (3, dt.date(2026, 11, 3), "-5.00 USD", "TX2"),
        (5, dt.date(2026, 11, 4), "1000 JPY", "TX3"),
    ]
    assert result.lines[0].payer == "Acme"


def test_csv_errors_name_file_row_and_field_and_are_all_reported() -> None:
    text = (
        "date,amount,reference\n"
        "2026-13-01,10.00,TX1\n"
        "2026-11-01,1.234,TX2\n"
        "2026-11-01,12.5.0,\n"
        "2026-11-01,3.00,TX4\n"
        "2026-11-02,4.00,TX4\n"
        "2026-11-02,0.1e1,TX6\n"
    )
    result = parse_bank_csv(text, "bad.csv", currency="USD")
    assert [str(p) for p in result.problems] == [
        "bad.csv: row 2: date: a date YYYY-MM-DD, got '2026-13-01'",
        "bad.csv: row 3: amount: at most 2 decimals for USD, got '1.234'",
        "bad.csv: row 4: amount: a decimal number such as 1234.50, got '12.5.0'",
        "bad.csv: row 4: reference: the bank's transaction reference, got ''",
        "bad.csv: row 6: reference: a reference used once (also on row 5), got 'TX4'",
    ]
    assert [ln.reference for ln in result.lines] == ["TX4", "TX6"]
    assert str(result.lines[1].amount) == "1.00 USD"


def test_csv_without_required_columns_is_refused_with_each_missing_column() -> None:
    result = parse_bank_csv("when,how much\n2026-11-01,3\n", "x.csv")
    assert [(p.row, p.field) for p in result.problems] == [
        (1, "date"),
        (1, "amount"),
        (1, "reference"),
    ]
    assert result.lines == ()


def test_csv_larger_than_the_limit_is_refused_before_parsing() -> None:
    result = parse_bank_csv("date,amount,currency,reference\n" * 10, "big.csv", max_bytes=50)
    assert [p.field for p in result.problems] == ["file"]


def test_camt053_entries_become_lines_with_references_and_remittance() -> None:
    result = parse_camt053((DATA / "camt053_sample.xml").read_bytes(), "camt.xml")
    assert [
        (ln.row, ln.date, str(ln.amount), ln.reference, ln.remittance, ln.payer)
        for ln in result.lines
    ] == [
        (
            1,
            dt.date(2026, 11, 2),
            "116.00 USD",
            "BANK-REF-001",
            "Pago factura INV-2026-000001",
            "Acme SA de CV",
        ),
        (2, dt.date(2026, 11, 3), "-30.00 USD", "BANK-REF-002", "Bank fee", ""),
        (3, dt.date(2026, 11, 3), "100.00 USD", "BATCH-1", "CUST-BETA", ""),
        (3, dt.date(2026, 11, 3), "200.00 USD", "BATCH-2", "thanks", ""),
    ]
    assert result.lines[0].payer_reference == "E2E-77"
    assert result.lines[2].payer_reference == ""
    assert [str(p) for p in result.problems] == [
        "camt.xml: row 4: Amt/@Ccy: a known ISO 4217 currency code such as 'USD' or 'MXN', "
        "got 'XXQ'"
    ]


def test_camt053_with_an_entity_bomb_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document><BkToCstmrStmt>&lol2;</BkToCstmrStmt></Document>"""
    result = parse_camt053(bomb, "bomb.xml")
    assert result.lines == ()
    assert [(p.row, p.field) for p in result.problems] == [(0, "xml")]


def test_camt053_with_an_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry></Stmt>
</BkToCstmrStmt></Document>"""
    result = parse_camt053(xxe, "xxe.xml")
    assert result.lines == ()
    assert result.problems[0].message == "XML without DTD, entities or external references"


def test_camt053_that_is_not_a_statement_or_not_xml_is_reported() -> None:
    assert parse_camt053(b"<Invoice/>", "ubl.xml").problems[0].field == "Document"
    assert parse_camt053(b"not xml", "x.xml").problems[0].message == "well-formed XML"


def test_csv_that_is_not_readable_reports_the_row_instead_of_crashing() -> None:
    text = 'date,amount,currency,reference\n2026-11-01,1.00,USD,TX1\n2026-11-01,"2.00\0,USD,TX2\n'
    result = parse_bank_csv(text, "nul.csv")
    assert [ln.reference for ln in result.lines] == ["TX1"]
    assert [(p.field, p.message) for p in result.problems] == [("file", "readable CSV")]


def test_camt053_negative_credit_is_reported_not_dropped_as_a_debit() -> None:
    text = (DATA / "camt053_sample.xml").read_text(encoding="utf-8")
    negative = text.replace('<Amt Ccy="USD">116.00</Amt>', '<Amt Ccy="USD">-116.00</Amt>', 1)
    result = parse_camt053(negative.encode(), "camt.xml")
    assert "BANK-REF-001" not in [ln.reference for ln in result.lines]
    assert next(str(p) for p in result.problems) == (
        "camt.xml: row 1: Amt: an amount of zero or more (CdtDbtInd gives the direction), "
        "got '-116.00'"
    )
