"""Shared hypothesis strategies for o2c values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from o2c.money import Currency, Money

CURRENCY_CODES = ("USD", "EUR", "MXN", "JPY", "KWD", "BHD", "GBP")

currencies = st.sampled_from(CURRENCY_CODES).map(Currency.of)


def minor_units(max_units: int = 10**12) -> st.SearchStrategy[int]:
    """Whole amounts of minor units, negative ones included."""
    return st.integers(min_value=-max_units, max_value=max_units)


@st.composite
def rounded_money(
    draw: st.DrawFn, currency: Currency | None = None, min_units: int = -(10**12)
) -> Money:
    """An amount already rounded to its currency's minor unit."""
    cur = currency or draw(currencies)
    units = draw(st.integers(min_value=min_units, max_value=10**12))
    return Money.from_minor(units, cur)


@st.composite
def exact_money(draw: st.DrawFn, currency: Currency | None = None) -> Money:
    """An amount with up to 6 decimals, as unit prices carry."""
    cur = currency or draw(currencies)
    amount = draw(
        st.decimals(
            min_value=Decimal("-1000000"),
            max_value=Decimal("1000000"),
            places=6,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return Money(amount, cur)


ratios = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=1000),
        st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=12,
).filter(lambda rs: sum(Decimal(r) for r in rs) > 0)

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
