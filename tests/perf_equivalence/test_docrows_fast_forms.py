"""The hot path's compact encodings write exactly what plain ``json.dumps`` would."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import LineTax
from o2c.book._tables.documents import _tax_json
from o2c.money import Money

_TEXT = st.text(min_size=0, max_size=12)


@given(
    code=_TEXT,
    category=_TEXT,
    rate=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False),
    trailing=st.integers(0, 3),
    cents=st.integers(0, 10**9),
    withholding=st.booleans(),
    tax=_TEXT,
)
def test_a_line_tax_is_stored_as_the_compact_json_of_its_list(
    code: str,
    category: str,
    rate: Decimal,
    trailing: int,
    cents: int,
    withholding: bool,
    tax: str,
) -> None:
    # Rates equal in value but written differently ("0.16", "0.160") keep their own text.
    for written in (rate, rate.quantize(Decimal(1).scaleb(rate.as_tuple().exponent - trailing))):  # type: ignore[operator]
        t = LineTax(code, category, written, Money.from_minor(cents, "MXN"), withholding, tax)
        want = json.dumps(
            [code, category, str(written), cents, 1 if withholding else 0, tax],
            separators=(",", ":"),
        )
        assert _tax_json(t, cents) == want
