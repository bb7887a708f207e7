"""The inquiry state machine: what each status allows, and the clear refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from o2c.cases import Channel
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.servicedesk import (
    BusinessHours,
    Inquiry,
    InquiryCategory,
    InquiryId,
    InquiryMove,
    InquiryMoveRefused,
    InquiryStatus,
    Priority,
    RootCause,
    SlaKind,
    assign,
    close,
    escalate,
    parse_hours,
    reopen,
    resolve,
    respond,
    sla_breaches,
)

T0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


def later(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def new() -> Inquiry:
    return Inquiry(
        InquiryId("INQ-1"),
        CustomerId("C1"),
        "Why this price?",
        Channel.PHONE,
        InquiryCategory.PRICE_QUESTION,
        Priority.NORMAL,
        T0,
        "ana",
        later(240),
        later(1080),
    )


def resolved() -> Inquiry:
    return resolve(
        new(), at=later(30), root_cause=RootCause.PRICING_SETUP, resolution="fixed", agent="ana"
    )


def closed() -> Inquiry:
    return close(resolved(), at=later(60))


Move = Callable[[Inquiry], Inquiry]
MOVES: dict[InquiryMove, Move] = {
    InquiryMove.RESPOND: lambda i: respond(i, at=later(90), agent="ben"),
    InquiryMove.ASSIGN: lambda i: assign(i, "ben"),
    InquiryMove.RESOLVE: lambda i: resolve(
        i, at=later(90), root_cause=RootCause.TAX, resolution="rate fixed"
    ),
    InquiryMove.REOPEN: lambda i: reopen(i, at=later(90)),
    InquiryMove.CLOSE: lambda i: close(i, at=later(90)),
    InquiryMove.ESCALATE: lambda i: escalate(i, frozenset({SlaKind.RESOLUTION}), at=later(90)),
}

#: Which moves each status allows (the rest are refused).
ALLOWED = {
    "new": {InquiryMove.RESPOND, InquiryMove.ASSIGN, InquiryMove.RESOLVE, InquiryMove.ESCALATE},
    "resolved": {InquiryMove.ASSIGN, InquiryMove.REOPEN, InquiryMove.CLOSE},
    "closed": set(),
}
STATES: dict[str, Callable[[], Inquiry]] = {"new": new, "resolved": resolved, "closed": closed}


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("move", [m for m in InquiryMove if m in MOVES])
def test_each_status_allows_exactly_its_moves(state: str, move: InquiryMove) -> None:
    inquiry = STATES[state]()
    if move in ALLOWED[state]:
        MOVES[move](inquiry)
        return
    with pytest.raises(InquiryMoveRefused) as refused:
        MOVES[move](inquiry)
    assert refused.value.inquiry_id == "INQ-1"
    assert refused.value.status.value == state
    assert refused.value.move is move
    assert str(refused.value).startswith(f"inquiry INQ-1 is {state}; cannot {move.value} it: ")


def test_a_closed_inquiry_cannot_be_reopened_and_says_what_to_do() -> None:
    with pytest.raises(InquiryMoveRefused) as refused:
        reopen(closed(), at=later(120))
    assert str(refused.value) == (
        "inquiry INQ-1 is closed; cannot reopen it: a closed inquiry is final; open a new one"
    )
    assert refused.value.document_id == "INQ-1"


def test_an_open_inquiry_cannot_be_closed_before_resolution() -> None:
    with pytest.raises(InquiryMoveRefused, match="inquiry INQ-1 is new; cannot close it: resolve"):
        close(new(), at=later(5))


def test_waiting_states_come_back_to_open_on_a_response() -> None:
    waiting = respond(new(), at=later(10), agent="ana", then=InquiryStatus.WAITING_ON_CUSTOMER)
    assert waiting.status is InquiryStatus.WAITING_ON_CUSTOMER
    internal = respond(waiting, at=later(20), agent="ana", then=InquiryStatus.WAITING_ON_INTERNAL)
    assert internal.status is InquiryStatus.WAITING_ON_INTERNAL
    back = respond(internal, at=later(30), agent="ben")
    assert back.status is InquiryStatus.OPEN
    assert back.first_response_at == later(10)  # the first response stays the first
    assert back.agent_contacts == 3
    assert back.assignee == "ana"  # the first responder took the unassigned inquiry


def test_a_response_cannot_leave_the_inquiry_resolved() -> None:
    with pytest.raises(ValidationError, match="then"):
        respond(new(), at=later(10), agent="ana", then=InquiryStatus.RESOLVED)


def test_reopen_then_resolve_counts_a_reopen_and_keeps_the_first_resolution() -> None:
    again = reopen(resolved(), at=later(60))
    assert again.status is InquiryStatus.REOPENED
    assert again.resolved_at is None
    assert again.is_active
    done = resolve(again, at=later(90), root_cause=RootCause.TAX, resolution="now really")
    assert (done.reopen_count, done.first_resolved_at, done.resolved_at) == (
        1,
        later(30),
        later(90),
    )
    assert not done.first_contact_resolution


def test_first_contact_resolution_needs_the_resolution_in_the_only_contact() -> None:
    in_call = resolve(
        new(),
        at=later(12),
        root_cause=RootCause.CUSTOMER_MISUNDERSTANDING,
        resolution="explained",
        contact_started=T0,
        agent="ana",
    )
    assert in_call.first_contact_resolution
    assert in_call.first_response_at == T0
    answered_then_resolved = resolve(
        respond(new(), at=later(5), agent="ana"),
        at=later(60),
        root_cause=RootCause.TAX,
        resolution="fixed",
    )
    assert not answered_then_resolved.first_contact_resolution


def test_affected_documents_only_for_a_billing_defect() -> None:
    with pytest.raises(ValidationError, match="not a billing defect"):
        resolve(
            new(),
            at=later(5),
            root_cause=RootCause.CUSTOMER_MISUNDERSTANDING,
            resolution="explained",
            affected_documents=(DocumentId("D-1"),),
        )


def test_nothing_happens_before_the_inquiry_opened() -> None:
    with pytest.raises(ValidationError, match="after the inquiry opened"):
        respond(new(), at=T0 - dt.timedelta(minutes=1), agent="ana")


def test_sla_breaches_look_at_responses_and_resolutions() -> None:
    inquiry = new()
    assert sla_breaches(inquiry, later(240)) == frozenset()  # due exactly now: on time
    assert sla_breaches(inquiry, later(241)) == {SlaKind.FIRST_RESPONSE}
    late = respond(inquiry, at=later(300), agent="ana")
    assert sla_breaches(late, later(301)) == {SlaKind.FIRST_RESPONSE}
    assert sla_breaches(late, later(1081)) == {SlaKind.FIRST_RESPONSE, SlaKind.RESOLUTION}


def test_business_hours_refuse_nonsense() -> None:
    with pytest.raises(ValidationError, match=r"servicedesk\.hours"):
        parse_hours("18:00-09:00")
    with pytest.raises(ValidationError, match=r"hours\.zone"):
        BusinessHours(zone="Mars/Olympus")
    with pytest.raises(ValidationError, match="duration"):
        BusinessHours().add(T0, dt.timedelta(seconds=-1))
