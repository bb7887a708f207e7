"""Invariants of rating and proration, checked with hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import BillingCycle, Cycle, Period, local_date
from o2c.money import Money
from o2c.pricing import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Overtime,
    Package,
    Percentage,
    PercentageTier,
    PerUnit,
    PriceModel,
    RoleRate,
    Tier,
    TimeAndMaterials,
    TimeEntry,
    UsageRecord,
    Volume,
    billable_hours,
    dedupe,
    prorate_change,
    prorate_span,
    rate,
    select_usage,
)

quantities = st.decimals(
    min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)
prices = st.decimals(min_value=0, max_value=1000, places=5, allow_nan=False, allow_infinity=False)
fees = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def tier_lists(draw: st.DrawFn) -> list[Tier]:
    bounds = sorted(
        set(draw(st.lists(st.integers(min_value=1, max_value=10**5), min_size=0, max_size=4)))
    )
    tiers = [Tier(Decimal(b), draw(prices), draw(fees)) for b in bounds]
    return [*tiers, Tier(None, draw(prices), draw(fees))]


@st.composite
def models(draw: st.DrawFn) -> PriceModel:
    kind = draw(st.sampled_from(["flat", "unit", "grad", "vol", "pkg", "pct", "gpct", "tm"]))
    minimum = draw(st.none() | fees)
    if kind == "flat":
        return Flat(price=draw(prices))
    if kind == "unit":
        return PerUnit(unit_price=draw(prices), free_units=draw(quantities), minimum=minimum)
    if kind == "grad":
        return Graduated(tiers=draw(tier_lists()), free_units=draw(quantities), minimum=minimum)
    if kind == "tm":
        return TimeAndMaterials(rates=[RoleRate("dev", draw(prices))], minimum=minimum)
    if kind == "vol":
        return Volume(tiers=draw(tier_lists()), free_units=draw(quantities))
    if kind == "pkg":
        return Package(size=draw(st.integers(1, 1000)), price=draw(prices), minimum=minimum)
    if kind == "pct":
        return Percentage(
            percent=draw(fees),
            fixed_fee=draw(fees),
            transaction_minimum=draw(st.none() | st.just(Decimal("0.5"))),
            transaction_maximum=draw(st.none() | st.just(Decimal(50))),
            free_transactions=draw(st.integers(0, 3)),
            free_amount=draw(fees),
        )
    tiers = draw(tier_lists())
    return GraduatedPercentage(
        tiers=[PercentageTier(t.up_to, min(t.unit_price, Decimal(100)), t.flat_fee) for t in tiers]
    )


@given(models(), quantities, st.lists(quantities, max_size=6))
def test_explanation_steps_sum_exactly_to_the_amount(
    model: PriceModel, quantity: Decimal, transactions: list[Decimal]
) -> None:
    txs = transactions if isinstance(model, Percentage | GraduatedPercentage) else None
    rated = rate(model, quantity, currency="USD", transactions=txs)
    assert sum((s.amount for s in rated.steps), Decimal(0)) == rated.amount.amount
    assert rated.amount.amount >= 0


@given(tier_lists(), quantities, quantities)
def test_graduated_price_is_non_decreasing_in_quantity(
    tiers: list[Tier], a: Decimal, b: Decimal
) -> None:
    model = Graduated(tiers=tiers)
    low, high = sorted((a, b))
    assert rate(model, low, currency="USD").amount <= rate(model, high, currency="USD").amount


@given(prices, quantities)
def test_graduated_with_one_tier_equals_per_unit(price: Decimal, quantity: Decimal) -> None:
    graduated = rate(Graduated(tiers=[Tier(None, price)]), quantity, currency="USD")
    per_unit = rate(PerUnit(unit_price=price), quantity, currency="USD")
    assert graduated.amount == per_unit.amount


@given(st.integers(1, 10_000), prices, quantities)
def test_package_equals_started_blocks_times_price(
    size: int, price: Decimal, quantity: Decimal
) -> None:
    rated = rate(Package(size=size, price=price), quantity, currency="USD")
    blocks = (quantity / size).to_integral_value(ROUND_CEILING)
    assert rated.amount.amount == blocks * price


@st.composite
def spans(draw: st.DrawFn) -> Period:
    start = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 700)))
    return Period(start, start + dt.timedelta(days=draw(st.integers(1, 400))))


@given(
    spans(),
    st.sampled_from(list(Cycle)),
    st.integers(1, 10**7),
    st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
)
def test_prorated_pieces_of_a_range_sum_to_the_full_price_within_rounding(
    span: Period, cycle: Cycle, cents: int, anchor: dt.date
) -> None:
    price = Money.from_minor(cents, "USD")
    parts = prorate_span(price, span, BillingCycle(cycle, anchor))
    exact = sum(
        (price.amount * p.factor.numerator / p.factor.denominator for p in parts), Decimal(0)
    )
    total = sum((p.amount.amount for p in parts), Decimal(0))
    # Each piece is rounded once to the cent: at most half a cent off per piece (plus the
    # 28-digit precision of the reference computation).
    assert abs(total - exact) <= Decimal("0.005") * len(parts) + Decimal("1e-20")
    assert sum(p.piece.days for p in parts) == span.days
    # Whole periods cost exactly the price.
    assert all(p.amount == price for p in parts if p.piece == p.whole)


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 29))
def test_plan_change_credit_and_charge_match_standalone_prorations(
    old: int, new: int, offset: int
) -> None:
    period = Period.month(2026, 11)
    change = period.start + dt.timedelta(days=offset)
    credit, charge = prorate_change(
        Money.from_minor(old, "USD"), Money.from_minor(new, "USD"), change, period
    )
    assert credit.amount.amount <= 0 <= charge.amount.amount
    if offset == 0:
        assert -credit.amount == Money.from_minor(old, "USD")
        assert charge.amount == Money.from_minor(new, "USD")


@st.composite
def usage_streams(draw: st.DrawFn) -> list[UsageRecord]:
    base = dt.datetime(2026, 9, 25, tzinfo=dt.UTC)
    records = []
    for n in range(draw(st.integers(0, 25))):
        when = base + dt.timedelta(hours=draw(st.integers(0, 24 * 75)))
        delay = dt.timedelta(hours=draw(st.integers(0, 24 * 10)))
        rid = f"u{draw(st.integers(0, n))}"  # some ids repeat: duplicates
        records.append(
            UsageRecord(
                id=rid,
                customer="c",
                item="api",
                quantity=draw(st.integers(1, 9)),
                timestamp=when,
                received_at=when + delay,
            )
        )
    return records


@given(usage_streams(), st.sampled_from(["UTC", "America/Mexico_City", "Asia/Tokyo"]))
def test_consecutive_runs_bill_every_usage_record_exactly_once(
    records: list[UsageRecord], time_zone: str
) -> None:
    periods = [Period.month(2026, m) for m in (9, 10, 11, 12)]
    cut_offs = [
        dt.datetime.combine(p.end + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC) for p in periods
    ]
    billed: list[str] = []
    previous = None
    for period, cut_off in zip(periods, cut_offs, strict=True):
        chosen = select_usage(
            records,
            period=period,
            time_zone=time_zone,
            cut_off=cut_off,
            previous_cut_off=previous,
        )
        billed.extend(r.id for r in chosen)
        previous = cut_off
    expected = {
        r.id
        for r in dedupe(records)
        if r.arrived <= cut_offs[-1]
        and local_date(r.timestamp, time_zone) < periods[-1].end
        and local_date(r.timestamp, time_zone) >= periods[0].start
    }
    assert sorted(billed) == sorted(expected)


@st.composite
def time_entries(draw: st.DrawFn) -> list[TimeEntry]:
    return [
        TimeEntry(
            id=f"t{n}",
            person=draw(st.sampled_from(["ana", "ben"])),
            role=draw(st.sampled_from(["senior", "junior"])),
            date=dt.date(2026, 10, 5) + dt.timedelta(days=draw(st.integers(0, 13))),
            hours=draw(st.decimals(min_value=0, max_value=12, places=2)),
            billable=draw(st.booleans()),
            approved=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 20)))
    ]


CONSULTING = TimeAndMaterials(
    rates=[RoleRate("senior", "180"), RoleRate("junior", "95.5")],
    increment="0.25",
    minimum_hours="0.5",
    overtime=Overtime(multiplier="1.5", daily_hours=8, weekly_hours=40),
)


@given(time_entries())
def test_time_steps_add_up_and_never_bill_less_than_the_approved_hours(
    entries: list[TimeEntry],
) -> None:
    rated = rate(CONSULTING, 0, currency="USD", entries=entries)
    assert sum((s.amount for s in rated.steps), Decimal(0)) == rated.amount.amount
    billed = [e for e in entries if e.billable and e.approved]
    assert rated.quantity >= sum((e.hours for e in billed), Decimal(0))
    assert rated.quantity == sum((billable_hours(CONSULTING, e.hours) for e in billed), Decimal(0))
