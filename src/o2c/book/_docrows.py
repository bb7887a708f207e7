"""Documents to rows and back: the compact forms the store keeps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

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

__all__ = [
    "DOC_COLUMNS",
    "DOC_INSERT",
    "LINE_COLUMNS",
    "LINE_INSERT",
    "TAX_INSERT",
    "charged_tax_json",
    "document_from_rows",
    "document_rows",
    "snapshot_json",
]

DOC_COLUMNS: Final = (
    "id, kind, status, number, customer_id, contract_id, currency, issue_date, due_date,"
    " tax_point, period_start, period_end, po_number, payment_terms, corrects_id, reason,"
    " reason_text, run_key, customer_snapshot, notes, net_minor, tax_minor, withheld_minor,"
    " gross_minor, payable_minor"
)
DOC_INSERT: Final = (
    "INSERT INTO documents (id, kind, status, series, number, customer_id, contract_id,"
    " bill_run_id, run_key, currency, issue_date, due_date, tax_point, period_start,"
    " period_end, po_number, payment_terms, corrects_id, reason, reason_text, net_minor,"
    " tax_minor, withheld_minor, gross_minor, payable_minor, customer_snapshot, notes,"
    " created_at, issued_at) VALUES"
    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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


def document_rows(
    doc: Document,
    *,
    series: str | None,
    bill_run_id: str | None,
    now: str,
    issued_at: str | None,
    snapshots: dict[CustomerSnapshot, str],
    converter: cattrs.Converter,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The document row, its line rows and its tax breakdown rows."""
    totals = doc.totals
    period = doc.period
    doc_row = (
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
        explain = line.explain
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
                _COMPACT(list(explain)) if explain else "[]",
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
    )
