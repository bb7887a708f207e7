"""Invariants of o2c.money: money is conserved by allocation, splitting and arithmetic."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.money import Money, Rounding, allocate_amounts
from tests.strategies import exact_money, ratios, rounded_money


@given(rounded_money(), ratios)
def test_allocation_sums_exactly_and_each_part_is_within_one_minor_unit(
    amount: Money, weights: list[int | Decimal]
) -> None:
    parts = amount.allocate(weights)
    assert len(parts) == len(weights)
    assert sum((p.amount for p in parts), Decimal(0)) == amount.amount
    total = sum(Decimal(w) for w in weights)
    unit = amount.currency.exponent
    for part, weight in zip(parts, weights, strict=True):
        exact = amount.amount * Decimal(weight) / total
        assert abs(part.amount - exact) < unit
        assert part.is_rounded


@given(rounded_money(), st.integers(min_value=1, max_value=50))
def test_split_parts_sum_exactly_and_differ_by_at_most_one_minor_unit(
    amount: Money, n: int
) -> None:
    parts = amount.split(n)
    assert sum((p.amount for p in parts), Decimal(0)) == amount.amount
    assert max(p.amount for p in parts) - min(p.amount for p in parts) <= amount.currency.exponent


@given(st.integers(min_value=-(10**15), max_value=10**15), ratios)
def test_integer_kernel_conserves_the_total(total: int, weights: list[int | Decimal]) -> None:
    assert sum(allocate_amounts(total, weights)) == total


@given(exact_money(), st.sampled_from(list(Rounding)))
def test_rounding_is_idempotent(amount: Money, mode: Rounding) -> None:
    once = amount.round(mode)
    assert once.round(mode) == once
    assert once.is_rounded


@given(exact_money(), st.sampled_from([Rounding.HALF_UP, Rounding.HALF_EVEN]))
def test_half_rounding_moves_an_amount_by_at_most_half_a_minor_unit(
    amount: Money, mode: Rounding
) -> None:
    assert abs(amount.round(mode).amount - amount.amount) <= amount.currency.exponent / 2


@given(st.data())
def test_adding_then_subtracting_gives_back_the_amount(data: st.DataObject) -> None:
    a = data.draw(exact_money())
    b = data.draw(exact_money(a.currency))
    assert a + b - b == a
    negated = -a
    assert -negated == a
    assert a - a == Money.zero(a.currency)


@given(exact_money())
def test_str_and_parse_round_trip(amount: Money) -> None:
    assert Money.parse(str(amount)) == amount


@given(rounded_money())
def test_minor_units_round_trip(amount: Money) -> None:
    assert Money.from_minor(amount.minor_units, amount.currency) == amount
