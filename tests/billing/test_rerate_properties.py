"""Re-rating invariants over any history of corrections on an invoice.

* Re-rating with the rates the invoice was billed at proposes nothing, whatever credit
  and debit notes (goodwill, disputes, manual, any reason code) were issued before.
* Applying what a re-rating proposes and re-rating again proposes nothing.
* A re-rating never credits more than is left on a line, and never debits a line
  credited in full for another reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import Document, DocumentKind, ReasonCode, credit_note_for, issue, rerate
from o2c.billing.corrections import adjustment_line, debit_note_for, remaining
from o2c.ids import DocumentId
from o2c.money import Money
from tests.billing.test_rerate_other_corrections import _billed, _contract, _replan, _with

NOV_3 = dt.date(2026, 11, 3)
# 30 seats at 100.00 (3000.00) and the basic plan (310.00), IVA 16 %.
CONTRACT = _contract(30, plan=True)
INVOICE = _billed(CONTRACT)
AT_BILLED_RATES = _replan(CONTRACT, _with("100.00"))
# Seat prices a correction may bring, around the 100.00 billed.
SEAT_PRICES = st.sampled_from(["0.00", "37.50", "90.00", "99.99", "100.01", "110.00", "250.00"])


@st.composite
def correction_history(draw: st.DrawFn) -> list[Document]:
    """Up to 4 issued credit or debit notes on INVOICE, for any reason but re-rating."""
    notes: list[Document] = []
    for n in range(draw(st.integers(min_value=0, max_value=4))):
        number = f"N-{n}"
        reason = draw(st.sampled_from(list(ReasonCode)))
        line = draw(st.sampled_from([1, 2]))
        if draw(st.booleans()):
            cents = draw(st.integers(min_value=1, max_value=40000))
            debit = debit_note_for(
                INVOICE,
                [adjustment_line(INVOICE, line, Money.from_minor(cents, INVOICE.currency))],
                id=DocumentId(number),
                reason=reason,
                reason_text="by hand",
            )
            notes.append(issue(debit, number, NOV_3))
            continue
        left = {r.number: r for r in remaining(INVOICE, notes)}[line]
        if left.is_exhausted:
            continue
        how = draw(st.sampled_from(["all", "quantity", "amount"]))
        if how == "all":
            what: dict[str, object] = {"quantities": {line: None}}
        elif how == "quantity" and left.quantity >= 1:
            qty = draw(st.integers(min_value=1, max_value=int(left.quantity)))
            what = {"quantities": {line: Decimal(qty)}}
        else:
            cents = draw(st.integers(min_value=1, max_value=left.net.minor_units))
            what = {"amount": Money.from_minor(cents, INVOICE.currency), "quantities": {line: 0}}
        credit = credit_note_for(
            INVOICE,
            notes,
            id=DocumentId(number),
            reason=reason,
            reason_text="customer call",
            **what,  # type: ignore[arg-type]
        )
        notes.append(issue(credit, number, NOV_3))
    return notes


@given(correction_history())
def test_rerating_at_the_billed_rates_proposes_nothing_whatever_was_corrected(
    notes: list[Document],
) -> None:
    report = rerate([INVOICE], {INVOICE.id: notes}, AT_BILLED_RATES)
    assert report.rows == ()
    assert report.checked == 1


@given(correction_history(), SEAT_PRICES, SEAT_PRICES)
def test_applying_a_rerating_then_rerating_again_proposes_nothing(
    notes: list[Document], first_price: str, second_price: str
) -> None:
    history = list(notes)
    for price in (first_price, second_price):
        corrected = _replan(CONTRACT, _with(price))
        report = rerate([INVOICE], {INVOICE.id: history}, corrected)
        for n, proposal in enumerate(report.proposals):
            history.append(issue(proposal, f"{price}-{n}", NOV_3))
        assert rerate([INVOICE], {INVOICE.id: history}, corrected).rows == ()
    # Back at the billed price, whatever re-ratings did is reversed and the rest stays.
    back = rerate([INVOICE], {INVOICE.id: history}, AT_BILLED_RATES)
    for n, proposal in enumerate(back.proposals):
        history.append(issue(proposal, f"back-{n}", NOV_3))
    assert rerate([INVOICE], {INVOICE.id: history}, AT_BILLED_RATES).rows == ()


@given(correction_history(), SEAT_PRICES)
def test_a_rerating_never_credits_beyond_what_is_left_nor_debits_a_line_credited_away(
    notes: list[Document], price: str
) -> None:
    report = rerate([INVOICE], {INVOICE.id: notes}, _replan(CONTRACT, _with(price)))
    credited_away = {
        line.number
        for line in INVOICE.lines
        if sum(
            (
                n_line.net.amount
                for note in notes
                if note.kind is DocumentKind.CREDIT_NOTE
                for n_line in note.lines
                if n_line.ref_line == line.number
            ),
            Decimal(0),
        )
        >= line.net.amount
    }
    left = {r.number: r.net.amount for r in remaining(INVOICE, notes)}
    for proposal in report.proposals:
        for line in proposal.lines:
            assert line.ref_line is not None
            if proposal.kind is DocumentKind.CREDIT_NOTE:
                assert line.net.amount <= left[line.ref_line]
            else:
                assert line.ref_line not in credited_away
