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
    run_key,
)
from o2c.calendar import Period
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractLine,
    OrderLine,
    SalesOrder,
)
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import Money
from o2c.pricing import (
    Item,
    PerUnit,
    PriceModel,
    RateCard,
    RateCardVersion,
    RoleRate,
    TimeAndMaterials,
    TimeEntry,
)
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


def _card_with(**models: PriceModel) -> RateCard:
    """The standard card plus (or with replaced) items priced by ``models``."""
    card = rate_card()
    version = card.versions[0]
    items = [
        attrs.evolve(i, model=models.pop(i.code)) if i.code in models else i for i in version.items
    ]
    items += [
        Item(code=ItemCode(code), name=code.title(), unit="unit", tax_category="S", model=model)
        for code, model in models.items()
    ]
    return attrs.evolve(card, versions=(RateCardVersion(version.effective_from, tuple(items)),))


def _hours() -> tuple[TimeEntry, ...]:
    # 2.1 h -> 2.25 h (15-minute increments); 0.4 h -> 1 h (minimum per entry): 3.25 h.
    return (
        TimeEntry(
            id="t1", person="ana", role="dev", date=dt.date(2026, 10, 5), hours="2.1", approved=True
        ),
        TimeEntry(
            id="t2", person="ana", role="dev", date=dt.date(2026, 10, 6), hours="0.4", approved=True
        ),
    )


def _tm(rate: str) -> TimeAndMaterials:
    return TimeAndMaterials(rates=[RoleRate("dev", rate)], increment="0.25", minimum_hours="1")


def test_rerating_time_and_materials_with_a_corrected_role_rate_credits_the_difference() -> None:
    # Billed at 800/h: 3.25 h = 2600.00 + 416.00 IVA. The agreed rate was 750/h:
    # 2437.50 + 390.00 IVA, so 162.50 net and 26.00 IVA go back (-188.50).
    contract = make_contract(
        lines=(ContractLine("work", ItemCode("CONSULTING"), ChargeKind.TIME),),
        start=dt.date(2026, 9, 1),
        timing=BillingTiming.ARREARS,
    )
    time = {(run_key("K-1", OCTOBER), ItemCode("CONSULTING")): _hours()}
    billed = attrs.evolve(
        inputs([make_customer()], time=time), rate_cards={"STD": _card_with(CONSULTING=_tm("800"))}
    )
    plan = plan_bill_run([contract], OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=billed)
    invoice = issue(plan.candidates[0].document, "INV-2026-000001", dt.date(2026, 10, 31))
    assert str(invoice.totals.payable) == "3016.00 MXN"
    fixed = attrs.evolve(billed, rate_cards={"STD": _card_with(CONSULTING=_tm("750"))})

    report = rerate([invoice], {}, lambda inv: replan_invoice(inv, contract, fixed))

    (row,) = report.rows
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "3016.00 MXN",
        "2827.50 MXN",
        "-188.50 MXN",
    )
    assert row.action is ImpactAction.CREDIT_NOTE
    (note,) = row.proposals
    assert [(line.ref_line, str(line.net), str(line.tax)) for line in note.lines] == [
        (1, "162.50 MXN", "26.00 MXN")
    ]
    # Without the time entries it billed, the invoice cannot be re-planned: left alone
    # rather than credited in full.
    assert replan_invoice(invoice, contract, attrs.evolve(fixed, time={})) is None


def _order(**changes: object) -> SalesOrder:
    fields: dict[str, object] = {
        "id": "SO-1",
        "customer_id": CustomerId("C-1"),
        "order_date": dt.date(2026, 10, 5),
        "currency": make_customer().currency,
        "lines": (
            OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("500.00", "MXN"), "Set-up"),
            OrderLine(ItemCode("SEAT"), Decimal(2)),
        ),
        "rate_card": "STD",
    }
    fields.update(changes)
    return SalesOrder(**fields)  # type: ignore[arg-type]


def test_rerating_a_contract_invoice_with_order_lines_keeps_the_orders_agreed_prices() -> None:
    # October: 3 seats (300.00) on the contract, plus order SO-1: set-up at an agreed
    # 500.00 and 2 seats from the card (200.00). Seats should have cost 90.00: the
    # contract line and the order's card-priced seats are credited 30.00 and 20.00
    # (+ IVA 4.80 and 3.20); the agreed set-up price stays.
    contract = make_contract(
        lines=(ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(3)),),
        start=dt.date(2026, 9, 1),
        timing=BillingTiming.ARREARS,
    )
    order = _order(contract_id=ContractId("K-1"))
    billed = inputs([make_customer()], orders=(order,))
    plan = plan_bill_run([contract], OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=billed)
    assert plan.candidates[0].run_keys == ("K-1:2026-10", "order:SO-1")
    invoice = issue(plan.candidates[0].document, "INV-2026-000001", dt.date(2026, 10, 31))
    assert [str(line.net.amount) for line in invoice.lines] == ["300.00", "500.00", "200.00"]
    fixed = attrs.evolve(billed, rate_cards={"STD": _corrected_card()})

    report = rerate([invoice], {}, lambda inv: replan_invoice(inv, contract, fixed))

    (row,) = report.rows
    assert row.action is ImpactAction.CREDIT_NOTE
    (note,) = row.proposals
    assert [(line.ref_line, str(line.net), str(line.tax)) for line in note.lines] == [
        (1, "30.00 MXN", "4.80 MXN"),
        (3, "20.00 MXN", "3.20 MXN"),
    ]
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "1160.00 MXN",
        "1102.00 MXN",
        "-58.00 MXN",
    )
    # Without the orders it billed, re-planning would drop the order lines and propose
    # crediting them away: the invoice is left alone instead.
    no_orders = attrs.evolve(fixed, orders=())
    assert replan_invoice(invoice, contract, no_orders) is None
    assert rerate([invoice], {}, lambda inv: replan_invoice(inv, contract, no_orders)).rows == ()


def test_rerating_an_invoice_of_one_sales_order_reprices_its_card_lines() -> None:
    # SO-1 billed on its own: set-up 500.00 (agreed) + 2 seats at 100.00 from the card,
    # IVA 16 %: 812.00. Seats at 90.00: credit 20.00 + 3.20 IVA.
    order = _order()
    billed = inputs([make_customer()], orders=(order,))
    plan = plan_bill_run([], OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=billed)
    invoice = issue(plan.candidates[0].document, "INV-2026-000001", dt.date(2026, 10, 31))
    assert invoice.run_key == "order:SO-1"
    assert str(invoice.totals.payable) == "812.00 MXN"
    fixed = attrs.evolve(billed, rate_cards={"STD": _corrected_card()})

    report = rerate([invoice], {}, lambda inv: replan_invoice(inv, None, fixed))

    (row,) = report.rows
    assert (str(row.old), str(row.new), str(row.difference)) == (
        "812.00 MXN",
        "788.80 MXN",
        "-23.20 MXN",
    )
    (note,) = row.proposals
    assert [(line.ref_line, str(line.net)) for line in note.lines] == [(2, "20.00 MXN")]
    # Another order's data cannot re-plan it.
    other = attrs.evolve(fixed, orders=(attrs.evolve(order, id="SO-2"),))
    assert replan_invoice(invoice, None, other) is None
