"""Worked bill runs with exact amounts (MX seller, IVA 16 %, per-line rounding)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from o2c.billing import (
    BillRunPolicy,
    LineSource,
    ProblemCode,
    ZeroAmountPolicy,
    plan_bill_run,
    run_key,
)
from o2c.calendar import BillingCycle, Cycle, Period
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    ContractLine,
    OrderLine,
    SalesOrder,
    amend,
    terminate,
)
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Money
from o2c.pricing import (
    Commitment,
    Discount,
    DiscountKind,
    PerUnit,
    PriceOverride,
    RoleRate,
    TimeAndMaterials,
    TimeEntry,
)
from tests.billing.conftest import MXN, inputs, make_contract, make_customer, rate_card

OCTOBER = Period.month(2026, 10)
CUT_OFF = dt.date(2026, 10, 31)


def _nets(document: object) -> list[str]:
    return [str(line.net.amount) for line in document.lines]  # type: ignore[attr-defined]


def test_monthly_subscription_in_advance_with_mid_month_upgrade_credits_old_and_charges_new() -> (
    None
):
    # Basic (310.00/month) since Sep 1, billed in advance: October was billed in
    # September's run. Upgrade to Pro (620.00) on Oct 15: the October run credits the
    # unused 17/31 of Basic, charges 17/31 of Pro, and bills November's Pro in advance.
    contract = make_contract(start=dt.date(2026, 9, 1))
    contract = amend(
        contract, dt.date(2026, 10, 15), lines=(ContractLine("plan", ItemCode("PLAN-PRO")),)
    )
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))

    assert plan.exceptions == ()
    (candidate,) = plan.candidates
    invoice = candidate.document
    assert candidate.run_keys == ("K-1:2026-10",)
    assert [line.item for line in invoice.lines] == ["PLAN-BASIC", "PLAN-PRO", "PLAN-PRO"]
    assert _nets(invoice) == ["-170.00", "340.00", "620.00"]  # 310*17/31, 620*17/31, 620
    assert [str(line.tax.amount) for line in invoice.lines] == ["-27.20", "54.40", "99.20"]
    assert invoice.lines[2].period == Period.month(2026, 11)
    assert invoice.lines[1].description == "Pro plan"  # the rate card's name
    assert "prorated 17/31 days" in invoice.lines[0].explain
    assert str(invoice.totals.net) == "790.00 MXN"
    assert str(invoice.totals.tax) == "126.40 MXN"
    assert str(invoice.totals.payable) == "916.40 MXN"


def test_first_period_is_prorated_and_next_period_billed_in_advance() -> None:
    contract = make_contract(start=dt.date(2026, 10, 11))  # 21 of 31 days
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    invoice = plan.candidates[0].document
    assert _nets(invoice) == ["210.00", "310.00"]


def test_arrears_subscription_bills_the_period_itself() -> None:
    contract = make_contract(timing=BillingTiming.ARREARS, start=dt.date(2026, 9, 1))
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    invoice = plan.candidates[0].document
    assert _nets(invoice) == ["310.00"]
    assert invoice.lines[0].period == OCTOBER


def test_usage_in_arrears_across_a_tier_boundary() -> None:
    # API: first 1,000 calls at 0.10, the rest at 0.05 (graduated). 1,500 calls:
    # 1,000 x 0.10 + 500 x 0.05 = 125.00; IVA 20.00.
    contract = make_contract(
        lines=(ContractLine("api", ItemCode("API"), ChargeKind.USAGE),),
        start=dt.date(2026, 9, 1),
    )
    key = run_key("K-1", OCTOBER)
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer()], usage={(key, ItemCode("API")): Decimal(1500)}),
    )
    invoice = plan.candidates[0].document
    (line,) = invoice.lines
    assert line.source is LineSource.USAGE
    assert line.quantity == 1500
    assert str(line.net) == "125.00 MXN"
    assert line.explain == (
        "tier 1 units: 1000 × 0.10 = 100.00",
        "tier 2 units: 500 × 0.05 = 25.00",
    )
    assert str(invoice.totals.payable) == "145.00 MXN"


def test_time_and_materials_rounds_entries_up_to_increments_and_minimum() -> None:
    # 800/h, 15-minute increments, 1 h minimum per entry:
    # 2.1 h -> 2.25 h; 0.4 h -> 0.5 h -> 1 h minimum; unapproved entry not billed.
    tm = TimeAndMaterials(rates=[RoleRate("dev", "800")], increment="0.25", minimum_hours="1")
    contract = make_contract(
        lines=(ContractLine("work", ItemCode("CONSULTING"), ChargeKind.TIME, model=tm),),
        start=dt.date(2026, 9, 1),
    )
    key = run_key("K-1", OCTOBER)
    entries = (
        TimeEntry(
            id="t1", person="ana", role="dev", date=dt.date(2026, 10, 5), hours="2.1", approved=True
        ),
        TimeEntry(
            id="t2", person="ana", role="dev", date=dt.date(2026, 10, 6), hours="0.4", approved=True
        ),
        TimeEntry(id="t3", person="bo", role="dev", date=dt.date(2026, 10, 7), hours="5"),
    )
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer()], time={(key, ItemCode("CONSULTING")): entries}),
    )
    (line,) = plan.candidates[0].document.lines
    assert line.source is LineSource.TIME
    assert line.quantity == Decimal("3.25")
    assert str(line.net) == "2600.00 MXN"
    assert str(line.tax) == "416.00 MXN"


def test_override_and_discount_apply_before_rounding() -> None:
    # 3 seats at a negotiated 99.99 with 10 % off: 299.97 * 0.9 = 269.973 -> 269.97.
    contract = make_contract(
        lines=(ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(3)),),
        timing=BillingTiming.ARREARS,
        start=dt.date(2026, 9, 1),
        overrides=(
            PriceOverride(
                item="SEAT", model=PerUnit(unit_price="99.99"), effective_from=dt.date(2026, 1, 1)
            ),
        ),
        discounts=(Discount(name="loyalty", kind=DiscountKind.PERCENT, value=10, item="SEAT"),),
    )
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    (line,) = plan.candidates[0].document.lines
    assert str(line.net) == "269.97 MXN"
    assert any("loyalty" in step for step in line.explain)


def test_minimum_commitment_adds_a_true_up_line() -> None:
    contract = make_contract(
        lines=(ContractLine("api", ItemCode("API"), ChargeKind.USAGE),),
        start=dt.date(2026, 9, 1),
        commitments=(Commitment(name="minimum spend", amount="500.00"),),
    )
    key = run_key("K-1", OCTOBER)
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer()], usage={(key, ItemCode("API")): Decimal(1500)}),
    )
    invoice = plan.candidates[0].document
    assert _nets(invoice) == ["125.00", "375.00"]
    assert invoice.lines[1].source is LineSource.TRUE_UP
    assert str(invoice.totals.net) == "500.00 MXN"


def test_termination_mid_period_credits_unused_days_and_negative_total_is_an_exception() -> None:
    contract = terminate(make_contract(start=dt.date(2026, 9, 1)), dt.date(2026, 10, 21))
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    assert plan.candidates == ()
    (exception,) = plan.exceptions
    assert exception.reason is ProblemCode.NEGATIVE_TOTAL
    assert exception.draft is not None
    assert _nets(exception.draft) == ["-110.00"]  # 310 * 11/31
    assert "credit note" in exception.message


def test_failures_become_exceptions_and_do_not_stop_the_run() -> None:
    good = make_contract("K-1", "C-1", start=dt.date(2026, 9, 1))
    no_po = make_contract("K-2", "C-2", start=dt.date(2026, 9, 1))
    no_rate = make_contract(
        "K-3", "C-3", (ContractLine("x", ItemCode("NOT-ON-CARD")),), start=dt.date(2026, 9, 1)
    )
    no_address = make_contract("K-4", "C-4", start=dt.date(2026, 9, 1))
    orphan = make_contract("K-5", "C-404", start=dt.date(2026, 9, 1))
    usd = make_contract("K-6", "C-6", start=dt.date(2026, 9, 1))
    customers = [
        make_customer("C-1"),
        make_customer("C-2", po_required=True),
        make_customer("C-3"),
        make_customer("C-4", billing_address=None, tax_registrations=(), tax_id_required=True),
        make_customer("C-6", currency=Money.of(0, "USD").currency),
    ]
    plan = plan_bill_run(
        [good, no_po, no_rate, no_address, orphan, usd],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs(customers),
    )
    assert [c.document.contract_id for c in plan.candidates] == ["K-1"]
    reasons = {e.contract_id: [p.code for p in e.problems] for e in plan.exceptions}
    assert reasons == {
        "K-2": [ProblemCode.PO_REQUIRED],
        "K-3": [ProblemCode.NO_RATE],
        "K-4": [ProblemCode.MISSING_TAX_ID, ProblemCode.MISSING_ADDRESS],
        "K-5": [ProblemCode.UNKNOWN_CUSTOMER],
        "K-6": [ProblemCode.CURRENCY_MISMATCH],
    }
    assert "NOT-ON-CARD" in next(e for e in plan.exceptions if e.contract_id == "K-3").message


def test_rerun_with_billed_keys_plans_nothing_new() -> None:
    contracts = [make_contract(f"K-{i}", "C-1", start=dt.date(2026, 9, 1)) for i in range(5)]
    run_inputs = inputs([make_customer()])
    first = plan_bill_run(contracts, OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
    again = plan_bill_run(
        contracts, OCTOBER, cut_off=CUT_OFF, inputs=run_inputs, already_billed=first.run_keys
    )
    assert len(first.candidates) == 5
    assert again.candidates == ()
    assert again.exceptions == ()
    assert {s.run_key for s in again.skipped} == first.run_keys
    assert all(s.reason == "already billed" for s in again.skipped)


def test_sales_order_lines_go_on_the_contract_invoice_once() -> None:
    contract = make_contract(start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS)
    order = SalesOrder(
        "SO-1",
        CustomerId("C-1"),
        dt.date(2026, 10, 20),
        MXN,
        (OrderLine(ItemCode("ROUTER"), Decimal(2), Money.of("1250.50", MXN), "Router"),),
        contract_id=ContractId("K-1"),
    )
    run_inputs = inputs([make_customer()], orders=(order,))
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
    (candidate,) = plan.candidates
    assert candidate.run_keys == ("K-1:2026-10", "order:SO-1")
    assert _nets(candidate.document) == ["310.00", "2501.00"]
    assert candidate.document.lines[1].source is LineSource.ORDER
    again = plan_bill_run(
        [contract], OCTOBER, cut_off=CUT_OFF, inputs=run_inputs, already_billed=plan.run_keys
    )
    assert again.candidates == ()


def test_order_without_contract_is_its_own_invoice_and_waits_for_delivery() -> None:
    late = SalesOrder(
        "SO-2",
        CustomerId("C-1"),
        dt.date(2026, 10, 20),
        MXN,
        (OrderLine(ItemCode("SEAT"), Decimal(2)),),
        delivery_date=dt.date(2026, 11, 3),
        rate_card="STD",
    )
    now = attrs.evolve(late, id="SO-3", delivery_date=None)
    plan = plan_bill_run(
        [], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()], orders=(late, now))
    )
    (candidate,) = plan.candidates
    assert candidate.run_keys == ("order:SO-3",)
    assert _nets(candidate.document) == ["200.00"]


def test_zero_amount_policy_decides_between_skip_exception_and_allow() -> None:
    contract = make_contract(
        lines=(ContractLine("api", ItemCode("SEAT"), ChargeKind.USAGE),),
        start=dt.date(2026, 9, 1),
    )
    free = make_contract(
        lines=(ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(0)),),
        start=dt.date(2026, 9, 1),
        timing=BillingTiming.ARREARS,
    )
    for policy, outcome in [
        (ZeroAmountPolicy.SKIP, "skipped"),
        (ZeroAmountPolicy.EXCEPTION, "exception"),
        (ZeroAmountPolicy.ALLOW, "candidate"),
    ]:
        run_inputs = inputs([make_customer()], policy=BillRunPolicy(zero_amount=policy))
        plan = plan_bill_run([free], OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
        got = "candidate" if plan.candidates else "exception" if plan.exceptions else "skipped"
        assert got == outcome, policy
    # A usage line with no usage is no line at all: nothing to bill.
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    assert [s.reason for s in plan.skipped] == ["nothing to bill"]


def test_quarterly_contract_is_billed_in_the_run_of_the_quarters_last_month() -> None:
    contract = make_contract(start=dt.date(2026, 7, 1), timing=BillingTiming.ARREARS)
    contract = attrs.evolve(
        contract,
        versions=(
            attrs.evolve(
                contract.versions[0], cycle=BillingCycle(Cycle.QUARTERLY, dt.date(2026, 1, 1))
            ),
        ),
    )
    run_inputs = inputs([make_customer()])
    months = {
        m: plan_bill_run(
            [contract], Period.month(2026, m), cut_off=dt.date(2026, m, 28), inputs=run_inputs
        )
        for m in (10, 11, 12)
    }
    assert [len(p.candidates) for p in months.values()] == [0, 0, 1]
    assert months[12].candidates[0].run_keys == ("K-1:2026-10-01..2027-01-01",)


def test_document_discount_is_its_own_negative_line() -> None:
    contract = make_contract(
        start=dt.date(2026, 9, 1),
        timing=BillingTiming.ARREARS,
        discounts=(Discount(name="goodwill", kind=DiscountKind.FIXED, value="10.00"),),
    )
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    invoice = plan.candidates[0].document
    assert _nets(invoice) == ["310.00", "-10.00"]
    assert invoice.lines[1].source is LineSource.DISCOUNT
    assert str(invoice.totals.payable) == "348.00 MXN"


def test_contract_locale_and_terms_override_the_customers_on_the_invoice() -> None:
    from o2c.calendar import PaymentTerms

    contract = make_contract(
        start=dt.date(2026, 9, 1), locale="es_MX", payment_terms=PaymentTerms.parse("net 15")
    )
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    invoice = plan.candidates[0].document
    assert invoice.customer.locale == "es_MX"
    assert invoice.payment_terms == "net 15"


def test_reverse_charge_invoice_without_buyer_vat_id_is_an_exception() -> None:
    from o2c.billing import TaxContext
    from o2c.money import Currency
    from o2c.parties import Address, TaxRegistration, TaxScheme
    from o2c.tax import TaxProfile, bundled_table

    eur = Currency.of("EUR")
    seller = TaxContext(TaxProfile("DE", tax_id="DE136695976"), bundled_table("EU"))
    paris = Address("1 rue de Rivoli", "Paris", "75001", "FR")
    with_id = make_customer(
        "C-1",
        country="FR",
        currency=eur,
        billing_address=paris,
        tax_registrations=(TaxRegistration.of(TaxScheme.EU_VAT, "FR40303265045"),),
    )
    without_id = make_customer(
        "C-2", country="FR", currency=eur, billing_address=paris, tax_registrations=()
    )
    must_have_id = attrs.evolve(without_id, id=CustomerId("C-3"), tax_id_required=True)
    card = attrs.evolve(rate_card(), currency=eur)
    contracts = [
        attrs.evolve(
            make_contract(kid, cid, start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS),
            versions=(
                attrs.evolve(
                    make_contract(kid, cid, start=dt.date(2026, 9, 1)).versions[0],
                    currency=eur,
                    timing=BillingTiming.ARREARS,
                ),
            ),
        )
        for kid, cid in (("K-1", "C-1"), ("K-2", "C-2"), ("K-3", "C-3"))
    ]
    run_inputs = attrs.evolve(
        inputs([with_id, without_id, must_have_id]), rate_cards={"STD": card}, tax=seller
    )
    plan = plan_bill_run(contracts, OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
    reverse, consumer = (c.document for c in plan.candidates)
    assert reverse.lines[0].tax_category == "AE"
    assert str(reverse.totals.tax) == "0.00 EUR"
    assert any("Reverse charge" in note for note in reverse.notes)
    # Without a VAT id the tax engine falls back to a consumer sale at the German rate
    # and says why on the invoice...
    assert str(consumer.totals.tax) == "58.90 EUR"
    assert any("not valid" in note for note in consumer.notes)
    # ...unless the customer must quote a tax id: then it waits in the exceptions queue.
    (exception,) = plan.exceptions
    assert exception.contract_id == "K-3"
    assert [p.code for p in exception.problems] == [ProblemCode.MISSING_TAX_ID]


def test_validate_invoice_reports_every_problem_at_once() -> None:
    from o2c.billing import (
        CustomerSnapshot,
        DocumentLine,
        LineTax,
        draft_document,
        validate_invoice,
    )
    from o2c.ids import DocumentId

    customer = make_customer(
        "C-9",
        billing_address=None,
        tax_registrations=(),
        po_required=True,
        currency=Money.zero("EUR").currency,
    )
    line = DocumentLine(
        1,
        ItemCode("X"),
        "x",
        Decimal(1),
        None,
        Money.of("-5.00", MXN),
        (LineTax("EU-AE", "AE", Decimal(0), Money.zero(MXN)),),
    )
    who = CustomerSnapshot(customer.id, customer.legal_name, None, None, "MX")
    draft = draft_document(DocumentId("D"), who, MXN, [line])
    codes = [p.code for p in validate_invoice(draft, customer)]
    assert codes == [
        ProblemCode.MISSING_TAX_ID,
        ProblemCode.MISSING_ADDRESS,
        ProblemCode.PO_REQUIRED,
        ProblemCode.CURRENCY_MISMATCH,
        ProblemCode.NEGATIVE_TOTAL,
    ]
    assert (
        validate_invoice(
            draft, customer, BillRunPolicy(allow_negative=True, require_address=False)
        )[-1].code
        is ProblemCode.CURRENCY_MISMATCH
    )


def test_upgrade_then_termination_in_one_advance_period_settles_to_the_days_used() -> None:
    # October was billed in advance at Basic (310.00). Pro from Oct 15, ended Oct 25:
    # used = Basic 14/31 (140.00) + Pro 10/31 (200.00) = 340.00, so the run adds 30.00:
    # -100.00 (Basic 10/31) + 200.00 (Pro 10/31) - 70.00 (Basic 7/31 after the end).
    contract = make_contract(start=dt.date(2026, 9, 1))
    contract = amend(
        contract, dt.date(2026, 10, 15), lines=(ContractLine("plan", ItemCode("PLAN-PRO")),)
    )
    contract = terminate(contract, dt.date(2026, 10, 25))
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    invoice = plan.candidates[0].document
    assert _nets(invoice) == ["-100.00", "200.00", "-70.00"]
    assert str(invoice.totals.net) == "30.00 MXN"


def test_orders_of_a_contract_in_the_exceptions_queue_wait_for_it() -> None:
    # K-1's customer requires a PO and the contract has none: the invoice, with the
    # order's router line on it, waits in the queue; the order is not billed on an
    # invoice of its own meanwhile. Once the PO is on the contract, a re-run bills both.
    contract = make_contract(start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS)
    broken = attrs.evolve(
        contract,
        versions=(
            attrs.evolve(contract.versions[0], lines=(ContractLine("x", ItemCode("NOPE")),)),
        ),
    )
    order = SalesOrder(
        "SO-1",
        CustomerId("C-1"),
        dt.date(2026, 10, 20),
        MXN,
        (OrderLine(ItemCode("ROUTER"), Decimal(2), Money.of("1250.50", MXN), "Router"),),
        contract_id=ContractId("K-1"),
    )
    needs_po = inputs([make_customer(po_required=True)], orders=(order,))
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=needs_po)
    assert plan.candidates == ()
    (exception,) = plan.exceptions
    assert exception.reason is ProblemCode.PO_REQUIRED
    assert exception.draft is not None
    assert _nets(exception.draft) == ["310.00", "2501.00"]
    # A contract that cannot be priced keeps its orders waiting too.
    plan = plan_bill_run([broken], OCTOBER, cut_off=CUT_OFF, inputs=needs_po)
    assert [(e.run_key, e.reason) for e in plan.exceptions] == [
        ("K-1:2026-10", ProblemCode.NO_RATE)
    ]
    assert plan.candidates == ()
    fixed = attrs.evolve(
        contract, versions=(attrs.evolve(contract.versions[0], po_number="PO-42"),)
    )
    plan = plan_bill_run([fixed], OCTOBER, cut_off=CUT_OFF, inputs=needs_po)
    (candidate,) = plan.candidates
    assert candidate.run_keys == ("K-1:2026-10", "order:SO-1")
    assert candidate.document.po_number == "PO-42"
    assert str(candidate.document.totals.payable) == "3260.76 MXN"  # 2811.00 + 16 %


def test_two_time_lines_bill_each_entry_once_on_the_line_pricing_its_role() -> None:
    # Consulting prices developers, support prices the help desk: each entry goes on the
    # first line with a rate for its role, never on both.
    consulting = TimeAndMaterials(rates=[RoleRate("dev", "800")], increment="0.25")
    support = TimeAndMaterials(rates=[RoleRate("desk", "300"), RoleRate("dev", "500")])
    contract = make_contract(
        lines=(
            ContractLine("c", ItemCode("CONSULTING"), ChargeKind.TIME, model=consulting),
            ContractLine("s", ItemCode("SUPPORT"), ChargeKind.TIME, model=support),
        ),
        start=dt.date(2026, 9, 1),
    )
    key = run_key("K-1", OCTOBER)
    entries = (
        TimeEntry(id="t1", person="ana", role="dev", date=dt.date(2026, 10, 5), hours="2",
                  approved=True),
        TimeEntry(id="t2", person="cy", role="desk", date=dt.date(2026, 10, 6), hours="1.5",
                  approved=True),
    )  # fmt: skip
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs(
            [make_customer()],
            time={(key, ItemCode("CONSULTING")): entries, (key, ItemCode("SUPPORT")): entries},
        ),
    )
    lines = plan.candidates[0].document.lines
    assert [(line.item, line.quantity, str(line.net)) for line in lines] == [
        ("CONSULTING", Decimal("2"), "1600.00 MXN"),
        ("SUPPORT", Decimal("1.5"), "450.00 MXN"),
    ]


def test_an_entry_no_time_line_prices_is_an_exception_not_dropped() -> None:
    consulting = TimeAndMaterials(rates=[RoleRate("dev", "800")])
    support = TimeAndMaterials(rates=[RoleRate("desk", "300")])
    contract = make_contract(
        lines=(
            ContractLine("c", ItemCode("CONSULTING"), ChargeKind.TIME, model=consulting),
            ContractLine("s", ItemCode("SUPPORT"), ChargeKind.TIME, model=support),
        ),
        start=dt.date(2026, 9, 1),
    )
    key = run_key("K-1", OCTOBER)
    entries = (
        TimeEntry(id="t9", person="ed", role="designer", date=dt.date(2026, 10, 5), hours="3",
                  approved=True),
    )  # fmt: skip
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs(
            [make_customer()],
            time={(key, ItemCode("CONSULTING")): entries, (key, ItemCode("SUPPORT")): entries},
        ),
    )
    assert plan.candidates == ()
    [exception] = plan.exceptions
    assert exception.reason is ProblemCode.NO_RATE
    assert "t9" in exception.message
    assert "designer" in exception.message
