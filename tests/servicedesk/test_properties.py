"""Invariants of the service desk: business hours, and KPIs over any inquiry history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import BusinessCalendar
from o2c.cases import Channel, NoteId
from o2c.ids import CustomerId
from o2c.servicedesk import (
    BusinessHours,
    Contact,
    CsatRating,
    GroupBy,
    Inquiry,
    InquiryCategory,
    InquiryId,
    InquiryMoveRefused,
    InquirySlaPolicy,
    InquiryStatus,
    KpiScope,
    Priority,
    RootCause,
    ServiceDeskFigures,
    close,
    reopen,
    resolve,
    respond,
    service_desk_report,
)

HOURS = BusinessHours(BusinessCalendar("MX"), zone="America/Mexico_City")
START = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(days=30)
AGENTS = ("ana", "ben", "cy")

moments = st.integers(min_value=0, max_value=60 * 24 * 40).map(
    lambda m: START + dt.timedelta(minutes=m)
)


@given(moments, st.integers(min_value=0, max_value=60 * 200))
def test_adding_business_time_and_measuring_it_agree(start: dt.datetime, minutes: int) -> None:
    due = HOURS.add(start, dt.timedelta(minutes=minutes))
    assert due >= start
    assert HOURS.seconds_between(start, due) == minutes * 60


@given(moments, moments, moments)
def test_business_seconds_add_up_and_never_exceed_the_clock(
    a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    a, b, c = sorted((a, b, c))
    ab, bc, ac = (HOURS.seconds_between(x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == ac
    assert 0 <= ac <= (c - a).total_seconds()
    assert HOURS.seconds_between(c, a) == 0


# -- any history of inquiries ----------------------------------------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from(["respond", "wait", "resolve", "resolve_in_call", "reopen", "close"]),
        st.integers(min_value=1, max_value=60 * 30),  # minutes after the previous step
        st.sampled_from(AGENTS),
        st.integers(min_value=0, max_value=45),  # the contact's minutes
    ),
    max_size=8,
)
histories = st.lists(
    st.tuples(
        st.integers(min_value=-60 * 24 * 10, max_value=60 * 24 * 35),  # opened vs START
        st.sampled_from(list(Channel)),
        st.sampled_from(list(InquiryCategory)),
        st.sampled_from(list(Priority)),
        st.one_of(st.none(), st.sampled_from(AGENTS)),
        steps,
        st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    ),
    max_size=12,
)


Step = tuple[str, int, str, int]
History = list[tuple[int, Channel, InquiryCategory, Priority, str | None, list[Step], int | None]]


def _play(history: History) -> tuple[list[Inquiry], list[Contact], dict[InquiryId, CsatRating]]:
    policy = InquirySlaPolicy()
    inquiries: list[Inquiry] = []
    contacts: list[Contact] = []
    ratings: dict[InquiryId, CsatRating] = {}
    for n, (offset, channel, category, priority, assignee, moves, score) in enumerate(history):
        opened = START + dt.timedelta(minutes=offset)
        due = policy.due(HOURS, category, priority, opened)
        inq = Inquiry(
            InquiryId(f"INQ-{n}"), CustomerId("C1"), "q", channel, category, priority,
            opened, "ana", *due, assignee=assignee,
        )  # fmt: skip
        at = opened
        for kind, gap, agent, length in moves:
            at += dt.timedelta(minutes=gap)
            ended = at + dt.timedelta(minutes=length)
            try:
                if kind in ("respond", "wait"):
                    then = (
                        InquiryStatus.WAITING_ON_CUSTOMER if kind == "wait" else InquiryStatus.OPEN
                    )
                    inq = respond(inq, at=at, agent=agent, then=then)
                elif kind.startswith("resolve"):
                    in_call = kind == "resolve_in_call"
                    inq = resolve(
                        inq, at=ended if in_call else at, root_cause=RootCause.TAX,
                        resolution="done", contact_started=at if in_call else None, agent=agent,
                    )  # fmt: skip
                elif kind == "reopen":
                    inq = reopen(inq, at=at)
                else:
                    inq = close(inq, at=at)
            except InquiryMoveRefused:
                continue
            if kind in ("respond", "wait", "resolve_in_call"):
                contacts.append(
                    Contact(inq.id, NoteId(f"N-{len(contacts)}"), agent, channel, at, ended, "x")
                )
            at = max(at, ended)
        if score is not None and not inq.is_active:
            ratings[inq.id] = CsatRating(inq.id, score, "", at, "ana")
        inquiries.append(inq)
    return inquiries, contacts, ratings


def _shares(row: ServiceDeskFigures) -> list[Decimal | None]:
    return [
        row.fcr,
        row.csat_response_rate,
        row.response_sla,
        row.resolution_sla,
        row.reopen_rate,
    ]


ADDITIVE = ("opened", "responded", "resolved", "fcr_count", "contacts", "csat_responses",
            "reopened", "backlog")  # fmt: skip


@given(histories, st.sampled_from(list(GroupBy)))
def test_kpis_hold_over_any_history(history: History, by: GroupBy) -> None:
    inquiries, contacts, ratings = _play(history)
    as_of = END + dt.timedelta(days=20)
    scope = KpiScope(HOURS, START, END, as_of, ratings=ratings, invoices=7)
    team, *groups = service_desk_report(inquiries, contacts, scope, by=by)
    for row in (team, *groups):
        for share in _shares(row):
            assert share is None or Decimal(0) <= share <= Decimal(1)
        for hours in (row.frt_mean, row.frt_median, row.ttr_mean, row.ttr_median, row.ttr_p90):
            assert hours is None or hours >= 0
        if row.ttr_median is not None:
            assert row.ttr_p90 is not None
            assert row.ttr_median <= row.ttr_p90
        if row.csat_average is not None:
            assert Decimal(1) <= row.csat_average <= Decimal(5)
        assert row.fcr_count <= row.resolved <= row.opened
    # Every inquiry (and contact) belongs to exactly one group: the groups add up.
    for name in ADDITIVE:
        assert sum(getattr(g, name) for g in groups) == getattr(team, name), name
