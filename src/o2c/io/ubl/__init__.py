"""UBL 2.1 e-invoices: EN 16931 / Peppol BIS Billing 3.0 Invoice and CreditNote.

* :func:`write_ubl` writes an issued :class:`~o2c.billing.Document` and its
  :class:`~o2c.parties.Seller` as a UBL ``Invoice`` (380, debit note 383) or
  ``CreditNote`` (381), built with lxml.
* :func:`read_ubl` reads one back into a :class:`UblDocument` (parties, lines, VAT
  breakdown, totals), refusing DOCTYPEs and entities before anything is expanded.
* :func:`unit_code` maps o2c unit names onto UN/ECE Rec 20 codes (:data:`UNIT_CODES`);
  :func:`rate_card_units` collects the units of a rate card's items.

The mapping onto the EN 16931 business terms, and the choices made where the norm has
no element (withholdings), are in the e-invoicing guide (docs/guide/einvoicing.md).
"""

from o2c.io.ubl._codes import (
    CUSTOMIZATION_ID,
    PROFILE_ID,
    UNIT_CODES,
    VAT_EAS,
    default_exemption,
    rate_card_units,
    unit_code,
    vat_identifier,
)
from o2c.io.ubl._model import (
    PrecedingInvoice,
    UblAllowanceCharge,
    UblDocument,
    UblLine,
    UblParty,
    UblPayment,
    UblTaxSubtotal,
    UblTotals,
)
from o2c.io.ubl._read import MAX_UBL_BYTES, read_ubl
from o2c.io.ubl._write import write_ubl

__all__ = [
    "CUSTOMIZATION_ID",
    "MAX_UBL_BYTES",
    "PROFILE_ID",
    "UNIT_CODES",
    "VAT_EAS",
    "PrecedingInvoice",
    "UblAllowanceCharge",
    "UblDocument",
    "UblLine",
    "UblParty",
    "UblPayment",
    "UblTaxSubtotal",
    "UblTotals",
    "default_exemption",
    "rate_card_units",
    "read_ubl",
    "unit_code",
    "vat_identifier",
    "write_ubl",
]
