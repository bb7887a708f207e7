"""Wallet rules (pure): drawdown order, expiry, top-up rules and their postings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.credit import (
    LotKind,
    LotTake,
    TopUpRule,
    WalletLot,
    drawdown_order,
    plan_draw,
    plan_expiry,
    post_draw,
    post_expiry,
    post_topup,
    top_up_needed,
)
from o2c.errors import ValidationError
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger import DEFAULT_CHART, JournalEntry, account_balances
from o2c.money import Currency, Money

C1 = CustomerId("C1")
USD = Currency.of("USD")
DAY0 = dt.date(2026, 10, 1)
CREDIT = AccountCode(DEFAULT_CHART.customer_credit.code)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def lot(
    lot_id: str,
    kind: LotKind,
    amount: str,
    on: dt.date = DAY0,
    expires: dt.date | None = None,
) -> WalletLot:
    return WalletLot(lot_id, C1, kind, usd(amount), on, expires)


def test_granted_first_then_earliest_expiry_then_oldest() -> None:
    lots = [
        lot("P-old", LotKind.PAID, "10.00", DAY0),
        lot("P-exp", LotKind.PAID, "10.00", dt.date(2026, 10, 3), dt.date(2026, 12, 1)),
        lot("G-late", LotKind.GRANTED, "10.00", DAY0, dt.date(2027, 1, 1)),
        lot("G-soon", LotKind.GRANTED, "10.00", dt.date(2026, 10, 2), dt.date(2026, 11, 1)),
        lot("P-new", LotKind.PAID, "10.00", dt.date(2026, 10, 2)),
    ]
    assert [x.id for x in drawdown_order(lots)] == ["G-soon", "G-late", "P-exp", "P-old", "P-new"]
    takes = plan_draw(lots, usd("35.00"), dt.date(2026, 10, 10))
    assert [(t.lot_id, t.amount) for t in takes] == [
        ("G-soon", usd("10.00")),
        ("G-late", usd("10.00")),
        ("P-exp", usd("10.00")),
        ("P-old", usd("5.00")),
    ]


def test_a_lot_is_usable_through_its_expiry_date_and_expires_after_it() -> None:
    lots = [lot("L", LotKind.PAID, "10.00", DAY0, dt.date(2026, 10, 31))]
    assert plan_draw(lots, usd("5.00"), dt.date(2026, 10, 31))
    assert plan_draw(lots, usd("5.00"), dt.date(2026, 11, 1)) == ()
    assert plan_expiry(lots, dt.date(2026, 10, 31)) == ()
    assert plan_expiry(lots, dt.date(2026, 11, 1)) == (LotTake("L", LotKind.PAID, usd("10.00")),)


def test_the_postings_of_a_paid_top_up_a_draw_and_a_breakage() -> None:
    paid = lot("L1", LotKind.PAID, "100.00")
    top = post_topup(paid, entry_id=EntryId("E1"))
    assert [(str(p.account), str(p.amount)) for p in top.lines] == [
        ("1000", "100.00 USD"),
        ("2150", "-100.00 USD"),
    ]
    draw = post_draw(
        (LotTake("L1", LotKind.PAID, usd("60.00")),),
        customer=C1,
        document_id=DocumentId("D1"),
        number="INV-1",
        entry_id=EntryId("E2"),
        date=DAY0,
    )
    assert [(str(p.account), str(p.amount), p.item) for p in draw.lines] == [
        ("2150", "60.00 USD", "L1"),
        ("1100", "-60.00 USD", "D1"),
    ]
    gone = post_expiry(
        LotTake("L1", LotKind.PAID, usd("40.00")), customer=C1, entry_id=EntryId("E3"), date=DAY0
    )
    assert [(str(p.account), str(p.amount)) for p in gone.lines] == [
        ("2150", "40.00 USD"),
        ("4900", "-40.00 USD"),
    ]
    granted = post_expiry(
        LotTake("L2", LotKind.GRANTED, usd("5.00")), customer=C1, entry_id=EntryId("E4"), date=DAY0
    )
    assert str(granted.lines[1].account) == "6300"  # the promotion's cost reversed


def test_a_top_up_out_of_a_payment_debits_its_unapplied_credit() -> None:
    bought = attrs.evolve(lot("L1", LotKind.PAID, "50.00"), payment="PAY1")
    entry = post_topup(bought, entry_id=EntryId("E1"))
    assert [(str(p.account), p.item) for p in entry.lines] == [("2100", "PAY1"), ("2150", "L1")]


def test_the_top_up_rule_tops_up_below_its_threshold() -> None:
    rule = TopUpRule(threshold=usd("20.00"), amount=usd("100.00"))
    assert top_up_needed(rule, usd("19.99")) == usd("100.00")
    assert top_up_needed(rule, usd("20.00")) is None
    with pytest.raises(ValidationError):
        top_up_needed(rule, Money.of("1", "EUR"))
    with pytest.raises(ValidationError):
        TopUpRule(threshold=usd("-1.00"), amount=usd("10.00"))


def test_a_lot_refuses_a_bad_amount_or_expiry() -> None:
    with pytest.raises(ValidationError):
        lot("L", LotKind.PAID, "0.00")
    with pytest.raises(ValidationError):
        lot("L", LotKind.PAID, "1.00", DAY0, dt.date(2026, 9, 30))
    with pytest.raises(ValidationError):
        WalletLot("L", C1, LotKind.PAID, usd("1.00"), DAY0, remaining=usd("2.00"))


# -- the invariant: lots and the ledger agree, whatever happens -------------------------

_amount = st.integers(min_value=1, max_value=50_000).map(lambda n: Money.from_minor(n, USD))
_topup = st.tuples(
    st.just("topup"),
    st.sampled_from(LotKind),
    _amount,
    st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
)
_draw = st.tuples(st.just("draw"), _amount)
_expire = st.tuples(st.just("expire"))
_step = st.one_of(_topup, _draw, _expire)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=5), _step), max_size=25))
def test_remaining_is_topped_up_less_drawn_less_expired_and_matches_the_ledger(
    steps: list[tuple[int, tuple[object, ...]]],
) -> None:
    lots: dict[str, WalletLot] = {}
    topped: dict[str, Money] = {}
    taken: dict[str, Money] = {}
    entries: list[JournalEntry] = []
    day = DAY0
    for gap, step in steps:
        day = day + dt.timedelta(days=gap)
        eid = EntryId(f"E{len(entries) + 1}")
        if step[0] == "topup":
            _, kind, amount, days = step
            assert isinstance(kind, LotKind)
            assert isinstance(amount, Money)
            expires = None if days is None else day + dt.timedelta(days=int(str(days)))
            made = WalletLot(f"L{len(lots) + 1:03d}", C1, kind, amount, day, expires)
            lots[made.id] = made
            topped[made.id] = amount
            entries.append(post_topup(made, entry_id=eid))
            continue
        if step[0] == "draw":
            amount = step[1]
            assert isinstance(amount, Money)
            takes = plan_draw(list(lots.values()), amount, day)
            assert sum((t.amount for t in takes), usd("0")) <= amount
            if takes:
                entries.append(
                    post_draw(
                        takes,
                        customer=C1,
                        document_id=DocumentId("D"),
                        number="INV",
                        entry_id=eid,
                        date=day,
                    )
                )
        else:
            takes = plan_expiry(lots.values(), day)
            entries.extend(
                post_expiry(t, customer=C1, entry_id=EntryId(f"{eid}-{n}"), date=day)
                for n, t in enumerate(takes)
            )
        for t in takes:
            before = lots[t.lot_id]
            lots[t.lot_id] = attrs.evolve(before, remaining=before.remaining - t.amount)
            taken[t.lot_id] = taken.get(t.lot_id, usd("0")) + t.amount
    for lot_id, made in lots.items():
        assert made.remaining == topped[lot_id] - taken.get(lot_id, usd("0"))
        assert not made.remaining.is_negative
    ledger = account_balances(entries, dt.date.max).get((CREDIT, USD), usd("0"))
    assert -ledger == sum((x.remaining for x in lots.values()), usd("0"))
    assert sum((p.amount for e in entries for p in e.lines), Money(Decimal(0), USD)).is_zero


@given(
    st.lists(
        st.tuples(st.sampled_from(LotKind), _amount, st.integers(0, 9), st.integers(0, 30)),
        min_size=1,
        max_size=8,
    ),
    _amount,
)
def test_a_draw_takes_a_later_lot_only_when_the_earlier_ones_are_used_up(
    specs: list[tuple[LotKind, Money, int, int]], amount: Money
) -> None:
    lots = [
        WalletLot(f"L{n}", C1, kind, value, DAY0, DAY0 + dt.timedelta(days=exp) if exp else None)
        for n, (kind, value, exp, _) in enumerate(specs)
    ]
    takes = plan_draw(lots, amount, DAY0)
    by_id = {x.id: x for x in lots}
    order = [x.id for x in drawdown_order(lots)]
    assert [t.lot_id for t in takes] == sorted((t.lot_id for t in takes), key=order.index)
    for t in takes[:-1]:
        assert t.amount == by_id[t.lot_id].remaining  # every lot but the last is emptied
    kinds = [t.kind for t in takes]
    assert kinds == sorted(kinds, key=lambda k: k is LotKind.PAID)  # granted before paid
