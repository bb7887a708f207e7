"""Bill-run explanations show prices and amounts in the document currency's minor units.

A billing specialist reads ``o2c invoice explain`` next to the invoice: an MXN line says
``1990.00``, not ``1990``; a JPY line has no decimals at all; a unit price finer than the
currency (0.125) keeps all its digits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing import ProblemCode, plan_bill_run
from o2c.calendar import Period
from o2c.contracts import BillingTiming, Contract, ContractLine, OrderLine, SalesOrder
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import Commitment, Discount, DiscountKind, PerUnit
from tests.billing.conftest import MXN, inputs, make_contract, make_customer, rate_card

OCTOBER = Period.month(2026, 10)
CUT_OFF = dt.date(2026, 10, 31)
JPY = Currency.of("JPY")
USD = Currency.of("USD")


def _per_unit_contract(price: str, quantity: int = 1, **changes: Any) -> Contract:
    line = ContractLine(
        "x", ItemCode("SEAT"), quantity=Decimal(quantity), model=PerUnit(unit_price=price)
    )
    contract = make_contract(lines=(line,), start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS)
    return attrs.evolve(contract, versions=(attrs.evolve(contract.versions[0], **changes),))


def test_mxn_line_explains_price_and_amount_with_centavos() -> None:
    contract = _per_unit_contract("1990")
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()]))
    (line,) = plan.candidates[0].document.lines
    assert line.explain == ("units: 1 × 1990.00 = 1990.00",)
    assert str(line.net) == "1990.00 MXN"
    assert str(line.tax) == "318.40 MXN"


def test_jpy_line_explains_without_decimals() -> None:
    contract = _per_unit_contract("1990", 3)
    contract = attrs.evolve(contract, versions=(attrs.evolve(contract.versions[0], currency=JPY),))
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer(currency=JPY)]),
    )
    invoice = plan.candidates[0].document
    (line,) = invoice.lines
    assert line.explain == ("units: 3 × 1990 = 5970",)
    assert str(line.net) == "5970 JPY"
    assert str(line.tax) == "955 JPY"  # 5970 x 16 % = 955.2
    assert str(invoice.totals.payable) == "6925 JPY"


def test_unit_price_finer_than_the_currency_keeps_its_digits() -> None:
    # 3 x 0.125 = 0.375 exactly in the explanation; the net is rounded half-up to 0.38.
    contract = _per_unit_contract("0.125", 3)
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer()]),
    )
    (line,) = plan.candidates[0].document.lines
    assert line.explain == ("units: 3 × 0.125 = 0.375",)
    assert str(line.net) == "0.38 MXN"
    assert str(line.unit_price) == "0.125 MXN"


def test_discount_and_true_up_steps_are_explained_in_the_contract_currency() -> None:
    # 3 x 0.125 = 0.375, 10 % off -> 0.3375 -> 0.34; a 0.10 document discount; the
    # 500.00 minimum spend trues up 500.00 - 0.34 = 499.66.
    contract = _per_unit_contract(
        "0.125",
        3,
        discounts=(
            Discount(name="loyalty", kind=DiscountKind.PERCENT, value=10, item="SEAT"),
            Discount(name="welcome", kind=DiscountKind.FIXED, value="0.10"),
        ),
        commitments=(Commitment(name="minimum spend", amount="500.00"),),
    )
    plan = plan_bill_run(
        [contract],
        OCTOBER,
        cut_off=CUT_OFF,
        inputs=inputs([make_customer()]),
    )
    invoice = plan.candidates[0].document
    assert [line.explain for line in invoice.lines] == [
        ("units: 3 × 0.125 = 0.375", "discount (loyalty): 0.375 × -10 % = -0.0375"),
        ("discount (welcome): 1 × -0.10 = -0.10",),
        ("true-up (minimum spend: committed 500.00, used 0.34): 1 × 499.66 = 499.66",),
    ]
    assert [str(line.net.amount) for line in invoice.lines] == ["0.34", "-0.10", "499.66"]
    assert str(invoice.totals.payable) == "579.88 MXN"  # 499.90 + IVA 0.05 - 0.02 + 79.95


def test_order_priced_from_the_rate_card_explains_in_the_order_currency() -> None:
    order = SalesOrder(
        "SO-1",
        CustomerId("C-1"),
        dt.date(2026, 10, 5),
        MXN,
        (OrderLine(ItemCode("SEAT"), Decimal(2)),),
        rate_card="STD",
    )
    plan = plan_bill_run(
        [], OCTOBER, cut_off=CUT_OFF, inputs=inputs([make_customer()], orders=(order,))
    )
    (line,) = plan.candidates[0].document.lines
    assert line.explain == ("units: 2 × 100.00 = 200.00",)
    assert str(plan.candidates[0].document.totals.payable) == "232.00 MXN"


def test_order_priced_from_a_rate_card_in_another_currency_is_a_currency_exception() -> None:
    # Before: 200.00 USD from the card landed as a line of an MXN invoice.
    usd_card = attrs.evolve(rate_card(), code="USD-CARD", currency=USD)
    loose = SalesOrder(
        "SO-1",
        CustomerId("C-1"),
        dt.date(2026, 10, 5),
        MXN,
        (OrderLine(ItemCode("SEAT"), Decimal(2)),),
        rate_card="USD-CARD",
    )
    on_contract = attrs.evolve(loose, id="SO-2", contract_id=ContractId("K-1"))
    run_inputs = attrs.evolve(
        inputs([make_customer()], orders=(loose, on_contract)),
        rate_cards={"STD": rate_card(), "USD-CARD": usd_card},
    )
    contract = make_contract(start=dt.date(2026, 9, 1), timing=BillingTiming.ARREARS)
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
    assert plan.candidates == ()
    assert [(e.run_key, e.reason) for e in plan.exceptions] == [
        ("K-1:2026-10", ProblemCode.CURRENCY_MISMATCH),
        ("order:SO-1", ProblemCode.CURRENCY_MISMATCH),
    ]
    assert plan.exceptions[1].message == (
        "order SO-1 item SEAT is priced on rate card USD-CARD in USD, the order is in MXN"
    )


def test_contract_on_a_rate_card_in_another_currency_is_a_currency_exception() -> None:
    usd_card = attrs.evolve(rate_card(), currency=USD)
    contract = make_contract(start=dt.date(2026, 9, 1))
    run_inputs = attrs.evolve(inputs([make_customer()]), rate_cards={"STD": usd_card})
    plan = plan_bill_run([contract], OCTOBER, cut_off=CUT_OFF, inputs=run_inputs)
    (exception,) = plan.exceptions
    assert exception.reason is ProblemCode.CURRENCY_MISMATCH
    assert exception.message == "rate card STD is in USD, the contract in MXN"
