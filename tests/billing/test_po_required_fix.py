"""A customer that requires a PO: the bill run's problem names the command that fixes it,
and that fix bills the period (o2c.billing.validation, o2c.contracts.amend)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from o2c.billing import plan_bill_run
from o2c.billing.validation import ProblemCode
from o2c.calendar import Period
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, amend
from o2c.ids import ItemCode
from tests.billing.conftest import inputs, make_contract, make_customer

OCTOBER = Period.month(2026, 10)
FIX = re.compile(r"add it: o2c contract amend K-1 --from (\S+) --po <PO number>$")


def _contract(start: dt.date) -> Contract:
    lines = (
        ContractLine("seats", ItemCode("SEAT"), quantity=Decimal(3)),
        ContractLine("api", ItemCode("API"), ChargeKind.USAGE),
    )
    return make_contract(lines=lines, start=start, timing=BillingTiming.ARREARS)


@pytest.mark.parametrize(
    ("start", "since"),
    [
        (dt.date(2026, 9, 1), "2026-10-01"),  # a later period: amend from its first day
        (dt.date(2026, 10, 1), "2026-10-01"),  # the first period: the contract's start
        (dt.date(2026, 10, 15), "2026-10-15"),  # a first stub: the start, not the 1st
    ],
)
def test_a_missing_po_names_the_amendment_that_bills_the_period(start: dt.date, since: str) -> None:
    data = inputs([make_customer(po_required=True)])
    contract = _contract(start)
    cut = dt.date(2026, 10, 31)

    [exc] = plan_bill_run([contract], OCTOBER, cut_off=cut, inputs=data).exceptions

    assert exc.reason is ProblemCode.PO_REQUIRED
    assert exc.message.startswith("customer C-1 requires a purchase order number and contract")
    match = FIX.search(exc.message)
    assert match is not None, exc.message
    assert match[1] == since
    fixed = amend(contract, dt.date.fromisoformat(since), po_number="PO-77")
    plan = plan_bill_run([fixed], OCTOBER, cut_off=cut, inputs=data)
    assert plan.exceptions == ()
    [candidate] = plan.candidates
    assert candidate.document.po_number == "PO-77"
