"""Hypothesis invariants of revenue recognition.

Core: a ratable schedule sums exactly to its line, no month is negative, and for any
sequence of runs and credits recognized + deferred == billed - credited. Book: for any
invoice and any sequence of runs and credit notes, the same holds per line against the
stored credit notes, and the roll-forward's closing balance is the ledger's deferred
revenue account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from o2c.billing import DocumentKind
from o2c.book import Book
from o2c.calendar import Period
from o2c.errors import O2CError
from o2c.money import Currency, Money, Rounding
from o2c.revrec import (
    DEFERRED_REVENUE_ACCOUNT,
    Movement,
    MovementKind,
    apply_credit,
    due_recognitions,
    earned_through,
    line_balances,
    ratable_schedule,
    remaining_by_month,
)
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft
from tests.strategies import currencies

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))


@st.composite
def services(draw: st.DrawFn) -> Period:
    start = draw(days)
    return Period(start, start + dt.timedelta(days=draw(st.integers(1, 800))))


@given(
    currency=currencies,
    units=st.integers(0, 10**9),
    service=services(),
    rounding=st.sampled_from(list(Rounding)),
)
def test_a_ratable_schedule_sums_to_its_line_and_no_month_is_negative(
    currency: Currency, units: int, service: Period, rounding: Rounding
) -> None:
    billed = Money.from_minor(units, currency)
    plan = ratable_schedule(billed, service, rounding)
    assert sum((s.amount for s in plan), Money.zero(currency)) == billed
    assert all(not s.amount.is_negative and s.amount.is_rounded for s in plan)
    assert plan[0].month.start <= service.start
    assert plan[-1].due_on == service.end - dt.timedelta(days=1)
    assert all(s.due_on in service and s.due_on in s.month for s in plan)
    assert [s.month.end for s in plan[:-1]] == [s.month.start for s in plan[1:]]


@given(units=st.integers(0, 10**7), service=services(), a=days, b=days)
def test_earned_through_never_goes_down(
    units: int, service: Period, a: dt.date, b: dt.date
) -> None:
    billed = Money.from_minor(units, "USD")
    first, second = sorted((a, b))
    assert earned_through(billed, service, first) <= earned_through(billed, service, second)


@given(
    units=st.integers(1, 10**7),
    service=services(),
    steps=st.lists(st.tuples(st.booleans(), days, st.integers(1, 10**7)), min_size=1, max_size=12),
)
def test_for_any_runs_and_credits_recognized_plus_deferred_is_billed_less_credited(
    units: int, service: Period, steps: list[tuple[bool, dt.date, int]]
) -> None:
    billed = Money.from_minor(units, "USD")
    plan = ratable_schedule(billed, service)
    moves: list[Movement] = []
    credited = Money.zero("USD")
    for is_run, day, amount_units in steps:
        if is_run:
            moves.extend(
                Movement(MovementKind.RECOGNIZED, s.month, s.amount)
                for s in due_recognitions(plan, moves, day)
            )
        else:
            left = billed - credited
            if not left.is_positive:
                continue
            amount = Money.from_minor(amount_units, "USD").min(left)
            moves.extend(apply_credit(billed, plan, moves, amount, day))
            credited = credited + amount
        b = line_balances(billed, moves)
        assert b.recognized + b.deferred == billed - credited
        assert b.credited == credited
        assert not b.deferred.is_negative
        assert sum((s.amount for s in remaining_by_month(plan, moves)), Money.zero("USD")) == (
            b.deferred
        )


# -- the book ---------------------------------------------------------------------------

ISSUE = dt.date(2026, 3, 15)
ITEMS = ("ANNUAL", "QUARTER", "FEE")  # ratable 12 months, ratable 3 months, at issue

steps_strategy = st.lists(
    st.one_of(
        st.tuples(st.just("run"), st.integers(0, 420)),
        st.tuples(st.just("credit"), st.integers(1, 3), st.integers(1, 150_000)),
    ),
    min_size=1,
    max_size=6,
)


def _book() -> Book:
    clock = FakeClock(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    book = Book.open(":memory:", actor="ana", clock=clock)
    book.add_customer(customer())
    book.set_recognition_rule("ANNUAL", "ratable", term_months=12)
    book.set_recognition_rule("QUARTER", "ratable", term_months=3)
    book.set_recognition_rule("FEE", "at_issue")
    return book


def _ledger_deferred(book: Book, as_of: dt.date | None = None) -> Decimal:
    entries = book.journal(as_of=as_of)
    return -sum(
        (p.amount.amount for e in entries for p in e.lines if p.account == "2400"), Decimal(0)
    )


@settings(max_examples=25)
@given(
    prices=st.lists(
        st.tuples(st.sampled_from(ITEMS), st.integers(1, 500_000)), min_size=1, max_size=3
    ),
    steps=steps_strategy,
    as_of=st.integers(0, 450),
)
def test_for_any_invoice_and_runs_each_line_and_the_ledger_tie_out(
    prices: list[tuple[str, int]], steps: list[tuple[int | str, ...]], as_of: int
) -> None:
    assert DEFERRED_REVENUE_ACCOUNT == "2400"
    book = _book()
    lines = tuple((item, "1", str(Decimal(units) / 100)) for item, units in prices)
    book.create_invoice(invoice_draft("I-1", lines=lines), issue_date=ISSUE)
    day = ISSUE
    for step in steps:
        if step[0] == "run":
            book.revrec_run(ISSUE + dt.timedelta(days=int(step[1])))
        else:
            line, units = int(step[1]), int(step[2])
            if line > len(prices):
                continue
            day = day + dt.timedelta(days=units % 40)
            try:
                book.create_credit_note(
                    "I-1",
                    reason="goodwill",
                    amount=Money.from_minor(units, "USD"),
                    quantities={line: None},
                    date=day,
                )
            except O2CError:
                continue  # more than is left of the line: refused, nothing changed
        credited: dict[int, Money] = {}
        for doc in book.list_documents():
            if doc.kind is DocumentKind.CREDIT_NOTE:
                for cl in doc.lines:
                    assert cl.ref_line is not None
                    credited[cl.ref_line] = credited.get(cl.ref_line, Money.zero("USD")) + cl.net
        invoice = book.get_document("I-1")
        for ls in book.revrec_schedules("I-1"):
            billed = invoice.line(ls.line).net
            b = ls.balances
            assert b.billed == billed
            assert b.recognized + b.deferred == billed - credited.get(ls.line, Money.zero("USD"))
        closing = book.revrec_rollforward(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
        total = sum((r.closing.amount for r in closing), Decimal(0))
        assert total == _ledger_deferred(book)
        on = ISSUE + dt.timedelta(days=as_of)
        then = book.revrec_rollforward(ISSUE, on)
        assert sum((r.closing.amount for r in then), Decimal(0)) == _ledger_deferred(book, on)
        assert sum((r.amount.amount for r in book.revrec_waterfall()), Decimal(0)) == total
    book.close()
