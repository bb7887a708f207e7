"""Issue 18 item 1 in the bill run: a prorated recurring line priced by volume tiers."""

from __future__ import annotations

import datetime as dt

from o2c.billing import plan_bill_run
from o2c.calendar import Period
from o2c.contracts import BillingTiming, ChargeKind, ContractLine
from o2c.ids import ItemCode
from o2c.pricing import Graduated, Tier, Volume
from tests.billing.conftest import inputs, make_contract, make_customer

OCTOBER = Period.month(2026, 10)
TIERS = [Tier(100, "2.00", flat_fee="10"), Tier(200, "1.00"), Tier(None, "0.50", flat_fee="50")]


def _first_net(model: Volume | Graduated) -> str:
    line = ContractLine("seats", ItemCode("SEAT"), ChargeKind.RECURRING, 300, model=model)
    contract = make_contract(
        lines=(line,), start=dt.date(2026, 10, 11), timing=BillingTiming.ARREARS
    )
    plan = plan_bill_run(
        [contract], OCTOBER, cut_off=dt.date(2026, 10, 31), inputs=inputs([make_customer()])
    )
    assert plan.exceptions == ()
    (invoice,) = plan.documents
    (first,) = invoice.lines
    assert "tier flat fee not prorated" in first.explain
    return str(first.net.amount)


def test_bill_run_prorates_volume_units_but_not_the_tier_flat_fee() -> None:
    # 300 seats reach tier 3 (0.50 + 50 flat); 21 of 31 days: 150 x 21/31 + 50 = 151.61
    # (prorating the fee too gave 200 x 21/31 = 135.48).
    assert _first_net(Volume(tiers=TIERS)) == "151.61"


def test_bill_run_prorates_graduated_units_but_not_the_tier_flat_fees() -> None:
    # Units 200 + 100 + 50 = 350 x 21/31 = 237.10; fees 10 + 50 unprorated: 297.10.
    assert _first_net(Graduated(tiers=TIERS)) == "297.10"
