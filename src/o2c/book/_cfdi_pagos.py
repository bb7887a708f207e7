"""The Pagos 2.0 complement of a payment, from the AR ledger (issue 17).

For each invoice a payment was applied to, the installment comes from the sub-ledger: the
number is one more than the payments applied to it before; the previous balance is what
the ledger has open on it now plus what this payment and any later ones applied (so a
credit note or write-off before the payment is already out of it); the remaining balance
is the previous one less this payment. So the complements of an invoice's payments chain
down to what the ledger shows open.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from o2c.book._cfdi import (
    active_stamp,
    issuer_postal_code,
    local_now,
    record_of,
    repeated_uuid,
)
from o2c.book._journal import open_item
from o2c.book._lookups import get_document
from o2c.book._payments import get_payment, list_allocations
from o2c.book._session import Session, Touched
from o2c.book._tables import cfdi as cfdi_table
from o2c.errors import Conflict, InvalidState, ValidationError
from o2c.ledger import PaymentMethod

if TYPE_CHECKING:
    from o2c.io.cfdi import CfdiRecord, Csd, Installment, Pac

__all__ = ["installments_of", "payment_cfdi_records", "stamp_payment_complement"]

_PAYMENT: Final = "payment"
#: c_FormaPago of o2c's payment methods (a direct debit is a transfer).
_FORMS: Final = {
    PaymentMethod.CASH: "01",
    PaymentMethod.CHECK: "02",
    PaymentMethod.BANK_TRANSFER: "03",
    PaymentMethod.DIRECT_DEBIT: "03",
    PaymentMethod.CARD: "04",
}


def installments_of(session: Session, payment_id: str) -> list[Installment]:
    """The installment of each invoice payment ``payment_id`` was applied to, from the
    ledger, in the order of the allocations.

    Raises:
        NotFound: No such payment.
        InvalidState: The payment is not applied to any invoice.
        ValidationError: An invoice it pays has no stamped CFDI in force.
    """
    from o2c.io.cfdi import Installment

    get_payment(session, payment_id)
    mine = [a for a in list_allocations(session, source=payment_id) if a.unallocated_by is None]
    if not mine:
        raise InvalidState(
            f"payment {payment_id} is not applied to any invoice: allocate it first"
            " (o2c payment allocate)"
        )
    parts: list[Installment] = []
    seen: set[str] = set()
    for allocation in mine:
        key = str(allocation.document_id)
        if key in seen:
            continue
        seen.add(key)
        doc = get_document(session, key)
        stamped = active_stamp(session, doc)
        if stamped is None:
            raise ValidationError(
                "invoice",
                doc.number,
                f"a stamped CFDI of {doc.number} (o2c cfdi stamp {doc.number}) before its"
                " payment's complement",
            )
        history = [a for a in list_allocations(session, document=key) if a.unallocated_by is None]
        first = next(i for i, a in enumerate(history) if a.source == payment_id)
        paid = sum((a.amount.amount for a in history if a.source == payment_id), Decimal(0))
        later = sum(
            (a.amount.amount for a in history[first:] if a.source != payment_id), Decimal(0)
        )
        earlier_payments = {a.source for a in history[:first] if _is_payment(session, a.source)}
        item = open_item(session, key, dt.date.max)
        open_now = Decimal(0) if item is None else item.open.amount
        parts.append(
            Installment(
                invoice=stamped.xml.encode("utf-8"),
                number=len(earlier_payments) + 1,
                previous_balance=open_now + paid + later,
                paid=paid,
            )
        )
    return parts


def _is_payment(session: Session, source: str) -> bool:
    from o2c.book._tables import payments as payments_table

    return payments_table.get_payment(session.store, source) is not None


def stamp_payment_complement(
    session: Session,
    payment_id: str,
    csd: Csd,
    pac: Pac,
    *,
    exchange_rate: Decimal | None = None,
    payment_form: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiRecord:
    """Write, seal and stamp the Pagos 2.0 complement of a payment; record it
    (``Book.stamp_payment_complement``).

    Args:
        payment_id: The payment, applied to stamped PPD invoices.
        csd: The issuer's CSD.
        pac: The PAC.
        exchange_rate: TipoCambioP for a payment not in pesos.
        payment_form: FormaDePagoP; by default from the payment's method (transfer 03,
            cash 01, check 02, card 04).

    Raises:
        NotFound: No such payment.
        InvalidState: Not applied to any invoice, or its complement is already stamped.
        ValidationError: An invoice without a stamped CFDI or issued PUE, a missing
            exchange rate or payment form; the PAC refused it. Nothing is stored.
    """
    from o2c.io.cfdi import write_payment_complement

    session.authorize("stamp_cfdi", actor)
    payment = get_payment(session, payment_id)
    repeated = repeated_uuid(session, idempotency_key, "stamp_cfdi")
    found = None if repeated is None else cfdi_table.stamp_by_uuid(session.store, repeated)
    if found is not None and found.source_id == payment_id:
        return record_of(found, payment_id)
    current = [
        r
        for r in cfdi_table.stamps_of(session.store, _PAYMENT, payment_id)
        if r.cancel_reason is None
    ]
    if current:
        raise InvalidState(
            f"payment {payment_id} already has complement {current[-1].uuid}; cancel it first"
        )
    form = payment_form or _FORMS.get(payment.method)
    if form is None:
        raise ValidationError(
            "payment_form", payment.method.value, "a c_FormaPago code for this payment (--form)"
        )
    parts = installments_of(session, payment_id)
    # The invoices' expedition place: the complement is issued where they were.
    postal_code = issuer_postal_code(session)
    sealed = write_payment_complement(
        parts,
        paid_at=dt.datetime.combine(payment.date, dt.time(12, 0)),
        payment_form=form,
        csd=csd,
        issued_at=local_now(session, postal_code),
        folio=payment_id[:40],
        exchange_rate=exchange_rate,
    )
    stamp = pac.stamp(sealed)
    who = session.who(actor)
    row = cfdi_table.StampRow(
        uuid=stamp.uuid,
        source_kind=_PAYMENT,
        source_id=payment_id,
        cfdi_type="P",
        pac=pac.name,
        stamped_at=stamp.stamped_at.replace(tzinfo=ZoneInfo("America/Mexico_City")),
        xml=stamp.xml.decode("utf-8"),
        stamped_by=who,
        cancel_reason=None,
        cancel_substitute=None,
        cancelled_at=None,
        cancelled_by=None,
    )

    def body(touched: Touched) -> dict[str, Any]:
        if cfdi_table.stamp_by_uuid(session.store, stamp.uuid) is not None:
            raise Conflict(f"the PAC returned UUID {stamp.uuid}, which the book already holds")
        cfdi_table.insert_stamp(session.store, row)
        touched.add(payment_id, f"cfdi:{stamp.uuid}")
        return {"uuid": stamp.uuid}

    session.run(
        "stamp_cfdi",
        actor=actor,
        key=idempotency_key,
        args={"payment": payment_id, "uuid": stamp.uuid, "pac": pac.name},
        body=body,
    )
    stored = cfdi_table.stamp_by_uuid(session.store, stamp.uuid)
    assert stored is not None
    return record_of(stored, payment_id)


def payment_cfdi_records(session: Session, payment_id: str) -> list[CfdiRecord]:
    """The complements stamped for a payment, oldest first.

    Raises:
        NotFound: No such payment.
    """
    get_payment(session, payment_id)
    rows = cfdi_table.stamps_of(session.store, _PAYMENT, payment_id)
    return [record_of(r, payment_id) for r in rows]


def payment_complement_xml(session: Session, payment_id: str) -> bytes:
    """The payment's stamped complement in force.

    Raises:
        NotFound: No such payment, or no complement in force.
    """
    from o2c.errors import NotFound

    for row in reversed(payment_cfdi_rows(session, payment_id)):
        if row.cancel_reason is None:
            return row.xml.encode("utf-8")
    raise NotFound("payment complement of", payment_id)


def payment_cfdi_rows(session: Session, payment_id: str) -> list[cfdi_table.StampRow]:
    """The stored complements of a payment."""
    get_payment(session, payment_id)
    return cfdi_table.stamps_of(session.store, _PAYMENT, payment_id)
