"""Dispute lifecycle, SLA due dates and escalation."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.calendar import BusinessCalendar
from o2c.cases import (
    Channel,
    Dispute,
    DisputeId,
    DisputeReason,
    DisputeStatus,
    Resolution,
    SlaPolicy,
    auto_escalate,
    disputed_amounts,
    escalate,
    is_sla_breached,
    open_dispute,
    reject,
    resolve,
    start_investigation,
    update_dispute,
)
from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money

MX = BusinessCalendar("MX")
POLICY = SlaPolicy(10, {DisputeReason.DUPLICATE: 3, DisputeReason.TAX_ERROR: 5})
MONDAY = dt.date(2026, 9, 14)


def _dispute(reason: DisputeReason = DisputeReason.DUPLICATE, on: dt.date = MONDAY) -> Dispute:
    return open_dispute(
        DisputeId("D-1"),
        document_id=DocumentId("INV-2026-000042"),
        customer_id=CustomerId("C-1"),
        amount=Money.of("250.00", "MXN"),
        reason=reason,
        channel=Channel.EMAIL,
        opened_on=on,
        actor="ana",
        policy=POLICY,
        calendar=MX,
        line_numbers=[2],
        description="billed twice",
    )


def test_sla_due_counts_business_days_and_skips_holidays() -> None:
    # Tue 15, (Wed 16 Independence Day), Thu 17, Fri 18.
    assert _dispute().sla_due == dt.date(2026, 9, 18)


def test_sla_due_skips_weekends() -> None:
    # Opened Friday Oct 2; 5 business days: Oct 5-9.
    assert _dispute(DisputeReason.TAX_ERROR, dt.date(2026, 10, 2)).sla_due == dt.date(2026, 10, 9)


def test_reason_without_override_uses_the_default_days() -> None:
    assert POLICY.days_for(DisputeReason.QUALITY) == 10


def test_opened_dispute_records_its_opening() -> None:
    d = _dispute()
    assert d.status is DisputeStatus.OPEN
    assert d.line_numbers == (2,)
    assert [(t.status, t.actor, t.on) for t in d.history] == [(DisputeStatus.OPEN, "ana", MONDAY)]


def test_dispute_cannot_exceed_the_open_amount() -> None:
    with pytest.raises(InvalidState, match=r"exceeds the 200\.00 MXN still open"):
        open_dispute(
            DisputeId("D-2"),
            document_id=DocumentId("INV-1"),
            customer_id=CustomerId("C-1"),
            amount=Money.of("250.00", "MXN"),
            reason=DisputeReason.WRONG_PRICE,
            channel=Channel.PHONE,
            opened_on=MONDAY,
            actor="ana",
            policy=POLICY,
            calendar=MX,
            open_amount=Money.of("200.00", "MXN"),
        )


def test_disputed_amount_must_be_positive_and_rounded() -> None:
    with pytest.raises(ValidationError, match=r"dispute\.amount"):
        open_dispute(
            DisputeId("D-2"),
            document_id=DocumentId("INV-1"),
            customer_id=CustomerId("C-1"),
            amount=Money.of("0.001", "MXN"),
            reason=DisputeReason.WRONG_PRICE,
            channel=Channel.PHONE,
            opened_on=MONDAY,
            actor="ana",
            policy=POLICY,
            calendar=MX,
        )


def test_full_lifecycle_credited_links_the_credit_note() -> None:
    d = start_investigation(_dispute(), "bo", dt.date(2026, 9, 15))
    d = resolve(
        d,
        Resolution.CREDITED,
        "bo",
        dt.date(2026, 9, 17),
        credit_note_id=DocumentId("CN-2026-000007"),
    )
    assert d.status is DisputeStatus.RESOLVED
    assert (d.resolution, d.credit_note_id, d.resolved_on) == (
        Resolution.CREDITED,
        "CN-2026-000007",
        dt.date(2026, 9, 17),
    )
    assert [t.status for t in d.history] == [
        DisputeStatus.OPEN,
        DisputeStatus.INVESTIGATING,
        DisputeStatus.RESOLVED,
    ]
    assert not is_sla_breached(d, dt.date(2026, 12, 31))


def test_credited_resolution_needs_its_credit_note() -> None:
    with pytest.raises(ValidationError, match="credit note that resolves dispute D-1"):
        resolve(_dispute(), Resolution.CREDITED, "bo", MONDAY)


def test_rebill_names_the_credit_note_and_the_new_invoice() -> None:
    d = resolve(
        _dispute(),
        Resolution.REBILLED,
        "bo",
        MONDAY,
        credit_note_id=DocumentId("CN-1"),
        rebill_id=DocumentId("INV-2"),
    )
    assert (d.credit_note_id, d.rebill_id) == ("CN-1", "INV-2")


def test_rejection_needs_a_reason_and_names_no_credit_note() -> None:
    with pytest.raises(ValidationError):
        reject(_dispute(), "bo", MONDAY, "")
    d = reject(_dispute(), "bo", MONDAY, "delivery confirmed")
    assert (d.resolution, d.credit_note_id) == (Resolution.REJECTED, None)


def test_resolved_dispute_is_final() -> None:
    d = reject(_dispute(), "bo", MONDAY, "delivery confirmed")
    with pytest.raises(InvalidState, match="already resolved"):
        escalate(d, "bo", MONDAY)
    with pytest.raises(InvalidState):
        start_investigation(d, "bo", MONDAY)
    with pytest.raises(InvalidState):
        reject(d, "bo", MONDAY, "again")


def test_investigation_starts_only_from_open() -> None:
    d = start_investigation(_dispute(), "bo", MONDAY)
    with pytest.raises(InvalidState, match="is investigating, not open"):
        start_investigation(d, "bo", MONDAY)


def test_manual_escalation_raises_the_level_each_time() -> None:
    d = escalate(_dispute(), "bo", MONDAY, "customer is a key account")
    d = escalate(d, "cy", MONDAY)
    assert (d.status, d.escalation_level) == (DisputeStatus.ESCALATED, 2)
    assert [t.escalation_level for t in d.history] == [0, 1, 2]


def test_steps_cannot_go_back_in_time() -> None:
    with pytest.raises(ValidationError, match=r"dispute\.on"):
        escalate(_dispute(), "bo", MONDAY - dt.timedelta(days=1))


def test_dispute_is_escalated_automatically_when_it_passes_its_sla() -> None:
    d = start_investigation(_dispute(), "bo", dt.date(2026, 9, 15))
    # Due Fri Sep 18: still within SLA that day.
    assert auto_escalate([d], dt.date(2026, 9, 18)) == ()
    (changed,) = auto_escalate([d], dt.date(2026, 9, 21))
    assert (changed.status, changed.escalation_level) == (DisputeStatus.ESCALATED, 1)
    last = changed.history[-1]
    assert (last.actor, last.on, last.comment) == (
        "system",
        dt.date(2026, 9, 21),
        "SLA due 2026-09-18 breached",
    )
    # Running the job again changes nothing more.
    assert auto_escalate([changed], dt.date(2026, 9, 22)) == ()


def test_auto_escalation_leaves_resolved_and_on_time_disputes_alone() -> None:
    done = reject(_dispute(), "bo", MONDAY, "ok")
    on_time = _dispute(DisputeReason.QUALITY)
    assert auto_escalate([done, on_time], dt.date(2026, 9, 21)) == ()


def test_late_resolution_breaches_the_sla() -> None:
    d = reject(_dispute(), "bo", dt.date(2026, 9, 21), "late")
    assert is_sla_breached(d, dt.date(2026, 9, 21))


def test_disputed_amounts_sum_active_disputes_per_invoice() -> None:
    first = _dispute()
    second = attrs.evolve(_dispute(), id=DisputeId("D-2"), amount=Money.of("50.00", "MXN"))
    done = attrs.evolve(reject(_dispute(), "bo", MONDAY, "no"), id=DisputeId("D-3"))
    assert disputed_amounts([first, second, done]) == {"INV-2026-000042": Money.of("300.00", "MXN")}


def test_update_changes_amount_and_lines_and_records_what_changed() -> None:
    d = start_investigation(_dispute(), "bo", MONDAY)
    d = update_dispute(
        d,
        "bo",
        dt.date(2026, 9, 15),
        "customer narrowed it",
        amount=Money.of("200.00", "MXN"),
        line_numbers=[2, 3],
    )
    assert (d.status, d.amount, d.line_numbers, d.sla_due) == (
        DisputeStatus.INVESTIGATING,
        Money.of("200.00", "MXN"),
        (2, 3),
        dt.date(2026, 9, 18),
    )
    assert d.history[-1].comment == (
        "customer narrowed it; amount 250.00 MXN -> 200.00 MXN; lines [2] -> [2, 3]"
    )


def test_update_without_a_change_is_refused() -> None:
    with pytest.raises(ValidationError):
        update_dispute(_dispute(), "bo", MONDAY, amount=Money.of("250.00", "MXN"))


def test_resolved_dispute_cannot_be_updated() -> None:
    d = reject(_dispute(), "bo", MONDAY, "no")
    with pytest.raises(InvalidState, match="cannot update it"):
        update_dispute(d, "bo", MONDAY, description="more")


def test_update_cannot_raise_the_amount_beyond_what_is_open() -> None:
    with pytest.raises(InvalidState, match="exceeds"):
        update_dispute(
            _dispute(),
            "bo",
            MONDAY,
            amount=Money.of("300.00", "MXN"),
            open_amount=Money.of("280.00", "MXN"),
        )
