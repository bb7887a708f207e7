"""``o2c seller set`` / ``o2c seller show``: the seller printed on documents, versioned."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.cli import cli
from tests.cli.conftest import Invoke, book_dump, draft_invoice
from tests.store.backends import BACKENDS, book_url

MUSTER = (
    "seller", "set", "--name", "Muster GmbH", "--street", "Marienplatz 1", "--city", "München",
    "--postal-code", "80331", "--region", "BY", "--country", "DE", "--tax-id", "DE 136 695 976",
    "--registration", "HRB 12345, Amtsgericht München",
    "--iban", "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX", "--bank", "Commerzbank",
    "--endpoint-scheme", "9930", "--endpoint-id", "DE136695976",
    "--email", "billing@muster.example", "--phone", "+49 89 123", "--website", "muster.example",
)  # fmt: skip


def _show(o2c: Invoke) -> dict[str, object]:
    result = o2c("seller", "show", fmt="json")
    assert result.exit_code == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def test_seller_set_records_the_full_identity_and_show_prints_it(book: Invoke) -> None:
    result = book(*MUSTER)
    assert result.exit_code == 0, result.stderr
    shown = _show(book)
    assert shown["version"] == 1
    seller = shown["seller"]
    assert isinstance(seller, dict)
    assert seller["legal_name"] == "Muster GmbH"
    assert seller["tax"]["tax_id"] == "DE136695976"
    assert seller["bank_accounts"] == [
        {
            "iban": "DE89370400440532013000",
            "bic": "COBADEFFXXX",
            "bank_name": "Commerzbank",
            "holder": "",
        }
    ]
    assert seller["electronic_address"] == {"scheme": "9930", "value": "DE136695976"}
    table = book("seller", "show")
    assert "Muster GmbH" in table.stdout
    assert "DE89370400440532013000" in table.stdout
    rows = list(csv.DictReader(io.StringIO(book("seller", "show", fmt="csv").stdout)))
    assert rows[0]["iban"] == "DE89370400440532013000"
    assert rows[0]["endpoint"] == "9930:DE136695976"


def test_seller_set_changes_only_the_options_given_as_a_new_version(book: Invoke) -> None:
    assert book(*MUSTER).exit_code == 0
    assert book("seller", "set", "--name", "Muster AG").exit_code == 0
    shown = _show(book)
    assert shown["version"] == 2
    seller = shown["seller"]
    assert isinstance(seller, dict)
    assert seller["legal_name"] == "Muster AG"
    assert seller["address"]["city"] == "München"
    old = json.loads(book("seller", "show", "--version", "1", fmt="json").stdout)
    assert old["seller"]["legal_name"] == "Muster GmbH"


def test_a_bad_iban_is_one_line_naming_it_and_changes_nothing(
    book: Invoke, book_path: Path
) -> None:
    assert book(*MUSTER).exit_code == 0
    before = book_dump(book_path)
    result = book("seller", "set", "--iban", "DE89 3704 0044 0532 0130 01")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "iban" in result.stderr
    assert "DE89 3704 0044 0532 0130 01" in result.stderr
    assert "Traceback" not in result.stderr
    assert book_dump(book_path) == before


def test_a_bad_clabe_or_tax_id_is_refused(book: Invoke) -> None:
    args = ("seller", "set", "--name", "Ejemplo SA de CV", "--country", "MX")
    bad_clabe = book(*args, "--clabe", "032180000118359718")
    assert bad_clabe.exit_code == 1
    assert "clabe" in bad_clabe.stderr
    bad_rfc = book(*args, "--tax-id", "XYZ")
    assert bad_rfc.exit_code == 1
    assert "tax_id" in bad_rfc.stderr
    assert book("seller", "show").exit_code == 1


def test_a_mexican_seller_is_paid_by_clabe_without_an_iban(book: Invoke) -> None:
    result = book(
        "seller", "set", "--name", "Servicios Ejemplo SA de CV", "--country", "MX",
        "--street", "Av. Reforma 1", "--city", "Ciudad de México", "--postal-code", "06600",
        "--tax-id", "aaa010101aaa", "--regime", "601", "--clabe", "032 180 000118359719",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    seller = _show(book)["seller"]
    assert isinstance(seller, dict)
    assert seller["clabe"] == "032180000118359719"
    assert seller["bank_accounts"] == []
    assert seller["tax"]["tax_id"] == "AAA010101AAA"


def test_the_first_seller_needs_a_name(book: Invoke) -> None:
    result = book("seller", "set", "--country", "DE")
    assert result.exit_code == 2
    assert "--name" in result.stderr


def test_seller_show_without_a_seller_says_how_to_set_one(book: Invoke) -> None:
    result = book("seller", "show")
    assert result.exit_code == 1
    assert "o2c seller set" in result.stderr


def test_seller_set_is_idempotent_by_key(book: Invoke) -> None:
    assert book(*MUSTER, "--idempotency-key", "k1").exit_code == 0
    assert book("seller", "set", "--name", "Muster AG", "--idempotency-key", "k2").exit_code == 0
    again = book(*MUSTER, "--idempotency-key", "k1")
    assert again.exit_code == 0, again.stderr
    assert _show(book)["version"] == 2


def test_an_issued_invoice_keeps_its_seller_after_seller_set(book: Invoke, book_path: Path) -> None:
    from o2c.book import Book

    assert book(*MUSTER).exit_code == 0
    draft_invoice(book_path, "D-1", "C-DE-1", [("consulting", "1", "100")])
    assert book("invoice", "issue", "D-1", "--date", "2026-10-01").exit_code == 0
    assert book("seller", "set", "--name", "Muster AG").exit_code == 0
    with Book.open(book_path, actor="ana") as opened:
        seller = opened.document_seller("INV-2026-000001")
        assert seller is not None
        assert seller.legal_name == "Muster GmbH"
        assert opened.seller_identity().legal_name == "Muster AG"


@pytest.mark.parametrize("backend", BACKENDS)
def test_seller_set_and_show_on_each_store(backend: str, tmp_path: Path) -> None:
    runner = CliRunner()
    with book_url(backend, tmp_path) as url:
        # On PostgreSQL the actor is the database user (no --actor).
        who = [] if backend == "postgres" else ["--actor", "ana"]

        def o2c(*args: str) -> tuple[int, str, str]:
            result = runner.invoke(cli, ["--book", url, *who, *args], env={"O2C_ACTOR": ""})
            return result.exit_code, result.stdout, result.stderr

        assert o2c("init")[0] == 0
        code, _, err = o2c(*MUSTER)
        assert code == 0, err
        code, out, err = o2c("--format", "json", "seller", "show")
        assert code == 0, err
        assert json.loads(out)["seller"]["legal_name"] == "Muster GmbH"
        code, _, err = o2c("seller", "set", "--iban", "DE00 0000")
        assert code == 1
        assert "iban" in err
