"""Mexico's CFDI 4.0 e-invoices (optional extra ``o2c[mx]``, built on satcfdi).

* :func:`write_cfdi` writes an issued invoice or debit note as an Ingreso and a credit
  note as an Egreso related to its invoice's UUID (TipoRelacion 01), sealed with the
  issuer's CSD (:func:`load_csd`).
* :class:`CfdiCustomer`, :class:`CfdiItem`, :class:`CfdiSeller`: the master data a CFDI
  needs beyond o2c's parties and items; ``check_*`` test them against SAT's catalogues.
* :func:`verify_cfdi` checks a CFDI against SAT's XSDs, its totals and its seal.
* :class:`Pac` is the stamping interface; :class:`TestPac` stamps offline for tests.
* :func:`write_payment_complement` writes the Pagos 2.0 CFDI of a payment applied to PPD
  invoices, each an :class:`Installment` (number, previous balance, paid) from the ledger.

What satcfdi does and what o2c adds is in the CFDI guide (docs/guide/cfdi.md).
"""

from o2c.io.cfdi._build import (
    CREDIT_RELATION,
    CfdiIssuer,
    CfdiReceiver,
    cfdi_type,
    issuer_of,
    receiver_of,
    write_cfdi,
)
from o2c.io.cfdi._csd import Csd, load_csd
from o2c.io.cfdi._master import (
    FOREIGN_RFC,
    GENERIC_RFCS,
    PUBLIC_RFC,
    CfdiCustomer,
    CfdiItem,
    CfdiSeller,
    catalog_name,
    check_customer,
    check_item,
    check_rfc,
    check_seller,
    refuse,
)
from o2c.io.cfdi._pac import (
    Cancellation,
    CancelReason,
    CfdiRecord,
    Pac,
    Stamp,
    TestPac,
    stamp_of,
)
from o2c.io.cfdi._pagos import Installment, write_payment_complement
from o2c.io.cfdi._taxes import ConceptTax, concept_taxes, tax_limits
from o2c.io.cfdi._verify import CFDI_NS, PAGOS_NS, TFD_NS, check_totals, parse_cfdi, verify_cfdi

__all__ = [
    "CFDI_NS",
    "CREDIT_RELATION",
    "FOREIGN_RFC",
    "GENERIC_RFCS",
    "PAGOS_NS",
    "PUBLIC_RFC",
    "TFD_NS",
    "CancelReason",
    "Cancellation",
    "CfdiCustomer",
    "CfdiIssuer",
    "CfdiItem",
    "CfdiReceiver",
    "CfdiRecord",
    "CfdiSeller",
    "ConceptTax",
    "Csd",
    "Installment",
    "Pac",
    "Stamp",
    "TestPac",
    "catalog_name",
    "cfdi_type",
    "check_customer",
    "check_item",
    "check_rfc",
    "check_seller",
    "check_totals",
    "concept_taxes",
    "issuer_of",
    "load_csd",
    "parse_cfdi",
    "receiver_of",
    "refuse",
    "stamp_of",
    "tax_limits",
    "verify_cfdi",
    "write_cfdi",
    "write_payment_complement",
]
