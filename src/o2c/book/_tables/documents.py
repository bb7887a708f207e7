"""The ``documents``, ``document_lines`` and ``document_taxes`` tables.

The one writer of the 31-column document row (:func:`document_row`) serves both forms a
document is stored from: a :class:`~o2c.billing.Document` (:func:`document_rows`) and a
compact invoice of the bill run (:func:`compact_document_row`, whose line and tax rows
the compact planner builds in the same layouts). :func:`load_documents` reads them back
as documents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import cattrs

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    DocumentTotals,
    LineSource,
    LineTax,
    ReasonCode,
    TaxSubtotal,
)
from o2c.book._codec import as_decimal, as_json, iso, money, opt_date
from o2c.calendar import Period
from o2c.ids import ContractId, DocumentId, ItemCode
from o2c.io import structure, to_plain
from o2c.money import Currency, Money
from o2c.store import Store

if TYPE_CHECKING:
    from o2c.billing import CompactInvoice

__all__ = [
    "DOC_COLUMNS",
    "DOC_INSERT",
    "LINE_COLUMNS",
    "LINE_INSERT",
    "TAX_INSERT",
    "charged_tax_json",
    "compact_document_row",
    "document_from_rows",
    "document_row",
    "document_rows",
    "insert_documents",
    "insert_rows",
    "load_documents",
    "notes_json",
    "numbers_of",
    "snapshot_json",
]

DOC_COLUMNS: Final = (
    "id, kind, status, number, customer_id, contract_id, currency, issue_date, due_date,"
    " tax_point, period_start, period_end, po_number, payment_terms, corrects_id, reason,"
    " reason_text, run_key, customer_snapshot, notes, net_minor, tax_minor, withheld_minor,"
    " gross_minor, payable_minor, explain, seller_version"
)
DOC_INSERT: Final = (
    "INSERT INTO documents (id, kind, status, series, number, customer_id, contract_id,"
    " bill_run_id, run_key, currency, issue_date, due_date, tax_point, period_start,"
    " period_end, po_number, payment_terms, corrects_id, reason, reason_text, net_minor,"
    " tax_minor, withheld_minor, gross_minor, payable_minor, customer_snapshot, notes,"
    " created_at, issued_at, explain, seller_version) VALUES"
    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?)"
)
LINE_COLUMNS: Final = (
    "document_id, line_no, item, description, quantity, unit_price, net_minor, taxes,"
    " source, period_start, period_end, ref_line, tax_code, explain"
)
LINE_INSERT: Final = (
    "INSERT INTO document_lines (document_id, line_no, item, description, quantity,"
    " unit_price, net_minor, tax_minor, withheld_minor, tax_category, taxes, source,"
    " period_start, period_end, ref_line, tax_code, explain)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
TAX_INSERT: Final = (
    "INSERT INTO document_taxes (document_id, row_no, tax_code, category, rate, withholding,"
    " base_minor, tax_minor, exemption_reason, tax, label)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _snapshot_json(
    snap: CustomerSnapshot, cache: dict[CustomerSnapshot, str], converter: cattrs.Converter
) -> str:
    # Every document of a customer carries the same snapshot: serialize it once. The cap
    # (about 16 MB at most) holds a run's customers: at 4,096 a book of 5,000 customers
    # cleared it over and over and serialized about every second snapshot again.
    text = cache.get(snap)
    if text is None:
        if len(cache) > 16384:
            cache.clear()
        text = json.dumps(to_plain(snap, converter), sort_keys=True, separators=(",", ":"))
        cache[snap] = text
    return text


def _units(m: Money) -> int:
    return m.minor_units


# One encoder each, built once: ``json.dumps`` with non-default arguments builds a new
# encoder per call, which cost more than the encoding itself on the bill run's hot path.
# The output is exactly ``json.dumps(value)`` / ``json.dumps(value, separators=(",", ":"))``.
_PLAIN: Final = json.JSONEncoder().encode
_COMPACT: Final = json.JSONEncoder(separators=(",", ":")).encode


# The stored form of one line tax is ``[code, category, rate, minor units, withholding, tax]``
# in compact JSON. Every line of a run carries one of a handful of tax shapes, so each
# shape's text around the amount is encoded once (by the same encoder, so the text is
# the same as encoding the whole list).
_TAX_SHAPES: dict[tuple[str, str, str, bool, str], tuple[str, str]] = {}


def _tax_json(t: LineTax, units: int) -> str:
    return _tax_text(t.code, t.category, t.rate, t.withholding, t.tax, units)


def _tax_text(
    code: str, category: str, rate: Decimal, withholding: bool, tax: str, units: int
) -> str:
    shape = _tax_shape(code, category, rate, withholding, tax)
    return shape[0] + str(units) + shape[1]


def _tax_shape(
    code: str, category: str, rate: Decimal, withholding: bool, tax: str
) -> tuple[str, str]:
    key = (code, category, str(rate), withholding, tax)
    shape = _TAX_SHAPES.get(key)
    if shape is None:
        head = _COMPACT([code, category, key[2]])
        tail = _COMPACT([1 if withholding else 0, tax])
        shape = (head[:-1] + ",", "," + tail[1:])
        if len(_TAX_SHAPES) > 1024:
            _TAX_SHAPES.clear()
        _TAX_SHAPES[key] = shape
    return shape


def snapshot_json(
    snap: CustomerSnapshot, cache: dict[CustomerSnapshot, str], converter: cattrs.Converter
) -> str:
    """The stored JSON of a customer snapshot (serialized once per snapshot, cached)."""
    return _snapshot_json(snap, cache, converter)


def charged_tax_json(code: str, category: str, rate: Decimal, tax: str) -> tuple[str, str]:
    """The stored JSON of a charged (not withheld) line tax, as the texts before and
    after its amount in minor units: what :func:`document_rows` writes for it."""
    return _tax_shape(code, category, rate, False, tax)


def document_row(
    id: str,
    kind: str,
    status: str,
    series: str | None,
    number: str | None,
    customer_id: str,
    contract_id: str | None,
    bill_run_id: str | None,
    run_key: str | None,
    currency: str,
    issue_date: str | None,
    due_date: str | None,
    tax_point: str | None,
    period_start: str | None,
    period_end: str | None,
    po_number: str | None,
    payment_terms: str,
    corrects_id: str | None,
    reason: str | None,
    reason_text: str,
    net_minor: int,
    tax_minor: int,
    withheld_minor: int,
    gross_minor: int,
    payable_minor: int,
    customer_snapshot: str,
    notes: str,
    created_at: str,
    issued_at: str | None,
    explain: str,
    seller_version: int | None,
    /,
) -> tuple[Any, ...]:
    """THE ``documents`` row (the columns of :data:`DOC_INSERT`, in order): every writer
    of a document row, general or compact, builds it here.

    ``explain`` is the JSON of the document's technical explanation (kept off the
    customer's document), ``seller_version`` the seller version an issued document was
    issued under (``None`` for a draft, or when the book has no seller yet)."""
    return (
        id,
        kind,
        status,
        series,
        number,
        customer_id,
        contract_id,
        bill_run_id,
        run_key,
        currency,
        issue_date,
        due_date,
        tax_point,
        period_start,
        period_end,
        po_number,
        payment_terms,
        corrects_id,
        reason,
        reason_text,
        net_minor,
        tax_minor,
        withheld_minor,
        gross_minor,
        payable_minor,
        customer_snapshot,
        notes,
        created_at,
        issued_at,
        explain,
        seller_version,
    )


# The stored notes of compact invoices: one JSON text per note text (a run has one).
_NOTES: Final[dict[str, str]] = {}


def notes_json(note: str) -> str:
    """The stored JSON of a document's notes when there is the one note ``note``."""
    text = _NOTES.get(note)
    if text is None:
        if len(_NOTES) > 1024:
            _NOTES.clear()
        text = _NOTES[note] = _PLAIN([note])
    return text


def compact_document_row(
    inv: CompactInvoice,
    *,
    number: str | None,
    series: str | None,
    bill_run_id: str | None,
    day: str,
    now: str,
    snapshot: str,
    seller_version: int | None = None,
) -> tuple[Any, ...]:
    """The ``documents`` row of a compact bill run invoice: issued (dated ``day``) when
    it has a ``number``, a draft otherwise; ``snapshot`` is its customer snapshot's JSON
    (:func:`snapshot_json`), ``seller_version`` the run's seller version (written when
    issued). Its line and tax rows are ``inv.lines`` and ``inv.taxes``.

    A compact invoice carries no legal notes (the compact form takes only plain taxes,
    whose engine result has none): its one note, the tax regime's text, is the
    document's explanation, as the general form stores it."""
    issued = number is not None
    return document_row(
        inv.doc_id,
        "invoice",
        "issued" if issued else "draft",
        series if issued else None,
        number,
        inv.customer_id,
        inv.contract_id,
        bill_run_id,
        inv.key,
        inv.currency.code,
        day if issued else None,
        inv.due if issued else None,
        day,
        inv.start,
        inv.stop,
        inv.po_number,
        inv.terms,
        None,
        None,
        "",
        inv.net,
        inv.tax,
        0,
        inv.gross,
        inv.gross,
        snapshot,
        "[]",
        now,
        now if issued else None,
        notes_json(inv.notes),
        seller_version if issued else None,
    )


def insert_rows(
    store: Store,
    documents: Sequence[Sequence[Any]],
    lines: Sequence[Sequence[Any]],
    taxes: Sequence[Sequence[Any]],
) -> None:
    """Insert document, line and tax breakdown rows (of :func:`document_rows` or the
    compact forms)."""
    if documents:
        store.executemany(DOC_INSERT, documents)
    if lines:
        store.executemany(LINE_INSERT, lines)
    if taxes:
        store.executemany(TAX_INSERT, taxes)


def insert_documents(
    store: Store,
    docs: Sequence[Document],
    *,
    series: Mapping[str, str] | None = None,
    bill_run_id: str | None = None,
    now: str,
    snapshots: dict[CustomerSnapshot, str],
    converter: cattrs.Converter,
    seller_version: int | None = None,
) -> None:
    """Store documents (``series``: the number series code per issued document id);
    drafts have no ``issued_at``; issued ones record ``seller_version`` unless they
    carry their own. The caller registers their currencies."""
    doc_rows = []
    line_rows: list[tuple[Any, ...]] = []
    tax_rows: list[tuple[Any, ...]] = []
    codes = series or {}
    for doc in docs:
        d, lines, taxes = document_rows(
            doc,
            series=codes.get(doc.id),
            bill_run_id=bill_run_id,
            now=now,
            issued_at=None if doc.status is DocumentStatus.DRAFT else now,
            snapshots=snapshots,
            converter=converter,
            seller_version=seller_version,
        )
        doc_rows.append(d)
        line_rows.extend(lines)
        tax_rows.extend(taxes)
    insert_rows(store, doc_rows, line_rows, tax_rows)


def load_documents(store: Store, ids: Sequence[str], converter: cattrs.Converter) -> list[Document]:
    """The stored documents with these ids, in the order given (unknown ids left out)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    heads = store.query(f"SELECT {DOC_COLUMNS} FROM documents WHERE id IN ({marks})", ids)
    lines = store.query(
        f"SELECT {LINE_COLUMNS} FROM document_lines WHERE document_id IN ({marks})"
        " ORDER BY document_id, line_no",
        ids,
    )
    taxes = store.query(
        "SELECT document_id, tax_code, category, rate, withholding, base_minor, tax_minor,"
        f" exemption_reason, tax, label FROM document_taxes WHERE document_id IN ({marks})"
        " ORDER BY document_id, row_no",
        ids,
    )
    lines_of: dict[str, list[Sequence[Any]]] = {}
    for ln in lines:
        lines_of.setdefault(str(ln[0]), []).append(ln)
    taxes_of: dict[str, list[Sequence[Any]]] = {}
    for t in taxes:
        taxes_of.setdefault(str(t[0]), []).append(t[1:])
    by_id = {
        str(h[0]): document_from_rows(
            h, lines_of.get(str(h[0]), []), taxes_of.get(str(h[0]), []), converter
        )
        for h in heads
    }
    return [by_id[i] for i in ids if i in by_id]


def document_rows(
    doc: Document,
    *,
    series: str | None,
    bill_run_id: str | None,
    now: str,
    issued_at: str | None,
    snapshots: dict[CustomerSnapshot, str],
    converter: cattrs.Converter,
    seller_version: int | None = None,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The document row, its line rows and its tax breakdown rows.

    An issued document records its own ``seller_version``, else the one given (the
    seller's current version, which the caller reads once per command or bill run)."""
    totals = doc.totals
    period = doc.period
    version = doc.seller_version
    if version is None and doc.status is not DocumentStatus.DRAFT:
        version = seller_version
    explain = doc.explain
    doc_row = document_row(
        doc.id,
        doc.kind.value,
        doc.status.value,
        series,
        doc.number,
        doc.customer.customer_id,
        doc.contract_id,
        bill_run_id,
        doc.run_key,
        doc.currency.code,
        iso(doc.issue_date),
        iso(doc.due_date),
        iso(doc.tax_point),
        None if period is None else period.start.isoformat(),
        None if period is None else period.end.isoformat(),
        doc.po_number,
        doc.payment_terms,
        doc.reference,
        None if doc.reason is None else doc.reason.value,
        doc.reason_text,
        _units(totals.net),
        _units(totals.tax),
        _units(totals.withheld),
        _units(totals.gross),
        _units(totals.payable),
        _snapshot_json(doc.customer, snapshots, converter),
        _PLAIN(list(doc.notes)) if doc.notes else "[]",
        now,
        issued_at,
        _PLAIN(list(explain)) if explain else "[]",
        version,
    )
    lines = []
    doc_id = doc.id
    for line in doc.lines:
        tax = withheld = 0
        category = "O"
        parts = []
        for t in line.taxes:
            units = t.amount.minor_units
            if t.withholding:
                withheld += units
            else:
                tax += units
                if category == "O":
                    category = t.category
            parts.append(_tax_json(t, units))
        lp = line.period
        up = line.unit_price
        line_explain = line.explain
        lines.append(
            (
                doc_id,
                line.number,
                line.item,
                line.description,
                str(line.quantity),
                None if up is None else str(up.amount),
                line.net.minor_units,
                tax,
                withheld,
                category,
                "[" + ",".join(parts) + "]",
                line.source.value,
                None if lp is None else lp.start.isoformat(),
                None if lp is None else lp.end.isoformat(),
                line.ref_line,
                line.tax_code,
                _COMPACT(list(line_explain)) if line_explain else "[]",
            )
        )
    breakdown = [
        (
            doc.id,
            n,
            row.code,
            row.category,
            str(row.rate),
            1 if row.withholding else 0,
            row.base.minor_units,
            row.amount.minor_units,
            row.exemption_reason,
            row.tax,
            row.label,
        )
        for n, row in enumerate(totals.breakdown, start=1)
    ]
    return doc_row, lines, breakdown


def _period(start: object, end: object) -> Period | None:
    first, last = opt_date(start), opt_date(end)
    if first is None or last is None:
        return None
    return Period(first, last)


def document_from_rows(
    row: Sequence[Any],
    lines: Sequence[Sequence[Any]],
    taxes: Sequence[Sequence[Any]],
    converter: cattrs.Converter,
) -> Document:
    """Rebuild a :class:`~o2c.billing.Document` from its stored rows."""
    cur = Currency.of(str(row[6]))
    doc_lines = []
    for ln in lines:
        tax_list = as_json(ln[7])
        line_taxes = tuple(
            LineTax(
                str(t[0]),
                str(t[1]),
                Decimal(str(t[2])),
                money(t[3], cur),
                bool(t[4]),
                str(t[5]) if len(t) > 5 else "",
            )
            for t in tax_list
        )
        doc_lines.append(
            DocumentLine(
                number=int(ln[1]),
                item=ItemCode(str(ln[2])),
                description=str(ln[3]),
                quantity=as_decimal(ln[4]),
                unit_price=None if ln[5] is None else Money(as_decimal(ln[5]), cur),
                net=money(ln[6], cur),
                taxes=line_taxes,
                source=LineSource(str(ln[8])),
                period=_period(ln[9], ln[10]),
                explain=tuple(str(x) for x in as_json(ln[13])),
                ref_line=None if ln[11] is None else int(ln[11]),
                tax_code=str(ln[12]),
            )
        )
    breakdown = tuple(
        TaxSubtotal(
            str(t[0]),
            str(t[1]),
            as_decimal(t[2]),
            money(t[4], cur),
            money(t[5], cur),
            bool(t[3]),
            str(t[6]),
            str(t[7]),
            str(t[8]),
        )
        for t in taxes
    )
    totals = DocumentTotals(
        money(row[20], cur),
        money(row[21], cur),
        money(row[22], cur),
        money(row[23], cur),
        money(row[24], cur),
        breakdown,
    )
    return Document(
        id=DocumentId(str(row[0])),
        kind=DocumentKind(str(row[1])),
        status=DocumentStatus(str(row[2])),
        customer=structure(as_json(row[18]), CustomerSnapshot, converter=converter),
        currency=cur,
        lines=tuple(doc_lines),
        totals=totals,
        number=None if row[3] is None else str(row[3]),
        issue_date=opt_date(row[7]),
        due_date=opt_date(row[8]),
        tax_point=opt_date(row[9]),
        period=_period(row[10], row[11]),
        contract_id=None if row[5] is None else ContractId(str(row[5])),
        po_number=None if row[12] is None else str(row[12]),
        payment_terms=str(row[13]),
        reference=None if row[14] is None else DocumentId(str(row[14])),
        reason=None if row[15] is None else ReasonCode(str(row[15])),
        reason_text=str(row[16]),
        run_key=None if row[17] is None else str(row[17]),
        notes=tuple(str(x) for x in as_json(row[19])),
        explain=tuple(str(x) for x in as_json(row[25])),
        seller_version=None if row[26] is None else int(row[26]),
    )


def issued_invoices_between(
    store: Store, start: str, end: str, *, customer: str | None = None
) -> list[tuple[str, str | None, str | None]]:
    """The (id, contract id, run key) of the issued invoices dated ``start`` to ``end``
    (ISO dates, both included), optionally of one customer, by issue date and id."""
    sql = (
        "SELECT id, contract_id, run_key FROM documents WHERE kind = 'invoice'"
        " AND status = 'issued' AND issue_date >= ? AND issue_date <= ?"
    )
    params: list[str] = [start, end]
    if customer is not None:
        sql += " AND customer_id = ?"
        params.append(customer)
    return [
        (str(r[0]), None if r[1] is None else str(r[1]), None if r[2] is None else str(r[2]))
        for r in store.query(sql + " ORDER BY issue_date, id", params)
    ]


def replaced_invoice_ids(store: Store) -> set[str]:
    """The ids of the invoices a re-bill (an invoice correcting them, not void) replaced."""
    return {
        str(r[0])
        for r in store.query(
            "SELECT corrects_id FROM documents WHERE kind = 'invoice'"
            " AND corrects_id IS NOT NULL AND status <> 'void'"
        )
    }


def correction_note_ids(store: Store, invoice_ids: Sequence[str]) -> list[str]:
    """The ids of the credit and debit notes (not void, drafts included) correcting these
    invoices, in id order."""
    if not invoice_ids:
        return []
    marks = ", ".join("?" for _ in invoice_ids)
    return [
        str(r[0])
        for r in store.query(
            f"SELECT id FROM documents WHERE corrects_id IN ({marks})"
            " AND kind IN ('credit_note', 'debit_note') AND status <> 'void' ORDER BY id",
            list(invoice_ids),
        )
    ]


# -- lookups and status changes of single documents (documents, payments areas) -----------


def exists(store: Store, document_id: str) -> bool:
    """Whether a document has id ``document_id``."""
    return store.query_one("SELECT 1 FROM documents WHERE id = ?", (document_id,)) is not None


def find_id(store: Store, id_or_number: str) -> str | None:
    """The id of the document with this id or number, or None."""
    row = store.query_one(
        "SELECT id FROM documents WHERE id = ? OR number = ?", (id_or_number, id_or_number)
    )
    return None if row is None else str(row[0])


def id_of_number(store: Store, number: str, *, kind: str | None = None) -> str | None:
    """The id of the document numbered ``number`` (of ``kind`` if given), or None."""
    if kind is None:
        row = store.query_one("SELECT id FROM documents WHERE number = ?", (number,))
    else:
        row = store.query_one(
            "SELECT id FROM documents WHERE number = ? AND kind = ?", (number, kind)
        )
    return None if row is None else str(row[0])


def customer_of(store: Store, document_id: str) -> str | None:
    """The customer of document ``document_id``, or None."""
    row = store.query_one("SELECT customer_id FROM documents WHERE id = ?", (document_id,))
    return None if row is None else str(row[0])


def bill_run_of(store: Store, document_id: str) -> str | None:
    """The id of the stored bill run that made document ``document_id``, if any."""
    row = store.query_one("SELECT bill_run_id FROM documents WHERE id = ?", (document_id,))
    return None if row is None or row[0] is None else str(row[0])


def document_ids(
    store: Store,
    *,
    customer: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    bill_run: str | None = None,
    limit: int | None = None,
    start: str | None = None,
    end: str | None = None,
    after: str | None = None,
) -> list[str]:
    """Document ids in id (creation) order, optionally filtered.

    ``start`` and ``end`` (ISO dates, both included) bound the issue date, so drafts
    (no issue date yet) drop out of a dated list; ``after`` is a cursor: only ids after it.
    """
    where = []
    params: list[str | int] = []
    for clause, value in (
        ("customer_id = ?", customer),
        ("kind = ?", kind),
        ("status = ?", status),
        ("bill_run_id = ?", bill_run),
        ("issue_date >= ?", start),
        ("issue_date <= ?", end),
        ("id > ?", after),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = "SELECT id FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [str(r[0]) for r in store.query(sql, params)]


def numbers_of(store: Store, ids: Sequence[str]) -> dict[str, str | None]:
    """The number of each stored document of ``ids`` (``None`` for a draft), read in pages."""
    found: dict[str, str | None] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), 500):
        page = unique[start : start + 500]
        marks = ", ".join("?" for _ in page)
        for row in store.query(f"SELECT id, number FROM documents WHERE id IN ({marks})", page):
            found[str(row[0])] = None if row[1] is None else str(row[1])
    return found


def credit_note_ids(store: Store, invoice_id: str) -> list[str]:
    """The ids of the credit notes (not void, drafts included) of an invoice, in order."""
    return [
        str(r[0])
        for r in store.query(
            "SELECT id FROM documents WHERE corrects_id = ? AND kind = 'credit_note'"
            " AND status <> 'void' ORDER BY id",
            (invoice_id,),
        )
    ]


def mark_issued(
    store: Store,
    document: Document,
    *,
    series: str,
    issued_at: str,
    seller_version: int | None = None,
) -> None:
    """Record that the stored draft ``document`` was issued (numbered and dated) under
    ``seller_version`` (the seller's current version)."""
    store.execute(
        "UPDATE documents SET status = ?, series = ?, number = ?, issue_date = ?,"
        " due_date = ?, tax_point = ?, issued_at = ?, seller_version = ?"
        " WHERE id = ? AND status = 'draft'",
        (
            document.status.value,
            series,
            document.number,
            iso(document.issue_date),
            iso(document.due_date),
            iso(document.tax_point),
            issued_at,
            seller_version,
            document.id,
        ),
    )


def mark_void(store: Store, document_id: str, *, reason: str, voided_at: str) -> None:
    """Record that the issued document ``document_id`` was voided."""
    store.execute(
        "UPDATE documents SET status = 'void', voided_at = ?, void_reason = ?"
        " WHERE id = ? AND status = 'issued'",
        (voided_at, reason, document_id),
    )
