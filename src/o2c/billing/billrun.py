"""The bill run as a pure planner: contracts in, candidate invoices and exceptions out.

:func:`plan_bill_run` takes one batch of contracts, the run period, a cut-off and the
inputs (customers, rate cards, usage aggregates, time entries, sales orders, tax), and
returns a :class:`BillRunPlan`. It writes nothing; the :class:`~o2c.Book` feeds it
batches and stores each batch's candidates in one transaction, and a dry run is just the
plan. A candidate that fails validation becomes a :class:`BillingException` with its
problems, and the run goes on.

Which contract periods a run bills
    A run for period ``R`` bills each contract period ``P`` (by the contract's own cycle
    and anchor) that *ends* inside ``R``: ``R.start < P.end <= R.end``. A monthly run
    bills a quarterly contract only in the quarter's last month.

What goes on the invoice for ``P`` (run key ``"{contract}:{P.label}"``)
    * recurring lines billed **in arrears**: ``P`` as the contract versions say, day by
      day (prorated where a version or the contract starts or ends inside ``P``);
    * recurring lines billed **in advance**: the next period in full, at the version in
      effect on its first day; plus, for ``P`` itself, the corrections the advance
      invoice could not know: a credit for the unused part of the old terms and a charge
      for the new ones from a mid-period change (an upgrade), and a credit for the days
      after a termination. A contract's first period is billed as it is, prorated, on
      the run for that period;
    * usage and time for ``P`` (always in arrears), from the aggregates and entries keyed
      by run key and item;
    * one-time lines of sales orders of the contract delivered on or before the cut-off;
    * a true-up line when the period's charges of the committed items stay below a
      minimum commitment (prorated to the days covered).

Proration is by days of the whole billing period the piece belongs to (DESIGN.md,
lesson 4). A re-run with the billed run keys in ``already_billed`` plans nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._documents import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    DocumentTotals,
    LineSource,
    LineTax,
    TaxSubtotal,
    snapshot,
)
from o2c.billing.lifecycle import draft_document
from o2c.billing.taxing import TaxContext, apply_tax, customer_tax_profile
from o2c.billing.validation import (
    BillRunPolicy,
    Problem,
    ProblemCode,
    ZeroAmountPolicy,
    validate_invoice,
)
from o2c.calendar import BillingCycle, PaymentTerms, Period
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractLine,
    ContractVersion,
    SalesOrder,
)
from o2c.errors import NotFound, O2CError
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding
from o2c.parties import Customer
from o2c.pricing import (
    PriceModel,
    RateCard,
    Rated,
    StepKind,
    TimeEntry,
    apply_discounts,
    document_discount,
    rate,
    true_up,
)
from o2c.tax import RoundingScope, TaxableLine, TaxProfile, compute_tax, default_regime

__all__ = [
    "BillRunInputs",
    "BillRunPlan",
    "BillingException",
    "Candidate",
    "Skipped",
    "billing_periods",
    "plan_bill_run",
    "run_key",
]

_ZERO: Final = Decimal(0)
_DEFAULT_POLICY: Final = BillRunPolicy()
_TRUE_UP: Final = ItemCode("TRUE-UP")
_DISCOUNT: Final = ItemCode("DISCOUNT")
_MISSING: Final = object()
_HOUR_STEPS: Final = frozenset({StepKind.HOURS, StepKind.OVERTIME})


def run_key(contract_id: str, period: Period) -> str:
    """The idempotency key of billing ``contract_id`` for ``period``.

    Example:
        >>> run_key("K-1", Period.month(2026, 10))
        'K-1:2026-10'
    """
    return f"{contract_id}:{period.label}"


def billing_periods(contract: Contract, run_period: Period) -> tuple[Period, ...]:
    """The contract periods a run for ``run_period`` bills: those ending inside it.

    Only periods the contract covers (or, billed in advance, was billed for) count.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle
        >>> from o2c.contracts import ContractVersion
        >>> from o2c.ids import CustomerId
        >>> v = ContractVersion(dt.date(2026, 1, 15), (),
        ...     BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 15)), Currency.of("USD"))
        >>> k = Contract(ContractId("K"), CustomerId("C"), (v,))
        >>> [str(p) for p in billing_periods(k, Period.month(2026, 10))]
        ['2026-09-15..2026-10-15']
    """
    cycle = contract.version_at(run_period.start).cycle
    return tuple(p for p, _ in _cycle_periods(cycle, run_period) if contract.covers(p) is not None)


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


@attrs.frozen(slots=True, eq=False)
class BillRunInputs:
    """Everything a batch of contracts is billed from, besides the contracts.

    Usage, transactions and time are keyed by ``(run key, item)``; the book aggregates
    usage per contract period (see :func:`billing_periods` and :func:`run_key`) with the
    customer's time zone and the cut-off, ignoring duplicates by source id.

    Attributes:
        customers: Customers of the batch by id.
        rate_cards: Rate cards by code.
        tax: Seller, rate table and regime.
        usage: Aggregated usage quantity per ``(run key, item)``.
        transactions: Transaction amounts per ``(run key, item)`` for percentage models.
        time: Time entries per ``(run key, item)`` (only approved billable ones are billed).
        orders: Sales orders of the batch's customers not billed yet.
        policy: Validation rules.
        rounding: The book's rounding mode (line nets, rounding point 1).
    """

    customers: Mapping[CustomerId, Customer]
    rate_cards: Mapping[str, RateCard]
    tax: TaxContext
    usage: Mapping[tuple[str, ItemCode], Decimal] = attrs.field(factory=dict)
    transactions: Mapping[tuple[str, ItemCode], tuple[Decimal, ...]] = attrs.field(factory=dict)
    time: Mapping[tuple[str, ItemCode], tuple[TimeEntry, ...]] = attrs.field(factory=dict)
    orders: Sequence[SalesOrder] = ()
    policy: BillRunPolicy = _DEFAULT_POLICY
    rounding: Rounding = DEFAULT_ROUNDING


@attrs.frozen(slots=True)
class Candidate:
    """A draft invoice the run would create, with the run keys it settles.

    Attributes:
        document: The draft invoice.
        run_keys: Contract-period key first, then keys of sales orders on it.
    """

    document: Document
    run_keys: tuple[str, ...]


@attrs.frozen(slots=True)
class BillingException:
    """A candidate the run could not bill, with every reason.

    Attributes:
        run_key: The run key that stays unbilled (a re-run after the fix bills it).
        customer_id: Customer concerned.
        contract_id: Contract concerned, if any.
        problems: What is wrong (at least one).
        draft: The candidate as far as it could be built, for review.
    """

    run_key: str
    customer_id: CustomerId
    contract_id: ContractId | None
    problems: tuple[Problem, ...]
    draft: Document | None = None

    @property
    def reason(self) -> ProblemCode:
        """The first problem's code."""
        return self.problems[0].code

    @property
    def message(self) -> str:
        """All problems, one sentence each."""
        return "; ".join(p.message for p in self.problems)


@attrs.frozen(slots=True)
class Skipped:
    """A run key the run left alone on purpose.

    Attributes:
        run_key: The key.
        reason: Why (``"already billed"``, ``"zero amount"``, ``"nothing to bill"``).
    """

    run_key: str
    reason: str


@attrs.frozen(slots=True)
class BillRunPlan:
    """What a bill run (or one batch of it) would do.

    Attributes:
        period: Run period.
        cut_off: Last date whose records count.
        candidates: Draft invoices to create.
        exceptions: Candidates that failed validation (the exceptions queue).
        skipped: Run keys left alone.
    """

    period: Period
    cut_off: dt.date
    candidates: tuple[Candidate, ...]
    exceptions: tuple[BillingException, ...]
    skipped: tuple[Skipped, ...] = ()

    @property
    def run_keys(self) -> frozenset[str]:
        """Run keys the candidates settle."""
        return frozenset(k for c in self.candidates for k in c.run_keys)

    @property
    def documents(self) -> tuple[Document, ...]:
        """The draft invoices."""
        return tuple(c.document for c in self.candidates)

    def totals(self) -> dict[Currency, Money]:
        """Payable total of the candidates per currency."""
        out: dict[Currency, Money] = {}
        for c in self.candidates:
            payable = c.document.totals.payable
            prev = out.get(payable.currency)
            out[payable.currency] = payable if prev is None else prev + payable
        return out


class _NoRate(O2CError):
    """No price model for an item (rate card, item or override missing)."""


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
    tax_shapes: dict[
        tuple[TaxProfile, dt.date, str], dict[str, tuple[tuple[str, str, Decimal, str], ...] | None]
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
            raise _NoRate(
                f"rate card {card.code} is in {card.currency}, the contract in {version.currency}"
            )
        try:
            return card.price_for(line_item, at).model
        except NotFound as exc:
            raise _NoRate(str(exc)) from None

    def item_name(self, version: ContractVersion, item: ItemCode, at: dt.date) -> str:
        """The rate card's name of ``item`` (the code when the card has none)."""
        card = self.inputs.rate_cards.get(version.rate_card)
        if card is None:
            return item
        try:
            return card.price_for(item, at).name or item
        except NotFound:
            return item

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
                hit = self.rated[key] = (model, rated, tuple(s.describe() for s in rated.steps))
            return hit[1], hit[2]
        rated = rate(model, quantity, currency=currency, transactions=transactions, entries=entries)
        return rated, tuple(s.describe() for s in rated.steps)

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
            exact = exact * numerator / denominator
            steps.append(f"prorated {numerator}/{denominator} days")  # type: ignore[union-attr]
        if version.discounts:
            discounted = apply_discounts(
                Rated(Money(exact, cur), (), quantity, rated.model),
                item=item,
                at=at,
                discounts=version.discounts,
            )
            if discounted.steps:
                exact = discounted.amount.amount
                steps.extend(s.describe() for s in discounted.steps)  # type: ignore[union-attr]
        if sign < 0:
            exact = -exact
        net = Money(exact.quantize(cur.exponent, rounding=self.inputs.rounding.value), cur)
        unit_price: Money | None = None
        if numerator == denominator and len(rated.steps) == 1 and rated.steps[0].unit_price:
            step = rated.steps[0]
            if step.quantity == quantity and step.unit_price is not None:
                unit_price = Money(step.unit_price, rated.amount.currency)
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
                    cl.tax_code,
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
        """Tax ``pending`` lines; totals too when the fast path computed them."""
        ctx = self.inputs.tax
        regime = ctx.regime or default_regime(ctx.seller.country)
        fast = regime.scope is RoundingScope.LINE and not ctx.prices_include_tax
        shapes: list[tuple[tuple[str, str, Decimal, str], ...]] = []
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
                for code_, category, rate_, tax in shape:
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
                for code_, category, rate_, tax in shape:
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
            return tuple(lines), None, (regime.describe(),), totals
        bare = [
            DocumentLine(n, p[0], p[1], p[2], p[3], p[4], (), p[5], p[6], p[7], None, p[8])
            for n, p in enumerate(pending, start=1)
        ]
        taxed, breakdown_, notes = apply_tax(bare, customer, ctx, tax_point, currency=currency)
        return taxed, breakdown_, notes, None

    def _shape(
        self, buyer: TaxProfile, tax_code: str, tax_point: dt.date, currency: Currency
    ) -> tuple[tuple[str, str, Decimal, str], ...] | None:
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
        return tuple((a.code, a.category.value, a.rate, a.tax) for a in line.taxes)


def _covered_days(contract: Contract, period: Period) -> int:
    covered = contract.covers(period)
    return covered.days if covered else 0


def _same_terms(
    run: _Run, old: ContractVersion, new: ContractVersion, line: ContractLine, at: dt.date
) -> bool:
    for other in new.lines:
        if other.id == line.id:
            return (
                other.item == line.item
                and other.quantity == line.quantity
                and other.kind is line.kind
                and run.model_for(other.item, other.model, new, at)
                == run.model_for(line.item, line.model, old, at)
                and old.discounts == new.discounts
            )
    return False


def _plan_contract_period(
    run: _Run, contract: Contract, p: Period, nxt: Period, key: str
) -> list[_Pending]:
    inputs = run.inputs
    v_p = contract.version_at(max(p.start, contract.start))
    first = contract.start >= p.start
    pending: list[_Pending] = []
    if v_p.timing is BillingTiming.ARREARS or first:
        for piece, version in contract.pieces(p):
            pending.extend(run.recurring_lines(version, p, piece))
    else:
        # Advance-billed period: settle what changed since the advance invoice.
        v0 = contract.version_at(p.start)
        for piece, version in contract.pieces(p):
            if version is v0:
                continue

            def changed(
                cl: ContractLine, v: ContractVersion = version, at: dt.date = piece.start
            ) -> bool:
                return not _same_terms(run, v0, v, cl, at)

            def added(
                cl: ContractLine, v: ContractVersion = version, at: dt.date = piece.start
            ) -> bool:
                return not _same_terms(run, v, v0, cl, at)

            pending.extend(
                run.recurring_lines(
                    v0, p, piece, sign=-1, note="unused part of previous terms", only=changed
                )
            )
            pending.extend(
                run.recurring_lines(version, p, piece, note="new terms from change", only=added)
            )
        if contract.end is not None and contract.end < p.end:
            # The advance invoice billed v0 for these days too.
            tail = Period(max(contract.end, p.start), p.end)
            pending.extend(
                run.recurring_lines(v0, p, tail, sign=-1, note="unused after termination")
            )
    v_n = contract.version_at(nxt.start)
    if (
        v_n.timing is BillingTiming.ADVANCE
        and contract.start < nxt.start
        and (contract.end is None or contract.end > nxt.start)
    ):
        pending.extend(run.recurring_lines(v_n, nxt, nxt))
    # Usage and time for p, always in arrears, priced as on p's first day.
    seen: set[ItemCode] = set()
    for _piece, version in contract.pieces(p):
        for cl in version.lines:
            if cl.kind is ChargeKind.RECURRING or cl.item in seen:
                continue
            seen.add(cl.item)
            model = run.model_for(cl.item, cl.model, version, p.start)
            if cl.kind is ChargeKind.USAGE:
                quantity = inputs.usage.get((key, cl.item), _ZERO)
                txs = inputs.transactions.get((key, cl.item))
                explained = run.rate_explained(model, quantity, version.currency, transactions=txs)
                source = LineSource.USAGE
            else:
                entries = tuple(
                    e for e in inputs.time.get((key, cl.item), ()) if e.approved and e.billable
                )
                if not entries:
                    continue
                explained = run.rate_explained(model, _ZERO, version.currency, entries=entries)
                quantity = sum(
                    (s.quantity for s in explained[0].steps if s.kind in _HOUR_STEPS), _ZERO
                )
                source = LineSource.TIME
            line = run.line(
                cl.item,
                cl.description or run.item_name(version, cl.item, p.start),
                quantity,
                explained,
                version,
                source,
                p,
                cl.tax_code,
                at=p.start,
            )
            if not line[4].is_zero:
                pending.append(line)
    # Document discounts (no item) on the period's charges.
    if any(d.item is None for d in v_p.discounts) and pending:
        total = sum((x[4].amount for x in pending), _ZERO)
        off = document_discount(Money(total, v_p.currency), at=p.start, discounts=v_p.discounts)
        if off is not None:
            net = off.net(inputs.rounding)
            pending.append(
                (
                    _DISCOUNT,
                    "Discount",
                    Decimal(1),
                    None,
                    net,
                    LineSource.DISCOUNT,
                    p,
                    tuple(step.describe() for step in off.steps),
                    "",
                )
            )
    # Minimum commitments on the period's charges, prorated to the days covered.
    if v_p.commitments:
        metered = [x for x in pending if x[5] is LineSource.USAGE or x[5] is LineSource.TIME]
        actual: list[_Pending] = []
        for piece, version in contract.pieces(p):
            actual.extend(run.recurring_lines(version, p, piece))
        used = [(str(x[0]), x[4]) for x in metered + actual]
        days = _covered_days(contract, p)
        for commitment in v_p.commitments:
            if days != p.days:
                commitment = attrs.evolve(commitment, amount=commitment.amount * days / p.days)
            shortfall = true_up(commitment, period=p, lines=used, currency=v_p.currency)
            if shortfall is None:
                continue
            net = shortfall.net(inputs.rounding)
            if net.is_zero:
                continue
            pending.append(
                (
                    _TRUE_UP,
                    f"Minimum commitment true-up: {commitment.name}",
                    Decimal(1),
                    None,
                    net,
                    LineSource.TRUE_UP,
                    p,
                    tuple(step.describe() for step in shortfall.steps),
                    "",
                )
            )
    return pending


def _order_lines(run: _Run, order: SalesOrder, version: ContractVersion | None) -> list[_Pending]:
    out: list[_Pending] = []
    card_code = order.rate_card or (version.rate_card if version else "")
    for ol in order.lines:
        if ol.unit_price is not None:
            if ol.unit_price.currency != order.currency:
                raise _NoRate(
                    f"order {order.id} line {ol.item} is priced in {ol.unit_price.currency}, "
                    f"the order in {order.currency}"
                )
            net = (ol.unit_price * ol.quantity).round(run.inputs.rounding)
            steps: tuple[str, ...] = (f"order {order.id}: {ol.quantity} × {ol.unit_price}",)
            price: Money | None = ol.unit_price
        else:
            card = run.inputs.rate_cards.get(card_code)
            if card is None:
                raise _NoRate(f"order {order.id} item {ol.item} has no price and no rate card")
            try:
                model = card.price_for(ol.item, order.order_date).model
            except NotFound as exc:
                raise _NoRate(str(exc)) from None
            rated = run.rate(model, ol.quantity, card.currency)
            net = rated.net(run.inputs.rounding)
            steps = tuple(s.describe() for s in rated.steps)
            price = None
        out.append(
            (
                ol.item,
                ol.description or ol.item,
                ol.quantity,
                price,
                net,
                LineSource.ORDER,
                None,
                steps,
                ol.tax_code,
            )
        )
    return out


def _finish(
    run: _Run,
    *,
    key: str,
    keys: tuple[str, ...],
    pending: list[_Pending],
    customer: Customer,
    contract_id: ContractId | None,
    version: ContractVersion | None,
    currency: Currency,
    period: Period | None,
    po_number: str | None,
    invoice_date: dt.date,
    id_for: Callable[[str], DocumentId],
    candidates: list[Candidate],
    exceptions: list[BillingException],
    skipped: list[Skipped],
) -> None:
    policy = run.inputs.policy
    if not pending:
        skipped.append(Skipped(key, "nothing to bill"))
        return
    try:
        lines, breakdown, notes, totals = run.tax(pending, customer, invoice_date, currency)
    except O2CError as exc:
        exceptions.append(
            BillingException(
                key, customer.id, contract_id, (Problem(ProblemCode.TAX_ERROR, str(exc)),)
            )
        )
        return
    terms = (version.payment_terms if version else None) or customer.payment_terms
    who = run.snapshot(customer)
    if version is not None and version.locale and version.locale != who.locale:
        who = attrs.evolve(who, locale=version.locale)
    if totals is None:
        draft = draft_document(
            id_for(key),
            who,
            currency,
            lines,
            breakdown=breakdown,
            tax_point=invoice_date,
            period=period,
            contract_id=contract_id,
            po_number=po_number,
            payment_terms=run.terms_text(terms),
            run_key=key,
            notes=notes,
        )
    else:
        draft = Document(
            id_for(key),
            DocumentKind.INVOICE,
            DocumentStatus.DRAFT,
            who,
            currency,
            lines,
            totals,
            tax_point=invoice_date,
            period=period,
            contract_id=contract_id,
            po_number=po_number,
            payment_terms=run.terms_text(terms),
            run_key=key,
            notes=notes,
        )
    problems = validate_invoice(draft, customer, policy)
    if problems:
        exceptions.append(BillingException(key, customer.id, contract_id, problems, draft))
    elif draft.totals.payable.is_zero and policy.zero_amount is ZeroAmountPolicy.SKIP:
        skipped.append(Skipped(key, "zero amount"))
    else:
        candidates.append(Candidate(draft, keys))


def _default_id(key: str) -> DocumentId:
    return DocumentId(f"draft:{key}")


def plan_bill_run(
    contracts: Iterable[Contract],
    period: Period,
    *,
    cut_off: dt.date,
    inputs: BillRunInputs,
    already_billed: frozenset[str] | set[str] = frozenset(),
    invoice_date: dt.date | None = None,
    id_for: Callable[[str], DocumentId] = _default_id,
) -> BillRunPlan:
    """Plan the bill run of one batch of contracts for ``period``.

    Args:
        contracts: The batch (the book streams contracts in batches).
        period: The run period.
        cut_off: Last date whose sales orders are billed (usage and time inputs are
            already cut off by the book).
        inputs: Customers, rate cards, usage, time, orders, tax and policy.
        already_billed: Run keys billed before; they are skipped, so a re-run bills
            nothing twice.
        invoice_date: Date of the invoices and their tax point; the cut-off by default.
        id_for: Draft document id for a run key (``"draft:<key>"`` by default).

    Returns:
        The plan: candidates, exceptions and skipped keys. Nothing is written.
    """
    day = invoice_date or cut_off
    run = _Run(inputs)
    candidates: list[Candidate] = []
    exceptions: list[BillingException] = []
    skipped: list[Skipped] = []
    orders_by_contract: dict[str, list[SalesOrder]] = {}
    loose_orders: list[SalesOrder] = []
    for order in inputs.orders:
        if order.billable_from > cut_off:
            continue
        if order.contract_id is None:
            loose_orders.append(order)
        else:
            orders_by_contract.setdefault(order.contract_id, []).append(order)
    for contract in contracts:
        customer = inputs.customers.get(contract.customer_id)
        contract_orders = orders_by_contract.pop(contract.id, [])
        cycle = contract.version_at(period.start).cycle
        for p, nxt, label in run.cycle_periods(cycle, period):
            if contract.covers(p) is None:
                continue
            key = f"{contract.id}:{label}"
            if key in already_billed:
                skipped.append(Skipped(key, "already billed"))
                continue
            if customer is None:
                exceptions.append(
                    BillingException(
                        key,
                        contract.customer_id,
                        contract.id,
                        (
                            Problem(
                                ProblemCode.UNKNOWN_CUSTOMER,
                                f"customer {contract.customer_id} of contract {contract.id} "
                                "was not found",
                            ),
                        ),
                    )
                )
                continue
            version = contract.version_at(max(p.start, contract.start))
            keys = [key]
            try:
                pending = _plan_contract_period(run, contract, p, nxt, key)
                if contract_orders:
                    for order in contract_orders:
                        if order.run_key in already_billed:
                            skipped.append(Skipped(order.run_key, "already billed"))
                            continue
                        if order.currency != version.currency:
                            raise _CurrencyProblem(
                                f"order {order.id} is in {order.currency}, contract "
                                f"{contract.id} in {version.currency}"
                            )
                        pending.extend(_order_lines(run, order, version))
                        keys.append(order.run_key)
                    contract_orders = []
            except _NoRate as exc:
                exceptions.append(
                    BillingException(
                        key, customer.id, contract.id, (Problem(ProblemCode.NO_RATE, str(exc)),)
                    )
                )
                continue
            except _CurrencyProblem as exc:
                exceptions.append(
                    BillingException(
                        key,
                        customer.id,
                        contract.id,
                        (Problem(ProblemCode.CURRENCY_MISMATCH, str(exc)),),
                    )
                )
                continue
            except O2CError as exc:
                exceptions.append(
                    BillingException(
                        key,
                        customer.id,
                        contract.id,
                        (Problem(ProblemCode.RATING_ERROR, str(exc)),),
                    )
                )
                continue
            _finish(
                run,
                key=key,
                keys=tuple(keys),
                pending=pending,
                customer=customer,
                contract_id=contract.id,
                version=version,
                currency=version.currency,
                period=p,
                po_number=version.po_number,
                invoice_date=day,
                id_for=id_for,
                candidates=candidates,
                exceptions=exceptions,
                skipped=skipped,
            )
        # Orders of a contract with nothing to bill in this run go out on their own.
        loose_orders.extend(contract_orders)
    for order in loose_orders:
        key = order.run_key
        if key in already_billed:
            skipped.append(Skipped(key, "already billed"))
            continue
        customer = inputs.customers.get(order.customer_id)
        if customer is None:
            exceptions.append(
                BillingException(
                    key,
                    order.customer_id,
                    None,
                    (
                        Problem(
                            ProblemCode.UNKNOWN_CUSTOMER,
                            f"customer {order.customer_id} of order {order.id} was not found",
                        ),
                    ),
                )
            )
            continue
        try:
            pending = _order_lines(run, order, None)
        except _NoRate as exc:
            exceptions.append(
                BillingException(key, customer.id, None, (Problem(ProblemCode.NO_RATE, str(exc)),))
            )
            continue
        _finish(
            run,
            key=key,
            keys=(key,),
            pending=pending,
            customer=customer,
            contract_id=None,
            version=None,
            currency=order.currency,
            period=None,
            po_number=order.po_number,
            invoice_date=day,
            id_for=id_for,
            candidates=candidates,
            exceptions=exceptions,
            skipped=skipped,
        )
    return BillRunPlan(period, cut_off, tuple(candidates), tuple(exceptions), tuple(skipped))


class _CurrencyProblem(O2CError):
    """An order or rate card in another currency than the contract."""
