"""Recognition rules and schedules: worked examples with exact amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.money import Money, Rounding
from o2c.revrec import (
    Movement,
    MovementKind,
    RecognitionMethod,
    RecognitionRule,
    apply_credit,
    due_recognitions,
    earned_through,
    line_balances,
    ratable_schedule,
    release,
    remaining_by_month,
    service_period,
    usage_release,
)

ANNUAL = Period(dt.date(2026, 3, 15), dt.date(2027, 3, 15))


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _plan() -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (s.month.label, s.due_on.isoformat(), str(s.amount.amount))
        for s in ratable_schedule(usd("1200.00"), ANNUAL)
    )


def test_annual_plan_billed_mid_march_is_recognized_daily_with_exact_monthly_amounts() -> None:
    # 365 days from 2026-03-15; earned through each month end = 1,200.00 x days / 365,
    # rounded half-up; the month's amount is the difference, so March 2027 takes the rest.
    assert _plan() == (
        ("2026-03", "2026-03-31", "55.89"),  # 17 days: 55.890 -> 55.89
        ("2026-04", "2026-04-30", "98.63"),  # through 47 days: 154.52
        ("2026-05", "2026-05-31", "101.92"),  # 78: 256.44
        ("2026-06", "2026-06-30", "98.63"),  # 108: 355.07
        ("2026-07", "2026-07-31", "101.92"),  # 139: 456.99
        ("2026-08", "2026-08-31", "101.91"),  # 170: 558.90
        ("2026-09", "2026-09-30", "98.63"),  # 200: 657.53
        ("2026-10", "2026-10-31", "101.92"),  # 231: 759.45
        ("2026-11", "2026-11-30", "98.63"),  # 261: 858.08
        ("2026-12", "2026-12-31", "101.92"),  # 292: 960.00 exactly
        ("2027-01", "2027-01-31", "101.92"),  # 323: 1,061.92
        ("2027-02", "2027-02-28", "92.05"),  # 351: 1,153.97
        ("2027-03", "2027-03-14", "46.03"),  # the remainder: 1,200.00 - 1,153.97
    )
    assert sum(Decimal(a) for _, _, a in _plan()) == Decimal("1200.00")


def test_earned_through_is_the_one_rounding_point() -> None:
    assert earned_through(usd("1200.00"), ANNUAL, dt.date(2026, 3, 14)) == usd("0.00")
    assert earned_through(usd("1200.00"), ANNUAL, dt.date(2026, 3, 15)) == usd("3.29")
    assert earned_through(usd("1200.00"), ANNUAL, dt.date(2026, 12, 31)) == usd("960.00")
    assert earned_through(usd("1200.00"), ANNUAL, dt.date(2030, 1, 1)) == usd("1200.00")


def test_the_rounding_mode_is_the_books() -> None:
    # 0.20 over 8 days from Jan 29: January's 3 days earn 0.075, rounded by the mode.
    eight = Period(dt.date(2026, 1, 29), dt.date(2026, 2, 6))
    amounts = [s.amount for s in ratable_schedule(Money.of("0.20", "USD"), eight)]
    assert amounts == [usd("0.08"), usd("0.12")]  # 0.075 half-up
    down = ratable_schedule(Money.of("0.20", "USD"), eight, Rounding.HALF_EVEN)
    assert [s.amount for s in down] == [usd("0.08"), usd("0.12")]  # 0.075 -> 0.08 (even)
    floor = ratable_schedule(Money.of("0.20", "USD"), eight, Rounding.DOWN)
    assert [s.amount for s in floor] == [usd("0.07"), usd("0.13")]


def test_a_zero_decimal_currency_schedules_whole_yen() -> None:
    plan = ratable_schedule(
        Money.of("1000", "JPY"), Period(dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    )
    # 90 days: 1000 x 31/90 = 344.4 -> 344; through 59 days 655.6 -> 656; the rest 344.
    assert [str(s.amount) for s in plan] == ["344 JPY", "312 JPY", "344 JPY"]


def test_a_service_period_inside_one_month_is_one_amount_due_on_its_last_day() -> None:
    [only] = ratable_schedule(usd("10.00"), Period(dt.date(2026, 5, 3), dt.date(2026, 5, 10)))
    assert (only.month.label, only.due_on, only.amount) == (
        "2026-05",
        dt.date(2026, 5, 9),
        usd("10.00"),
    )


def test_a_negative_or_unrounded_line_cannot_be_scheduled() -> None:
    with pytest.raises(ValidationError, match="billed"):
        ratable_schedule(usd("-1.00"), ANNUAL)
    with pytest.raises(ValidationError, match="billed"):
        ratable_schedule(usd("1.005"), ANNUAL)


def test_a_pro_rata_cancellation_credit_takes_exactly_the_months_after_it() -> None:
    plan = ratable_schedule(usd("1200.00"), ANNUAL)
    run = [
        Movement(MovementKind.RECOGNIZED, s.month, s.amount)
        for s in due_recognitions(plan, [], dt.date(2026, 9, 30))
    ]
    # Cancelled after 2026-09-30: 165 unused days of 365 -> 542.47 credited.
    credit = usd("1200.00") - earned_through(usd("1200.00"), ANNUAL, dt.date(2026, 9, 30))
    assert credit == usd("542.47")
    moves = apply_credit(usd("1200.00"), plan, run, credit, dt.date(2026, 10, 1))
    assert {m.kind for m in moves} == {MovementKind.REVERSED}
    assert [m.month.label for m in moves] == [
        "2027-03", "2027-02", "2027-01", "2026-12", "2026-11", "2026-10",
    ]  # fmt: skip
    after = [*run, *moves]
    assert remaining_by_month(plan, after) == ()
    balances = line_balances(usd("1200.00"), after)
    assert (balances.recognized, balances.deferred, balances.credited) == (
        usd("657.53"),
        usd("0.00"),
        usd("542.47"),
    )


def test_a_cancellation_mid_month_leaves_the_days_used_in_that_month() -> None:
    plan = ratable_schedule(usd("1200.00"), ANNUAL)
    credit = usd("1200.00") - earned_through(usd("1200.00"), ANNUAL, dt.date(2026, 10, 15))
    assert credit == usd("493.15")
    moves = apply_credit(usd("1200.00"), plan, [], credit, dt.date(2026, 10, 16))
    left = remaining_by_month(plan, moves)
    # October keeps its first 15 days: 706.85 earned through Oct 15 - 657.53 through Sep 30.
    assert (left[-1].month.label, left[-1].amount) == ("2026-10", usd("49.32"))
    assert sum((s.amount for s in left), usd("0")) == usd("706.85")


def test_a_credit_above_what_is_deferred_reverses_recognized_revenue_for_the_rest() -> None:
    plan = ratable_schedule(usd("1200.00"), ANNUAL)
    run = [
        Movement(MovementKind.RECOGNIZED, s.month, s.amount)
        for s in due_recognitions(plan, [], dt.date(2027, 1, 31))
    ]
    moves = apply_credit(usd("1200.00"), plan, run, usd("200.00"), dt.date(2027, 2, 10))
    assert [(m.kind, m.month.label, m.amount) for m in moves] == [
        (MovementKind.REVERSED, "2027-03", usd("46.03")),
        (MovementKind.REVERSED, "2027-02", usd("92.05")),
        (MovementKind.REVENUE_REVERSED, "2027-02", usd("61.92")),
    ]
    balances = line_balances(usd("1200.00"), [*run, *moves])
    assert balances.recognized == usd("1000.00")  # 1,061.92 recognized - 61.92 reversed
    assert balances.deferred == usd("0.00")


def test_a_credit_cannot_exceed_what_is_left_of_the_line() -> None:
    with pytest.raises(ValidationError, match=r"at most 1200\.00 USD"):
        apply_credit(usd("1200.00"), (), [], usd("1200.01"), dt.date(2026, 4, 1))
    with pytest.raises(ValidationError, match="> 0"):
        apply_credit(usd("1200.00"), (), [], usd("0.00"), dt.date(2026, 4, 1))


def test_a_run_through_the_same_date_twice_recognizes_nothing_twice() -> None:
    plan = ratable_schedule(usd("1200.00"), ANNUAL)
    first = due_recognitions(plan, [], dt.date(2026, 4, 30))
    assert [s.amount for s in first] == [usd("55.89"), usd("98.63")]
    done = [Movement(MovementKind.RECOGNIZED, s.month, s.amount) for s in first]
    assert due_recognitions(plan, done, dt.date(2026, 4, 30)) == ()
    # Mid-May is not the end of May's service: May is due on May 31.
    assert due_recognitions(plan, done, dt.date(2026, 5, 30)) == ()


def test_a_milestone_release_cannot_exceed_what_is_deferred() -> None:
    first = release(usd("300.00"), [], usd("100.00"), dt.date(2026, 6, 2))
    assert (first.kind, first.month.label) == (MovementKind.RECOGNIZED, "2026-06")
    with pytest.raises(ValidationError, match=r"at most 200\.00 USD"):
        release(usd("300.00"), [first], usd("200.01"), dt.date(2026, 6, 3))


def test_prepaid_usage_is_recognized_as_consumed_and_the_last_unit_takes_the_rest() -> None:
    moves: list[Movement] = []
    for used in (Decimal(1), Decimal(1), Decimal(1)):
        moves.append(usage_release(usd("100.00"), Decimal(3), moves, used, dt.date(2026, 7, 1)))
    assert [m.amount for m in moves] == [usd("33.33"), usd("33.34"), usd("33.33")]
    assert line_balances(usd("100.00"), moves).deferred == usd("0.00")
    with pytest.raises(ValidationError, match="quantity left"):
        usage_release(usd("100.00"), Decimal(3), moves, Decimal("0.1"), dt.date(2026, 7, 2))


def test_rules_validate_their_method_and_term() -> None:
    assert RecognitionRule("SaaS", "at-issue").method is RecognitionMethod.AT_ISSUE
    assert not RecognitionMethod.AT_ISSUE.defers
    with pytest.raises(ValidationError, match="method"):
        RecognitionRule("SaaS", "someday")
    with pytest.raises(ValidationError, match="term_months"):
        RecognitionRule("SaaS", "milestone", term_months=12)
    with pytest.raises(ValidationError, match="term_months"):
        RecognitionRule("SaaS", "ratable", term_months=0)


def test_the_service_period_is_the_lines_else_the_rules_term_from_issue() -> None:
    rule = RecognitionRule("ANNUAL", "ratable", term_months=12)
    october = Period.month(2026, 10)
    assert service_period(rule, october, dt.date(2026, 11, 2)) == october
    assert service_period(rule, None, dt.date(2026, 3, 15)) == ANNUAL
    with pytest.raises(ValidationError, match="service period"):
        service_period(RecognitionRule("X", "ratable"), None, dt.date(2026, 3, 15))
    milestone = service_period(RecognitionRule("X", "milestone"), None, dt.date(2026, 3, 15))
    assert milestone == Period(dt.date(2026, 3, 15), dt.date(2026, 3, 16))
