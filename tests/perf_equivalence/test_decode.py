"""The bill run decodes stored contracts exactly as ``as_json`` does (floats as Decimal)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from o2c.book._billing import _decode
from o2c.book._codec import as_json

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(value=_JSON, pad=st.sampled_from(["", " ", "\n"]), compact=st.booleans())
def test_stored_texts_decode_alike(value: object, pad: str, compact: bool) -> None:
    text = pad + json.dumps(value, separators=(",", ":") if compact else None) + pad
    assert _decode(text) == as_json(text)
