"""The compact path explains lines in the document currency exactly as the general path.

``Step.describe(currency)`` pads prices and amounts to the currency's minor-unit digits
(MXN ``1990.00``, JPY ``1990``) and keeps finer prices whole (``0.125``); the compact path
builds the same text itself. Each book below is billed on both paths and every stored
row compared, and the stored explanations are checked against what a person reads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.billing._compact import CompactPlanner, _graduated, _per_unit, _text
from o2c.book import Book, _billing
from o2c.book._codec import as_json
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.io import to_plain
from o2c.money import Currency
from o2c.parties import Address, Customer
from o2c.pricing import Graduated, PerUnit, PriceModel, Tier, rate
from o2c.pricing._rated import _plain
from o2c.tax import TaxProfile
from tests.perf_equivalence.test_compact_path import TABLES, _dump

MXN = Currency.of("MXN")
JPY = Currency.of("JPY")
OCT = dt.date(2026, 10, 1)

# (contract, customer, currency, quantity, model, stored explanation)
CASES: list[tuple[str, str, Currency, Decimal, PriceModel, list[str]]] = [
    (
        "K1",
        "CM",
        MXN,
        Decimal(1),
        PerUnit(unit_price=Decimal(1990)),
        ["units: 1 × 1990.00 = 1990.00"],
    ),
    (
        "K2",
        "CM",
        MXN,
        Decimal(3),
        PerUnit(unit_price=Decimal("0.125")),
        ["units: 3 × 0.125 = 0.375"],
    ),
    (
        "K3",
        "CM",
        MXN,
        Decimal(12),
        Graduated(
            tiers=[Tier(Decimal(10), Decimal("9.5"), Decimal(5)), Tier(None, Decimal("0.125"))]
        ),
        [
            "tier 1 flat fee: 1 × 5.00 = 5.00",
            "tier 1 units: 10 × 9.50 = 95.00",
            "tier 2 units: 2 × 0.125 = 0.25",
        ],
    ),
    ("K4", "CJ", JPY, Decimal(3), PerUnit(unit_price=Decimal(1990)), ["units: 3 × 1990 = 5970"]),
    (
        "K5",
        "CJ",
        JPY,
        Decimal(12),
        Graduated(
            tiers=[Tier(Decimal(10), Decimal("100.00"), Decimal(500)), Tier(None, Decimal("0.5"))]
        ),
        [
            "tier 1 flat fee: 1 × 500 = 500",
            "tier 1 units: 10 × 100 = 1000",
            "tier 2 units: 2 × 0.5 = 1",
        ],
    ),
]


def _fill(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    address = Address("Reforma 1", "CDMX", "06600", "MX")
    book.add_customer(Customer(CustomerId("CM"), "Cliente MXN SA de CV", address, "MX", MXN))
    book.add_customer(Customer(CustomerId("CJ"), "Cliente JPY SA de CV", address, "MX", JPY))
    for kid, cid, currency, quantity, model, _explain in CASES:
        version = ContractVersion(
            dt.date(2026, 9, 1),
            (ContractLine("L1", ItemCode("SEAT"), quantity=quantity, model=model),),
            BillingCycle(Cycle.MONTHLY, OCT),
            currency,
            timing=BillingTiming.ARREARS,
        )
        book.add_contract(Contract(ContractId(kid), CustomerId(cid), (version,)))


def test_mxn_jpy_and_fine_prices_are_explained_alike_on_both_paths(
    open_book: Callable[[str], Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    planned: list[str] = []
    plan = CompactPlanner.plan

    def spy(self: CompactPlanner, data: Any, customer: Any, doc_prefix: str = "B:") -> Any:
        invoice = plan(self, data, customer, doc_prefix)
        if invoice is not None:
            planned.append(invoice.key)
        return invoice

    monkeypatch.setattr(CompactPlanner, "plan", spy)
    dumps = []
    for compact in (True, False):
        book = open_book("fast" if compact else "plain")
        try:
            _fill(book)
            monkeypatch.setattr(_billing, "_COMPACT", compact)
            result = book.bill_run("2026-10")
            assert result.invoices == len(CASES)
            dumps.append(_dump(book))
            with book.store.transaction(write=False):
                stored = {
                    str(doc_id).split(":")[1]: as_json(explain)
                    for doc_id, explain in book.store.query(
                        "SELECT document_id, explain FROM document_lines ORDER BY document_id"
                    )
                }
            assert stored == {kid: explain for kid, *_rest, explain in CASES}
        finally:
            book.close()
    assert sorted(planned) == [f"{kid}:2026-10" for kid, *_ in CASES]
    fast, plain = dumps
    for table in TABLES:
        assert fast[table] == plain[table], table


def _stored(model: PriceModel) -> dict[str, object]:
    plain: dict[str, object] = to_plain(model)
    return {**plain, "type": type(model).__name__}


def _general(model: PriceModel, quantity: Decimal, currency: Currency) -> tuple[Any, ...]:
    rated = rate(model, quantity, currency=currency)
    steps = rated.steps
    unit_price = None
    if len(steps) == 1 and steps[0].unit_price and steps[0].quantity == quantity:
        unit_price = str(steps[0].unit_price)
    explain = json.dumps([s.describe(currency) for s in steps], separators=(",", ":"))
    return rated.amount.amount, explain, unit_price


_PRICE = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=5)
_QUANTITY = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=4)
_CURRENCY = st.sampled_from([JPY, MXN, Currency.of("KWD")])


@given(price=_PRICE, quantity=_QUANTITY, currency=_CURRENCY)
def test_per_unit_lines_explain_alike_in_every_currency(
    price: Decimal, quantity: Decimal, currency: Currency
) -> None:
    model = PerUnit(unit_price=price)
    got = _per_unit(_stored(model), quantity, currency.minor_units)
    assert got == _general(model, quantity, currency)


@given(
    fee=st.sampled_from([Decimal(0), Decimal("12.5")]),
    first=_PRICE,
    second=_PRICE,
    up_to=st.integers(1, 500),
    quantity=_QUANTITY | st.integers(0, 600).map(Decimal),
    currency=_CURRENCY,
)
def test_graduated_lines_explain_alike_in_every_currency(
    fee: Decimal,
    first: Decimal,
    second: Decimal,
    up_to: int,
    quantity: Decimal,
    currency: Currency,
) -> None:
    model = Graduated(tiers=[Tier(Decimal(up_to), first, fee), Tier(None, second)])
    got = _graduated(_stored(model), quantity, currency.minor_units)
    assert got == _general(model, quantity, currency)


@given(
    value=st.decimals(allow_nan=False, allow_infinity=False)
    | st.builds(
        lambda d, e: d.scaleb(e), st.decimals(-(10**6), 10**6, places=3), st.integers(-9, 9)
    ),
    places=st.integers(0, 4),
)
def test_step_numbers_print_alike_with_minor_units(value: Decimal, places: int) -> None:
    assert _text(value, places) == _plain(value, places)
