"""Taxing document lines with :func:`o2c.tax.compute_tax`.

Billing prices lines, then hands them to the tax engine as
:class:`~o2c.tax.TaxableLine` values and turns the :class:`~o2c.tax.TaxResult` back into
:class:`~o2c.billing.LineTax` values on each line. The engine's breakdown (rounded per line
or per document and rate, as the regime says) becomes the document's breakdown as is.
The regime's description is the document's explanation (:meth:`TaxContext.explanation`,
shown by ``o2c invoice explain``, DESIGN.md lesson 2); the document's notes hold only the
legal texts the engine gives (reverse charge, exemption reasons, export), which are
printed for the customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from o2c.billing._documents import DocumentLine, LineSource, LineTax, TaxSubtotal
from o2c.money import Currency
from o2c.parties import Customer
from o2c.tax import (
    PersonType,
    TaxableLine,
    TaxCategory,
    TaxExemption,
    TaxKind,
    TaxProfile,
    TaxRegime,
    TaxResult,
    TaxTable,
    compute_tax,
    default_regime,
)

__all__ = [
    "TaxContext",
    "apply_tax",
    "customer_tax_profile",
    "item_tax_code",
]

_DEFAULT_CLASS: Final = "services"


@attrs.frozen(slots=True)
class TaxContext:
    """What taxing needs besides the lines and the buyer.

    Attributes:
        seller: The seller's tax profile.
        table: The rate table.
        regime: Rounding regime; ``None`` for the seller country's default.
        prices_include_tax: Whether line nets are really gross amounts.
    """

    seller: TaxProfile
    table: TaxTable
    regime: TaxRegime | None = None
    prices_include_tax: bool = False

    def explanation(self) -> tuple[str, ...]:
        """The technical explanation of documents taxed in this context (how tax is
        rounded), for a document's ``explain``, not its notes.

        Example:
            >>> from o2c.tax import TaxProfile, bundled_table
            >>> [text] = TaxContext(TaxProfile("MX"), bundled_table("MX")).explanation()
            >>> text.split(";")[0]
            'CFDI 4.0: tax rounded per line (half up)'
        """
        return ((self.regime or default_regime(self.seller.country)).describe(),)


def customer_tax_profile(customer: Customer, tax_point: dt.date | None = None) -> TaxProfile:
    """Map a customer onto the tax engine's :class:`~o2c.tax.TaxProfile`.

    A tax exemption counts only while it is valid on ``tax_point`` (always, when no tax
    point is given). A customer with a tax id is treated as a business (B2B).
    """
    exemption = customer.tax_exemption
    tax_exemption = None
    if exemption is not None and (tax_point is None or exemption.applies_on(tax_point)):
        tax_exemption = TaxExemption(exemption.reason, exemption.certificate or None)
    return TaxProfile(
        customer.country,
        customer.region,
        customer.tax_id,
        is_business=customer.person_type is PersonType.COMPANY or customer.tax_id is not None,
        person=customer.person_type,
        exemption=tax_exemption,
    )


def _line_taxes(result: TaxResult) -> list[tuple[LineTax, ...]]:
    out = []
    for taxed in result.lines:
        taxes = [
            LineTax(a.code, a.category.value, a.rate, a.amount, False, a.tax) for a in taxed.taxes
        ]
        taxes.extend(
            LineTax(a.code, a.category.value, a.rate, a.amount, True, a.tax)
            for a in taxed.withholdings
        )
        out.append(tuple(taxes))
    return out


def _breakdown(result: TaxResult) -> tuple[TaxSubtotal, ...]:
    rows = [
        TaxSubtotal(
            ",".join(b.codes),
            b.category.value,
            b.rate,
            b.base,
            b.amount,
            b.kind is TaxKind.WITHHOLDING,
            b.exemption_reason or "",
            b.tax,
            b.label,
        )
        for b in result.breakdown + result.withholdings
    ]
    return tuple(rows)


def item_tax_code(category: str) -> str:
    """The line tax code for a rate-card item of tax ``category`` (EN 16931).

    The standard category (``S``, or none) leaves the line to the rate table's default
    class; any other (``Z`` zero-rated, ``E`` exempt, ``O`` out of scope...) forces that
    category, so an item marked ``Z`` on the rate card is never taxed at the standard
    rate.

    Example:
        >>> item_tax_code("Z"), item_tax_code("S"), item_tax_code("")
        ('Z', '', '')
    """
    code = category.strip().upper()
    return "" if code in ("", "S") else code


def apply_tax(
    lines: Sequence[DocumentLine],
    customer: Customer,
    context: TaxContext,
    tax_point: dt.date,
    *,
    currency: Currency | None = None,
) -> tuple[tuple[DocumentLine, ...], tuple[TaxSubtotal, ...], tuple[str, ...]]:
    """Tax ``lines`` for ``customer``.

    Each line's ``tax_code`` is its tax class for the rate table (``"services"`` when
    empty; a code that is an EN 16931 category such as ``"E"`` or ``"O"`` forces that
    category).

    Returns:
        ``(taxed lines, breakdown, notes)``; pass the breakdown to
        :func:`~o2c.billing.draft_document`. The notes are the legal texts (exemptions,
        reverse charge) printed on the document; the rounding regime is
        :meth:`TaxContext.explanation`.

    Raises:
        ValidationError: A line is not rounded, or an exempt line lacks a reason.
        NotFound: The table has no rules for the seller's country.
    """
    taxable = []
    # A document discount's part on exempt lines reduces their base: it takes the
    # reason of the first exempt line, so the breakdown keeps one row for them.
    exempt_reason: str | None = None
    for index, line in enumerate(lines):
        code = line.tax_code or _DEFAULT_CLASS
        category: TaxCategory | None = None
        reason: str | None = None
        if len(code) <= 2:
            category = TaxCategory.parse(code, f"lines[{index}].tax_code")
            code = _DEFAULT_CLASS
            if category is TaxCategory.EXEMPT:
                if line.source is LineSource.DISCOUNT:
                    reason = exempt_reason or "discount on exempt items"
                else:
                    reason = f"item {line.item} is exempt"
                    exempt_reason = exempt_reason or reason
            elif category is TaxCategory.STANDARD:
                category = None
        taxable.append(TaxableLine(str(index + 1), line.net, code, category, reason))
    result = compute_tax(
        taxable,
        seller=context.seller,
        buyer=customer_tax_profile(customer, tax_point),
        tax_point=tax_point,
        table=context.table,
        regime=context.regime,
        prices_include_tax=context.prices_include_tax,
        currency=currency or customer.currency,
    )
    taxes = _line_taxes(result)
    taxed = []
    for line, taxed_line, line_taxes in zip(lines, result.lines, taxes, strict=True):
        if context.prices_include_tax and taxed_line.net != line.net:
            line = attrs.evolve(line, net=taxed_line.net)
        taxed.append(attrs.evolve(line, taxes=line_taxes))
    return tuple(taxed), _breakdown(result), result.notes
