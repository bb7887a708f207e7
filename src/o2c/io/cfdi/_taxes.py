"""o2c's line taxes as CFDI 4.0 traslados and retenciones, and Anexo 20's rounding limits.

Anexo 20 lets a concept's tax amount be anything between a lower and an upper limit
computed from its base and rate with half a minor unit either way (the PAC recomputes
them, for transfers and withholdings alike). o2c rounds
each line's tax (CFDI's per-line rounding regime), which lands inside; a document taxed
per document and rate could fall outside, and :func:`concept_taxes` refuses it before
anything is sealed.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Final

import attrs

from o2c.billing import DocumentLine, LineTax
from o2c.errors import ValidationError

__all__ = ["ConceptTax", "concept_taxes", "tax_limits"]

#: Rates are written with six decimals (c_TasaOCuota).
_RATE: Final = Decimal("0.000001")
#: Our tax names (the rate table's ``tax``) and SAT's c_Impuesto codes.
_IMPUESTO: Final = (("MX-ISR", "001"), ("MX-IVA", "002"), ("MX-IEPS", "003"))
_TINY: Final = Decimal("1e-12")


@attrs.frozen(slots=True)
class ConceptTax:
    """One tax of one concept as a CFDI writes it.

    Attributes:
        withheld: A retención (else a traslado).
        impuesto: c_Impuesto (001 ISR, 002 IVA, 003 IEPS).
        factor: c_TipoFactor: ``Tasa`` or ``Exento``.
        rate: TasaOCuota (six decimals); ``None`` when exempt.
        base: The concept's base (its net after discounts).
        amount: Importe; ``None`` when exempt.
    """

    withheld: bool
    impuesto: str
    factor: str
    rate: Decimal | None
    base: Decimal
    amount: Decimal | None


def tax_limits(base: Decimal, rate: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    """Anexo 20's lower and upper limits of a tax amount on ``base`` at ``rate``.

    lower = (base - half a minor unit) x rate, truncated; upper = (base + half a minor
    unit - 10^-12) x rate, rounded up.

    Example:
        >>> tax_limits(Decimal("10000.00"), Decimal("0.106667"), 2)
        (Decimal('1066.66'), Decimal('1066.68'))
    """
    unit = Decimal(1).scaleb(-decimals)
    half = unit / 2
    lower = ((base - half) * rate).quantize(unit, rounding=ROUND_DOWN)
    upper = ((base + half - _TINY) * rate).quantize(unit, rounding=ROUND_UP)
    return lower, upper


def _impuesto(index: int, tax: LineTax) -> str:
    name = tax.tax or tax.code
    for prefix, code in _IMPUESTO:
        if name.startswith(prefix):
            return code
    raise ValidationError(
        f"lines[{index}].taxes",
        tax.code,
        "a Mexican tax (IVA, ISR or IEPS from the MX tax table) for a CFDI",
    )


def concept_taxes(index: int, line: DocumentLine, decimals: int) -> tuple[ConceptTax, ...]:
    """The CFDI taxes of document line ``index``, each checked against Anexo 20's limits.

    Raises:
        ValidationError: A tax is not Mexican, or its amount is outside the limits a PAC
            allows (the field names the line and the tax code).
    """
    base = line.net.amount
    found: list[ConceptTax] = []
    for tax in line.taxes:
        impuesto = _impuesto(index, tax)
        if tax.category == "E" and not tax.withholding:
            found.append(ConceptTax(False, impuesto, "Exento", None, base, None))
            continue
        rate = tax.rate.quantize(_RATE)
        amount = tax.amount.amount
        lower, upper = tax_limits(base, rate, decimals)
        if not lower <= amount <= upper:
            raise ValidationError(
                f"lines[{index}].taxes[{tax.code}].amount",
                str(amount),
                f"a tax between {lower} and {upper} on {base} at {rate} (Anexo 20 limits;"
                " tax Mexican documents per line)",
            )
        found.append(ConceptTax(tax.withholding, impuesto, "Tasa", rate, base, amount))
    return tuple(found)
