"""Payments, allocation, unallocation, refunds and write-offs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from o2c.book._base import Touched
from o2c.book._codec import as_date, as_json, money
from o2c.book._documents import DocumentsMixin
from o2c.cases import ApprovalAction, ApprovalRequest
from o2c.errors import InvalidState, NotFound
from o2c.ids import CustomerId, DocumentId, EntryId, PaymentId, RefundId, WriteOffId
from o2c.io import structure
from o2c.ledger.items import AllocationRecord, CreditItem, OpenItem
from o2c.ledger.journal import JournalEntry
from o2c.ledger.payments import (
    Allocation,
    Payment,
    PaymentMethod,
    allocate_oldest_first,
    post_allocation,
    post_payment,
    post_unallocation,
)
from o2c.ledger.refunds import Refund, RefundStatus, post_refund
from o2c.ledger.writeoffs import WriteOff, WriteOffReason, post_write_off
from o2c.money import Currency, Money

__all__ = ["PaymentsMixin"]


class PaymentsMixin(DocumentsMixin):
    """Cash in, cash applied, cash out and amounts written off."""

    # -- payments ----------------------------------------------------------------------

    def record_payment(
        self,
        customer: str,
        amount: Money,
        *,
        date: dt.date | None = None,
        reference: str = "",
        method: PaymentMethod | str = PaymentMethod.BANK_TRANSFER,
        payment_id: str | None = None,
        allocate: bool = False,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Payment:
        """Record money received into unapplied cash (and optionally apply it).

        Args:
            customer: Who paid.
            amount: How much (positive, rounded).
            date: Value date; today by default.
            reference: Bank or remittance reference.
            method: How it was paid.
            payment_id: The payment's id (e.g. from the bank line, which makes imports
                idempotent); a new ``PAY...`` id by default.
            allocate: Apply it to the customer's open items, oldest due first.
            actor: Who records it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            Conflict: ``payment_id`` exists already.
            NotFound: Unknown customer.
        """
        day = date or self._today()
        how = PaymentMethod(method) if isinstance(method, str) else method

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(customer)
            pid = payment_id
            if pid is None:
                pid = f"PAY{self._next_numbers('payment'):010d}"
            elif self._store.query_one("SELECT 1 FROM payments WHERE id = ?", (pid,)):
                raise InvalidState(f"payment {pid} exists already", document_id=pid)
            payment = Payment(PaymentId(pid), CustomerId(customer), day, amount, reference, how)
            self._ensure_currency(amount.currency)
            [entry_id] = self._new_entry_ids(1)
            entry = post_payment(payment, entry_id=entry_id, chart=self._chart)
            self._write_entries([entry])
            self._store.execute(
                "INSERT INTO payments (id, customer_id, received_date, currency, amount_minor,"
                " method, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    customer,
                    day.isoformat(),
                    amount.currency.code,
                    amount.minor_units,
                    how.value,
                    reference,
                    self._now().isoformat(),
                ),
            )
            touched.add(pid, entry.id)
            if allocate:
                self._allocate(pid, None, day, touched)
            return {"id": pid}

        result = self._run(
            "record_payment",
            actor=actor,
            key=idempotency_key,
            args={
                "customer": customer,
                "amount": amount,
                "date": day,
                "reference": reference,
                "method": how,
                "payment_id": payment_id,
                "allocate": allocate,
            },
            body=body,
        )
        return self.get_payment(result["id"])

    def get_payment(self, payment_id: str) -> Payment:
        """The payment with this id.

        Raises:
            NotFound: No such payment.
        """
        row = self._store.query_one(
            "SELECT id, customer_id, received_date, currency, amount_minor, reference, method"
            " FROM payments WHERE id = ?",
            (payment_id,),
        )
        if row is None:
            raise NotFound("payment", payment_id)
        return _payment(row)

    def list_payments(self, *, customer: str | None = None) -> list[Payment]:
        """Payments in id order, optionally of one customer."""
        sql = (
            "SELECT id, customer_id, received_date, currency, amount_minor, reference, method"
            " FROM payments"
        )
        params: list[str] = []
        if customer is not None:
            sql += " WHERE customer_id = ?"
            params.append(customer)
        return [_payment(r) for r in self._store.query(sql + " ORDER BY id", params)]

    def allocate(
        self,
        source: str,
        allocations: Mapping[str, Money] | None = None,
        *,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> list[Allocation]:
        """Apply a payment or credit note to open items.

        Args:
            source: The payment id or credit note id (or number) whose credit is applied.
            allocations: ``{document id or number: amount}``; ``None`` applies all that is
                unapplied to the customer's open items, oldest due first.
            date: Allocation date; today by default.
            actor: Who applies it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: More than is open on an item or unapplied on the source.
        """
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            made = self._allocate(source, allocations, day, touched)
            return {"allocations": [[a.document_id, str(a.amount)] for a in made], "source": source}

        result = self._run(
            "allocate",
            actor=actor,
            key=idempotency_key,
            args={"source": source, "allocations": dict(allocations or {}), "date": day},
            body=body,
        )
        credit_source = str(result["source"])
        if not result["allocations"]:
            return []
        sid = self._source_id(credit_source)
        customer = CustomerId(self._customer_of_source(sid))
        return [
            Allocation(
                sid,
                customer,
                DocumentId(doc),
                Money.parse(text),
                day,
            )
            for doc, text in result["allocations"]
        ]

    def _source_id(self, source: str) -> str:
        """The payment or credit note id that ``source`` (an id or a number) names."""
        # A payment id is the key itself (one index probe); only otherwise look for a
        # credit note number, which no index leads with.
        if self._store.query_one("SELECT 1 FROM payments WHERE id = ?", (source,)):
            return source
        row = self._store.query_one(
            "SELECT id FROM documents WHERE number = ? AND kind = 'credit_note'", (source,)
        )
        return str(row[0]) if row is not None else source

    def _customer_of_source(self, source: str) -> str:
        sid = self._source_id(source)
        row = self._store.query_one("SELECT customer_id FROM payments WHERE id = ?", (sid,))
        if row is None:
            row = self._store.query_one("SELECT customer_id FROM documents WHERE id = ?", (sid,))
        if row is None:
            raise NotFound("payment or credit note", source)
        return str(row[0])

    def _allocate(
        self,
        source: str,
        allocations: Mapping[str, Money] | None,
        day: dt.date,
        touched: Touched,
    ) -> list[Allocation]:
        sid = self._source_id(source)
        credit = self._credit_item(sid, day)
        if credit is None:
            raise NotFound("payment or credit note", source, hint="record the payment first")
        if allocations is None:
            items = self._open_items_sql(as_of=day, customer=credit.customer)
            plan = list(allocate_oldest_first(credit, items, date=day))
        else:
            plan = []
            for target, amount in allocations.items():
                doc_id = self._document_id(target)
                plan.append(Allocation(sid, credit.customer, DocumentId(doc_id), amount, day))
        if not plan:
            return []
        ids = self._new_entry_ids(len(plan))
        entries: list[JournalEntry] = []
        # Each allocation sees the items and credit as the previous ones left them.
        opened = {
            i.document_id: i
            for i in self._open_items_sql(
                as_of=day, document_ids=[a.document_id for a in plan], include_settled=True
            )
        }
        for allocation, entry_id in zip(plan, ids, strict=True):
            item = opened.get(allocation.document_id)
            if item is None:
                raise InvalidState(
                    f"document {allocation.document_id} has nothing open on {day}",
                    document_id=allocation.document_id,
                )
            entry = post_allocation(
                allocation, entry_id=entry_id, open_item=item, credit=credit, chart=self._chart
            )
            entries.append(entry)
            opened[item.document_id] = _less_open(item, allocation.amount)
            credit = _less_credit(credit, allocation.amount)
        self._write_entries(entries)
        self._store.executemany(
            "INSERT INTO allocations (id, source_id, document_id, customer_id, alloc_date,"
            " currency, amount_minor, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    a.source,
                    a.document_id,
                    a.customer,
                    day.isoformat(),
                    a.amount.currency.code,
                    a.amount.minor_units,
                    e.id,
                )
                for a, e in zip(plan, entries, strict=True)
            ],
        )
        touched.extend(e.id for e in entries)
        return plan

    def _document_id(self, id_or_number: str) -> str:
        # The id first (the primary key); a number only when no document has that id.
        row = self._store.query_one("SELECT id FROM documents WHERE id = ?", (id_or_number,))
        if row is None:
            row = self._store.query_one(
                "SELECT id FROM documents WHERE number = ?", (id_or_number,)
            )
        if row is None:
            raise NotFound("document", id_or_number)
        return str(row[0])

    def unallocate(
        self,
        allocation_id: str,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> AllocationRecord:
        """Undo one allocation (its id is its journal entry id): the item is owed again.

        Raises:
            InvalidState: Already undone.
            NotFound: No such allocation.
        """
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT id, source_id, document_id, customer_id, alloc_date, currency,"
                " amount_minor, reversed_by FROM allocations WHERE id = ?",
                (allocation_id,),
            )
            if row is None:
                raise NotFound("allocation", allocation_id)
            record = AllocationRecord(
                entry_id=EntryId(str(row[0])),
                date=as_date(row[4]),
                customer=CustomerId(str(row[3])),
                source=str(row[1]),
                document_id=DocumentId(str(row[2])),
                amount=money(row[6], Currency.of(str(row[5]))),
                unallocated_by=None if row[7] is None else EntryId(str(row[7])),
            )
            [entry_id] = self._new_entry_ids(1)
            entry = post_unallocation(
                record, entry_id=entry_id, date=day, reason=reason, chart=self._chart
            )
            self._write_entries([entry])
            self._store.execute(
                "UPDATE allocations SET reversed_by = ? WHERE id = ?", (entry.id, allocation_id)
            )
            touched.add(allocation_id, entry.id)
            return {"id": allocation_id}

        result = self._run(
            "unallocate",
            actor=actor,
            key=idempotency_key,
            args={"allocation_id": allocation_id, "reason": reason, "date": day},
            body=body,
        )
        return self._allocation_record(result["id"])

    def _allocation_record(self, allocation_id: str) -> AllocationRecord:
        row = self._store.query_one(
            "SELECT id, source_id, document_id, customer_id, alloc_date, currency,"
            " amount_minor, reversed_by FROM allocations WHERE id = ?",
            (allocation_id,),
        )
        if row is None:
            raise NotFound("allocation", allocation_id)
        return AllocationRecord(
            entry_id=EntryId(str(row[0])),
            date=as_date(row[4]),
            customer=CustomerId(str(row[3])),
            source=str(row[1]),
            document_id=DocumentId(str(row[2])),
            amount=money(row[6], Currency.of(str(row[5]))),
            unallocated_by=None if row[7] is None else EntryId(str(row[7])),
        )

    def list_allocations(
        self, *, document: str | None = None, source: str | None = None
    ) -> list[AllocationRecord]:
        """Allocations (with the entry that undid them, if any), in order."""
        where = []
        params: list[str] = []
        if document is not None:
            where.append("document_id = ?")
            params.append(self._document_id(document))
        if source is not None:
            where.append("source_id = ?")
            params.append(self._source_id(source))
        sql = "SELECT id FROM allocations" + (" WHERE " + " AND ".join(where) if where else "")
        return [
            self._allocation_record(str(r[0]))
            for r in self._store.query(sql + " ORDER BY id", params)
        ]

    def list_refunds(self, *, customer: str | None = None) -> list[Refund]:
        """Refunds paid out, in order (as :class:`~o2c.ledger.refunds.Refund` values).

        A refund an approval held names its requester, request date and approver (the
        four eyes); one run directly names its actor as both.
        """
        sql = (
            "SELECT r.id, r.customer_id, r.source_id, r.refund_date, r.currency, r.amount_minor,"
            " e.memo, a.data FROM refunds r JOIN journal_entries e ON e.id = r.entry_id"
            " LEFT JOIN approvals a ON a.result_id = r.id AND a.status = 'approved'"
        )
        params: list[str] = []
        if customer is not None:
            sql += " WHERE r.customer_id = ?"
            params.append(customer)
        result = []
        for rid, cust, source, day, code, minor, memo, held in self._store.query(
            sql + " ORDER BY r.id", params
        ):
            on = as_date(day)
            actor = self._actor_of(str(rid))
            asked, asked_on, decided = actor, on, actor
            if held is not None:
                request = structure(as_json(held), ApprovalRequest)
                asked, asked_on = request.requested_by, request.requested_on
                decided = request.decided_by or actor
            result.append(
                Refund(
                    RefundId(str(rid)),
                    CustomerId(str(cust)),
                    str(source),
                    money(minor, Currency.of(str(code))),
                    requested_on=asked_on,
                    requested_by=asked,
                    reason=str(memo),
                    status=RefundStatus.PAID,
                    decided_by=decided,
                    decided_on=on,
                    paid_on=on,
                )
            )
        return result

    def list_write_offs(self, *, customer: str | None = None) -> list[WriteOff]:
        """Write-offs posted, in order (as :class:`~o2c.ledger.writeoffs.WriteOff` values)."""
        sql = (
            "SELECT w.id, w.customer_id, w.document_id, w.write_off_date, w.currency,"
            " w.amount_minor, w.reason, e.memo, a.requested_by, a.decided_by FROM write_offs w"
            " JOIN journal_entries e ON e.id = w.entry_id"
            " LEFT JOIN approvals a ON a.result_id = w.id AND a.status = 'approved'"
        )
        params: list[str] = []
        if customer is not None:
            sql += " WHERE w.customer_id = ?"
            params.append(customer)
        result = []
        for wid, cust, doc, day, code, minor, reason, memo, asked, approver in self._store.query(
            sql + " ORDER BY w.id", params
        ):
            why = WriteOffReason(str(reason))
            result.append(
                WriteOff(
                    WriteOffId(str(wid)),
                    CustomerId(str(cust)),
                    DocumentId(str(doc)),
                    money(minor, Currency.of(str(code))),
                    date=as_date(day),
                    reason=why,
                    requested_by=self._actor_of(str(wid)) if asked is None else str(asked),
                    approved_by=None if approver is None else str(approver),
                    memo="" if str(memo) == why.value else str(memo),
                )
            )
        return result

    def _actor_of(self, touched_id: str) -> str:
        row = self._store.query_one(
            "SELECT actor FROM audit_events WHERE ids LIKE ? ORDER BY seq LIMIT 1",
            (f'%"{touched_id}"%',),
        )
        return "" if row is None else str(row[0])

    # -- refunds and write-offs --------------------------------------------------------

    def refund(
        self,
        source: str,
        amount: Money,
        *,
        reason: str,
        date: dt.date | None = None,
        method: str = "bank_transfer",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Refund:
        """Pay out customer credit (an unapplied payment or credit note).

        Raises:
            InvalidState: More than is unapplied on the source.
            ApprovalRequired: The approval policy holds refunds of this amount: use
                ``request_refund`` (nothing changes).
        """
        return self._refund(
            source,
            amount,
            reason=reason,
            date=date,
            method=method,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def _refund(
        self,
        source: str,
        amount: Money,
        *,
        reason: str,
        date: dt.date | None,
        method: str,
        actor: str | None,
        idempotency_key: str | None,
        approved: bool,
    ) -> Refund:
        """:meth:`refund`; ``approved`` (an approved request runs it) skips the policy."""
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            sid = self._source_id(source)
            credit = self._credit_item(sid, day)
            if credit is None:
                raise NotFound("payment or credit note", source)
            if not approved:
                self._require_approval(ApprovalAction.REFUND, amount)
            rid = RefundId(f"RF{self._next_numbers('refund'):010d}")
            refund = Refund(
                rid,
                credit.customer,
                sid,
                amount,
                requested_on=day,
                requested_by=who,
                reason=reason,
                status=RefundStatus.PAID,
                decided_by=who,
                decided_on=day,
                paid_on=day,
            )
            [entry_id] = self._new_entry_ids(1)
            entry = post_refund(refund, entry_id=entry_id, credit=credit, chart=self._chart)
            self._write_entries([entry])
            self._store.execute(
                "INSERT INTO refunds (id, customer_id, source_id, refund_date, currency,"
                " amount_minor, method, entry_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rid,
                    credit.customer,
                    sid,
                    day.isoformat(),
                    amount.currency.code,
                    amount.minor_units,
                    method,
                    entry.id,
                    self._now().isoformat(),
                ),
            )
            touched.add(rid, entry.id)
            return {"id": rid, "customer": credit.customer, "source": sid, "by": who}

        result = self._run(
            "refund",
            actor=actor,
            key=idempotency_key,
            args={"source": source, "amount": amount, "reason": reason, "date": day},
            body=body,
        )
        return Refund(
            RefundId(result["id"]),
            CustomerId(result["customer"]),
            result["source"],
            amount,
            requested_on=day,
            requested_by=result["by"],
            reason=reason,
            status=RefundStatus.PAID,
            decided_by=result["by"],
            decided_on=day,
            paid_on=day,
        )

    def write_off(
        self,
        document: str,
        amount: Money | None = None,
        *,
        reason: WriteOffReason | str = WriteOffReason.UNCOLLECTIBLE,
        memo: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> WriteOff:
        """Write off (part of) what is open on an invoice or debit note.

        Args:
            document: The document's id or number.
            amount: How much; all that is open by default.
            reason: ``small_balance`` (rounding account) or ``uncollectible`` (bad debt).
            memo: Free text for the auditor.
            date: Posting date; today by default.
            actor: Who writes it off.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: More than is open.
            ApprovalRequired: The approval policy holds write-offs of this amount (or of
                all that is open): use ``request_write_off`` (nothing changes).
        """
        return self._write_off(
            document,
            amount,
            reason=reason,
            memo=memo,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def _write_off(
        self,
        document: str,
        amount: Money | None,
        *,
        reason: WriteOffReason | str,
        memo: str,
        date: dt.date | None,
        actor: str | None,
        idempotency_key: str | None,
        approved: bool,
    ) -> WriteOff:
        """:meth:`write_off`; ``approved`` (an approved request runs it) skips the policy."""
        day = date or self._today()
        why = WriteOffReason(reason) if isinstance(reason, str) else reason

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            doc_id = self._document_id(document)
            item = self._open_item(doc_id, day)
            if item is None or not item.open.is_positive:
                raise InvalidState(f"{document} has nothing open on {day}", document_id=doc_id)
            if not approved:
                self._require_approval(
                    ApprovalAction.WRITE_OFF, amount if amount is not None else item.open
                )
            wid = WriteOffId(f"WO{self._next_numbers('write_off'):010d}")
            write_off = WriteOff(
                wid,
                item.customer,
                item.document_id,
                amount if amount is not None else item.open,
                date=day,
                reason=why,
                requested_by=who,
                approved_by=None,
                memo=memo,
            )
            [entry_id] = self._new_entry_ids(1)
            entry = post_write_off(write_off, entry_id=entry_id, open_item=item, chart=self._chart)
            self._write_entries([entry])
            self._store.execute(
                "INSERT INTO write_offs (id, document_id, customer_id, write_off_date, currency,"
                " amount_minor, reason, entry_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    wid,
                    doc_id,
                    item.customer,
                    day.isoformat(),
                    write_off.amount.currency.code,
                    write_off.amount.minor_units,
                    why.value,
                    entry.id,
                    self._now().isoformat(),
                ),
            )
            touched.add(wid, entry.id)
            return {
                "id": wid,
                "amount": str(write_off.amount),
                "by": who,
                "doc": doc_id,
                "customer": item.customer,
            }

        result = self._run(
            "write_off",
            actor=actor,
            key=idempotency_key,
            args={"document": document, "amount": amount, "reason": why, "date": day, "memo": memo},
            body=body,
        )
        return WriteOff(
            WriteOffId(result["id"]),
            CustomerId(result["customer"]),
            DocumentId(result["doc"]),
            Money.parse(result["amount"]),
            date=day,
            reason=why,
            requested_by=result["by"],
            approved_by=None,
            memo=memo,
        )


def _payment(row: tuple[Any, ...]) -> Payment:
    return Payment(
        PaymentId(str(row[0])),
        CustomerId(str(row[1])),
        as_date(row[2]),
        money(row[4], Currency.of(str(row[3]))),
        str(row[5]),
        PaymentMethod(str(row[6])),
    )


def _less_open(item: OpenItem, amount: Money) -> OpenItem:
    return attrs.evolve(item, open=item.open - amount)


def _less_credit(credit: CreditItem, amount: Money) -> CreditItem:
    return attrs.evolve(credit, unapplied=credit.unapplied - amount)
