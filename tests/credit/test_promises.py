"""Promises to pay, judged from payments (pure): worked examples and invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.credit import (
    PromiseId,
    PromiseOutcome,
    PromiseReceipt,
    PromiseStatus,
    PromiseToPay,
    grace_from_settings,
    live_promises,
    promise_kept_rate,
    promise_outcome,
)
from o2c.dunning import DunningPolicies, DunningPolicy, plan_dunning
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

USD = Currency.of("USD")
TAKEN, PROMISED = dt.date(2026, 11, 5), dt.date(2026, 11, 15)


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def usd(text: str) -> Money:
    return Money.of(text, USD)


def _promise(
    amount: str = "500.00", grace: int = 3, docs: tuple[str, ...] = ("D1",)
) -> PromiseToPay:
    return PromiseToPay(
        PromiseId("PTP-1"),
        CustomerId("C1"),
        usd(amount),
        promised_on=PROMISED,
        taken_on=TAKEN,
        taken_by="ana",
        documents=tuple(DocumentId(d) for d in docs),
        note_id="NT-1",
        grace_days=grace,
    )


def _paid(day: dt.date, amount: str, pid: str = "P1") -> PromiseReceipt:
    return PromiseReceipt(pid, day, usd(amount))


@pytest.mark.parametrize(
    ("receipts", "as_of", "status", "paid"),
    [
        ([], nov(18), PromiseStatus.PENDING, "0.00"),
        ([], nov(19), PromiseStatus.BROKEN, "0.00"),
        ([_paid(nov(15), "500.00")], nov(15), PromiseStatus.KEPT, "500.00"),
        ([_paid(nov(16), "500.00")], nov(30), PromiseStatus.KEPT_LATE, "500.00"),
        ([_paid(nov(19), "500.00")], nov(30), PromiseStatus.BROKEN, "0.00"),
        ([_paid(nov(4), "500.00")], nov(30), PromiseStatus.BROKEN, "0.00"),
        (
            [_paid(nov(10), "300.00"), _paid(nov(17), "199.99", "P2")],
            nov(30),
            PromiseStatus.PARTLY_KEPT,
            "499.99",
        ),
        (
            [_paid(nov(10), "300.00"), _paid(nov(17), "250.00", "P2")],
            nov(30),
            PromiseStatus.KEPT_LATE,
            "550.00",
        ),
    ],
)  # fmt: skip
def test_worked_outcomes(
    receipts: list[PromiseReceipt], as_of: dt.date, status: PromiseStatus, paid: str
) -> None:
    outcome = promise_outcome(_promise(), receipts, as_of=as_of)
    assert (outcome.status, str(outcome.paid)) == (status, f"{paid} USD")


def test_kept_late_is_dated_by_the_payment_that_completed_it() -> None:
    receipts = [
        _paid(nov(14), "200.00"),
        _paid(nov(17), "300.00", "P2"),
    ]
    outcome = promise_outcome(_promise(), receipts, as_of=dt.date(2026, 12, 1))
    assert (outcome.kept_on, str(outcome.short)) == (nov(17), "0.00 USD")


def test_a_zero_grace_breaks_the_promise_the_day_after() -> None:
    late = [_paid(nov(16), "500.00")]
    assert promise_outcome(_promise(grace=0), late, as_of=nov(16)).status is (PromiseStatus.BROKEN)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": usd("0.00")}, "promise.amount"),
        ({"promised_on": nov(4)}, "promise.promised_on"),
        ({"documents": ()}, "promise.documents"),
        ({"grace_days": -1}, "promise.grace_days"),
        ({"taken_by": " "}, "promise.taken_by"),
        ({"numbers": ("INV-1", "INV-2")}, "promise.numbers"),
    ],
)
def test_an_invalid_promise_cannot_exist(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "amount": usd("1.00"),
        "promised_on": PROMISED,
        "taken_on": TAKEN,
        "taken_by": "ana",
        "documents": (DocumentId("D1"),),
        "note_id": "NT-1",
        **kwargs,
    }
    amount = args.pop("amount")
    with pytest.raises(ValidationError) as caught:
        PromiseToPay(PromiseId("P"), CustomerId("C1"), amount, **args)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_the_grace_setting() -> None:
    assert grace_from_settings({}) == 3
    assert grace_from_settings({"promise.grace_days": " 5 "}) == 5
    with pytest.raises(ValidationError, match=r"promise\.grace_days"):
        grace_from_settings({"promise.grace_days": "two"})


def _item(doc: str, due: dt.date) -> OpenItem:
    return OpenItem(
        DocumentId(doc), f"INV-{doc}", DocumentKind.INVOICE, CustomerId("C1"), USD,
        dt.date(2026, 9, 1), due, usd("100.00"), usd("100.00"),
    )  # fmt: skip


def test_dunning_skips_the_items_of_a_pending_promise_and_resumes_when_it_breaks() -> None:
    policy = DunningPolicies(
        DunningPolicy.parse("standard", "15 reminder, 30 statement, 45 final_notice")
    )
    items = [_item("D1", dt.date(2026, 10, 1)), _item("D2", dt.date(2026, 10, 1))]
    promise = _promise(docs=("D1",))
    day = nov(15)  # 45 days past due
    pending = live_promises([promise_outcome(promise, [], as_of=day)])
    waiting: dict[str, str] = dict.fromkeys(pending, "promised")
    plan = plan_dunning(items, as_of=day, policies=policy, promised=waiting)
    assert [(n.step, [i.document_id for i in n.items]) for n in plan.notices] == [(3, ["D2"])]
    assert [(s.document_id, s.reason) for s in plan.skipped] == [("D1", "promised")]
    later = nov(19)
    assert live_promises([promise_outcome(promise, [], as_of=later)]) == {}
    resumed = plan_dunning(items, as_of=later, policies=policy, sent={"D2": 3})
    assert [(n.step, [i.document_id for i in n.items]) for n in resumed.notices] == [(3, ["D1"])]


def test_the_kept_rate_counts_judged_promises_whose_grace_ended_in_the_period() -> None:
    judged_on = dt.date(2026, 12, 1)
    outcomes = [
        promise_outcome(_promise(), [_paid(PROMISED, "500.00")], as_of=judged_on),
        promise_outcome(_promise(), [_paid(nov(18), "500.00")], as_of=judged_on),
        promise_outcome(_promise(), [_paid(PROMISED, "1.00")], as_of=judged_on),
        promise_outcome(_promise(), [], as_of=judged_on),
    ]
    rate = promise_kept_rate(outcomes, nov(1), nov(30))
    assert (rate.judged, rate.kept, rate.kept_late, rate.partly_kept, rate.broken) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert str(rate.rate) == "0.5"


# -- invariants ----------------------------------------------------------------------------

days = st.integers(min_value=-5, max_value=30).map(lambda n: TAKEN + dt.timedelta(days=n))
receipts_st = st.lists(
    st.builds(
        PromiseReceipt,
        st.sampled_from(["P1", "P2", "P3", "P4"]),
        days,
        st.integers(min_value=1, max_value=60000).map(lambda n: Money.from_minor(n, USD)),
    ),
    max_size=6,
)
promises_st = st.builds(
    lambda cents, grace, wait: PromiseToPay(
        PromiseId("PTP-1"),
        CustomerId("C1"),
        Money.from_minor(cents, USD),
        promised_on=TAKEN + dt.timedelta(days=wait),
        taken_on=TAKEN,
        taken_by="ana",
        documents=(DocumentId("D1"),),
        note_id="NT-1",
        grace_days=grace,
    ),
    st.integers(min_value=1, max_value=100000),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=0, max_value=15),
)


def _consistent(outcome: PromiseOutcome) -> None:
    promise, status = outcome.promise, outcome.status
    if status is PromiseStatus.KEPT:
        assert outcome.kept_on is not None
        assert outcome.kept_on <= promise.promised_on
    if status is PromiseStatus.KEPT_LATE:
        assert outcome.kept_on is not None
        assert promise.promised_on < outcome.kept_on <= promise.deadline
    if status.is_kept:
        assert outcome.paid >= promise.amount
        assert outcome.short.is_zero
    else:
        assert outcome.kept_on is None
        assert outcome.paid < promise.amount
    if status is PromiseStatus.PENDING:
        assert outcome.as_of <= promise.deadline
    if status is PromiseStatus.PARTLY_KEPT:
        assert outcome.paid.is_positive
        assert outcome.as_of > promise.deadline
    if status is PromiseStatus.BROKEN:
        assert outcome.paid.is_zero
        assert outcome.as_of > promise.deadline


@given(promises_st, receipts_st, days)
def test_an_outcome_is_consistent_with_its_payments(
    promise: PromiseToPay, receipts: list[PromiseReceipt], as_of: dt.date
) -> None:
    outcome = promise_outcome(promise, receipts, as_of=as_of)
    _consistent(outcome)
    assert promise_outcome(promise, list(reversed(receipts)), as_of=as_of) == outcome


@given(promises_st, receipts_st, receipts_st, days)
def test_payments_after_the_date_asked_about_change_nothing(
    promise: PromiseToPay, before: list[PromiseReceipt], after: list[PromiseReceipt], as_of: dt.date
) -> None:
    later = [r for r in after if r.received > as_of]
    assert promise_outcome(promise, before + later, as_of=as_of) == promise_outcome(
        promise, before, as_of=as_of
    )


@given(promises_st, receipts_st, st.integers(min_value=1, max_value=400))
def test_once_judged_a_promise_stays_judged(
    promise: PromiseToPay, receipts: list[PromiseReceipt], extra: int
) -> None:
    day_after = promise.deadline + dt.timedelta(days=1)
    first = promise_outcome(promise, receipts, as_of=day_after)
    again = promise_outcome(promise, receipts, as_of=day_after + dt.timedelta(days=extra))
    assert first.status is not PromiseStatus.PENDING
    assert (again.status, again.paid, again.kept_on) == (first.status, first.paid, first.kept_on)
