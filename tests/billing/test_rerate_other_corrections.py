"""Re-rating leaves corrections made for other reasons alone (goodwill, disputes, manual).

The world: customer C-1 billed for October 2026, 3 seats at 100.00 (300.00 + 48.00 IVA =
348.00), or 30 seats plus the 310.00 basic plan (3310.00 + 529.60 = 3839.60). The seat
price should have been 90.00: 3 seats lose 30.00 net + 4.80 IVA = 34.80.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from o2c.billing import (
    Document,
    DocumentKind,
    ImpactAction,
    ImpactReport,
    ReasonCode,
    credit_note_for,
    issue,
    plan_bill_run,
    replan_invoice,
    rerate,
)
from o2c.billing.billrun import BillRunInputs
from o2c.billing.corrections import adjustment_line, debit_note_for
from o2c.billing.rerate import RERATING_TEXT, is_rerating_note
from o2c.calendar import Period
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine
from o2c.ids import DocumentId, ItemCode
from o2c.money import Money
from o2c.pricing import PerUnit, RateCard, RateCardVersion
from o2c.tax import TaxProfile
from tests.billing.conftest import inputs, make_contract, make_customer, rate_card

OCTOBER = Period.month(2026, 10)
NOV_3 = dt.date(2026, 11, 3)


def _card(seat: str) -> RateCard:
    card = rate_card()
    version = card.versions[0]
    items = tuple(
        attrs.evolve(i, model=PerUnit(unit_price=seat)) if i.code == "SEAT" else i
        for i in version.items
    )
    return attrs.evolve(card, versions=(RateCardVersion(version.effective_from, items),))


def _contract(seats: int, *, plan: bool = False) -> Contract:
    lines = [ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(seats))]
    if plan:
        lines.append(ContractLine("plan", ItemCode("PLAN-BASIC"), ChargeKind.RECURRING))
    return make_contract(
        lines=tuple(lines), start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS
    )


def _billed(contract: Contract) -> Document:
    plan = plan_bill_run(
        [contract], OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=inputs([make_customer()])
    )
    return issue(plan.candidates[0].document, "INV-2026-000001", dt.date(2026, 10, 31))


def _with(seat: str) -> BillRunInputs:
    return attrs.evolve(inputs([make_customer()]), rate_cards={"STD": _card(seat)})


def _replan(contract: Contract, data: BillRunInputs) -> Callable[[Document], Document | None]:
    return lambda invoice: replan_invoice(invoice, contract, data)


def _credit(
    invoice: Document, prior: Sequence[Document], number: str, reason: ReasonCode, **what: object
) -> Document:
    draft = credit_note_for(
        invoice,
        list(prior),
        id=DocumentId(number),
        reason=reason,
        reason_text="customer call",
        **what,  # type: ignore[arg-type]
    )
    return issue(draft, number, NOV_3)


def _apply(report: ImpactReport, start: int = 1) -> list[Document]:
    return [issue(p, f"FIX-{n}", NOV_3) for n, p in enumerate(report.proposals, start=start)]


def test_a_goodwill_credit_is_not_undone_by_rerating_unchanged_prices() -> None:
    contract = _contract(3)
    invoice = _billed(contract)
    goodwill = _credit(invoice, [], "CN-1", ReasonCode.GOODWILL, amount=Money.of("50.00", "MXN"))
    assert str(goodwill.totals.payable) == "58.00 MXN"

    report = rerate([invoice], {invoice.id: [goodwill]}, _replan(contract, _with("100.00")))

    assert report.checked == 1
    assert report.rows == ()  # was a debit note of +58.00


def test_a_dispute_credit_with_a_wrong_price_reason_is_not_undone_by_rerating() -> None:
    # A dispute for "wrong price" credits with reason wrong_price; it is still the team's
    # decision on a dispute, not a pricing error a re-rating made, so it stays.
    contract = _contract(30, plan=True)
    invoice = _billed(contract)
    assert str(invoice.totals.payable) == "3839.60 MXN"
    dispute = _credit(
        invoice, [], "CN-1", ReasonCode.WRONG_PRICE, amount=Money.of("1000.00", "MXN")
    )
    assert not is_rerating_note(dispute)
    assert str(dispute.totals.payable) == "1160.00 MXN"

    report = rerate([invoice], {invoice.id: [dispute]}, _replan(contract, _with("100.00")))

    assert report.rows == ()  # was a debit note of +1,000.00 net


def test_a_price_fix_after_a_goodwill_credit_credits_only_the_price_difference() -> None:
    contract = _contract(3)
    invoice = _billed(contract)
    goodwill = _credit(invoice, [], "CN-1", ReasonCode.GOODWILL, amount=Money.of("50.00", "MXN"))

    report = rerate([invoice], {invoice.id: [goodwill]}, _replan(contract, _with("90.00")))

    (row,) = report.rows
    assert row.action is ImpactAction.CREDIT_NOTE
    # 348.00 billed - 58.00 goodwill = 290.00; the price fix takes 34.80 more off.
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "290.00 MXN",
        "255.20 MXN",
        "-34.80 MXN",
    )
    (note,) = row.proposals
    assert [(line.ref_line, str(line.net), str(line.tax)) for line in note.lines] == [
        (1, "30.00 MXN", "4.80 MXN")
    ]
    assert note.reason_text == RERATING_TEXT


def test_a_fully_credited_invoice_is_not_billed_again_by_a_price_fix() -> None:
    # Cancelled in full (348.00 credited): the customer owes nothing on it. Re-rated at
    # 90.00 the invoice would bill 313.20, 34.80 less than billed; but nothing is left to
    # credit (a credit can never exceed what was invoiced), so the real impact on what
    # the customer owes is 0.00 and nothing is proposed. It was a debit note of 313.20.
    contract = _contract(3)
    invoice = _billed(contract)
    cancel = _credit(invoice, [], "CN-1", ReasonCode.CANCELLATION)
    assert str(cancel.totals.payable) == "348.00 MXN"
    notes = {invoice.id: [cancel]}

    assert rerate([invoice], notes, _replan(contract, _with("90.00"))).rows == ()
    # A price raised to 110.00 does not bill a cancelled invoice again either.
    assert rerate([invoice], notes, _replan(contract, _with("110.00"))).rows == ()


def test_an_invoice_fully_credited_by_goodwill_amounts_is_not_billed_again() -> None:
    contract = _contract(3)
    invoice = _billed(contract)
    gift = _credit(invoice, [], "CN-1", ReasonCode.GOODWILL, amount=Money.of("300.00", "MXN"))
    assert str(gift.totals.payable) == "348.00 MXN"

    report = rerate([invoice], {invoice.id: [gift]}, _replan(contract, _with("110.00")))

    assert report.rows == ()


def test_units_credited_back_are_not_re_priced() -> None:
    # One of the 3 seats was credited (wrong quantity, by hand): the customer pays for 2.
    # At 90.00 those 2 seats were over-billed 20.00 + 3.20 IVA, not 30.00.
    contract = _contract(3)
    invoice = _billed(contract)
    seat = _credit(invoice, [], "CN-1", ReasonCode.WRONG_QUANTITY, quantities={1: Decimal(1)})
    assert str(seat.totals.payable) == "116.00 MXN"

    report = rerate([invoice], {invoice.id: [seat]}, _replan(contract, _with("90.00")))

    (row,) = report.rows
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "232.00 MXN",
        "208.80 MXN",
        "-23.20 MXN",
    )


def test_a_rerating_credit_is_capped_at_what_is_left_and_then_proposes_nothing() -> None:
    # Goodwill took 280.00 of the 300.00 line: only 20.00 is left to credit, not 30.00.
    contract = _contract(3)
    invoice = _billed(contract)
    goodwill = _credit(invoice, [], "CN-1", ReasonCode.GOODWILL, amount=Money.of("280.00", "MXN"))
    corrected = _replan(contract, _with("90.00"))

    first = rerate([invoice], {invoice.id: [goodwill]}, corrected)

    (row,) = first.rows
    assert str(row.difference) == "-23.20 MXN"
    assert [str(line.net) for line in row.proposals[0].lines] == ["20.00 MXN"]
    fixes = _apply(first)
    assert rerate([invoice], {invoice.id: [goodwill, *fixes]}, corrected).rows == ()


def test_rerating_again_after_applying_with_other_corrections_proposes_nothing() -> None:
    contract = _contract(30, plan=True)
    invoice = _billed(contract)
    dispute = _credit(
        invoice, [], "CN-1", ReasonCode.WRONG_PRICE, amount=Money.of("1000.00", "MXN")
    )
    extra = debit_note_for(
        invoice,
        [adjustment_line(invoice, 2, Money.of("15.00", "MXN"))],
        id=DocumentId("DN-1"),
        reason=ReasonCode.OTHER,
        reason_text="set-up call",
    )
    notes = [dispute, issue(extra, "DN-1", NOV_3)]
    corrected = _replan(contract, _with("90.00"))

    first = rerate([invoice], {invoice.id: notes}, corrected)

    (row,) = first.rows
    # 30 seats at 10.00 less: 300.00 + 48.00 IVA.
    assert str(row.difference) == "-348.00 MXN"
    fixes = _apply(first)
    assert rerate([invoice], {invoice.id: [*notes, *fixes]}, corrected).rows == ()
    # The price restored to 100.00: the re-rating's own credit (and only it) is reversed.
    back = rerate([invoice], {invoice.id: [*notes, *fixes]}, _replan(contract, _with("100.00")))
    (undo,) = back.rows
    assert undo.action is ImpactAction.DEBIT_NOTE
    assert str(undo.difference) == "348.00 MXN"


def _border() -> BillRunInputs:
    data = inputs([make_customer(region="BORDER_NORTH")])
    seller = TaxProfile("MX", region="BORDER_NORTH", tax_id="AAA010101AAA")
    return attrs.evolve(data, tax=attrs.evolve(data.tax, seller=seller))


def test_a_tax_fix_on_an_invoice_with_a_goodwill_credit_is_listed_for_review() -> None:
    # A re-bill (credit what is left, bill 300.00 + 8 % again) would undo the goodwill.
    contract = _contract(3)
    invoice = _billed(contract)
    goodwill = _credit(invoice, [], "CN-1", ReasonCode.GOODWILL, amount=Money.of("50.00", "MXN"))

    report = rerate([invoice], {invoice.id: [goodwill]}, _replan(contract, _border()))

    (row,) = report.rows
    assert row.action is ImpactAction.REVIEW
    assert row.proposals == ()
    # Should owe 324.00 (300.00 + 8 %) - 58.00 goodwill = 266.00; owes 290.00.
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "290.00 MXN",
        "266.00 MXN",
        "-24.00 MXN",
    )


def test_a_tax_fix_on_a_fully_credited_invoice_proposes_nothing() -> None:
    contract = _contract(3)
    invoice = _billed(contract)
    cancel = _credit(invoice, [], "CN-1", ReasonCode.CANCELLATION)

    report = rerate([invoice], {invoice.id: [cancel]}, _replan(contract, _border()))

    assert report.rows == ()  # it raised "fully credited" and stopped the re-rating


def test_a_tax_fix_without_other_corrections_is_still_a_rebill() -> None:
    contract = _contract(3)
    invoice = _billed(contract)

    (row,) = rerate([invoice], {}, _replan(contract, _border())).rows

    assert row.action is ImpactAction.REBILL
    credit, replacement = row.proposals
    assert credit.kind is DocumentKind.CREDIT_NOTE
    assert str(credit.totals.payable) == "348.00 MXN"
    assert str(replacement.totals.payable) == "324.00 MXN"
    assert str(row.difference) == "-24.00 MXN"
