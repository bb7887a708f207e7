"""Invariants of the KPIs: rates stay in [0, 1], shares add up, summaries stay in range."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.kpi import (
    AgingItem,
    Correction,
    DisputeTiming,
    KpiValue,
    RefundTiming,
    Statistic,
    aging_profile,
    billing_exception_rate,
    collection_effectiveness_index,
    invoice_accuracy,
    refund_turnaround,
    sla_adherence,
)
from o2c.money import Money

BASE = dt.date(2026, 10, 1)
dates = st.integers(-120, 120).map(lambda n: BASE + dt.timedelta(days=n))
cents = st.integers(0, 10**9).map(lambda n: Money.from_minor(n, "USD"))


def _in_unit_interval(kpi: KpiValue) -> bool:
    return kpi.value is None or Decimal(0) <= kpi.value <= Decimal(1)


@given(
    st.sets(st.integers(0, 30), max_size=20),
    st.lists(st.tuples(st.integers(0, 40), dates, st.booleans()), max_size=30),
)
def test_invoice_accuracy_is_a_rate(
    issued: set[int], fixes: list[tuple[int, dt.date, bool]]
) -> None:
    corrections = [Correction(f"I-{i}", f"CN-{n}", on, err) for n, (i, on, err) in enumerate(fixes)]
    kpi = invoice_accuracy([f"I-{i}" for i in issued], corrections)
    assert _in_unit_interval(kpi)
    assert (kpi.value is None) == (not issued)
    assert kpi.denominator == len(issued)


@given(st.integers(0, 10_000), st.data())
def test_billing_exception_rate_is_a_rate(candidates: int, data: st.DataObject) -> None:
    exceptions = data.draw(st.integers(0, candidates))
    assert _in_unit_interval(billing_exception_rate(candidates, exceptions))


@given(cents, cents, st.data())
def test_cei_is_a_rate_when_ar_does_not_grow_beyond_sales(
    begin: Money, sales: Money, data: st.DataObject
) -> None:
    available = (begin + sales).minor_units
    end = Money.from_minor(data.draw(st.integers(0, available)), "USD")
    current = Money.from_minor(data.draw(st.integers(0, end.minor_units)), "USD")
    assert _in_unit_interval(collection_effectiveness_index(begin, sales, end, current))


@given(st.lists(st.tuples(cents, dates, st.integers(0, 100)), max_size=20), dates)
def test_aging_buckets_add_up_to_the_open_total(
    raw: list[tuple[Money, dt.date, int]], as_of: dt.date
) -> None:
    items = [AgingItem(amount, due, amount * (Decimal(pct) / 100)) for amount, due, pct in raw]
    profile = aging_profile(items, as_of, "USD")
    total = sum((i.amount.amount for i in items), Decimal(0))
    assert sum(k.numerator or 0 for k in profile) == total
    assert all(k.denominator == total and _in_unit_interval(k) for k in profile)


@given(st.lists(st.tuples(dates, st.integers(0, 90)), min_size=1, max_size=20))
def test_refund_turnaround_lies_between_the_fastest_and_slowest(
    raw: list[tuple[dt.date, int]],
) -> None:
    refunds = [
        RefundTiming(f"R-{n}", on, on + dt.timedelta(days=k)) for n, (on, k) in enumerate(raw)
    ]
    lo, hi = min(k for _, k in raw), max(k for _, k in raw)
    for statistic in Statistic:
        value = refund_turnaround(refunds, statistic=statistic).value
        assert value is not None
        assert lo <= value <= hi


@given(st.lists(st.tuples(dates, st.integers(0, 20), st.none() | st.integers(0, 40))), dates)
def test_sla_adherence_is_a_rate(
    raw: list[tuple[dt.date, int, int | None]], as_of: dt.date
) -> None:
    disputes = [
        DisputeTiming(
            f"D-{n}",
            opened,
            opened + dt.timedelta(days=sla),
            None if took is None else opened + dt.timedelta(days=took),
        )
        for n, (opened, sla, took) in enumerate(raw)
    ]
    kpi = sla_adherence(disputes, as_of)
    assert _in_unit_interval(kpi)
    assert kpi.denominator is not None
    assert kpi.denominator <= len(disputes)
