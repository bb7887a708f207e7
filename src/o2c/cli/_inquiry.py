"""``o2c inquiry``: the billing service desk's tickets, and its ``report`` commands.

``o2c inquiry open|list|show|respond|assign|resolve|reopen|close|rate`` work one inquiry;
``audit``, ``escalate-overdue``, ``settings`` and the spawning commands (``dispute``,
``credit-note``, ``refund``, ``extension``) serve leads; ``o2c report service-desk`` and
``o2c report root-causes`` measure the desk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import click

from o2c.cases import Channel, DisputeReason
from o2c.cli._app import (
    Context,
    NounGroup,
    O2CCommand,
    idempotency_option,
    natural_idempotency_option,
    pass_context,
)
from o2c.cli._i18n import _
from o2c.cli._types import AMOUNT, DATE, MONEY, TIMESTAMP
from o2c.money import Money
from o2c.servicedesk import (
    Contact,
    GroupBy,
    Inquiry,
    InquiryCategory,
    InquiryLink,
    InquiryStatus,
    LinkKind,
    Priority,
    RootCause,
    RootCauseTrend,
    ServiceDeskFigures,
    sla_breaches,
)

__all__ = [
    "INQUIRY_COLUMNS",
    "figures_row",
    "inquiry",
    "inquiry_row",
    "root_causes_command",
    "service_desk_command",
]

#: The columns of an inquiry list.
INQUIRY_COLUMNS = (
    "id",
    "opened",
    "customer",
    "channel",
    "category",
    "priority",
    "status",
    "assignee",
    "response_due",
    "resolution_due",
    "breached",
    "subject",
)
_CHANNELS = [c.value for c in Channel]
_STATUSES = [s.value for s in InquiryStatus]


def _when(at: dt.datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="minutes")


def inquiry_row(i: Inquiry, now: dt.datetime | None = None) -> dict[str, object]:
    """One line of an inquiry list (times to the minute, UTC); ``breached``: the SLA
    clocks breached as of ``now`` (empty without it)."""
    breached = () if now is None else sorted(b.value for b in sla_breaches(i, now))
    return {
        "id": i.id,
        "opened": _when(i.opened_at),
        "customer": i.customer_id,
        "channel": i.channel.value,
        "category": i.category.value,
        "priority": i.priority.value,
        "status": i.status.value,
        "assignee": i.assignee,
        "response_due": _when(i.first_response_due),
        "resolution_due": _when(i.resolution_due),
        "breached": ", ".join(breached),
        "subject": i.subject,
    }


def _detail(
    i: Inquiry, now: dt.datetime | None = None, numbers: Mapping[str, str] | None = None
) -> dict[str, object]:
    """The inquiry's fields; ``numbers`` names its documents by number (for people)."""
    named = numbers or {}
    return {
        **inquiry_row(i, now),
        "team": i.team,
        "documents": ", ".join(named.get(d, d) for d in i.documents),
        "dispute": i.dispute_id,
        "payment": i.payment_id,
        "first_response": _when(i.first_response_at),
        "resolved": _when(i.resolved_at),
        "closed": _when(i.closed_at),
        "agent_contacts": i.agent_contacts,
        "reopened": i.reopen_count,
        "first_contact_resolution": i.first_contact_resolution,
        "root_cause": None if i.root_cause is None else i.root_cause.value,
        "affected_documents": ", ".join(named.get(d, d) for d in i.affected_documents),
        "resolution": i.resolution,
        "escalations": ", ".join(sorted(e.value for e in i.escalations)),
    }


def _contact_row(c: Contact) -> dict[str, object]:
    seconds = c.handle_seconds
    return {
        "note": c.note_id,
        "started": _when(c.started),
        "agent": c.agent,
        "channel": c.channel.value,
        "minutes": None if seconds is None else f"{seconds // 60}:{seconds % 60:02d}",
        "summary": c.summary,
    }


def _link_row(x: InquiryLink) -> dict[str, object]:
    return {"kind": x.kind.value, "id": x.target_id, "spawned": x.spawned}


def _numbers(obj: Context, i: Inquiry) -> dict[str, str]:
    """The numbers of the inquiry's documents, for a table a person reads."""
    return obj.book().document_numbers([*i.documents, *i.affected_documents])


def _show(obj: Context, i: Inquiry, title: str) -> None:
    if obj.output.value == "table":
        obj.emit(_detail(i, numbers=_numbers(obj, i)), title=title)
    else:
        obj.emit(_detail(i))


@click.group("inquiry", cls=NounGroup)
def inquiry() -> None:
    """The service desk: customers' questions from opening to close, with SLAs and CSAT."""


@inquiry.command("open")
@click.argument("customer")
@click.option("--subject", required=True, help="The question in a line.")
@click.option("--channel", required=True, type=click.Choice(_CHANNELS), help="How it came.")
@click.option("--category", required=True, type=click.Choice([c.value for c in InquiryCategory]))
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority]),
    default="normal",
    show_default=True,
)
@click.option("--invoice", "invoices", multiple=True, metavar="NUMBER", help="About it; repeat.")
@click.option("--dispute", metavar="ID", help="About this dispute.")
@click.option("--payment", metavar="ID", help="About this payment.")
@click.option("--team", default="billing", show_default=True, help="The owning team.")
@click.option("--assignee", metavar="AGENT", help="Who works it (default: who responds).")
@click.option("--at", "opened_at", type=TIMESTAMP, help="When it came (default: now).")
@idempotency_option
@pass_context
def inquiry_open(
    obj: Context,
    customer: str,
    subject: str,
    channel: str,
    category: str,
    priority: str,
    invoices: tuple[str, ...],
    dispute: str | None,
    payment: str | None,
    team: str,
    assignee: str | None,
    opened_at: dt.datetime | None,
    idempotency_key: str | None,
) -> None:
    """Open an inquiry of CUSTOMER; its SLA due times count business hours."""
    done = obj.book().open_inquiry(
        customer,
        subject=subject,
        channel=channel,
        category=category,
        priority=priority,
        documents=invoices,
        dispute=dispute,
        payment=payment,
        team=team,
        assignee=assignee,
        opened_at=opened_at,
        idempotency_key=idempotency_key,
    )
    _show(obj, done, _("Inquiry {id} opened").format(id=done.id))


@inquiry.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's.")
@click.option("--status", type=click.Choice(_STATUSES), help="Only this status.")
@click.option("--assignee", metavar="AGENT", help="Only this agent's.")
@click.option("--dispute", metavar="ID", help="Only those about or spawning this dispute.")
@click.option("--invoice", metavar="ID", help="Only those about this document (its id).")
@pass_context
def inquiry_list(
    obj: Context,
    customer: str | None,
    status: str | None,
    assignee: str | None,
    dispute: str | None,
    invoice: str | None,
) -> None:
    """List inquiries in the order they were opened."""
    if dispute and invoice:
        raise click.UsageError(_("give --dispute or --invoice, not both"))
    linked: tuple[LinkKind, str] | None = None
    if dispute:
        linked = (LinkKind.DISPUTE, dispute)
    elif invoice:
        linked = (LinkKind.DOCUMENT, invoice)
    found = obj.book().list_inquiries(
        customer=customer, status=status, assignee=assignee, linked_to=linked
    )
    now = obj.now()
    obj.emit([inquiry_row(i, now) for i in found], columns=INQUIRY_COLUMNS)


@inquiry.command("show")
@click.argument("inquiry_id")
@pass_context
def inquiry_show(obj: Context, inquiry_id: str) -> None:
    """Show INQUIRY_ID with its contacts, links and CSAT answer."""
    book = obj.book()
    found = book.get_inquiry(inquiry_id)
    table = obj.output.value == "table"
    detail = _detail(found, obj.now(), _numbers(obj, found) if table else None)
    rating = book.inquiry_rating(found.id)
    detail["csat"] = None if rating is None else rating.score
    detail["csat_comment"] = None if rating is None else rating.comment
    contacts = [_contact_row(c) for c in book.inquiry_contacts(found.id)]
    links = [_link_row(x) for x in book.inquiry_links(found.id)]
    if obj.output.value != "table":
        obj.emit({**detail, "contacts": contacts, "links": links})
        return
    obj.emit(detail, title=_("Inquiry {id}").format(id=found.id))
    if contacts:
        obj.emit(contacts, title=_("Contacts"))
    if links:
        obj.emit(links, title=_("Links"))


def _contact(
    obj: Context,
    started: dt.datetime | None,
    ended: dt.datetime | None,
    minutes: int | None,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    # Without --started the Book takes its own "now" inside the command (so that a retry
    # with the same --idempotency-key repeats the same command); --minutes needs a start.
    if minutes is not None and ended is not None:
        raise click.UsageError(_("give --ended or --minutes, not both"))
    if minutes is None:
        return started, ended
    start = started or obj.now()
    return start, start + dt.timedelta(minutes=minutes)


_STARTED = click.option("--started", type=TIMESTAMP, help="When the contact started (now).")
_ENDED = click.option("--ended", type=TIMESTAMP, help="When it ended.")
_MINUTES = click.option("--minutes", type=click.IntRange(min=0), help="Or: how long it took.")


@inquiry.command("respond")
@click.argument("inquiry_id")
@click.option("--summary", required=True, help="What was said.")
@click.option("--channel", type=click.Choice(_CHANNELS), help="How (default: the inquiry's).")
@_STARTED
@_ENDED
@_MINUTES
@click.option(
    "--wait",
    type=click.Choice(["customer", "internal"]),
    help="Then wait on the customer or on an internal team.",
)
@idempotency_option
@pass_context
def inquiry_respond(
    obj: Context,
    inquiry_id: str,
    summary: str,
    channel: str | None,
    started: dt.datetime | None,
    ended: dt.datetime | None,
    minutes: int | None,
    wait: str | None,
    idempotency_key: str | None,
) -> None:
    """Record a contact on INQUIRY_ID (the first one is the first response)."""
    start, end = _contact(obj, started, ended, minutes)
    then = InquiryStatus.OPEN if wait is None else InquiryStatus(f"waiting_on_{wait}")
    done = obj.book().respond_to_inquiry(
        inquiry_id,
        summary=summary,
        channel=channel,
        started=start,
        ended=end,
        then=then,
        idempotency_key=idempotency_key,
    )
    _show(obj, done, _("Inquiry {id} is {status}").format(id=done.id, status=done.status.value))


@inquiry.command("assign")
@click.argument("inquiry_id")
@click.argument("agent")
@click.option("--team", help="Move it to this team too.")
@idempotency_option
@pass_context
def inquiry_assign(
    obj: Context, inquiry_id: str, agent: str, team: str | None, idempotency_key: str | None
) -> None:
    """Give INQUIRY_ID to AGENT."""
    done = obj.book().assign_inquiry(inquiry_id, agent, team=team, idempotency_key=idempotency_key)
    _show(obj, done, _("Inquiry {id} assigned to {agent}").format(id=done.id, agent=agent))


@inquiry.command("resolve")
@click.argument("inquiry_id")
@click.option("--cause", required=True, type=click.Choice([c.value for c in RootCause]))
@click.option("--resolution", required=True, help="What was done.")
@click.option(
    "--affected", multiple=True, metavar="NUMBER", help="A document the defect hit; repeat."
)
@click.option("--at", type=TIMESTAMP, help="When (default: now, or the contact's end).")
@click.option("--contact", "contact_summary", help="Resolved in this contact (its summary).")
@click.option("--channel", type=click.Choice(_CHANNELS), help="The contact's channel.")
@_STARTED
@_ENDED
@_MINUTES
@idempotency_option
@pass_context
def inquiry_resolve(
    obj: Context,
    inquiry_id: str,
    cause: str,
    resolution: str,
    affected: tuple[str, ...],
    at: dt.datetime | None,
    contact_summary: str | None,
    channel: str | None,
    started: dt.datetime | None,
    ended: dt.datetime | None,
    minutes: int | None,
    idempotency_key: str | None,
) -> None:
    """Resolve INQUIRY_ID with its root cause (and, for a defect, what it affected)."""
    contact = None
    if contact_summary is not None:
        start, end = _contact(obj, started, ended, minutes)
        contact = (channel, start, end, contact_summary)
    elif started or ended or minutes is not None or channel:
        raise click.UsageError(_("--channel, --started, --ended and --minutes need --contact"))
    done = obj.book().resolve_inquiry(
        inquiry_id,
        root_cause=cause,
        resolution=resolution,
        affected_documents=affected,
        at=at,
        contact=contact,
        idempotency_key=idempotency_key,
    )
    _show(obj, done, _("Inquiry {id} resolved").format(id=done.id))


@inquiry.command("reopen")
@click.argument("inquiry_id")
@click.option("--reason", required=True, help="Why the customer came back.")
@click.option("--at", type=TIMESTAMP, help="When (default: now).")
@idempotency_option
@pass_context
def inquiry_reopen(
    obj: Context,
    inquiry_id: str,
    reason: str,
    at: dt.datetime | None,
    idempotency_key: str | None,
) -> None:
    """Reopen resolved INQUIRY_ID."""
    done = obj.book().reopen_inquiry(
        inquiry_id, reason=reason, at=at, idempotency_key=idempotency_key
    )
    _show(obj, done, _("Inquiry {id} reopened").format(id=done.id))


@inquiry.command("close")
@click.argument("inquiry_id")
@click.option("--at", type=TIMESTAMP, help="When (default: now).")
@idempotency_option
@pass_context
def inquiry_close(
    obj: Context, inquiry_id: str, at: dt.datetime | None, idempotency_key: str | None
) -> None:
    """Close resolved INQUIRY_ID (final: it can no longer be reopened)."""
    done = obj.book().close_inquiry(inquiry_id, at=at, idempotency_key=idempotency_key)
    _show(obj, done, _("Inquiry {id} closed").format(id=done.id))


@inquiry.command("rate")
@click.argument("inquiry_id")
@click.argument("score", type=click.IntRange(1, 5))
@click.option("--comment", default="", help="The customer's words.")
@click.option("--at", type=TIMESTAMP, help="When the customer answered (default: now).")
@idempotency_option
@pass_context
def inquiry_rate(
    obj: Context,
    inquiry_id: str,
    score: int,
    comment: str,
    at: dt.datetime | None,
    idempotency_key: str | None,
) -> None:
    """Record the customer's CSAT SCORE (1-5) for resolved INQUIRY_ID."""
    rating = obj.book().rate_inquiry(
        inquiry_id, score, comment=comment, rated_at=at, idempotency_key=idempotency_key
    )
    row = {
        "inquiry": rating.inquiry_id,
        "score": rating.score,
        "comment": rating.comment,
        "rated": _when(rating.rated_at),
    }
    obj.emit(row, title=_("CSAT recorded") if obj.output.value == "table" else None)


@inquiry.command("audit")
@click.argument("inquiry_id")
@click.argument("note")
@click.option("--score", required=True, type=click.IntRange(0, 100), help="0-100.")
@click.option("--feedback", required=True, help="What went well, what to improve.")
@idempotency_option
@pass_context
def inquiry_audit(
    obj: Context,
    inquiry_id: str,
    note: str,
    score: int,
    feedback: str,
    idempotency_key: str | None,
) -> None:
    """Audit the quality of contact NOTE of INQUIRY_ID (not your own)."""
    done = obj.book().audit_inquiry_contact(
        inquiry_id, note, score=score, feedback=feedback, idempotency_key=idempotency_key
    )
    obj.emit(
        {
            "id": done.id,
            "inquiry": done.inquiry_id,
            "note": done.note_id,
            "auditor": done.auditor,
            "score": done.score,
            "feedback": done.feedback,
        }
    )


@inquiry.command("escalate-overdue")
@click.option("--as-of", type=TIMESTAMP, help="Measure the SLAs then (default: now).")
@natural_idempotency_option("an inquiry is escalated once per SLA clock")
@pass_context
def inquiry_escalate(obj: Context, as_of: dt.datetime | None) -> None:
    """Escalate every active inquiry past a response or resolution due time."""
    book = obj.book()
    done = book.escalate_overdue_inquiries(as_of)
    now = as_of or book.now()
    obj.emit([inquiry_row(i, now) for i in done], columns=INQUIRY_COLUMNS)


@inquiry.command("settings")
@click.argument("assignments", nargs=-1, metavar="[KEY=VALUE]...")
@natural_idempotency_option("setting a key to a value twice leaves it as it was")
@pass_context
def inquiry_settings(obj: Context, assignments: tuple[str, ...]) -> None:
    """Show or change the desk's hours and SLA targets (servicedesk.* keys).

    servicedesk.hours=09:00-18:00; servicedesk.sla.<priority>=4/24 (business hours to
    respond / to resolve); servicedesk.sla.<category>.<priority>=1/8. An empty value
    removes a key.
    """
    book = obj.book()
    changes = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep:
            raise click.BadParameter(
                _("{text} is not KEY=VALUE").format(text=text), param_hint="KEY=VALUE"
            )
        changes[key.strip()] = value.strip()
    if changes:
        book.set_service_desk_settings(changes)
    policy, hours = book.service_desk_policy()
    rows: list[dict[str, object]] = [
        {"key": "servicedesk.hours", "value": f"{hours.opens:%H:%M}-{hours.closes:%H:%M}"}
    ]
    rows += [{"key": f"servicedesk.sla.{p.value}", "value": str(t)} for p, t in policy.by_priority]
    rows += [
        {"key": f"servicedesk.sla.{c.value}.{p.value}", "value": str(t)}
        for c, p, t in policy.overrides
    ]
    obj.emit(rows, columns=("key", "value"))


def _spawned(obj: Context, links: list[tuple[LinkKind, str]], inquiry_id: str) -> None:
    rows = [{"inquiry": inquiry_id, "kind": k.value, "id": t} for k, t in links]
    obj.emit(rows, columns=("inquiry", "kind", "id"))


def _money(
    obj: Context, amount: Money | Decimal | None, document: str | None, inq: str
) -> Money | None:
    if not isinstance(amount, Decimal):
        return amount
    book = obj.book()
    target = document or next(iter(book.get_inquiry(inq).documents), None)
    if target is None:
        raise click.UsageError(_("give the amount with its currency, e.g. 10.00 USD"))
    return Money(amount, book.get_document(target).currency)


@inquiry.command("dispute")
@click.argument("inquiry_id")
@click.option("--reason", required=True, type=click.Choice([r.value for r in DisputeReason]))
@click.option("--invoice", metavar="NUMBER", help="The invoice (default: the inquiry's one).")
@click.option("--amount", type=AMOUNT, help="Disputed amount (default: as open-dispute does).")
@click.option("--line", "lines", type=int, multiple=True, help="A disputed line; repeat.")
@idempotency_option
@pass_context
def inquiry_dispute(
    obj: Context,
    inquiry_id: str,
    reason: str,
    invoice: str | None,
    amount: Money | Decimal | None,
    lines: tuple[int, ...],
    idempotency_key: str | None,
) -> None:
    """Open a dispute from INQUIRY_ID, linked both ways."""
    _inq, links = obj.book().inquiry_dispute(
        inquiry_id,
        reason=reason,
        document=invoice,
        amount=_money(obj, amount, invoice, inquiry_id),
        lines=lines,
        idempotency_key=idempotency_key,
    )
    _spawned(obj, links, inquiry_id)


@inquiry.command("credit-note")
@click.argument("inquiry_id")
@click.option("--reason", required=True, help="Reason code (wrong_price, goodwill...).")
@click.option("--invoice", metavar="NUMBER", help="The invoice (default: the inquiry's one).")
@click.option("--amount", type=AMOUNT, help="Credit this amount (default: the whole invoice).")
@idempotency_option
@pass_context
def inquiry_credit_note(
    obj: Context,
    inquiry_id: str,
    reason: str,
    invoice: str | None,
    amount: Money | Decimal | None,
    idempotency_key: str | None,
) -> None:
    """Request a credit note from INQUIRY_ID (held for approval above the limit)."""
    _inq, links = obj.book().inquiry_credit_note(
        inquiry_id,
        reason=reason,
        document=invoice,
        amount=_money(obj, amount, invoice, inquiry_id),
        idempotency_key=idempotency_key,
    )
    _spawned(obj, links, inquiry_id)


@inquiry.command("refund")
@click.argument("inquiry_id")
@click.argument("source")
@click.argument("amount", type=MONEY)
@click.option("--reason", default="", help="Why.")
@idempotency_option
@pass_context
def inquiry_refund(
    obj: Context,
    inquiry_id: str,
    source: str,
    amount: Money,
    reason: str,
    idempotency_key: str | None,
) -> None:
    """Request a refund of AMOUNT of customer credit SOURCE from INQUIRY_ID."""
    _inq, links = obj.book().inquiry_refund(
        inquiry_id, source, amount, reason=reason, idempotency_key=idempotency_key
    )
    _spawned(obj, links, inquiry_id)


@inquiry.command("extension")
@click.argument("inquiry_id")
@click.argument("new_due", type=DATE)
@click.option("--invoice", metavar="NUMBER", help="The invoice (default: the inquiry's one).")
@click.option("--reason", default="", help="Why.")
@idempotency_option
@pass_context
def inquiry_extension(
    obj: Context,
    inquiry_id: str,
    new_due: dt.date,
    invoice: str | None,
    reason: str,
    idempotency_key: str | None,
) -> None:
    """Grant (or request) a payment extension to NEW_DUE from INQUIRY_ID."""
    _inq, links = obj.book().inquiry_extension(
        inquiry_id, new_due, document=invoice, reason=reason, idempotency_key=idempotency_key
    )
    _spawned(obj, links, inquiry_id)


@inquiry.command("impact")
@click.argument("inquiry_id")
@click.option("--from", "start", type=DATE, help="First issue date (default: affected docs').")
@click.option("--to", "end", type=DATE, help="Last issue date (default: affected docs').")
@pass_context
def inquiry_impact(
    obj: Context, inquiry_id: str, start: dt.date | None, end: dt.date | None
) -> None:
    """Every customer's invoice the billing defect of INQUIRY_ID affected (a dry run).

    Re-rates the invoices issued on the affected documents' dates (or --from..--to) with the
    corrected data, writing nothing; `o2c rerate --apply` issues the fixes.
    """
    from o2c.cli._rerate import ROW_COLUMNS, rerate_rows, rerate_summary

    result = obj.book().inquiry_impact(inquiry_id, start=start, end=end)
    rows = rerate_rows(result)
    if obj.output.value == "json":
        obj.emit({"rows": rows, "summary": rerate_summary(result)})
        return
    obj.emit(rows, columns=ROW_COLUMNS)


# -- reports ----------------------------------------------------------------------------


def figures_row(f: ServiceDeskFigures) -> dict[str, object]:
    """One group's figures (``None`` where there is nothing to measure)."""
    return {name: getattr(f, name) for name in _FIGURE_NAMES}


#: The figures of a service-desk report, in order (formulas: :mod:`o2c.servicedesk`).
_FIGURE_NAMES = (
    "group",
    "opened",
    "per_1000_invoices",
    "responded",
    "frt_mean",
    "frt_median",
    "resolved",
    "ttr_mean",
    "ttr_median",
    "ttr_p90",
    "fcr_count",
    "fcr",
    "contacts",
    "aht_minutes",
    "csat_responses",
    "csat_average",
    "csat_response_rate",
    "response_sla",
    "resolution_sla",
    "reopened",
    "reopen_rate",
    "backlog",
    "backlog_age_mean",
    "backlog_age_max",
)


@click.command("service-desk", cls=O2CCommand)
@click.option("--from", "start", required=True, type=DATE, help="First day opened.")
@click.option("--to", "end", required=True, type=DATE, help="Last day opened, inclusive.")
@click.option(
    "--by", type=click.Choice([g.value for g in GroupBy]), help="Split the team's figures."
)
@click.option("--as-of", type=TIMESTAMP, help="Measure then (default: now).")
@pass_context
def service_desk_command(
    obj: Context, start: dt.date, end: dt.date, by: str | None, as_of: dt.datetime | None
) -> None:
    """The desk's KPIs over inquiries opened --from..--to (hours are business hours).

    FRT and time to resolution (mean, median, p90), first-contact resolution, average
    handle time (minutes), CSAT (missing answers left out) and its response rate, SLA
    adherence, reopen rate, volume (per 1,000 invoices), backlog and its age. The first
    row is the team's; never split by currency.
    """
    rows = obj.book().service_desk_report(start, end, by=by, as_of=as_of)
    title = _("Service desk {start} to {end}").format(start=start, end=end)
    obj.emit(
        [figures_row(r) for r in rows],
        columns=_FIGURE_NAMES,
        title=title if obj.output.value == "table" else None,
    )


def _trend_row(t: RootCauseTrend) -> dict[str, object]:
    return {
        "period": t.period,
        "cause": t.cause.value,
        "inquiries": t.inquiries,
        "billing_defect": t.billing_defect,
        "customers": ", ".join(t.customers),
        "documents": ", ".join(t.documents),
    }


@click.command("root-causes", cls=O2CCommand)
@click.option("--from", "start", required=True, type=DATE, help="First day resolved.")
@click.option("--to", "end", required=True, type=DATE, help="Last day resolved, inclusive.")
@pass_context
def root_causes_command(obj: Context, start: dt.date, end: dt.date) -> None:
    """Resolved inquiries per month and root cause, with the documents each defect hit.

    Feed a billing defect's customers and dates to `o2c rerate` to find every other
    invoice it affected.
    """
    rows = [_trend_row(t) for t in obj.book().root_cause_trend(start, end)]
    obj.emit(
        rows, columns=("period", "cause", "inquiries", "billing_defect", "customers", "documents")
    )
