"""The disputed amount a dispute takes, what crediting it credits, and who may settle it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import DocumentKind, DocumentStatus, ReasonCode, credit_note_for
from o2c.calendar import BusinessCalendar
from o2c.cases import (
    Channel,
    Dispute,
    DisputeId,
    DisputeReason,
    SlaPolicy,
    check_disputable,
    check_dispute_lines,
    check_rebill,
    check_resolving_credit_note,
    credit_reason,
    disputable,
    dispute_amount,
    dispute_credit_quantities,
    lines_amount_due,
    open_dispute,
)
from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money
from tests.billing.builders import issued_invoice, taxed_line

# Line 1: 2 x 100.00 = 200.00 + IVA 32.00 = 232.00 due.
# Line 2: 1 x 50.00 = 50.00 + IVA 8.00 - ISR 5.00 withheld = 53.00 due.
INVOICE = issued_invoice(
    taxed_line("A", "2", "100.00"), taxed_line("B", "1", "50.00", withholding="0.10")
)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _dispute(amount: Money, lines: tuple[int, ...] = ()) -> Dispute:
    return open_dispute(
        DisputeId("DSP1"),
        document_id=DocumentId(INVOICE.id),
        customer_id=CustomerId("C-1"),
        amount=amount,
        reason=DisputeReason.WRONG_PRICE,
        channel=Channel.EMAIL,
        opened_on=dt.date(2026, 11, 2),
        actor="ana",
        policy=SlaPolicy(),
        calendar=BusinessCalendar(None),
        line_numbers=lines,
    )


def test_disputed_lines_owe_their_amount_due_as_issued_net_of_withholdings() -> None:
    assert lines_amount_due(INVOICE, [1]) == usd("232.00")
    assert lines_amount_due(INVOICE, [2]) == usd("53.00")
    assert lines_amount_due(INVOICE, [1, 2]) == usd("285.00")


def test_a_dispute_of_lines_defaults_to_their_amount_due() -> None:
    assert dispute_amount(INVOICE, usd("285.00"), line_numbers=[2]) == usd("53.00")


def test_a_dispute_of_lines_defaults_to_at_most_what_is_undisputed() -> None:
    # 232.00 due on line 1, but only 100.00 open and not under another dispute.
    assert dispute_amount(INVOICE, usd("100.00"), line_numbers=[1]) == usd("100.00")


def test_a_dispute_of_the_whole_invoice_defaults_to_what_is_undisputed() -> None:
    assert dispute_amount(INVOICE, usd("185.00")) == usd("185.00")


def test_a_named_disputed_amount_is_taken_as_given() -> None:
    assert dispute_amount(INVOICE, usd("185.00"), amount=usd("20.00"), line_numbers=[1]) == usd(
        "20.00"
    )


def test_a_paid_invoice_may_be_disputed_up_to_what_it_billed_net_of_credits() -> None:
    # 285.00 due, nothing open: paid in full. The whole of it may still be disputed.
    paid = disputable(usd("0.00"), usd("285.00"))
    assert paid == usd("285.00")
    assert dispute_amount(INVOICE, paid) == usd("285.00")
    assert dispute_amount(INVOICE, paid, line_numbers=[2]) == usd("53.00")
    # Half paid, 100.00 held by another dispute: 85.00 open + 100.00 paid - 100.00.
    assert disputable(usd("85.00"), usd("100.00"), usd("100.00")) == usd("85.00")


def test_nothing_left_to_dispute_is_refused() -> None:
    with pytest.raises(InvalidState, match="nothing left to dispute on INV-2026-000001"):
        dispute_amount(INVOICE, usd("0.00"), line_numbers=[1])


def test_unknown_disputed_lines_are_all_named() -> None:
    with pytest.raises(ValidationError) as raised:
        check_dispute_lines(INVOICE, [1, 7, 9])
    assert raised.value.value == [7, 9]
    check_dispute_lines(INVOICE, [2, 1])


def test_only_an_issued_invoice_or_debit_note_can_be_disputed() -> None:
    check_disputable(INVOICE)
    with pytest.raises(InvalidState, match="only an issued invoice or debit note"):
        check_disputable(attrs.evolve(INVOICE, status=DocumentStatus.VOID))
    note = credit_note_for(
        INVOICE, [], id=DocumentId("CN-1"), reason=ReasonCode.WRONG_PRICE, amount=usd("10.00")
    )
    assert note.kind is DocumentKind.CREDIT_NOTE
    with pytest.raises(InvalidState):
        check_disputable(note)


def test_a_dispute_credits_with_its_reason_when_that_is_a_credit_reason() -> None:
    assert credit_reason(DisputeReason.DUPLICATE) is ReasonCode.DUPLICATE
    assert credit_reason(DisputeReason.TAX_ERROR) is ReasonCode.TAX_ERROR
    assert credit_reason(DisputeReason.NOT_RECEIVED) is ReasonCode.OTHER


def test_crediting_a_dispute_of_lines_credits_those_lines_in_full() -> None:
    assert dispute_credit_quantities(_dispute(usd("53.00"), (2,)), usd("285.00")) == {2: None}


def test_crediting_a_dispute_of_all_that_is_open_credits_the_whole_invoice() -> None:
    assert dispute_credit_quantities(_dispute(usd("285.00")), usd("285.00")) is None


def test_crediting_part_of_an_invoice_without_lines_needs_an_amount() -> None:
    with pytest.raises(ValidationError, match=r"to credit for dispute DSP1 of 100\.00 USD"):
        dispute_credit_quantities(_dispute(usd("100.00")), usd("285.00"))
    with pytest.raises(ValidationError):
        dispute_credit_quantities(_dispute(usd("100.00")), None)


def test_a_resolving_credit_note_must_correct_the_disputed_invoice() -> None:
    dispute = _dispute(usd("53.00"), (2,))
    note = credit_note_for(
        INVOICE, [], id=DocumentId("CN-1"), reason=ReasonCode.WRONG_PRICE, amount=usd("10.00")
    )
    assert check_resolving_credit_note(dispute, note, "CN-1") == "CN-1"
    other = issued_invoice(taxed_line("A", "1", "1.00"), doc_id="I-2", number="INV-2026-000002")
    with pytest.raises(ValidationError, match="an issued credit note of I-1"):
        check_resolving_credit_note(dispute, other, "INV-2026-000002")


def test_a_rebill_must_be_an_issued_invoice_of_the_same_customer() -> None:
    dispute = _dispute(usd("53.00"), (2,))
    rebill = issued_invoice(taxed_line("A", "1", "1.00"), doc_id="I-2", number="INV-2026-000002")
    assert check_rebill(dispute, rebill, "INV-2026-000002") == "I-2"
    stranger = attrs.evolve(dispute, customer_id=CustomerId("C-9"))
    with pytest.raises(ValidationError, match="an issued invoice of C-9"):
        check_rebill(stranger, rebill, "INV-2026-000002")


@given(
    available=st.integers(min_value=-10_000, max_value=50_000),
    lines=st.sets(st.sampled_from([1, 2]), max_size=2),
)
def test_a_default_disputed_amount_is_positive_and_never_more_than_undisputed(
    available: int, lines: set[int]
) -> None:
    undisputed = Money.from_minor(available, "USD")
    try:
        disputed = dispute_amount(INVOICE, undisputed, line_numbers=sorted(lines))
    except InvalidState:
        due = lines_amount_due(INVOICE, lines) if lines else undisputed
        assert not due.min(undisputed).is_positive
        return
    assert disputed.is_positive
    assert disputed <= undisputed
    if lines:
        assert disputed == lines_amount_due(INVOICE, lines).min(undisputed)
