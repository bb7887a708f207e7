"""The payment reference printed on an invoice: an ISO 11649 structured creditor reference.

A customer who pays quotes it in the remittance line of the transfer; cash application
(:mod:`o2c.ledger.cashapp`) matches it back to the invoice, with or without its spaces.
The reference is ``RF``, two check digits (ISO 7064 mod 97-10) and the document number's
letters and digits, so it is derived from the number alone and never stored.

Example:
    >>> payment_reference("INV-2026-000042")
    'RF54INV2026000042'
    >>> payment_reference_printed("INV-2026-000042")
    'RF54 INV2 0260 0004 2'
"""

from __future__ import annotations

from o2c.billing._documents import Document, DocumentStatus
from o2c.errors import ValidationError
from o2c.ledger.cashapp import creditor_reference

__all__ = ["payment_reference", "payment_reference_printed"]


def payment_reference(document: Document | str) -> str:
    """The ISO 11649 creditor reference of an issued ``document`` (or of a document
    number), compact: ``"RF54INV2026000042"``.

    Raises:
        ValidationError: A draft (it has no number yet), or a number with no letter or
            digit or more than 21 of them.
    """
    if isinstance(document, Document):
        if document.status is DocumentStatus.DRAFT or document.number is None:
            raise ValidationError(
                "number", document.id, "an issued document (a draft has no number to pay by)"
            )
        return creditor_reference(document.number)
    return creditor_reference(document)


def payment_reference_printed(document: Document | str) -> str:
    """:func:`payment_reference` in groups of four, as printed on documents."""
    from stdnum import iso11649

    return str(iso11649.format(payment_reference(document)))
