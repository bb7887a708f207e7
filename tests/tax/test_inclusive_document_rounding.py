"""Tax-included prices rounded per document (issue 18 item 2).

The rule: each line's net = its gross / (1 + rate) rounded to the minor unit; the untaxed
total is the sum of the rounded line nets; the document tax of a rate is the gross total
of that rate minus its untaxed. Identical lines get identical nets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.money import Money, Rounding, sum_money
from o2c.tax import (
    EN16931,
    RoundingScope,
    TaxableLine,
    TaxProfile,
    TaxRegime,
    TaxResult,
    bundled_table,
    compute_tax,
)

EU = bundled_table("EU")
DAY = dt.date(2026, 10, 31)
ES_SELLER = TaxProfile("ES", tax_id="ESA28015865")
ES_CONSUMER = TaxProfile("ES", is_business=False)


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def _inclusive(*grosses: str, classes: tuple[str, ...] = ()) -> TaxResult:
    lines = [
        TaxableLine(str(i), eur(g), classes[i] if classes else "services")
        for i, g in enumerate(grosses)
    ]
    return compute_tax(
        lines,
        seller=ES_SELLER,
        buyer=ES_CONSUMER,
        tax_point=DAY,
        table=EU,
        regime=EN16931,
        prices_include_tax=True,
    )


def test_included_tax_per_document_rounds_each_line_net_and_takes_tax_as_the_rest() -> None:
    result = _inclusive("11.90", "2.80")
    # 11.90 / 1.21 = 9.8347 -> 9.83; 2.80 / 1.21 = 2.3140 -> 2.31.
    assert [ln.net for ln in result.lines] == [eur("9.83"), eur("2.31")]
    assert result.totals.net == eur("12.14")
    assert result.totals.tax == eur("2.56")  # 14.70 - 12.14
    assert result.totals.gross == eur("14.70")
    (entry,) = result.breakdown
    assert (entry.base, entry.amount) == (eur("12.14"), eur("2.56"))


def test_identical_tax_included_lines_get_identical_nets() -> None:
    result = _inclusive("21.53", "21.53")
    # 21.53 / 1.21 = 17.7934 -> 17.79 on both lines (they were 17.79 and 17.80).
    assert [ln.net for ln in result.lines] == [eur("17.79"), eur("17.79")]
    assert [ln.tax for ln in result.lines] == [eur("3.74"), eur("3.74")]
    assert result.totals.tax == eur("7.48")  # 43.06 - 35.58


def test_explain_names_the_included_tax_document_rule() -> None:
    result = _inclusive("11.90", "2.80")
    text = result.explain()
    assert "each line's net = gross / (1 + rate) rounded" in text
    assert "gross of the rate minus the sum of its line nets" in text
    assert "line net = gross / (1 + rate) rounded per line" in result.lines[0].taxes[0].method


def test_line_rounding_of_included_tax_is_unchanged() -> None:
    # Per-line scope keeps its option (tax rounded by default): 9.99 at 20 %, tie.
    line = TaxRegime("line", RoundingScope.LINE, Rounding.HALF_UP)
    result = compute_tax(
        [TaxableLine("1", eur("9.99"))],
        seller=TaxProfile("FR"),
        buyer=TaxProfile("FR", is_business=False),
        tax_point=DAY,
        table=EU,
        regime=line,
        prices_include_tax=True,
    )
    assert (result.totals.net, result.totals.tax) == (eur("8.32"), eur("1.67"))


grosses = st.lists(
    st.tuples(st.integers(-5_000, 500_000), st.sampled_from(("services", "reduced", "basic_food"))),
    min_size=1,
    max_size=8,
)


@given(grosses, st.integers(0, 3))
def test_included_tax_per_document_invariants(drawn: list[tuple[int, str]], repeat: int) -> None:
    # Repeat the first line a few times so identical lines are always present.
    drawn = drawn + [drawn[0]] * repeat
    texts = [str(Decimal(units).scaleb(-2)) for units, _ in drawn]
    result = _inclusive(*texts, classes=tuple(c for _, c in drawn))
    c = result.totals.net.currency
    by_input: dict[tuple[str, str], set[Money]] = defaultdict(set)
    for (_units, cls), text, taxed in zip(drawn, texts, result.lines, strict=True):
        by_input[(text, cls)].add(taxed.net)
        assert taxed.net + taxed.tax == taxed.gross == eur(text)
    # Identical lines get identical nets.
    assert all(len(nets) == 1 for nets in by_input.values())
    # Untaxed = sum of line nets; the gross total is the sum of the gross prices.
    assert result.totals.net == sum_money((ln.net for ln in result.lines), c)
    assert result.totals.gross == sum_money((eur(t) for t in texts), c)
    # Per rate: tax = gross of the rate - its untaxed.
    for entry in result.breakdown:
        members = [
            ln
            for ln in result.lines
            for a in ln.taxes
            if (a.tax, a.rate) == (entry.tax, entry.rate)
        ]
        gross = sum_money((ln.gross for ln in members), c)
        assert entry.amount == gross - entry.base
