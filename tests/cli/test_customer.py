"""``o2c init``, ``o2c customer`` and ``o2c audit``: happy paths and main failures."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke


def test_init_creates_the_book_and_is_safe_to_repeat(o2c: Invoke, book_path: Path) -> None:
    first = o2c("--format", "json", "init")
    assert first.exit_code == 0, first.stderr
    assert book_path.exists()
    again = o2c("init")
    assert again.exit_code == 0
    assert json.loads(first.stdout)["schema_version"] >= 1


def test_commands_refuse_a_missing_book_with_a_hint(o2c: Invoke, book_path: Path) -> None:
    result = o2c("customer", "list")
    assert result.exit_code == 1
    assert "not found; create it with o2c init" in result.stderr
    assert not book_path.exists()


def test_customer_add_list_show(book: Invoke) -> None:
    listed = book("customer", "list", fmt="json")
    assert [c["id"] for c in json.loads(listed.stdout)] == ["C-DE-1", "C-MX-1", "C-US-1"]
    shown = json.loads(book("customer", "show", "C-MX-1", fmt="json").stdout)
    assert shown["tax_registrations"] == [
        {"country": "MX", "number": "TLE010101AB1", "scheme": "mx_rfc"}
    ]
    assert shown["billing_address"]["city"] == "Guadalajara"
    assert shown["payment_terms"] == "net 30"


def test_customer_add_twice_is_a_conflict(book: Invoke) -> None:
    args = ["customer", "add", "C-US-1", "--name", "Acme", "--country", "US", "--currency", "USD"]
    result = book(*args)
    assert result.exit_code == 1
    assert result.stderr == "Error: customer C-US-1 exists already; edit it instead\n"


def test_customer_add_checks_the_rfc(book: Invoke) -> None:
    args = ["customer", "add", "C-MX-2", "--name", "X", "--country", "MX", "--currency", "MXN"]
    result = book(*args, "--tax-id", "NOT-AN-RFC")
    assert result.exit_code == 1
    assert "tax_id" in result.stderr
    assert "NOT-AN-RFC" in result.stderr
    assert book("customer", "show", "C-MX-2").exit_code == 1


def test_customer_add_needs_name_country_currency(book: Invoke) -> None:
    result = book("customer", "add", "C-9", "--name", "X")
    assert result.exit_code == 2
    assert "--country, --currency" in result.stderr


def test_customer_edit_changes_only_the_given_options(book: Invoke) -> None:
    result = book("customer", "edit", "C-US-1", "--terms", "eom+15", fmt="json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(book("customer", "show", "C-US-1", fmt="json").stdout)
    assert shown["payment_terms"] == "eom+15"
    assert shown["billing_address"]["city"] == "Springfield"


def test_customer_edit_of_an_unknown_customer_fails(book: Invoke) -> None:
    result = book("customer", "edit", "C-NOPE", "--terms", "net 10")
    assert result.exit_code == 1
    assert "customer C-NOPE not found" in result.stderr


def test_idempotency_key_makes_a_retry_harmless(book: Invoke) -> None:
    args = ["customer", "add", "C-US-2", "--name", "Globex", "--country", "US"]
    first = book(*args, "--currency", "USD", "--idempotency-key", "k-1")
    retry = book(*args, "--currency", "USD", "--idempotency-key", "k-1")
    assert first.exit_code == retry.exit_code == 0
    events = json.loads(book("audit", "log", "--command", "add_customer", fmt="json").stdout)
    assert [e["ids"] for e in events].count(["C-US-2"]) == 1


def test_audit_log_records_the_actor_and_verify_is_intact(book: Invoke) -> None:
    book("customer", "edit", "C-DE-1", "--terms", "net 14", actor="luis")
    events = json.loads(book("audit", "log", fmt="json").stdout)
    assert [(e["actor"], e["command"]) for e in events][-1] == ("luis", "update_customer")
    verified = book("audit", "verify")
    assert verified.exit_code == 0
    assert "intact" in verified.stdout


def test_audit_verify_fails_on_a_tampered_book(book: Invoke, book_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(book_path) as db:
        db.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1")
    result = book("audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: audit trail broken")


def test_a_file_that_is_not_a_book_is_one_clear_line(o2c: Invoke, book_path: Path) -> None:
    book_path.write_text("name,amount\nx,1\n", encoding="utf-8")
    result = o2c("customer", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot open book {book_path}: file is not a database; is it an o2c book?\n"
    )


def test_customer_endpoint_is_added_edited_and_shown(book: Invoke) -> None:
    args = ["customer", "add", "C-DE-2", "--name", "Kunde GmbH", "--country", "DE"]
    added = book(
        *args, "--currency", "EUR", "--endpoint-scheme", "0088", "--endpoint-id", "4012345000009"
    )
    assert added.exit_code == 0, added.stderr
    shown = json.loads(book("customer", "show", "C-DE-2", fmt="json").stdout)
    assert shown["electronic_address"] == {"scheme": "0088", "value": "4012345000009"}
    edited = book("customer", "edit", "C-DE-2", "--endpoint-id", "4000001000005")
    assert edited.exit_code == 0, edited.stderr
    shown = json.loads(book("customer", "show", "C-DE-2", fmt="json").stdout)
    assert shown["electronic_address"] == {"scheme": "0088", "value": "4000001000005"}
    assert book("customer", "edit", "C-DE-2", "--endpoint-scheme", "0204").exit_code == 0
    shown = json.loads(book("customer", "show", "C-DE-2", fmt="json").stdout)
    assert shown["electronic_address"] == {"scheme": "0204", "value": "4000001000005"}


def test_customer_endpoint_scheme_that_is_not_an_eas_code_is_refused_in_one_line(
    book: Invoke,
) -> None:
    result = book("customer", "edit", "C-DE-1", "--endpoint-scheme", "1234", "--endpoint-id", "X1")
    assert result.exit_code == 1
    assert "endpoint_scheme" in result.stderr
    assert "'1234'" in result.stderr
    assert result.stderr.count("\n") == 1
    shown = json.loads(book("customer", "show", "C-DE-1", fmt="json").stdout)
    assert shown["electronic_address"] is None


def test_customer_import_reads_the_endpoint_columns(book: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "customers.csv"
    file.write_text(
        "id,name,country,currency,endpoint_scheme,endpoint_id\n"
        "C-DE-7,Kunde GmbH,DE,EUR,0088,4012345000009\n"
        "C-DE-8,Andere GmbH,DE,EUR,,\n",
        "utf-8",
    )
    result = book("customer", "import", str(file))
    assert result.exit_code == 0, result.stderr
    seven = json.loads(book("customer", "show", "C-DE-7", fmt="json").stdout)
    assert seven["electronic_address"] == {"scheme": "0088", "value": "4012345000009"}
    eight = json.loads(book("customer", "show", "C-DE-8", fmt="json").stdout)
    assert eight["electronic_address"] is None


def test_customer_import_names_a_bad_endpoint_scheme_and_imports_nothing(
    book: Invoke, tmp_path: Path
) -> None:
    file = tmp_path / "customers.csv"
    file.write_text(
        "id,name,country,currency,endpoint_scheme,endpoint_id\n"
        "C-DE-7,Kunde GmbH,DE,EUR,GLN,4012345000009\n",
        "utf-8",
    )
    result = book("customer", "import", str(file))
    assert result.exit_code == 1
    assert "line 2: endpoint_scheme" in result.stderr
    assert "'GLN'" in result.stderr
    assert book("customer", "show", "C-DE-7").exit_code == 1


def test_customer_endpoint_reaches_the_ubl_of_an_invoice_issued_after_it_was_set(
    book: Invoke, book_path: Path
) -> None:
    from o2c.book import Book
    from o2c.parties import Address, Seller
    from o2c.tax import TaxProfile
    from tests.cli.conftest import draft_invoice

    seller = Seller(
        "Ódena Datos SA de CV",
        Address("Av. Reforma 250", "Ciudad de México", "06600", "MX"),
        TaxProfile("MX", tax_id="ODE150101AB3"),
    )
    with Book.open(book_path, actor="ana") as opened:
        opened.set_seller(seller)
    gln = ["--endpoint-scheme", "0088", "--endpoint-id", "4012345000009"]
    assert book("customer", "edit", "C-DE-1", *gln).exit_code == 0
    draft_invoice(book_path, "D-9", "C-DE-1", [("consulting", "1", "100.00")])
    assert book("invoice", "issue", "D-9", "--date", "2026-10-20").exit_code == 0
    # A later change of the endpoint does not change the issued invoice's snapshot.
    assert book("customer", "edit", "C-DE-1", "--endpoint-id", "4000001000005").exit_code == 0
    page = book("invoice", "render", "INV-2026-000001", "--as", "ubl")
    assert page.exit_code == 0, page.stderr
    assert '<cbc:EndpointID schemeID="0088">4012345000009</cbc:EndpointID>' in page.stdout
