"""The reader of stored contracts: the common shapes directly, the rest through cattrs.

Reading a contract through cattrs costs about a millisecond (it resolves hooks per
field); a bill run reads every contract, so this module reads the common shapes (flat,
per-unit, graduated and volume lines, no overrides, discounts or commitments) directly
and hands anything else to cattrs. Which shapes it reads is decided by explicit checks
of the stored keys (:class:`_Unusual` otherwise), not by catching errors. A test checks
both readers agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

from o2c.calendar import BillingCycle, Cycle, PaymentTerms, TermsKind
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import Flat, Graduated, PerUnit, PriceModel, Tier, Volume

__all__ = ["read_contract"]


def _opt(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _tiers(data: Mapping[str, Any]) -> list[Tier]:
    return [
        Tier(
            _opt(t["up_to"]),
            Decimal(t["unit_price"]),
            Decimal(t["flat_fee"]),
        )
        for t in data["tiers"]
    ]


def _per_unit(d: Mapping[str, Any]) -> PriceModel:
    return PerUnit(
        unit_price=Decimal(d["unit_price"]),
        free_units=Decimal(d["free_units"]),
        minimum=_opt(d["minimum"]),
        maximum=_opt(d["maximum"]),
        allow_credits=bool(d["allow_credits"]),
    )


def _graduated(d: Mapping[str, Any]) -> PriceModel:
    return Graduated(
        tiers=_tiers(d),
        free_units=Decimal(d["free_units"]),
        minimum=_opt(d["minimum"]),
        maximum=_opt(d["maximum"]),
    )


def _volume(d: Mapping[str, Any]) -> PriceModel:
    return Volume(
        tiers=_tiers(d),
        free_units=Decimal(d["free_units"]),
        minimum=_opt(d["minimum"]),
        maximum=_opt(d["maximum"]),
    )


def _flat(d: Mapping[str, Any]) -> PriceModel:
    return Flat(price=Decimal(d["price"]), allow_credits=bool(d["allow_credits"]))


_MODELS: Final[dict[str, tuple[frozenset[str], Callable[[Mapping[str, Any]], PriceModel]]]] = {
    "PerUnit": (
        frozenset({"type", "unit_price", "free_units", "minimum", "maximum", "allow_credits"}),
        _per_unit,
    ),
    "Graduated": (frozenset({"type", "tiers", "free_units", "minimum", "maximum"}), _graduated),
    "Volume": (frozenset({"type", "tiers", "free_units", "minimum", "maximum"}), _volume),
    "Flat": (frozenset({"type", "price", "allow_credits"}), _flat),
}
_TIER_KEYS: Final = frozenset({"up_to", "unit_price", "flat_fee"})
_LINE_KEYS: Final = frozenset(
    {"id", "item", "kind", "quantity", "description", "model", "tax_code"}
)
_VERSION_KEYS: Final = frozenset(
    {
        "effective_from",
        "lines",
        "cycle",
        "currency",
        "rate_card",
        "timing",
        "overrides",
        "discounts",
        "commitments",
        "po_number",
        "payment_terms",
        "locale",
    }
)


class _Unusual(Exception):
    """The stored contract has a shape this reader leaves to cattrs."""


def _model(data: object) -> PriceModel | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _Unusual
    known = _MODELS.get(str(data.get("type")))
    if known is None or set(data) != known[0]:
        raise _Unusual
    if "tiers" in data and not (
        isinstance(data["tiers"], list)
        and all(isinstance(t, Mapping) and set(t) == _TIER_KEYS for t in data["tiers"])
    ):
        raise _Unusual
    return known[1](data)


def _terms(data: object) -> PaymentTerms | None:
    if data is None:
        return None
    if isinstance(data, str):
        return PaymentTerms.parse(data)
    if not isinstance(data, dict) or set(data) != {"kind", "days"}:
        raise _Unusual
    return PaymentTerms(TermsKind(data["kind"]), int(data["days"]))


def _version(v: Mapping[str, Any]) -> ContractVersion:
    if not isinstance(v, Mapping) or set(v) != _VERSION_KEYS:
        raise _Unusual
    if v["overrides"] or v["discounts"] or v["commitments"]:
        raise _Unusual
    cycle = v["cycle"]
    if not isinstance(v["lines"], list) or not isinstance(cycle, Mapping):
        raise _Unusual
    lines = []
    for line in v["lines"]:
        if not isinstance(line, Mapping) or set(line) != _LINE_KEYS:
            raise _Unusual
        lines.append(
            ContractLine(
                str(line["id"]),
                ItemCode(str(line["item"])),
                ChargeKind(line["kind"]),
                Decimal(line["quantity"]),
                str(line["description"]),
                _model(line["model"]),
                str(line["tax_code"]),
            )
        )
    return ContractVersion(
        dt.date.fromisoformat(v["effective_from"]),
        tuple(lines),
        BillingCycle(Cycle(cycle["cycle"]), dt.date.fromisoformat(cycle["anchor"])),
        Currency.of(v["currency"]),
        rate_card=str(v["rate_card"]),
        timing=BillingTiming(v["timing"]),
        po_number=v["po_number"],
        payment_terms=_terms(v["payment_terms"]),
        locale=v["locale"],
    )


def read_contract(data: Mapping[str, Any], fallback: Callable[[object], Contract]) -> Contract:
    """Read a stored contract, with ``fallback`` (cattrs) for shapes not handled here."""
    try:
        if not isinstance(data, Mapping) or set(data) != {"id", "customer_id", "versions", "end"}:
            raise _Unusual
        end = data["end"]
        versions = data["versions"]
        if not isinstance(versions, list):
            raise _Unusual
        return Contract(
            ContractId(str(data["id"])),
            CustomerId(str(data["customer_id"])),
            tuple(_version(v) for v in versions),
            None if end is None else dt.date.fromisoformat(end),
        )
    except _Unusual:
        return fallback(data)
