"""Corrections: credit notes, debit notes and re-bills, linked to the invoice they fix.

Issued documents never change (DESIGN.md, lesson 9); a correction is a new document
that names the invoice and the lines it corrects and a :class:`ReasonCode`.

Credit notes are computed from the invoice's own rounded amounts, never re-derived from
rates, and the cumulative credit on each line (quantity, net, each tax) never exceeds
what was invoiced. The credit that exhausts a line takes exactly what is left of it, so
crediting an invoice in three parts gives back exactly its total (lesson 1: no
one-cent drift, no tolerance).

Example:
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from o2c.billing import (CustomerSnapshot, DocumentLine, LineTax, ReasonCode,
    ...     credit_note_for, draft_document, issue)
    >>> from o2c.ids import CustomerId, DocumentId, ItemCode
    >>> from o2c.money import Currency, Money
    >>> usd = Currency.of("USD")
    >>> line = DocumentLine(1, ItemCode("SEAT"), "Seats", Decimal(3), Money.of("10", usd),
    ...     Money.of("30.00", usd), (LineTax("VAT", "S", Decimal("0.16"), Money.of("4.80", usd)),))
    >>> who = CustomerSnapshot(CustomerId("C-1"), "ACME", None, None, "MX")
    >>> inv = issue(draft_document(DocumentId("I-1"), who, usd, [line]), "INV-1",
    ...     dt.date(2026, 10, 31))
    >>> notes = []
    >>> for n in range(3):
    ...     cn = credit_note_for(inv, notes, id=DocumentId(f"CN-{n}"),
    ...         reason=ReasonCode.WRONG_QUANTITY, quantities={1: Decimal(1)})
    ...     notes.append(cn)
    >>> [str(cn.totals.tax) for cn in notes]
    ['1.60 USD', '1.60 USD', '1.60 USD']
    >>> credit_note_for(inv, notes, id=DocumentId("CN-9"), reason=ReasonCode.GOODWILL,
    ...     quantities={1: Decimal(1)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    o2c.errors.ValidationError: cannot credit 1 of line 1 of INV-1: 3 invoiced, 3 already ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._credit_units import bands_of, credit_last_units
from o2c.billing._documents import (
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    LineSource,
    LineTax,
    ReasonCode,
)
from o2c.billing.lifecycle import draft_document
from o2c.errors import InvalidState, ValidationError
from o2c.ids import DocumentId
from o2c.money import DEFAULT_ROUNDING, Money, Rounding, allocate_amounts

__all__ = [
    "LineRemainder",
    "adjustment_line",
    "credit_note_for",
    "debit_note_for",
    "rebill",
    "remaining",
]

_ZERO: Final = Decimal(0)
_TaxKey = tuple[str, Decimal, bool]


@attrs.frozen(slots=True)
class LineRemainder:
    """What is left to credit on one line of an invoice.

    Attributes:
        number: Invoice line number.
        quantity: Quantity not yet credited.
        net: Net not yet credited.
        taxes: Per tax (code, rate, withholding) the amount not yet credited.
    """

    number: int
    quantity: Decimal
    net: Money
    taxes: tuple[LineTax, ...]

    @property
    def is_exhausted(self) -> bool:
        """Whether nothing is left to credit on the line."""
        return self.net.is_zero and all(t.amount.is_zero for t in self.taxes)


def _fmt(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_creditable(invoice: Document) -> None:
    if invoice.kind is DocumentKind.CREDIT_NOTE:
        raise InvalidState(
            f"{invoice.label} is a credit note; issue an invoice or debit note to reverse it",
            document_id=invoice.id,
        )
    if invoice.status is not DocumentStatus.ISSUED:
        raise InvalidState(
            f"{invoice.label} is {invoice.status.value}; only issued documents can be corrected"
            + (" (edit the draft instead)" if invoice.status is DocumentStatus.DRAFT else ""),
            document_id=invoice.id,
        )


def remaining(invoice: Document, prior_credits: Iterable[Document]) -> tuple[LineRemainder, ...]:
    """Per line, what ``prior_credits`` (credit notes on ``invoice``) left to credit.

    Void credit notes and notes on other documents are ignored.

    Raises:
        ValidationError: A credit note names a line the invoice does not have.
    """
    quantity = {line.number: line.quantity for line in invoice.lines}
    net = {line.number: line.net.amount for line in invoice.lines}
    # Per line and tax key: (category, tax it belongs to, amount left). The tax ("MX-IVA")
    # decides the account a credit posts to, so it travels with the remainder: a credit
    # note reverses exactly the accounts its invoice posted.
    taxes: dict[int, dict[_TaxKey, tuple[str, str, Decimal]]] = {
        line.number: {
            (t.code, t.rate, t.withholding): (t.category, t.tax, t.amount.amount)
            for t in line.taxes
        }
        for line in invoice.lines
    }
    for note in prior_credits:
        if (
            note.kind is not DocumentKind.CREDIT_NOTE
            or note.reference != invoice.id
            or note.status is DocumentStatus.VOID
        ):
            continue
        for line in note.lines:
            ref = line.ref_line
            if ref is None or ref not in net:
                raise ValidationError(
                    f"{note.label}.lines[{line.number - 1}].ref_line",
                    ref,
                    f"a line number of {invoice.label}",
                )
            quantity[ref] -= line.quantity
            net[ref] -= line.net.amount
            line_taxes = taxes[ref]
            for t in line.taxes:
                key = (t.code, t.rate, t.withholding)
                category, tax, left = line_taxes.get(key, (t.category, t.tax, _ZERO))
                line_taxes[key] = (category, tax, left - t.amount.amount)
    cur = invoice.currency
    return tuple(
        LineRemainder(
            n,
            quantity[n],
            Money(net[n], cur),
            tuple(
                LineTax(code, category, rate, Money(left, cur), wh, tax)
                for (code, rate, wh), (category, tax, left) in taxes[n].items()
            ),
        )
        for n in net
    )


def _share(
    line: DocumentLine,
    left: LineRemainder,
    quantity: Decimal,
    net: Decimal,
    rounding: Rounding,
    explain: tuple[str, ...] = (),
) -> DocumentLine:
    """A credit-note line for ``net`` of ``line`` (taxes in the invoice's proportion).

    A credit of an amount (``quantity`` 0, a price adjustment) shows no unit price: the
    customer reads the credited amount, not "0 × the invoice's price"."""
    cur = line.net.currency
    exhausts = net == left.net.amount
    taxes = []
    for t_left in left.taxes:
        if exhausts:
            amount = t_left.amount.amount
        else:
            invoiced = next(
                t.amount.amount
                for t in line.taxes
                if (t.code, t.rate, t.withholding) == (t_left.code, t_left.rate, t_left.withholding)
            )
            exact = invoiced * net / line.net.amount if line.net.amount else _ZERO
            amount = Money(exact, cur).round(rounding).amount
            # Never beyond what is left of this tax on the line.
            if abs(amount) > abs(t_left.amount.amount):
                amount = t_left.amount.amount
        taxes.append(attrs.evolve(t_left, amount=Money(amount, cur)))
    return DocumentLine(
        number=0,
        item=line.item,
        description=line.description,
        quantity=quantity,
        unit_price=line.unit_price if quantity else None,
        net=Money(net, cur),
        taxes=tuple(taxes),
        source=LineSource.CORRECTION,
        period=line.period,
        explain=(f"credit of {line.item} line {line.number}", *explain),
        ref_line=line.number,
        tax_code=line.tax_code,
    )


def _over_amount(
    invoice: Document, amount: Money, chosen: Sequence[int] | None, available: Decimal
) -> ValidationError:
    """The refusal of ``amount`` above the net left on the ``chosen`` lines (or all)."""
    cur = invoice.currency
    label = invoice.label
    left = Money(available, cur)
    if chosen is None:
        return ValidationError(
            "amount",
            str(amount),
            f"at most {left} (net left to credit on {label})",
            message=(
                f"cannot credit {amount} on {label}: only {left} net is "
                "left to credit after earlier credit notes"
            ),
        )
    if len(chosen) == 1:
        line = invoice.line(chosen[0])
        where = f"line {line.number} of {label}"
        message = f"cannot credit {amount} on {where}: {line.net} invoiced, {left} left to credit"
    else:
        where = f"lines {', '.join(map(str, chosen))} of {label}"
        message = f"cannot credit {amount} on {where}: only {left} net is left to credit on them"
    return ValidationError(
        "amount", str(amount), f"at most {left} (net left on {where})", message=message
    )


def _units_net(
    line: DocumentLine, left: LineRemainder, qty: Decimal, rounding: Rounding
) -> tuple[Decimal, tuple[str, ...]]:
    """The net credited for ``qty`` units of ``line`` and why.

    The whole rest of the line takes exactly what is left of it. A line priced in bands
    (tiers, free units, flat fees) credits the last units billed at what the invoice
    charged for them (:mod:`o2c.billing._credit_units`); a single-priced line credits
    its own rounded net in proportion to the units. Never beyond what is left.
    """
    cur = line.net.currency
    if qty == left.quantity:
        return left.net.amount, ()
    if not line.quantity:
        return _ZERO, ()
    bands = bands_of(line, rounding)
    if bands is not None:
        net, why = credit_last_units(bands, left.quantity, qty, line.net, rounding)
    else:
        net = Money(line.net.amount * qty / line.quantity, cur).round(rounding).amount
        why = ()
    if abs(net) > abs(left.net.amount):
        net = left.net.amount
    return net, why


def credit_note_for(
    invoice: Document,
    prior_credits: Sequence[Document],
    *,
    id: DocumentId,
    reason: ReasonCode,
    quantities: Mapping[int, Decimal | None] | None = None,
    amount: Money | None = None,
    line_amounts: Mapping[int, Money] | None = None,
    reason_text: str = "",
    tax_point: dt.date | None = None,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> Document:
    """Draft a credit note on ``invoice``.

    What to credit:

    * neither ``quantities`` nor ``amount``: everything left on every line (a full
      credit; with no prior credits, the whole invoice);
    * ``quantities`` ``{line number: quantity}``: that quantity of each line
      (``None`` for what is left of the line). A line priced in bands (graduated
      tiers, free units, tier flat fees) credits **the last units billed**, top tier
      first, at the prices its invoice charged for them (the explanation says so); a
      single-priced line credits its net in proportion to the units;
    * ``amount``: a net amount, spread over the lines (only those in ``quantities``,
      when given, as ``{2: None}`` or ``{2: 0}``) in proportion to their remaining net,
      largest remainder in minor units, as price adjustments that credit no quantity
      and show no unit price; a line named alone takes all of it, and an amount
      above what is left on the named lines is refused naming them;
    * ``line_amounts`` ``{line number: net}``: that net of each line, as price
      adjustments (what re-rating proposes).

    Taxes follow the invoice line's own rounded taxes in proportion to the net credited;
    the credit that exhausts a line takes exactly its remainder.

    Args:
        invoice: The issued invoice or debit note.
        prior_credits: Credit notes already made on it (drafts and issued; void ones
            are ignored).
        id: Id of the new credit note.
        reason: Reason code.
        quantities: Quantity per line to credit.
        amount: Net amount to credit.
        line_amounts: Net amount to credit per line.
        reason_text: Free text for the customer.
        tax_point: Tax point of the note (the book uses the issue date by default).
        rounding: Rounding mode of the book.

    Raises:
        InvalidState: The invoice is not issued, or is itself a credit note.
        ValidationError: More than what is left would be credited (the message says how
            much was invoiced, credited and left), an unknown line, or nothing to credit.
    """
    _check_creditable(invoice)
    lefts = {r.number: r for r in remaining(invoice, prior_credits)}
    cur = invoice.currency
    label = invoice.label
    lines: list[DocumentLine] = []
    if line_amounts is not None:
        for n in sorted(line_amounts):
            line = invoice.line(n)
            left = lefts[n]
            wanted_net = line_amounts[n]
            if wanted_net.currency != cur or not wanted_net.is_rounded:
                raise ValidationError(
                    f"line_amounts[{n}]", str(wanted_net), f"an amount rounded to {cur}"
                )
            if wanted_net.is_zero:
                continue
            same_sign = (wanted_net.amount > 0) == (left.net.amount > 0)
            if not same_sign or abs(wanted_net.amount) > abs(left.net.amount):
                raise ValidationError(
                    f"line_amounts[{n}]",
                    str(wanted_net),
                    f"at most {left.net}",
                    message=(
                        f"cannot credit {wanted_net} on line {n} of {label}: {line.net} "
                        f"invoiced, {left.net} left to credit"
                    ),
                )
            lines.append(_share(line, left, _ZERO, wanted_net.amount, rounding))
    elif amount is not None:
        if amount.currency != cur:
            raise ValidationError("amount", str(amount), f"an amount in {cur}")
        if not amount.is_rounded or not amount.is_positive:
            raise ValidationError("amount", str(amount), f"a positive amount rounded to {cur}")
        chosen = sorted(quantities) if quantities else sorted(lefts)
        for n in chosen:
            invoice.line(n)
            if quantities and quantities[n]:  # None or 0: the line takes a price adjustment
                raise ValidationError(
                    f"quantities[{n}]",
                    str(quantities[n]),
                    f"no quantity with an amount: name the line alone ({{{n}: None}})",
                )
        weights = [max(lefts[n].net.amount, _ZERO) for n in chosen]
        available = sum(weights, _ZERO)
        if amount.amount > available:
            raise _over_amount(invoice, amount, chosen if quantities else None, available)
        parts = allocate_amounts(amount.minor_units, weights)
        for n, part in zip(chosen, parts, strict=True):
            if part:
                net = Money.from_minor(part, cur).amount
                lines.append(_share(invoice.line(n), lefts[n], _ZERO, net, rounding))
    else:
        wanted: Mapping[int, Decimal | None] = (
            quantities if quantities is not None else dict.fromkeys(lefts)
        )
        for n in sorted(wanted):
            line = invoice.line(n)
            left = lefts[n]
            requested = wanted[n]
            qty = left.quantity if requested is None else requested
            if requested is not None and qty <= 0:
                raise ValidationError(f"quantities[{n}]", str(qty), "a quantity > 0")
            if qty > left.quantity:
                raise ValidationError(
                    f"quantities[{n}]",
                    str(qty),
                    f"at most {_fmt(left.quantity)}",
                    message=(
                        f"cannot credit {_fmt(qty)} of line {n} of {label}: "
                        f"{_fmt(line.quantity)} invoiced, "
                        f"{_fmt(line.quantity - left.quantity)} already credited, "
                        f"at most {_fmt(left.quantity)} left"
                    ),
                )
            if requested is None and left.is_exhausted:
                continue
            net, why = _units_net(line, left, qty, rounding)
            lines.append(_share(line, left, qty, net, rounding, why))
    if not lines:
        raise ValidationError(
            "credit", label, "something left to credit", message=f"{label} is fully credited"
        )
    return draft_document(
        id,
        invoice.customer,
        cur,
        lines,
        kind=DocumentKind.CREDIT_NOTE,
        tax_point=tax_point,
        period=invoice.period,
        contract_id=invoice.contract_id,
        po_number=invoice.po_number,
        reference=invoice.id,
        reason=reason,
        reason_text=reason_text,
        notes=(f"Credit note for {label}",),
    )


def adjustment_line(
    invoice: Document,
    ref_line: int,
    net: Money,
    *,
    quantity: Decimal = _ZERO,
    unit_price: Money | None = None,
    description: str = "",
    rounding: Rounding = DEFAULT_ROUNDING,
) -> DocumentLine:
    """A correction line for ``net`` on invoice line ``ref_line``, taxed at its rates.

    Each tax is ``round(net × rate)`` with the line's own tax codes and rates, so a
    debit note adds tax exactly as the invoice line would have.

    Raises:
        ValidationError: Unknown line, or an unrounded or foreign-currency amount.
    """
    line = invoice.line(ref_line)
    cur = invoice.currency
    if net.currency != cur or not net.is_rounded:
        raise ValidationError("net", str(net), f"an amount rounded to {cur}")
    taxes = tuple(
        attrs.evolve(t, amount=Money(net.amount * t.rate, cur).round(rounding)) for t in line.taxes
    )
    return DocumentLine(
        number=0,
        item=line.item,
        description=description or line.description,
        quantity=quantity,
        unit_price=unit_price,
        net=net,
        taxes=taxes,
        source=LineSource.CORRECTION,
        period=line.period,
        explain=(f"adjustment of {line.item} line {ref_line} of {invoice.label}",),
        ref_line=ref_line,
        tax_code=line.tax_code,
    )


def debit_note_for(
    invoice: Document,
    lines: Sequence[DocumentLine],
    *,
    id: DocumentId,
    reason: ReasonCode,
    reason_text: str = "",
    tax_point: dt.date | None = None,
) -> Document:
    """Draft a debit note on ``invoice`` for under-billing.

    Build the lines with :func:`adjustment_line` (taxed at the invoice line's rates) or
    tax new items with the tax engine.

    Raises:
        InvalidState: The invoice is not issued.
        ValidationError: No lines, or a line that is not positive.
    """
    _check_creditable(invoice)
    if not lines:
        raise ValidationError("lines", [], "at least one line to debit")
    for index, line in enumerate(lines):
        if not line.net.is_positive:
            raise ValidationError(f"lines[{index}].net", str(line.net), "a positive amount")
    return draft_document(
        id,
        invoice.customer,
        invoice.currency,
        lines,
        kind=DocumentKind.DEBIT_NOTE,
        tax_point=tax_point,
        period=invoice.period,
        contract_id=invoice.contract_id,
        po_number=invoice.po_number,
        payment_terms=invoice.payment_terms,
        reference=invoice.id,
        reason=reason,
        reason_text=reason_text,
        notes=(f"Debit note for {invoice.label}",),
    )


def rebill(
    invoice: Document,
    prior_credits: Sequence[Document],
    corrected: Document,
    *,
    credit_id: DocumentId,
    reason: ReasonCode,
    reason_text: str = "",
) -> tuple[Document, Document]:
    """Credit what is left of ``invoice`` and link a corrected draft invoice to it.

    Returns:
        ``(credit_note, corrected_invoice)``, both drafts; the corrected invoice names
        the original in ``reference`` and carries the reason.

    Raises:
        InvalidState: The invoice is not issued, or ``corrected`` is not a draft invoice.
        ValidationError: Customer or currency differ.
    """
    if corrected.kind is not DocumentKind.INVOICE or corrected.status is not DocumentStatus.DRAFT:
        raise InvalidState(
            f"{corrected.label} must be a draft invoice to re-bill {invoice.label}",
            document_id=corrected.id,
        )
    if corrected.customer.customer_id != invoice.customer.customer_id:
        raise ValidationError(
            "corrected.customer",
            corrected.customer.customer_id,
            f"the customer of {invoice.label} ({invoice.customer.customer_id})",
        )
    if corrected.currency != invoice.currency:
        raise ValidationError("corrected.currency", str(corrected.currency), f"{invoice.currency}")
    credit = credit_note_for(
        invoice, prior_credits, id=credit_id, reason=reason, reason_text=reason_text
    )
    linked = attrs.evolve(
        corrected,
        reference=invoice.id,
        reason=reason,
        reason_text=reason_text or f"Replaces {invoice.label}",
        run_key=corrected.run_key,
    )
    return credit, linked
