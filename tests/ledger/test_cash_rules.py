"""The cash rules the Book used to hold: write-off amounts, refunds paid directly, what
a credit note can take off its invoice, a voided document's settled part, and which items
a matched bank line pays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import InvalidState
from o2c.ids import CustomerId, DocumentId, PaymentId, RefundId
from o2c.ledger.cashapp import BankLine, Match, MatchRule, plan_match
from o2c.ledger.items import (
    CreditItem,
    CreditKind,
    DocumentKind,
    OpenItem,
    correctable_open,
    less_open,
    less_unapplied,
    settled_part,
)
from o2c.ledger.refunds import RefundStatus, paid_refund
from o2c.ledger.writeoffs import write_off_amount
from o2c.money import Currency, Money
from tests.strategies import rounded_money

USD = Currency.of("USD")
D = dt.date(2026, 10, 1)
PAID = dt.date(2026, 11, 3)


def _usd(text: str) -> Money:
    return Money.of(text, "USD")


def _item(
    doc: str,
    original: str,
    open_: str | None = None,
    *,
    customer: str = "C1",
    day: dt.date = D,
    due: dt.date = dt.date(2026, 10, 31),
) -> OpenItem:
    return OpenItem(
        DocumentId(doc),
        f"N-{doc}",
        DocumentKind.INVOICE,
        CustomerId(customer),
        USD,
        day,
        due,
        _usd(original),
        _usd(open_ if open_ is not None else original),
    )


def _credit(amount: str, customer: str = "C1") -> CreditItem:
    return CreditItem(
        PaymentId("TX1"),
        CreditKind.PAYMENT,
        CustomerId(customer),
        USD,
        PAID,
        "TX1",
        _usd(amount),
        _usd(amount),
    )


def _match(rule: MatchRule, amount: str, *documents: str) -> Match:
    line = BankLine("nov.csv", 2, PAID, _usd(amount), reference="TX1")
    return Match(line, CustomerId("C1"), rule, tuple(DocumentId(d) for d in documents))


# -- write-offs ----------------------------------------------------------------------------


def test_write_off_takes_all_that_is_open_by_default() -> None:
    item = _item("D1", "100.00", "40.00")
    assert write_off_amount(item, None, document="INV-1", document_id="D1", on=PAID) == _usd(
        "40.00"
    )
    assert write_off_amount(
        item, _usd("5.00"), document="INV-1", document_id="D1", on=PAID
    ) == _usd("5.00")


@pytest.mark.parametrize("item", [None, _item("D1", "100.00", "0.00")])
def test_write_off_of_a_document_with_nothing_open_is_refused(item: OpenItem | None) -> None:
    with pytest.raises(InvalidState, match="INV-1 has nothing open on 2026-11-03") as caught:
        write_off_amount(item, None, document="INV-1", document_id="D1", on=PAID)
    assert caught.value.document_id == "D1"


# -- refunds -------------------------------------------------------------------------------


def test_a_refund_run_directly_names_its_actor_as_requester_and_approver() -> None:
    refund = paid_refund(
        RefundId("RF1"), _credit("30.00"), _usd("10.00"), on=PAID, by="ana", reason="overpaid"
    )
    assert (refund.status, refund.requested_by, refund.decided_by) == (
        RefundStatus.PAID,
        "ana",
        "ana",
    )
    assert refund.requested_on == refund.decided_on == refund.paid_on == PAID
    assert (refund.customer, refund.source) == ("C1", "TX1")


# -- credit notes and voids ----------------------------------------------------------------


@given(rounded_money(USD, min_units=-(10**6)), rounded_money(USD, min_units=0))
def test_a_credit_note_never_takes_a_negative_amount_off_its_invoice(
    open_: Money, original: Money
) -> None:
    item = _item_of(original, open_)
    taken = correctable_open(item, USD)
    assert not taken.is_negative
    assert taken == (open_ if open_.is_positive or open_.is_zero else Money.zero(USD))


def _item_of(original: Money, open_: Money) -> OpenItem:
    return OpenItem(
        DocumentId("D1"), "N-D1", DocumentKind.INVOICE, CustomerId("C1"), USD, D, D, original, open_
    )


def test_a_credit_note_on_an_invoice_without_open_item_takes_nothing_off() -> None:
    assert correctable_open(None, USD) == Money.zero(USD)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_settled_part_is_what_left_the_item(original: int, paid: int) -> None:
    item = _item_of(Money.from_minor(original, USD), Money.from_minor(original - paid, USD))
    part = settled_part(item)
    if paid == 0:
        assert part is None
    else:
        assert part == Money.from_minor(paid, USD)
    assert settled_part(None) is None


def test_less_open_and_less_unapplied_take_an_amount_off() -> None:
    assert less_open(_item("D1", "100.00"), _usd("30.00")).open == _usd("70.00")
    assert less_unapplied(_credit("50.00"), _usd("20.00")).unapplied == _usd("30.00")


# -- which items a matched bank line pays -------------------------------------------------


def test_customer_reference_pays_the_one_open_item_of_exactly_the_amount() -> None:
    items = [_item("D1", "100.00", day=D), _item("D2", "50.00", due=dt.date(2026, 11, 15))]
    plan, rule = plan_match(
        _match(MatchRule.CUSTOMER_REFERENCE, "50.00"), _credit("50.00"), items, date=PAID
    )
    assert rule == "customer_reference, exact amount"
    assert [(a.document_id, a.amount) for a in plan] == [("D2", _usd("50.00"))]


def test_customer_reference_without_one_exact_item_pays_oldest_due_first() -> None:
    items = [
        _item("D2", "50.00", due=dt.date(2026, 11, 15)),
        _item("D1", "100.00"),
        _item("D3", "70.00", customer="C2"),
        _item("D4", "30.00", day=dt.date(2026, 11, 20)),  # not yet issued on the line's date
    ]
    plan, rule = plan_match(
        _match(MatchRule.CUSTOMER_REFERENCE, "120.00"), _credit("120.00"), items, date=PAID
    )
    assert rule == "customer_reference, oldest due first"
    assert [(a.document_id, a.amount) for a in plan] == [
        ("D1", _usd("100.00")),
        ("D2", _usd("20.00")),
    ]


def test_invoice_number_match_pays_only_the_named_items_open_on_the_date() -> None:
    items = [
        _item("D1", "100.00"),
        _item("D2", "50.00"),
        _item("D3", "10.00", day=dt.date(2026, 12, 1)),
    ]
    plan, rule = plan_match(
        _match(MatchRule.INVOICE_NUMBER, "200.00", "D2", "D3"),
        _credit("200.00"),
        items,
        date=PAID,
    )
    assert rule == "invoice_number"
    assert [(a.document_id, a.amount) for a in plan] == [("D2", _usd("50.00"))]
