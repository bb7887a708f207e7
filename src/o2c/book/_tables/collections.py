"""Collections rows: each customer's last contact (interaction note) up to a time, and
the late fees dunning runs charged (``late_fees``: one row per invoice and run date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from o2c.book._codec import as_date, as_timestamp
from o2c.credit import LateFee
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money
from o2c.store import Store

__all__ = [
    "insert_late_fee",
    "last_contacts",
    "late_fees",
    "late_fees_charged",
    "run_customers_to_check",
]


def last_contacts(
    store: Store, before: dt.datetime, customer: str | None = None
) -> dict[str, tuple[dt.datetime, str, str, str]]:
    """Per customer, ``(started, channel, summary, author)`` of its last note that
    started before ``before`` (an aware time)."""
    where, params = (
        "COALESCE(n.started_at, n.created_at) < ?",
        [before.astimezone(dt.UTC).isoformat()],
    )
    if customer is not None:
        where += " AND n.customer_id = ?"
        params.append(customer)
    found: dict[str, tuple[dt.datetime, str, str, str]] = {}
    for cust, started, channel, summary, author in store.query(
        "SELECT n.customer_id, COALESCE(n.started_at, n.created_at), n.channel, n.summary,"
        " n.actor FROM notes n"
        f" WHERE {where} ORDER BY n.customer_id, 2, n.id",
        params,
    ):
        found[str(cust)] = (as_timestamp(started), str(channel), str(summary), str(author))
    return found


def late_fees_charged(store: Store, customer: str | None = None) -> dict[str, dt.date]:
    """Per invoice id, the last day a late fee on it was charged through."""
    where, params = "", []
    if customer is not None:
        where, params = " WHERE d.customer_id = ?", [customer]
    return {
        str(doc): as_date(through)
        for doc, through in store.query(
            "SELECT f.document_id, MAX(f.through_date) FROM late_fees f"
            f" JOIN documents d ON d.id = f.document_id{where} GROUP BY f.document_id",
            params,
        )
    }


def insert_late_fee(store: Store, fee: LateFee, debit_note_id: str) -> None:
    """Record that ``fee`` was charged by debit note ``debit_note_id``."""
    store.execute(
        "INSERT INTO late_fees (document_id, through_date, start_date, debit_note_id,"
        " currency, base_minor, interest_minor, fixed_minor, annual_rate)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            fee.document_id,
            fee.through.isoformat(),
            fee.start.isoformat(),
            debit_note_id,
            fee.base.currency.code,
            fee.base.minor_units,
            fee.interest.minor_units,
            fee.fixed.minor_units,
            None if fee.annual_rate is None else str(fee.annual_rate),
        ),
    )


def late_fees(
    store: Store, *, debit_notes: Sequence[str] | None = None, document: str | None = None
) -> list[tuple[LateFee, str, str | None]]:
    """Late fees charged, ``(fee, debit note id, debit note number)``, by debit note id."""
    where: list[str] = []
    params: list[str] = []
    if debit_notes is not None:
        if not debit_notes:
            return []
        where.append("f.debit_note_id IN (" + ",".join("?" * len(debit_notes)) + ")")
        params.extend(debit_notes)
    if document is not None:
        where.append("f.document_id = ?")
        params.append(document)
    rows = store.query(
        "SELECT f.document_id, d.number, d.customer_id, f.currency, f.base_minor,"
        " f.start_date, f.through_date, f.annual_rate, f.interest_minor, f.fixed_minor,"
        " f.debit_note_id, n.number FROM late_fees f"
        " JOIN documents d ON d.id = f.document_id"
        " JOIN documents n ON n.id = f.debit_note_id"
        f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY f.debit_note_id",
        params,
    )
    found = []
    for doc, number, cust, code, base, start, through, rate, interest, fixed, note, nnum in rows:
        fee = LateFee(
            DocumentId(str(doc)),
            str(number),
            CustomerId(str(cust)),
            Money.from_minor(int(base), str(code)),
            as_date(start),
            as_date(through),
            None if rate is None else Decimal(str(rate)),
            Money.from_minor(int(interest), str(code)),
            Money.from_minor(int(fixed), str(code)),
        )
        found.append((fee, str(note), None if nnum is None else str(nnum)))
    return found


def run_customers_to_check(store: Store, run_id: str, held: Sequence[str]) -> list[str]:
    """Customers invoiced by bill run ``run_id`` that have a credit limit or are in
    ``held`` (the only ones a credit review has to look at).

    Starts from those customers (few) and looks for a document of the run through the
    documents' customer index, so a run of 100,000 invoices is not scanned.
    """
    where = "c.credit_limit_minor IS NOT NULL"
    params: list[str] = []
    if held:
        where = f"({where} OR c.id IN ({','.join('?' * len(held))}))"
        params.extend(held)
    params.append(run_id)
    return [
        str(c)
        for (c,) in store.query(
            f"SELECT c.id FROM customers c WHERE {where} AND EXISTS (SELECT 1 FROM"
            " documents d WHERE d.customer_id = c.id AND d.bill_run_id = ?) ORDER BY c.id",
            params,
        )
    ]
