"""Prepaid credits (wallets) on the Book, on SQLite and PostgreSQL: worked examples."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.credit import LotKind
from o2c.errors import InvalidState, ValidationError
from o2c.ledger import TrialBalance
from o2c.money import Money
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft

OCT1, OCT5, OCT31 = dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 31)
NOV30 = dt.date(2026, 11, 30)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def balance(tb: TrialBalance, code: str) -> Money:
    return sum((r.balance for r in tb.rows if r.account == code), usd("0"))


def _invoice(book: Book, doc_id: str, net: str = "100.00", rate: str = "0.20") -> str:
    # net 100.00 taxed at 20 %: an invoice of 120.00
    book.create_draft(invoice_draft(doc_id, lines=(("API", "1", net),), rate=rate))
    return book.issue_document(doc_id, issue_date=OCT5).number or doc_id


@pytest.fixture
def c1(book: Book) -> Book:
    book.add_customer(customer("C1"))
    return book


def test_a_wallet_of_100_drawn_by_an_invoice_of_120_leaves_20_open(c1: Book) -> None:
    book = c1
    lot = book.wallet_topup("C1", usd("100.00"), date=OCT1)
    number = _invoice(book, "D1")
    draw = book.wallet_draw("C1", number, date=OCT5)
    assert draw.applied == usd("100.00")
    assert draw.open == usd("20.00")
    assert [(t.lot_id, t.amount) for t in draw.takes] == [(lot.id, usd("100.00"))]
    [item] = book.open_items(as_of=OCT5, customer="C1")
    assert item.open == usd("20.00")
    assert book.wallet("C1", as_of=OCT5).balance("USD") == usd("0.00")
    tb = book.trial_balance(OCT5)
    assert tb.is_balanced
    assert balance(tb, "2150") == usd("0.00")
    assert balance(tb, "1000") == usd("100.00")  # the cash received for the credits
    assert balance(tb, "1100") == usd("20.00")
    # nothing left: a second draw is refused and changes nothing
    with pytest.raises(InvalidState, match="no wallet credit"):
        book.wallet_draw("C1", number, date=OCT5)


def test_granted_credit_is_used_before_paid_credit(c1: Book) -> None:
    book = c1
    paid = book.wallet_topup("C1", usd("100.00"), date=OCT1)
    granted = book.wallet_topup("C1", usd("30.00"), kind="granted", date=OCT1, actor="lee")
    draw = book.wallet_draw("C1", _invoice(book, "D1"), date=OCT5)
    assert [(t.lot_id, t.kind, t.amount) for t in draw.takes] == [
        (granted.id, LotKind.GRANTED, usd("30.00")),
        (paid.id, LotKind.PAID, usd("90.00")),
    ]
    wallet = book.wallet("C1", as_of=OCT5)
    assert wallet.balance("USD", LotKind.PAID) == usd("10.00")
    assert wallet.balance("USD", LotKind.GRANTED) == usd("0.00")
    tb = book.trial_balance(OCT5)
    assert balance(tb, "6300") == usd("30.00")  # the promotion's cost
    assert balance(tb, "2150") == usd("-10.00")
    assert tb.is_balanced


def test_expiry_posts_breakage_for_paid_and_reverses_the_cost_of_granted(c1: Book) -> None:
    book = c1
    paid = book.wallet_topup("C1", usd("50.00"), expires=OCT31, date=OCT1)
    granted = book.wallet_topup("C1", usd("20.00"), kind="granted", expires=OCT31, date=OCT1)
    keep = book.wallet_topup("C1", usd("5.00"), date=OCT1)  # no expiry
    book.wallet_draw("C1", _invoice(book, "D1", net="25.00"), date=OCT5)  # 30.00: 20 + 10
    assert book.wallet_expire(OCT31) == []  # still usable on its expiry date
    expired = book.wallet_expire(NOV30)
    assert [(c, t.lot_id, t.amount) for c, t in expired] == [("C1", paid.id, usd("40.00"))]
    tb = book.trial_balance(NOV30)
    assert balance(tb, "4900") == usd("-40.00")  # breakage revenue
    assert balance(tb, "6300") == usd("20.00")  # the granted lot was fully used: its cost
    assert balance(tb, "2150") == usd("-5.00")
    assert tb.is_balanced
    assert book.wallet("C1", as_of=NOV30).balance("USD") == usd("5.00")
    assert granted.id != keep.id
    events = [(e.event, e.lot_id, e.amount) for e in book.wallet_history("C1")]
    assert events[-1] == ("expiry", paid.id, usd("40.00"))
    assert ("draw", granted.id, usd("20.00")) in events
    assert ("draw", paid.id, usd("10.00")) in events
    assert book.wallet_expire(NOV30) == []  # nothing left to expire


def test_an_unused_granted_lot_expires_by_reversing_its_cost(c1: Book) -> None:
    book = c1
    book.wallet_topup("C1", usd("20.00"), kind="granted", expires=OCT5, date=OCT1)
    book.wallet_expire(OCT31)
    tb = book.trial_balance(OCT31)
    assert balance(tb, "6300") == usd("0.00")
    assert balance(tb, "2150") == usd("0.00")
    assert balance(tb, "4900") == usd("0.00")


def test_a_top_up_out_of_a_payment_moves_its_unapplied_credit(c1: Book) -> None:
    book = c1
    pay = book.record_payment("C1", usd("80.00"), date=OCT1)
    book.wallet_topup("C1", usd("60.00"), payment=pay.id, date=OCT1)
    [credit] = book.credits(as_of=OCT1, customer="C1")
    assert credit.unapplied == usd("20.00")
    tb = book.trial_balance(OCT1)
    assert balance(tb, "2150") == usd("-60.00")
    assert balance(tb, "2100") == usd("-20.00")
    with pytest.raises(InvalidState, match=r"only 20\.00 USD is unapplied"):
        book.wallet_topup("C1", usd("30.00"), payment=pay.id, date=OCT1)


def test_a_refused_top_up_or_draw_changes_nothing(c1: Book) -> None:
    book = c1
    before = book.trial_balance(OCT31)
    with pytest.raises(ValidationError):
        book.wallet_topup("C1", usd("10.00"), kind="free", date=OCT1)
    with pytest.raises(ValidationError):
        book.wallet_topup("C1", usd("10.00"), expires=dt.date(2026, 9, 1), date=OCT1)
    assert book.trial_balance(OCT31) == before
    assert book.wallet("C1").lots == ()
    number = _invoice(book, "D1")
    with pytest.raises(InvalidState):
        book.wallet_draw("C1", number, date=OCT5)
    assert book.wallet_history("C1") == []


def test_a_repeated_idempotency_key_tops_up_once(c1: Book) -> None:
    book = c1
    first = book.wallet_topup("C1", usd("10.00"), date=OCT1, idempotency_key="k1")
    again = book.wallet_topup("C1", usd("10.00"), date=OCT1, idempotency_key="k1")
    assert first == again
    assert book.wallet("C1", as_of=OCT1).balance("USD") == usd("10.00")


def _ledger_per_lot(book: Book) -> dict[str, Money]:
    per: dict[str, Money] = {}
    for entry in book.journal():
        for line in entry.lines:
            if str(line.account) == "2150" and line.item is not None:
                per[line.item] = per.get(line.item, usd("0")) - line.amount
    return {k: v for k, v in per.items() if not v.is_zero}


def _check_lots_against_ledger(book: Book, as_of: dt.date) -> None:
    wallet = book.wallet("C1", as_of=as_of)
    for made in wallet.lots:
        assert not made.remaining.is_negative
    stored = {x.id: x.remaining for x in wallet.lots if not x.remaining.is_zero}
    assert stored == _ledger_per_lot(book)
    assert book.trial_balance(as_of).is_balanced


def test_top_ups_draws_and_expiries_keep_every_lot_equal_to_the_ledger(c1: Book) -> None:
    book = c1
    book.wallet_topup("C1", usd("15.00"), kind="granted", expires=OCT5, date=OCT1)
    book.wallet_topup("C1", usd("40.00"), expires=OCT31, date=OCT1)
    book.wallet_topup("C1", usd("70.00"), date=OCT1)
    draw = book.wallet_draw("C1", _invoice(book, "D1", net="50.00"), date=OCT5)  # 60.00
    assert [t.amount for t in draw.takes] == [usd("15.00"), usd("40.00"), usd("5.00")]
    _check_lots_against_ledger(book, OCT5)
    book.wallet_expire(NOV30)  # nothing with an expiry is left
    _check_lots_against_ledger(book, NOV30)
    assert book.wallet("C1", as_of=NOV30).balance("USD", LotKind.PAID) == usd("65.00")


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(
                st.just("topup"),
                st.sampled_from(["paid", "granted"]),
                st.integers(1, 9000),
                st.one_of(st.none(), st.integers(0, 10)),
            ),
            st.tuples(st.just("draw"), st.integers(1, 9000)),
            st.tuples(st.just("expire")),
        ),
        max_size=8,
    )
)
def test_any_sequence_keeps_lots_and_ledger_equal(
    tmp_path_factory: pytest.TempPathFactory,
    clock: FakeClock,
    steps: list[tuple[object, ...]],
) -> None:
    book = Book.open(str(tmp_path_factory.mktemp("w") / "w.o2c"), actor="ana", clock=clock)
    try:
        book.add_customer(customer("C1"))
        day = OCT1
        for n, step in enumerate(steps):
            day = day + dt.timedelta(days=2)
            if step[0] == "topup":
                _, kind, cents, days = step
                expires = None if days is None else day + dt.timedelta(days=int(str(days)))
                amount = Money.from_minor(int(str(cents)), "USD")
                book.wallet_topup("C1", amount, kind=str(kind), expires=expires, date=day)
            elif step[0] == "draw":
                net = Money.from_minor(int(str(step[1])), "USD")
                book.create_draft(invoice_draft(f"D{n}", lines=(("API", "1", str(net.amount)),)))
                number = book.issue_document(f"D{n}", issue_date=day).number or f"D{n}"
                if book.wallet("C1", as_of=day).balance("USD").is_positive:
                    with contextlib.suppress(InvalidState):  # all of it may have expired
                        book.wallet_draw("C1", number, date=day)
            else:
                book.wallet_expire(day)
            _check_lots_against_ledger(book, day)
    finally:
        book.close()
