"""Invariants of o2c.calendar: periods tile time, proration adds up to the range."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import BillingCycle, Cycle, Period, proration_factor
from tests.strategies import dates

cycles = st.builds(BillingCycle, st.sampled_from(list(Cycle)), dates)


@given(cycles, dates)
def test_period_containing_contains_the_date(cycle: BillingCycle, day: dt.date) -> None:
    period = cycle.period_containing(day)
    assert day in period
    assert cycle.next_period(period).start == period.end
    assert cycle.previous_period(period).end == period.start


@given(cycles, dates, st.integers(min_value=1, max_value=400))
def test_proration_of_the_pieces_covering_a_range_adds_up_to_the_range(
    cycle: BillingCycle, start: dt.date, length: int
) -> None:
    span = Period(start, start + dt.timedelta(days=length))
    pieces = list(cycle.pieces(span))
    assert sum(piece.days for piece, _ in pieces) == span.days
    # Each piece's factor times its period's length gives back its days exactly.
    assert sum(proration_factor(piece, whole) * whole.days for piece, whole in pieces) == Fraction(
        span.days
    )
    # Whole periods inside the range count as exactly 1.
    for piece, whole in pieces:
        if piece == whole:
            assert proration_factor(piece, whole) == 1
