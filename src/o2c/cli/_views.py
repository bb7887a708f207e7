"""How documents, payments and reports look in tables (JSON carries the full values)."""

from __future__ import annotations

from o2c.billing import Document

__all__ = ["DOCUMENT_COLUMNS", "document_detail", "document_row"]

#: The columns of a document list: its number, as people call a document (a draft, which
#: has none yet, shows its id there); the internal id is in JSON.
DOCUMENT_COLUMNS = (
    "number",
    "kind",
    "status",
    "customer",
    "issue_date",
    "due_date",
    "net",
    "tax",
    "payable",
)


def document_row(doc: Document) -> dict[str, object]:
    """One line of a document list: number (or draft id), customer, dates, totals."""
    return {
        "id": doc.id,
        "number": doc.number or f"(draft {doc.id})",
        "kind": doc.kind.value.replace("_", " "),
        "status": doc.status,
        "customer": doc.customer.customer_id,
        "issue_date": doc.issue_date,
        "due_date": doc.due_date,
        "currency": doc.currency,
        "net": doc.totals.net,
        "tax": doc.totals.tax,
        "payable": doc.totals.payable,
        "reference": doc.reference,
    }


def document_detail(doc: Document) -> dict[str, object]:
    """A document for a person: header fields, then its lines and tax breakdown."""
    detail: dict[str, object] = {
        "id": doc.id,
        "number": doc.number or "(draft)",
        "kind": doc.kind.value.replace("_", " "),
        "status": doc.status,
        "customer": f"{doc.customer.customer_id} {doc.customer.legal_name}",
        "issue_date": doc.issue_date,
        "due_date": doc.due_date,
        "period": doc.period,
        "po_number": doc.po_number,
        "terms": doc.payment_terms,
        "net": doc.totals.net,
        "tax": doc.totals.tax,
        "withheld": doc.totals.withheld,
        "gross": doc.totals.gross,
        "payable": doc.totals.payable,
    }
    if doc.reference:
        detail["corrects"] = doc.reference
        detail["reason"] = doc.reason
        detail["reason_text"] = doc.reason_text
    detail["lines"] = [
        {
            "#": line.number,
            "item": line.item,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "net": line.net,
            "tax": line.tax,
            "category": line.tax_category,
        }
        for line in doc.lines
    ]
    detail["taxes"] = [
        {
            "code": row.code,
            "category": row.category,
            "rate": row.rate,
            "base": row.base,
            "amount": row.amount,
            "withheld": row.withholding,
        }
        for row in doc.totals.breakdown
    ]
    return detail
