"""Re-rating and impact analysis: what corrected rates or tax data change on issued invoices.

:func:`rerate` compares each issued invoice, as already corrected by its credit and debit
notes, with the invoice the corrected data produce, line by line, and proposes the
documents that fix the difference:

Per invoice line, the fix is ``(re-rated net) - (billed net) - (what earlier re-ratings
changed on the line)``:

* only nets changed (taxes at the same rates): a credit note for lines billed too high
  and a debit note for lines billed too low, each linked to the invoice lines;
* anything else (a tax rate, a line that appears or disappears): a re-bill, i.e. a
  credit of what is left and the corrected invoice.

Credit and debit notes made for other reasons (a goodwill credit, a dispute's credit, a
manual correction, whatever their reason code) are not pricing errors to undo: they stay
as they are. Re-rating tells its own notes by their mark (:data:`RERATING_TEXT`). Units a
credit note gave back are not re-priced; no credit exceeds what is left to credit on a
line, and a line (or invoice) credited in full is not billed again. A re-bill would undo
such notes, so an invoice that carries them and needs one is listed for review
(:attr:`ImpactAction.REVIEW`) with nothing proposed.

Because the comparison subtracts what earlier re-ratings changed, running it again
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
from o2c.billing.corrections import (
    adjustment_line,
    credit_note_for,
    debit_note_for,
    rebill,
    remaining,
)
from o2c.calendar import Period
from o2c.contracts import Contract, time_items
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId, ItemCode
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding
from o2c.pricing import TimeEntry

__all__ = [
    "RERATING_TEXT",
    "ImpactAction",
    "ImpactReport",
    "ImpactRow",
    "billed_time",
    "billed_transactions",
    "billed_usage",
    "check_rerate_range",
    "corrections_by_invoice",
    "is_rerating_note",
    "rebill_run_key",
    "replan_invoice",
    "replannable",
    "rerate",
]

_ZERO: Final = Decimal(0)

#: The ``reason_text`` of every note a re-rating proposes: how a later re-rating tells its
#: own (pricing) corrections from goodwill, dispute and manual ones.
RERATING_TEXT: Final = "re-rating"


class ImpactAction(enum.Enum):
    """What fixes an affected invoice.

    ``REVIEW``: the invoice needs a re-bill but carries credit or debit notes a re-bill
    would undo (goodwill, a dispute's credit, a re-rating's debit note); nothing is
    proposed, a person decides.
    """

    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    CREDIT_AND_DEBIT = "credit_and_debit"
    REBILL = "rebill"
    REVIEW = "review"


@attrs.frozen(slots=True)
class ImpactRow:
    """One affected invoice.

    Attributes:
        customer_id: Customer.
        invoice_id: Invoice id.
        number: Invoice number.
        old: Payable as billed, with every earlier correction.
        new: Payable once the proposals are issued (for ``REVIEW``: what the customer
            should owe, the corrected invoice with the other notes as they are).
        difference: ``new - old`` (negative: the customer was over-billed).
        action: What fixes it.
        proposals: Draft documents that fix it (credit note, debit note, or the re-bill's
            credit note and corrected invoice); none for ``REVIEW``.
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


def is_rerating_note(note: Document) -> bool:
    """Whether ``note`` is a correction a re-rating proposed (its mark: :data:`RERATING_TEXT`).

    Only these count as earlier pricing corrections; goodwill, dispute and manual credit
    and debit notes (whatever their reason code) are someone's decision, never undone.
    """
    return note.kind is not DocumentKind.INVOICE and note.reason_text == RERATING_TEXT


def _live_notes(invoice: Document, notes: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(
        n
        for n in notes
        if n.reference == invoice.id
        and n.kind is not DocumentKind.INVOICE
        and n.status is not DocumentStatus.VOID
    )


def _payable_after(invoice: Document, notes: Iterable[Document]) -> Money:
    """What the customer owes on ``invoice`` with ``notes`` (credit and debit notes) on it."""
    total = invoice.totals.payable
    for note in notes:
        total = total + note.signed_payable
    return total


@attrs.frozen(slots=True)
class _LineState:
    """One invoice line as billed and as corrected so far.

    Attributes:
        rerated: Signed net the re-rating's own notes changed on the line so far.
        other_credited: Net credited by notes for other reasons (goodwill, dispute...).
        other_quantity: Quantity those credited (units the customer no longer pays for).
        left: Net still left to credit after every credit note (the credit cap).
    """

    rerated: Decimal = _ZERO
    other_credited: Decimal = _ZERO
    other_quantity: Decimal = _ZERO
    left: Decimal = _ZERO


def _line_states(invoice: Document, notes: Sequence[Document]) -> dict[int, _LineState]:
    credits = [n for n in notes if n.kind is DocumentKind.CREDIT_NOTE]
    states = {r.number: _LineState(left=r.net.amount) for r in remaining(invoice, credits)}
    for note in notes:
        sign = note.kind.sign
        own = is_rerating_note(note)
        for line in note.lines:
            ref = line.ref_line
            state = states.get(ref) if ref is not None else None
            if ref is None or state is None:
                continue
            if own:
                state = attrs.evolve(state, rerated=state.rerated + sign * line.net.amount)
            elif sign < 0:
                state = attrs.evolve(
                    state,
                    other_credited=state.other_credited + line.net.amount,
                    other_quantity=state.other_quantity + line.quantity,
                )
            states[ref] = state
    return states


def _line_change(
    line: DocumentLine, rerated_net: Decimal, state: _LineState, rounding: Rounding
) -> Decimal:
    """What re-rating still has to change on one line: a signed net (``+`` debit, ``-`` credit).

    The re-rating's target for the line is ``rerated - billed``, on the units the customer
    is still billed for (units credited back for another reason are not re-priced); what
    its earlier notes already changed is subtracted, so applying the change and re-rating
    again leaves nothing. A credit is capped at what is left to credit on the line; a line
    credited in full for another reason is not billed again.
    """
    billed = line.net.amount
    target = rerated_net - billed
    if state.other_quantity and line.quantity > 0:
        share = max(line.quantity - state.other_quantity, _ZERO) / line.quantity
        target = Money(target * share, line.net.currency).round(rounding).amount
    change = target - state.rerated
    if billed <= 0:
        return change
    if change < 0:
        return -min(-change, max(state.left, _ZERO))
    if billed - state.other_credited <= 0:
        return _ZERO
    return change


def _price_changes(
    invoice: Document, new_doc: Document, states: Mapping[int, _LineState], rounding: Rounding
) -> dict[int, Decimal] | None:
    """Per invoice line the net re-rating changes, when only nets changed; else ``None``.

    Lines are matched by item, period, source and sign; a line that appears or
    disappears, another set of taxes or another currency needs a re-bill.
    """
    if new_doc.currency != invoice.currency:
        return None
    by_key: dict[tuple[object, ...], list[DocumentLine]] = {}
    for line in new_doc.lines:
        by_key.setdefault(_line_key(line), []).append(line)
    changes: dict[int, Decimal] = {}
    for line in invoice.lines:
        matches = by_key.get(_line_key(line))
        if not matches:
            return None
        new_line = matches.pop(0)
        if {(t.code, t.rate, t.withholding) for t in new_line.taxes} != {
            (t.code, t.rate, t.withholding) for t in line.taxes
        }:
            return None
        change = _line_change(line, new_line.net.amount, states[line.number], rounding)
        if change:
            changes[line.number] = change
    if any(by_key.values()):
        return None
    return changes


def rerate(
    invoices: Iterable[Document],
    corrections: Mapping[DocumentId, Sequence[Document]],
    corrected: Callable[[Document], Document | None],
    *,
    reason: ReasonCode = ReasonCode.WRONG_PRICE,
    id_for: Callable[[Document, str], DocumentId] | None = None,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> ImpactReport:
    """Compare issued invoices with their corrected versions and propose the fixes.

    Per invoice line the fix is ``(re-rated net) - (billed net) - (what earlier
    re-ratings changed on it)``. Credit and debit notes made for other reasons
    (goodwill, a dispute, a manual correction, whatever their reason code) stay as they
    are: re-rating never reverses them, and a line they credited in full is not billed
    again. Units they credited back are not re-priced, and no credit exceeds what is
    left to credit on a line.

    Args:
        invoices: Issued invoices to check (drafts and void ones are ignored).
        corrections: Credit and debit notes per invoice id.
        corrected: Returns the invoice as the corrected data would bill it (a draft),
            or ``None`` to leave an invoice alone.
        reason: Reason code on the proposals.
        id_for: Id of a proposal from the invoice and a suffix (``"cn"``, ``"dn"``,
            ``"rebill"``); ``"<invoice id>:<suffix>"`` by default.
        rounding: Rounding mode of the book (re-pricing part of a line, taxes of a
            debit note).

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
        notes = _live_notes(invoice, corrections.get(invoice.id, ()))
        states = _line_states(invoice, notes)
        changes = _price_changes(invoice, new_doc, states, rounding)
        if changes is None:
            row = _rebill_row(invoice, new_doc, notes, states, reason, make_id)
        else:
            row = _adjustment_row(invoice, notes, changes, reason, make_id, rounding)
        if row is not None:
            rows.append(row)
    return ImpactReport(tuple(rows), checked)


def _adjustment_row(
    invoice: Document,
    notes: Sequence[Document],
    changes: Mapping[int, Decimal],
    reason: ReasonCode,
    make_id: Callable[[Document, str], DocumentId],
    rounding: Rounding,
) -> ImpactRow | None:
    """The credit and/or debit note that apply the per-line ``changes``."""
    cur = invoice.currency
    credits = {n: Money(-c, cur) for n, c in sorted(changes.items()) if c < 0}
    debits = [
        adjustment_line(invoice, n, Money(c, cur), rounding=rounding)
        for n, c in sorted(changes.items())
        if c > 0
    ]
    proposals: list[Document] = []
    if credits:
        prior = [n for n in notes if n.kind is DocumentKind.CREDIT_NOTE]
        proposals.append(
            credit_note_for(
                invoice,
                prior,
                id=make_id(invoice, "cn"),
                reason=reason,
                line_amounts=credits,
                reason_text=RERATING_TEXT,
                rounding=rounding,
            )
        )
    if debits:
        proposals.append(
            debit_note_for(
                invoice,
                debits,
                id=make_id(invoice, "dn"),
                reason=reason,
                reason_text=RERATING_TEXT,
            )
        )
    if not proposals:
        return None
    if credits and debits:
        action = ImpactAction.CREDIT_AND_DEBIT
    elif credits:
        action = ImpactAction.CREDIT_NOTE
    else:
        action = ImpactAction.DEBIT_NOTE
    old = _payable_after(invoice, notes)
    new = _payable_after(invoice, (*notes, *proposals))
    return ImpactRow(
        invoice.customer.customer_id,
        invoice.id,
        invoice.label,
        old,
        new,
        new - old,
        action,
        tuple(proposals),
    )


def _rebill_row(
    invoice: Document,
    new_doc: Document,
    notes: Sequence[Document],
    states: Mapping[int, _LineState],
    reason: ReasonCode,
    make_id: Callable[[Document, str], DocumentId],
) -> ImpactRow | None:
    """The re-bill (credit what is left, issue the corrected invoice), when it is safe.

    An invoice with nothing left to credit is left alone (credited in full, or already
    re-billed): a re-bill would bill the customer again. One that also carries notes for
    other reasons, or a re-rating's debit note, gets a ``review`` row without proposals:
    a re-bill would undo those notes.
    """
    if all(s.left <= 0 for s in states.values()):
        return None
    old = _payable_after(invoice, notes)
    own = [n for n in notes if is_rerating_note(n)]
    # What the customer should owe: the corrected invoice, with the other notes as they are.
    target = _payable_after(new_doc, [n for n in notes if not is_rerating_note(n)])
    if target == old:
        return None
    label = invoice.label
    customer = invoice.customer.customer_id
    if len(own) < len(notes) or any(n.kind is DocumentKind.DEBIT_NOTE for n in own):
        return ImpactRow(
            customer, invoice.id, label, old, target, target - old, ImpactAction.REVIEW, ()
        )
    replacement = attrs.evolve(new_doc, id=make_id(invoice, "rebill"))
    credit, linked = rebill(
        invoice,
        list(own),
        replacement,
        credit_id=make_id(invoice, "cn"),
        reason=reason,
        reason_text=RERATING_TEXT,
    )
    new = new_doc.totals.payable
    return ImpactRow(
        customer, invoice.id, label, old, new, new - old, ImpactAction.REBILL, (credit, linked)
    )


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


def billed_transactions(
    invoice: Document, records: Iterable[tuple[str, Decimal]]
) -> dict[tuple[str, ItemCode], tuple[Decimal, ...]]:
    """Each usage record ``invoice`` billed as one transaction, per (run key, item).

    ``records`` are the (item, quantity) of the records marked with the invoice, in the
    order they occurred: the bill run rated percentage items per transaction in that
    order (the free transactions are the first), so re-rating does the same. Other
    models ignore them.
    """
    run_key = str(invoice.run_key)
    found: dict[tuple[str, ItemCode], list[Decimal]] = {}
    for item, quantity in records:
        found.setdefault((run_key, ItemCode(str(item))), []).append(quantity)
    return {key: tuple(amounts) for key, amounts in found.items()}


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
