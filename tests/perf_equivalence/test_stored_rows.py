"""A bill run stores exactly the rows the straightforward encoding of its documents gives.

The hot path (cached tax-JSON shapes, shared encoders, the paused collector) must not
change one stored byte: each run below bills random simple contracts, then rebuilds
every ``document_lines``, ``documents`` and ``document_taxes`` row from the loaded
documents with plain ``json.dumps`` and compares.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing import Document
from o2c.book import Book
from o2c.tax import TaxProfile
from tests.book.factories import monthly_contract, mx_customer

_COUNTER = itertools.count()

_LINE = st.tuples(
    st.sampled_from(["SEAT", "API", "SUPPORT", "ÑANDÚ"]),
    st.integers(1, 40).map(str),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2).map(str),
)
_CONTRACT = st.tuples(st.lists(_LINE, min_size=1, max_size=5), st.booleans())


def _reference_line_rows(doc: Document) -> list[tuple[Any, ...]]:
    """The line rows as the encoding before the hot-path work wrote them."""
    rows = []
    for line in doc.lines:
        tax = withheld = 0
        category = "O"
        tax_list = []
        for t in line.taxes:
            units = t.amount.minor_units
            if t.withholding:
                withheld += units
            else:
                tax += units
                if category == "O":
                    category = t.category
            tax_list.append(
                [t.code, t.category, str(t.rate), units, 1 if t.withholding else 0, t.tax]
            )
        rows.append(
            (
                doc.id,
                line.number,
                line.item,
                line.description,
                str(line.quantity),
                None if line.unit_price is None else str(line.unit_price.amount),
                line.net.minor_units,
                tax,
                withheld,
                category,
                json.dumps(tax_list, separators=(",", ":")),
                line.source.value,
                json.dumps(list(line.explain), separators=(",", ":")) if line.explain else "[]",
            )
        )
    return rows


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts=st.lists(_CONTRACT, min_size=1, max_size=6), batch=st.integers(1, 4))
def test_stored_line_rows_equal_the_plain_encoding(
    contracts: list[tuple[list[tuple[str, str, str]], bool]], batch: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = Book.open(str(Path(folder) / f"book-{next(_COUNTER)}.o2c"), actor="ana")
        try:
            book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
            book.add_customer(mx_customer("C1"))
            for n, (lines, tiered) in enumerate(contracts):
                book.add_contract(monthly_contract(f"K{n:03d}", "C1", tuple(lines), tiered=tiered))
            result = book.bill_run("2026-10", batch_size=batch)
            assert result.invoices == len(contracts)
            docs = book.list_documents()
            with book.store.transaction(write=False):
                stored = book.store.query(
                    "SELECT document_id, line_no, item, description, quantity, unit_price,"
                    " net_minor, tax_minor, withheld_minor, tax_category, taxes, source, explain"
                    " FROM document_lines ORDER BY document_id, line_no"
                )
                notes = book.store.query("SELECT id, notes FROM documents ORDER BY id")
            want = [row for doc in docs for row in _reference_line_rows(doc)]
            assert [tuple(r) for r in stored] == sorted(want, key=lambda r: (r[0], r[1]))
            assert [tuple(r) for r in notes] == sorted(
                (d.id, json.dumps(list(d.notes))) for d in docs
            )
            day = docs[0].issue_date
            assert day is not None
            assert book.trial_balance(day).is_balanced
        finally:
            book.close()
