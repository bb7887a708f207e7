"""Tax id checks (RFC, EU VAT ids...) with python-stdnum instead of regexes."""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Final, cast

from o2c.errors import ValidationError

__all__ = ["is_valid_tax_id", "tax_id_problem", "validate_tax_id"]

#: Countries whose VAT ids carry another prefix than their ISO code.
_VAT_PREFIX: Final = {"GR": "EL"}


# python-stdnum is imported when a tax id is checked: importing it loads ssl and its
# online-check helpers (~20 ms), which o2c --help and most reads never need.


@functools.cache
def _eu_vat_prefixes() -> frozenset[str]:
    from stdnum.eu import vat as eu_vat

    return frozenset(c.upper() for c in eu_vat.MEMBER_STATES) | {"EL"}


@functools.lru_cache(maxsize=64)
def _module(country: str) -> ModuleType | None:
    from stdnum import get_cc_module

    for kind in ("vat", "tin"):
        module = get_cc_module(country.lower(), kind)
        if module is not None:
            return cast(ModuleType, module)
    return None


def validate_tax_id(country: str, value: str) -> str:
    """Check a tax id for ``country`` and return it in compact form.

    Mexico's RFC is checked with ``stdnum.mx.rfc``; EU VAT ids with ``stdnum.eu.vat``
    (the country prefix is added when missing, ``EL`` for Greece); other countries with
    python-stdnum's module for them when it has one. A country python-stdnum does not know
    is accepted as given (stripped).

    Raises:
        ValidationError: The id is empty or fails the country's format or check digits.

    Example:
        >>> validate_tax_id("DE", "136 695 976")
        'DE136695976'
        >>> validate_tax_id("MX", "gode561231gr8")
        'GODE561231GR8'
        >>> validate_tax_id("DE", "DE123")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: tax_id: expected a valid DE tax id (...), got 'DE123'
    """
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.mx import rfc as mx_rfc

    cc = country.strip().upper()
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("tax_id", value, f"a {cc} tax id")
    try:
        if cc == "MX":
            return str(mx_rfc.validate(value))
        prefix = _VAT_PREFIX.get(cc, cc)
        if prefix in _eu_vat_prefixes():
            compact = "".join(c for c in value.upper() if c.isalnum())
            if not compact[:2].isalpha():
                compact = prefix + compact
            if compact[:2] != prefix:
                raise ValidationError(
                    "tax_id", value, f"a VAT id of {cc} (prefix {prefix}), not {compact[:2]}"
                )
            return str(eu_vat.validate(compact))
        module = _module(cc)
        if module is None:
            return value.strip()
        return str(module.validate(value))
    except StdnumError as err:
        raise ValidationError("tax_id", value, f"a valid {cc} tax id ({err})") from None


def tax_id_problem(country: str, value: str | None) -> str | None:
    """Why ``value`` is not a valid tax id of ``country``, or ``None`` when it is."""
    if not value:
        return "no tax id"
    try:
        validate_tax_id(country, value)
    except ValidationError as err:
        return err.expected
    return None


def is_valid_tax_id(country: str, value: str | None) -> bool:
    """Whether ``value`` is a valid tax id of ``country``.

    Example:
        >>> is_valid_tax_id("ES", "ESB58378431"), is_valid_tax_id("ES", "ES123")
        (True, False)
    """
    return tax_id_problem(country, value) is None
