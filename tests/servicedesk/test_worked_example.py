"""A week of the billing desk, worked by hand: every KPI to the exact figure.

The week of Monday 14 September 2026; Wednesday 16 is Mexico's Independence Day, a
holiday of the book's (MX) calendar. Desk hours 09:00-18:00 UTC (9 business hours a day).
SLA targets: normal 4 h to respond / 18 h to resolve, high 2 h / 9 h, low 8 h / 40 h.

=====  =====  ========  ===================================================================
inq    cust   opened    what happens
=====  =====  ========  ===================================================================
A      C1     Mon 10:00 phone, normal; ana resolves it in the call 10:00-10:12 (FCR); CSAT 5
B      C1     Tue 17:00 e-mail, normal; ben answers Thu 10:00-10:20 (FRT 1 h Tue + 1 h Thu = 2 h:
                        the holiday does not count), resolves Thu 15:00 (usage feed, INV1),
                        customer reopens Fri 09:30, ben calls Fri 10:00-10:30, resolves Fri
                        12:00 (TTR 1 + 9 + 3 = 13 h); no CSAT answer
C      C2     Wed 11:00 chat, high, on the holiday: its clock starts Thu 09:00 (response due Thu
                        11:00, resolution Thu 18:00); ana answers Thu 12:00-12:06 (late, 3 h),
                        waits on the customer, resolves Fri 10:00 (tax, INV2; 10 h, late);
                        CSAT 2
D      C2     Fri 16:00 e-mail, low, nobody has answered by Fri 18:00 (backlog, 2 h old)
E      C1     Thu 09:00 portal, normal; ben answers 09:30-09:45, resolves 11:00 without a
                        contact (manual error; not FCR: resolved after the contact); CSAT 4;
                        closed Fri 09:00
=====  =====  ========  ===================================================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.servicedesk import (
    InquiryStatus,
    LinkKind,
    RootCause,
    ServiceDeskFigures,
    SlaKind,
)
from tests.book.clock import FakeClock
from tests.servicedesk.conftest import at

INV1, INV2 = "INV-2026-000001", "INV-2026-000002"
WEEK = (dt.date(2026, 9, 14), dt.date(2026, 9, 18))
AS_OF = at(18, 18)


def _week(book: Book, clock: FakeClock) -> dict[str, str]:
    """Play the week in time order; return the inquiry ids by letter."""
    ids: dict[str, str] = {}

    def now(day: int, hour: int, minute: int = 0) -> dt.datetime:
        clock.now = at(day, hour, minute)
        return clock.now

    a = book.open_inquiry(
        "C1", subject="Why 0.42 per call?", channel="phone", category="price_question",
        opened_at=now(14, 10),
    )  # fmt: skip
    ids["A"] = a.id
    now(14, 10, 12)
    book.resolve_inquiry(
        a.id,
        root_cause="customer_misunderstanding",
        resolution="explained the graduated tiers",
        contact=(None, at(14, 10), at(14, 10, 12), "walked through the tiers"),
    )
    book.rate_inquiry(a.id, 5, comment="clear", rated_at=now(14, 11))

    b = book.open_inquiry(
        "C1", subject="Too many API calls billed", channel="email",
        category="wrong_quantity", documents=[INV1], opened_at=now(15, 17),
    )  # fmt: skip
    ids["B"] = b.id

    c = book.open_inquiry(
        "C2", subject="IVA on the export?", channel="chat", category="tax",
        priority="high", documents=[INV2], opened_at=now(16, 11),
    )  # fmt: skip
    ids["C"] = c.id

    e = book.open_inquiry(
        "C1", subject="Invoice twice?", channel="portal", category="duplicate",
        opened_at=now(17, 9),
    )  # fmt: skip
    ids["E"] = e.id
    now(17, 9, 45)
    book.respond_to_inquiry(
        e.id, summary="checking", started=at(17, 9, 30), ended=at(17, 9, 45), actor="ben"
    )
    now(17, 10, 20)
    book.respond_to_inquiry(
        b.id, summary="checking the usage feed", started=at(17, 10), ended=at(17, 10, 20),
        actor="ben",
    )  # fmt: skip
    now(17, 11)
    book.resolve_inquiry(
        e.id, root_cause="manual_error", resolution="second copy, not a second invoice",
        actor="ben",
    )  # fmt: skip
    book.rate_inquiry(e.id, 4, rated_at=now(17, 11, 5))
    escalated = book.escalate_overdue_inquiries(now(17, 11, 30))
    assert [i.id for i in escalated] == [c.id]  # C's first response was due at 11:00
    assert escalated[0].escalations == frozenset({SlaKind.FIRST_RESPONSE})
    now(17, 12, 6)
    book.respond_to_inquiry(
        c.id, summary="asked for the export papers", started=at(17, 12), ended=at(17, 12, 6),
        then="waiting_on_customer",
    )  # fmt: skip
    now(17, 15)
    book.resolve_inquiry(
        b.id, root_cause="usage_feed", resolution="duplicate usage removed",
        affected_documents=[INV1], actor="ben",
    )  # fmt: skip

    book.close_inquiry(e.id, at=now(18, 9))
    book.reopen_inquiry(b.id, reason="still billed twice", at=now(18, 9, 30), actor="ben")
    now(18, 10)
    book.resolve_inquiry(
        c.id, root_cause="tax", resolution="zero rate applied, credit note issued",
        affected_documents=[INV2],
    )  # fmt: skip
    now(18, 10, 30)
    book.respond_to_inquiry(
        b.id, summary="called back", started=at(18, 10), ended=at(18, 10, 30), channel="phone",
        actor="ben",
    )  # fmt: skip
    now(18, 12)
    book.resolve_inquiry(
        b.id, root_cause="usage_feed", resolution="feed fixed, credit note issued",
        affected_documents=[INV1], actor="ben",
    )  # fmt: skip
    book.rate_inquiry(c.id, 2, comment="took too long", rated_at=now(18, 13))

    d = book.open_inquiry(
        "C2", subject="Where is my refund?", channel="email", category="refund_status",
        priority="low", opened_at=now(18, 16),
    )  # fmt: skip
    ids["D"] = d.id
    now(18, 18)
    return ids


def _team(book: Book) -> ServiceDeskFigures:
    [team] = book.service_desk_report(*WEEK, as_of=AS_OF)
    return team


def test_the_week_gives_exact_team_figures(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    team = _team(desk)
    assert team.group == "(team)"
    assert team.opened == 5
    assert team.per_1000_invoices == Decimal("2500.00")  # 5 inquiries, 2 invoices
    # FRT: A 0, E 0.5 h, B 2 h (holiday skipped), C 3 h (clock from Thu 09:00).
    assert team.responded == 4
    assert team.frt_mean == Decimal("1.38")  # 19,800 s / 4 = 1.375 h, half-up
    assert team.frt_median == Decimal("1.25")  # (1,800 + 7,200) / 2 s
    # TTR: A 0.2 h, E 2 h, C 10 h, B 13 h (to the last resolution).
    assert team.resolved == 4
    assert team.ttr_mean == Decimal("6.30")  # 90,720 s / 4
    assert team.ttr_median == Decimal("6.00")
    assert team.ttr_p90 == Decimal("13.00")  # rank ceil(0.9 x 4) = 4
    assert (team.fcr_count, team.fcr) == (1, Decimal("0.2500"))  # only A
    # AHT: 12 + 20 + 30 + 6 + 15 minutes over 5 contacts.
    assert (team.contacts, team.aht_minutes) == (5, Decimal("16.60"))
    # CSAT: 5, 2, 4 answered; B did not answer (left out, not a zero).
    assert team.csat_responses == 3
    assert team.csat_average == Decimal("3.67")
    assert team.csat_response_rate == Decimal("0.7500")
    # Response SLA: A, B, E on time, C late, D not yet due.
    assert team.response_sla == Decimal("0.7500")
    # Resolution SLA: A, B (due Fri 17:00), E on time, C late, D not yet due.
    assert team.resolution_sla == Decimal("0.7500")
    assert (team.reopened, team.reopen_rate) == (1, Decimal("0.2500"))
    assert (team.backlog, team.backlog_age_mean, team.backlog_age_max) == (
        1,
        Decimal("2.00"),
        Decimal("2.00"),
    )


def test_the_holiday_and_the_hours_set_the_due_times(desk: Book, clock: FakeClock) -> None:
    ids = _week(desk, clock)
    b, c, d = (desk.get_inquiry(ids[k]) for k in "BCD")
    # B (normal 4/18) opened Tue 17:00: 1 h Tue, Wed is a holiday, 3 h Thu.
    assert b.first_response_due == at(17, 12)
    assert b.resolution_due == at(18, 17)  # 1 + 9 + 8
    # C (high 2/9) opened on the holiday: the clock starts at Thursday's opening.
    assert (c.first_response_due, c.resolution_due) == (at(17, 11), at(17, 18))
    # D (low 8/40) opened Fri 16:00: 2 h Friday, 6 h on Monday 21 September.
    assert d.first_response_due == dt.datetime(2026, 9, 21, 15, 0, tzinfo=dt.UTC)


def test_per_agent_figures_add_up_to_the_team(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    team, *agents = desk.service_desk_report(*WEEK, by="agent", as_of=AS_OF)
    assert [a.group for a in agents] == ["(unassigned)", "ana", "ben"]
    unassigned, ana, ben = agents
    assert [a.opened for a in agents] == [1, 2, 2]  # D; A and C; B and E
    assert sum(a.opened for a in agents) == team.opened
    assert sum(a.contacts for a in agents) == team.contacts == 5
    assert (ana.contacts, ana.aht_minutes) == (2, Decimal("9.00"))  # (12 + 6) / 2
    assert (ben.contacts, ben.aht_minutes) == (3, Decimal("21.67"))  # (20 + 30 + 15) / 3
    assert ana.frt_mean == Decimal("1.50")  # (0 + 3 h) / 2
    assert ben.frt_mean == Decimal("1.25")  # (2 h + 0.5 h) / 2
    assert (ana.csat_average, ben.csat_average) == (Decimal("3.50"), Decimal("4.00"))
    assert (ana.fcr, ben.fcr) == (Decimal("0.5000"), Decimal("0.0000"))
    assert unassigned.backlog == 1
    assert unassigned.fcr is None


def test_by_channel_counts_the_volume_per_channel(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    team, *channels = desk.service_desk_report(*WEEK, by="channel", as_of=AS_OF)
    assert {c.group: c.opened for c in channels} == {
        "chat": 1,
        "email": 2,
        "phone": 1,
        "portal": 1,
    }
    # B's call-back was on the phone: contacts follow their own channel.
    assert {c.group: c.contacts for c in channels} == {
        "chat": 1,
        "email": 1,
        "phone": 2,
        "portal": 1,
    }
    assert sum(c.contacts for c in channels) == team.contacts


def test_the_reopened_inquiry_keeps_its_history(desk: Book, clock: FakeClock) -> None:
    ids = _week(desk, clock)
    b = desk.get_inquiry(ids["B"])
    assert b.status is InquiryStatus.RESOLVED
    assert (b.reopen_count, b.agent_contacts) == (1, 2)
    assert b.first_resolved_at == at(17, 15)
    assert b.resolved_at == at(18, 12)
    assert not b.first_contact_resolution
    kinds = [e["kind"] for e in desk.inquiry_events(b.id)]
    assert kinds == ["opened", "contact", "resolved", "reopened", "contact", "resolved"]
    # Each contact is an interaction note on the invoice the inquiry is about.
    notes = desk.list_notes(document=INV1)
    assert [n.id for n in notes] == [c.note_id for c in desk.inquiry_contacts(b.id)]
    assert desk.inquiry_rating(b.id) is None


def test_root_cause_trend_names_the_affected_documents(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    trend = desk.root_cause_trend(*WEEK)
    assert [(t.period, t.cause, t.inquiries, t.documents) for t in trend] == [
        ("2026-09", RootCause.CUSTOMER_MISUNDERSTANDING, 1, ()),
        ("2026-09", RootCause.MANUAL_ERROR, 1, ()),
        ("2026-09", RootCause.TAX, 1, ("D-2",)),
        ("2026-09", RootCause.USAGE_FEED, 1, ("D-1",)),
    ]
    assert [t.billing_defect for t in trend] == [False, True, True, True]


def test_a_report_of_an_empty_window_measures_nothing(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    team = desk.service_desk_report(dt.date(2026, 8, 1), dt.date(2026, 8, 31), as_of=AS_OF)[0]
    assert (team.opened, team.frt_mean, team.fcr, team.csat_average) == (0, None, None, None)
    assert team.backlog == 0  # D opened after the window


def test_links_go_both_ways(desk: Book, clock: FakeClock) -> None:
    ids = _week(desk, clock)
    links = desk.inquiry_links(ids["B"])
    assert [(x.kind, x.target_id, x.spawned) for x in links] == [(LinkKind.DOCUMENT, "D-1", False)]
    assert [i.id for i in desk.list_inquiries(linked_to=("document", "D-1"))] == [ids["B"]]


@pytest.mark.parametrize("letter", ["A", "E"])
def test_the_customer_rates_once(desk: Book, clock: FakeClock, letter: str) -> None:
    from o2c.errors import InvalidState

    ids = _week(desk, clock)
    with pytest.raises(InvalidState, match=f"inquiry {ids[letter]} is already rated"):
        desk.rate_inquiry(ids[letter], 1)


def test_an_earlier_as_of_sees_the_backlog_of_that_moment(desk: Book, clock: FakeClock) -> None:
    _week(desk, clock)
    [team] = desk.service_desk_report(*WEEK, as_of=at(17, 13))
    # By Thursday 13:00 only A and E were resolved; B and C were open, D not yet asked.
    assert (team.resolved, team.ttr_mean, team.fcr) == (2, Decimal("1.10"), Decimal("0.5000"))
    # B: 1 h Tuesday + 4 h Thursday; C: 4 h Thursday (opened on the holiday).
    assert (team.backlog, team.backlog_age_mean, team.backlog_age_max) == (
        2,
        Decimal("4.50"),
        Decimal("5.00"),
    )
