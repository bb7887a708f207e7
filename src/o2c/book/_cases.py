"""Cases on the Book: disputes with SLAs, payment extensions and interaction notes.

The pure rules live in :mod:`o2c.cases`; these commands load what they need, call them
with the business date and the actor, and store what they return, one command per
transaction. Crediting a dispute and long extensions follow the approval policy of
:class:`~o2c.book._approvals.ApprovalsMixin`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from o2c.billing import Document, DocumentKind, DocumentStatus, ReasonCode
from o2c.book._approvals import ApprovalsMixin, credit_args, dump
from o2c.book._base import Touched
from o2c.book._codec import as_json, as_timestamp
from o2c.cases import (
    SYSTEM_ACTOR,
    ApprovalAction,
    ApprovalRequest,
    Channel,
    Dispute,
    DisputeReason,
    DisputeStatus,
    ExtensionId,
    ExtensionStatus,
    InteractionNote,
    NoteId,
    NoteTarget,
    PaymentExtension,
    Resolution,
    activate_extension,
    auto_escalate,
    escalate,
    grant_extension,
    open_dispute,
    reject,
    resolve,
    start_investigation,
    update_dispute,
)
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import ApprovalId, CustomerId, DisputeId, DocumentId
from o2c.io import structure, to_plain
from o2c.money import Money, sum_money

__all__ = ["CasesMixin"]

#: Dispute reasons that are also credit-note reason codes (the others credit as "other").
_CREDIT_REASON: Final = {
    DisputeReason.WRONG_PRICE: ReasonCode.WRONG_PRICE,
    DisputeReason.WRONG_QUANTITY: ReasonCode.WRONG_QUANTITY,
    DisputeReason.DUPLICATE: ReasonCode.DUPLICATE,
    DisputeReason.TAX_ERROR: ReasonCode.TAX_ERROR,
}


def _dispute(row: Sequence[Any]) -> Dispute:
    return structure(as_json(row[0]), Dispute)


def _extension(row: Sequence[Any]) -> PaymentExtension:
    return structure(as_json(row[0]), PaymentExtension)


class CasesMixin(ApprovalsMixin):
    """Disputes, payment extensions and interaction notes."""

    # -- payment extensions ------------------------------------------------------------

    def _load_extension(self, extension_id: str) -> PaymentExtension:
        row = self._store.query_one("SELECT data FROM extensions WHERE id = ?", (extension_id,))
        if row is None:
            raise NotFound("extension", extension_id)
        return _extension(row)

    def _save_extension(self, extension: PaymentExtension, *, insert: bool = False) -> None:
        if insert:
            self._store.execute(
                "INSERT INTO extensions (id, document_id, original_due, new_due, status,"
                " approval_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    extension.id,
                    extension.document_id,
                    extension.original_due.isoformat(),
                    extension.new_due.isoformat(),
                    extension.status.value,
                    extension.approval_id,
                    dump(extension),
                ),
            )
        else:
            self._store.execute(
                "UPDATE extensions SET status = ?, data = ? WHERE id = ?",
                (extension.status.value, dump(extension), extension.id),
            )

    def _decide_extension(self, decision: ApprovalRequest) -> str:
        row = self._store.query_one(
            "SELECT data FROM extensions WHERE approval_id = ?", (decision.id,)
        )
        if row is None:
            raise NotFound("extension held by approval", decision.id)
        decided = activate_extension(_extension(row), decision)
        self._save_extension(decided)
        return str(decided.id)

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
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            doc = self._receivable(document, day)
            assert doc.due_date is not None
            ext_id = ExtensionId(self._new_id("extension", "EXT"))
            policy = self.approval_policy()
            item = self._open_item(doc.id, day)
            extension, request = grant_extension(
                ext_id,
                document_id=DocumentId(doc.id),
                customer_id=CustomerId(doc.customer.customer_id),
                original_due=doc.due_date,
                new_due=new_due,
                reason=reason,
                actor=who,
                on=day,
                policy=policy,
                approval_id=ApprovalId(""),
                amount=item.open if item is not None else Money.zero(doc.currency),
            )
            if request is not None:
                # Only a held extension takes an approval number (no holes in the series).
                approval_id = ApprovalId(self._new_id("approval", "APR"))
                extension = attrs.evolve(extension, approval_id=approval_id)
                payload = json.dumps({"command": "extension", "args": {"extension": ext_id}})
                self._write_approval(
                    attrs.evolve(request, id=approval_id, payload=payload),
                    insert=True,
                    result=None,
                )
                touched.add(approval_id)
            self._save_extension(extension, insert=True)
            touched.add(ext_id, doc.id)
            return {"id": ext_id}

        result = self._run(
            "grant_extension",
            actor=actor,
            key=idempotency_key,
            args={"document": document, "new_due": new_due, "reason": reason, "date": day},
            body=body,
        )
        return self._load_extension(result["id"])

    def get_extension(self, extension_id: str) -> PaymentExtension:
        """The payment extension with this id.

        Raises:
            NotFound: No such extension.
        """
        return self._load_extension(extension_id)

    def list_extensions(
        self, *, document: str | None = None, status: ExtensionStatus | str | None = None
    ) -> list[PaymentExtension]:
        """Payment extensions, oldest first, optionally of one document or status."""
        where, params = [], []
        if document is not None:
            where.append("document_id = ?")
            params.append(self._doc_id(document))
        if status is not None:
            where.append("status = ?")
            params.append(ExtensionStatus(status).value)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._store.query(f"SELECT data FROM extensions{clause} ORDER BY id", params)
        return [_extension(r) for r in rows]

    def extended_due_dates(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> dict[DocumentId, dt.date]:
        """The effective due date per document with an active extension in force on ``as_of``.

        An extension is in force from the day it was granted: its request date, or the
        approval's decision date when it waited for one.
        """
        day = as_of or self._today()
        where, params = "e.status = 'active'", []
        if customer is not None:
            where += " AND d.customer_id = ?"
            params.append(customer)
        rows = self._store.query(
            "SELECT e.data, a.data FROM extensions e JOIN documents d ON d.id = e.document_id"
            f" LEFT JOIN approvals a ON a.id = e.approval_id WHERE {where} ORDER BY e.id",
            params,
        )
        dates: dict[DocumentId, dt.date] = {}
        for row in rows:
            ext = _extension(row)
            since = ext.requested_on
            if row[1] is not None:
                since = structure(as_json(row[1]), ApprovalRequest).decided_on or since
            if since <= day:
                dates[ext.document_id] = max(ext.new_due, dates.get(ext.document_id, ext.new_due))
        return dates

    # -- disputes ------------------------------------------------------------------------

    def _receivable(self, document: str, day: dt.date) -> Document:
        doc = self._load_for_update(document)
        if doc.kind is DocumentKind.CREDIT_NOTE or doc.status is not DocumentStatus.ISSUED:
            raise InvalidState(
                f"{doc.number or doc.id} is a {doc.status.value} {doc.kind.value}; only an"
                " issued invoice or debit note can be disputed or extended",
                document_id=doc.id,
            )
        return doc

    def _load_dispute(self, dispute_id: str) -> Dispute:
        row = self._store.query_one("SELECT data FROM disputes WHERE id = ?", (dispute_id,))
        if row is None:
            raise NotFound("dispute", dispute_id, hint="list them with list_disputes()")
        return _dispute(row)

    def _save_dispute(self, dispute: Dispute, *, insert: bool = False) -> None:
        resolved = None if dispute.resolved_on is None else dispute.resolved_on.isoformat()
        if insert:
            self._store.execute(
                "INSERT INTO disputes (id, document_id, customer_id, currency, amount_minor,"
                " reason, status, opened_date, sla_due, resolved_date, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    dispute.id,
                    dispute.document_id,
                    dispute.customer_id,
                    dispute.amount.currency.code,
                    dispute.amount.minor_units,
                    dispute.reason.value,
                    dispute.status.value,
                    dispute.opened_on.isoformat(),
                    dispute.sla_due.isoformat(),
                    resolved,
                    dump(dispute),
                ),
            )
        else:
            self._store.execute(
                "UPDATE disputes SET amount_minor = ?, status = ?, resolved_date = ?, data = ?"
                " WHERE id = ?",
                (
                    dispute.amount.minor_units,
                    dispute.status.value,
                    resolved,
                    dump(dispute),
                    dispute.id,
                ),
            )

    def _undisputed(self, doc: Document, day: dt.date, *, besides: str | None = None) -> Money:
        """What is open on ``doc`` and not held by another active dispute."""
        item = self._open_item(doc.id, day)
        open_amount = item.open if item is not None else Money.zero(doc.currency)
        rows = self._store.query(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM disputes WHERE document_id = ?"
            " AND status <> 'resolved' AND id <> ?",
            (doc.id, besides or ""),
        )
        held = Money.from_minor(int(rows[0][0]), doc.currency)
        return open_amount - held

    def _dispute_step(
        self,
        command: str,
        dispute_id: str,
        step: Callable[[Dispute, str], Dispute],
        *,
        args: Mapping[str, object],
        actor: str | None,
        idempotency_key: str | None,
    ) -> Dispute:
        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            after = step(self._load_dispute(dispute_id), who)
            self._save_dispute(after)
            touched.add(after.id)
            return {"id": after.id}

        self._run(
            command,
            actor=actor,
            key=idempotency_key,
            args={"dispute_id": dispute_id, **args},
            body=body,
        )
        return self._load_dispute(dispute_id)

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
        """Open a dispute on an issued invoice (or some of its lines).

        Its SLA due date counts business days of :meth:`business_calendar` after the
        opening day, per :meth:`sla_policy`.

        Args:
            document: The invoice's id or number.
            reason: Why (``wrong_price``, ``duplicate``...).
            amount: The disputed amount. By default: for disputed ``lines``, their amount
                due as issued (net + tax - withholdings), at most what is open and not
                yet disputed; for the whole invoice, what is open and not yet disputed.
            channel: How the dispute reached us.
            lines: The disputed lines (numbers), none for the whole invoice.
            description: The customer's words.
            date: The opening date; today by default.
            actor: Who opens it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: The document cannot be disputed, or the amount exceeds what is
                open and not already under dispute.
            ValidationError: An unknown line or a bad amount.
        """
        day = date or self._today()
        why = DisputeReason(reason) if isinstance(reason, str) else reason
        how = Channel(channel) if isinstance(channel, str) else channel
        line_numbers = tuple(lines)

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            doc = self._receivable(document, day)
            known = {line.number for line in doc.lines}
            unknown = [n for n in line_numbers if n not in known]
            if unknown:
                raise ValidationError(
                    "lines", unknown, f"line numbers of {doc.number or doc.id}: {sorted(known)}"
                )
            available = self._undisputed(doc, day)
            if amount is not None:
                disputed = amount
            elif line_numbers:
                due = sum_money(
                    (ln.gross - ln.withheld for ln in doc.lines if ln.number in line_numbers),
                    doc.currency,
                )
                disputed = due.min(available)
            else:
                disputed = available
            if not disputed.is_positive:
                raise InvalidState(
                    f"nothing left to dispute on {doc.number or doc.id}: {available} open"
                    " and not already under dispute",
                    document_id=doc.id,
                )
            dispute = open_dispute(
                DisputeId(self._new_id("dispute", "DSP")),
                document_id=DocumentId(doc.id),
                customer_id=CustomerId(doc.customer.customer_id),
                amount=disputed,
                reason=why,
                channel=how,
                opened_on=day,
                actor=who,
                policy=self.sla_policy(),
                calendar=self.business_calendar(),
                line_numbers=line_numbers,
                description=description,
                open_amount=available,
                at=self._now(),
            )
            self._save_dispute(dispute, insert=True)
            touched.add(dispute.id, doc.id)
            return {"id": dispute.id}

        result = self._run(
            "open_dispute",
            actor=actor,
            key=idempotency_key,
            args={
                "document": document,
                "reason": why,
                "amount": amount,
                "channel": how,
                "lines": list(line_numbers),
                "description": description,
                "date": day,
            },
            body=body,
        )
        return self._load_dispute(result["id"])

    def get_dispute(self, dispute_id: str) -> Dispute:
        """The dispute with this id.

        Raises:
            NotFound: No such dispute.
        """
        return self._load_dispute(dispute_id)

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
        where, params = [], []
        if breached_on is not None:
            where.append("status <> 'resolved' AND sla_due < ?")
            params.append(breached_on.isoformat())
        if status is not None:
            where.append("status = ?")
            params.append(DisputeStatus(status).value)
        if active is not None:
            where.append("status <> 'resolved'" if active else "status = 'resolved'")
        if customer is not None:
            where.append("customer_id = ?")
            params.append(customer)
        if document is not None:
            where.append("document_id = ?")
            params.append(self._doc_id(document))
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._store.query(f"SELECT data FROM disputes{clause} ORDER BY id", params)
        return [_dispute(r) for r in rows]

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
        day = date or self._today()
        line_numbers = None if lines is None else tuple(lines)

        def step(dispute: Dispute, who: str) -> Dispute:
            doc = self._load_for_update(dispute.document_id)
            available = self._undisputed(doc, day, besides=dispute.id)
            return update_dispute(
                dispute,
                who,
                day,
                comment,
                amount=amount,
                line_numbers=line_numbers,
                description=description,
                open_amount=available,
                at=self._now(),
            )

        return self._dispute_step(
            "update_dispute",
            dispute_id,
            step,
            args={
                "amount": amount,
                "lines": None if line_numbers is None else list(line_numbers),
                "description": description,
                "comment": comment,
                "date": day,
            },
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
        day = date or self._today()
        return self._dispute_step(
            "investigate_dispute",
            dispute_id,
            lambda d, who: start_investigation(d, who, day, comment, at=self._now()),
            args={"comment": comment, "date": day},
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
        day = date or self._today()
        return self._dispute_step(
            "escalate_dispute",
            dispute_id,
            lambda d, who: escalate(d, who, day, comment, at=self._now()),
            args={"comment": comment, "date": day},
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
        day = date or self._today()
        return self._dispute_step(
            "reject_dispute",
            dispute_id,
            lambda d, who: reject(d, who, day, comment, at=self._now()),
            args={"comment": comment, "date": day},
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
        day = date or self._today()
        how = Resolution(resolution) if isinstance(resolution, str) else resolution

        def step(dispute: Dispute, who: str) -> Dispute:
            note_id = rebill_id = None
            if credit_note is not None:
                note = self._load_for_update(credit_note)
                if note.kind is not DocumentKind.CREDIT_NOTE or note.reference != str(
                    dispute.document_id
                ):
                    raise ValidationError(
                        "credit_note",
                        credit_note,
                        f"an issued credit note of {dispute.document_id}",
                    )
                note_id = DocumentId(note.id)
            if rebill is not None:
                invoice = self._load_for_update(rebill)
                if (
                    invoice.kind is not DocumentKind.INVOICE
                    or invoice.status is not DocumentStatus.ISSUED
                    or invoice.customer.customer_id != dispute.customer_id
                ):
                    raise ValidationError(
                        "rebill", rebill, f"an issued invoice of {dispute.customer_id}"
                    )
                rebill_id = DocumentId(invoice.id)
            return resolve(
                dispute,
                how,
                who,
                day,
                comment,
                credit_note_id=note_id,
                rebill_id=rebill_id,
                at=self._now(),
            )

        return self._dispute_step(
            "resolve_dispute",
            dispute_id,
            step,
            args={
                "resolution": how,
                "credit_note": credit_note,
                "rebill": rebill,
                "comment": comment,
                "date": day,
            },
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
        that is open. The credit note follows the credit-note approval policy: above the
        limit the dispute stays active and the returned request holds both steps.

        Raises:
            ValidationError: Nothing says what to credit for a partial dispute without
                lines.
        """
        day = date or self._today()
        dispute = self._load_dispute(dispute_id)
        code = (
            ReasonCode.parse(reason)
            if reason is not None
            else _CREDIT_REASON.get(dispute.reason, ReasonCode.OTHER)
        )
        if amount is None and quantities is None:
            if dispute.line_numbers:
                quantities = dict.fromkeys(dispute.line_numbers)
            else:
                item = self._open_item(dispute.document_id, day)
                if item is None or dispute.amount != item.open:
                    raise ValidationError(
                        "amount",
                        None,
                        f"the net amount (or line quantities) to credit for dispute "
                        f"{dispute.id} of {dispute.amount}",
                    )
        original, total = self._credit_total(dispute.document_id, code, quantities, amount)
        args = {
            **credit_args(original.id, code, quantities, amount, reason_text),
            "dispute_id": dispute.id,
            "comment": comment,
        }
        if self._held_reason(ApprovalAction.CREDIT_NOTE, total) is not None:
            return self._hold(
                "credit_dispute",
                ApprovalAction.CREDIT_NOTE,
                amount=total,
                subject=dispute.id,
                summary=(
                    f"credit {total} on {original.number or original.id} to resolve dispute "
                    f"{dispute.id} ({code.value})"
                ),
                args=args,
                day=day,
                actor=actor,
                idempotency_key=idempotency_key,
            )

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            note = self._credit_note(to_plain(args), day, who, approved=False)
            done = resolve(
                self._load_dispute(dispute_id),
                Resolution.CREDITED,
                who,
                day,
                comment,
                credit_note_id=DocumentId(note.id),
                at=self._now(),
            )
            self._save_dispute(done)
            touched.add(done.id, note.id)
            return {"id": done.id}

        self._run(
            "credit_dispute",
            actor=actor,
            key=idempotency_key,
            args={**args, "date": day},
            body=body,
        )
        return self._load_dispute(dispute_id)

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
        day = today or self._today()

        def overdue() -> list[Dispute]:
            rows = self._store.query(
                "SELECT data FROM disputes WHERE status IN ('open', 'investigating')"
                " AND sla_due < ? ORDER BY id",
                (day.isoformat(),),
            )
            return list(auto_escalate([_dispute(r) for r in rows], day, actor=SYSTEM_ACTOR))

        if dry_run:
            return overdue()

        def body(touched: Touched) -> dict[str, Any]:
            late = overdue()
            for dispute in late:
                self._save_dispute(dispute)
            touched.extend(d.id for d in late)
            return {"ids": [d.id for d in late]}

        result = self._run(
            "escalate_overdue_disputes", actor=actor, key=None, args={"today": day}, body=body
        )
        return [self._load_dispute(i) for i in result["ids"]]

    def disputed_amounts(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> dict[DocumentId, Money]:
        """The amount under active dispute per document as of a date (for aging)."""
        day = (as_of or self._today()).isoformat()
        where = "opened_date <= ? AND (resolved_date IS NULL OR resolved_date > ?)"
        params = [day, day]
        if customer is not None:
            where += " AND customer_id = ?"
            params.append(customer)
        rows = self._store.query(
            "SELECT document_id, currency, SUM(amount_minor) FROM disputes"
            f" WHERE {where} GROUP BY document_id, currency ORDER BY document_id",
            params,
        )
        return {DocumentId(str(d)): Money.from_minor(int(t), str(c)) for d, c, t in rows}

    # -- interaction notes ---------------------------------------------------------------

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
        kind = NoteTarget(target) if isinstance(target, str) else target
        how = Channel(channel) if isinstance(channel, str) else channel

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            start = started or self._now()
            document_id = dispute_id = None
            if kind is NoteTarget.CUSTOMER:
                self._require_customer(target_id)
                customer, ref = target_id, target_id
            elif kind is NoteTarget.INVOICE:
                doc = self._load_for_update(target_id)
                customer, ref = doc.customer.customer_id, doc.id
                document_id = doc.id
            else:
                dispute = self._load_dispute(target_id)
                customer, ref = dispute.customer_id, dispute.id
                document_id, dispute_id = dispute.document_id, dispute.id
            note = InteractionNote(
                NoteId(self._new_id("note", "NT")),
                kind,
                ref,
                how,
                summary,
                who,
                start,
                ended,
                first_contact_resolution,
                customer_id=CustomerId(customer),
            )
            seconds = 0 if note.handle_time is None else int(note.handle_time.total_seconds())
            self._store.execute(
                "INSERT INTO notes (id, customer_id, document_id, dispute_id, channel, summary,"
                " first_contact_resolution, handle_seconds, actor, created_at, started_at,"
                " ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    note.id,
                    customer,
                    document_id,
                    dispute_id,
                    how.value,
                    summary,
                    int(first_contact_resolution),
                    seconds,
                    who,
                    self._now().isoformat(),
                    _utc(start),
                    None if ended is None else _utc(ended),
                ),
            )
            touched.add(note.id, ref)
            return {"id": note.id}

        result = self._run(
            "add_note",
            actor=actor,
            key=idempotency_key,
            args={
                "target": kind,
                "target_id": target_id,
                "channel": how,
                "summary": summary,
                "started": started,
                "ended": ended,
                "first_contact_resolution": first_contact_resolution,
            },
            body=body,
        )
        [note] = self._notes("n.id = ?", [result["id"]])
        return note

    def _notes(self, where: str, params: Sequence[str]) -> list[InteractionNote]:
        rows = self._store.query(
            "SELECT n.id, n.customer_id, n.document_id, n.dispute_id, n.channel, n.summary,"
            " n.actor, n.started_at, n.ended_at, n.first_contact_resolution, n.created_at"
            f" FROM notes n WHERE {where} ORDER BY n.started_at, n.id",
            params,
        )
        notes = []
        for r in rows:
            if r[3] is not None:
                kind, ref = NoteTarget.DISPUTE, str(r[3])
            elif r[2] is not None:
                kind, ref = NoteTarget.INVOICE, str(r[2])
            else:
                kind, ref = NoteTarget.CUSTOMER, str(r[1])
            notes.append(
                InteractionNote(
                    NoteId(str(r[0])),
                    kind,
                    ref,
                    Channel(str(r[4])),
                    str(r[5]),
                    str(r[6]),
                    as_timestamp(r[7] if r[7] is not None else r[10]),
                    None if r[8] is None else as_timestamp(r[8]),
                    bool(r[9]),
                    customer_id=CustomerId(str(r[1])),
                )
            )
        return notes

    def list_notes(
        self,
        *,
        customer: str | None = None,
        document: str | None = None,
        dispute: str | None = None,
    ) -> list[InteractionNote]:
        """Interaction notes in the order they started, of a customer, invoice or dispute."""
        where, params = ["1 = 1"], []
        if customer is not None:
            where.append("n.customer_id = ?")
            params.append(customer)
        if document is not None:
            where.append("n.document_id = ?")
            params.append(self._doc_id(document))
        if dispute is not None:
            where.append("n.dispute_id = ?")
            params.append(dispute)
        return self._notes(" AND ".join(where), params)

    def _credit_dispute_approved(self, args: Mapping[str, Any], day: dt.date, by: str) -> str:
        note = self._credit_note(args, day, by, approved=True)
        resolved = resolve(
            self._load_dispute(args["dispute_id"]),
            Resolution.CREDITED,
            by,
            day,
            args.get("comment", ""),
            credit_note_id=DocumentId(note.id),
            at=self._now(),
        )
        self._save_dispute(resolved)
        return str(note.id)


def _utc(value: dt.datetime) -> str:
    """An aware time as UTC ISO text, so text comparison orders it on SQLite too."""
    if value.utcoffset() is None:
        raise ValidationError("started", value, "a time-zone aware datetime")
    return value.astimezone(dt.UTC).isoformat()
