"""Payment reference: each invoice's ISO 11649 structured creditor reference (RF)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from o2c.billing import DocumentStatus, payment_reference, payment_reference_printed
from o2c.errors import ValidationError
from o2c.ids import DocumentId
from o2c.ledger.cashapp import creditor_reference
from tests.billing.builders import issued_invoice, taxed_line


def test_the_standards_worked_example_has_check_digits_18() -> None:
    # ISO 11649's example: reference 539007547034 -> RF18 5390 0754 7034.
    assert payment_reference("539007547034") == "RF18539007547034"
    assert payment_reference_printed("539007547034") == "RF18 5390 0754 7034"


def test_an_invoice_number_gives_rf_check_digits_and_its_letters_and_digits() -> None:
    # INV2026000042 + "RF00" as digits (I=18, N=23, V=31, R=27, F=15) is 44 mod 97: 98 - 44 = 54.
    assert payment_reference("INV-2026-000042") == "RF54INV2026000042"
    assert payment_reference("inv-2026-000001") == "RF94INV2026000001"
    assert payment_reference_printed("INV-2026-000042") == "RF54 INV2 0260 0004 2"


def test_the_payment_reference_of_an_issued_document_is_that_of_its_number() -> None:
    doc = issued_invoice(taxed_line("SEAT", "1", "100.00"))
    assert doc.number is not None
    assert payment_reference(doc) == creditor_reference(doc.number)


def test_a_draft_has_no_payment_reference() -> None:
    import attrs

    doc = issued_invoice(taxed_line("SEAT", "1", "100.00"))
    draft = attrs.evolve(
        doc, status=DocumentStatus.DRAFT, number=None, issue_date=None, id=DocumentId("D-9")
    )
    with pytest.raises(ValidationError, match="draft has no number"):
        payment_reference(draft)


@pytest.mark.parametrize("number", ["", "---", "INV-2026-0000000000000000042"])
def test_a_number_without_characters_or_over_21_of_them_is_refused(number: str) -> None:
    with pytest.raises(ValidationError, match="1 to 21 letters and digits"):
        payment_reference(number)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/ ", min_size=1, max_size=30))
def test_every_reference_is_valid_iso_11649_and_mod_97_10(number: str) -> None:
    body = "".join(c for c in number if c.isalnum())
    if not 1 <= len(body) <= 21:
        return
    reference = payment_reference(number)
    assert reference == f"RF{reference[2:4]}{body}"
    assert iso11649.is_valid(reference)
    assert mod_97_10.is_valid(reference[4:] + reference[:4])
