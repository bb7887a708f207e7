"""Dunning rules the Book used to hold: policies kept as settings, who is on credit hold."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.dunning import (
    DEFAULT_POLICY,
    DunningAction,
    DunningPolicy,
    DunningStep,
    on_credit_hold,
    policies_from_settings,
    policy_settings,
)
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

USD = Currency.of("USD")
DUE = dt.date(2026, 10, 1)


def _item(doc: str, open_: str, customer: str = "C1", disputed: str | None = None) -> OpenItem:
    return OpenItem(
        DocumentId(doc),
        f"INV-{doc}",
        DocumentKind.INVOICE,
        CustomerId(customer),
        USD,
        DUE,
        DUE,
        Money.of("500.00", USD),
        Money.of(open_, USD),
        disputed=None if disputed is None else Money.of(disputed, USD),
    )


def test_no_settings_give_the_default_policy() -> None:
    policies = policies_from_settings({})
    assert policies.default is DEFAULT_POLICY
    assert policies.segments == ()


def test_a_standard_setting_replaces_the_default_and_others_are_segments() -> None:
    policies = policies_from_settings(
        {
            "dunning.standard": "5 reminder",
            "dunning.key": "10 statement, 20 credit_hold",
            "dunning.key.minimum": "5.00 USD",
            "book.timezone": "UTC",
        }
    )
    assert policies.default == DunningPolicy.parse("standard", "5 reminder")
    key = policies.for_segment("key")
    assert [s.action for s in key.steps] == [DunningAction.STATEMENT, DunningAction.CREDIT_HOLD]
    assert key.minimum_for(USD) == Money.of("5.00", USD)
    assert [p.segment for p in policies.segments] == ["key"]


def test_a_policy_without_minimum_deletes_its_minimum_setting() -> None:
    to_set, to_delete = policy_settings(DunningPolicy.parse("key", "10 reminder"))
    assert to_set == {"dunning.key": "10 reminder"}
    assert to_delete == ("dunning.key.minimum",)


segments = st.sampled_from(["standard", "key", "smb", "public"])
steps = st.lists(
    st.tuples(st.integers(1, 120), st.sampled_from(list(DunningAction))),
    min_size=1,
    max_size=4,
    unique_by=lambda s: s[0],
)


@given(segments, steps, st.sampled_from(["", "5.00 USD", "10.00 USD, 200 MXN"]))
def test_settings_round_trip_a_policy(
    segment: str, raw: list[tuple[int, DunningAction]], minimum: str
) -> None:
    amounts = DunningPolicy.parse(segment, "1 reminder", minimum).minimum
    policy = DunningPolicy(segment, tuple(DunningStep(d, a) for d, a in sorted(raw)), amounts)
    to_set, to_delete = policy_settings(policy)
    assert not set(to_set) & set(to_delete)
    read = policies_from_settings(to_set).for_segment(segment)
    assert read == policy


def test_credit_hold_lasts_while_a_chased_item_is_owed() -> None:
    held = [("C1", "D1"), ("C2", "D2"), ("C3", "D3"), ("C4", "D4")]
    items = [
        _item("D1", "100.00", "C1"),
        _item("D2", "100.00", "C2", disputed="100.00"),  # disputed in full: not owed
        _item("D3", "100.00", "C3", disputed="40.00"),  # partly disputed: still owed
        _item("D9", "100.00", "C4"),  # C4's chased item D4 was paid
    ]
    assert on_credit_hold(held, items) == ["C1", "C3"]


@pytest.mark.parametrize("held", [[], [("C1", "D5")]])
def test_no_hold_without_an_owed_chased_item(held: list[tuple[str, str]]) -> None:
    assert on_credit_hold(held, [_item("D1", "10.00")]) == []
