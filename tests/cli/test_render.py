"""``o2c invoice render`` (one document, or a bill run's) and ``o2c report statement --as``:
the customer's document in a file, whole or not at all."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from o2c.book import Book
from o2c.cli import cli
from tests.cli.conftest import Invoke, draft_invoice


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_render_pdf_to_a_file_holds_the_number_lines_and_totals(
    issued: Invoke, tmp_path: Path
) -> None:
    pytest.importorskip("xhtml2pdf")
    out = tmp_path / "INV-2026-000001.pdf"
    result = issued("invoice", "render", "INV-2026-000001", "--as", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    text = _pdf_text(out)
    for expected in ("Invoice INV-2026-000001", "consulting", "$1,500.00", "setup", "$99.99",
                     "$1,599.99", "$256.00", "$1,855.99", "Acme Inc"):  # fmt: skip
        assert expected in text, expected


def test_render_refuses_to_replace_a_file_without_force(issued: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "inv.html"
    out.write_text("keep me", encoding="utf-8")
    result = issued("invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out} exists; pass --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = issued(
        "invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out), "--force"
    )
    assert forced.exit_code == 0
    assert "<h1>Invoice INV-2026-000001</h1>" in out.read_text(encoding="utf-8")


def test_a_rendered_file_is_readable_like_any_file_the_user_writes(
    issued: Invoke, tmp_path: Path
) -> None:
    # It was written through a private temporary file and came out 0600: a document a
    # specialist renders for a colleague or a web server must get the usual mode.
    old = os.umask(0o022)
    try:
        out = tmp_path / "inv.html"
        result = issued("invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)  # a file it replaces keeps its own mode
        again = issued(
            "invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out), "--force"
        )
        assert again.exit_code == 0, again.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def _out_dir(tmp_path: Path) -> Path:
    """An empty folder for the output (the test's book lives in ``tmp_path``)."""
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_an_unknown_document_is_one_line_and_writes_nothing(issued: Invoke, tmp_path: Path) -> None:
    folder = _out_dir(tmp_path)
    result = issued("invoice", "render", "INV-2026-999999", "--as", "pdf", "-o", str(folder / "x"))
    assert result.exit_code == 1
    assert result.stderr == "Error: document INV-2026-999999 not found\n"
    assert list(folder.iterdir()) == []


def test_a_draft_is_not_rendered_for_the_customer(
    issued: Invoke, book_path: Path, tmp_path: Path
) -> None:
    draft_invoice(book_path, "D-9", "C-US-1", [("consulting", "1", "150")])
    folder = _out_dir(tmp_path)
    result = issued("invoice", "render", "D-9", "--as", "html", "-o", str(folder / "d.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: D-9 is a draft: issue it first")
    assert result.stderr.count("\n") == 1
    assert list(folder.iterdir()) == []


def test_a_failing_template_writes_no_file_and_keeps_the_old_one(
    issued: Invoke, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "document.html").write_text("<p>{{ missing.value }}</p>", encoding="utf-8")
    folder = _out_dir(tmp_path)
    out = folder / "inv.html"
    out.write_text("the old one", encoding="utf-8")
    args = ["invoice", "render", "INV-2026-000001", "--as", "html", "-o", str(out), "--force"]
    result = issued(*args, "--templates", str(templates))
    assert result.exit_code == 1
    assert result.stderr == "Error: template document.html failed: 'missing' is undefined\n"
    assert out.read_text(encoding="utf-8") == "the old one"
    assert [p.name for p in folder.iterdir()] == ["inv.html"]  # no temporary file left


def test_templates_given_for_the_call_come_before_the_bundled_ones(
    issued: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "document.txt").write_text("{{ title }} for {{ customer_name }}\n", "utf-8")
    result = issued("invoice", "render", "INV-2026-000002", "--templates", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Factura INV-2026-000002 for Tortillería La Esperanza SA de CV\n"


def test_the_books_template_folder_is_used_when_no_folder_is_given(
    issued: Invoke, book_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "document.txt").write_text("book template: {{ number }}\n", "utf-8")
    with Book.open(book_path, actor="ana") as book:
        assert book.set_render_templates(tmp_path) == tmp_path.resolve()
    assert issued("invoice", "render", "INV-2026-000001").stdout == (
        "book template: INV-2026-000001\n"
    )
    call = tmp_path / "call"
    call.mkdir()
    (call / "document.txt").write_text("call template\n", "utf-8")
    result = issued("invoice", "render", "INV-2026-000001", "--templates", str(call))
    assert result.stdout == "call template\n"
    with Book.open(book_path, actor="ana") as book:
        assert book.set_render_templates(None) is None
    assert issued("invoice", "render", "INV-2026-000001").stdout.startswith(
        "Invoice INV-2026-000001\n"
    )


def test_the_books_template_folder_must_exist(issued: Invoke, book_path: Path) -> None:
    from o2c.errors import ValidationError

    with Book.open(book_path, actor="ana") as book, pytest.raises(ValidationError):
        book.set_render_templates(book_path.parent / "missing")


def test_ubl_without_a_seller_identity_is_refused_in_one_line(
    issued: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "inv.xml"
    result = issued("invoice", "render", "INV-2026-000001", "--as", "ubl", "-o", str(out))
    assert result.exit_code == 1
    assert "seller" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_document_and_run_are_exclusive(issued: Invoke, tmp_path: Path) -> None:
    both = issued(
        "invoice", "render", "INV-2026-000001", "--run", "R-1", "--out-dir", str(tmp_path)
    )
    assert both.exit_code == 2
    assert issued("invoice", "render").exit_code == 2
    assert issued("invoice", "render", "--run", "R-1").exit_code == 2  # --out-dir is needed


def _bill_october(billing: Invoke) -> str:
    result = billing(
        "bill", "run", "--period", "2026-10", "--invoice-date", "2026-11-01", "--issue", fmt="json"
    )
    assert result.exit_code == 0, result.stderr
    run: str = json.loads(result.stdout)["run"]
    return run


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_bulk_render_writes_one_file_per_invoice_of_the_run(
    billing: Invoke, book_path: Path, tmp_path: Path, form: str
) -> None:
    if form == "pdf":
        pytest.importorskip("xhtml2pdf")
    run = _bill_october(billing)
    with Book.open(book_path, actor="ana") as book:
        numbers = sorted(str(d.number) for d in book.list_documents(bill_run=run))
    assert numbers
    folder = _out_dir(tmp_path)
    result = billing("invoice", "render", "--run", run, "--out-dir", str(folder), "--as", form)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"{n}.{form}" for n in numbers]
    assert f"wrote {len(numbers)} files to {folder}" in result.stderr
    again = billing("invoice", "render", "--run", run, "--out-dir", str(folder), "--as", form)
    assert again.exit_code == 1  # the files exist: nothing is replaced without --force
    assert "pass --force" in again.stderr


def test_bulk_render_of_an_unknown_run_writes_nothing(billing: Invoke, tmp_path: Path) -> None:
    folder = _out_dir(tmp_path)
    result = billing(
        "invoice", "render", "--run", "R-NOPE", "--out-dir", str(folder), "--as", "html"
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: bill run R-NOPE has no issued documents to render\n"
    assert list(folder.iterdir()) == []


def test_statement_as_html_and_pdf_for_the_customer(issued: Invoke, tmp_path: Path) -> None:
    args = ["report", "statement", "C-US-1", "--from", "2026-10-01", "--to", "2026-12-31"]
    page = tmp_path / "statement.html"
    result = issued(*args, "--as", "html", "-o", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    for expected in ("Customer statement", "Opening balance", "INV-2026-000001",
                     "Closing balance", "$1,855.99", "Acme Inc"):  # fmt: skip
        assert expected in html, expected
    text = issued(*args, "--as", "text", "--locale", "de_DE").stdout
    assert text.startswith("Kontoauszug\n")
    pytest.importorskip("xhtml2pdf")
    pdf = tmp_path / "statement.pdf"
    assert issued(*args, "--as", "pdf", "-o", str(pdf)).exit_code == 0
    assert "INV-2026-000001" in _pdf_text(pdf)


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-render") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--book", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.slow
def test_the_demo_renders_every_invoice_to_every_format(demo_book: Path, tmp_path: Path) -> None:
    pytest.importorskip("xhtml2pdf")
    with Book.open(demo_book, actor="ana") as book:
        numbers = [str(d.number) for d in book.list_documents() if d.number]
    assert len(numbers) >= 10
    runner = CliRunner()
    for number in numbers:
        for form, suffix in (("text", "txt"), ("html", "html"), ("pdf", "pdf"), ("ubl", "xml")):
            out = tmp_path / f"{number}.{suffix}"
            result = runner.invoke(
                cli, ["--book", str(demo_book), "invoice", "render", number, "--as", form,
                      "-o", str(out)],
            )  # fmt: skip
            assert result.exit_code == 0, f"{number} --as {form}: {result.stderr}"
            assert out.stat().st_size > 0


def test_pdf_without_the_pdf_extra_names_the_extra_and_writes_nothing(
    issued: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "xhtml2pdf", None)  # import xhtml2pdf now fails
    folder = _out_dir(tmp_path)
    out = folder / "inv.pdf"
    result = issued("invoice", "render", "INV-2026-000001", "--as", "pdf", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == "Error: PDF output needs the pdf extra: pip install 'o2c[pdf]'\n"
    assert list(folder.iterdir()) == []


def test_a_pdf_can_carry_its_ubl_e_invoice(demo_book: Path, tmp_path: Path) -> None:
    pytest.importorskip("xhtml2pdf")
    from pypdf import PdfReader

    out = tmp_path / "INV-2026-000008.pdf"
    args = ["--book", str(demo_book), "invoice", "render", "INV-2026-000008", "--as", "pdf"]
    result = CliRunner().invoke(cli, [*args, "--embed-ubl", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    attached = PdfReader(out).attachments
    assert list(attached) == ["INV-2026-000008.xml"]
    xml = attached["INV-2026-000008.xml"][0]
    assert b"<cbc:ID>INV-2026-000008</cbc:ID>" in xml
    assert "Factura INV-2026-000008" in PdfReader(out).pages[0].extract_text()


def test_a_document_shows_the_seller_it_was_issued_under(
    issued: Invoke, book_path: Path, tmp_path: Path
) -> None:
    from o2c.parties import Address, BankAccount, Seller
    from o2c.tax import TaxProfile

    first = Seller(
        "Ódena Datos SA de CV",
        Address("Av. Reforma 250", "Ciudad de México", "06600", "MX"),
        TaxProfile("MX", tax_id="ODE150101AB3"),
        bank_accounts=(BankAccount("DE89370400440532013000", "COBADEFFXXX"),),
    )
    with Book.open(book_path, actor="ana") as book:
        book.set_seller(first)
    draft_invoice(book_path, "D-3", "C-MX-1", [("tortillas", "10", "1.5")])
    assert issued("invoice", "issue", "D-3", "--date", "2026-10-20").exit_code == 0
    with Book.open(book_path, actor="ana") as book:
        book.set_seller(
            attrs.evolve(first, address=Address("Calle Nueva 1", "Puebla", "72000", "MX"))
        )
    text = issued("invoice", "render", "INV-2026-000003").stdout
    assert "Ódena Datos SA de CV\nAv. Reforma 250\n" in text  # as it was on 2026-10-20
    assert "Puebla" not in text
    assert "IBAN DE89 3704 0044 0532 0130 00" in text
    page = issued("invoice", "render", "INV-2026-000003", "--as", "ubl").stdout
    assert "<cbc:RegistrationName>Ódena Datos SA de CV</cbc:RegistrationName>" in page


def test_the_books_template_folder_is_set_from_the_command_line(
    issued: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "document.txt").write_text("ours: {{ number }}\n", "utf-8")
    shown = issued("invoice", "templates", str(tmp_path), fmt="json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout) == {"templates": str(tmp_path.resolve())}
    assert issued("invoice", "render", "INV-2026-000001").stdout == "ours: INV-2026-000001\n"
    back = issued("invoice", "templates", "--bundled", fmt="json")
    assert json.loads(back.stdout) == {"templates": "(bundled)"}
    assert issued("invoice", "render", "INV-2026-000001").stdout.startswith("Invoice ")
    missing = issued("invoice", "templates", str(tmp_path / "nope"))
    assert missing.exit_code == 2


def test_ubl_lines_carry_the_rate_cards_units(demo_book: Path) -> None:
    args = ["--book", str(demo_book), "invoice", "render", "INV-2026-000008", "--as", "ubl"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert 'unitCode="MON"' in result.stdout  # the platform fee is billed per month
