"""Mexico's CFDI 4.0 in the book (issue 17): the CFDI master data, stamping issued
documents through a PAC, and cancellation requests with SAT's reasons.

The master data a CFDI needs beyond o2c's parties and items lives in its own append-only
table (``cfdi_master_data``: a new version per change), checked against SAT's catalogues
before it is stored. Stamping builds and seals the CFDI (:func:`o2c.io.cfdi.write_cfdi`),
has the PAC stamp it, and records the UUID, stamp date, PAC and stamped XML in
``cfdi_stamps`` in one command; a refused CFDI stores nothing. :class:`CfdiMixin` is the
group on the :class:`o2c.Book`. Everything here needs the ``mx`` extra (satcfdi).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

import attrs

from o2c.billing import Document, DocumentKind, DocumentStatus
from o2c.book import _sellers
from o2c.book._area import Area
from o2c.book._customers import get_customer
from o2c.book._lookups import get_document
from o2c.book._session import Session, Touched
from o2c.book._tables import cfdi as cfdi_table
from o2c.book._tables import settings as settings_table
from o2c.errors import Conflict, InvalidState, NotFound, ValidationError

if TYPE_CHECKING:
    from o2c.io.cfdi import (
        CancelReason,
        CfdiCustomer,
        CfdiItem,
        CfdiRecord,
        CfdiSeller,
        Csd,
        Installment,
        Pac,
    )

__all__ = [
    "CfdiMixin",
    "cancel_cfdi",
    "cfdi_customer",
    "cfdi_item",
    "cfdi_records",
    "cfdi_seller",
    "cfdi_xml",
    "seal_cfdi",
    "set_cfdi_customer",
    "set_cfdi_item",
    "set_cfdi_seller",
    "stamp_cfdi",
]

_CUSTOMER: Final = "customer"
_ITEM: Final = "item"
_SELLER: Final = "seller"
_DOCUMENT: Final = "document"
_SELLER_CODE: Final = "seller"


def _dump(value: object) -> str:
    return json.dumps(attrs.asdict(value), sort_keys=True)  # type: ignore[arg-type]


def _store_master(
    session: Session,
    command: str,
    kind: str,
    code: str,
    data: object,
    *,
    actor: str | None,
    idempotency_key: str | None,
) -> None:
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        version = cfdi_table.add_master(
            session.store, kind, code, _dump(data), actor=who, now=session.now().isoformat()
        )
        touched.add(f"cfdi:{kind}:{code}:{version}")
        return {"version": version}

    session.run(
        command,
        actor=actor,
        key=idempotency_key,
        args={"code": code, **attrs.asdict(data)},  # type: ignore[arg-type]
        body=body,
    )


def set_cfdi_customer(
    session: Session,
    customer_id: str,
    data: CfdiCustomer,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiCustomer:
    """Record a customer's CFDI data (``Book.set_cfdi_customer``) as its next version.

    Raises:
        NotFound: No such customer.
        ValidationError: A code not in SAT's catalogue, an RFC whose check digit fails,
            a regime the CFDI use does not allow... (all problems in one message; nothing
            is stored).
    """
    from o2c.io.cfdi import check_customer, refuse

    customer = get_customer(session, customer_id)
    refuse(check_customer(data, rfc=(data.rfc or customer.tax_id or "").upper()))
    _store_master(
        session,
        "set_cfdi_customer",
        _CUSTOMER,
        customer_id,
        data,
        actor=actor,
        idempotency_key=idempotency_key,
    )
    return data


def set_cfdi_item(
    session: Session,
    item: str,
    data: CfdiItem,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiItem:
    """Record an item's SAT keys (``Book.set_cfdi_item``) as its next version.

    Raises:
        ValidationError: A key not in c_ClaveProdServ, c_ClaveUnidad or c_ObjetoImp.
    """
    from o2c.io.cfdi import check_item, refuse

    if not item.strip():
        raise ValidationError("item", item, "an item code")
    refuse(check_item(data, field=f"items[{item}]"))
    _store_master(
        session, "set_cfdi_item", _ITEM, item, data, actor=actor, idempotency_key=idempotency_key
    )
    return data


def set_cfdi_seller(
    session: Session,
    data: CfdiSeller,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiSeller:
    """Record the issuer's CFDI data (``Book.set_cfdi_seller``): regime and expedition
    postal code where the seller identity lacks them.

    Raises:
        NotFound: No seller identity was set (``Book.set_seller``).
        ValidationError: The resulting RFC, regime or postal code is not valid.
    """
    from o2c.io.cfdi import check_seller, issuer_of, refuse

    issuer = issuer_of(_sellers.seller_identity(session), data)
    refuse(check_seller(rfc=issuer.rfc, regime=issuer.regime, postal_code=issuer.postal_code))
    _store_master(
        session,
        "set_cfdi_seller",
        _SELLER,
        _SELLER_CODE,
        data,
        actor=actor,
        idempotency_key=idempotency_key,
    )
    return data


def cfdi_customer(session: Session, customer_id: str) -> CfdiCustomer | None:
    """The customer's CFDI data in force, or None."""
    from o2c.io.cfdi import CfdiCustomer

    found = cfdi_table.latest_master(session.store, _CUSTOMER, customer_id)
    return None if found is None else CfdiCustomer(**found)


def cfdi_item(session: Session, item: str) -> CfdiItem | None:
    """The item's SAT keys in force, or None."""
    from o2c.io.cfdi import CfdiItem

    found = cfdi_table.latest_master(session.store, _ITEM, item)
    return None if found is None else CfdiItem(**found)


def cfdi_seller(session: Session) -> CfdiSeller | None:
    """The issuer's CFDI data in force, or None."""
    from o2c.io.cfdi import CfdiSeller

    found = cfdi_table.latest_master(session.store, _SELLER, _SELLER_CODE)
    return None if found is None else CfdiSeller(**found)


def record_of(row: cfdi_table.StampRow, number: str) -> CfdiRecord:
    """A stored stamp as a :class:`~o2c.io.cfdi.CfdiRecord` of document ``number``."""
    from o2c.io.cfdi import CancelReason, CfdiRecord

    return CfdiRecord(
        uuid=row.uuid,
        source=number,
        cfdi_type=row.cfdi_type,
        pac=row.pac,
        stamped_at=row.stamped_at,
        stamped_by=row.stamped_by,
        cancel_reason=None if row.cancel_reason is None else CancelReason.of(row.cancel_reason),
        substitute=row.cancel_substitute,
        cancelled_at=row.cancelled_at,
        cancelled_by=row.cancelled_by,
    )


def active_stamp(session: Session, doc: Document) -> cfdi_table.StampRow | None:
    """The document's stamped CFDI in force (not cancelled), or None."""
    rows = cfdi_table.stamps_of(session.store, _DOCUMENT, str(doc.id))
    live = [r for r in rows if r.cancel_reason is None]
    return live[-1] if live else None


def cfdi_records(session: Session, document: str) -> list[CfdiRecord]:
    """Every CFDI stamped for a document (id or number), oldest first, cancelled ones too.

    Raises:
        NotFound: No such document.
    """
    doc = get_document(session, document)
    rows = cfdi_table.stamps_of(session.store, _DOCUMENT, str(doc.id))
    return [record_of(r, doc.number or str(doc.id)) for r in rows]


def cfdi_xml(session: Session, document: str) -> bytes:
    """The stamped CFDI in force of a document (id or number), as the PAC returned it.

    Raises:
        NotFound: No such document, or it has no stamped CFDI that is not cancelled.
    """
    doc = get_document(session, document)
    row = active_stamp(session, doc)
    if row is None:
        raise NotFound(
            "stamped CFDI of", doc.number or doc.id, hint=f"stamp it: o2c cfdi stamp {doc.number}"
        )
    return row.xml.encode("utf-8")


def issuer_postal_code(session: Session) -> str:
    """The expedition postal code in force: the CFDI seller data's, else the seller's."""
    from o2c.io.cfdi import issuer_of

    return issuer_of(_sellers.seller_identity(session), cfdi_seller(session)).postal_code


def local_now(session: Session, postal_code: str) -> dt.datetime:
    """Now on the book's clock as the local time at ``postal_code`` (naive), for Fecha."""
    from satcfdi.transform import get_timezone

    zone = get_timezone(postal_code)
    local: dt.datetime = session.now().astimezone(zone)
    return local.replace(tzinfo=None, microsecond=0)


def seal_cfdi(
    session: Session,
    document: str,
    csd: Csd,
    *,
    exchange_rate: Decimal | None = None,
) -> bytes:
    """The sealed (not yet stamped) CFDI of issued ``document``, dated now at the
    expedition place; stores nothing (``Book.seal_cfdi``).

    Raises:
        NotFound: No such document, or no seller identity.
        InvalidState: The document is not issued.
        ValidationError: Master data missing or refused (field and value named), a
            missing exchange rate, a credit note whose invoice has no stamped CFDI.
    """
    from o2c.io.cfdi import issuer_of, write_cfdi

    doc = get_document(session, document)
    if doc.status is not DocumentStatus.ISSUED:
        raise InvalidState(
            f"{doc.number or doc.id} is {doc.status.value}: only issued documents are stamped",
            document_id=str(doc.id),
        )
    seller = _sellers.document_seller(session, str(doc.id)) or _sellers.seller_identity(session)
    seller_data = cfdi_seller(session)
    customer_id = str(doc.customer.customer_id)
    customer = cfdi_customer(session, customer_id)
    if customer is None:
        raise ValidationError(
            f"customers[{customer_id}].cfdi",
            None,
            f"the customer's CFDI data: o2c cfdi customer set {customer_id} --regime"
            " --postal-code --use",
        )
    codes = sorted({str(line.item) for line in doc.lines})
    from o2c.io.cfdi import CfdiItem

    items = {
        code: CfdiItem(**data)
        for code, data in cfdi_table.masters(session.store, _ITEM, codes).items()
    }
    related = None
    if doc.kind is DocumentKind.CREDIT_NOTE and doc.reference is not None:
        invoice = get_document(session, str(doc.reference))
        stamped = active_stamp(session, invoice)
        if stamped is None:
            raise ValidationError(
                "related_uuid",
                None,
                f"a stamped CFDI of {invoice.number}, which {doc.number} credits (stamp it first)",
            )
        related = stamped.uuid
    issuer = issuer_of(seller, seller_data)
    return write_cfdi(
        doc,
        seller=seller,
        customer=customer,
        items=items,
        csd=csd,
        issued_at=local_now(session, issuer.postal_code),
        seller_data=seller_data,
        exchange_rate=exchange_rate,
        related_uuid=related,
    )


def repeated_uuid(session: Session, key: str | None, command: str) -> str | None:
    """The UUID a command already recorded under idempotency ``key``, or None: a retry
    returns the first outcome without asking the PAC again."""
    if key is None:
        return None
    found = settings_table.idempotent_result(session.store, key)
    if found is None or found[0] != command:
        return None
    uuid = found[2].get("uuid")
    return str(uuid) if uuid else None


def stamp_cfdi(
    session: Session,
    document: str,
    csd: Csd,
    pac: Pac,
    *,
    exchange_rate: Decimal | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiRecord:
    """Seal issued ``document``, have ``pac`` stamp it and record the stamp
    (``Book.stamp_cfdi``).

    Raises:
        NotFound: No such document or seller identity.
        InvalidState: The document is not issued, or already has a stamped CFDI in force
            (cancel that one first).
        ValidationError: Master data refused, or the PAC refused the CFDI; nothing is
            stored either way.
    """
    # Before the PAC is called: a stamp the actor may not record must not be made.
    session.authorize("stamp_cfdi", actor)
    doc = get_document(session, document)
    repeated = repeated_uuid(session, idempotency_key, "stamp_cfdi")
    row = None if repeated is None else cfdi_table.stamp_by_uuid(session.store, repeated)
    if row is not None and row.source_id == str(doc.id):
        return record_of(row, doc.number or str(doc.id))
    current = active_stamp(session, doc)
    if current is not None:
        raise InvalidState(
            f"{doc.number} already has CFDI {current.uuid} (stamped {current.stamped_at:%Y-%m-%d});"
            f" cancel it first: o2c cfdi cancel {doc.number} --reason 01 --substitute UUID",
            document_id=str(doc.id),
        )
    from o2c.io.cfdi import cfdi_type

    sealed = seal_cfdi(session, str(doc.id), csd, exchange_rate=exchange_rate)
    stamp = pac.stamp(sealed)
    who = session.who(actor)
    row = cfdi_table.StampRow(
        uuid=stamp.uuid,
        source_kind=_DOCUMENT,
        source_id=str(doc.id),
        cfdi_type=cfdi_type(doc),
        pac=pac.name,
        # FechaTimbrado is Mexico City time without an offset (Anexo 20).
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
            raise Conflict(
                f"the PAC returned UUID {stamp.uuid}, which the book already holds;"
                f" nothing was recorded for {doc.number}"
            )
        cfdi_table.insert_stamp(session.store, row)
        touched.add(str(doc.id), f"cfdi:{stamp.uuid}")
        return {"uuid": stamp.uuid}

    session.run(
        "stamp_cfdi",
        actor=actor,
        key=idempotency_key,
        args={"document": doc.number, "uuid": stamp.uuid, "pac": pac.name},
        body=body,
    )
    stored = cfdi_table.stamp_by_uuid(session.store, stamp.uuid)
    assert stored is not None
    return record_of(stored, doc.number or str(doc.id))


def cancel_cfdi(
    session: Session,
    document: str,
    reason: CancelReason | str,
    pac: Pac,
    *,
    substitute: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CfdiRecord:
    """Request the cancellation of a document's stamped CFDI with SAT's ``reason``
    through ``pac`` and record it on the stamp and in the audit trail
    (``Book.cancel_cfdi``). The o2c document itself is not changed: void it or credit it
    as usual.

    Raises:
        NotFound: No such document, or it has no stamped CFDI in force.
        ValidationError: An unknown reason, reason 01 without the substitute's UUID, a
            substitute with another reason, or the substitute is the CFDI itself.
    """
    import uuid as uuid_module

    from o2c.io.cfdi import CFDI_NS, CancelReason, parse_cfdi

    # Before the PAC is asked: SAT is not asked to cancel what the actor may not cancel.
    session.authorize("cancel_cfdi", actor)
    chosen = reason if isinstance(reason, CancelReason) else CancelReason.of(reason)
    if chosen is CancelReason.ERRORS_WITH_RELATION:
        if not substitute:
            raise ValidationError(
                "substitute", substitute, "the UUID of the CFDI that replaces it (reason 01)"
            )
        try:
            substitute = str(uuid_module.UUID(substitute)).upper()
        except ValueError:
            raise ValidationError("substitute", substitute, "a UUID") from None
    elif substitute:
        raise ValidationError(
            "substitute", substitute, f"no substitute with reason {chosen.value} (only 01)"
        )
    doc = get_document(session, document)
    repeated = repeated_uuid(session, idempotency_key, "cancel_cfdi")
    row = None if repeated is None else cfdi_table.stamp_by_uuid(session.store, repeated)
    if row is not None and row.source_id == str(doc.id):
        return record_of(row, doc.number or str(doc.id))
    current = active_stamp(session, doc)
    if current is None:
        raise NotFound("stamped CFDI of", doc.number or doc.id)
    if substitute == current.uuid:
        raise ValidationError("substitute", substitute, "another CFDI than the one cancelled")
    emisor = parse_cfdi(current.xml.encode("utf-8")).find(f"{{{CFDI_NS}}}Emisor")
    issuer_rfc = "" if emisor is None else emisor.get("Rfc", "")
    pac.cancel(current.uuid, rfc=issuer_rfc, reason=chosen, substitute=substitute)
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        cfdi_table.cancel(
            session.store,
            current.uuid,
            reason=chosen.value,
            substitute=substitute,
            at=session.now().isoformat(),
            actor=who,
        )
        touched.add(str(doc.id), f"cfdi:{current.uuid}")
        return {"uuid": current.uuid}

    session.run(
        "cancel_cfdi",
        actor=actor,
        key=idempotency_key,
        args={
            "document": doc.number,
            "uuid": current.uuid,
            "reason": chosen.value,
            "substitute": substitute,
        },
        body=body,
    )
    stored = cfdi_table.stamp_by_uuid(session.store, current.uuid)
    assert stored is not None
    return record_of(stored, doc.number or str(doc.id))


class CfdiMixin(Area):
    """Mexico's CFDI 4.0: master data, stamping and cancellation (extra ``o2c[mx]``)."""

    def set_cfdi_customer(
        self,
        customer_id: str,
        data: CfdiCustomer,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiCustomer:
        """Record a customer's CFDI data: regime, tax postal code, CFDI use, payment
        method and form (checked against SAT's catalogues; nothing stored when refused)."""
        return set_cfdi_customer(
            self._session, customer_id, data, actor=actor, idempotency_key=idempotency_key
        )

    def set_cfdi_item(
        self,
        item: str,
        data: CfdiItem,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiItem:
        """Record an item's SAT keys (ClaveProdServ, ClaveUnidad, ObjetoImp)."""
        return set_cfdi_item(
            self._session, item, data, actor=actor, idempotency_key=idempotency_key
        )

    def set_cfdi_seller(
        self,
        data: CfdiSeller,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiSeller:
        """Record the issuer's regime and expedition postal code for CFDIs."""
        return set_cfdi_seller(self._session, data, actor=actor, idempotency_key=idempotency_key)

    def cfdi_customer(self, customer_id: str) -> CfdiCustomer | None:
        """The customer's CFDI data in force, or None."""
        return cfdi_customer(self._session, customer_id)

    def cfdi_item(self, item: str) -> CfdiItem | None:
        """The item's SAT keys in force, or None."""
        return cfdi_item(self._session, item)

    def cfdi_seller(self) -> CfdiSeller | None:
        """The issuer's CFDI data in force, or None."""
        return cfdi_seller(self._session)

    def seal_cfdi(self, document: str, csd: Csd, *, exchange_rate: Decimal | None = None) -> bytes:
        """The sealed, unstamped CFDI of an issued document (nothing is stored)."""
        return seal_cfdi(self._session, document, csd, exchange_rate=exchange_rate)

    def stamp_cfdi(
        self,
        document: str,
        csd: Csd,
        pac: Pac,
        *,
        exchange_rate: Decimal | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiRecord:
        """Seal an issued document's CFDI, have the PAC stamp it, record UUID, date and PAC."""
        return stamp_cfdi(
            self._session,
            document,
            csd,
            pac,
            exchange_rate=exchange_rate,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def cancel_cfdi(
        self,
        document: str,
        reason: CancelReason | str,
        pac: Pac,
        *,
        substitute: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiRecord:
        """Request the cancellation of a document's CFDI with SAT's reason 01-04."""
        return cancel_cfdi(
            self._session,
            document,
            reason,
            pac,
            substitute=substitute,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def stamp_payment_complement(
        self,
        payment: str,
        csd: Csd,
        pac: Pac,
        *,
        exchange_rate: Decimal | None = None,
        payment_form: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> CfdiRecord:
        """Stamp the Pagos 2.0 complement of a payment applied to stamped PPD invoices
        (installment, previous balance and remaining balance from the ledger)."""
        from o2c.book._cfdi_pagos import stamp_payment_complement

        return stamp_payment_complement(
            self._session,
            payment,
            csd,
            pac,
            exchange_rate=exchange_rate,
            payment_form=payment_form,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def payment_installments(self, payment: str) -> list[Installment]:
        """What the payment's complement would say for each invoice it pays (no stamp)."""
        from o2c.book._cfdi_pagos import installments_of

        return installments_of(self._session, payment)

    def payment_cfdi_records(self, payment: str) -> list[CfdiRecord]:
        """The complements stamped for a payment, oldest first."""
        from o2c.book._cfdi_pagos import payment_cfdi_records

        return payment_cfdi_records(self._session, payment)

    def payment_complement_xml(self, payment: str) -> bytes:
        """The payment's stamped complement in force, as the PAC returned it."""
        from o2c.book._cfdi_pagos import payment_complement_xml

        return payment_complement_xml(self._session, payment)

    def cfdi_records(self, document: str) -> list[CfdiRecord]:
        """Every CFDI stamped for a document, oldest first (cancelled ones too)."""
        return cfdi_records(self._session, document)

    def cfdi_xml(self, document: str) -> bytes:
        """The document's stamped CFDI in force, as the PAC returned it."""
        return cfdi_xml(self._session, document)
