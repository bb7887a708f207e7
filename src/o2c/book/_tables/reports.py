"""Read queries across aggregates: aging sums, balances, the trial balance, KPI inputs, tables.

Reports read the journal lines, documents, bill runs, refunds and disputes together; their
queries live here so that the report use cases (``o2c.book._reports``, ``o2c.book._kpis``)
and the DataFrame door (``o2c.book.frames``) hold no SQL. Every function only reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final, NamedTuple

from o2c.book._codec import as_date, as_json, as_timestamp, opt_date
from o2c.cases import ApprovalRequest
from o2c.io import structure
from o2c.store import Dialect, Row, Store

__all__ = [
    "CaseItem",
    "CorrectionRow",
    "RefundRow",
    "aging_sums",
    "bill_run_counts",
    "book_currencies",
    "case_items",
    "corrections_of_invoices",
    "credit_sales",
    "currency_units",
    "customer_currency",
    "dispute_timings",
    "document_currencies",
    "invoices_issued",
    "invoices_voided",
    "receivable_before",
    "receivable_totals",
    "refunds_paid",
    "table_columns",
    "table_names",
    "table_rows",
    "trial_balance_rows",
    "unapplied_totals",
]


class CaseItem(NamedTuple):
    """An open item under an active dispute or extension, in minor units."""

    document: str
    customer: str
    currency: str
    open_minor: int
    document_date: dt.date
    due_date: dt.date


class CorrectionRow(NamedTuple):
    """A correcting note of an invoice: ``(invoice, note, issue date, reason code)``."""

    invoice: str
    note: str
    issued: dt.date
    reason: str


class RefundRow(NamedTuple):
    """A refund paid, with the date its approval request was made (None without one)
    and the date the credit it pays out arose (its payment or credit note entry)."""

    id: str
    paid_on: dt.date
    requested_on: dt.date | None
    credit_on: dt.date | None = None


# -- aging and balances ------------------------------------------------------------------


def aging_sums(
    store: Store,
    *,
    receivable: str,
    as_of: dt.date,
    column: str,
    bounds: Sequence[str],
    width: int,
    customer: str | None = None,
) -> dict[tuple[str, str], list[int]]:
    """Per ``(currency, customer)``, the AR amount in each of ``width`` buckets.

    One ordered scan of the aging index; each bucket is a conditional sum over
    ``column`` (``item_due`` or ``item_date``) between the ISO date ``bounds``
    (newest first: bucket ``n`` holds dates ``>= bounds[n]`` and ``< bounds[n - 1]``).
    """
    if column not in ("item_due", "item_date"):
        raise ValueError(column)
    sums = []
    params: list[str] = []
    for index in range(width):
        conditions = []
        if index < len(bounds):
            conditions.append(f"{column} >= ?")
            params.append(bounds[index])
        if index > 0:
            conditions.append(f"{column} < ?")
            params.append(bounds[index - 1])
        sums.append(f"SUM(CASE WHEN {' AND '.join(conditions)} THEN amount_minor ELSE 0 END)")
    where = "item_due IS NOT NULL AND account = ? AND entry_date <= ?"
    params += [receivable, as_of.isoformat()]
    if customer is not None:
        where += " AND customer_id = ?"
        params.append(customer)
    rows = store.query(
        f"SELECT customer_id, currency, {', '.join(sums)} FROM journal_lines"
        f" WHERE {where} GROUP BY customer_id, currency",
        params,
    )
    return {(str(row[1]), str(row[0])): [int(v or 0) for v in row[2:]] for row in rows}


def receivable_totals(
    store: Store, *, receivable: str, as_of: dt.date, customer: str | None = None
) -> dict[tuple[str, str], int]:
    """Per ``(customer, currency)``, the AR balance of the item lines as of ``as_of``."""
    where = "item_due IS NOT NULL AND account = ? AND entry_date <= ?"
    params = [receivable, as_of.isoformat()]
    if customer is not None:
        where += " AND customer_id = ?"
        params.append(customer)
    return {
        (str(cust), str(code)): int(total)
        for cust, code, total in store.query(
            "SELECT customer_id, currency, SUM(amount_minor) FROM journal_lines"
            f" WHERE {where} GROUP BY customer_id, currency",
            params,
        )
    }


def unapplied_totals(
    store: Store,
    *,
    unapplied: str,
    as_of: dt.date,
    customer: str | None = None,
    named_only: bool = False,
) -> dict[tuple[str, str], int]:
    """Per ``(customer, currency)``, unapplied cash and credit as of ``as_of`` (positive).

    ``named_only`` leaves out lines without a customer.
    """
    where = "account = ? AND entry_date <= ?"
    if named_only:
        where += " AND customer_id IS NOT NULL"
    params = [unapplied, as_of.isoformat()]
    if customer is not None:
        where += " AND customer_id = ?"
        params.append(customer)
    return {
        (str(cust), str(code)): int(total)
        for cust, code, total in store.query(
            "SELECT customer_id, currency, -SUM(amount_minor) FROM journal_lines"
            f" WHERE {where} GROUP BY customer_id, currency",
            params,
        )
    }


def trial_balance_rows(store: Store, as_of: dt.date) -> list[tuple[str, str, int]]:
    """``(currency, account, balance)`` of every account as of ``as_of``, sorted."""
    return [
        (str(code), str(account), int(total))
        for code, account, total in store.query(
            "SELECT currency, account, SUM(amount_minor) FROM journal_lines"
            " WHERE entry_date <= ? GROUP BY currency, account ORDER BY currency, account",
            (as_of.isoformat(),),
        )
    ]


def customer_currency(store: Store, customer: str) -> str | None:
    """The currency code of customer ``customer``, or None when there is no such customer."""
    row = store.query_one("SELECT currency FROM customers WHERE id = ?", (customer,))
    return None if row is None else str(row[0])


_CASES: Final = (
    "SELECT document_id FROM disputes WHERE opened_date <= ?"
    " AND (resolved_date IS NULL OR resolved_date > ?)"
    " UNION SELECT document_id FROM extensions WHERE status = 'active'"
)


def case_items(
    store: Store, *, receivable: str, as_of: dt.date, customer: str | None = None
) -> list[CaseItem]:
    """The open items under an active dispute or extension as of ``as_of``, in one query.

    The case tables drive the query through the AR lines' item index (``account ||
    ''`` keeps the planner off the account index, which would scan every AR line), so
    it costs the cases, not the book, and takes no parameter per document. Sorted by
    document.
    """
    day = as_of.isoformat()
    where = "l.account || '' = ? AND l.entry_date <= ? AND l.item_due IS NOT NULL"
    params = [day, day, receivable, day]
    if customer is not None:
        where += " AND l.customer_id = ?"
        params.append(customer)
    rows = store.query(
        "SELECT l.item, MIN(l.customer_id), l.currency, SUM(l.amount_minor),"
        " MIN(l.item_date), MIN(l.item_due) FROM journal_lines l"
        f" WHERE l.item IN ({_CASES}) AND {where}"
        " GROUP BY l.item, l.currency HAVING SUM(l.amount_minor) <> 0 ORDER BY l.item",
        params,
    )
    return [
        CaseItem(str(r[0]), str(r[1]), str(r[2]), int(r[3]), as_date(r[4]), as_date(r[5]))
        for r in rows
    ]


# -- KPI inputs ----------------------------------------------------------------------------


def book_currencies(store: Store) -> list[str]:
    """The codes of the book's registered currencies, sorted."""
    return [str(r[0]) for r in store.query("SELECT code FROM currencies ORDER BY code")]


def invoices_issued(store: Store, currency: str, start: dt.date, end: dt.date) -> list[str]:
    """Ids of the invoices issued (or issued and voided) in ``[start, end)``, sorted."""
    return [
        str(r[0])
        for r in store.query(
            "SELECT id FROM documents WHERE kind = 'invoice' AND status IN ('issued', 'void')"
            " AND currency = ? AND issue_date >= ? AND issue_date < ? ORDER BY id",
            (currency, start.isoformat(), end.isoformat()),
        )
    ]


def invoices_voided(
    store: Store, currency: str, start: dt.date, end: dt.date, *, up_to: dt.date
) -> list[tuple[str, dt.date]]:
    """``(invoice, void date)`` of the invoices issued in ``[start, end)`` and voided on
    or before ``up_to``: the date of the void's journal entry, or (for an invoice of
    nothing, which posts none) the UTC day it was voided."""
    found = []
    for doc, posted, stamped in store.query(
        "SELECT d.id, (SELECT MIN(e.entry_date) FROM journal_entries e"
        " WHERE e.source = d.id AND e.kind = 'void'), d.voided_at FROM documents d"
        " WHERE d.kind = 'invoice' AND d.status = 'void' AND d.currency = ?"
        " AND d.issue_date >= ? AND d.issue_date < ? ORDER BY d.id",
        (currency, start.isoformat(), end.isoformat()),
    ):
        day = opt_date(posted) or (as_timestamp(stamped).date() if stamped else None)
        if day is not None and day <= up_to:
            found.append((str(doc), day))
    return found


def corrections_of_invoices(
    store: Store, currency: str, start: dt.date, end: dt.date, *, up_to: dt.date
) -> list[CorrectionRow]:
    """Issued credit and debit notes up to ``up_to`` of invoices issued in ``[start, end)``."""
    return [
        CorrectionRow(str(r[0]), str(r[1]), as_date(r[2]), str(r[3]))
        for r in store.query(
            "SELECT c.corrects_id, c.id, c.issue_date, c.reason FROM documents c"
            " JOIN documents i ON i.id = c.corrects_id"
            " WHERE c.kind IN ('credit_note', 'debit_note') AND c.status = 'issued'"
            " AND c.issue_date <= ? AND i.currency = ? AND i.issue_date >= ?"
            " AND i.issue_date < ? ORDER BY c.id",
            (up_to.isoformat(), currency, start.isoformat(), end.isoformat()),
        )
    ]


def bill_run_counts(store: Store, currency: str, first: dt.date, last: dt.date) -> tuple[int, int]:
    """``(candidates, exceptions)`` of the done bill runs of periods ending in the range.

    The range is ``first..last`` inclusive: October's run counts for October however
    late it ran. Each run key counts once however many runs tried it: the candidates are
    the invoices the runs made plus the run keys they queued and did not bill; the
    exceptions are the run keys they queued (raised or met again), resolved or not.
    Exceptions count in the currency of their contract (or, without one, their
    customer).
    """
    runs = "SELECT id FROM bill_runs WHERE status = 'done' AND period_end >= ? AND period_end <= ?"
    span = (first.isoformat(), last.isoformat())
    made = store.query_one(
        "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND currency = ?"
        f" AND bill_run_id IN ({runs})",
        (currency, *span),
    )
    failed = store.query_one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN billed.run_key IS NULL THEN 1 ELSE 0 END), 0)"
        " FROM (SELECT DISTINCT e.run_key FROM exceptions e"
        " LEFT JOIN contracts k ON k.id = e.contract_id"
        " LEFT JOIN customers c ON c.id = e.customer_id"
        f" WHERE COALESCE(k.currency, c.currency) = ? AND (e.bill_run_id IN ({runs})"
        f" OR e.last_run_id IN ({runs}))) q"
        " LEFT JOIN (SELECT i.run_key FROM bill_run_items i"
        f" WHERE i.bill_run_id IN ({runs})) billed ON billed.run_key = q.run_key",
        (currency, *span, *span, *span),
    )
    queued, unbilled = (int(failed[0]), int(failed[1])) if failed else (0, 0)
    return (int(made[0]) if made else 0) + unbilled, queued


def receivable_before(store: Store, receivable: str, currency: str, day: dt.date) -> int:
    """The AR control balance in ``currency`` before ``day``, in minor units."""
    row = store.query_one(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM journal_lines"
        " WHERE account = ? AND currency = ? AND entry_date < ?",
        (receivable, currency, day.isoformat()),
    )
    return int(row[0]) if row else 0


def credit_sales(store: Store, currency: str, start: dt.date, end: dt.date) -> int:
    """Documents issued in ``[start, end)``, credit notes negative, in minor units."""
    row = store.query_one(
        "SELECT COALESCE(SUM(CASE WHEN kind = 'credit_note' THEN -payable_minor"
        " ELSE payable_minor END), 0) FROM documents WHERE status = 'issued'"
        " AND currency = ? AND issue_date >= ? AND issue_date < ?",
        (currency, start.isoformat(), end.isoformat()),
    )
    return int(row[0]) if row else 0


def refunds_paid(store: Store, currency: str, start: dt.date, end: dt.date) -> list[RefundRow]:
    """Refunds paid in ``[start, end)`` with their approval's request date, by id."""
    found = []
    for rid, paid, data, arose in store.query(
        "SELECT r.id, r.refund_date, a.data, (SELECT MIN(e.entry_date) FROM journal_entries e"
        " WHERE e.source = r.source_id AND e.kind IN ('payment', 'credit_note'))"
        " FROM refunds r"
        " LEFT JOIN approvals a ON a.result_id = r.id AND a.action = 'refund'"
        " WHERE r.currency = ? AND r.refund_date >= ? AND r.refund_date < ? ORDER BY r.id",
        (currency, start.isoformat(), end.isoformat()),
    ):
        asked = None
        if data is not None:
            asked = structure(as_json(data), ApprovalRequest).requested_on
        found.append(RefundRow(str(rid), as_date(paid), asked, opt_date(arose)))
    return found


def dispute_timings(
    store: Store, currency: str, start: dt.date, end: dt.date
) -> list[tuple[str, dt.date, dt.date, dt.date | None]]:
    """``(id, opened, SLA due, resolved)`` of disputes due or resolved in ``[start, end)``."""
    span = (start.isoformat(), end.isoformat())
    return [
        (str(r[0]), as_date(r[1]), as_date(r[2]), opt_date(r[3]))
        for r in store.query(
            "SELECT id, opened_date, sla_due, resolved_date FROM disputes WHERE currency = ?"
            " AND ((sla_due >= ? AND sla_due < ?)"
            " OR (resolved_date >= ? AND resolved_date < ?)) ORDER BY id",
            (currency, *span, *span),
        )
    ]


# -- tables as stored --------------------------------------------------------------------


def table_names(store: Store) -> list[str]:
    """The store's tables and views, sorted."""
    if store.dialect is Dialect.SQLITE:
        rows = store.query(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = store.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    return sorted(str(r[0]) for r in rows)


def table_columns(store: Store, name: str) -> list[str]:
    """The column names of table or view ``name`` (a name from :func:`table_names`)."""
    if store.dialect is Dialect.SQLITE:
        return [str(r[1]) for r in store.query(f'PRAGMA table_info("{name}")')]
    return [
        str(r[0])
        for r in store.query(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " ORDER BY ordinal_position",
            (name,),
        )
    ]


def table_rows(
    store: Store,
    name: str,
    *,
    where: Mapping[str, str | int | None] | None = None,
    limit: int | None = None,
    dated: tuple[str, dt.date | None, dt.date | None] | None = None,
) -> list[Row]:
    """The rows of table or view ``name`` as stored, optionally filtered by equality.

    ``dated`` is ``(column, first, last)``: only rows whose date ``column`` lies in
    ``first..last`` (inclusive; ``None`` is open on that side).

    ``name`` and the ``where`` and ``dated`` column names must be checked by the caller
    (a name from :func:`table_names`, columns from :func:`table_columns`): they are
    quoted, not bound.
    """
    sql = f'SELECT * FROM "{name}"'
    params: list[str | int | None] = []
    conditions: list[str] = []
    if where:
        params.extend(where.values())
        conditions.extend(f'"{column}" = ?' for column in where)
    if dated is not None:
        column, first, last = dated
        if first is not None:
            conditions.append(f'"{column}" >= ?')
            params.append(first.isoformat())
        if last is not None:
            conditions.append(f'"{column}" <= ?')
            params.append(last.isoformat())
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return store.query(sql, params)


def currency_units(store: Store) -> dict[str, int]:
    """The minor units of each registered currency, by code."""
    return {
        str(code): int(n) for code, n in store.query("SELECT code, minor_units FROM currencies")
    }


def document_currencies(store: Store) -> dict[str, str]:
    """The currency code of every document, by id."""
    return {str(i): str(c) for i, c in store.query("SELECT id, currency FROM documents")}
