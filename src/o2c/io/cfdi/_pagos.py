"""The Pagos 2.0 payment complement: a CFDI of type P for a payment applied to PPD invoices.

satcfdi builds the complement from the stamped invoices (DoctoRelacionado with its UUID,
the taxes paid in proportion, ImpuestosP and the Totales) and seals it; o2c gives it the
installment number, previous balance and amount paid of each invoice from the AR ledger
(:class:`Installment`), and refuses what a PAC would: an invoice paid in one exhibition
(PUE), an installment above its balance, a payment form "99", a foreign currency without
its exchange rate.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import attrs
from lxml import etree

from o2c.errors import ValidationError
from o2c.io.cfdi._csd import Csd
from o2c.io.cfdi._master import catalog_name
from o2c.io.cfdi._verify import CFDI_NS, parse_cfdi

__all__ = ["Installment", "write_payment_complement"]

_C: Final = "{" + CFDI_NS + "}"
_RATE: Final = Decimal("0.000001")
_CENT: Final = Decimal("0.01")


@attrs.frozen(slots=True)
class Installment:
    """One invoice's part of a payment, as the AR ledger has it.

    Attributes:
        invoice: The invoice's stamped CFDI (as the PAC returned it).
        number: NumParcialidad: 1 for the first payment applied to the invoice.
        previous_balance: ImpSaldoAnt: what was open on the invoice before this payment.
        paid: ImpPagado: what this payment applied to it.
    """

    invoice: bytes
    number: int
    previous_balance: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        """ImpSaldoInsoluto: what stays open after this payment."""
        return self.previous_balance - self.paid


def _check(index: int, part: Installment, root: etree._Element) -> list[ValidationError]:
    field = f"installments[{index}]"
    problems: list[ValidationError] = []
    folio = root.get("Folio") or root.get("Serie") or "?"
    if root.get("MetodoPago") != "PPD":
        problems.append(
            ValidationError(
                f"{field}.invoice",
                folio,
                "an invoice issued PPD (a PUE invoice was paid at issue: no complement)",
            )
        )
    if part.number < 1 or part.number > 999:
        problems.append(ValidationError(f"{field}.number", part.number, "1 to 999"))
    if part.paid <= 0:
        problems.append(ValidationError(f"{field}.paid", str(part.paid), "an amount above zero"))
    total = Decimal(root.get("Total") or "0")
    if not 0 < part.previous_balance <= total:
        problems.append(
            ValidationError(
                f"{field}.previous_balance",
                str(part.previous_balance),
                f"an open balance of {folio} above zero and at most its total {total}",
            )
        )
    if part.paid > part.previous_balance:
        problems.append(
            ValidationError(
                f"{field}.paid",
                str(part.paid),
                f"at most the previous balance {part.previous_balance} of {folio}",
            )
        )
    return problems


def write_payment_complement(
    installments: Sequence[Installment],
    *,
    paid_at: dt.datetime,
    payment_form: str,
    csd: Csd,
    issued_at: dt.datetime,
    folio: str,
    exchange_rate: Decimal | None = None,
) -> bytes:
    """Write the sealed Pagos 2.0 CFDI of one payment applied to the ``installments``.

    Args:
        installments: Each invoice the payment settles (all of one currency, issuer and
            receiver), with its installment number, previous balance and amount paid.
        paid_at: FechaPago (12:00:00 when the time is not known, as SAT asks).
        payment_form: FormaDePagoP (c_FormaPago; not 99).
        csd: The issuer's CSD.
        issued_at: Fecha of the complement: local time at the expedition place.
        folio: The complement's folio (the payment's id).
        exchange_rate: TipoCambioP: pesos per unit of the payment's currency; required
            when it is not MXN.

    Returns:
        The sealed CFDI (TipoDeComprobante P), UTF-8 XML.

    Raises:
        ValidationError: Any of the problems above (all in one message).
    """
    from satcfdi.cfdi import CFDI
    from satcfdi.create.cfd import cfdi40

    from o2c.io.cfdi._master import refuse

    if not installments:
        raise ValidationError("installments", "[]", "at least one invoice the payment settles")
    problems: list[ValidationError] = []
    roots = [parse_cfdi(part.invoice) for part in installments]
    for index, (part, root) in enumerate(zip(installments, roots, strict=True)):
        problems += _check(index, part, root)
    if payment_form == "99" or catalog_name("c_FormaPago", payment_form) is None:
        problems.append(
            ValidationError("payment_form", payment_form, "a c_FormaPago code other than 99")
        )
    currency = roots[0].get("Moneda", "")
    if currency != "MXN" and (exchange_rate is None or exchange_rate <= 0):
        problems.append(
            ValidationError(
                "exchange_rate",
                None if exchange_rate is None else str(exchange_rate),
                f"the pesos per {currency} of the payment (TipoCambioP)",
            )
        )
    emisor = roots[0].find(f"{_C}Emisor")
    issuer = "" if emisor is None else emisor.get("Rfc", "")
    if csd.rfc != issuer:
        problems.append(ValidationError("csd", csd.rfc, f"a CSD of the issuer's RFC {issuer}"))
    refuse(problems)
    parts = [
        cfdi40.PagoComprobante(
            comprobante=CFDI.from_xml(root),
            num_parcialidad=part.number,
            imp_saldo_ant=part.previous_balance,
            imp_pagado=part.paid,
        )
        for part, root in zip(installments, roots, strict=True)
    ]
    rate = None if currency == "MXN" or exchange_rate is None else exchange_rate.quantize(_RATE)
    with decimal.localcontext() as context:
        # The taxes paid are rounded half up, as o2c rounds (satcfdi uses the context).
        context.rounding = decimal.ROUND_HALF_UP
        try:
            built = cfdi40.Comprobante.pago_comprobantes(
                comprobantes=parts,
                fecha_pago=paid_at.replace(tzinfo=None, microsecond=0),
                forma_pago=payment_form,
                tipo_cambio=rate,
                folio=folio,
                fecha=issued_at.replace(tzinfo=None, microsecond=0),
            )
        except ValueError as exc:
            raise ValidationError(
                "installments",
                str(exc),
                "invoices of one currency, issuer and receiver in one complement",
            ) from None
    _round_totals(built)
    built.sign(csd.signer)
    return bytes(built.xml_bytes())


def _round_totals(built: Any) -> None:
    # Totales are in pesos: the payment's amounts x TipoCambioP, which satcfdi leaves
    # unrounded for a foreign-currency payment; t_ImporteMXN has two decimals.
    complement = built["Complemento"]
    pagos = complement[0] if isinstance(complement, list) else complement
    totals = pagos["Totales"]
    for name, value in list(totals.items()):
        totals[name] = Decimal(value).quantize(_CENT, rounding=decimal.ROUND_HALF_UP)
