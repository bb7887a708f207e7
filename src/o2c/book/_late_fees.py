"""Late fees on the Book: the dunning run charges them by debit notes.

The pure rules are :mod:`o2c.credit` (:func:`~o2c.credit.plan_late_fees`); the policies
are the ``late_fee.<segment>`` settings. :func:`charge_late_fees` runs inside the dunning
run's transaction: one debit note per charged invoice (referencing it, out of the scope
of tax, item ``LATE_FEE``), issued, numbered and posted on the run date, and a
``late_fees`` row that says through which day the invoice was charged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing import DocumentLine, LineTax, ReasonCode
from o2c.billing.corrections import debit_note_for
from o2c.book import _catalog as catalog
from o2c.book._customers import load_customers
from o2c.book._issuing import store_correction
from o2c.book._lookups import load_for_update, new_document_ids
from o2c.book._reports import open_items_with_cases
from o2c.book._session import Session, Touched
from o2c.book._tables import collections as collections_table
from o2c.book._tables import settings as settings_table
from o2c.credit import (
    LATE_FEE_PREFIX,
    LateFee,
    LateFeePolicy,
    LateFeeSkip,
    late_fee_policies,
    plan_late_fees,
)
from o2c.ids import ItemCode
from o2c.parties import Customer

__all__ = [
    "LATE_FEE_ITEM",
    "ChargedLateFee",
    "LateFeePlan",
    "charge_late_fees",
    "charged_late_fees",
    "late_fee_plan",
    "policies",
]

#: The item code of a late-fee line.
LATE_FEE_ITEM: Final = ItemCode("LATE_FEE")
#: The tax of a late-fee line: interest and late-payment compensation are not a supply,
#: so out of the scope of VAT (EN 16931 category O).
_OUT_OF_SCOPE: Final = ("LATE-FEE-O", "O")


@attrs.frozen(slots=True)
class LateFeePlan:
    """What a run would charge.

    Attributes:
        as_of: The run date.
        fees: The fees to charge, by customer and invoice.
        skipped: Overdue invoices charged nothing, with why (disputed, extended).
    """

    as_of: dt.date
    fees: tuple[LateFee, ...]
    skipped: tuple[LateFeeSkip, ...]


@attrs.frozen(slots=True)
class ChargedLateFee:
    """A late fee charged.

    Attributes:
        fee: The fee.
        debit_note_id: The debit note that charged it.
        debit_note_number: Its number.
    """

    fee: LateFee
    debit_note_id: str
    debit_note_number: str | None


def policies(session: Session) -> dict[str, LateFeePolicy]:
    """The late-fee policy per segment (the ``late_fee.<segment>`` settings)."""
    return late_fee_policies(settings_table.with_prefix(session.store, LATE_FEE_PREFIX))


def late_fee_plan(session: Session, day: dt.date, customer: str | None = None) -> LateFeePlan:
    """The late fees a run on ``day`` charges (inside the caller's transaction)."""
    found = policies(session)
    if not found:
        return LateFeePlan(day, (), ())
    items = open_items_with_cases(session, day, customer=customer)
    people: dict[str, Customer] = {}
    load_customers(session, {str(i.customer) for i in items}, people)
    fees, skipped = plan_late_fees(
        items,
        as_of=day,
        policies=found,
        segment_of={cid: p.collection_segment for cid, p in people.items()},
        charged=collections_table.late_fees_charged(session.store, customer),
        rounding=catalog.rounding(session),
    )
    return LateFeePlan(day, fees, skipped)


def charge_late_fees(
    session: Session, day: dt.date, customer: str | None, touched: Touched
) -> list[str]:
    """Charge the late fees due on ``day``: one issued debit note per invoice; returns
    the debit note ids (inside the dunning run's transaction)."""
    plan = late_fee_plan(session, day, customer)
    if not plan.fees:
        return []
    ids = new_document_ids(session, len(plan.fees))
    made = []
    for fee, doc_id in zip(plan.fees, ids, strict=True):
        invoice = load_for_update(session, fee.document_id)
        zero = fee.amount - fee.amount
        line = DocumentLine(
            0,
            LATE_FEE_ITEM,
            fee.description,
            Decimal(1),
            fee.amount,
            fee.amount,
            (LineTax(_OUT_OF_SCOPE[0], _OUT_OF_SCOPE[1], Decimal(0), zero),),
        )
        draft = debit_note_for(
            invoice,
            [line],
            id=doc_id,
            reason=ReasonCode.OTHER,
            reason_text="late fee",
            tax_point=day,
        )
        store_correction(session, draft, True, day, touched)
        collections_table.insert_late_fee(session.store, fee, doc_id)
        made.append(str(doc_id))
    return made


def charged_late_fees(
    session: Session, *, debit_notes: list[str] | None = None, document: str | None = None
) -> list[ChargedLateFee]:
    """Late fees charged, by debit note id: these, or on one invoice (an id)."""
    return [
        ChargedLateFee(fee, note, number)
        for fee, note, number in collections_table.late_fees(
            session.store, debit_notes=debit_notes, document=document
        )
    ]
