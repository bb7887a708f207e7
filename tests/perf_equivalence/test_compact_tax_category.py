"""Items of the zero-rated and exempt tax categories store the same rows on both paths.

The compact form bills an item of the standard category itself; a contract with an item
of another category on its rate card (``Z`` zero-rated food, ``E`` exempt education) or
of a tax-exempt customer goes to the general planner, which taxes it through the tax
engine. Either way the rows stored are those of the general planner alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from o2c.billing._compact import CompactPlanner
from o2c.book import Book, _billing
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.parties import TaxExemption
from o2c.pricing import PerUnit
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer
from tests.perf_equivalence.test_compact_path import TABLES, _dump

MXN = Currency.of("MXN")

RATE_CARD = """
[ratecard]
code = "mx"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEAT]
name = "Asiento"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "100.00"

[versions.items.TORTILLAS]
name = "Tortillas"
unit = "kg"
tax_category = "Z"
model = "per_unit"
unit_price = "25.00"

[versions.items.COURSE]
name = "Curso"
unit = "course"
tax_category = "E"
model = "per_unit"
unit_price = "1000.00"
"""

#: (contract, customer, (item, quantity, unit price) lines).
CONTRACTS = [
    ("K1", "C1", [("SEAT", "3", "99.99")]),
    ("K2", "C1", [("TORTILLAS", "7", "25.00")]),
    ("K3", "C1", [("COURSE", "1", "1000.00")]),
    ("K4", "C1", [("SEAT", "1", "100.00"), ("TORTILLAS", "2.5", "24.90"), ("COURSE", "1", "5")]),
    ("K5", "C2", [("SEAT", "2", "100.00")]),  # a tax-exempt customer
    ("K6", "C1", [("OTHER", "2", "10.00")]),  # not on the card: the standard rate
]


def _fill(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("mx.toml", text=RATE_CARD)
    book.add_customer(mx_customer("C1"))
    book.add_customer(attrs.evolve(mx_customer("C2"), tax_exemption=TaxExemption("Art. 15 LIVA")))
    for kid, cid, lines in CONTRACTS:
        version = ContractVersion(
            dt.date(2026, 9, 1),
            tuple(
                ContractLine(
                    f"L{n}",
                    ItemCode(item),
                    quantity=Decimal(qty),
                    model=PerUnit(unit_price=Decimal(price)),
                )
                for n, (item, qty, price) in enumerate(lines, start=1)
            ),
            BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
            MXN,
            rate_card="mx",
            timing=BillingTiming.ARREARS,
        )
        book.add_contract(Contract(ContractId(kid), CustomerId(cid), (version,)))


@pytest.mark.parametrize("batch", [1, 4, 100])
def test_items_of_every_tax_category_store_the_same_rows_on_both_paths(
    open_book: Callable[[str], Book], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reasons: dict[str, str | None] = {}
    plan = CompactPlanner.plan_or_reason

    def spy(self: CompactPlanner, data: Any, customer: Any, doc_prefix: str = "B:") -> Any:
        outcome = plan(self, data, customer, doc_prefix)
        reasons[str(data["id"])] = outcome if isinstance(outcome, str) else None
        return outcome

    monkeypatch.setattr(CompactPlanner, "plan_or_reason", spy)
    dumps = []
    taxes = []
    for compact in (True, False):
        book = open_book("fast" if compact else "plain")
        try:
            _fill(book)
            monkeypatch.setattr(_billing, "_COMPACT", compact)
            result = book.bill_run("2026-10", batch_size=batch)
            assert result.invoices == len(CONTRACTS)
            dumps.append(_dump(book))
            taxes.append({d.contract_id: str(d.totals.tax) for d in book.list_documents()})
        finally:
            book.close()
    fast, plain = dumps
    for table in TABLES:
        assert fast[table] == plain[table], table
    assert reasons == {
        "K1": None,
        "K2": "an item of tax category Z on the rate card",
        "K3": "an item of tax category E on the rate card",
        "K4": "an item of tax category Z on the rate card",
        "K5": "a tax the per-line tax shapes do not cover",
        "K6": None,
    }
    # 16 % of the standard lines only: K1 299.97 -> 48.00 (47.9952); K4 100.00 -> 16.00.
    assert (
        taxes[0]
        == taxes[1]
        == {
            "K1": "48.00 MXN",
            "K2": "0.00 MXN",
            "K3": "0.00 MXN",
            "K4": "16.00 MXN",
            "K5": "0.00 MXN",
            "K6": "3.20 MXN",
        }
    )
