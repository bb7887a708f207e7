"""The bill run's batch lookup of billed keys asks for exactly the keys the planner checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing.billrun import billing_periods, run_key
from o2c.book._billing import _period_keys
from o2c.calendar import BillingCycle, Cycle, Period
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import PerUnit

_DAYS = st.integers(0, 500).map(lambda n: dt.date(2025, 6, 1) + dt.timedelta(days=n))


@st.composite
def _contracts(draw: st.DrawFn) -> Contract:
    start = draw(_DAYS)
    anchor = start if draw(st.booleans()) else draw(_DAYS)
    cycle = BillingCycle(draw(st.sampled_from(list(Cycle))), anchor)
    timing = draw(st.sampled_from(list(BillingTiming)))
    line = ContractLine(
        "L1", ItemCode("SEAT"), quantity=Decimal(1), model=PerUnit(unit_price=Decimal(5))
    )
    version = ContractVersion(start, (line,), cycle, Currency.of("MXN"), timing=timing)
    end = draw(st.none() | _DAYS.filter(lambda d: d > start))
    n = draw(st.integers(0, 999))
    return Contract(ContractId(f"K-{n:03d}"), CustomerId("C1"), (version,), end)


@given(
    contracts=st.lists(_contracts(), max_size=8),
    month=st.integers(0, 17).map(lambda m: Period.month(2025 + (5 + m) // 12, (5 + m) % 12 + 1)),
)
def test_period_keys_are_the_run_keys_of_billing_periods(
    contracts: list[Contract], month: Period
) -> None:
    want = [run_key(c.id, p) for c in contracts for p in billing_periods(c, month)]
    assert _period_keys(contracts, month) == want
