"""Credit notes, debit notes and re-bills computed from the invoice's own amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.billing import (
    Document,
    DocumentKind,
    DocumentStatus,
    ReasonCode,
    adjustment_line,
    credit_note_for,
    debit_note_for,
    draft_document,
    issue,
    rebill,
    remaining,
    void,
)
from o2c.errors import InvalidState, ValidationError
from o2c.ids import DocumentId
from o2c.money import Money
from tests.billing.builders import USD, WHO, issued_invoice, taxed_line


def _invoice() -> Document:
    # 5 seats x 19.99 = 99.95 (IVA 15.99); 3 hours x 33.33 = 99.99 (IVA 16.00)
    return issued_invoice(taxed_line("SEAT", "5", "19.99"), taxed_line("HOURS", "3", "33.33"))


def test_partial_credit_note_credits_part_of_a_line_from_its_rounded_amounts() -> None:
    invoice = _invoice()
    note = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.WRONG_QUANTITY,
        quantities={1: Decimal(2)},
    )
    (line,) = note.lines
    assert note.kind is DocumentKind.CREDIT_NOTE
    assert note.reference == invoice.id
    assert line.ref_line == 1
    assert line.quantity == 2
    assert str(line.net) == "39.98 USD"  # 99.95 x 2/5
    assert str(line.tax) == "6.40 USD"  # 15.99 x 39.98/99.95 = 6.396
    assert str(note.totals.payable) == "46.38 USD"
    assert note.reason is ReasonCode.WRONG_QUANTITY
    assert note.reason.is_billing_error


def test_over_credit_is_rejected_with_a_clear_message() -> None:
    invoice = _invoice()
    first = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.WRONG_QUANTITY,
        quantities={1: Decimal(4)},
    )
    with pytest.raises(ValidationError) as caught:
        credit_note_for(
            invoice,
            [first],
            id=DocumentId("CN-2"),
            reason=ReasonCode.WRONG_QUANTITY,
            quantities={1: Decimal(2)},
        )
    assert str(caught.value) == (
        "cannot credit 2 of line 1 of INV-2026-000001: 5 invoiced, 4 already credited, "
        "at most 1 left"
    )
    assert caught.value.field == "quantities[1]"


def test_credit_in_parts_adds_up_to_the_invoice_exactly() -> None:
    # 3 x 33.33 credited one hour at a time: 33.33, 33.33, then exactly the remainder.
    invoice = issued_invoice(taxed_line("HOURS", "3", "33.333"))
    notes: list[Document] = []
    for n in range(3):
        notes.append(
            credit_note_for(
                invoice,
                notes,
                id=DocumentId(f"CN-{n}"),
                reason=ReasonCode.GOODWILL,
                quantities={1: Decimal(1)},
            )
        )
    assert sum(n.totals.net.amount for n in notes) == invoice.totals.net.amount
    assert sum(n.totals.tax.amount for n in notes) == invoice.totals.tax.amount
    assert sum(n.totals.payable.amount for n in notes) == invoice.totals.payable.amount
    assert [str(n.totals.net.amount) for n in notes] == ["33.33", "33.33", "33.34"]
    assert all(r.is_exhausted for r in remaining(invoice, notes))


def test_amount_credit_is_spread_over_lines_and_capped_by_what_is_left() -> None:
    invoice = _invoice()
    note = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.GOODWILL,
        amount=Money.of("20.00", USD),
    )
    assert [str(line.net.amount) for line in note.lines] == ["10.00", "10.00"]
    assert all(line.quantity == 0 for line in note.lines)
    with pytest.raises(ValidationError, match=r"only 179\.94 USD net is left"):
        credit_note_for(
            invoice,
            [note],
            id=DocumentId("CN-2"),
            reason=ReasonCode.GOODWILL,
            amount=Money.of("180.00", USD),
        )


def test_full_credit_after_partial_takes_exactly_the_remainder() -> None:
    invoice = _invoice()
    part = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.GOODWILL,
        amount=Money.of("0.01", USD),
    )
    rest = credit_note_for(invoice, [part], id=DocumentId("CN-2"), reason=ReasonCode.CANCELLATION)
    assert part.totals.gross.amount + rest.totals.gross.amount == invoice.totals.gross.amount
    with pytest.raises(ValidationError, match="fully credited"):
        credit_note_for(invoice, [part, rest], id=DocumentId("CN-3"), reason=ReasonCode.OTHER)


def test_void_credit_notes_do_not_count() -> None:
    invoice = _invoice()
    note = credit_note_for(invoice, [], id=DocumentId("CN-1"), reason=ReasonCode.DUPLICATE)
    issued = issue(note, "CN-2026-000001", dt.date(2026, 11, 2))
    with pytest.raises(InvalidState, match="issue a debit note"):
        void(issued)
    # A void note (from a store that allowed it earlier) is ignored all the same.
    voided = attrs.evolve(issued, status=DocumentStatus.VOID)
    again = credit_note_for(invoice, [voided], id=DocumentId("CN-2"), reason=ReasonCode.DUPLICATE)
    assert again.totals.payable == invoice.totals.payable


def test_withholdings_are_credited_in_proportion_too() -> None:
    invoice = issued_invoice(taxed_line("FEE", "1", "10000.00", withholding="0.10"))
    note = credit_note_for(
        invoice,
        [],
        id=DocumentId("CN-1"),
        reason=ReasonCode.WRONG_PRICE,
        amount=Money.of("2500.00", USD),
    )
    assert str(note.totals.withheld) == "250.00 USD"
    assert str(note.totals.payable) == "2650.00 USD"  # 2500 + 400 - 250


def test_credit_note_needs_an_issued_invoice() -> None:
    draft = draft_document(DocumentId("D-1"), WHO, USD, [taxed_line("SEAT", "1", "10")])
    with pytest.raises(InvalidState, match="edit the draft instead"):
        credit_note_for(draft, [], id=DocumentId("CN-1"), reason=ReasonCode.OTHER)


def test_debit_note_for_under_billing_uses_the_line_rates() -> None:
    invoice = _invoice()
    extra = adjustment_line(invoice, 2, Money.of("33.33", USD), quantity=Decimal(1))
    note = debit_note_for(invoice, [extra], id=DocumentId("DN-1"), reason=ReasonCode.WRONG_QUANTITY)
    assert note.kind is DocumentKind.DEBIT_NOTE
    assert note.lines[0].ref_line == 2
    assert str(note.totals.tax) == "5.33 USD"
    assert str(note.totals.payable) == "38.66 USD"
    assert note.payment_terms == "net 30"
    issued = issue(note, "DN-2026-000001", dt.date(2026, 11, 5))
    assert issued.due_date == dt.date(2026, 12, 5)


def test_rebill_credits_in_full_and_links_the_corrected_invoice() -> None:
    invoice = _invoice()
    corrected = draft_document(
        DocumentId("I-2"),
        WHO,
        USD,
        [taxed_line("SEAT", "5", "18.99"), taxed_line("HOURS", "3", "33.33")],
    )
    credit, linked = rebill(
        invoice, [], corrected, credit_id=DocumentId("CN-1"), reason=ReasonCode.WRONG_PRICE
    )
    assert credit.totals.payable == invoice.totals.payable
    assert linked.reference == invoice.id
    assert linked.reason is ReasonCode.WRONG_PRICE
    assert linked.status is DocumentStatus.DRAFT


def test_void_only_when_nothing_paid_or_credited() -> None:
    invoice = _invoice()
    with pytest.raises(InvalidState, match=r"already paid 1\.00 USD; issue a credit note"):
        void(invoice, paid=Money.of("1.00", USD))
    voided = void(invoice, paid=Money.zero(USD))
    assert voided.status is DocumentStatus.VOID
    assert voided.number == invoice.number
    with pytest.raises(InvalidState):
        void(voided)
