"""Invariants of the tax engine (DESIGN invariant 8 and the issue's properties)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.money import Currency, Money, Rounding, sum_money
from o2c.tax import (
    InclusiveRounding,
    PersonType,
    RoundingScope,
    TaxableLine,
    TaxCategory,
    TaxProfile,
    TaxRegime,
    TaxResult,
    bundled_table,
    compute_tax,
    parse_tax_table,
)

TABLE = bundled_table("ALL").merge(
    parse_tax_table(
        """
[[rates]]
code = "CA-GST"
tax = "CA-GST"
category = "S"
rate = "0.05"
jurisdiction = "CA"
valid_from = 2008-01-01

[[rates]]
code = "CA-QC-QST"
tax = "CA-QC-QST"
category = "S"
rate = "0.095"
jurisdiction = "CA/QC"
compound = true
valid_from = 2012-01-01
""",
        "qc.toml",
    )
)
DAY = dt.date(2026, 10, 31)
CLASSES = ("services", "goods", "reduced", "basic_food", "education", "freight", "digital")
SELLERS = (
    TaxProfile("DE"),
    TaxProfile("MX", person=PersonType.INDIVIDUAL),
    TaxProfile("MX", region="BORDER_NORTH", person=PersonType.INDIVIDUAL, regime="626"),
    TaxProfile("US", region="CA/LOS_ANGELES"),
    TaxProfile("CA", region="QC"),
)
BUYERS = (
    TaxProfile("DE", is_business=False),
    TaxProfile("MX"),
    TaxProfile("MX", region="BORDER_NORTH"),
    TaxProfile("US", region="CA/LOS_ANGELES/CULVER_CITY"),
    TaxProfile("CA", region="QC"),
    TaxProfile("FR", tax_id="FR40303265045"),
)
CURRENCIES = ("EUR", "MXN", "JPY", "KWD")


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    currency = Currency.of(draw(st.sampled_from(CURRENCIES)))
    n = draw(st.integers(1, 8))
    lines = []
    for i in range(n):
        units = draw(st.integers(-50_000, 5_000_000) if i else st.integers(0, 5_000_000))
        forced = draw(
            st.sampled_from(
                [None, None, None, TaxCategory.ZERO, TaxCategory.EXEMPT, TaxCategory.OUT_OF_SCOPE]
            )
        )
        lines.append(
            TaxableLine(
                f"L{i}",
                Money.from_minor(units, currency),
                draw(st.sampled_from(CLASSES)),
                forced,
                "test exemption" if forced is TaxCategory.EXEMPT else None,
            )
        )
    return {
        "lines": lines,
        "seller": draw(st.sampled_from(SELLERS)),
        "buyer": draw(st.sampled_from(BUYERS)),
        "regime": TaxRegime(
            "t",
            draw(st.sampled_from(RoundingScope)),
            draw(st.sampled_from([Rounding.HALF_UP, Rounding.HALF_EVEN])),
            draw(st.sampled_from(InclusiveRounding)),
        ),
        "prices_include_tax": draw(st.booleans()),
    }


def run(doc: dict[str, object]) -> TaxResult:
    return compute_tax(tax_point=DAY, table=TABLE, **doc)  # type: ignore[arg-type]


def cur(result: TaxResult) -> Currency:
    return result.totals.net.currency


@given(documents())
def test_breakdown_sums_to_document_tax(doc: dict[str, object]) -> None:
    result = run(doc)
    c = cur(result)
    assert sum_money((b.amount for b in result.breakdown), c) == result.totals.tax
    assert sum_money((b.amount for b in result.withholdings), c) == result.totals.withheld
    assert sum_money((ln.tax for ln in result.lines), c) == result.totals.tax
    assert sum_money((ln.net for ln in result.lines), c) == result.totals.net
    assert result.totals.gross == result.totals.net + result.totals.tax
    assert result.totals.payable == result.totals.gross - result.totals.withheld
    # Entries differ by tax, category, rate and kind (and exemption reason): line amounts
    # of one such key add up to the entries of that key.
    entries = result.breakdown + result.withholdings
    for entry in entries:
        key = (entry.tax, entry.category, entry.rate, entry.kind)
        same = [e for e in entries if (e.tax, e.category, e.rate, e.kind) == key]
        parts = [
            a
            for ln in result.lines
            for a in ln.taxes + ln.withholdings
            if (a.tax, a.category, a.rate, a.kind) == key
        ]
        assert sum_money((a.amount for a in parts), c) == sum_money((e.amount for e in same), c)
        assert sum_money((a.base for a in parts), c) == sum_money((e.base for e in same), c)


@given(documents())
def test_inclusive_net_plus_tax_equals_gross(doc: dict[str, object]) -> None:
    doc["prices_include_tax"] = True
    result = run(doc)
    lines = doc["lines"]
    assert isinstance(lines, list)
    for taxed, given_line in zip(result.lines, lines, strict=True):
        assert taxed.net + taxed.tax == taxed.gross == given_line.amount
    assert result.totals.gross == sum_money((ln.amount for ln in lines), cur(result))


@given(documents())
def test_zero_rated_exempt_and_out_of_scope_lines_carry_no_tax(doc: dict[str, object]) -> None:
    result = run(doc)
    for taxed in result.lines:
        if not taxed.category.charges_tax:
            assert taxed.tax.is_zero
            assert all(a.rate == 0 and a.amount.is_zero for a in taxed.taxes)
    for entry in result.breakdown:
        if not entry.category.charges_tax:
            assert entry.amount.is_zero


@given(documents())
def test_all_amounts_are_rounded_to_the_minor_unit(doc: dict[str, object]) -> None:
    result = run(doc)
    for taxed in result.lines:
        for amount in (taxed.net, taxed.tax, taxed.gross, taxed.withheld):
            assert amount.is_rounded


@given(documents())
def test_document_rounding_is_within_half_a_minor_unit_per_rate(doc: dict[str, object]) -> None:
    doc["prices_include_tax"] = False
    regime = doc["regime"]
    assert isinstance(regime, TaxRegime)
    doc["regime"] = TaxRegime("doc", RoundingScope.DOCUMENT, regime.rounding)
    result = run(doc)
    half = Decimal("0.5") * cur(result).exponent
    for entry in result.breakdown + result.withholdings:
        assert abs(entry.amount.amount - entry.base.amount * entry.rate) <= half
    # Spread back to lines, each line's share is less than one minor unit from exact.
    one = cur(result).exponent
    for taxed in result.lines:
        for a in taxed.taxes + taxed.withholdings:
            assert abs(a.amount.amount - a.base.amount * a.rate) < one


@given(documents())
def test_line_rounding_rounds_each_line_within_half_a_minor_unit(doc: dict[str, object]) -> None:
    doc["prices_include_tax"] = False
    doc["regime"] = TaxRegime("line", RoundingScope.LINE)
    result = run(doc)
    half = Decimal("0.5") * cur(result).exponent
    for taxed in result.lines:
        for a in taxed.taxes + taxed.withholdings:
            assert abs(a.amount.amount - a.base.amount * a.rate) <= half


@given(documents())
def test_explain_names_every_amount(doc: dict[str, object]) -> None:
    result = run(doc)
    text = result.explain()
    for taxed in result.lines:
        assert f"line {taxed.line_id}:" in text
        for a in taxed.taxes + taxed.withholdings:
            assert a.rule
            assert f"{percent(a.rate)} of {a.base} = {a.amount} [{a.rule};" in a.explain
    for entry in result.breakdown + result.withholdings:
        assert f"{percent(entry.rate)} of {entry.base} = {entry.amount} [" in entry.explain
        assert f"total {entry.explain}" in text


def percent(rate: Decimal) -> str:
    """A rate as explain prints it: 0.106667 -> '10.6667 %'."""
    return f"{(rate * 100).normalize():f} %"


@st.composite
def random_tables(draw: st.DrawFn) -> tuple[object, ...]:
    """A table of 1-3 taxes with random rates (some compound), and a document for it."""
    rows = []
    for k in range(draw(st.integers(1, 3))):
        rate = Decimal(draw(st.integers(0, 3000))) / 10000
        compound = "true" if k and draw(st.booleans()) else "false"
        rows.append(
            f'[[rates]]\ncode = "T{k}"\ntax = "T{k}"\ncategory = "{"S" if rate else "Z"}"\n'
            f'rate = "{rate}"\njurisdiction = "XX"\ncompound = {compound}\n'
            "valid_from = 2020-01-01\n"
        )
    table = parse_tax_table("\n".join(rows), "random.toml")
    currency = Currency.of(draw(st.sampled_from(CURRENCIES)))
    lines = [
        TaxableLine(f"L{i}", Money.from_minor(units, currency))
        for i, units in enumerate(draw(st.lists(st.integers(-10_000, 10_000_000), min_size=1)))
    ]
    regime = TaxRegime(
        "t",
        draw(st.sampled_from(RoundingScope)),
        draw(st.sampled_from([Rounding.HALF_UP, Rounding.HALF_EVEN, Rounding.DOWN])),
        draw(st.sampled_from(InclusiveRounding)),
    )
    return table, lines, regime, draw(st.booleans())


@given(random_tables())
def test_any_rates_keep_lines_breakdown_and_totals_consistent(case: tuple[object, ...]) -> None:
    table, lines, regime, inclusive = case
    assert isinstance(lines, list)
    result = compute_tax(
        lines,
        seller=TaxProfile("XX"),
        buyer=TaxProfile("XX"),
        tax_point=DAY,
        table=table,  # type: ignore[arg-type]
        regime=regime,  # type: ignore[arg-type]
        prices_include_tax=bool(inclusive),
    )
    c = cur(result)
    assert sum_money((b.amount for b in result.breakdown), c) == result.totals.tax
    assert sum_money((ln.tax for ln in result.lines), c) == result.totals.tax
    for taxed, given_line in zip(result.lines, lines, strict=True):
        assert taxed.net + taxed.tax == taxed.gross
        if inclusive:
            assert taxed.gross == given_line.amount
        else:
            assert taxed.net == given_line.amount
