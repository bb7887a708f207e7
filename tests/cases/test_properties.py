"""Invariants of the case state machines and of segregation of duties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import BusinessCalendar
from o2c.cases import (
    ApprovalAction,
    ApprovalId,
    ApprovalPolicy,
    ApprovalStatus,
    ApprovalThreshold,
    Channel,
    Dispute,
    DisputeId,
    DisputeReason,
    DisputeStatus,
    Resolution,
    Role,
    SlaPolicy,
    approve,
    auto_escalate,
    escalate,
    is_sla_breached,
    open_dispute,
    reject,
    request_approval,
    resolve,
    start_investigation,
)
from o2c.errors import InvalidState, SegregationOfDuties
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money

WEEKENDS = BusinessCalendar(None)
START = dt.date(2026, 1, 5)
VERBS = st.sampled_from(["investigate", "escalate", "credit", "reject"])


def _open(days: int, on: dt.date = START) -> Dispute:
    return open_dispute(
        DisputeId("D-1"),
        document_id=DocumentId("I-1"),
        customer_id=CustomerId("C-1"),
        amount=Money.of("1.00", "USD"),
        reason=DisputeReason.OTHER,
        channel=Channel.EMAIL,
        opened_on=on,
        actor="ana",
        policy=SlaPolicy(days),
        calendar=WEEKENDS,
    )


def _apply(d: Dispute, verb: str, on: dt.date) -> Dispute:
    if verb == "investigate":
        return start_investigation(d, "bo", on)
    if verb == "escalate":
        return escalate(d, "bo", on)
    if verb == "credit":
        return resolve(d, Resolution.CREDITED, "bo", on, credit_note_id=DocumentId("CN-1"))
    return reject(d, "bo", on, "no")


@given(st.lists(st.tuples(VERBS, st.integers(0, 5)), max_size=8), st.integers(0, 20))
def test_every_step_is_recorded_and_resolution_is_final(
    steps: list[tuple[str, int]], sla_days: int
) -> None:
    d = _open(sla_days)
    on = START
    for verb, gap in steps:
        on += dt.timedelta(days=gap)
        before = d
        try:
            d = _apply(d, verb, on)
        except InvalidState:
            assert before.status is DisputeStatus.RESOLVED or verb == "investigate"
            assert d is before
            continue
        assert d.history[:-1] == before.history
        assert d.history[-1].status is d.status
        assert d.escalation_level >= before.escalation_level
    assert d.history[0].status is DisputeStatus.OPEN
    assert d.escalation_level == sum(t.status is DisputeStatus.ESCALATED for t in d.history)
    assert (d.status is DisputeStatus.RESOLVED) == (d.resolution is not None)


@given(st.integers(0, 30), st.integers(0, 60))
def test_sla_due_is_a_business_day_n_business_days_later(days: int, offset: int) -> None:
    d = _open(days, START + dt.timedelta(days=offset))
    assert WEEKENDS.business_days_between(d.opened_on, d.sla_due) == days
    assert days == 0 or WEEKENDS.is_business_day(d.sla_due)


@given(st.integers(0, 20), st.integers(0, 60))
def test_auto_escalation_is_idempotent_and_matches_the_breach(days: int, later: int) -> None:
    d = _open(days)
    today = START + dt.timedelta(days=later)
    changed = auto_escalate([d], today)
    assert len(changed) == int(is_sla_breached(d, today))
    assert auto_escalate(changed, today) == ()


ACTORS = st.sampled_from(["ana", "Ana", "bo", "cy"])


@given(ACTORS, ACTORS)
def test_approver_is_never_the_requester(requester: str, approver: str) -> None:
    policy = ApprovalPolicy([ApprovalThreshold(ApprovalAction.REFUND, Money.of(0, "USD"))])
    request = request_approval(
        ApprovalId("A-1"),
        policy=policy,
        action=ApprovalAction.REFUND,
        requested_by=requester,
        requested_on=START,
        amount=Money.of("1.00", "USD"),
    )
    assert request is not None
    if requester.casefold() == approver.casefold():
        with pytest.raises(SegregationOfDuties):
            approve(request, approver, {Role.CONTROLLER}, on=START)
        assert request.status is ApprovalStatus.PENDING
    else:
        done = approve(request, approver, {Role.CONTROLLER}, on=START)
        assert done.decided_by != done.requested_by
