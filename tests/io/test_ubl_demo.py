"""The demo book's issued documents (MXN, USD and EUR invoices, a credit note) as UBL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from o2c import Book
from o2c.billing import DocumentKind, DocumentStatus
from o2c.cli import cli
from o2c.io.ubl import write_ubl
from tests.io.ubl_cases import SELLER_DE, SELLER_MX, assert_valid


def test_every_issued_demo_document_is_valid_ubl_with_its_own_totals(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["--format", "json", "demo", "--book", str(path)])
    assert result.exit_code == 0, result.stderr
    with Book.open(str(path), actor="ana") as book:
        issued = [d for d in book.list_documents() if d.status is not DocumentStatus.DRAFT]
        assert {d.kind for d in issued} >= {DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE}
        for document in issued:
            corrected = None
            if document.kind is not DocumentKind.INVOICE and document.reference is not None:
                corrected = book.get_document(str(document.reference))
            seller = SELLER_MX if document.customer.country == "MX" else SELLER_DE
            xml = write_ubl(document, seller, corrected=corrected)
            # CFDI rounds tax per line: BR-CO-17's one-unit tolerance.
            ubl = assert_valid(xml, vat_tolerance=Decimal(1))
            assert ubl.number == document.number
            assert (ubl.totals.tax_exclusive, ubl.totals.tax, ubl.totals.payable) == (
                document.totals.net,
                document.totals.tax,
                document.totals.payable,
            )
            if corrected is not None:
                assert [p.number for p in ubl.preceding] == [corrected.number]
