"""Re-rating on the book: re-plan issued invoices with the current data and fix them.

Which invoices are checked: issued invoices (not drafts, not void) whose **issue date**
falls in ``[start, end]`` (both days included), optionally of one customer. The service
period does not matter: billing teams mean the invoice date. Each is re-planned with the
book's *current* rate cards, contract and tax table (after a corrected rate card or tax
table was imported) by :func:`o2c.billing.replan_invoice`, and compared with the invoice
as already corrected by its credit and debit notes (:func:`o2c.billing.rerate`).

Each invoice is re-planned from what it billed: the usage records, the time entries and
the sales orders marked with its id (late usage or time imported since is left to the
next bill run). Invoices of one sales order (run key ``order:<id>``) are re-planned from
that order.

Skipped (counted in :attr:`RerateResult.skipped`): manual invoices and other invoices
without a contract or sales order (nothing to re-plan them from), and invoices already
replaced by a re-bill.
Notes still waiting for approval count as corrections, so re-rating again while they wait
proposes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing import (
    Document,
    DocumentKind,
    ImpactAction,
    ImpactReport,
    LineSource,
    ReasonCode,
    replan_invoice,
    rerate,
)
from o2c.billing.billrun import BillRunInputs
from o2c.billing.taxing import TaxContext
from o2c.book._approvals import ApprovalsMixin
from o2c.book._base import Touched
from o2c.book._billing import TIME_ENTRY_COLUMNS, BillingMixin, time_entry, time_items
from o2c.book._codec import as_decimal
from o2c.contracts import Contract, SalesOrder
from o2c.errors import NotFound, ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.parties import Customer
from o2c.pricing import TimeEntry

__all__ = ["RerateMixin", "RerateResult"]


@attrs.frozen(slots=True)
class RerateResult:
    """What a re-rating found and, when applied, what it issued.

    Attributes:
        report: The impact report (one row per affected invoice, with its proposals).
            For an applied run repeated with the same idempotency key, the report of
            the book as it is now (usually empty: the fixes were issued).
        skipped: Invoices in range that could not be re-planned (manual invoices,
            invoices without a contract or bill-run key, invoices already re-billed).
        applied: Whether the fixes were issued.
        issued: Numbers of the documents issued (credit notes, debit notes, re-bills).
        pending: Ids of the approval requests holding credit notes above the limit.
    """

    report: ImpactReport
    skipped: int
    applied: bool = False
    issued: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()


class RerateMixin(BillingMixin, ApprovalsMixin):
    """Re-rating impact analysis and its fixes."""

    def rerate(
        self,
        start: dt.date,
        end: dt.date,
        *,
        customer: str | None = None,
        apply: bool = False,
        reason: ReasonCode | str = ReasonCode.WRONG_PRICE,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RerateResult:
        """Re-rate the issued invoices dated ``start`` to ``end`` with the current data.

        A dry run (the default) writes nothing, not even an audit event. With ``apply``
        the proposals are issued in one transaction (one ``rerate`` audit event plus
        those of each document): credit notes under the approval policy (held above the
        limit, then the re-bill's corrected invoice stays a draft until it is approved),
        debit notes and re-bills at once. Re-rating again afterwards proposes nothing.

        Args:
            start: First issue date checked.
            end: Last issue date checked (included).
            customer: Only this customer's invoices.
            apply: Issue the fixes.
            reason: Reason code on the fixes (``"wrong_price"`` by default).
            actor: Who re-rates.
            idempotency_key: Repeating the key (with ``apply``) issues nothing again.

        Raises:
            ValidationError: ``end`` is before ``start``.
            NotFound: ``customer`` is not in the book, or the seller's tax profile is
                not set.
        """
        if end < start:
            raise ValidationError("end", end.isoformat(), f"on or after start {start}")
        code = ReasonCode.parse(reason)
        if customer is not None and (
            self._store.query_one("SELECT 1 FROM customers WHERE id = ?", (customer,)) is None
        ):
            raise NotFound("customer", customer)
        if not apply:
            report, skipped = self._rerate_plan(start, end, customer, code, fresh_ids=False)
            return RerateResult(report, skipped)
        day = self._today()
        planned: list[tuple[ImpactReport, int]] = []

        def body(touched: Touched) -> dict[str, Any]:
            report, skipped = self._rerate_plan(start, end, customer, code, fresh_ids=True)
            planned.append((report, skipped))
            issued: list[str] = []
            pending: list[str] = []
            for row in report.rows:
                held = False
                for draft in row.proposals:
                    if row.action is ImpactAction.REBILL and draft.kind is DocumentKind.INVOICE:
                        replacement = attrs.evolve(
                            draft, run_key=f"{draft.run_key or row.invoice_id}#rerate:{draft.id}"
                        )
                        self.create_draft(replacement, actor=actor)
                        touched.add(replacement.id)
                        if held:
                            continue
                        doc = self.issue_document(replacement.id, issue_date=day, actor=actor)
                        issued.append(doc.number or doc.id)
                        continue
                    self.create_draft(draft, actor=actor)
                    outcome = self.request_issue(draft.id, issue_date=day, actor=actor)
                    touched.add(draft.id)
                    if isinstance(outcome, Document):
                        issued.append(outcome.number or outcome.id)
                    else:
                        held = True
                        pending.append(outcome.id)
            return {
                "issued": issued,
                "pending": pending,
                "invoices": [str(r.invoice_id) for r in report.rows],
            }

        result = self._run(
            "rerate",
            actor=actor,
            key=idempotency_key,
            args={"start": start, "end": end, "customer": customer, "reason": code},
            body=body,
        )
        if planned:
            report, skipped = planned[0]
        else:
            report, skipped = self._rerate_plan(start, end, customer, code, fresh_ids=False)
        return RerateResult(
            report,
            skipped,
            applied=True,
            issued=tuple(str(x) for x in result["issued"]),
            pending=tuple(str(x) for x in result["pending"]),
        )

    def _billed_usage(self, invoice: Document) -> dict[tuple[str, ItemCode], Decimal]:
        """The usage the invoice billed, per (run key, item): what it is re-rated on.

        That is the usage records the bill run marked with the invoice; an invoice of a
        book written before records were marked has none, and is re-rated on the
        quantities of its usage lines (the same sums).
        """
        usage: dict[tuple[str, ItemCode], Decimal] = {}
        run_key = str(invoice.run_key)
        for item, quantity in self._store.query(
            "SELECT item, quantity FROM usage_records WHERE document_id = ?", (invoice.id,)
        ):
            key = (run_key, ItemCode(str(item)))
            usage[key] = usage.get(key, Decimal(0)) + as_decimal(quantity)
        if not usage:
            for line in invoice.lines:
                if line.source is LineSource.USAGE:
                    key = (run_key, ItemCode(line.item))
                    usage[key] = usage.get(key, Decimal(0)) + line.quantity
        return usage

    def _billed_time(
        self, invoice: Document, contract: Contract
    ) -> dict[tuple[str, ItemCode], tuple[TimeEntry, ...]]:
        """The time entries the invoice billed, keyed as the bill run keyed them."""
        entries = tuple(
            time_entry(r)
            for r in self._store.query(
                f"SELECT {TIME_ENTRY_COLUMNS} FROM time_entries WHERE document_id = ?"
                " ORDER BY work_date, id",
                (invoice.id,),
            )
        )
        if not entries:
            return {}
        return {(str(invoice.run_key), item): entries for item in time_items(contract)}

    def _billed_orders(self, invoice: Document) -> tuple[SalesOrder, ...]:
        """The sales orders the invoice billed."""
        return tuple(
            self._sales_order(data, None)
            for (data,) in self._store.query(
                "SELECT data FROM sales_orders WHERE document_id = ? ORDER BY id", (invoice.id,)
            )
        )

    def _rerate_plan(
        self,
        start: dt.date,
        end: dt.date,
        customer: str | None,
        code: ReasonCode,
        *,
        fresh_ids: bool,
    ) -> tuple[ImpactReport, int]:
        sql = (
            "SELECT id, contract_id, run_key FROM documents WHERE kind = 'invoice'"
            " AND status = 'issued' AND issue_date >= ? AND issue_date <= ?"
        )
        params: list[str] = [start.isoformat(), end.isoformat()]
        if customer is not None:
            sql += " AND customer_id = ?"
            params.append(customer)
        rows = self._store.query(sql + " ORDER BY issue_date, id", params)
        replaced = {
            str(r[0])
            for r in self._store.query(
                "SELECT corrects_id FROM documents WHERE kind = 'invoice'"
                " AND corrects_id IS NOT NULL AND status <> 'void'"
            )
        }
        wanted = [
            str(r[0])
            for r in rows
            if r[2] is not None
            and (r[1] is not None or str(r[2]).startswith("order:"))
            and str(r[0]) not in replaced
        ]
        skipped = len(rows) - len(wanted)
        invoices = self._load_documents(wanted) if wanted else []
        corrections: dict[DocumentId, list[Document]] = {}
        if wanted:
            marks = ", ".join("?" for _ in wanted)
            note_ids = [
                str(r[0])
                for r in self._store.query(
                    f"SELECT id FROM documents WHERE corrects_id IN ({marks})"
                    " AND kind IN ('credit_note', 'debit_note') AND status <> 'void' ORDER BY id",
                    wanted,
                )
            ]
            for note in self._load_documents(note_ids):
                # Drafts waiting for approval count (the core skips only void notes):
                # they will correct the invoice once approved.
                if note.reference is not None:
                    corrections.setdefault(note.reference, []).append(note)
        tax = TaxContext(self.seller(), self.tax_table())
        cards = {card.code: card for card in self.list_rate_cards()}
        contracts: dict[str, Contract] = {}
        customers: dict[str, Customer] = {}

        def corrected(invoice: Document) -> Document | None:
            cid = invoice.contract_id
            orders = self._billed_orders(invoice)
            self._load_customers({str(invoice.customer.customer_id)}, customers)
            if cid is None:
                if not orders:
                    return None
                inputs = BillRunInputs(
                    customers={CustomerId(k): v for k, v in customers.items()},
                    rate_cards=cards,
                    tax=tax,
                    orders=orders,
                    rounding=self.rounding(),
                )
                return replan_invoice(invoice, None, inputs)
            if invoice.period is None:
                return None
            if cid not in contracts:
                contracts[cid] = self.get_contract(cid)
            contract = contracts[cid]
            self._load_customers({str(contract.customer_id)}, customers)
            inputs = BillRunInputs(
                customers={CustomerId(k): v for k, v in customers.items()},
                rate_cards=cards,
                tax=tax,
                usage=self._billed_usage(invoice),
                time=self._billed_time(invoice, contract),
                orders=orders,
                rounding=self.rounding(),
            )
            return replan_invoice(invoice, contract, inputs)

        def id_for(invoice: Document, suffix: str) -> DocumentId:
            if not fresh_ids:
                return DocumentId(f"{invoice.id}:{suffix}")
            [new_id] = self._new_document_ids(1)
            return new_id

        report = rerate(invoices, corrections, corrected, reason=code, id_for=id_for)
        return report, skipped
