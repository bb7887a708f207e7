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
from typing import Any

import attrs

from o2c.billing import (
    Document,
    DocumentKind,
    ImpactAction,
    ImpactReport,
    ReasonCode,
    replan_invoice,
    rerate,
)
from o2c.billing.billrun import BillRunInputs
from o2c.billing.events import is_event_run_key, recharge_event_invoice
from o2c.billing.rerate import (
    billed_time,
    billed_transactions,
    billed_usage,
    check_rerate_range,
    corrections_by_invoice,
    rebill_run_key,
    replannable,
)
from o2c.billing.taxing import TaxContext
from o2c.book import _approval_gates as gates
from o2c.book import _catalog
from o2c.book import _issuing as issuing
from o2c.book import _lookups as lookups
from o2c.book._area import Area
from o2c.book._contracts import get_contract
from o2c.book._customers import load_customers
from o2c.book._orders import billed_orders
from o2c.book._session import Session, Touched
from o2c.book._tables import customers as customers_table
from o2c.book._tables import documents as documents_table
from o2c.book._tables import usage as usage_table
from o2c.book._usage_events import event_record
from o2c.contracts import Contract
from o2c.errors import NotFound
from o2c.ids import CustomerId, DocumentId
from o2c.parties import Customer

__all__ = ["RerateMixin", "RerateResult", "plan_rerate", "rerate_invoices"]


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


def rerate_invoices(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    customer: str | None = None,
    apply: bool = False,
    reason: ReasonCode | str = ReasonCode.WRONG_PRICE,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> RerateResult:
    """Re-rate the issued invoices dated ``start`` to ``end`` (see :meth:`RerateMixin.rerate`)."""
    check_rerate_range(start, end)
    code = ReasonCode.parse(reason)
    if customer is not None and not customers_table.exists(session.store, customer):
        raise NotFound("customer", customer)
    if not apply:
        report, skipped = plan_rerate(session, start, end, customer, code, fresh_ids=False)
        return RerateResult(report, skipped)
    day = session.today()
    planned: list[tuple[ImpactReport, int]] = []

    def body(touched: Touched) -> dict[str, Any]:
        report, skipped = plan_rerate(session, start, end, customer, code, fresh_ids=True)
        planned.append((report, skipped))
        issued, pending = _issue_fixes(session, report, day, actor, touched)
        return {
            "issued": issued,
            "pending": pending,
            "invoices": [str(r.invoice_id) for r in report.rows],
        }

    result = session.run(
        "rerate",
        actor=actor,
        key=idempotency_key,
        args={"start": start, "end": end, "customer": customer, "reason": code},
        body=body,
    )
    if planned:
        report, skipped = planned[0]
    else:
        report, skipped = plan_rerate(session, start, end, customer, code, fresh_ids=False)
    return RerateResult(
        report,
        skipped,
        applied=True,
        issued=tuple(str(x) for x in result["issued"]),
        pending=tuple(str(x) for x in result["pending"]),
    )


def _issue_fixes(
    session: Session, report: ImpactReport, day: dt.date, actor: str | None, touched: Touched
) -> tuple[list[str], list[str]]:
    """Issue the report's proposals; return the numbers issued and the approvals pending.

    Credit notes go through the approval policy; when one is held, the re-bill's
    corrected invoice stays a draft until it is approved.
    """
    issued: list[str] = []
    pending: list[str] = []
    for row in report.rows:
        held = False
        for draft in row.proposals:
            if row.action is ImpactAction.REBILL and draft.kind is DocumentKind.INVOICE:
                replacement = attrs.evolve(draft, run_key=rebill_run_key(draft, row.invoice_id))
                issuing.create_draft(session, replacement, actor=actor, idempotency_key=None)
                touched.add(replacement.id)
                if held:
                    continue
                doc = issuing.issue_document(
                    session,
                    replacement.id,
                    issue_date=day,
                    actor=actor,
                    idempotency_key=None,
                    approved=False,
                )
                issued.append(doc.number or doc.id)
                continue
            issuing.create_draft(session, draft, actor=actor, idempotency_key=None)
            outcome = gates.request_issue(session, draft.id, issue_date=day, actor=actor)
            touched.add(draft.id)
            if isinstance(outcome, Document):
                issued.append(outcome.number or outcome.id)
            else:
                held = True
                pending.append(outcome.id)
    return issued, pending


def plan_rerate(
    session: Session,
    start: dt.date,
    end: dt.date,
    customer: str | None,
    code: ReasonCode,
    *,
    fresh_ids: bool,
) -> tuple[ImpactReport, int]:
    """The impact report of re-rating the invoices in range, and how many were skipped.

    With ``fresh_ids`` the proposals get new document ids (to be stored); without, ids
    derived from the invoice's (a dry run writes nothing).
    """
    store = session.store
    converter = session.converter()
    found = documents_table.issued_invoices_between(
        store, start.isoformat(), end.isoformat(), customer=customer
    )
    replaced = documents_table.replaced_invoice_ids(store)
    wanted = [i for i, cid, key in found if replannable(cid, key, replaced=i in replaced)]
    invoices = documents_table.load_documents(store, wanted, converter)
    notes = documents_table.load_documents(
        store, documents_table.correction_note_ids(store, wanted), converter
    )
    corrections = corrections_by_invoice(notes)
    tax = TaxContext(_catalog.seller(session), _catalog.tax_table(session))
    cards = {card.code: card for card in _catalog.list_rate_cards(session)}
    book_rounding = _catalog.rounding(session)
    contracts: dict[str, Contract] = {}
    customers: dict[str, Customer] = {}

    def corrected(invoice: Document) -> Document | None:
        cid = invoice.contract_id
        orders = billed_orders(session, invoice.id)
        load_customers(session, {str(invoice.customer.customer_id)}, customers)
        if cid is None:
            if not orders:
                return None
            inputs = BillRunInputs(
                customers={CustomerId(k): v for k, v in customers.items()},
                rate_cards=cards,
                tax=tax,
                orders=orders,
                rounding=book_rounding,
            )
            return replan_invoice(invoice, None, inputs)
        if invoice.period is None:
            return None
        if cid not in contracts:
            contracts[cid] = get_contract(session, cid)
        contract = contracts[cid]
        load_customers(session, {str(contract.customer_id)}, customers)
        if is_event_run_key(invoice.run_key):
            return _recharged(invoice, contract, customers[contract.customer_id])
        records = usage_table.billed_usage(store, invoice.id)
        inputs = BillRunInputs(
            customers={CustomerId(k): v for k, v in customers.items()},
            rate_cards=cards,
            tax=tax,
            usage=billed_usage(invoice, records),
            transactions=billed_transactions(invoice, records),
            time=billed_time(invoice, contract, usage_table.billed_time(store, invoice.id)),
            orders=orders,
            rounding=book_rounding,
        )
        return replan_invoice(invoice, contract, inputs)

    def _recharged(invoice: Document, contract: Contract, who: Customer) -> Document | None:
        # An invoice of events charged per event: its events re-charged given those
        # its period's event invoices charged before it (document ids run in order).
        assert invoice.period is not None
        items = sorted({str(line.item) for line in invoice.lines})
        rows = usage_table.charged_events(
            store, contract.id, invoice.period.start.isoformat(), items
        )
        own = [event_record(r) for r in rows if str(r[5]) == invoice.id]
        before = [event_record(r) for r in rows if str(r[5]) < invoice.id]
        return recharge_event_invoice(
            invoice,
            contract,
            who,
            events=own,
            earlier=before,
            cards=cards,
            tax=tax,
            rounding=book_rounding,
        )

    def id_for(invoice: Document, suffix: str) -> DocumentId:
        if not fresh_ids:
            return DocumentId(f"{invoice.id}:{suffix}")
        [new_id] = lookups.new_document_ids(session, 1)
        return new_id

    report = rerate(
        invoices, corrections, corrected, reason=code, id_for=id_for, rounding=book_rounding
    )
    return report, len(found) - len(wanted)


class RerateMixin(Area):
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
        return rerate_invoices(
            self._session,
            start,
            end,
            customer=customer,
            apply=apply,
            reason=reason,
            actor=actor,
            idempotency_key=idempotency_key,
        )
