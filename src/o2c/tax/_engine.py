"""The tax engine: :func:`compute_tax`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Final

from o2c.errors import CurrencyMismatch, ValidationError
from o2c.money import Currency, Money, allocate_amounts
from o2c.tax._model import (
    InclusiveRounding,
    RoundingScope,
    TaxableLine,
    TaxAmount,
    TaxBreakdown,
    TaxCategory,
    TaxedLine,
    TaxKind,
    TaxProfile,
    TaxRegime,
    TaxResult,
    TaxTotals,
    default_regime,
)
from o2c.tax._rules import Plan, PlannedTax, plan_line
from o2c.tax._table import TaxTable

__all__ = ["compute_tax"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)


def _spread(total: int, exact: Sequence[Decimal]) -> list[int]:
    """Split ``total`` minor units over exact (unrounded, possibly negative) shares.

    Each part is the share rounded down plus at most one unit, given to the largest
    remainders first (earlier lines win ties), so the parts add up to ``total`` exactly
    and each is less than one minor unit from its exact share. ``total`` must lie between
    the floor and the ceiling of the exact sum, which any rounding of it does.
    """
    floors = [int(x.to_integral_value(ROUND_FLOOR)) for x in exact]
    left = total - sum(floors)
    if left:
        whole, left = divmod(left, len(floors))
        if whole:
            floors = [f + whole for f in floors]
        order = sorted(range(len(exact)), key=lambda i: (floors[i] - whole - exact[i], i))
        for i in order[:left]:
            floors[i] += 1
    return floors


class _Work:
    """Mutable per-call scratch for one line: net and amounts in minor units."""

    __slots__ = ("bases", "held", "held_bases", "line", "net", "plan", "taxes")

    def __init__(self, line: TaxableLine, plan: Plan) -> None:
        self.line = line
        self.plan = plan
        self.net = 0
        self.taxes: list[int] = [0] * len(plan.taxes)
        self.bases: list[int] = [0] * len(plan.taxes)
        self.held: list[int] = [0] * len(plan.withholdings)
        self.held_bases: list[int] = [0] * len(plan.withholdings)


def compute_tax(
    lines: Sequence[TaxableLine],
    *,
    seller: TaxProfile,
    buyer: TaxProfile,
    tax_point: dt.date,
    table: TaxTable,
    regime: TaxRegime | None = None,
    prices_include_tax: bool = False,
    currency: str | Currency | None = None,
) -> TaxResult:
    """Tax a document's priced lines.

    Args:
        lines: The priced lines; each amount is rounded, all in one currency.
        seller: The seller's tax profile.
        buyer: The buyer's tax profile.
        tax_point: The date that decides the rates (rate changes apply by tax point).
        table: The rate table (:func:`~o2c.tax.bundled_table`, or your own).
        regime: Rounding rules; defaults to :func:`~o2c.tax.default_regime` of the
            seller's country (per line in Mexico, per document elsewhere).
        prices_include_tax: Whether line amounts are gross (tax included).
        currency: The document currency; required only when ``lines`` is empty.

    Returns:
        Taxed lines, the breakdown per tax, category and rate, withholdings, totals and
        legal notes; every amount explains its rule, rate and base.

    Raises:
        ValidationError: No lines and no currency, or duplicate line ids.
        CurrencyMismatch: Lines in different currencies.
        NotFound: The table has no rules for the seller's country.

    Example:
        >>> import datetime as dt
        >>> from o2c.money import Money
        >>> from o2c.tax import TaxProfile, TaxableLine, PersonType, bundled_table
        >>> result = compute_tax(
        ...     [TaxableLine("1", Money.of("10000.00", "MXN"), "services")],
        ...     seller=TaxProfile("MX", person=PersonType.INDIVIDUAL),
        ...     buyer=TaxProfile("MX", person=PersonType.COMPANY),
        ...     tax_point=dt.date(2026, 10, 31),
        ...     table=bundled_table("MX"),
        ... )
        >>> [str(b.amount) for b in result.breakdown + result.withholdings]
        ['1600.00 MXN', '1000.00 MXN', '1066.67 MXN']
        >>> str(result.totals.payable)
        '9533.33 MXN'
    """
    if regime is None:
        regime = default_regime(seller.country)
    if lines:
        cur = lines[0].amount.currency
    elif currency is not None:
        cur = Currency.of(currency)
    else:
        raise ValidationError("currency", None, "a currency when there are no lines")
    exp = cur.minor_units
    mode = regime.rounding.value
    seen: set[str] = set()
    plans: dict[tuple[str, TaxCategory | None, str | None], Plan] = {}
    work: list[_Work] = []
    for line in lines:
        if line.amount.currency is not cur and line.amount.currency != cur:
            raise CurrencyMismatch(cur.code, line.amount.currency.code, f"tax line {line.line_id}")
        if line.line_id in seen:
            raise ValidationError("line_id", line.line_id, "line ids unique within the document")
        seen.add(line.line_id)
        kind = (line.tax_class, line.category, line.exemption_reason)
        plan = plans.get(kind)
        if plan is None:
            plan = plans[kind] = plan_line(table, seller, buyer, tax_point, *kind)
        work.append(_Work(line, plan))

    def rnd(minor: Decimal) -> int:
        """Round an amount in minor units to a whole number with the regime's mode."""
        return int(minor.quantize(_ONE, rounding=mode))

    per_line = regime.scope is RoundingScope.LINE
    if prices_include_tax:
        if per_line:
            for w in work:
                _line_inclusive(w, rnd, regime.inclusive, exp)
        else:
            _document_inclusive(work, rnd, exp)
    else:
        for w in work:
            w.net = int(w.line.amount.amount.scaleb(exp))
        if per_line:
            for w in work:
                _line_exclusive(w, rnd)
        else:
            _document_exclusive(work, rnd)
    _withholdings(work, rnd, per_line)
    return _result(work, cur, regime, prices_include_tax)


Rnd = Callable[[Decimal], int]


def _split(total: int, plan: Plan) -> list[int]:
    """Split a line's or group's total inclusive tax over its taxes by their weights."""
    if len(plan.taxes) == 1:
        return [total]
    if not plan.factor:
        return [0] * len(plan.taxes)
    return list(allocate_amounts(total, plan.weights))


def _bases(w: _Work, net: int) -> None:
    simple = sum(a for a, t in zip(w.taxes, w.plan.taxes, strict=True) if not t.compound)
    for i, t in enumerate(w.plan.taxes):
        w.bases[i] = net + simple if t.compound else net


def _line_exclusive(w: _Work, rnd: Rnd) -> None:
    net = w.net
    taxes = w.plan.taxes
    simple = 0
    for i, t in enumerate(taxes):
        if not t.compound:
            w.bases[i] = net
            amount = rnd(net * t.rate) if t.rate else 0
            w.taxes[i] = amount
            simple += amount
    for i, t in enumerate(taxes):
        if t.compound:
            w.bases[i] = base = net + simple
            w.taxes[i] = rnd(base * t.rate)


def _inclusive_total(gross: int, factor: Decimal, rnd: Rnd, option: InclusiveRounding) -> int:
    if not factor:
        return 0
    if option is InclusiveRounding.ROUND_TAX:
        return rnd(gross * factor / (_ONE + factor))
    return gross - rnd(gross / (_ONE + factor))


def _line_inclusive(w: _Work, rnd: Rnd, option: InclusiveRounding, exp: int) -> None:
    gross = int(w.line.amount.amount.scaleb(exp))
    total = _inclusive_total(gross, w.plan.factor, rnd, option)
    w.taxes = _split(total, w.plan)
    w.net = gross - total
    _bases(w, w.net)


def _document_exclusive(work: list[_Work], rnd: Rnd) -> None:
    # EN 16931 BR-CO-14 / BR-S-09: each category and rate is rounded once on its summed
    # base; the rounded total is then spread back over the lines so they add up to it.
    for compound in (False, True):
        groups: dict[tuple[str, TaxCategory, Decimal], list[tuple[_Work, int, int]]] = {}
        for w in work:
            if compound:
                simple = sum(
                    a for a, t in zip(w.taxes, w.plan.taxes, strict=True) if not t.compound
                )
            for i, t in enumerate(w.plan.taxes):
                if t.compound is compound:
                    base = w.net + simple if compound else w.net
                    w.bases[i] = base
                    groups.setdefault((t.tax, t.category, t.rate), []).append((w, i, base))
        for (_tax, _cat, rate), members in groups.items():
            if not rate:
                continue
            total = rnd(sum(b for _, _, b in members) * rate)
            parts = _spread(total, [b * rate for _, _, b in members])
            for (w, i, _), part in zip(members, parts, strict=True):
                w.taxes[i] = part


def _document_inclusive(work: list[_Work], rnd: Rnd, exp: int) -> None:
    # Tax-inclusive prices rounded per document (EN 16931 BR-CO-10; what ERPs do for
    # "round globally" with price-included taxes): each line's net is its gross / (1 + F)
    # rounded to the minor unit, from the line alone, so identical lines get identical
    # nets; the untaxed total is the sum of the line nets and the tax of each rate is the
    # gross of that rate minus its untaxed, split over a line's taxes by weight.
    for w in work:
        _line_inclusive(w, rnd, InclusiveRounding.ROUND_NET, exp)


def _withholdings(work: list[_Work], rnd: Rnd, per_line: bool) -> None:
    groups: dict[tuple[str, Decimal], list[tuple[_Work, int]]] = {}
    for w in work:
        for i, t in enumerate(w.plan.withholdings):
            w.held_bases[i] = w.net
            if per_line:
                w.held[i] = rnd(w.net * t.rate)
            else:
                groups.setdefault((t.tax, t.rate), []).append((w, i))
    for (_tax, rate), members in groups.items():
        bases = [w.net for w, _ in members]
        parts = _spread(rnd(sum(bases) * rate), [b * rate for b in bases])
        for (w, i), part in zip(members, parts, strict=True):
            w.held[i] = part


class _Agg:
    """A breakdown entry being summed."""

    __slots__ = ("amount", "base", "codes", "first")

    def __init__(self, first: PlannedTax, base: int, amount: int) -> None:
        self.first = first
        self.base = base
        self.amount = amount
        self.codes = [first.code]

    def add(self, code: str, base: int, amount: int) -> None:
        self.base += base
        self.amount += amount
        if code not in self.codes:
            self.codes.append(code)


_new = object.__new__
_set = object.__setattr__


def _money(amount: Decimal, currency: Currency) -> Money:
    """Build a Money from an amount the engine made itself (a rounded Decimal).

    The hot path of a bill run builds several amounts per line; the amounts here come
    from integer minor units, so Money's input validation has nothing to catch.
    """
    m = _new(Money)
    _set(m, "amount", amount)
    _set(m, "currency", currency)
    return m


_METHOD_LINE: Final = "rounded per line"
_METHOD_DOC: Final = "rounded once per document and rate, spread over lines by largest remainder"
_METHOD_INCL: Final = "included in the gross price"
#: The rule of tax-inclusive prices rounded per document (see ``_document_inclusive``).
_METHOD_INCL_DOC: Final = (
    "included in the gross price, rounded per document: line net = gross / (1 + rate) "
    "rounded per line, tax per rate = gross of the rate - the sum of its line nets"
)


def _methods(regime: TaxRegime, prices_include_tax: bool) -> tuple[str, str, str, str]:
    """How line taxes, line withholdings, tax entries and withholding entries were
    computed, for their ``method`` (explain)."""
    per_line = regime.scope is RoundingScope.LINE
    mode = regime.rounding.name.lower()
    held = f"{_METHOD_LINE if per_line else _METHOD_DOC}, {mode}"
    held_summed = "per line, summed" if per_line else "rounded once on the summed base"
    if prices_include_tax and per_line:
        method = f"{_METHOD_INCL} ({regime.inclusive.value}), {mode}, {_METHOD_LINE}"
    elif prices_include_tax:
        method = f"{_METHOD_INCL_DOC}, {mode}"
        return method, held, "gross of the rate minus the sum of its line nets", held_summed
    else:
        method = held
    return method, held, held_summed, held_summed


def _result(
    work: list[_Work],
    cur: Currency,
    regime: TaxRegime,
    prices_include_tax: bool,
) -> TaxResult:
    exp = -cur.minor_units
    method, held_method, summed, held_summed = _methods(regime, prices_include_tax)

    cache: dict[int, Money] = {}
    cached = cache.get

    def money(units: int) -> Money:
        m = cached(units)
        if m is None:
            m = cache[units] = _money(Decimal(units).scaleb(exp), cur)
        return m

    agg: dict[str, _Agg] = {}
    notes: dict[str, None] = {}
    taxed: list[TaxedLine] = []
    append = taxed.append
    total_net = total_tax = total_held = 0
    # The hot loop of a bill run: one pass per line, no intermediate containers.
    for w in work:
        plan = w.plan
        amounts: list[TaxAmount] = []
        tax_units = 0
        for i, t in enumerate(plan.taxes):
            base, value = w.bases[i], w.taxes[i]
            tax_units += value
            amounts.append(_amount(t, money(base), money(value), method))
            slot = agg.get(t.key)
            if slot is None:
                agg[t.key] = _Agg(t, base, value)
            else:
                slot.add(t.code, base, value)
        taxes = tuple(amounts)
        held_units = 0
        if plan.withholdings:
            amounts = []
            for i, t in enumerate(plan.withholdings):
                base, value = w.held_bases[i], w.held[i]
                held_units += value
                amounts.append(_amount(t, money(base), money(value), held_method))
                slot = agg.get(t.key)
                if slot is None:
                    agg[t.key] = _Agg(t, base, value)
                else:
                    slot.add(t.code, base, value)
            held: tuple[TaxAmount, ...] = tuple(amounts)
        else:
            held = ()
        if plan.notes:
            for n in plan.notes:
                notes[n] = None
        net = w.net
        total_net += net
        total_tax += tax_units
        total_held += held_units
        append(
            TaxedLine(
                w.line.line_id,
                plan.category,
                money(net),
                taxes,
                held,
                money(tax_units),
                money(held_units),
                money(net + tax_units),
                plan.notes,
            )
        )
    breakdown: list[TaxBreakdown] = []
    withholdings: list[TaxBreakdown] = []
    for slot in agg.values():
        t = slot.first
        entry = TaxBreakdown(
            tax=t.tax,
            label=t.label,
            kind=t.kind,
            category=t.category,
            rate=t.rate,
            base=money(slot.base),
            amount=money(slot.amount),
            codes=tuple(slot.codes),
            exemption_reason=t.reason,
            method=summed if t.kind is TaxKind.TAX else held_summed,
            exemption_code=t.exemption_code,
        )
        (breakdown if t.kind is TaxKind.TAX else withholdings).append(entry)
    gross = total_net + total_tax
    totals = TaxTotals(
        net=money(total_net),
        tax=money(total_tax),
        withheld=money(total_held),
        gross=money(gross),
        payable=money(gross - total_held),
    )
    return TaxResult(
        lines=tuple(taxed),
        breakdown=tuple(breakdown),
        withholdings=tuple(withholdings),
        totals=totals,
        notes=tuple(notes),
        regime=regime,
        prices_include_tax=prices_include_tax,
    )


def _amount(t: PlannedTax, base: Money, amount: Money, method: str) -> TaxAmount:
    # Positional: this runs for every tax of every line of a bill run.
    return TaxAmount(
        t.tax, t.code, t.label, t.kind, t.category, t.rate, base, amount, t.rule, method
    )
