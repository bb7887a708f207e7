"""The bill run's per-call state: pricing, proration and tax of pending lines.

:class:`_Run` holds the caches that live as long as one :func:`~o2c.billing.plan_bill_run`
call (rated models, tax shapes, snapshots, cycle periods; never global) and turns
contract lines into pending lines (plain tuples) and pending lines into taxed document
lines. :mod:`o2c.billing.billrun` is the public face.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from o2c.billing._documents import (
    CustomerSnapshot,
    DocumentLine,
    DocumentTotals,
    LineSource,
    LineTax,
    TaxSubtotal,
    snapshot,
)
from o2c.billing.taxing import apply_tax, customer_tax_profile, item_tax_code
from o2c.calendar import BillingCycle, PaymentTerms, Period
from o2c.contracts import (
    ChargeKind,
    ContractLine,
    ContractVersion,
)
from o2c.errors import NotFound, O2CError
from o2c.ids import ItemCode
from o2c.money import Currency, Money
from o2c.parties import Customer
from o2c.pricing import (
    PriceModel,
    RateCard,
    Rated,
    StepKind,
    TimeEntry,
    apply_discounts,
    prorated_amount,
    rate,
)
from o2c.tax import RoundingScope, TaxableLine, TaxProfile, compute_tax, default_regime

if TYPE_CHECKING:
    from o2c.billing.billrun import BillRunInputs

_ZERO: Final = Decimal(0)
_MISSING: Final = object()


def _cycle_periods(cycle: BillingCycle, run_period: Period) -> tuple[tuple[Period, Period], ...]:
    """``(period, next period)`` of ``cycle`` for each period ending inside ``run_period``."""
    found: list[tuple[Period, Period]] = []
    p = cycle.period_containing(run_period.end - dt.timedelta(days=1))
    if p.end > run_period.end:
        p = cycle.previous_period(p)
    while p.end > run_period.start:
        found.append((p, cycle.next_period(p)))
        p = cycle.previous_period(p)
    found.reverse()
    return tuple(found)


def line_unit_price(rated: Rated, quantity: Decimal) -> Decimal | None:
    """The unit price an invoice line of ``quantity`` shows for its rating: the price of
    its only step when that step covers the whole quantity (none for a zero price)."""
    steps = rated.steps
    if len(steps) == 1:
        step = steps[0]
        if step.unit_price and step.quantity == quantity:
            return step.unit_price
    return None


def card_item_name(cards: Mapping[str, RateCard], card_code: str, item: str, at: dt.date) -> str:
    """The name of ``item`` on the rate card ``card_code`` at ``at`` (the code when the
    card is missing, has no price for it, or no name)."""
    card = cards.get(card_code)
    if card is None:
        return item
    try:
        return card.price_for(ItemCode(item), at).name or item
    except NotFound:
        return item


def card_item_tax_code(
    cards: Mapping[str, RateCard], card_code: str, item: str, at: dt.date
) -> str:
    """The line tax code an item takes from its tax category on the rate card
    ``card_code`` at ``at`` (see :func:`~o2c.billing.item_tax_code`): ``""`` (the rate
    table's default class) for the standard category, or when the card is missing or
    has no price for the item; the category itself (``"Z"``, ``"E"``...) otherwise."""
    card = cards.get(card_code)
    if card is None:
        return ""
    try:
        return item_tax_code(card.price_for(ItemCode(item), at).tax_category)
    except NotFound:
        return ""


class _NoRate(O2CError):
    """No price model for an item (rate card, item or override missing)."""


class _WrongCurrency(O2CError):
    """A rate card, order or order price in another currency than the document."""


# A line before tax: (item, description, quantity, unit_price, net, source, period,
# explain, tax_code). Plain tuples keep the hot path light.
_Pending = tuple[
    ItemCode,
    str,
    Decimal,
    Money | None,
    Money,
    LineSource,
    Period | None,
    tuple[str, ...],
    str,
]


@attrs.define(slots=True)
class _Run:
    """Per-call state: caches that live as long as one plan (never global)."""

    inputs: BillRunInputs
    #: (code, category, rate, tax, label) of each tax of a plain line, per buyer, tax
    #: point, currency and tax code; None when the line needs the engine's own path.
    tax_shapes: dict[
        tuple[TaxProfile, dt.date, str],
        dict[str, tuple[tuple[str, str, Decimal, str, str], ...] | None],
    ] = attrs.field(factory=dict)
    # Keyed by id(model); the value keeps the model so a recycled id cannot hit.
    rated: dict[tuple[int, Decimal, str], tuple[PriceModel, Rated, tuple[str, ...]]] = attrs.field(
        factory=dict
    )
    periods: dict[tuple[BillingCycle, Period], tuple[tuple[Period, Period, str], ...]] = (
        attrs.field(factory=dict)
    )
    profiles: dict[tuple[int, dt.date], tuple[Customer, TaxProfile]] = attrs.field(factory=dict)
    snapshots: dict[int, tuple[Customer, CustomerSnapshot]] = attrs.field(factory=dict)
    terms: dict[PaymentTerms, str] = attrs.field(factory=dict)
    tax_codes: dict[tuple[str, str, dt.date], str] = attrs.field(factory=dict)

    def cycle_periods(
        self, cycle: BillingCycle, run_period: Period
    ) -> tuple[tuple[Period, Period, str], ...]:
        key = (cycle, run_period)
        hit = self.periods.get(key)
        if hit is None:
            hit = self.periods[key] = tuple(
                (p, nxt, p.label) for p, nxt in _cycle_periods(cycle, run_period)
            )
        return hit

    def snapshot(self, customer: Customer) -> CustomerSnapshot:
        hit = self.snapshots.get(id(customer))
        if hit is None or hit[0] is not customer:
            hit = self.snapshots[id(customer)] = (customer, snapshot(customer))
        return hit[1]

    def terms_text(self, terms: PaymentTerms) -> str:
        hit = self.terms.get(terms)
        if hit is None:
            hit = self.terms[terms] = str(terms)
        return hit

    def profile(self, customer: Customer, tax_point: dt.date) -> TaxProfile:
        key = (id(customer), tax_point)
        hit = self.profiles.get(key)
        if hit is None or hit[0] is not customer:
            hit = self.profiles[key] = (customer, customer_tax_profile(customer, tax_point))
        return hit[1]

    # -- pricing --------------------------------------------------------------------

    def model_for(
        self,
        line_item: ItemCode,
        line_model: PriceModel | None,
        version: ContractVersion,
        at: dt.date,
    ) -> PriceModel:
        if line_model is not None:
            return line_model
        override = version.override_for(line_item, at) if version.overrides else None
        if override is not None:
            return override
        card = self.inputs.rate_cards.get(version.rate_card)
        if card is None:
            raise _NoRate(f"rate card {version.rate_card!r} not found for item {line_item}")
        if card.currency != version.currency:
            raise _WrongCurrency(
                f"rate card {card.code} is in {card.currency}, the contract in {version.currency}"
            )
        try:
            return card.price_for(line_item, at).model
        except NotFound as exc:
            raise _NoRate(str(exc)) from None

    def tax_code(self, card_code: str, item: ItemCode, at: dt.date, line_code: str) -> str:
        """The tax code of a line of ``item``: the line's own, or else the one of the
        item's tax category on rate card ``card_code`` at ``at`` (a ``Z`` or ``E`` item
        is never taxed at the standard rate because its line names no code)."""
        if line_code:
            return line_code
        key = (card_code, item, at)
        code = self.tax_codes.get(key)
        if code is None:
            code = self.tax_codes[key] = card_item_tax_code(
                self.inputs.rate_cards, card_code, item, at
            )
        return code

    def per_event(self, card_code: str, item: ItemCode, at: dt.date) -> bool:
        """Whether rate card ``card_code`` charges usage of ``item`` per event at ``at``
        (:mod:`o2c.billing.events`; the bill run leaves such usage alone)."""
        card = self.inputs.rate_cards.get(card_code)
        if card is None:
            return False
        try:
            return card.price_for(item, at).per_event
        except NotFound:
            return False

    def item_name(self, version: ContractVersion, item: ItemCode, at: dt.date) -> str:
        """The rate card's name of ``item`` (the code when the card has none)."""
        return card_item_name(self.inputs.rate_cards, version.rate_card, item, at)

    def rate(
        self,
        model: PriceModel,
        quantity: Decimal,
        currency: Currency,
        *,
        transactions: Sequence[Decimal] | None = None,
        entries: Sequence[TimeEntry] | None = None,
    ) -> Rated:
        return self.rate_explained(
            model, quantity, currency, transactions=transactions, entries=entries
        )[0]

    def rate_explained(
        self,
        model: PriceModel,
        quantity: Decimal,
        currency: Currency,
        *,
        transactions: Sequence[Decimal] | None = None,
        entries: Sequence[TimeEntry] | None = None,
    ) -> tuple[Rated, tuple[str, ...]]:
        if transactions is None and entries is None:
            key = (id(model), quantity, currency.code)
            hit = self.rated.get(key)
            if hit is None or hit[0] is not model:
                rated = rate(model, quantity, currency=currency)
                hit = self.rated[key] = (
                    model,
                    rated,
                    tuple(s.describe(currency) for s in rated.steps),
                )
            return hit[1], hit[2]
        rated = rate(model, quantity, currency=currency, transactions=transactions, entries=entries)
        return rated, tuple(s.describe(currency) for s in rated.steps)

    def line(
        self,
        item: ItemCode,
        description: str,
        quantity: Decimal,
        explained: tuple[Rated, tuple[str, ...]],
        version: ContractVersion,
        source: LineSource,
        period: Period | None,
        tax_code: str,
        *,
        numerator: int = 1,
        denominator: int = 1,
        sign: int = 1,
        at: dt.date,
        note: str = "",
    ) -> _Pending:
        rated, text = explained
        exact = rated.amount.amount
        cur = rated.amount.currency
        steps: tuple[str, ...] | list[str] = text
        if numerator != denominator or version.discounts or note:
            steps = [note, *text] if note else list(text)
        if numerator != denominator:
            # The tier was chosen on the full quantity; its flat fee is not prorated.
            exact = prorated_amount(rated, numerator, denominator)
            steps.append(f"prorated {numerator}/{denominator} days")  # type: ignore[union-attr]
            if any(s.kind is StepKind.FLAT_FEE and s.amount for s in rated.steps):
                steps.append("tier flat fee not prorated")  # type: ignore[union-attr]
        if version.discounts:
            discounted = apply_discounts(
                Rated(Money(exact, cur), (), quantity, rated.model),
                item=item,
                at=at,
                discounts=version.discounts,
            )
            if discounted.steps:
                exact = discounted.amount.amount
                steps.extend(s.describe(cur) for s in discounted.steps)  # type: ignore[union-attr]
        if sign < 0:
            exact = -exact
        net = Money(exact.quantize(cur.exponent, rounding=self.inputs.rounding.value), cur)
        unit_price: Money | None = None
        if numerator == denominator:
            price = line_unit_price(rated, quantity)
            if price is not None:
                unit_price = Money(price, cur)
        return (
            item,
            description or item,
            quantity,
            unit_price,
            net,
            source,
            period,
            steps if type(steps) is tuple else tuple(steps),
            tax_code,
        )

    def recurring_lines(
        self,
        version: ContractVersion,
        whole: Period,
        piece: Period,
        *,
        sign: int = 1,
        note: str = "",
        only: Callable[[ContractLine], bool] | None = None,
    ) -> list[_Pending]:
        out: list[_Pending] = []
        for cl in version.lines:
            if cl.kind is not ChargeKind.RECURRING or (only is not None and not only(cl)):
                continue
            model = self.model_for(cl.item, cl.model, version, whole.start)
            explained = self.rate_explained(model, cl.quantity, version.currency)
            out.append(
                self.line(
                    cl.item,
                    cl.description or self.item_name(version, cl.item, whole.start),
                    cl.quantity,
                    explained,
                    version,
                    LineSource.RECURRING,
                    piece,
                    self.tax_code(version.rate_card, cl.item, whole.start, cl.tax_code),
                    numerator=piece.days,
                    denominator=whole.days,
                    sign=sign,
                    at=piece.start,
                    note=note,
                )
            )
        return out

    # -- tax ------------------------------------------------------------------------

    def tax(
        self,
        pending: Sequence[_Pending],
        customer: Customer,
        tax_point: dt.date,
        currency: Currency,
    ) -> tuple[
        tuple[DocumentLine, ...],
        tuple[TaxSubtotal, ...] | None,
        tuple[str, ...],
        DocumentTotals | None,
    ]:
        """Tax ``pending`` lines: the lines, their tax breakdown (with the tax table's
        labels on every path) and notes, and the totals too when the fast path computed them."""
        ctx = self.inputs.tax
        regime = ctx.regime or default_regime(ctx.seller.country)
        fast = regime.scope is RoundingScope.LINE and not ctx.prices_include_tax
        shapes: list[tuple[tuple[str, str, Decimal, str, str], ...]] = []
        if fast:
            buyer = self.profile(customer, tax_point)
            outer = (buyer, tax_point, currency.code)
            cache = self.tax_shapes.get(outer)
            if cache is None:
                cache = self.tax_shapes[outer] = {}
            for p in pending:
                shape = cache.get(p[8], _MISSING)
                if shape is _MISSING:
                    shape = cache[p[8]] = self._shape(buyer, p[8], tax_point, currency)
                if shape is None:
                    fast = False
                    break
                shapes.append(shape)  # type: ignore[arg-type]
        if fast:
            # Per-line, tax-exclusive, plain taxes (no withholding, no compound): each
            # tax is round(net x rate), exactly what the engine computes for such lines;
            # the shape (codes, rates) came from the engine itself. Totals are summed
            # on the way (rounding point 3: sums of rounded amounts).
            mode = regime.rounding.value
            exp = currency.exponent
            lines = []
            net_total = tax_total = _ZERO
            groups: dict[tuple[str, Decimal], list[Decimal]] = {}
            for n, (p, shape) in enumerate(zip(pending, shapes, strict=True), start=1):
                net = p[4]
                amount = net.amount
                net_total += amount
                taxes = []
                for code_, category, rate_, tax, _label in shape:
                    value = (amount * rate_).quantize(exp, rounding=mode)
                    tax_total += value
                    taxes.append(
                        LineTax(code_, category, rate_, Money(value, currency), False, tax)
                    )
                    group = groups.get((code_, rate_))
                    if group is None:
                        groups[(code_, rate_)] = [amount, value]
                    else:
                        group[0] += amount
                        group[1] += value
                lines.append(
                    DocumentLine(
                        n, p[0], p[1], p[2], p[3], net, tuple(taxes), p[5], p[6], p[7], None, p[8]
                    )
                )
            breakdown = []
            for shape in dict.fromkeys(shapes):
                for code_, category, rate_, tax, label in shape:
                    group = groups.pop((code_, rate_), None)
                    if group is not None:
                        breakdown.append(
                            TaxSubtotal(
                                code_,
                                category,
                                rate_,
                                Money(group[0], currency),
                                Money(group[1], currency),
                                False,
                                "",
                                tax,
                                label,
                            )
                        )
            gross = net_total + tax_total
            zero = Money(_ZERO, currency)
            payable = Money(gross, currency)
            totals = DocumentTotals(
                Money(net_total, currency),
                Money(tax_total, currency),
                zero,
                payable,
                payable,
                tuple(breakdown),
            )
            return tuple(lines), totals.breakdown, (), totals
        bare = [
            DocumentLine(n, p[0], p[1], p[2], p[3], p[4], (), p[5], p[6], p[7], None, p[8])
            for n, p in enumerate(pending, start=1)
        ]
        taxed, breakdown_, notes = apply_tax(bare, customer, ctx, tax_point, currency=currency)
        return taxed, breakdown_, notes, None

    def _shape(
        self, buyer: TaxProfile, tax_code: str, tax_point: dt.date, currency: Currency
    ) -> tuple[tuple[str, str, Decimal, str, str], ...] | None:
        """The taxes of a plain line with ``tax_code``: (code, category, rate, tax, label)
        each, or ``None`` when the line needs the engine's own path."""
        if tax_code and len(tax_code) <= 2:
            return None  # forced categories take the engine's path
        ctx = self.inputs.tax
        probe = Money(Decimal(10000), currency)
        result = compute_tax(
            [TaxableLine("1", probe, tax_code or "services")],
            seller=ctx.seller,
            buyer=buyer,
            tax_point=tax_point,
            table=ctx.table,
            regime=ctx.regime,
            currency=currency,
        )
        line = result.lines[0]
        if line.withholdings or result.notes or line.notes:
            return None
        if any(a.base != probe for a in line.taxes):
            return None  # compound taxes
        return tuple((a.code, a.category.value, a.rate, a.tax, a.label) for a in line.taxes)
