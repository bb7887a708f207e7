"""Payments and cash application to open items: record, allocate, unallocate.

:class:`PaymentsMixin` is the Book's payments group: payments and allocations here,
refunds in :mod:`o2c.book._refunds`, write-offs in :mod:`o2c.book._writeoffs`; bank
files and statements (in bulk) are :mod:`o2c.book._cashapp`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from o2c.book import _refunds as refunds
from o2c.book import _writeoffs as writeoffs
from o2c.book._area import Area
from o2c.book._fx_rates import functional_currency
from o2c.book._journal import credit_item, journal, new_entry_ids, open_items, write_entries
from o2c.book._limits import credit_history, item_histories
from o2c.book._lookups import check_page, document_id, require_customer, source_id
from o2c.book._session import Session, Touched
from o2c.book._tables import customers as customers_table
from o2c.book._tables import payments as payments_table
from o2c.errors import InvalidState, NotFound
from o2c.ids import CustomerId, DocumentId, PaymentId
from o2c.io import structure, to_plain
from o2c.ledger.items import AllocationRecord, OpenItem, less_open, less_unapplied
from o2c.ledger.journal import JournalEntry
from o2c.ledger.limits import check_take, open_from, unapplied_from
from o2c.ledger.payments import (
    Allocation,
    Payment,
    PaymentMethod,
    allocate_oldest_first,
    check_payment_currency,
    post_allocation,
    post_payment,
    post_unallocation,
)
from o2c.ledger.refunds import Refund
from o2c.ledger.tolerance import tolerance_writeoff
from o2c.ledger.writeoffs import (
    WriteOff,
    WriteOffReason,
    reverse_write_off,
    unreversed_write_offs,
)
from o2c.money import Currency, Money

__all__ = [
    "PaymentsMixin",
    "allocate",
    "apply_credit",
    "get_allocation",
    "get_payment",
    "list_allocations",
    "list_payments",
    "record_payment",
    "unallocate",
]

# -- payments ------------------------------------------------------------------------------


def record_payment(
    session: Session,
    customer: str,
    amount: Money,
    *,
    date: dt.date | None,
    reference: str,
    method: PaymentMethod | str,
    payment_id: str | None,
    allocate: bool,
    actor: str | None,
    idempotency_key: str | None,
) -> Payment:
    """Record money received into unapplied cash, and apply it if ``allocate``
    (``Book.record_payment``)."""
    day = date or session.today()
    how = PaymentMethod(method) if isinstance(method, str) else method

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, customer)
        billed = customers_table.currencies(session.store, [customer])[customer]
        if functional_currency(session) is None:
            # A book with a functional currency takes payments in any currency: they
            # keep their rate and settle other currencies' items (Book.settle_in_currency).
            check_payment_currency(customer, amount, Currency.of(billed))
        pid = payment_id
        if pid is None:
            pid = f"PAY{session.next_numbers('payment'):010d}"
        elif payments_table.payment_exists(session.store, pid):
            raise InvalidState(f"payment {pid} exists already", document_id=pid)
        payment = Payment(PaymentId(pid), CustomerId(customer), day, amount, reference, how)
        session.ensure_currency(amount.currency)
        [entry_id] = new_entry_ids(session, 1)
        entry = post_payment(payment, entry_id=entry_id, chart=session.chart)
        write_entries(session, [entry])
        payments_table.insert_payment_rows(
            session.store, [payments_table.payment_row(payment, session.now().isoformat())]
        )
        touched.add(pid, entry.id)
        if allocate:
            apply_credit(session, pid, None, day, touched, actor=actor)
        return {"id": pid}

    result = session.run(
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
    return get_payment(session, result["id"])


def get_payment(session: Session, payment_id: str) -> Payment:
    """The payment with this id (``Book.get_payment``).

    Raises:
        NotFound: No such payment.
    """
    found = payments_table.get_payment(session.store, payment_id)
    if found is None:
        raise NotFound("payment", payment_id)
    return found


def list_payments(
    session: Session,
    *,
    customer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list[Payment]:
    """Payments in id order, optionally filtered (``Book.list_payments``)."""
    check_page(start, end, limit)
    return payments_table.list_payments(
        session.store,
        customer=customer,
        start=None if start is None else start.isoformat(),
        end=None if end is None else end.isoformat(),
        after=after,
        limit=limit,
    )


# -- allocation ----------------------------------------------------------------------------


def allocate(
    session: Session,
    source: str,
    allocations: Mapping[str, Money] | None,
    *,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> list[Allocation]:
    """Apply a payment or credit note to open items (``Book.allocate``)."""
    day = date or session.today()
    converter = session.converter()

    def body(touched: Touched) -> dict[str, Any]:
        made = apply_credit(session, source, allocations, day, touched, actor=actor)
        return {"allocations": to_plain(made, converter)}

    result = session.run(
        "allocate",
        actor=actor,
        key=idempotency_key,
        args={"source": source, "allocations": dict(allocations or {}), "date": day},
        body=body,
    )
    return structure(result["allocations"], list[Allocation], converter=converter)


def apply_credit(
    session: Session,
    source: str,
    allocations: Mapping[str, Money] | None,
    day: dt.date,
    touched: Touched,
    *,
    actor: str | None = None,
) -> list[Allocation]:
    """Allocate ``source``'s credit (inside a command): to ``{document: amount}``, or,
    for ``None``, to the customer's open items oldest due first.

    An item left open by no more than the book's write-off tolerance in its currency
    (:mod:`o2c.ledger.tolerance`) is closed by a small-balance write-off in the same
    command; its allocation names the amount (``written_off``).

    Raises:
        NotFound: ``source`` names no payment or credit note, or a document is unknown.
        InvalidState: More than is open on an item or unapplied on the source.
    """
    sid = source_id(session, source)
    credit = credit_item(session, sid, day)
    if credit is None:
        raise NotFound("payment or credit note", source, hint="record the payment first")
    # Every limit holds as of ``day`` and every later date (o2c.ledger.limits): a
    # back-dated allocation may take only what later entries leave open and unapplied.
    held = credit_history(session, sid)
    if allocations is None:
        items = open_items(session, as_of=day, customer=credit.customer)
        dated = item_histories(session, [i.document_id for i in items])
        lasting = [open_from(i, dated[i.document_id], day) for i in items]
        plan = list(allocate_oldest_first(unapplied_from(credit, held, day), lasting, date=day))
    else:
        plan = [
            Allocation(sid, credit.customer, DocumentId(document_id(session, target)), amount, day)
            for target, amount in allocations.items()
        ]
    if not plan:
        return []
    ids = new_entry_ids(session, len(plan))
    entries: list[JournalEntry] = []
    # Each allocation sees the items and credit as the previous ones left them.
    opened = {
        i.document_id: i
        for i in open_items(
            session,
            as_of=day,
            document_ids=[a.document_id for a in plan],
            include_settled=True,
        )
    }
    owed = item_histories(session, [a.document_id for a in plan])
    tolerance = writeoffs.write_off_tolerance(session, credit.currency)
    small: list[tuple[int, OpenItem, Money]] = []
    for index, (allocation, entry_id) in enumerate(zip(plan, ids, strict=True)):
        item = opened.get(allocation.document_id)
        if item is None:
            raise InvalidState(
                f"document {allocation.document_id} has nothing open on {day}",
                document_id=allocation.document_id,
            )
        entry = post_allocation(
            allocation, entry_id=entry_id, open_item=item, credit=credit, chart=session.chart
        )
        taken = allocation.amount
        check_take(
            owed[item.document_id], taken, on=day, action=f"allocate {taken} to {item.number}"
        )
        check_take(held, taken, on=day, action=f"allocate {taken} from {sid}", held="unapplied")
        entries.append(entry)
        staying = open_from(item, owed[item.document_id], day).open
        opened[item.document_id] = less_open(item, taken)
        owed[item.document_id] = owed[item.document_id].plus(day, -taken)
        credit = less_unapplied(credit, taken)
        held = held.plus(day, -taken)
        rest = tolerance_writeoff(staying, taken, tolerance)
        if rest is not None:
            check_take(
                owed[item.document_id], rest, on=day, action=f"write off {rest} of {item.number}"
            )
            opened[item.document_id] = less_open(opened[item.document_id], rest)
            owed[item.document_id] = owed[item.document_id].plus(day, -rest)
            small.append((index, less_open(item, taken), rest))
    write_entries(session, entries)
    payments_table.insert_allocation_rows(
        session.store,
        [payments_table.allocation_row(a, e.id) for a, e in zip(plan, entries, strict=True)],
    )
    touched.extend(e.id for e in entries)
    for index, left, rest in small:
        writeoffs.tolerance_write_off(
            session,
            left,
            rest,
            day=day,
            source=sid,
            allocation=entries[index].id,
            actor=actor,
            touched=touched,
        )
        plan[index] = attrs.evolve(plan[index], written_off=rest)
    return plan


def unallocate(
    session: Session,
    allocation_id: str,
    *,
    reason: str,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> AllocationRecord:
    """Undo one allocation (``Book.unallocate``); the tolerance write-off it caused, if
    any, is reversed in the same transaction, so the item is open for all it was."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        record = get_allocation(session, allocation_id)
        caused: list[JournalEntry] = []
        if record.unallocated_by is None:
            for wid in payments_table.write_offs_caused_by(session.store, allocation_id):
                caused.extend(unreversed_write_offs(journal(session, source=wid)))
        ids = new_entry_ids(session, 1 + len(caused))
        entry = post_unallocation(
            record, entry_id=ids[0], date=day, reason=reason, chart=session.chart
        )
        why = f"allocation {allocation_id} undone: {reason}"
        entries = [entry] + [
            reverse_write_off(c, entry_id=i, date=day, reason=why)
            for c, i in zip(caused, ids[1:], strict=True)
        ]
        write_entries(session, entries)
        payments_table.mark_unallocated(session.store, allocation_id, entry.id)
        touched.add(allocation_id, entry.id)
        touched.extend(e.id for e in entries[1:])
        return {"id": allocation_id}

    result = session.run(
        "unallocate",
        actor=actor,
        key=idempotency_key,
        args={"allocation_id": allocation_id, "reason": reason, "date": day},
        body=body,
    )
    return get_allocation(session, result["id"])


def get_allocation(session: Session, allocation_id: str) -> AllocationRecord:
    """The allocation with this id (its journal entry id).

    Raises:
        NotFound: No such allocation.
    """
    found = payments_table.get_allocation(session.store, allocation_id)
    if found is None:
        raise NotFound("allocation", allocation_id)
    return found


def list_allocations(
    session: Session, *, document: str | None = None, source: str | None = None
) -> list[AllocationRecord]:
    """Allocations, with the entry that undid them if any, in order
    (``Book.list_allocations``)."""
    return payments_table.list_allocations(
        session.store,
        document_id=None if document is None else document_id(session, document),
        source_id=None if source is None else source_id(session, source),
    )


# -- the Book's payments group -------------------------------------------------------------


class PaymentsMixin(Area):
    """Cash in, cash applied, cash out and amounts written off."""

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
        return record_payment(
            self._session,
            customer,
            amount,
            date=date,
            reference=reference,
            method=method,
            payment_id=payment_id,
            allocate=allocate,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def get_payment(self, payment_id: str) -> Payment:
        """The payment with this id.

        Raises:
            NotFound: No such payment.
        """
        return get_payment(self._session, payment_id)

    def list_payments(
        self,
        *,
        customer: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Payment]:
        """Payments in id order, optionally filtered in the store's query.

        Args:
            customer: Only this customer's payments.
            start: Only payments received on or after this day.
            end: Only payments received on or before this day (included).
            after: A cursor: only payments whose id sorts after this one.
            limit: At most this many (1 or more).

        Raises:
            ValidationError: ``end`` is before ``start`` or ``limit`` is below 1.
        """
        return list_payments(
            self._session, customer=customer, start=start, end=end, after=after, limit=limit
        )

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
        return allocate(
            self._session,
            source,
            allocations,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def unallocate(
        self,
        allocation_id: str,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> AllocationRecord:
        """Undo one allocation (its id is its journal entry id): the item is owed again,
        and the tolerance write-off the allocation caused, if any, is reversed.

        Raises:
            InvalidState: Already undone.
            NotFound: No such allocation.
        """
        return unallocate(
            self._session,
            allocation_id,
            reason=reason,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_allocations(
        self, *, document: str | None = None, source: str | None = None
    ) -> list[AllocationRecord]:
        """Allocations (with the entry that undid them, if any), in order."""
        return list_allocations(self._session, document=document, source=source)

    def list_refunds(
        self,
        *,
        customer: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int | None = None,
    ) -> list[Refund]:
        """Refunds paid out, in order (as :class:`~o2c.ledger.refunds.Refund` values).

        A refund an approval held names its requester, request date and approver (the
        four eyes); one run directly names its actor as both.

        Filters (in the store's query): ``customer``; ``start`` and ``end``, the paid-on
        dates, both included; ``limit``.
        """
        return refunds.list_refunds(
            self._session, customer=customer, start=start, end=end, limit=limit
        )

    def list_write_offs(
        self,
        *,
        customer: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int | None = None,
    ) -> list[WriteOff]:
        """Write-offs posted, in order (as :class:`~o2c.ledger.writeoffs.WriteOff` values)."""
        return writeoffs.list_write_offs(
            self._session, customer=customer, start=start, end=end, limit=limit
        )

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
        return refunds.refund(
            self._session,
            source,
            amount,
            reason=reason,
            date=date,
            method=method,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
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
        return writeoffs.write_off(
            self._session,
            document,
            amount,
            reason=reason,
            memo=memo,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )
