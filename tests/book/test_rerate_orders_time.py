"""Re-rating through the Book: time & materials and sales-order invoices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.billing import ImpactAction
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractLine,
    ContractVersion,
    OrderLine,
    SalesOrder,
)
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import TimeEntry
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer

OCT1 = dt.date(2026, 10, 1)
MXN = Currency.of("MXN")


def card(seat: str, dev: str) -> str:
    return f"""
[ratecard]
code = "std"
name = "Standard"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEAT]
name = "User seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "{seat}"

[versions.items.CONSULTING]
name = "Consulting"
unit = "hour"
tax_category = "S"
model = "time_and_materials"
rates = {{ dev = {dev} }}
increment = 0.25
minimum_hours = 1
"""


def version(*lines: ContractLine) -> ContractVersion:
    return ContractVersion(
        OCT1,
        lines,
        BillingCycle(Cycle.MONTHLY, OCT1),
        MXN,
        rate_card="std",
        timing=BillingTiming.ARREARS,
    )


def test_book_rerates_time_orders_and_order_invoices(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("std.toml", text=card("100.00", "800"))
    for n in (1, 2, 3):
        book.add_customer(mx_customer(f"C{n}"))
    book.add_contract(
        Contract(
            ContractId("K1"),
            CustomerId("C1"),
            (version(ContractLine("L1", ItemCode("SEAT"), quantity=Decimal(3))),),
        )
    )
    book.add_contract(
        Contract(
            ContractId("K2"),
            CustomerId("C2"),
            (version(ContractLine("T", ItemCode("CONSULTING"), ChargeKind.TIME)),),
        )
    )
    book.add_sales_order(
        SalesOrder(
            "SO-1",
            CustomerId("C1"),
            dt.date(2026, 10, 5),
            MXN,
            (
                OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("500.00", "MXN")),
                OrderLine(ItemCode("SEAT"), Decimal(2)),
            ),
            contract_id=ContractId("K1"),
        )
    )
    book.add_sales_order(
        SalesOrder(
            "SO-2",
            CustomerId("C3"),
            dt.date(2026, 10, 5),
            MXN,
            (OrderLine(ItemCode("SEAT"), Decimal(2)),),
            rate_card="std",
        )
    )
    book.import_time(
        [
            TimeEntry(
                id="t1",
                person="ana",
                role="dev",
                date=dt.date(2026, 10, 5),
                hours="2.1",
                approved=True,
            ),
            TimeEntry(
                id="t2",
                person="ana",
                role="dev",
                date=dt.date(2026, 10, 6),
                hours="0.4",
                approved=True,
            ),
        ],
        customer="C2",
        contract="K2",
    )
    result = book.bill_run("2026-10")
    assert result.invoices == 3
    # Unchanged data: nothing to fix (before: the K1 invoice was re-billed without SO-1).
    unchanged = book.rerate(OCT1, dt.date(2026, 12, 31))
    assert unchanged.report.rows == ()
    assert unchanged.report.checked == 3
    assert unchanged.skipped == 0
    book.import_rate_card("std.toml", text=card("90.00", "750"))
    report = book.rerate(OCT1, dt.date(2026, 12, 31)).report
    rows = {str(r.customer_id): r for r in report.rows}
    assert {k: (str(r.old), str(r.new), r.action) for k, r in rows.items()} == {
        "C1": ("1160.00 MXN", "1102.00 MXN", ImpactAction.CREDIT_NOTE),  # 30 + 20 net back
        "C2": ("3016.00 MXN", "2827.50 MXN", ImpactAction.CREDIT_NOTE),  # 3.25 h x 50
        "C3": ("232.00 MXN", "208.80 MXN", ImpactAction.CREDIT_NOTE),
    }
    applied = book.rerate(OCT1, dt.date(2026, 12, 31), apply=True)
    assert len(applied.issued) == 3
    assert book.rerate(OCT1, dt.date(2026, 12, 31)).report.rows == ()
