"""Customer documents with the seller's identity, in each language, against golden files.

The golden book of ``test_golden`` (built again here, with the Book's clock fixed) plus a
German customer's invoice in EUR and a credit note on the US invoice. The seller is given
explicitly, as the CLI passes the seller a document was issued under. Rewrite the files
with ``O2C_UPDATE_GOLDEN=1 pytest tests/golden`` and review the diff.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from o2c.book import Book
from o2c.io import render_html, render_statement_html, render_text
from o2c.parties import Address, BankAccount, Seller
from o2c.tax import TaxProfile
from tests.golden.conftest import Golden
from tests.golden.test_golden import MACHINE_TZ, NOW, _build, _Invoker

#: The golden book's seller (its tax id is the one ``o2c init`` was given).
SELLER = Seller(
    legal_name="Ódena Datos SA de CV",
    address=Address("Av. Paseo de la Reforma 250\nPiso 12", "Ciudad de México", "06600", "MX"),
    tax=TaxProfile(country="MX", tax_id="ODE150101AB3"),
    registration="Folio mercantil 12345-1",
    bank_accounts=(
        BankAccount("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "Commerzbank", "Ódena Datos"),
    ),
    email="facturas@odena.example",
    phone="+52 55 1234 5678",
)

#: Golden file name -> (document number, locale).
DOCUMENTS = {
    "INV-2026-000001.en_US": ("INV-2026-000001", "en_US"),
    "INV-2026-000002.es_MX": ("INV-2026-000002", "es_MX"),
    "INV-2026-000003.de_DE": ("INV-2026-000003", "de_DE"),
    "CN-2026-000001.en_US": ("CN-2026-000001", "en_US"),
    "CN-2026-000001.es_MX": ("CN-2026-000001", "es_MX"),
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """The golden book plus a German invoice and a credit note, opened read-only."""
    tmp = tmp_path_factory.mktemp("golden-documents")
    opened = Book.open

    def open_with_fixed_clock(*args: Any, **kwargs: Any) -> Book:
        return opened(*args, **{**kwargs, "clock": lambda: NOW})

    saved_tz = os.environ.get("TZ")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Book, "open", open_with_fixed_clock)
        patch.setenv("TZ", MACHINE_TZ)
        time.tzset()
        try:
            o2c = _Invoker(tmp / "golden.db")
            _build(o2c, tmp)
            o2c(
                "invoice", "create", "--customer", "C-DE-1", "--line", "consulting:10@120",
                "--line", "setup:1@450", "--po", "PO-4711", "--date", "2026-11-05", "--issue",
            )  # fmt: skip
            o2c(
                "credit-note", "create", "--invoice", "INV-2026-000001", "--line", "2:5",
                "--reason", "wrong_quantity", "--date", "2026-11-10",
            )  # fmt: skip
            with Book.open(o2c.book, actor="ana") as opened_book:
                yield opened_book
        finally:
            patch.undo()
            if saved_tz is None:
                os.environ.pop("TZ", None)
            time.tzset()


def _corrected(book: Book, number: str) -> Any:
    doc = book.get_document(number)
    return None if doc.reference is None else book.get_document(str(doc.reference))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_customer_document_with_the_seller_matches_its_golden_file(
    book: Book, golden: Golden, name: str
) -> None:
    number, locale = DOCUMENTS[name]
    doc = book.get_document(number)
    corrects = _corrected(book, number)
    page = render_html(doc, seller=SELLER, locale=locale, corrects=corrects)
    golden(f"documents/seller/{name}.html", page)
    text = render_text(doc, seller=SELLER, locale=locale, corrects=corrects)
    golden(f"documents/seller/{name}.text", text)


def test_statement_for_the_customer_matches_its_golden_file(book: Book, golden: Golden) -> None:
    import datetime as dt

    stated = book.statement("C-US-1", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    customer = book.get_customer("C-US-1")
    page = render_statement_html(stated, customer, seller=SELLER)
    golden("documents/seller/statement-C-US-1.html", page)


def test_the_german_invoice_is_german_from_top_to_bottom(book: Book) -> None:
    page = render_html(book.get_document("INV-2026-000003"), seller=SELLER)
    german = (
        "Rechnung INV-2026-000003", "Rechnungsdatum", "Fällig am", "Bestellnummer",
        "Zahlbar innerhalb von 30 Tagen netto", "Rechnungsempfänger", "Einzelpreis",
        "Bitte überweisen Sie", "Verwendungszweck", "DE89 3704 0044 0532 0130 00",
    )  # fmt: skip
    for text in german:
        assert text in page, text
    assert "rounded" not in page  # the tax engine's technical note stays off the document


def test_the_credit_note_names_the_invoice_it_corrects_with_its_date(book: Book) -> None:
    note = book.get_document("CN-2026-000001")
    text = render_text(note, seller=SELLER, corrects=_corrected(book, "CN-2026-000001"))
    assert "Corrects        INV-2026-000001 of Nov 1, 2026\n" in text
    assert "Reason          Wrong quantity\n" in text
    assert "Please pay" not in text  # a credit note is not paid


def test_rendering_changes_nothing_in_the_book(book: Book, tmp_path: Path) -> None:
    before = [d.number for d in book.list_documents()]
    render_html(book.get_document("INV-2026-000001"), seller=SELLER)
    assert [d.number for d in book.list_documents()] == before
