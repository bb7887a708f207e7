"""Every import command refuses malformed files and bad arguments clearly, changing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, book_dump

BAD_FILES: dict[str, bytes] = {
    "toml-syntax.toml": b'[ratecard\ncode = "x"\n',
    "toml-wrong.toml": b'[ratecard]\ncode = "x"\ncurrency = "XXX"\n[items.a]\nmodel = "magic"\n',
    "json.json": b'{"customers": [1, 2,]}',
    "csv-missing-columns.csv": b"id,customer\nu-1,C-US-1\n",
    "csv-bad-values.csv": (
        b"id,customer,item,quantity,timestamp\n"
        b"u-1,C-US-1,api_calls,lots,2026-10-15T10:00:00-05:00\n"
        b"u-2,C-US-1,api_calls,5,2026-10-15T10:00:00\n"
        b"u-2,C-US-1,api_calls,5,2026-10-15T10:00:00Z\n"
    ),
    "csv-time-bad.csv": b"id,person,role,date,hours\nt-1,ana,senior,2026-13-01,-2\n",
    "csv-ragged.csv": b'id,customer,item,quantity,timestamp\n"u-1,C-US-1\n',
    "binary.csv": b"\xff\xfe\x00\x01garbage\x00",
    "empty.csv": b"",
    "blank.toml": b"  \n\n",
    "latin1.toml": "[ratecard]\nname = 'Tarifas de M\u00e9xico'\n".encode("latin-1"),
    "camt-bad-values.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        b'<BkToCstmrStmt><Stmt><Id>S1</Id><Ntry><Amt Ccy="USD">ten</Amt>'
        b"<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-13-03</Dt></BookgDt></Ntry>"
        b"</Stmt></BkToCstmrStmt></Document>"
    ),
    "camt-not-a-statement.xml": b'<?xml version="1.0"?><invoice><total>5</total></invoice>',
}

IMPORTS: dict[str, list[str]] = {
    "ratecard": ["ratecard", "import"],
    "tax": ["tax", "import"],
    "usage": ["usage", "import"],
    "time": ["time", "import", "--customer", "C-US-1"],
    "payment": ["payment", "import"],
}


def _assert_clean_failure(result_stderr: str, exit_code: int) -> None:
    assert exit_code in (1, 2)
    assert "Traceback" not in result_stderr
    assert result_stderr.startswith(("Error: ", "Usage: "))


@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize("bad", BAD_FILES)
def test_malformed_file_is_refused_and_the_book_is_unchanged(
    billing: Invoke, book_path: Path, tmp_path: Path, command: str, bad: str
) -> None:
    file = tmp_path / bad
    file.write_bytes(BAD_FILES[bad])
    before = book_dump(book_path)
    result = billing(*IMPORTS[command], str(file))
    _assert_clean_failure(result.stderr, result.exit_code)
    assert result.exit_code == 1
    assert bad in result.stderr or "file" in result.stderr.lower()
    assert book_dump(book_path) == before


def test_usage_problems_are_all_listed_with_their_lines(billing: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "usage.csv"
    file.write_bytes(BAD_FILES["csv-bad-values.csv"])
    result = billing("usage", "import", str(file))
    assert result.stderr.splitlines() == [
        "Error: usage.csv: 3 problems; nothing was imported",
        "  line 2: quantity: expected a decimal number such as '1234.50', got 'lots'",
        "  line 3: timestamp: expected a timestamp with an offset (Z, +00:00, -06:00...),"
        " got '2026-10-15T10:00:00'",
        "  line 4: id: 'u-2' repeats line 3",
    ]


@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize(
    "args",
    [
        [],  # no file
        ["/no/such/file.csv"],
        ["."],  # a directory
        ["a.csv", "b.csv"],  # two files
        ["--bogus-option", "a.csv"],
    ],
    ids=["no-file", "missing", "directory", "two-files", "bad-option"],
)
def test_bad_arguments_are_usage_errors(
    billing: Invoke, book_path: Path, command: str, args: list[str]
) -> None:
    before = book_dump(book_path)
    result = billing(*IMPORTS[command], *args)
    _assert_clean_failure(result.stderr, result.exit_code)
    assert result.exit_code == 2
    assert book_dump(book_path) == before


def test_time_import_needs_a_customer(billing: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "time.csv"
    file.write_text("id,person,role,date,hours\nt-1,ana,senior,2026-10-05,2\n", encoding="utf-8")
    assert billing("time", "import", str(file)).exit_code == 2
    unknown = billing("time", "import", str(file), "--customer", "C-NOPE")
    assert unknown.exit_code == 1
    assert "C-NOPE" in unknown.stderr


GOOD_FILES: dict[str, tuple[str, bytes]] = {
    "usage": ("usage.csv", b"id,customer,item,quantity,timestamp\n"
              b"u-9,C-US-1,api_calls,5,2026-10-15T10:00:00Z\n"),
    "time": ("time.csv", b"id,person,role,date,hours\nt-9,ana,senior,2026-10-05,2\n"),
    "payment": ("bank.csv", b"date,amount,currency,reference,remittance\n"
                b"2026-10-20,10.00,USD,BNK-9,?\n"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("command", "args", "code"),
    [
        ("usage", ["--contract", "K-NOPE"], 1),
        ("time", ["--contract", "K-NOPE"], 1),
        ("time", ["--customer", ""], 1),
        ("payment", ["--type", "ofx"], 2),
        ("payment", ["--type", "camt053"], 1),  # a CSV file read as camt.053
        ("payment", ["--currency", "EURO"], 1),  # a value error, named
    ],
)
def test_bad_option_values_are_refused_and_the_book_is_unchanged(
    billing: Invoke, book_path: Path, tmp_path: Path, command: str, args: list[str], code: int
) -> None:
    name, content = GOOD_FILES[command]
    file = tmp_path / name
    file.write_bytes(content)
    before = book_dump(book_path)
    result = billing(*IMPORTS[command], str(file), *args)
    _assert_clean_failure(result.stderr, result.exit_code)
    assert result.exit_code == code, result.stderr
    assert book_dump(book_path) == before
