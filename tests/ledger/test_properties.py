"""Property tests of allocation and aging on random open items."""

from __future__ import annotations

import datetime as dt

import hypothesis.strategies as st
from hypothesis import given

from o2c.ids import CustomerId, DocumentId
from o2c.ledger import (
    AgingBasis,
    CreditItem,
    CreditKind,
    DocumentKind,
    OpenItem,
    aging,
    allocate_oldest_first,
    buckets_from_bounds,
)
from o2c.money import Currency, Money, sum_money

USD = Currency.of("USD")
BASE = dt.date(2026, 1, 1)


@st.composite
def open_item_lists(draw: st.DrawFn) -> list[OpenItem]:
    count = draw(st.integers(0, 12))
    items = []
    for n in range(count):
        issued = BASE + dt.timedelta(days=draw(st.integers(0, 200)))
        due = issued + dt.timedelta(days=draw(st.integers(0, 60)))
        original = draw(st.integers(0, 100_000))
        open_units = draw(st.integers(0, original))
        disputed = draw(st.none() | st.integers(0, 100_000))
        items.append(
            OpenItem(
                DocumentId(f"D{n}"),
                f"N-{n:03}",
                DocumentKind.INVOICE,
                CustomerId(draw(st.sampled_from(["C1", "C2"]))),
                USD,
                issued,
                due,
                Money.from_minor(original, USD),
                Money.from_minor(open_units, USD),
                disputed=None if disputed is None else Money.from_minor(disputed, USD),
            )
        )
    return items


@given(items=open_item_lists(), unapplied=st.integers(1, 300_000))
def test_oldest_first_allocation_conserves_money_and_never_exceeds_an_item(
    items: list[OpenItem], unapplied: int
) -> None:
    credit = CreditItem(
        "P1",
        CreditKind.PAYMENT,
        CustomerId("C1"),
        USD,
        BASE,
        "ref",
        Money.from_minor(unapplied, USD),
        Money.from_minor(unapplied, USD),
    )
    plan = allocate_oldest_first(credit, items, date=BASE)
    mine = {i.document_id: i for i in items if i.customer == "C1"}
    total_open = sum_money((i.open for i in mine.values()), USD)
    allocated = sum_money((a.amount for a in plan), USD)
    assert allocated == credit.unapplied.min(total_open)
    assert len({a.document_id for a in plan}) == len(plan)
    for alloc in plan:
        assert alloc.amount <= mine[alloc.document_id].open
    # Oldest due first: only the last planned item may be left partly open.
    for alloc in plan[:-1]:
        assert alloc.amount == mine[alloc.document_id].open


@given(
    items=open_item_lists(),
    as_of_days=st.integers(0, 400),
    bounds=st.lists(st.integers(1, 200), min_size=1, max_size=5, unique=True).map(sorted),
    basis=st.sampled_from(AgingBasis),
)
def test_aging_buckets_plus_disputed_add_up_to_the_open_items_per_customer(
    items: list[OpenItem], as_of_days: int, bounds: list[int], basis: AgingBasis
) -> None:
    as_of = BASE + dt.timedelta(days=as_of_days)
    report = aging(items, as_of, buckets=buckets_from_bounds(bounds), basis=basis)
    for row in report.rows:
        expected = sum_money((i.open for i in items if i.customer == row.customer), USD)
        assert row.total == expected
        assert all(not m.is_negative for m in row.buckets)
    assert report.total("USD").total == sum_money((i.open for i in items), USD)
