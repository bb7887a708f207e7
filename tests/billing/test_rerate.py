"""Re-rating: a wrong unit price found after invoices went out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from o2c.billing import (
    Document,
    DocumentKind,
    ImpactAction,
    ReasonCode,
    issue,
    plan_bill_run,
    replan_invoice,
    rerate,
)
from o2c.calendar import Period
from o2c.contracts import BillingTiming, Contract, ContractLine
from o2c.ids import ContractId, DocumentId, ItemCode
from o2c.pricing import PerUnit, RateCard, RateCardVersion
from o2c.tax import TaxProfile
from tests.billing.conftest import inputs, make_contract, make_customer, rate_card

OCTOBER = Period.month(2026, 10)


def _corrected_card() -> RateCard:
    card = rate_card()
    version = card.versions[0]
    items = tuple(
        attrs.evolve(i, model=PerUnit(unit_price="90.00")) if i.code == "SEAT" else i
        for i in version.items
    )
    return attrs.evolve(card, versions=(RateCardVersion(version.effective_from, items),))


def _world() -> tuple[list[Contract], list[Document]]:
    customers = [make_customer(f"C-{i}") for i in range(10)]
    contracts = []
    for i in range(10):
        line = (
            ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(3))
            if i in (2, 5, 7)
            else ContractLine("plan", ItemCode("PLAN-BASIC"))
        )
        contracts.append(
            make_contract(
                f"K-{i}",
                f"C-{i}",
                (line,),
                start=dt.date(2026, 9, 1),
                timing=BillingTiming.ARREARS,
            )
        )
    plan = plan_bill_run(
        contracts, OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=inputs(customers)
    )
    issued = [
        issue(c.document, f"INV-2026-{n:06d}", dt.date(2026, 10, 31))
        for n, c in enumerate(plan.candidates, start=1)
    ]
    return contracts, issued


def test_rerating_after_a_wrong_unit_price_affects_three_of_ten_customers() -> None:
    contracts, issued = _world()
    by_id = {c.id: c for c in contracts}
    customers = [make_customer(f"C-{i}") for i in range(10)]
    corrected = inputs(customers)
    corrected = attrs.evolve(corrected, rate_cards={"STD": _corrected_card()})

    def recompute(invoice: Document) -> Document | None:
        assert invoice.contract_id is not None
        return replan_invoice(invoice, by_id[invoice.contract_id], corrected)

    report = rerate(issued, {}, recompute)

    assert report.checked == 10
    assert report.customers == ("C-2", "C-5", "C-7")
    for row in report.rows:
        assert str(row.old) == "348.00 MXN"  # 3 x 100.00 + 16 %
        assert str(row.new) == "313.20 MXN"  # 3 x 90.00 + 16 %
        assert str(row.difference) == "-34.80 MXN"
        assert row.action is ImpactAction.CREDIT_NOTE
        (note,) = row.proposals
        assert note.kind is DocumentKind.CREDIT_NOTE
        assert note.reference == row.invoice_id
        assert note.reason is ReasonCode.WRONG_PRICE
        assert str(note.totals.net) == "30.00 MXN"
    assert {str(v) for v in report.net_difference().values()} == {"-104.40 MXN"}


def test_rerating_again_after_the_fix_is_issued_proposes_nothing() -> None:
    contracts, issued = _world()
    by_id = {c.id: c for c in contracts}
    customers = [make_customer(f"C-{i}") for i in range(10)]
    corrected = attrs.evolve(inputs(customers), rate_cards={"STD": _corrected_card()})

    def recompute(invoice: Document) -> Document | None:
        assert invoice.contract_id is not None
        return replan_invoice(invoice, by_id[invoice.contract_id], corrected)

    first = rerate(issued, {}, recompute)
    fixes = {
        row.invoice_id: [issue(p, f"CN-2026-{n:06d}", dt.date(2026, 11, 3)) for p in row.proposals]
        for n, row in enumerate(first.rows, start=1)
    }
    second = rerate(issued, fixes, recompute)
    assert second.rows == ()


def test_price_raised_proposes_a_debit_note() -> None:
    contracts, issued = _world()
    by_id = {c.id: c for c in contracts}
    customers = [make_customer(f"C-{i}") for i in range(10)]
    card = rate_card()
    version = card.versions[0]
    items = tuple(
        attrs.evolve(i, model=PerUnit(unit_price="110.00")) if i.code == "SEAT" else i
        for i in version.items
    )
    dearer = attrs.evolve(
        inputs(customers),
        rate_cards={
            "STD": attrs.evolve(card, versions=(RateCardVersion(version.effective_from, items),))
        },
    )
    report = rerate(
        issued,
        {},
        lambda inv: replan_invoice(inv, by_id[inv.contract_id or ContractId("")], dearer),
        id_for=lambda inv, suffix: DocumentId(f"{inv.number}/{suffix}"),
    )
    assert [r.action for r in report.rows] == [ImpactAction.DEBIT_NOTE] * 3
    assert str(report.rows[0].difference) == "34.80 MXN"
    assert report.rows[0].proposals[0].id == f"{report.rows[0].number}/dn"


def test_unchanged_items_have_no_row() -> None:
    _, issued = _world()
    report = rerate(issued, {}, lambda inv: None)
    assert report.rows == ()
    assert report.checked == 10


def test_corrected_tax_data_proposes_a_rebill() -> None:
    # The seller should have charged the 8 % border rate: taxes change at the same nets,
    # so the fix is a full credit and a corrected invoice, linked.
    contracts, issued = _world()
    by_id = {c.id: c for c in contracts}
    customers = [make_customer(f"C-{i}", region="BORDER_NORTH") for i in range(10)]
    border = attrs.evolve(
        inputs(customers),
        tax=attrs.evolve(
            inputs(customers).tax,
            seller=TaxProfile("MX", region="BORDER_NORTH", tax_id="AAA010101AAA"),
        ),
    )

    def recompute(invoice: Document) -> Document | None:
        assert invoice.contract_id is not None
        return replan_invoice(invoice, by_id[invoice.contract_id], border)

    report = rerate(issued[:2], {}, recompute, reason=ReasonCode.TAX_ERROR)
    assert [r.action for r in report.rows] == [ImpactAction.REBILL] * 2
    credit, corrected = report.rows[0].proposals
    assert credit.kind is DocumentKind.CREDIT_NOTE
    assert corrected.kind is DocumentKind.INVOICE
    assert corrected.reference == report.rows[0].invoice_id
    assert str(report.rows[0].old) == "359.60 MXN"  # 310 + 16 %
    assert str(report.rows[0].new) == "334.80 MXN"  # 310 + 8 %
    assert str(report.rows[0].difference) == "-24.80 MXN"
