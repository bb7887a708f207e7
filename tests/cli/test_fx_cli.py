"""``o2c fx`` and ``o2c period revalue`` (issue 19): exit codes, output, the book after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from o2c.book import Book
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.cli.conftest import Invoke

ECB = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
 xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time="2026-10-30"><Cube currency="USD" rate="1.0850"/>
<Cube currency="MXN" rate="20.1234"/></Cube></Cube></gesmes:Envelope>"""


def test_fx_set_import_list_and_rate(o2c: Invoke, tmp_path: Path) -> None:
    assert o2c("init").exit_code == 0
    done = o2c("fx", "set", "usd/mxn", "18.2345", "--date", "2026-10-30", "--type", "DOF-FIX")
    assert done.exit_code == 0, done.stderr
    ecb = tmp_path / "eurofxref-daily.xml"
    ecb.write_bytes(ECB)
    imported = o2c("fx", "import", str(ecb), fmt="json")
    assert imported.exit_code == 0, imported.stderr
    assert json.loads(imported.stdout) == {"file": "eurofxref-daily.xml", "imported": 2}
    rows = json.loads(o2c("fx", "list", fmt="json").stdout)
    assert [(r["pair"], r["rate_type"], r["rate"]) for r in rows] == [
        ("EUR/MXN", "ECB", "20.1234"),
        ("EUR/USD", "ECB", "1.0850"),
        ("USD/MXN", "DOF-FIX", "18.2345"),
    ]
    cross = json.loads(
        o2c("fx", "show", "USD/MXN", "--date", "2026-10-31", "--type", "ECB", fmt="json").stdout
    )
    assert cross["how"] == "cross via EUR"
    assert cross["rate"] == "18.546912442396"


def test_a_missing_rate_and_a_bad_file_are_one_line_errors(o2c: Invoke, tmp_path: Path) -> None:
    assert o2c("init").exit_code == 0
    missing = o2c("fx", "show", "USD/MXN", "--date", "2026-10-31")
    assert missing.exit_code == 1
    assert "no BOOK rate for USD/MXN on or before 2026-10-31" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = tmp_path / "rates.csv"
    bad.write_text("date,base,quote,rate\n2026-10-01,USD,MXN,-1\n", encoding="utf-8")
    refused = o2c("fx", "import", str(bad))
    assert refused.exit_code == 1
    assert "rates.csv:2" in refused.stderr
    assert json.loads(o2c("fx", "list", fmt="json").stdout) == []
    pair = o2c("fx", "set", "USDMXN", "18")
    assert pair.exit_code == 2
    assert "EUR/USD" in pair.stderr


def test_settle_trial_balance_and_revalue_through_the_cli(o2c: Invoke, book_path: Path) -> None:
    assert o2c("init").exit_code == 0
    assert o2c("fx", "functional", "MXN").exit_code == 0
    assert o2c("fx", "set", "USD/MXN", "17.00", "--date", "2026-10-01").exit_code == 0
    assert o2c("fx", "set", "USD/MXN", "18.50", "--date", "2026-10-31").exit_code == 0
    with Book.open(book_path, actor="setup") as book:
        book.add_customer(customer("C1", "USD"))
        for doc in ("D1", "D2"):
            book.create_draft(invoice_draft(doc, "C1", (("SETUP", "1", "100.00"),), "USD", "0"))
            book.issue_document(doc, issue_date=dt.date(2026, 10, 1))
        pay = book.record_payment(
            "C1", Money.of("1800.00", "MXN"), date=dt.date(2026, 10, 20), reference="SPEI 1"
        )
    settled = o2c(
        "fx", "settle", pay.id, "INV-2026-000001", "--rate", "18", "--date", "2026-10-20",
        fmt="json",
    )  # fmt: skip
    assert settled.exit_code == 0, settled.stderr
    assert json.loads(settled.stdout) == [
        {"document": "INV-2026-000001", "settled": "100.00 USD", "paid": "1800.00 MXN"}
    ]
    revalued = o2c("period", "revalue", "--as-of", "2026-10-31", fmt="json")
    assert revalued.exit_code == 0, revalued.stderr
    assert [(r["account"], r["amount"]) for r in json.loads(revalued.stdout)] == [
        ("1100", "150.00 MXN"),
        ("7300", "-150.00 MXN"),
    ]
    tb = json.loads(o2c("fx", "trial-balance", "--as-of", "2026-10-31", fmt="json").stdout)
    assert {r["account"]: r["balance"] for r in tb} == {
        "1000": "1800.00 MXN",
        "1100": "1850.00 MXN",  # INV-2026-000002 at 18.50 after revaluation
        "4000": "-3400.00 MXN",
        "7100": "-100.00 MXN",  # realized gain on INV-2026-000001
        "7300": "-150.00 MXN",  # unrealized gain on INV-2026-000002
    }
    aging = json.loads(o2c("fx", "aging", "--as-of", "2026-11-01", fmt="json").stdout)
    assert {r["bucket"]: r["amount"] for r in aging}["1-30"] == "1700.00 MXN"
    lines = json.loads(o2c("fx", "journal", "--as-of", "2026-10-20", fmt="json").stdout)
    gain = [r for r in lines if r["account"] == "7100"]
    assert gain == [
        {
            "entry": gain[0]["entry"],
            "date": "2026-10-20",
            "kind": "fx_settlement",
            "account": "7100",
            "customer": "",
            "item": "",
            "original": "0.00 MXN",
            "amount": "-100.00 MXN",
            "basis": "fx",
        }
    ]
    balances = json.loads(o2c("fx", "balances", "--as-of", "2026-11-01", fmt="json").stdout)
    assert balances == [
        {
            "customer": "C1",
            "receivable": "1700.00 MXN",
            "unapplied": "0.00 MXN",
            "net": "1700.00 MXN",
        }
    ]
    with Book.open(book_path, actor="setup") as book:
        [entry] = [e for e in book.journal(source=pay.id) if e.kind.value == "fx_settlement"]
    undone = o2c("fx", "unsettle", entry.id, "--reason", "wrong invoice", "--date", "2026-11-02")
    assert undone.exit_code == 0, undone.stderr
    after = json.loads(o2c("fx", "balances", "--as-of", "2026-11-02", fmt="json").stdout)
    assert (after[0]["receivable"], after[0]["unapplied"]) == ("3400.00 MXN", "1800.00 MXN")
    again = o2c("fx", "unsettle", entry.id, "--reason", "twice")
    assert again.exit_code == 1
    assert "already undone" in again.stderr


def test_a_missing_rate_reads_in_spanish_under_a_spanish_locale(
    o2c: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert o2c("init").exit_code == 0
    monkeypatch.setenv("O2C_LANG", "es_MX")
    missing = o2c("fx", "show", "USD/MXN", "--date", "2026-10-31")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        "Error: no hay tipo de cambio BOOK para USD/MXN al 2026-10-31 o antes (ni MXN/USD, "
        "ni uno cruzado); fije uno con o2c fx set o importe un archivo de tipos de cambio"
    )
