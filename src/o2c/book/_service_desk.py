"""The service desk's group of Book commands and queries: inquiries, CSAT, KPIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from o2c.billing import ReasonCode
from o2c.book import _inquiries as inquiries
from o2c.book import _inquiry_cases as cases
from o2c.book._area import Area
from o2c.book._rerate import RerateResult
from o2c.book._tables import inquiries as table
from o2c.cases import Channel, DisputeReason
from o2c.money import Money
from o2c.servicedesk import (
    BusinessHours,
    Contact,
    CsatRating,
    GroupBy,
    Inquiry,
    InquiryCategory,
    InquiryLink,
    InquirySlaPolicy,
    InquiryStatus,
    LinkKind,
    Priority,
    QualityAudit,
    RootCause,
    RootCauseTrend,
    ServiceDeskFigures,
)

__all__ = ["ServiceDeskMixin"]

#: What a spawning command returns: the inquiry and what it linked (kind, id).
Spawn = tuple[Inquiry, list[tuple[LinkKind, str]]]
#: A contact: channel (None: the inquiry's), started, ended, summary.
ContactInput = inquiries.ContactInput


class ServiceDeskMixin(Area):
    """Inquiries (tickets) from opening to close, their CSAT, audits and KPIs."""

    def open_inquiry(
        self,
        customer: str,
        *,
        subject: str,
        channel: Channel | str,
        category: InquiryCategory | str,
        priority: Priority | str = Priority.NORMAL,
        documents: Iterable[str] = (),
        dispute: str | None = None,
        payment: str | None = None,
        team: str = "billing",
        assignee: str | None = None,
        opened_at: dt.datetime | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Open an inquiry: its SLA due times count business hours from ``opened_at``.

        Args:
            customer: Who asks.
            subject: The question in a line.
            channel: How it reached us (``phone``, ``email``...).
            category: What it is about (``price_question``, ``tax``...).
            priority: ``low``, ``normal`` (default), ``high`` or ``urgent``.
            documents: The invoices (ids or numbers) it is about, the customer's.
            dispute: The dispute it is about.
            payment: The payment it is about.
            team: The team that owns it.
            assignee: Who works it (by default the first agent who responds).
            opened_at: When it reached us; now by default.
            actor: Who records it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            NotFound: An unknown customer, document, dispute or payment.
            ValidationError: A document or dispute of another customer, a bad value.
        """
        return inquiries.open_inquiry(
            self._session,
            customer,
            subject=subject,
            channel=channel,
            category=category,
            priority=priority,
            documents=documents,
            dispute=dispute,
            payment=payment,
            team=team,
            assignee=assignee,
            opened_at=opened_at,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def respond_to_inquiry(
        self,
        inquiry: str,
        *,
        summary: str,
        channel: Channel | str | None = None,
        started: dt.datetime | None = None,
        ended: dt.datetime | None = None,
        then: InquiryStatus | str = InquiryStatus.OPEN,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Record an agent's contact on an inquiry (an interaction note of the book).

        The first one is the first response. Afterwards the inquiry is ``open``, or
        ``waiting_on_customer`` / ``waiting_on_internal`` (``then``).

        Raises:
            InquiryMoveRefused: The inquiry is resolved or closed.
        """
        return inquiries.respond_to_inquiry(
            self._session,
            inquiry,
            summary=summary,
            channel=channel,
            started=started,
            ended=ended,
            then=then,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def assign_inquiry(
        self,
        inquiry: str,
        assignee: str,
        *,
        team: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Give an inquiry to an agent (and team).

        Raises:
            InquiryMoveRefused: The inquiry is closed.
        """
        return inquiries.assign_inquiry(
            self._session,
            inquiry,
            assignee,
            team=team,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def resolve_inquiry(
        self,
        inquiry: str,
        *,
        root_cause: RootCause | str,
        resolution: str,
        affected_documents: Iterable[str] = (),
        at: dt.datetime | None = None,
        contact: ContactInput | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Resolve an inquiry with its root cause (and the documents a defect affected).

        Args:
            inquiry: The inquiry id.
            root_cause: Why the customer asked (``pricing_setup``, ``tax``...).
            resolution: What was done.
            affected_documents: For a billing defect, the documents it affected.
            at: When; now (or the contact's start) by default.
            contact: The contact it was resolved in, ``(channel, started, ended,
                summary)``: it counts as an agent contact (and as the first response
                if none came before).
            actor: Who resolves it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InquiryMoveRefused: The inquiry is already resolved or closed.
            ValidationError: Affected documents on a cause that is no billing defect.
        """
        return inquiries.resolve_inquiry(
            self._session,
            inquiry,
            root_cause=root_cause,
            resolution=resolution,
            affected_documents=affected_documents,
            at=at,
            contact=contact,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def reopen_inquiry(
        self,
        inquiry: str,
        *,
        reason: str,
        at: dt.datetime | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Reopen a resolved inquiry (it counts in the reopen rate).

        Raises:
            InquiryMoveRefused: The inquiry is not resolved (a closed one is final).
        """
        return inquiries.reopen_inquiry(
            self._session,
            inquiry,
            reason=reason,
            at=at,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def close_inquiry(
        self,
        inquiry: str,
        *,
        at: dt.datetime | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Inquiry:
        """Close a resolved inquiry; it can no longer be reopened.

        Raises:
            InquiryMoveRefused: The inquiry is not resolved.
        """
        return inquiries.close_inquiry(
            self._session, inquiry, at=at, actor=actor, idempotency_key=idempotency_key
        )

    def rate_inquiry(
        self,
        inquiry: str,
        score: int,
        *,
        comment: str = "",
        rated_at: dt.datetime | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CsatRating:
        """Record the customer's CSAT answer (1-5) to a resolved or closed inquiry, once.

        Raises:
            InquiryMoveRefused: The inquiry is not resolved or closed.
            InvalidState: It was already rated.
            ValidationError: A score outside 1-5.
        """
        return inquiries.rate_inquiry(
            self._session,
            inquiry,
            score,
            comment=comment,
            rated_at=rated_at,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def audit_inquiry_contact(
        self,
        inquiry: str,
        note: str,
        *,
        score: int,
        feedback: str,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> QualityAudit:
        """A lead's quality audit (score 0-100 and feedback) of one contact of an inquiry.

        Raises:
            NotFound: The note is not a contact of the inquiry.
            PermissionDenied: The auditor handled the contact.
        """
        return inquiries.audit_contact(
            self._session,
            inquiry,
            note,
            score=score,
            feedback=feedback,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def escalate_overdue_inquiries(
        self, as_of: dt.datetime | None = None, *, actor: str | None = None
    ) -> list[Inquiry]:
        """Escalate every active inquiry past a first-response or resolution due time
        (once per clock); return those escalated now."""
        return inquiries.escalate_overdue_inquiries(self._session, as_of, actor=actor)

    def set_service_desk_settings(
        self, settings: Mapping[str, str], *, actor: str | None = None
    ) -> dict[str, str]:
        """Change the desk's settings: ``servicedesk.hours`` (``09:00-18:00``) and SLA
        targets ``servicedesk.sla.<priority>`` / ``.<category>.<priority>`` (``4/24``
        business hours to respond / resolve); an empty value removes a key.

        Raises:
            ValidationError: A bad key or value (nothing changes).
        """
        return inquiries.set_service_desk_settings(self._session, settings, actor=actor)

    def inquiry_dispute(
        self,
        inquiry: str,
        *,
        reason: DisputeReason | str,
        document: str | None = None,
        amount: Money | None = None,
        lines: Iterable[int] = (),
        description: str = "",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spawn:
        """Open a dispute (:meth:`open_dispute`) from an inquiry, linked both ways.

        ``document`` defaults to the inquiry's one invoice.
        """
        return cases.inquiry_dispute(
            self._session,
            inquiry,
            reason=reason,
            document=document,
            amount=amount,
            lines=lines,
            description=description,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def inquiry_credit_note(
        self,
        inquiry: str,
        *,
        reason: ReasonCode | str,
        document: str | None = None,
        quantities: Mapping[int, Decimal | None] | None = None,
        amount: Money | None = None,
        reason_text: str = "",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spawn:
        """Request a credit note (:meth:`request_credit_note`) from an inquiry: the credit
        note, or its approval request above the limit, linked both ways."""
        return cases.inquiry_credit_note(
            self._session,
            inquiry,
            reason=reason,
            document=document,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def inquiry_refund(
        self,
        inquiry: str,
        source: str,
        amount: Money,
        *,
        reason: str = "",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spawn:
        """Request a refund (:meth:`request_refund`) of customer credit from an inquiry."""
        return cases.inquiry_refund(
            self._session,
            inquiry,
            source,
            amount,
            reason=reason,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def inquiry_extension(
        self,
        inquiry: str,
        new_due: dt.date,
        *,
        document: str | None = None,
        reason: str = "",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spawn:
        """Grant a payment extension (:meth:`grant_extension`) from an inquiry."""
        return cases.inquiry_extension(
            self._session,
            inquiry,
            new_due,
            document=document,
            reason=reason,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    # -- queries ------------------------------------------------------------------------

    def get_inquiry(self, inquiry: str) -> Inquiry:
        """The inquiry with this id.

        Raises:
            NotFound: No such inquiry.
        """
        return inquiries.get_inquiry(self._session, inquiry)

    def list_inquiries(
        self,
        *,
        customer: str | None = None,
        status: InquiryStatus | str | None = None,
        assignee: str | None = None,
        linked_to: tuple[LinkKind | str, str] | None = None,
    ) -> list[Inquiry]:
        """Inquiries in the order they opened, filtered; ``linked_to=("dispute", id)``:
        those about or spawning that dispute (document, refund, approval...)."""
        found = table.list_inquiries(
            self._session.store,
            customer=customer,
            statuses=() if status is None else [InquiryStatus(status)],
            assignee=assignee,
        )
        if linked_to is None:
            return found
        kind, target = LinkKind(linked_to[0]), linked_to[1]
        ids = {x.inquiry_id for x in table.inquiries_linked_to(self._session.store, kind, target)}
        return [i for i in found if i.id in ids]

    def inquiry_contacts(self, inquiry: str) -> list[Contact]:
        """The agents' contacts of an inquiry, in the order they started."""
        return table.contacts_of(
            self._session.store, [inquiries.get_inquiry(self._session, inquiry).id]
        )

    def inquiry_events(self, inquiry: str) -> list[dict[str, object]]:
        """What happened to an inquiry, in order (seq, kind, at, actor, status, note)."""
        return list(
            table.list_events(self._session.store, inquiries.get_inquiry(self._session, inquiry).id)
        )

    def inquiry_links(self, inquiry: str) -> list[InquiryLink]:
        """What an inquiry is about and what it spawned."""
        return table.links_of(self._session.store, inquiry)

    def inquiry_rating(self, inquiry: str) -> CsatRating | None:
        """The CSAT answer of an inquiry, if the customer gave one."""
        return table.get_rating(self._session.store, inquiry)

    def list_inquiry_audits(self, inquiry: str | None = None) -> list[QualityAudit]:
        """Quality audits of contacts (of one inquiry), oldest first."""
        return table.list_audits(self._session.store, inquiry)

    def service_desk_policy(self) -> tuple[InquirySlaPolicy, BusinessHours]:
        """The SLA targets and the business hours they count in."""
        return inquiries.service_desk_policy(self._session)

    def service_desk_report(
        self,
        start: dt.date,
        end: dt.date,
        *,
        by: GroupBy | str | None = None,
        as_of: dt.datetime | None = None,
    ) -> tuple[ServiceDeskFigures, ...]:
        """The desk's KPIs over the inquiries opened ``start`` to ``end`` (included).

        The first row is the team's, then one per agent, channel, category or team
        (``by``). Formulas: :mod:`o2c.servicedesk` (``_kpis``); never per currency.
        """
        return cases.service_desk_figures_between(self._session, start, end, by=by, as_of=as_of)

    def inquiry_impact(
        self, inquiry: str, *, start: dt.date | None = None, end: dt.date | None = None
    ) -> RerateResult:
        """Every invoice (of any customer) the inquiry's billing defect affected: the
        re-rating impact analysis (a dry run) of the invoices issued ``start`` to ``end``,
        by default the issue dates of its affected documents. Apply the fixes with
        :meth:`rerate` (``apply=True``) once the source data is corrected.

        Raises:
            InvalidState: The inquiry is not resolved with a billing-defect root cause.
        """
        return cases.inquiry_impact(self._session, inquiry, start=start, end=end)

    def root_cause_trend(self, start: dt.date, end: dt.date) -> tuple[RootCauseTrend, ...]:
        """Inquiries resolved ``start`` to ``end`` per month and root cause, with the
        customers and the documents each billing defect affected."""
        return cases.root_causes(self._session, start, end)
