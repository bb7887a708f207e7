"""Cases on the Book: disputes with SLAs, payment extensions and interaction notes.

The pure rules live in :mod:`o2c.cases`; the use cases in :mod:`o2c.book._disputes`,
:mod:`o2c.book._extensions` and :mod:`o2c.book._notes` load what they need, call them
with the business date and the actor, and store what they return, one command per
transaction. Crediting a dispute and long extensions follow the approval policy
(:mod:`o2c.book._approval_requests`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from o2c.billing import ReasonCode
from o2c.book import _disputes as disputes
from o2c.book import _extensions as extensions
from o2c.book import _notes as notes
from o2c.book._area import Area
from o2c.cases import (
    ApprovalRequest,
    Channel,
    Dispute,
    DisputeReason,
    DisputeStatus,
    ExtensionStatus,
    InteractionNote,
    NoteTarget,
    PaymentExtension,
    Resolution,
)
from o2c.ids import DocumentId
from o2c.money import Money

__all__ = ["CasesMixin"]


class CasesMixin(Area):
    """Disputes, payment extensions and interaction notes."""

    def grant_extension(
        self,
        document: str,
        new_due: dt.date,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentExtension:
        """Give an invoice a new due date; past the policy's limits it waits for approval.

        The day limit counts from the invoice's original due date
        (``extension.max_days``); an ``approval.extension.<CUR>`` threshold also holds an
        extension whose invoice has more than the threshold open on ``date``.

        Returns:
            The extension: active, or pending approval (its ``approval_id`` names the
            request, which :meth:`approve_request` decides).

        Raises:
            InvalidState: The document is not an issued invoice or debit note with
                something open.
            ValidationError: The new date is not after the original due date.
        """
        return extensions.grant_extension_on(
            self._session,
            document,
            new_due,
            reason=reason,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def get_extension(self, extension_id: str) -> PaymentExtension:
        """The payment extension with this id.

        Raises:
            NotFound: No such extension.
        """
        return extensions.get_extension(self._session, extension_id)

    def list_extensions(
        self, *, document: str | None = None, status: ExtensionStatus | str | None = None
    ) -> list[PaymentExtension]:
        """Payment extensions, oldest first, optionally of one document or status."""
        return extensions.list_extensions(self._session, document=document, status=status)

    def extended_due_dates(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> dict[DocumentId, dt.date]:
        """The effective due date per document with an active extension in force on ``as_of``.

        An extension is in force from the day it was granted: its request date, or the
        approval's decision date when it waited for one.
        """
        return extensions.extended_due_dates_on(self._session, as_of, customer=customer)

    def open_dispute(
        self,
        document: str,
        *,
        reason: DisputeReason | str,
        amount: Money | None = None,
        channel: Channel | str = Channel.EMAIL,
        lines: Iterable[int] = (),
        description: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Open a dispute on an issued invoice (or some of its lines), paid or not.

        Its SLA due date counts business days of :meth:`business_calendar` after the
        opening day, per :meth:`sla_policy`. Customers dispute after paying too: what may
        be disputed is what the invoice billed net of earlier credits and write-offs
        (what is open plus what payments settled), less what other active disputes
        hold; crediting the dispute of a paid invoice leaves customer credit to refund.

        Args:
            document: The invoice's id or number.
            reason: Why (``wrong_price``, ``duplicate``...).
            amount: The disputed amount. By default: for disputed ``lines``, their amount
                due as issued (net + tax - withholdings), at most what may be disputed;
                for the whole invoice, all that may be disputed.
            channel: How the dispute reached us.
            lines: The disputed lines (numbers), none for the whole invoice.
            description: The customer's words.
            date: The opening date; today by default.
            actor: Who opens it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: The document cannot be disputed, or the amount exceeds what it
                billed net of credits and write-offs and is not already under dispute.
            ValidationError: An unknown line or a bad amount.
        """
        return disputes.open_dispute_on(
            self._session,
            document,
            reason=reason,
            amount=amount,
            channel=channel,
            lines=lines,
            description=description,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def get_dispute(self, dispute_id: str) -> Dispute:
        """The dispute with this id.

        Raises:
            NotFound: No such dispute.
        """
        return disputes.get_dispute(self._session, dispute_id)

    def list_disputes(
        self,
        *,
        status: DisputeStatus | str | None = None,
        active: bool | None = None,
        customer: str | None = None,
        document: str | None = None,
        breached_on: dt.date | None = None,
    ) -> list[Dispute]:
        """Disputes, oldest first, filtered by status, activity, customer or document.

        Args:
            status: Only this status.
            active: Only active (``True``) or resolved (``False``) disputes.
            customer: Only this customer's.
            document: Only this invoice's (id or number).
            breached_on: Only disputes whose SLA is breached on this day: still active
                after their SLA due date, escalated or not (resolved late ones are not
                listed; the SLA adherence KPI counts them).
        """
        return disputes.list_disputes(
            self._session,
            status=status,
            active=active,
            customer=customer,
            document=document,
            breached_on=breached_on,
        )

    def update_dispute(
        self,
        dispute_id: str,
        *,
        amount: Money | None = None,
        lines: Iterable[int] | None = None,
        description: str | None = None,
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Amend an active dispute's amount, lines or description (status and SLA stay)."""
        return disputes.update_dispute_on(
            self._session,
            dispute_id,
            amount=amount,
            lines=lines,
            description=description,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def investigate_dispute(
        self,
        dispute_id: str,
        *,
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Move an open dispute to investigating."""
        return disputes.investigate_dispute(
            self._session,
            dispute_id,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def escalate_dispute(
        self,
        dispute_id: str,
        *,
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Escalate an active dispute by hand (one level up)."""
        return disputes.escalate_dispute(
            self._session,
            dispute_id,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def reject_dispute(
        self,
        dispute_id: str,
        *,
        comment: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Resolve a dispute as rejected: the invoice stands (a comment says why)."""
        return disputes.reject_dispute(
            self._session,
            dispute_id,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def resolve_dispute(
        self,
        dispute_id: str,
        resolution: Resolution | str,
        *,
        credit_note: str | None = None,
        rebill: str | None = None,
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute:
        """Resolve a dispute, linking the credit note (and corrected invoice) that settled it.

        Raises:
            ValidationError: The credit note does not correct the disputed invoice, or the
                rebill is not an issued invoice of the same customer.
        """
        return disputes.resolve_dispute(
            self._session,
            dispute_id,
            resolution,
            credit_note=credit_note,
            rebill=rebill,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def credit_dispute(
        self,
        dispute_id: str,
        *,
        amount: Money | None = None,
        quantities: Mapping[int, Decimal | None] | None = None,
        reason: ReasonCode | str | None = None,
        reason_text: str = "",
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dispute | ApprovalRequest:
        """Resolve a dispute as credited by issuing the credit note that corrects it.

        What is credited: ``amount`` (net) or ``quantities``; by default the disputed
        lines (what is left of them), or the whole invoice when the dispute holds all
        that is open. A dispute of some lines is credited on those lines only: an
        ``amount`` is spread over them, and a line the dispute did not name is refused.
        The credit note follows the credit-note approval policy: above the limit the
        dispute stays active and the returned request holds both steps.

        Raises:
            ValidationError: Nothing says what to credit for a partial dispute without
                lines.
        """
        return disputes.credit_dispute(
            self._session,
            dispute_id,
            amount=amount,
            quantities=quantities,
            reason=reason,
            reason_text=reason_text,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def escalate_overdue_disputes(
        self,
        today: dt.date | None = None,
        *,
        dry_run: bool = False,
        actor: str | None = None,
    ) -> list[Dispute]:
        """Escalate every open or investigating dispute past its SLA (the daily job).

        Nothing escalates by itself: this job does it, when it runs (schedule
        ``o2c dispute escalate-overdue`` once a day, next to the dunning run). A dispute
        is overdue on ``today`` when its SLA due date is before it; already escalated
        disputes are left alone, so a second run escalates nothing, and a missed day is
        caught up by the next run. The history names ``system`` as the actor; the audit
        event names ``actor``.

        Args:
            today: The day of the run; today by default.
            dry_run: Return what would be escalated and write nothing (no audit event).
            actor: Who runs the job.

        Returns:
            The disputes escalated now (or that would be, on a dry run).
        """
        return disputes.escalate_overdue_disputes(
            self._session,
            today,
            dry_run=dry_run,
            actor=actor,
        )

    def disputed_amounts(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> dict[DocumentId, Money]:
        """The amount under active dispute per document as of a date (for aging)."""
        return disputes.disputed_amounts(self._session, as_of, customer=customer)

    def add_note(
        self,
        target: NoteTarget | str,
        target_id: str,
        *,
        channel: Channel | str,
        summary: str,
        started: dt.datetime | None = None,
        ended: dt.datetime | None = None,
        first_contact_resolution: bool = False,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> InteractionNote:
        """Record a contact about a customer, an invoice or a dispute.

        Args:
            target: ``customer``, ``invoice`` or ``dispute``.
            target_id: Its id (an invoice may be named by number).
            channel: How the contact happened.
            summary: What was said and agreed.
            started: When it started (aware); now by default.
            ended: When it ended; ``None`` for a note without a handled contact.
            first_contact_resolution: The matter was settled in this contact.
            actor: Who handled it (the note's author).
            idempotency_key: Repeating the key returns the first result.
        """
        return notes.add_note(
            self._session,
            target,
            target_id,
            channel=channel,
            summary=summary,
            started=started,
            ended=ended,
            first_contact_resolution=first_contact_resolution,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_notes(
        self,
        *,
        customer: str | None = None,
        document: str | None = None,
        dispute: str | None = None,
    ) -> list[InteractionNote]:
        """Interaction notes in the order they started, of a customer, invoice or dispute."""
        return notes.list_notes(
            self._session,
            customer=customer,
            document=document,
            dispute=dispute,
        )

    # -- shims for other areas ----------------------------------------------------------
