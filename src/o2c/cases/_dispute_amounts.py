"""What a dispute may hold, what crediting it credits, and which documents settle it.

The Book loads the invoice, what is open on it and what payments settled on it; these
rules decide what may be disputed (a paid invoice too: customers dispute after paying),
the disputed amount a dispute takes by default, what a credit note that resolves it
corrects, and whether the documents named in a resolution fit the dispute.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Final

from o2c.billing import Document, DocumentKind, DocumentStatus, ReasonCode
from o2c.cases._disputes import Dispute, DisputeReason
from o2c.errors import InvalidState, ValidationError
from o2c.ids import DocumentId
from o2c.money import Money, sum_money

__all__ = [
    "check_disputable",
    "check_dispute_lines",
    "check_rebill",
    "check_resolving_credit_note",
    "credit_reason",
    "disputable",
    "dispute_amount",
    "dispute_credit_quantities",
    "dispute_credit_scope",
    "lines_amount_due",
]

#: Dispute reasons that are also credit-note reason codes (the others credit as "other").
_CREDIT_REASON: Final = {
    DisputeReason.WRONG_PRICE: ReasonCode.WRONG_PRICE,
    DisputeReason.WRONG_QUANTITY: ReasonCode.WRONG_QUANTITY,
    DisputeReason.DUPLICATE: ReasonCode.DUPLICATE,
    DisputeReason.TAX_ERROR: ReasonCode.TAX_ERROR,
}


def _label(document: Document) -> str:
    return document.number or document.id


def check_disputable(document: Document) -> None:
    """Raise unless ``document`` is an issued invoice or debit note.

    Only a receivable the customer was billed can be disputed or extended: a draft is
    not owed yet, a credit note owes the customer.

    Raises:
        InvalidState: The document is a credit note or not issued.
    """
    if document.kind is DocumentKind.CREDIT_NOTE or document.status is not DocumentStatus.ISSUED:
        raise InvalidState(
            f"{_label(document)} is a {document.status.value} {document.kind.value}; only an"
            " issued invoice or debit note can be disputed or extended",
            document_id=document.id,
        )


def check_dispute_lines(document: Document, line_numbers: Iterable[int]) -> None:
    """Raise when a disputed line number is not a line of ``document``.

    Raises:
        ValidationError: Some numbers are unknown (all of them are named).
    """
    known = {line.number for line in document.lines}
    unknown = [n for n in line_numbers if n not in known]
    if unknown:
        raise ValidationError(
            "lines", unknown, f"line numbers of {_label(document)}: {sorted(known)}"
        )


def lines_amount_due(document: Document, line_numbers: Collection[int]) -> Money:
    """The amount due as issued on the lines ``line_numbers``: net + tax - withholdings."""
    return sum_money(
        (ln.gross - ln.withheld for ln in document.lines if ln.number in line_numbers),
        document.currency,
    )


def disputable(open_amount: Money, paid: Money, held: Money | None = None) -> Money:
    """What may still be disputed on an invoice: what the customer was billed net of
    earlier credits and write-offs, less what other active disputes hold.

    That is what is still open plus what payments settled, so a **paid** invoice can be
    disputed: customers dispute after paying, and the resolution is a credit note that
    becomes customer credit, to refund or apply (not the open amount, which is zero).

    Args:
        open_amount: What is open on the invoice on the dispute's date.
        paid: What allocations (less unallocations) settled on it by then.
        held: What other active disputes of the invoice hold.

    Example:
        >>> usd = lambda s: Money.of(s, "USD")
        >>> str(disputable(usd("0.00"), usd("116.00")))   # paid in full
        '116.00 USD'
        >>> str(disputable(usd("16.00"), usd("100.00"), usd("100.00")))
        '16.00 USD'
    """
    total = open_amount + paid
    return total if held is None else total - held


def dispute_amount(
    document: Document,
    available: Money,
    *,
    amount: Money | None = None,
    line_numbers: Collection[int] = (),
) -> Money:
    """The amount a new dispute of ``document`` holds.

    Args:
        document: The disputed invoice.
        available: What may be disputed: billed net of earlier credits and write-offs,
            less what other active disputes hold (:func:`disputable`).
        amount: The amount the customer disputes, when they say; it is taken as given
            (the dispute itself checks it against ``available``).
        line_numbers: The disputed lines; none for the whole invoice.

    Returns:
        ``amount``; else, for disputed lines, their amount due as issued, at most
        ``available``; else, for the whole invoice, ``available``.

    Raises:
        InvalidState: Nothing is left to dispute (the default is not positive).
    """
    if amount is not None:
        disputed = amount
    elif line_numbers:
        disputed = lines_amount_due(document, line_numbers).min(available)
    else:
        disputed = available
    if not disputed.is_positive:
        raise InvalidState(
            f"nothing left to dispute on {_label(document)}: {available} billed net of"
            " credits and write-offs and not already under dispute",
            document_id=document.id,
        )
    return disputed


def credit_reason(reason: DisputeReason) -> ReasonCode:
    """The credit-note reason code of a dispute credited for ``reason``.

    Example:
        >>> credit_reason(DisputeReason.WRONG_PRICE).value, credit_reason(DisputeReason.QUALITY).value
        ('wrong_price', 'other')
    """  # noqa: E501
    return _CREDIT_REASON.get(reason, ReasonCode.OTHER)


def dispute_credit_quantities(
    dispute: Dispute, open_amount: Money | None
) -> Mapping[int, Decimal | None] | None:
    """What crediting ``dispute`` credits when the caller names neither amount nor lines.

    Args:
        dispute: The dispute to credit.
        open_amount: What may be disputed on its invoice on the credit date, billed net
            of earlier credits and write-offs (:func:`disputable`; ``None``: nothing).

    Returns:
        The disputed lines in full (``{line: None}``), or ``None`` (the whole invoice)
        for a dispute of the whole invoice that holds all of ``open_amount``.

    Raises:
        ValidationError: A dispute of part of the invoice without lines: the caller must
            say what to credit.
    """
    if dispute.line_numbers:
        return dict.fromkeys(dispute.line_numbers)
    if open_amount is None or dispute.amount != open_amount:
        raise ValidationError(
            "amount",
            None,
            f"the net amount (or line quantities) to credit for dispute "
            f"{dispute.id} of {dispute.amount}",
        )
    return None


def dispute_credit_scope(
    dispute: Dispute,
    quantities: Mapping[int, Decimal | None] | None,
    amount: Money | None,
) -> Mapping[int, Decimal | None] | None:
    """The lines a credit that resolves ``dispute`` credits, when the caller says what.

    A dispute of some lines is resolved on those lines only: an ``amount`` without
    lines is spread over the disputed lines (``{line: None}``, in proportion to their
    net), and lines the dispute did not name are refused. A dispute of the whole
    invoice takes what the caller gives.

    Raises:
        ValidationError: ``quantities`` names a line the dispute does not hold.
    """
    lines = dispute.line_numbers
    if not lines:
        return quantities
    if quantities is None:
        return dict.fromkeys(lines) if amount is not None else None
    foreign = sorted(n for n in quantities if n not in lines)
    if foreign:
        raise ValidationError(
            "lines",
            foreign,
            f"lines dispute {dispute.id} holds: {list(lines)}",
            message=(
                f"dispute {dispute.id} is on line{'s' if len(lines) > 1 else ''} "
                f"{', '.join(map(str, lines))}; cannot credit line"
                f"{'s' if len(foreign) > 1 else ''} {', '.join(map(str, foreign))} to resolve it"
            ),
        )
    return quantities


def check_resolving_credit_note(dispute: Dispute, note: Document, named: str) -> DocumentId:
    """The id of ``note`` (``named`` so by the caller) when it credits the disputed invoice.

    Raises:
        ValidationError: It is not a credit note, or corrects another document.
    """
    if note.kind is not DocumentKind.CREDIT_NOTE or note.reference != str(dispute.document_id):
        raise ValidationError(
            "credit_note", named, f"an issued credit note of {dispute.document_id}"
        )
    return DocumentId(note.id)


def check_rebill(dispute: Dispute, invoice: Document, named: str) -> DocumentId:
    """The id of ``invoice`` (``named`` so by the caller) when it rebills the customer.

    Raises:
        ValidationError: It is not an issued invoice, or bills another customer.
    """
    if (
        invoice.kind is not DocumentKind.INVOICE
        or invoice.status is not DocumentStatus.ISSUED
        or invoice.customer.customer_id != dispute.customer_id
    ):
        raise ValidationError("rebill", named, f"an issued invoice of {dispute.customer_id}")
    return DocumentId(invoice.id)
