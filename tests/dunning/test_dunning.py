"""Dunning: which step each past-due item has reached, what a letter asks for, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.dunning import (
    DEFAULT_POLICY,
    DunningAction,
    DunningPolicies,
    DunningPolicy,
    DunningStep,
    plan_dunning,
    render_letter,
)
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

USD = Currency.of("USD")
MXN = Currency.of("MXN")
DUE = dt.date(2026, 10, 1)


def item(
    doc: str,
    open_: str,
    *,
    customer: str = "C1",
    due: dt.date = DUE,
    currency: Currency = USD,
    disputed: str | None = None,
    extended: dt.date | None = None,
) -> OpenItem:
    return OpenItem(
        DocumentId(doc),
        f"INV-{doc}",
        DocumentKind.INVOICE,
        CustomerId(customer),
        currency,
        due - dt.timedelta(days=30),
        due,
        Money.of(open_, currency),
        Money.of(open_, currency),
        disputed=None if disputed is None else Money.of(disputed, currency),
        extended_due=extended,
    )


POLICY = DunningPolicies(
    DunningPolicy.parse("standard", "3 reminder, 15 statement, 30 final_notice")
)


def test_each_item_gets_the_step_it_has_reached_on_the_run_date() -> None:
    items = [item("1", "100.00", due=dt.date(2026, 10, 17)), item("2", "200.00", due=DUE)]
    plan = plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY)
    # 3 days after its due date item 1 gets a reminder; 19 days after, item 2 a statement.
    assert [(n.step, n.action, [i.number for i in n.items]) for n in plan.notices] == [
        (1, DunningAction.REMINDER, ["INV-1"]),
        (2, DunningAction.STATEMENT, ["INV-2"]),
    ]


def test_nothing_is_sent_before_the_first_step_or_for_settled_items() -> None:
    items = [item("1", "100.00", due=dt.date(2026, 10, 18)), item("2", "0.00")]
    assert plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY).notices == ()


def test_a_customers_items_at_one_step_share_one_letter_per_currency() -> None:
    items = [
        item("1", "100.00"),
        item("2", "50.25", due=dt.date(2026, 9, 30)),
        item("3", "1000.00", currency=MXN),
    ]
    plan = plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY)
    assert [(n.currency.code, str(n.total), len(n.items)) for n in plan.notices] == [
        ("MXN", "1000.00 MXN", 1),
        ("USD", "150.25 USD", 2),
    ]
    # Oldest effective due date first on the letter.
    assert [i.number for i in plan.notices[1].items] == ["INV-2", "INV-1"]


def test_the_disputed_part_is_not_chased_and_a_fully_disputed_item_is_skipped() -> None:
    items = [item("1", "500.00", disputed="120.00"), item("2", "80.00", disputed="80.00")]
    plan = plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY)
    (notice,) = plan.notices
    (row,) = notice.items
    assert (str(row.open), str(row.disputed), str(row.chased)) == (
        "500.00 USD",
        "120.00 USD",
        "380.00 USD",
    )
    assert [(s.number, s.reason) for s in plan.skipped] == [("INV-2", "disputed in full")]


def test_an_extended_item_is_chased_from_its_new_due_date() -> None:
    extended = item("1", "100.00", extended=dt.date(2026, 10, 31))
    plan = plan_dunning([extended], as_of=dt.date(2026, 10, 20), policies=POLICY)
    assert plan.notices == ()
    assert [s.reason for s in plan.skipped] == ["extended to 2026-10-31"]
    later = plan_dunning([extended], as_of=dt.date(2026, 11, 3), policies=POLICY)
    (notice,) = later.notices
    assert notice.action is DunningAction.REMINDER
    assert notice.items[0].days_past_due == 3
    assert notice.items[0].due_date == DUE  # the original still shows


def test_amounts_below_the_minimum_get_no_letter() -> None:
    policies = DunningPolicies(
        DunningPolicy.parse("standard", "3 reminder", minimum="10.00 USD, 200 MXN")
    )
    items = [item("1", "9.99"), item("2", "10.00"), item("3", "150.00", currency=MXN)]
    plan = plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=policies)
    assert [i.number for n in plan.notices for i in n.items] == ["INV-2"]
    assert [s.reason for s in plan.skipped] == [
        "9.99 USD is below the minimum 10.00 USD",
        "150.00 MXN is below the minimum 200.00 MXN",
    ]


def test_a_step_already_sent_is_not_sent_again_but_the_next_one_is() -> None:
    items = [item("1", "100.00")]
    assert (
        plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY, sent={"1": 2}).notices
        == ()
    )
    plan = plan_dunning(items, as_of=dt.date(2026, 10, 31), policies=POLICY, sent={"1": 2})
    assert [n.action for n in plan.notices] == [DunningAction.FINAL_NOTICE]


def test_a_late_first_run_sends_the_step_reached_not_every_step_missed() -> None:
    plan = plan_dunning([item("1", "100.00")], as_of=dt.date(2026, 12, 1), policies=POLICY)
    assert [(n.step, n.action) for n in plan.notices] == [(3, DunningAction.FINAL_NOTICE)]


def test_segments_have_their_own_policies_and_credit_hold_is_reported() -> None:
    vip = DunningPolicy.parse("vip", "30 reminder")
    policies = DunningPolicies(DEFAULT_POLICY, (vip,))
    items = [item("1", "100.00", customer="C1"), item("2", "100.00", customer="C2")]
    plan = plan_dunning(
        items, as_of=dt.date(2026, 11, 20), policies=policies, segment_of={"C2": "vip"}
    )
    assert [(n.customer, n.segment, n.action) for n in plan.notices] == [
        ("C1", "standard", DunningAction.CREDIT_HOLD),
        ("C2", "vip", DunningAction.REMINDER),
    ]
    assert plan.credit_holds == ("C1",)


@pytest.mark.parametrize(
    ("text", "minimum", "message"),
    [
        ("", "", "steps: expected at least one step"),
        ("3 reminder, 3 statement", "", "days after the previous step's 3 days"),
        ("3 remind", "", "'remind'"),
        ("soon reminder", "", "'soon reminder'"),
        ("3 reminder", "10 USD, 5 USD", "one amount per currency"),
        ("3 reminder", "-1.00 USD", "an amount >= 0"),
        ("3 reminder", "10", "'<amount> <currency>'"),
    ],
)
def test_a_bad_policy_is_refused_naming_the_value(text: str, minimum: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DunningPolicy.parse("standard", text, minimum)


def test_policies_read_back_what_they_write() -> None:
    policy = DunningPolicy.parse("b2b", "5 reminder, 20 final-notice", "25.00 EUR")
    assert policy.steps == (
        DunningStep(5, DunningAction.REMINDER),
        DunningStep(20, DunningAction.FINAL_NOTICE),
    )
    assert DunningPolicy.parse("b2b", policy.steps_text(), policy.minimum_text()) == policy


def test_the_letter_shows_the_disputed_part_and_asks_for_the_rest_in_the_locale() -> None:
    items = [item("1", "1234.50", currency=MXN, disputed="234.50")]
    (notice,) = plan_dunning(items, as_of=dt.date(2026, 10, 20), policies=POLICY).notices
    letter = render_letter(notice, name="Acme SA de CV", locale="es_MX")
    assert "Our records show" in letter
    assert "disputed $234.50" in letter
    assert "Total due now: $1,000.00" in letter


@given(
    st.lists(
        st.tuples(
            st.integers(0, 100_000),  # open, in cents
            st.integers(0, 100_000),  # disputed, in cents
            st.integers(-10, 120),  # days past due on the run date
            st.sampled_from(["C1", "C2", "C3"]),
        ),
        max_size=20,
    )
)
def test_letters_never_ask_for_more_than_is_open_and_undisputed_and_never_repeat(
    rows: list[tuple[int, int, int, str]],
) -> None:
    as_of = dt.date(2026, 12, 31)
    items = [
        item(
            str(n),
            str(Money.from_minor(o, USD).amount),
            customer=c,
            due=as_of - dt.timedelta(days=d),
            disputed=str(Money.from_minor(p, USD).amount),
        )
        for n, (o, p, d, c) in enumerate(rows)
    ]
    plan = plan_dunning(items, as_of=as_of, policies=POLICY)
    by_id = {i.document_id: i for i in items}
    for notice in plan.notices:
        assert notice.total == sum((i.chased for i in notice.items), Money.zero(USD))
        for row in notice.items:
            source = by_id[row.document_id]
            assert row.chased.is_positive
            assert row.chased + row.disputed == source.open
    # Recording what was sent makes the same run send nothing more.
    sent = {str(i.document_id): n.step for n in plan.notices for i in n.items}
    assert plan_dunning(items, as_of=as_of, policies=POLICY, sent=sent).notices == ()
