"""The master data a CFDI 4.0 needs that o2c's parties and items do not carry, and its checks.

SAT's catalogues (c_RegimenFiscal, c_UsoCFDI, c_ClaveProdServ, c_ClaveUnidad, c_ObjetoImp,
c_CodigoPostal, c_FormaPago, c_MetodoPago, c_Moneda) are read from satcfdi's bundled
catalogue database. Two rules of those catalogues are columns satcfdi does not carry, so
o2c keeps them here: which regimes apply to individuals or companies (c_RegimenFiscal
"Física"/"Moral") and which receiver regimes each CFDI use allows (c_UsoCFDI "Régimen
Fiscal Receptor"); a PAC refuses a breach of them.

Each check returns its problems as :class:`~o2c.errors.ValidationError` values (field and
value named), so a user sees all of them at once; :func:`refuse` raises them as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from o2c.errors import ValidationError

__all__ = [
    "FOREIGN_RFC",
    "GENERIC_RFCS",
    "PUBLIC_RFC",
    "CfdiCustomer",
    "CfdiItem",
    "CfdiSeller",
    "catalog_name",
    "check_customer",
    "check_item",
    "check_rfc",
    "check_seller",
    "refuse",
]

#: Generic RFC for sales to the general public (público en general).
PUBLIC_RFC: Final = "XAXX010101000"
#: Generic RFC for foreign residents without a Mexican RFC.
FOREIGN_RFC: Final = "XEXX010101000"
GENERIC_RFCS: Final = frozenset({PUBLIC_RFC, FOREIGN_RFC})

#: c_RegimenFiscal: regimes of individuals (F) and of companies (M).
_INDIVIDUAL: Final = frozenset(
    {"605", "606", "607", "608", "610", "611", "612", "614", "615", "616", "621", "625", "626"}
)
_COMPANY: Final = frozenset({"601", "603", "610", "620", "622", "623", "624", "626"})
#: c_UsoCFDI: the receiver regimes each use allows (Anexo 20, catálogo c_UsoCFDI).
_BUSINESS: Final = frozenset(
    {"601", "603", "606", "612", "620", "621", "622", "623", "624", "625", "626"}
)
_DEDUCTIONS: Final = frozenset({"605", "606", "607", "608", "611", "612", "614", "615", "625"})
_NO_EFFECT: Final = frozenset(
    {
        "601",
        "603",
        "605",
        "606",
        "607",
        "608",
        "610",
        "611",
        "612",
        "614",
        "615",
        "616",
        "620",
        "621",
        "622",
        "623",
        "624",
        "625",
        "626",
    }
)
_USE_REGIMES: Final[dict[str, frozenset[str]]] = {
    **dict.fromkeys(("G01", "G02", "G03"), _BUSINESS),
    **{f"I0{n}": _BUSINESS for n in range(1, 9)},
    **{f"D{n:02d}": _DEDUCTIONS for n in range(1, 11)},
    "S01": _NO_EFFECT,
    "CP01": _NO_EFFECT,
    "CN01": frozenset({"605"}),
}
_INDIVIDUAL_ONLY_USES: Final = frozenset({f"D{n:02d}" for n in range(1, 11)} | {"CN01"})


def catalog_name(catalog: str, code: str) -> str | None:
    """The SAT description of ``code`` in ``catalog`` (``"c_UsoCFDI"``), or ``None``.

    Example:
        >>> catalog_name("c_UsoCFDI", "G03")
        'Gastos en general'
        >>> catalog_name("c_UsoCFDI", "G99") is None
        True
    """
    from satcfdi.catalogs import select

    found = select(f"C756_{catalog}", code)
    if found is None:
        return None
    return str(found[0] if isinstance(found, list) else found)


def _in_catalog(problems: list[ValidationError], field: str, value: str, catalog: str) -> bool:
    if catalog_name(catalog, value) is None:
        problems.append(ValidationError(field, value, f"a code of SAT's {catalog} catalogue"))
        return False
    return True


def check_rfc(field: str, rfc: str) -> tuple[ValidationError, ...]:
    """Check an RFC's format, date and check digit (python-stdnum); generic RFCs pass.

    Example:
        >>> check_rfc("rfc", "EKU9003173C9")
        ()
        >>> print(check_rfc("rfc", "EKU9003173C8")[0])
        rfc: expected an RFC whose check digit is right (the last character), got 'EKU9003173C8'
    """
    from stdnum.exceptions import InvalidChecksum
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.mx import rfc as mx_rfc

    if rfc in GENERIC_RFCS:
        return ()
    try:
        number = mx_rfc.validate(rfc, validate_check_digits=True)
    except InvalidChecksum:
        return (
            ValidationError(field, rfc, "an RFC whose check digit is right (the last character)"),
        )
    except StdnumError:
        return (
            ValidationError(field, rfc, "an RFC of 12 (company) or 13 (individual) characters"),
        )
    if len(number) == 10:
        return (ValidationError(field, rfc, "an RFC with its homoclave (12 or 13 characters)"),)
    return ()


@attrs.frozen(slots=True)
class CfdiCustomer:
    """A customer's data for CFDI 4.0 receivers (Receptor), as in its Constancia de
    Situación Fiscal.

    Attributes:
        regime: Fiscal regime (c_RegimenFiscal), e.g. ``"601"``.
        postal_code: Postal code of the tax domicile (DomicilioFiscalReceptor).
        use: CFDI use (c_UsoCFDI), e.g. ``"G03"``.
        legal_name: Name exactly as registered with SAT (no "S.A. de C.V."), when it
            differs from the customer's legal name.
        rfc: RFC, when it differs from the customer's tax id (a generic RFC for a
            foreigner).
        payment_method: PUE (paid at issue) or PPD (in instalments or later).
        payment_form: c_FormaPago (``"03"`` transfer; ``"99"`` to be defined, for PPD).
        tax_residence: ISO 3166 alpha-3 country of a foreign receiver (ResidenciaFiscal).
        foreign_tax_id: The foreign receiver's tax id (NumRegIdTrib).
    """

    regime: str
    postal_code: str
    use: str
    legal_name: str = ""
    rfc: str = ""
    payment_method: str = "PPD"
    payment_form: str = "99"
    tax_residence: str = ""
    foreign_tax_id: str = ""


@attrs.frozen(slots=True)
class CfdiItem:
    """An item's SAT keys for CFDI concepts.

    Attributes:
        product_key: c_ClaveProdServ (``"80101500"`` business consulting).
        unit_key: c_ClaveUnidad (``"E48"`` service unit, ``"H87"`` piece).
        tax_object: c_ObjetoImp; empty: ``"02"`` when the line carries a tax, else ``"01"``.
    """

    product_key: str
    unit_key: str
    tax_object: str = ""


@attrs.frozen(slots=True)
class CfdiSeller:
    """The issuer's CFDI data where the seller identity does not hold it.

    Attributes:
        regime: Fiscal regime (c_RegimenFiscal) of the issuer; empty: the seller's
            tax profile regime.
        postal_code: Expedition postal code (LugarExpedicion); empty: the seller's
            address postal code.
        legal_name: Name exactly as registered with SAT, when it differs from the
            seller's legal name.
    """

    regime: str = ""
    postal_code: str = ""
    legal_name: str = ""


def check_customer(
    data: CfdiCustomer, *, rfc: str, field: str = "customer"
) -> tuple[ValidationError, ...]:
    """Check a receiver's data against SAT's catalogues and the c_UsoCFDI regime rules.

    Args:
        data: The customer's CFDI data.
        rfc: The receiver's RFC (``data.rfc`` or the customer's tax id).
        field: Prefix of the field names in the problems.

    Example:
        >>> bad = CfdiCustomer(regime="605", postal_code="06600", use="G03")
        >>> print(check_customer(bad, rfc="EKU9003173C9")[0].field)
        customer.regime
    """
    problems = list(check_rfc(f"{field}.rfc", rfc))
    regime_known = _in_catalog(problems, f"{field}.regime", data.regime, "c_RegimenFiscal")
    use_known = _in_catalog(problems, f"{field}.use", data.use, "c_UsoCFDI")
    _in_catalog(problems, f"{field}.postal_code", data.postal_code, "c_CodigoPostal")
    _payment(problems, field, data.payment_method, data.payment_form)
    if rfc in GENERIC_RFCS:
        if data.regime != "616" or data.use != "S01":
            problems.append(
                ValidationError(
                    f"{field}.regime",
                    f"{data.regime}/{data.use}",
                    f"regime 616 and use S01 for the generic RFC {rfc}",
                )
            )
        return tuple(problems)
    if regime_known and len(rfc) in (12, 13):
        allowed = _COMPANY if len(rfc) == 12 else _INDIVIDUAL
        if data.regime not in allowed:
            who = "a company (RFC of 12" if len(rfc) == 12 else "an individual (RFC of 13"
            problems.append(
                ValidationError(
                    f"{field}.regime",
                    data.regime,
                    f"a regime of {who} characters: {', '.join(sorted(allowed))})",
                )
            )
    if regime_known and use_known:
        allowed_regimes = _USE_REGIMES.get(data.use, _NO_EFFECT)
        if data.regime not in allowed_regimes:
            problems.append(
                ValidationError(
                    f"{field}.use",
                    data.use,
                    f"a CFDI use that regime {data.regime} may receive (c_UsoCFDI; "
                    f"{data.use} allows regimes {', '.join(sorted(allowed_regimes))})",
                )
            )
        elif data.use in _INDIVIDUAL_ONLY_USES and len(rfc) == 12:
            problems.append(
                ValidationError(
                    f"{field}.use", data.use, "a CFDI use for companies (D01-D10 are personal)"
                )
            )
    return tuple(problems)


def _payment(problems: list[ValidationError], field: str, method: str, form: str) -> None:
    if method not in ("PUE", "PPD"):
        problems.append(
            ValidationError(f"{field}.payment_method", method, "PUE or PPD (c_MetodoPago)")
        )
    if _in_catalog(problems, f"{field}.payment_form", form, "c_FormaPago"):
        if method == "PPD" and form != "99":
            problems.append(
                ValidationError(f"{field}.payment_form", form, "99 (to be defined) with PPD")
            )
        if method == "PUE" and form == "99":
            problems.append(
                ValidationError(
                    f"{field}.payment_form", form, "the actual payment form with PUE, not 99"
                )
            )


def check_item(data: CfdiItem, *, field: str = "item") -> tuple[ValidationError, ...]:
    """Check an item's SAT keys against c_ClaveProdServ, c_ClaveUnidad and c_ObjetoImp.

    Example:
        >>> check_item(CfdiItem("80101500", "E48"))
        ()
        >>> print(check_item(CfdiItem("80101500", "NOPE"))[0])
        item.unit_key: expected a code of SAT's c_ClaveUnidad catalogue, got 'NOPE'
    """
    problems: list[ValidationError] = []
    _in_catalog(problems, f"{field}.product_key", data.product_key, "c_ClaveProdServ")
    _in_catalog(problems, f"{field}.unit_key", data.unit_key, "c_ClaveUnidad")
    if data.tax_object:
        _in_catalog(problems, f"{field}.tax_object", data.tax_object, "c_ObjetoImp")
    return tuple(problems)


def check_seller(
    *, rfc: str, regime: str, postal_code: str, field: str = "seller"
) -> tuple[ValidationError, ...]:
    """Check the issuer's RFC, regime and expedition postal code.

    Example:
        >>> check_seller(rfc="EKU9003173C9", regime="601", postal_code="42501")
        ()
    """
    problems = list(check_rfc(f"{field}.rfc", rfc))
    if rfc in GENERIC_RFCS:
        problems.append(ValidationError(f"{field}.rfc", rfc, "the issuer's own RFC"))
    _in_catalog(problems, f"{field}.postal_code", postal_code, "c_CodigoPostal")
    if _in_catalog(problems, f"{field}.regime", regime, "c_RegimenFiscal") and len(rfc) in (
        12,
        13,
    ):
        allowed = _COMPANY if len(rfc) == 12 else _INDIVIDUAL
        if regime not in allowed:
            problems.append(
                ValidationError(
                    f"{field}.regime",
                    regime,
                    f"a regime for an RFC of {len(rfc)} characters ({', '.join(sorted(allowed))})",
                )
            )
    return tuple(problems)


def refuse(problems: Iterable[ValidationError] | Sequence[ValidationError]) -> None:
    """Raise the problems as one :class:`~o2c.errors.ValidationError` (the first one's
    field and value, every message), or return when there are none."""
    found = list(problems)
    if not found:
        return
    first = found[0]
    raise ValidationError(
        first.field, first.value, first.expected, message="; ".join(str(p) for p in found)
    )
