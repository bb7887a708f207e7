"""Issue 25: a document discount over zero-rated (Z) or exempt (E) lines reduces only
the taxable base of the lines it falls on, split per tax code pro rata to their nets.

Before, the discount was one line taxed at the standard rate, so a discount falling on
an exempt course took IVA off the standard-rated services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import LineSource, plan_bill_run
from o2c.billing.billrun import BillRunInputs, start_period
from o2c.calendar import BillingCycle, Cycle, Period
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.pricing import Discount, DiscountKind, Item, PerUnit, RateCard, RateCardVersion
from tests.billing.conftest import MXN, make_customer, tax_context

OCTOBER = Period.month(2026, 10)
CUT_OFF = dt.date(2026, 10, 31)


def _card() -> RateCard:
    def item(code: str, category: str) -> Item:
        return Item(
            code=ItemCode(code),
            name=code.title(),
            unit="unit",
            tax_category=category,
            model=PerUnit(unit_price="1.00"),
        )

    items = [item("SERVICES", "S"), item("TORTILLAS", "Z"), item("COURSE", "E")]
    return RateCard(
        code="MX", currency="MXN", versions=[RateCardVersion(dt.date(2026, 1, 1), items)]
    )


def _contract(
    lines: dict[str, str],
    discount: Discount,
    *,
    start: dt.date = dt.date(2026, 9, 1),
    timing: BillingTiming = BillingTiming.ARREARS,
    anchor: dt.date = dt.date(2026, 1, 1),
) -> Contract:
    built = tuple(
        ContractLine(f"L{n}", ItemCode(code), quantity=Decimal(qty))
        for n, (code, qty) in enumerate(lines.items(), start=1)
    )
    version = ContractVersion(
        start, built, BillingCycle(Cycle.MONTHLY, anchor), MXN, "MX", timing,
        discounts=(discount,),
    )  # fmt: skip
    return Contract(ContractId("K-1"), CustomerId("C-1"), (version,))


def _inputs() -> BillRunInputs:
    customer = make_customer()
    return BillRunInputs({customer.id: customer}, {"MX": _card()}, tax_context())


TEN_PERCENT = Discount(name="launch", kind=DiscountKind.PERCENT, value=10)


def test_discount_over_exempt_lines_does_not_reduce_iva_of_the_standard_lines() -> None:
    # 1,000.00 of services (IVA 16 %) and a 1,000.00 exempt course, 10 % off the
    # document: 200.00 off, 100.00 on each. IVA = 16 % of 900.00 = 144.00 (a single
    # standard-rated discount line made it 16 % of 800.00 = 128.00).
    contract = _contract({"SERVICES": "1000", "COURSE": "1000"}, TEN_PERCENT)
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=_inputs())
    assert plan.exceptions == ()
    invoice = plan.candidates[0].document
    rows = [
        (str(line.item), str(line.net.amount), line.tax_code, str(line.tax.amount))
        for line in invoice.lines
    ]
    assert rows == [
        ("SERVICES", "1000.00", "", "160.00"),
        ("COURSE", "1000.00", "E", "0.00"),
        ("DISCOUNT", "-100.00", "", "-16.00"),
        ("DISCOUNT", "-100.00", "E", "0.00"),
    ]
    assert all(line.source is LineSource.DISCOUNT for line in invoice.lines[2:])
    assert "share of lines taxed E: 1000.00 of 2000.00 = -100.00" in invoice.lines[3].explain
    breakdown = invoice.totals.breakdown
    by_category = {(t.category, str(t.base.amount)): str(t.amount.amount) for t in breakdown}
    assert by_category == {("S", "900.00"): "144.00", ("E", "900.00"): "0.00"}
    assert str(invoice.totals.net) == "1800.00 MXN"
    assert str(invoice.totals.tax) == "144.00 MXN"
    assert str(invoice.totals.payable) == "1944.00 MXN"


def test_fixed_discount_is_split_by_largest_remainder_over_three_tax_codes() -> None:
    # 100.00 off 700.00 (S) + 250.00 (Z) + 1,000.00 (E) = 1,950.00: shares 35.897...,
    # 12.820..., 51.282...; the cent left over goes to the largest remainder (S).
    fixed = Discount(name="goodwill", kind=DiscountKind.FIXED, value="100.00")
    contract = _contract({"SERVICES": "700", "TORTILLAS": "250", "COURSE": "1000"}, fixed)
    invoice = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=_inputs()).documents[0]
    discounts = [(line.tax_code, str(line.net.amount)) for line in invoice.lines[3:]]
    assert discounts == [("", "-35.90"), ("Z", "-12.82"), ("E", "-51.28")]
    # IVA per line: 700.00 x 16 % = 112.00, -35.90 x 16 % = -5.744 -> -5.74.
    assert str(invoice.totals.tax) == "106.26 MXN"
    assert str(invoice.totals.net) == "1850.00 MXN"
    assert str(invoice.totals.payable) == "1956.26 MXN"


def test_discount_on_exempt_lines_only_takes_their_category() -> None:
    contract = _contract({"COURSE": "1000"}, TEN_PERCENT)
    invoice = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=_inputs()).documents[0]
    assert [(line.tax_code, str(line.net.amount)) for line in invoice.lines] == [
        ("E", "1000.00"),
        ("E", "-100.00"),
    ]
    assert str(invoice.totals.tax) == "0.00 MXN"  # not -16.00 of IVA on an exempt course
    assert str(invoice.totals.payable) == "900.00 MXN"


def test_start_invoice_splits_its_document_discount_per_tax_code() -> None:
    # In advance, starting Oct 18 and anchored on it: the Oct run bills the first period
    # on a start invoice, whose discount is split like any other.
    start = dt.date(2026, 10, 18)
    contract = _contract(
        {"SERVICES": "500", "COURSE": "1500"},
        TEN_PERCENT,
        start=start,
        timing=BillingTiming.ADVANCE,
        anchor=start,
    )
    assert start_period(contract, OCTOBER) is not None
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=_inputs())
    (candidate,) = plan.candidates
    assert candidate.run_keys == ("K-1:2026-10-18..2026-11-18:start",)
    invoice = candidate.document
    assert [(line.tax_code, str(line.net.amount)) for line in invoice.lines] == [
        ("", "500.00"),
        ("E", "1500.00"),
        ("", "-50.00"),
        ("E", "-150.00"),
    ]
    assert str(invoice.totals.tax) == "72.00 MXN"  # 16 % of 450.00, not of 300.00
    assert str(invoice.totals.payable) == "1872.00 MXN"


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=99),
)
def test_discount_parts_add_up_and_iva_falls_only_on_the_standard_share(
    services: int, tortillas: int, course: int, percent: int
) -> None:
    lines = {"SERVICES": str(services), "TORTILLAS": str(tortillas), "COURSE": str(course)}
    discount = Discount(name="d", kind=DiscountKind.PERCENT, value=percent)
    contract = _contract({k: v for k, v in lines.items() if v != "0"}, discount)
    invoice = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=_inputs()).documents[0]
    charged = [line for line in invoice.lines if line.source is not LineSource.DISCOUNT]
    parts = [line for line in invoice.lines if line.source is LineSource.DISCOUNT]
    total = sum((line.net.amount for line in charged), Decimal(0))
    whole = (total * percent / 100).quantize(Decimal("0.01"))
    # The parts add up to the rounded discount exactly, one per tax code charged.
    assert sum((p.net.amount for p in parts), Decimal(0)) == -whole
    assert sorted(p.tax_code for p in parts) == sorted(line.tax_code for line in charged)
    for part in parts:
        base = sum((c.net.amount for c in charged if c.tax_code == part.tax_code), Decimal(0))
        exact = whole * base / total
        assert abs(-part.net.amount - exact) < Decimal("0.01")
    # IVA is 16 % of the services less their share of the discount (per line rounding).
    standard = [line for line in invoice.lines if line.tax_code == ""]
    expected = sum(
        ((line.net.amount * Decimal("0.16")).quantize(Decimal("0.01")) for line in standard),
        Decimal(0),
    )
    assert invoice.totals.tax.amount == expected
