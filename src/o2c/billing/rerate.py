"""Re-rating and impact analysis: what corrected rates or tax data change on issued invoices.

:func:`rerate` compares each issued invoice, as already corrected by its credit and debit
notes, with the invoice the corrected data produce, line by line, and proposes the
documents that fix the difference:

* only nets changed (taxes at the same rates): a credit note for lines billed too high
  and a debit note for lines billed too low, each linked to the invoice lines;
* anything else (a tax rate, a line that appears or disappears): a re-bill, i.e. a
  credit of what is left and the corrected invoice.

Because the comparison starts from the invoice *with* its corrections, running it again
after the proposals are issued proposes nothing (re-rating is idempotent, DESIGN.md
lesson 9). Nothing is issued here: the book asks for approval, then issues.

The corrected invoice comes from a callback, usually :func:`replan_invoice` (the bill
run planner with corrected rate cards or tax table). It re-plans bill-run invoices of a
contract (recurring, usage, time and materials, sales-order lines, true-ups) and
invoices of one sales order, from what they billed: the usage, time entries and orders
the caller passes. Manual invoices have nothing to re-plan them from; correct them by
hand.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._documents import (
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineSource,
    ReasonCode,
)
from o2c.billing.billrun import BillRunInputs, plan_bill_run
from o2c.billing.corrections import adjustment_line, credit_note_for, debit_note_for, rebill
from o2c.calendar import Period
from o2c.contracts import Contract, time_items
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import TimeEntry

__all__ = [
    "ImpactAction",
    "ImpactReport",
    "ImpactRow",
    "billed_time",
    "billed_usage",
    "check_rerate_range",
    "corrections_by_invoice",
    "rebill_run_key",
    "replan_invoice",
    "replannable",
    "rerate",
]

_ZERO: Final = Decimal(0)


class ImpactAction(enum.Enum):
    """What fixes an affected invoice."""

    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    CREDIT_AND_DEBIT = "credit_and_debit"
    REBILL = "rebill"


@attrs.frozen(slots=True)
class ImpactRow:
    """One affected invoice.

    Attributes:
        customer_id: Customer.
        invoice_id: Invoice id.
        number: Invoice number.
        old: Payable as billed (with earlier corrections).
        new: Payable under the corrected data.
        difference: ``new - old`` (negative: the customer was over-billed).
        action: What fixes it.
        proposals: Draft documents that fix it (credit note, debit note, or the re-bill's
            credit note and corrected invoice).
    """

    customer_id: CustomerId
    invoice_id: DocumentId
    number: str
    old: Money
    new: Money
    difference: Money
    action: ImpactAction
    proposals: tuple[Document, ...]


@attrs.frozen(slots=True)
class ImpactReport:
    """The result of a re-rating.

    Attributes:
        rows: One row per affected invoice, in input order.
        checked: How many invoices were compared.
    """

    rows: tuple[ImpactRow, ...]
    checked: int

    @property
    def customers(self) -> tuple[CustomerId, ...]:
        """Affected customers, each once, in order."""
        return tuple(dict.fromkeys(r.customer_id for r in self.rows))

    @property
    def proposals(self) -> tuple[Document, ...]:
        """Every proposed document."""
        return tuple(d for r in self.rows for d in r.proposals)

    def net_difference(self) -> dict[Currency, Money]:
        """Sum of differences per currency."""
        out: dict[Currency, Money] = {}
        for r in self.rows:
            prev = out.get(r.difference.currency)
            out[r.difference.currency] = r.difference if prev is None else prev + r.difference
        return out


def _line_key(line: DocumentLine) -> tuple[object, ...]:
    return (line.item, line.period, line.source, line.net.amount >= 0)


def _effective(
    invoice: Document, corrections: Sequence[Document]
) -> dict[int, tuple[Decimal, dict[tuple[str, Decimal, bool], Decimal]]]:
    """Per invoice line: net and taxes after the credit and debit notes on it."""
    out = {
        line.number: (
            line.net.amount,
            {(t.code, t.rate, t.withholding): t.amount.amount for t in line.taxes},
        )
        for line in invoice.lines
    }
    for note in corrections:
        if note.reference != invoice.id or note.status is DocumentStatus.VOID:
            continue
        sign = -1 if note.kind is DocumentKind.CREDIT_NOTE else 1
        for line in note.lines:
            if line.ref_line is None or line.ref_line not in out:
                continue
            net, taxes = out[line.ref_line]
            for t in line.taxes:
                key = (t.code, t.rate, t.withholding)
                taxes[key] = taxes.get(key, _ZERO) + sign * t.amount.amount
            out[line.ref_line] = (net + sign * line.net.amount, taxes)
    return out


def rerate(
    invoices: Iterable[Document],
    corrections: Mapping[DocumentId, Sequence[Document]],
    corrected: Callable[[Document], Document | None],
    *,
    reason: ReasonCode = ReasonCode.WRONG_PRICE,
    id_for: Callable[[Document, str], DocumentId] | None = None,
) -> ImpactReport:
    """Compare issued invoices with their corrected versions and propose the fixes.

    Args:
        invoices: Issued invoices to check (drafts and void ones are ignored).
        corrections: Credit and debit notes per invoice id.
        corrected: Returns the invoice as the corrected data would bill it (a draft),
            or ``None`` to leave an invoice alone.
        reason: Reason code on the proposals.
        id_for: Id of a proposal from the invoice and a suffix (``"cn"``, ``"dn"``,
            ``"rebill"``); ``"<invoice id>:<suffix>"`` by default.

    Returns:
        An impact report; unaffected invoices have no row.
    """

    def make_id(invoice: Document, suffix: str) -> DocumentId:
        if id_for is not None:
            return id_for(invoice, suffix)
        return DocumentId(f"{invoice.id}:{suffix}")

    rows: list[ImpactRow] = []
    checked = 0
    for invoice in invoices:
        if invoice.kind is not DocumentKind.INVOICE or invoice.status is not DocumentStatus.ISSUED:
            continue
        checked += 1
        new_doc = corrected(invoice)
        if new_doc is None:
            continue
        notes = tuple(corrections.get(invoice.id, ()))
        effective = _effective(invoice, notes)
        cur = invoice.currency
        old_payable = sum(
            (n - sum((a for (_, _, wh), a in t.items() if wh), _ZERO))
            + sum((a for (_, _, wh), a in t.items() if not wh), _ZERO)
            for n, t in effective.values()
        )
        old = Money(Decimal(old_payable), cur)
        new = new_doc.totals.payable
        if new == old:
            continue
        # Match lines by item, period, source and sign.
        by_key: dict[tuple[object, ...], list[DocumentLine]] = {}
        for line in new_doc.lines:
            by_key.setdefault(_line_key(line), []).append(line)
        price_only = new_doc.currency == cur
        credits: dict[int, Money] = {}
        debits: list[DocumentLine] = []
        for line in invoice.lines:
            matches = by_key.get(_line_key(line))
            if not matches:
                price_only = False
                break
            new_line = matches.pop(0)
            net, taxes = effective[line.number]
            if {(t.code, t.rate, t.withholding) for t in new_line.taxes} != set(taxes):
                price_only = False
                break
            diff = new_line.net.amount - net
            if diff < 0:
                credits[line.number] = Money(-diff, cur)
            elif diff > 0:
                debits.append(adjustment_line(invoice, line.number, Money(diff, cur)))
        if any(by_key.values()):
            price_only = False
        proposals: list[Document] = []
        if price_only:
            prior = [n for n in notes if n.kind is DocumentKind.CREDIT_NOTE]
            if credits:
                proposals.append(
                    credit_note_for(
                        invoice,
                        prior,
                        id=make_id(invoice, "cn"),
                        reason=reason,
                        line_amounts=credits,
                        reason_text="re-rating",
                    )
                )
            if debits:
                proposals.append(
                    debit_note_for(
                        invoice,
                        debits,
                        id=make_id(invoice, "dn"),
                        reason=reason,
                        reason_text="re-rating",
                    )
                )
            if credits and debits:
                action = ImpactAction.CREDIT_AND_DEBIT
            elif credits:
                action = ImpactAction.CREDIT_NOTE
            else:
                action = ImpactAction.DEBIT_NOTE
            new_payable = old
            for p in proposals:
                new_payable = new_payable + p.signed_payable
        else:
            prior = [n for n in notes if n.kind is DocumentKind.CREDIT_NOTE]
            replacement = attrs.evolve(new_doc, id=make_id(invoice, "rebill"))
            credit, linked = rebill(
                invoice,
                prior,
                replacement,
                credit_id=make_id(invoice, "cn"),
                reason=reason,
                reason_text="re-rating",
            )
            proposals = [credit, linked]
            action = ImpactAction.REBILL
            new_payable = new
        if not proposals:
            continue
        rows.append(
            ImpactRow(
                invoice.customer.customer_id,
                invoice.id,
                invoice.label,
                old,
                new_payable,
                new_payable - old,
                action,
                tuple(proposals),
            )
        )
    return ImpactReport(tuple(rows), checked)


def _count(document: Document, source: LineSource) -> int:
    return sum(1 for line in document.lines if line.source is source)


def replan_invoice(
    invoice: Document, contract: Contract | None, inputs: BillRunInputs
) -> Document | None:
    """Re-plan an invoice of the bill run or of a sales order with (corrected) ``inputs``:
    the same contract period or order, run key and tax point.

    The inputs must hold what the invoice billed, as they did when it was billed:
    the usage (``inputs.usage``) and approved time entries (``inputs.time``) per
    ``(run key, item)``, and the sales orders on it (``inputs.orders``). Sales-order
    lines priced on the order keep their price; those priced from a rate card, time
    and usage are priced again; every line is taxed again.

    Args:
        invoice: The issued invoice.
        contract: The contract it billed; ``None`` for the invoice of one sales order
            (run key ``order:<id>``, billed on its own by a run or by
            :func:`~o2c.billing.order_invoice`).
        inputs: Customers, (corrected) rate cards and tax, and what the invoice billed.

    Returns:
        The corrected draft, or ``None`` when the invoice did not come from a bill run
        of ``contract`` (or of one sales order in ``inputs.orders``), when the corrected
        data bill nothing or fail validation, or when ``inputs`` lack the sales orders
        or time the invoice billed (re-planning it without them would propose to credit
        them away).
    """
    run_key = invoice.run_key
    if run_key is None:
        return None
    day: dt.date = invoice.tax_point or invoice.issue_date or dt.date.min
    if contract is None:
        # One sales order billed on its own invoice (no contract, so no period).
        if invoice.contract_id is not None:
            return None
        orders = tuple(
            attrs.evolve(o, contract_id=None) for o in inputs.orders if o.run_key == run_key
        )
        if len(orders) != 1:
            return None
        period = Period(day, day + dt.timedelta(days=1))
        contracts: tuple[Contract, ...] = ()
    else:
        if invoice.period is None or invoice.contract_id != contract.id:
            return None
        orders = tuple(o for o in inputs.orders if o.contract_id == contract.id)
        period = Period(invoice.period.start, invoice.period.end)
        contracts = (contract,)
    # The orders were billed: they count whatever the cut-off of the original run.
    cut_off = max([day, *(o.billable_from for o in orders)])
    plan = plan_bill_run(
        contracts,
        period,
        cut_off=cut_off,
        inputs=attrs.evolve(inputs, orders=orders),
        invoice_date=day,
        id_for=lambda key: DocumentId(f"{invoice.id}:rerated"),
    )
    for candidate in plan.candidates:
        document = candidate.document
        if document.run_key != run_key:
            continue
        for source in (LineSource.ORDER, LineSource.TIME):
            if _count(document, source) != _count(invoice, source):
                return None
        return document
    return None


# -- what a re-rating re-plans, and from what -------------------------------------------


def check_rerate_range(start: dt.date, end: dt.date) -> None:
    """Check the issue dates of a re-rating: ``end`` (included) on or after ``start``.

    Raises:
        ValidationError: ``end`` is before ``start``.
    """
    if end < start:
        raise ValidationError("end", end.isoformat(), f"on or after start {start}")


def replannable(contract_id: str | None, run_key: str | None, *, replaced: bool) -> bool:
    """Whether an issued invoice can be re-planned.

    It can when the bill run made it (it has a run key) from a contract or from one sales
    order (run key ``order:<id>``), and no re-bill replaced it. Manual invoices have
    nothing to re-plan them from.
    """
    if run_key is None or replaced:
        return False
    return contract_id is not None or run_key.startswith("order:")


def corrections_by_invoice(notes: Iterable[Document]) -> dict[DocumentId, list[Document]]:
    """The credit and debit notes per invoice they correct, in the order given.

    Notes still waiting for approval count: they will correct the invoice once approved,
    so re-rating again while they wait proposes nothing twice.
    """
    found: dict[DocumentId, list[Document]] = {}
    for note in notes:
        if note.reference is not None:
            found.setdefault(note.reference, []).append(note)
    return found


def billed_usage(
    invoice: Document, records: Iterable[tuple[str, Decimal]]
) -> dict[tuple[str, ItemCode], Decimal]:
    """The usage ``invoice`` billed, per (run key, item): what it is re-rated on.

    ``records`` are the (item, quantity) of the usage records the bill run marked with the
    invoice. An invoice of a book written before records were marked has none and is
    re-rated on the quantities of its usage lines (the same sums).
    """
    run_key = str(invoice.run_key)
    usage: dict[tuple[str, ItemCode], Decimal] = {}
    for item, quantity in records:
        key = (run_key, ItemCode(str(item)))
        usage[key] = usage.get(key, _ZERO) + quantity
    if not usage:
        for line in invoice.lines:
            if line.source is LineSource.USAGE:
                key = (run_key, ItemCode(line.item))
                usage[key] = usage.get(key, _ZERO) + line.quantity
    return usage


def billed_time(
    invoice: Document, contract: Contract, entries: Sequence[TimeEntry]
) -> dict[tuple[str, ItemCode], tuple[TimeEntry, ...]]:
    """The time entries ``invoice`` billed, keyed as the bill run keyed them: under its
    run key and each item its contract bills time for."""
    if not entries:
        return {}
    chosen = tuple(entries)
    return {(str(invoice.run_key), item): chosen for item in time_items(contract)}


def rebill_run_key(replacement: Document, invoice_id: DocumentId) -> str:
    """The run key of a re-bill's corrected invoice: the replaced invoice's run key (or
    id) marked with the replacement's id, so the bill run never takes it for its own."""
    return f"{replacement.run_key or invoice_id}#rerate:{replacement.id}"
