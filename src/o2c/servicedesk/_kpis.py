"""Service-desk KPIs, per team and per agent, channel or category; never per currency.

The figures are over a **cohort**: the inquiries opened in the window ``[start, end)``.
Times are in business hours (:class:`~o2c.servicedesk.BusinessHours`), rounded half-up to
0.01 h; shares are rounded half-up to 0.0001 (``0.6667`` is 66.67 %). A figure with
nothing to measure is ``None``, never 0.

=========================  ==========================================================
figure                     formula
=========================  ==========================================================
``opened``                 inquiries opened in the window (the cohort; the volume)
``per_1000_invoices``      ``opened`` × 1000 / invoices issued in the window
``frt_mean/median``        business hours from opening to the first response, over the
                           cohort's inquiries with a first response
``resolved``               cohort inquiries resolved or closed by ``as_of`` (as they
                           stand now: a reopened one is not resolved)
``ttr_mean/median/p90``    business hours from opening to the (last) resolution, over
                           ``resolved``; p90 is the nearest-rank value (rank ⌈0.9 n⌉)
``fcr``                    resolved at the first agent contact and never reopened /
                           ``resolved``
``aht_minutes``            mean minutes of the cohort's contacts with an end
                           (grouped by the contact's agent and channel)
``csat_average``           mean score of the resolved inquiries' CSAT answers; an
                           inquiry without a score is left out, not counted as 0
``csat_response_rate``     answers / ``resolved``
``response_sla``           first responses on time / cohort inquiries whose first
                           response is decided (it came, or its due time has passed)
``resolution_sla``         resolutions on time / cohort inquiries whose resolution is
                           decided (resolved, or its due time has passed)
``reopen_rate``            inquiries reopened at least once / inquiries ever resolved
``backlog``                inquiries opened before the window's end and by ``as_of``
                           and not resolved by then (a reopened one is in it)
``backlog_age_mean/max``   their business hours from opening to ``as_of``
=========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.servicedesk._hours import BusinessHours
from o2c.servicedesk._inquiry import Inquiry, InquiryId, RootCause
from o2c.servicedesk._records import Contact, CsatRating

__all__ = [
    "TEAM",
    "UNASSIGNED",
    "GroupBy",
    "KpiScope",
    "RootCauseTrend",
    "ServiceDeskFigures",
    "nearest_rank",
    "root_cause_trend",
    "service_desk_figures",
    "service_desk_report",
]

#: The group name of the whole team's row.
TEAM: Final = "(team)"
#: The agent group of inquiries nobody is assigned to.
UNASSIGNED: Final = "(unassigned)"
_HOUR: Final = Decimal("0.01")
_SHARE: Final = Decimal("0.0001")


class GroupBy(enum.Enum):
    """How a service-desk report splits the team's figures."""

    AGENT = "agent"
    CHANNEL = "channel"
    CATEGORY = "category"
    TEAM = "team"


@attrs.frozen(slots=True)
class ServiceDeskFigures:
    """The KPIs of one group (an agent, a channel, a category, a team or the whole desk).

    See the module for each figure's formula.
    """

    group: str
    opened: int
    per_1000_invoices: Decimal | None
    responded: int
    frt_mean: Decimal | None
    frt_median: Decimal | None
    resolved: int
    ttr_mean: Decimal | None
    ttr_median: Decimal | None
    ttr_p90: Decimal | None
    fcr_count: int
    fcr: Decimal | None
    contacts: int
    aht_minutes: Decimal | None
    csat_responses: int
    csat_average: Decimal | None
    csat_response_rate: Decimal | None
    response_sla: Decimal | None
    resolution_sla: Decimal | None
    reopened: int
    reopen_rate: Decimal | None
    backlog: int
    backlog_age_mean: Decimal | None
    backlog_age_max: Decimal | None


def _hours(seconds: Decimal | int) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(_HOUR, ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / whole).quantize(_SHARE, ROUND_HALF_UP)


def _mean_hours(values: Sequence[int]) -> Decimal | None:
    return None if not values else _hours(Decimal(sum(values)) / len(values))


def _median_hours(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return _hours(ordered[mid])
    return _hours(Decimal(ordered[mid - 1] + ordered[mid]) / 2)


def nearest_rank(values: Sequence[int], percentile: int) -> int | None:
    """The nearest-rank percentile: the value at rank ⌈p/100 × n⌉ of the sorted values.

    Example:
        >>> nearest_rank([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90)
        9
        >>> nearest_rank([3], 90)
        3
    """
    if not 0 < percentile <= 100:
        raise ValidationError("percentile", percentile, "1 to 100")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(percentile * len(ordered) / 100) - 1]


def _window(start: dt.datetime, end: dt.datetime) -> None:
    for field, value in (("start", start), ("end", end)):
        if value.utcoffset() is None:
            raise ValidationError(field, value, "a time-zone aware datetime")
    if end <= start:
        raise ValidationError("end", end.isoformat(), f"after {start.isoformat()}")


def _done_by(inquiry: Inquiry, as_of: dt.datetime) -> bool:
    # Resolved (or closed) by as_of, as the inquiry stands now: one resolved later is
    # still in the backlog of an earlier as_of; one reopened since is in it again.
    return inquiry.resolved_at is not None and inquiry.resolved_at <= as_of


def _decided_on_time(
    cohort: Sequence[Inquiry], as_of: dt.datetime, *, response: bool
) -> tuple[int, int]:
    met = decided = 0
    for inq in cohort:
        due = inq.first_response_due if response else inq.resolution_due
        done = inq.first_response_at if response else inq.resolved_at
        if done is not None and done <= as_of:
            decided += 1
            met += done <= due
        elif as_of > due:
            decided += 1
    return met, decided


@attrs.frozen(slots=True)
class KpiScope:
    """What a service-desk report measures over.

    Attributes:
        hours: The business hours times are measured in.
        start: The window's first instant (aware).
        end: The window's end, excluded (aware, after ``start``).
        as_of: When the figures are taken: responses, resolutions and the backlog as of
            then.
        ratings: CSAT answers by inquiry.
        invoices: Invoices issued in the window, for the volume per 1,000 invoices.

    Raises:
        ValidationError: A naive or empty window.
    """

    hours: BusinessHours
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime
    ratings: Mapping[InquiryId, CsatRating] = attrs.field(factory=dict, eq=False)
    invoices: int | None = None

    def __attrs_post_init__(self) -> None:
        _window(self.start, self.end)


def service_desk_figures(
    group: str, inquiries: Iterable[Inquiry], contacts: Iterable[Contact], scope: KpiScope
) -> ServiceDeskFigures:
    """The KPIs of one group of inquiries (formulas in the module).

    Args:
        group: The group's name on the row.
        inquiries: The inquiries of the group (any; the cohort and the backlog are
            picked from them).
        contacts: The group's contacts (of any inquiry; those of the cohort count).
        scope: The window, the clock and the CSAT answers.
    """
    hours, as_of, end = scope.hours, scope.as_of, scope.end
    every = list(inquiries)
    cohort = [i for i in every if scope.start <= i.opened_at < end]
    ids = {i.id for i in cohort}
    responded = [
        hours.seconds_between(i.opened_at, i.first_response_at)
        for i in cohort
        if i.first_response_at is not None and i.first_response_at <= as_of
    ]
    done = [i for i in cohort if _done_by(i, as_of)]
    ttr = [hours.seconds_between(i.opened_at, i.resolved_at) for i in done if i.resolved_at]
    fcr = sum(1 for i in done if i.first_contact_resolution)
    handled = [s for c in contacts if c.inquiry_id in ids and (s := c.handle_seconds) is not None]
    scores = [scope.ratings[i.id].score for i in done if i.id in scope.ratings]
    ever_resolved = [i for i in cohort if i.first_resolved_at is not None]
    reopened = sum(1 for i in ever_resolved if i.reopen_count > 0)
    backlog = [
        hours.seconds_between(i.opened_at, as_of)
        for i in every
        if not _done_by(i, as_of) and i.opened_at < end and i.opened_at <= as_of
    ]
    met_response, decided_response = _decided_on_time(cohort, as_of, response=True)
    met_resolution, decided_resolution = _decided_on_time(cohort, as_of, response=False)
    invoices = scope.invoices
    return ServiceDeskFigures(
        group=group,
        opened=len(cohort),
        per_1000_invoices=None
        if not invoices
        else (Decimal(len(cohort) * 1000) / invoices).quantize(_HOUR, ROUND_HALF_UP),
        responded=len(responded),
        frt_mean=_mean_hours(responded),
        frt_median=_median_hours(responded),
        resolved=len(done),
        ttr_mean=_mean_hours(ttr),
        ttr_median=_median_hours(ttr),
        ttr_p90=None if not ttr else _hours(nearest_rank(ttr, 90) or 0),
        fcr_count=fcr,
        fcr=_share(fcr, len(done)),
        contacts=len(handled),
        aht_minutes=None
        if not handled
        else (Decimal(sum(handled)) / len(handled) / 60).quantize(_HOUR, ROUND_HALF_UP),
        csat_responses=len(scores),
        csat_average=None
        if not scores
        else (Decimal(sum(scores)) / len(scores)).quantize(_HOUR, ROUND_HALF_UP),
        csat_response_rate=_share(len(scores), len(done)),
        response_sla=_share(met_response, decided_response),
        resolution_sla=_share(met_resolution, decided_resolution),
        reopened=reopened,
        reopen_rate=_share(reopened, len(ever_resolved)),
        backlog=len(backlog),
        backlog_age_mean=_mean_hours(backlog),
        backlog_age_max=None if not backlog else _hours(max(backlog)),
    )


def _inquiry_key(by: GroupBy) -> Callable[[Inquiry], str]:
    if by is GroupBy.AGENT:
        return lambda i: i.assignee or UNASSIGNED
    if by is GroupBy.CHANNEL:
        return lambda i: i.channel.value
    if by is GroupBy.CATEGORY:
        return lambda i: i.category.value
    return lambda i: i.team


def service_desk_report(
    inquiries: Iterable[Inquiry],
    contacts: Iterable[Contact],
    scope: KpiScope,
    *,
    by: GroupBy | None = None,
) -> tuple[ServiceDeskFigures, ...]:
    """The whole desk's figures (group :data:`TEAM`), then one row per group of ``by``.

    Inquiries are grouped by their assignee (:data:`UNASSIGNED` when none), channel,
    category or team. Contacts follow their inquiry's group, except by agent and by
    channel, where a contact counts for the agent who handled it and its own channel:
    so the groups' volumes and contacts add up to the team's.
    """
    every = list(inquiries)
    handled = list(contacts)
    rows = [service_desk_figures(TEAM, every, handled, scope)]
    if by is None:
        return tuple(rows)
    key = _inquiry_key(by)
    groups: dict[str, list[Inquiry]] = defaultdict(list)
    for inq in every:
        groups[key(inq)].append(inq)
    owner = {inq.id: key(inq) for inq in every}
    by_group: dict[str, list[Contact]] = defaultdict(list)
    for contact in handled:
        if by is GroupBy.AGENT:
            name = contact.agent
        elif by is GroupBy.CHANNEL:
            name = contact.channel.value
        else:
            name = owner.get(contact.inquiry_id, UNASSIGNED)
        by_group[name].append(contact)
    for name in sorted(set(groups) | set(by_group)):
        members = groups.get(name, [])
        mine = by_group.get(name, [])
        if by in (GroupBy.AGENT, GroupBy.CHANNEL):
            # A contact counts for its agent or channel even on another group's inquiry:
            # the group's inquiries, and its contacts measured against every cohort.
            base = service_desk_figures(name, members, (), scope)
            measured = service_desk_figures(name, every, mine, scope)
            rows.append(
                attrs.evolve(base, contacts=measured.contacts, aht_minutes=measured.aht_minutes)
            )
        else:
            rows.append(service_desk_figures(name, members, mine, scope))
    return tuple(rows)


@attrs.frozen(slots=True)
class RootCauseTrend:
    """How many inquiries one root cause explained in one month.

    Attributes:
        period: The month the inquiries were resolved in (``2026-10``, book time zone).
        cause: The root cause.
        inquiries: How many were resolved with it.
        billing_defect: Whether the cause is a billing defect.
        customers: The customers who asked.
        documents: Every document the defect affected (for re-rating: the impact analysis
            of ``o2c rerate`` over these customers and dates finds every other one).
    """

    period: str
    cause: RootCause
    inquiries: int
    billing_defect: bool
    customers: tuple[str, ...]
    documents: tuple[str, ...]


def root_cause_trend(
    inquiries: Iterable[Inquiry], *, zone: str = "UTC"
) -> tuple[RootCauseTrend, ...]:
    """Resolved inquiries per month of resolution and root cause, oldest month first.

    Example:
        >>> root_cause_trend([])
        ()
    """
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    buckets: dict[tuple[str, RootCause], list[Inquiry]] = defaultdict(list)
    for inq in inquiries:
        if inq.root_cause is None or inq.resolved_at is None:
            continue
        month = inq.resolved_at.astimezone(tz).strftime("%Y-%m")
        buckets[(month, inq.root_cause)].append(inq)
    return tuple(
        RootCauseTrend(
            period=month,
            cause=cause,
            inquiries=len(found),
            billing_defect=cause.is_billing_defect,
            customers=tuple(sorted({i.customer_id for i in found})),
            documents=tuple(sorted({d for i in found for d in i.affected_documents})),
        )
        for (month, cause), found in sorted(
            buckets.items(), key=lambda kv: (kv[0][0], kv[0][1].value)
        )
    )
