"""Which taxes apply to a line: place of supply, categories and withholdings.

The rules here decide *what* is taxed where; the rate table says *how much*. A line's
plan depends only on the parties, the tax point, the tax class and a forced category,
so plans are memoized on the table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import NotFound
from o2c.tax._model import TaxCategory, TaxKind, TaxProfile
from o2c.tax._table import Sourcing, TaxRate, TaxTable
from o2c.tax._taxid import tax_id_problem

__all__ = ["Plan", "PlannedTax", "is_eu_member", "plan_line"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_MEMO_LIMIT: Final = 4096

#: EU member states for VAT (ISO codes; Greece is GR here, EL in VAT ids), with the
#: first and last day of membership where it changed since 2010.
_EU: Final = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
_HR_JOINED: Final = dt.date(2013, 7, 1)
_GB_LEFT: Final = dt.date(2021, 1, 1)

_DIRECTIVE: Final = "Council Directive 2006/112/EC"
NOTE_REVERSE_CHARGE: Final = (
    f"Reverse charge: VAT to be accounted for by the customer (Article 196, {_DIRECTIVE})"
)
NOTE_INTRA_COMMUNITY: Final = (
    f"Intra-community supply of goods, exempt from VAT (Article 138, {_DIRECTIVE})"
)
NOTE_EU_EXPORT: Final = (
    f"Export of goods outside the EU, exempt from VAT (Article 146, {_DIRECTIVE})"
)
NOTE_EU_SERVICES_ABROAD: Final = (
    "Outside the scope of EU VAT: the place of supply is the customer's country "
    f"(Article 44, {_DIRECTIVE})"
)
NOTE_EU_DIGITAL_ABROAD: Final = (
    "Outside the scope of EU VAT: electronically supplied services are taxed where the "
    f"customer lives (Article 58, {_DIRECTIVE})"
)
#: VATEX codes (CEF code list for EN 16931 BT-121) of the EU rules' categories.
_VATEX: Final = {
    TaxCategory.REVERSE_CHARGE: "VATEX-EU-AE",
    TaxCategory.INTRA_COMMUNITY: "VATEX-EU-IC",
    TaxCategory.EXPORT: "VATEX-EU-G",
    TaxCategory.OUT_OF_SCOPE: "VATEX-EU-O",
}
NOTE_MX_EXPORT: Final = "Exportación: IVA a la tasa del 0 % (LIVA art. 29)"


def is_eu_member(country: str, day: dt.date) -> bool:
    """Whether ``country`` was an EU member state for VAT on ``day``.

    Example:
        >>> is_eu_member("HR", dt.date(2013, 6, 30)), is_eu_member("HR", dt.date(2013, 7, 1))
        (False, True)
        >>> is_eu_member("GB", dt.date(2020, 12, 31)), is_eu_member("GB", dt.date(2021, 1, 1))
        (True, False)
    """
    if country in _EU:
        return True
    if country == "HR":
        return day >= _HR_JOINED
    if country == "GB":
        return day < _GB_LEFT
    return False


@attrs.frozen(slots=True)
class PlannedTax:
    """One tax or withholding the plan applies, before amounts."""

    tax: str
    code: str
    label: str
    kind: TaxKind
    category: TaxCategory
    rate: Decimal
    compound: bool
    rule: str
    note: str | None
    #: The VATEX exemption reason code (EN 16931 BT-121), when known.
    exemption_code: str | None = None
    #: The exemption reason shown in the breakdown (E, AE, K, G, O).
    reason: str | None = attrs.field(init=False)
    #: The breakdown entry this amount adds to.
    key: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        charged = self.category.charges_tax or self.category is TaxCategory.ZERO
        reason = None if charged else self.note
        object.__setattr__(self, "reason", reason)
        key = f"{self.kind.value}|{self.tax}|{self.category.value}|{self.rate}|{reason}"
        object.__setattr__(self, "key", key)


@attrs.frozen(slots=True)
class Plan:
    """The taxes of one kind of line for one pair of parties on one day."""

    category: TaxCategory
    taxes: tuple[PlannedTax, ...]
    withholdings: tuple[PlannedTax, ...]
    notes: tuple[str, ...]
    #: Each tax's multiplier of the net (compound taxes include the simple rates).
    weights: tuple[Decimal, ...]
    #: Sum of ``weights``: gross = net x (1 + factor).
    factor: Decimal


def _within(location: str, jurisdiction: str) -> bool:
    return location == jurisdiction or location.startswith(jurisdiction + "/")


def _pick(
    table: TaxTable,
    country: str,
    origin: str,
    dest: str,
    day: dt.date,
    tax_class: str,
    seller: TaxProfile,
    buyer: TaxProfile,
    kind: TaxKind,
) -> list[TaxRate]:
    """The most specific row per tax that applies; earlier rows win ties."""
    best: dict[str, tuple[tuple[int, int, int, int], TaxRate]] = {}
    for row in table.rows_for(country):
        if row.kind is not kind or not row.valid_on(day):
            continue
        if row.classes and tax_class not in row.classes:
            continue
        j = row.jurisdiction
        if row.sourcing is Sourcing.DESTINATION:
            if not _within(dest, j):
                continue
        elif row.sourcing is Sourcing.ORIGIN:
            # Origin-based within a state: the seller's place sets the local rates when
            # the buyer is in the same state (first two levels of the jurisdiction).
            if not (_within(origin, j) and _within(dest, "/".join(j.split("/")[:2]))):
                continue
        elif not (_within(origin, j) and _within(dest, j)):
            continue
        if row.seller_person is not None and row.seller_person is not seller.person:
            continue
        if row.buyer_person is not None and row.buyer_person is not buyer.person:
            continue
        if row.seller_regime is not None and row.seller_regime != seller.regime:
            continue
        if row.buyer_business is not None and row.buyer_business is not buyer.is_business:
            continue
        spec = row.specificity()
        held = best.get(row.tax)
        if held is None or spec > held[0]:
            best[row.tax] = (spec, row)
    return [row for _, row in best.values()]


def _planned(row: TaxRate) -> PlannedTax:
    return PlannedTax(
        tax=row.tax,
        code=row.code,
        label=row.label or row.tax,
        kind=row.kind,
        category=row.category,
        rate=row.rate,
        compound=row.compound,
        rule=row.describe(),
        note=row.note,
    )


def _primary(table: TaxTable, country: str, day: dt.date) -> tuple[str, str]:
    """The country's main tax (for zero-tax categories): its first country-wide tax."""
    for row in table.rows_for(country):
        if row.kind is TaxKind.TAX and row.depth == 1 and not row.classes and row.valid_on(day):
            return row.tax, row.label or row.tax
    return f"{country}-TAX", f"{country} tax"


def _zero(
    table: TaxTable,
    country: str,
    day: dt.date,
    category: TaxCategory,
    note: str,
    rule: str,
    code: str | None,
) -> PlannedTax:
    tax, label = _primary(table, country, day)
    return PlannedTax(
        tax=tax,
        code=f"{tax}-{category.code}",
        label=label,
        kind=TaxKind.TAX,
        category=category,
        rate=_ZERO,
        compound=False,
        rule=rule,
        note=note,
        exemption_code=code,
    )


def _weights(taxes: tuple[PlannedTax, ...]) -> tuple[Decimal, ...]:
    simple = sum((t.rate for t in taxes if not t.compound), _ZERO)
    return tuple(t.rate * (_ONE + simple) if t.compound else t.rate for t in taxes)


def plan_line(
    table: TaxTable,
    seller: TaxProfile,
    buyer: TaxProfile,
    day: dt.date,
    tax_class: str,
    forced: TaxCategory | None,
    reason: str | None,
) -> Plan:
    """Decide the taxes and withholdings of one kind of line (memoized on ``table``).

    Raises:
        NotFound: The table has no rows for the seller's country.
    """
    key = (seller, buyer, day, tax_class, forced, reason)
    memo = table._memo
    plan = memo.get(key)
    if plan is None:
        plan = _plan(table, seller, buyer, day, tax_class, forced, reason)
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = plan
    assert isinstance(plan, Plan)
    return plan


def _plan(
    table: TaxTable,
    seller: TaxProfile,
    buyer: TaxProfile,
    day: dt.date,
    tax_class: str,
    forced: TaxCategory | None,
    reason: str | None,
) -> Plan:
    s, b = seller.country, buyer.country
    if s not in table.countries:
        raise NotFound(
            "tax rules for seller country",
            s,
            hint=f"table {table.name} covers {', '.join(sorted(table.countries))}; "
            "load a table for it or mark the lines out of scope",
        )
    notes: list[str] = []
    zero: tuple[TaxCategory, str, str] | None = None
    exemption_code: str | None = None
    place = (s, seller.location, buyer.location)
    eu_seller = is_eu_member(s, day)
    if forced is not None and not forced.charges_tax:
        text = reason or f"Category {forced.code} set on the line"
        zero = (forced, text, f"category {forced.code} set on the line")
    elif buyer.exemption is not None:
        ex = buyer.exemption
        zero = (TaxCategory.EXEMPT, ex.note, "buyer's tax exemption")
        exemption_code = ex.reason_code
    elif s != b and eu_seller and is_eu_member(b, day):
        problem = tax_id_problem(b, buyer.tax_id) if buyer.is_business else "not a business"
        if problem is None:
            vat_id = f"Customer VAT id: {buyer.tax_id}"
            if tax_class == "goods":
                zero = (
                    TaxCategory.INTRA_COMMUNITY,
                    NOTE_INTRA_COMMUNITY,
                    f"EU B2B goods {s}->{b}, buyer VAT id valid. {vat_id}",
                )
            else:
                zero = (
                    TaxCategory.REVERSE_CHARGE,
                    NOTE_REVERSE_CHARGE,
                    f"EU B2B {s}->{b}, buyer VAT id valid. {vat_id}",
                )
        else:
            if buyer.is_business:
                notes.append(
                    f"Buyer VAT id {buyer.tax_id!r} is not valid for {b} ({problem}): "
                    "reverse charge not applied, taxed as a sale to a consumer"
                )
            if tax_class == "digital":
                # One-stop shop: e-services to EU consumers are taxed where they live.
                place = (b, b, buyer.location)
            else:
                place = (s, seller.location, seller.location)
    elif s != b and eu_seller:
        if tax_class == "goods":
            zero = (TaxCategory.EXPORT, NOTE_EU_EXPORT, f"goods exported {s}->{b}")
        elif buyer.is_business:
            zero = (TaxCategory.OUT_OF_SCOPE, NOTE_EU_SERVICES_ABROAD, f"B2B services {s}->{b}")
        elif tax_class == "digital":
            zero = (TaxCategory.OUT_OF_SCOPE, NOTE_EU_DIGITAL_ABROAD, f"B2C e-services {s}->{b}")
        else:
            place = (s, seller.location, seller.location)
    elif s != b and s == "MX":
        zero = (TaxCategory.EXPORT, NOTE_MX_EXPORT, f"export MX->{b}")
    elif s != b:
        zero = (
            TaxCategory.OUT_OF_SCOPE,
            f"Outside the scope of {s} tax: the customer is in {b}",
            f"cross-border {s}->{b}",
        )
    country, origin, dest = place
    taxes: tuple[PlannedTax, ...]
    if zero is None:
        rows = _pick(table, country, origin, dest, day, tax_class, seller, buyer, TaxKind.TAX)
        if rows:
            taxes = tuple(_planned(r) for r in rows)
        elif not any(r.kind is TaxKind.TAX and r.valid_on(day) for r in table.rows_for(country)):
            raise NotFound(
                "tax rates",
                f"{country} on {day}",
                hint=f"table {table.name} has no {country} rate in force that day",
            )
        else:
            zero = (
                TaxCategory.OUT_OF_SCOPE,
                f"No {country} tax applies to {tax_class} in {dest}",
                f"no rule of table {table.name} matches",
            )
    if zero is not None:
        category, note, why = zero
        if exemption_code is None and eu_seller:
            exemption_code = _VATEX.get(category)
        taxes = (_zero(table, country, day, category, note, why, exemption_code),)
    charged = {t.tax for t in taxes if t.rate}
    # Withholdings follow the domestic relationship of the parties (the payer withholds).
    held = _pick(
        table,
        s,
        seller.location,
        buyer.location,
        day,
        tax_class,
        seller,
        buyer,
        TaxKind.WITHHOLDING,
    )
    withholdings = tuple(_planned(r) for r in held if r.on_tax is None or r.on_tax in charged)
    for t in taxes + withholdings:
        if t.note and t.note not in notes:
            notes.append(t.note)
    weights = _weights(taxes)
    return Plan(
        category=taxes[0].category,
        taxes=taxes,
        withholdings=withholdings,
        notes=tuple(notes),
        weights=weights,
        factor=sum(weights, _ZERO),
    )
