"""The billing service desk: inquiries (tickets), SLAs in business hours, CSAT, KPIs.

A pure core: values and functions, no I/O and no clock. :class:`Inquiry` moves through
its states with :func:`respond`, :func:`assign`, :func:`resolve`, :func:`reopen`,
:func:`close` and :func:`escalate` (each refuses an illegal move with
:class:`InquiryMoveRefused`); its SLA due times come from an :class:`InquirySlaPolicy`
and the desk's :class:`BusinessHours`; :func:`service_desk_report` measures a team.
The Book stores inquiries and their contacts (:meth:`o2c.Book.open_inquiry` ...).
"""

from o2c.servicedesk._hours import BusinessHours, parse_hours
from o2c.servicedesk._inquiry import (
    ACTIVE,
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
    check_actor,
    close,
    escalate,
    reopen,
    resolve,
    respond,
)
from o2c.servicedesk._kpis import (
    TEAM,
    UNASSIGNED,
    GroupBy,
    KpiScope,
    RootCauseTrend,
    ServiceDeskFigures,
    nearest_rank,
    root_cause_trend,
    service_desk_figures,
    service_desk_report,
)
from o2c.servicedesk._records import Contact, CsatRating, InquiryLink, LinkKind, QualityAudit
from o2c.servicedesk._sla import (
    DEFAULT_TARGETS,
    SERVICE_DESK_PREFIX,
    InquirySlaPolicy,
    SlaTarget,
    hours_from_settings,
    sla_breaches,
    sla_policy_from_settings,
)

__all__ = [
    "ACTIVE",
    "DEFAULT_TARGETS",
    "SERVICE_DESK_PREFIX",
    "TEAM",
    "UNASSIGNED",
    "BusinessHours",
    "Contact",
    "CsatRating",
    "GroupBy",
    "Inquiry",
    "InquiryCategory",
    "InquiryId",
    "InquiryLink",
    "InquiryMove",
    "InquiryMoveRefused",
    "InquirySlaPolicy",
    "InquiryStatus",
    "KpiScope",
    "LinkKind",
    "Priority",
    "QualityAudit",
    "RootCause",
    "RootCauseTrend",
    "ServiceDeskFigures",
    "SlaKind",
    "SlaTarget",
    "assign",
    "check_actor",
    "close",
    "escalate",
    "hours_from_settings",
    "nearest_rank",
    "parse_hours",
    "reopen",
    "resolve",
    "respond",
    "root_cause_trend",
    "service_desk_figures",
    "service_desk_report",
    "sla_breaches",
    "sla_policy_from_settings",
]
