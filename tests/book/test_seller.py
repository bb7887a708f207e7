"""The seller's identity through the Book: append-only versions, snapshotted at issue."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o2c.billing import DocumentStatus, payment_reference
from o2c.book import Book
from o2c.errors import NotFound, ValidationError
from o2c.parties import Address, BankAccount, ElectronicAddress, Seller
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer

OCT1 = dt.date(2026, 10, 1)


def de_seller(name: str = "Muster GmbH") -> Seller:
    return Seller(
        name,
        Address("Marienplatz 1", "München", "80331", "DE", "BY"),
        TaxProfile("DE", tax_id="DE136695976"),
        registration="HRB 12345, Amtsgericht München",
        bank_accounts=(BankAccount("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "Commerzbank"),),
        electronic_address=ElectronicAddress("9930", "DE136695976"),
        email="billing@muster.example",
    )


def mx_seller() -> Seller:
    return Seller(
        "Servicios Ejemplo SA de CV",
        Address("Av. Reforma 1", "Ciudad de México", "06600", "MX", "CMX"),
        TaxProfile("MX", tax_id="AAA010101AAA", regime="601"),
        clabe="032180000118359719",
    )


def test_set_seller_keeps_versions_and_the_tax_profile_the_book_bills_as(book: Book) -> None:
    assert book.seller_version() is None
    first = book.set_seller(de_seller())
    assert book.seller_version() == 1
    assert book.seller_identity() == first
    assert book.seller() == first.tax
    renamed = book.set_seller(de_seller("Muster AG"))
    assert book.seller_version() == 2
    assert book.seller_identity().legal_name == "Muster AG"
    assert book.seller_identity(1).legal_name == "Muster GmbH"
    assert book.seller_identity() == renamed


def test_setting_the_same_seller_again_adds_no_version(book: Book) -> None:
    book.set_seller(de_seller())
    book.set_seller(de_seller())
    assert book.seller_version() == 1


def test_a_tax_profile_alone_sets_the_tax_part_of_the_current_seller(book: Book) -> None:
    book.set_seller(de_seller())
    profile = TaxProfile("DE", region="BY", tax_id="DE136695976")
    assert book.set_seller(profile) == profile
    assert book.seller() == profile
    assert book.seller_version() == 2
    assert book.seller_identity().tax == profile
    assert book.seller_identity().legal_name == "Muster GmbH"


def test_a_tax_profile_without_a_seller_makes_no_seller_identity(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    assert book.seller().tax_id == "AAA010101AAA"
    assert book.seller_version() is None
    with pytest.raises(NotFound, match="o2c seller set"):
        book.seller_identity()


def test_unknown_seller_version_is_not_found(book: Book) -> None:
    book.set_seller(de_seller())
    with pytest.raises(NotFound, match="seller 7 not found"):
        book.seller_identity(7)


def test_seller_change_after_issue_leaves_the_issued_invoice_seller_as_it_was(book: Book) -> None:
    book.set_seller(de_seller())
    book.add_customer(customer())
    issued = book.create_invoice(invoice_draft("D1"), issue_date=OCT1)
    assert issued.seller_version == 1
    book.set_seller(de_seller("Muster AG"))
    later = book.create_invoice(invoice_draft("D2"), issue_date=OCT1)
    first_seller = book.document_seller(str(issued.number))
    assert first_seller is not None
    assert first_seller.legal_name == "Muster GmbH"
    assert first_seller.bank_accounts[0].iban == "DE89370400440532013000"
    later_seller = book.document_seller(later.id)
    assert later_seller is not None
    assert later_seller.legal_name == "Muster AG"
    assert book.get_document(issued.id).seller_version == 1


def test_a_draft_records_the_seller_when_it_is_issued_not_when_made(book: Book) -> None:
    book.set_seller(de_seller())
    book.add_customer(customer())
    draft = book.create_draft(invoice_draft("D1"))
    assert draft.status is DocumentStatus.DRAFT
    assert draft.seller_version is None
    assert book.document_seller("D1") is None
    book.set_seller(de_seller("Muster AG"))
    issued = book.issue_document("D1", issue_date=OCT1)
    assert issued.seller_version == 2
    seller = book.document_seller(str(issued.number))
    assert seller is not None
    assert seller.legal_name == "Muster AG"


def test_credit_and_debit_notes_record_the_seller_of_their_own_issue(book: Book) -> None:
    book.set_seller(de_seller())
    book.add_customer(customer())
    invoice = book.create_invoice(invoice_draft("D1"), issue_date=OCT1)
    book.set_seller(de_seller("Muster AG"))
    note = book.create_credit_note(str(invoice.number), reason="wrong_price", date=OCT1)
    assert note.seller_version == 2
    assert book.get_document(invoice.id).seller_version == 1


def test_bill_run_invoices_record_the_seller_version_of_the_run(book: Book) -> None:
    book.set_seller(mx_seller())
    for cid in ("C1", "C2"):
        book.add_customer(mx_customer(cid))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "3", "100.00"),)))
    book.add_contract(monthly_contract("K2", "C2", (("SEAT", "1", "100.00"),), tiered=True))
    result = book.bill_run("2026-10", batch_size=1)
    assert result.invoices == 2
    for doc_id in result.document_ids:
        doc = book.get_document(doc_id)
        assert doc.seller_version == 1
        seller = book.document_seller(doc_id)
        assert seller is not None
        assert seller.clabe == "032180000118359719"
    book.set_seller(attrs.evolve(mx_seller(), legal_name="Otro SA de CV"))
    seller = book.document_seller(result.document_ids[0])
    assert seller is not None
    assert seller.legal_name == "Servicios Ejemplo SA de CV"


def test_bill_run_invoice_notes_keep_only_legal_texts_and_explain_the_rounding(
    book: Book,
) -> None:
    book.set_seller(mx_seller())
    book.add_customer(mx_customer("C1"))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "3", "100.00"),)))
    [doc_id] = book.bill_run("2026-10").document_ids
    doc = book.get_document(doc_id)
    assert doc.notes == ()
    assert doc.explain == (
        "CFDI 4.0: tax rounded per line (half up); tax-inclusive prices: tax rounded, net the rest",
    )


def test_document_seller_of_an_unknown_document_is_not_found(book: Book) -> None:
    with pytest.raises(NotFound, match="document INV-9 not found"):
        book.document_seller("INV-9")


def test_a_refused_seller_changes_nothing(book: Book) -> None:
    book.set_seller(de_seller())
    with pytest.raises(ValidationError, match="iban"):
        book.set_seller(
            attrs.evolve(de_seller(), bank_accounts=(BankAccount("DE89370400440532013001"),))
        )
    assert book.seller_version() == 1


def test_set_seller_is_idempotent_by_key(book: Book) -> None:
    book.set_seller(de_seller(), idempotency_key="s-1")
    book.set_seller(de_seller(), idempotency_key="s-1")
    assert book.seller_version() == 1


def test_the_payment_reference_of_an_issued_invoice_is_its_rf_creditor_reference(
    book: Book,
) -> None:
    book.add_customer(customer())
    issued = book.create_invoice(invoice_draft("D1"), issue_date=OCT1)
    assert issued.number == "INV-2026-000001"
    assert payment_reference(issued) == "RF94INV2026000001"


def test_bill_run_workers_record_the_seller_version_too(book: Book) -> None:
    book.set_seller(mx_seller())
    for cid in ("C1", "C2", "C3"):
        book.add_customer(mx_customer(cid))
        book.add_contract(monthly_contract(f"K{cid}", cid, (("SEAT", "1", "100.00"),)))
    result = book.bill_run("2026-10", batch_size=1, workers=2)
    assert result.invoices == 3
    assert {book.get_document(d).seller_version for d in result.document_ids} == {1}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["issue", "rename", "draft", "issue-draft"]), max_size=12))
def test_every_issued_document_shows_the_seller_current_at_its_issue(steps: list[str]) -> None:
    with Book.open(":memory:", actor="ana") as mem:
        mem.set_seller(de_seller("Seller 0"))
        mem.add_customer(customer())
        expected: dict[str, str] = {}
        drafts: list[str] = []
        renames = 0
        for n, step in enumerate(steps):
            current = mem.seller_identity().legal_name
            if step == "rename":
                renames += 1
                mem.set_seller(de_seller(f"Seller {renames}"))
            elif step == "issue":
                doc = mem.create_invoice(invoice_draft(f"D{n}"), issue_date=OCT1)
                expected[doc.id] = current
            elif step == "draft":
                drafts.append(mem.create_draft(invoice_draft(f"D{n}")).id)
            elif drafts:
                doc = mem.issue_document(drafts.pop(0), issue_date=OCT1)
                expected[doc.id] = current
        shown = {doc_id: mem.document_seller(doc_id) for doc_id in expected}
        assert {k: s.legal_name if s else None for k, s in shown.items()} == expected
        assert all(mem.document_seller(d) is None for d in drafts)
