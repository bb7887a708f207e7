"""The bill run's direct contract reader agrees with cattrs on every shape."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest

from o2c.book._codec import book_converter
from o2c.book._contract_reader import read_contract
from o2c.calendar import BillingCycle, Cycle, PaymentTerms
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractLine,
    ContractVersion,
)
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.io import structure, to_plain
from o2c.money import Currency
from o2c.pricing import Flat, Graduated, PerUnit, PriceModel, PriceOverride, Tier, Volume

START = dt.date(2026, 1, 31)


def _contract(model: PriceModel | None, **version: Any) -> Contract:
    line = ContractLine("L1", ItemCode("X"), ChargeKind.RECURRING, Decimal("2.5"), "x", model)
    v = ContractVersion(
        START,
        (line, ContractLine("L2", ItemCode("API"), ChargeKind.USAGE)),
        BillingCycle(Cycle.MONTHLY, START),
        Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )
    v = attrs.evolve(v, **version)
    later = attrs.evolve(v, effective_from=dt.date(2026, 6, 1))
    return Contract(ContractId("K1"), CustomerId("C1"), (v, later), dt.date(2027, 1, 1))


CASES = [
    _contract(PerUnit(unit_price=Decimal("0.00042"), free_units=Decimal(3), maximum=Decimal(9))),
    _contract(Graduated(tiers=[Tier(Decimal(10), Decimal("1.5"), Decimal(5)), Tier(None, "1")])),
    _contract(Volume(tiers=[Tier(Decimal(10), Decimal("2")), Tier(None, Decimal("1"))])),
    _contract(Flat(price=Decimal("99.90"))),
    _contract(None, payment_terms=PaymentTerms.parse("net 45"), po_number="PO-1", locale="es_MX"),
    _contract(
        None,
        overrides=(
            PriceOverride(item="X", model=PerUnit(unit_price=Decimal(1)), effective_from=START),
        ),
    ),
]


@pytest.mark.parametrize("contract", CASES, ids=range(len(CASES)))
def test_direct_contract_reader_agrees_with_cattrs(contract: Contract) -> None:
    converter = book_converter()
    plain = json.loads(json.dumps(to_plain(contract, converter)))
    fallback_used: list[object] = []

    def fallback(data: object) -> Contract:
        fallback_used.append(data)
        return structure(data, Contract, converter=converter)

    assert read_contract(plain, fallback) == contract
    assert structure(plain, Contract, converter=converter) == contract
    assert bool(fallback_used) == bool(contract.versions[0].overrides)
