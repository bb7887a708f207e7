"""Issue 18 item 4: usage charged per event ("pay in advance").

Each event is charged what the rounded period-to-date amount grows by when it is added
to the earlier events of its period, so the charges of a period add up exactly to the
period rating of its events (rounded).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import ValidationError
from o2c.pricing import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Item,
    Package,
    Percentage,
    PercentageTier,
    PerUnit,
    PriceModel,
    Tier,
    UsageRecord,
    Volume,
    charge_events,
    parse_ratecard,
    rate,
)

UTC = dt.UTC


def _event(n: int, quantity: str | int | Decimal, *, hour: int = 0) -> UsageRecord:
    return UsageRecord(
        id=f"e{n:03d}",
        customer="C1",
        item="X",
        quantity=Decimal(quantity),
        timestamp=dt.datetime(2026, 10, 1, hour, tzinfo=UTC) + dt.timedelta(minutes=n),
    )


def _amounts(charges: object) -> list[str]:
    return [str(c.amount.amount) for c in charges]  # type: ignore[attr-defined]


def test_percentage_fee_per_transaction_with_free_transactions_and_min_max() -> None:
    # 2.9 % + 0.30 per transaction, at least 0.50 and at most 5.00 each, the first two
    # transactions of the period free.
    model = Percentage(
        percent="2.9",
        fixed_fee="0.30",
        transaction_minimum="0.50",
        transaction_maximum="5.00",
        free_transactions=2,
    )
    events = [_event(n, q) for n, q in enumerate(["10.00", "20.00", "5.00", "100.00", "500.00"])]
    charges = charge_events(model, events, currency="USD")
    # free, free, 5 x 2.9 % + 0.30 = 0.445 -> the minimum 0.50, 100 x 2.9 % + 0.30 = 3.20,
    # 500 x 2.9 % + 0.30 = 14.80 -> the maximum 5.00.
    assert _amounts(charges) == ["0.00", "0.00", "0.50", "3.20", "5.00"]
    assert [str(c.after.amount) for c in charges] == ["0.00", "0.00", "0.50", "3.70", "8.70"]
    period = rate(model, 0, currency="USD", transactions=[e.quantity for e in events])
    assert str(period.net()) == "8.70 USD"
    assert charges[3].explain[0] == (
        "charged per event: period to date 3.70 less 0.50 before this event = 3.20"
    )


def test_graduated_percentage_charges_a_tiers_flat_fee_on_the_transaction_entering_it() -> None:
    # 2 % up to 1,000; 1.5 % up to 5,000 + 10.00 on entering; 1 % above + 25.00.
    model = GraduatedPercentage(
        tiers=[
            PercentageTier(1000, "2"),
            PercentageTier(5000, "1.5", flat_fee="10"),
            PercentageTier(None, "1", flat_fee="25"),
        ]
    )
    events = [_event(n, q) for n, q in enumerate([600, 600, 4000, 100])]
    charges = charge_events(model, events, currency="MXN")
    # 600: 12.00. 1,200: 20.00 + 200 x 1.5 % + 10.00 = 33.00 (21.00, the fee with it).
    # 5,200: 20.00 + 60.00 + 10.00 + 200 x 1 % + 25.00 = 117.00. 5,300: 118.00.
    assert _amounts(charges) == ["12.00", "21.00", "84.00", "1.00"]
    assert str(charges[-1].after.amount) == "118.00"


def test_free_units_are_consumed_by_the_first_events_of_the_period() -> None:
    model = PerUnit(unit_price="0.05", free_units=100)
    charges = charge_events(model, [_event(1, 60), _event(2, 60), _event(3, 30)], currency="USD")
    assert _amounts(charges) == ["0.00", "1.00", "1.50"]  # 20 and 30 units over the 100


def test_earlier_events_of_the_period_count_for_the_next_ones() -> None:
    model = Graduated(tiers=[Tier(1000, "0.10", flat_fee="5.00"), Tier(None, "0.05")])
    earlier = [_event(1, 900)]  # charged before: 5.00 base fee + 90.00
    charges = charge_events(model, [_event(2, 200)], currency="USD", earlier=earlier)
    # 1,100 units: 5.00 + 100.00 + 100 x 0.05 = 110.00, less the 95.00 charged before.
    assert _amounts(charges) == ["15.00"]
    assert str(charges[0].before.amount) == "95.00"


def test_the_base_fee_goes_on_the_periods_first_event() -> None:
    model = Graduated(tiers=[Tier(100, "1.00", flat_fee="20.00"), Tier(None, "0.50")])
    charges = charge_events(model, [_event(1, 1), _event(2, 1)], currency="USD")
    assert _amounts(charges) == ["21.00", "1.00"]


def test_rounding_cents_are_caught_up_by_the_next_event() -> None:
    charges = charge_events(
        PerUnit(unit_price="0.125"), [_event(n, 1) for n in range(4)], currency="USD"
    )
    assert _amounts(charges) == ["0.13", "0.12", "0.13", "0.12"]


def test_period_maximum_makes_later_events_free() -> None:
    model = PerUnit(unit_price="1.00", maximum="25.00")
    charges = charge_events(model, [_event(n, 10) for n in range(4)], currency="USD")
    assert _amounts(charges) == ["10.00", "10.00", "5.00", "0.00"]


def test_a_late_event_is_priced_where_it_occurred() -> None:
    # One free transaction: the event that occurred first takes it, even when it
    # arrives after a later one was charged.
    model = Percentage(percent="10", free_transactions=1)
    late = _event(1, "50.00")
    charged = [_event(5, "80.00")]
    first = charge_events(model, charged, currency="USD")
    assert _amounts(first) == ["0.00"]  # it was the first, so free
    then = charge_events(model, [late], currency="USD", earlier=charged)
    # Now the 50.00 is the free one and 80.00 pays 8.00: the period total is 8.00.
    assert _amounts(then) == ["8.00"]


@pytest.mark.parametrize(
    ("model", "why"),
    [
        (Volume(tiers=[Tier(10, "2"), Tier(None, "1")]), "a larger quantity can cost less"),
        (Flat(price="10"), "a flat price is not charged per event"),
        (PerUnit(unit_price="1", allow_credits=True), "allows credits"),
    ],
)
def test_models_whose_amount_can_fall_are_not_charged_per_event(
    model: PriceModel, why: str
) -> None:
    with pytest.raises(ValidationError, match=why):
        charge_events(model, [_event(1, 1)], currency="USD")
    with pytest.raises(ValidationError, match=why):
        Item(code="X", name="X", unit="u", tax_category="S", model=model, per_event=True)  # type: ignore[arg-type]


def test_an_event_is_charged_once() -> None:
    with pytest.raises(ValidationError, match="an event not charged yet"):
        charge_events(
            PerUnit(unit_price="1"), [_event(1, 1)], currency="USD", earlier=[_event(1, 1)]
        )


def test_rate_card_toml_marks_an_item_per_event() -> None:
    card = parse_ratecard(
        """
[ratecard]
code = "pay"
currency = "USD"

[[versions]]
effective_from = 2026-01-01

[versions.items.CARD_FEE]
name = "Card processing"
unit = "transaction"
model = "percentage"
percent = "2.9"
fixed_fee = "0.30"
per_event = true
"""
    )
    assert card.versions[0].items[0].per_event is True
    bad = """
[ratecard]
code = "v"
currency = "USD"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEATS]
name = "Seats"
model = "volume"
per_event = true
tiers = [{ up_to = 10, unit_price = "2" }, { up_to = "inf", unit_price = "1" }]
"""
    with pytest.raises(ValidationError, match=r"versions\[0\]\.items\.SEATS\.per_event"):
        parse_ratecard(bad)


_MODELS: list[PriceModel] = [
    PerUnit(unit_price="0.0137", free_units=25, minimum="3.00"),
    Graduated(tiers=[Tier(100, "0.333", flat_fee="7"), Tier(None, "0.111", flat_fee="2.5")]),
    Package(size=10, price="1.99", free_units=5),
    Percentage(
        percent="2.9",
        fixed_fee="0.30",
        transaction_minimum="0.45",
        transaction_maximum="9.99",
        free_transactions=3,
        free_amount="120",
        maximum="500",
    ),
    GraduatedPercentage(
        tiers=[PercentageTier(500, "3.1"), PercentageTier(None, "1.7", flat_fee="4.99")]
    ),
]


@given(
    model=st.sampled_from(_MODELS),
    quantities=st.lists(
        st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False), min_size=1, max_size=25
    ),
    batches=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=10),
    arrival=st.randoms(use_true_random=False),
    currency=st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_per_event_charges_of_a_period_add_up_to_its_period_rating(
    model: PriceModel,
    quantities: list[Decimal],
    batches: list[int],
    arrival: object,
    currency: str,
) -> None:
    events = [_event(n, q) for n, q in enumerate(quantities)]
    arrived = list(events)
    arrival.shuffle(arrived)  # type: ignore[attr-defined]
    charged: list[UsageRecord] = []
    amounts: list[Decimal] = []
    sizes = iter(batches * len(events))
    while len(charged) < len(arrived):
        batch = arrived[len(charged) : len(charged) + next(sizes)]
        for charge in charge_events(model, batch, currency=currency, earlier=charged):
            assert charge.amount.amount >= 0  # the period amount never falls
            assert charge.amount == charge.after - charge.before
            amounts.append(charge.amount.amount)
        charged.extend(batch)
    period = rate(model, sum(quantities, Decimal(0)), currency=currency, transactions=quantities)
    if not isinstance(model, Percentage | GraduatedPercentage):
        period = rate(model, sum(quantities, Decimal(0)), currency=currency)
    assert sum(amounts, Decimal(0)) == period.net().amount


@given(
    quantities=st.lists(
        st.decimals(min_value=0, max_value=3000, places=2, allow_nan=False), min_size=1, max_size=30
    ),
    split=st.integers(min_value=0, max_value=30),
)
def test_percentage_events_in_order_are_charged_as_rating_each_prefix_gives(
    quantities: list[Decimal], split: int
) -> None:
    # Events after the earlier ones take the one-pass path; each charge must still be
    # round(R(prefix with it)) - round(R(prefix)), R rating the prefix's transactions.
    model = _MODELS[3]
    events = [_event(n, q) for n, q in enumerate(quantities)]
    earlier, new = events[:split], events[split:]
    charges = charge_events(model, new, currency="USD", earlier=earlier)

    def r(count: int) -> Decimal:
        if not count:
            return Decimal(0)
        txs = [e.quantity for e in events[:count]]
        return rate(model, 0, currency="USD", transactions=txs).net().amount

    expected = [r(k + 1) - r(k) for k in range(len(earlier), len(events))]
    assert [c.amount.amount for c in charges] == expected
