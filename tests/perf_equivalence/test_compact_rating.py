"""The compact path rates per-unit and graduated lines exactly as o2c.pricing does.

Its raters read the stored model (JSON) and return the exact amount, the stored
``explain`` text and the unit price the invoice line shows; each must equal what
:func:`o2c.pricing.rate` and the general planner give for the same model and quantity.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing._compact import _graduated, _per_unit, _text
from o2c.io import to_plain
from o2c.pricing import Graduated, PerUnit, PriceModel, Tier, rate
from o2c.pricing._rated import _plain

_PRICE = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=5)
_QUANTITY = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=4)


def _stored(model: PriceModel) -> dict[str, object]:
    """The model as a stored contract line keeps it (with its type tag)."""
    plain: dict[str, object] = to_plain(model)
    return {**plain, "type": type(model).__name__}


def _general(model: PriceModel, quantity: Decimal) -> tuple[Decimal, str, str | None]:
    rated = rate(model, quantity, currency="MXN")
    steps = rated.steps
    unit_price = None
    if len(steps) == 1 and steps[0].unit_price and steps[0].quantity == quantity:
        unit_price = str(steps[0].unit_price)
    explain = json.dumps([s.describe() for s in steps], separators=(",", ":"))
    return rated.amount.amount, explain, unit_price


@given(price=_PRICE, quantity=_QUANTITY)
def test_per_unit_lines_rate_alike(price: Decimal, quantity: Decimal) -> None:
    model = PerUnit(unit_price=price)
    assert _per_unit(_stored(model), quantity) == _general(model, quantity)


@st.composite
def _graduated_models(draw: st.DrawFn) -> Graduated:
    bounds = sorted(set(draw(st.lists(st.integers(1, 500), min_size=0, max_size=3))))
    tiers = [
        Tier(
            Decimal(b) if b is not None else None,
            draw(_PRICE),
            draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("12.50")])),
        )
        for b in [*bounds, None]
    ]
    return Graduated(tiers=tiers)


@given(model=_graduated_models(), quantity=_QUANTITY | st.integers(0, 600).map(Decimal))
def test_graduated_lines_rate_alike(model: Graduated, quantity: Decimal) -> None:
    assert _graduated(_stored(model), quantity) == _general(model, quantity)


@given(
    value=st.decimals(allow_nan=False, allow_infinity=False)
    | st.builds(
        lambda d, e: d.scaleb(e), st.decimals(-(10**6), 10**6, places=3), st.integers(-9, 9)
    )
)
def test_step_numbers_print_alike(value: Decimal) -> None:
    assert _text(value) == _plain(value)
