"""Invariants of case-aware aging on a real book, for any disputes and extensions."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.errors import InvalidState
from o2c.ledger import AgingBasis, aging
from o2c.money import Money, sum_money
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft

OCT1 = dt.date(2026, 10, 1)
DOCS = ("D-1", "D-2", "D-3")

disputes = st.lists(
    st.tuples(st.sampled_from(DOCS), st.integers(1, 30_000), st.integers(0, 40)),
    max_size=6,
)
extensions = st.lists(st.tuples(st.sampled_from(DOCS), st.integers(1, 30)), max_size=3)


def _book() -> Book:
    book = Book.open(
        ":memory:", actor="ana", clock=FakeClock(dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    )
    book.add_customer(customer("C1"))
    for n, (doc, price) in enumerate(zip(DOCS, ("100.00", "200.00", "300.00"), strict=True)):
        book.create_draft(invoice_draft(doc, lines=(("SERVICE", "1", price),)))
        book.issue_document(doc, issue_date=OCT1 + dt.timedelta(days=10 * n))
    pay = book.record_payment("C1", Money.of("50.00", "USD"), date=dt.date(2026, 10, 25))
    book.allocate(pay.id, {"D-2": Money.of("50.00", "USD")}, date=dt.date(2026, 10, 25))
    return book


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    disputes=disputes,
    extensions=extensions,
    age=st.integers(0, 150),
    basis=st.sampled_from(AgingBasis),
)
def test_case_aging_adds_up_to_the_ar_balance_and_never_disputes_more_than_is_open(
    disputes: list[tuple[str, int, int]],
    extensions: list[tuple[str, int]],
    age: int,
    basis: AgingBasis,
) -> None:
    book = _book()
    try:
        opened: dict[str, list[tuple[dt.date, Money]]] = {}
        for doc, cents, day in disputes:
            on = OCT1 + dt.timedelta(days=20 + day)
            amount = Money.from_minor(cents, "USD")
            try:
                book.open_dispute(doc, reason="other", amount=amount, date=on)
            except InvalidState:
                # Refused only when it exceeds what is open and not already disputed.
                [item] = [i for i in book.open_items(as_of=on) if i.document_id == doc]
                held = sum_money((a for _, a in opened.get(doc, [])), "USD")
                assert amount > item.open - held
                continue
            opened.setdefault(doc, []).append((on, amount))
        for doc, days in extensions:
            due = book.get_document(doc).due_date
            assert due is not None
            book.grant_extension(doc, due + dt.timedelta(days=days), reason="PO", date=OCT1)
        as_of = OCT1 + dt.timedelta(days=age)
        plain = book.aging(as_of, cases=False)
        cased = book.aging(as_of, basis=basis)
        assert book.aging(as_of, basis=basis) == cased
        assert [t.total for t in cased.totals] == [t.total for t in plain.totals]
        assert [t.unapplied for t in cased.totals] == [t.unapplied for t in plain.totals]
        open_now = {str(i.document_id): i.open for i in book.open_items(as_of=as_of)}
        expected = sum_money(
            (
                sum_money((a for on, a in pairs if on <= as_of), "USD").min(open_now[doc])
                for doc, pairs in opened.items()
                if doc in open_now
            ),
            "USD",
        )
        got = sum_money((t.disputed for t in cased.totals), "USD")
        assert got == expected
        # The SQL-based report equals the pure ledger aging of the case-aware open items.
        pure = aging(
            book.open_items_with_cases(as_of),
            as_of,
            basis=basis,
            credits=book.credits(as_of=as_of),
        )
        assert cased.rows == pure.rows
        assert cased.totals == pure.totals
        for item in book.open_items_with_cases(as_of):
            assert item.disputed is None or item.disputed <= item.open
            if item.extended_due is not None:
                assert item.extended_due > item.due_date
    finally:
        book.close()
