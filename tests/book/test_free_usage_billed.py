"""Issue 25: usage rated at 0.00 (inside free units) is billed by the invoice that
covered it, so it is neither listed as unbilled forever nor offered to the next run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import Flat, PerUnit, UsageRecord
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer

MX = dt.timezone(dt.timedelta(hours=-6))


def _contract() -> Contract:
    """A 100.00 monthly plan with 1,000 API calls included, then 0.01 per call."""
    lines = (
        ContractLine("P1", ItemCode("PLAN"), model=Flat(price=Decimal("100.00"))),
        ContractLine(
            "U1",
            ItemCode("API"),
            ChargeKind.USAGE,
            model=PerUnit(unit_price=Decimal("0.01"), free_units=Decimal(1000)),
        ),
    )
    version = ContractVersion(
        dt.date(2026, 10, 1),
        lines,
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("MXN"),
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId("K1"), CustomerId("C1"), (version,))


def _record(rid: str, day: int, qty: int, month: int = 10) -> UsageRecord:
    stamp = dt.datetime(2026, month, day, 12, 0, tzinfo=MX)
    return UsageRecord(id=rid, customer="C1", item="API", quantity=Decimal(qty), timestamp=stamp)


def test_free_usage_is_marked_billed_by_the_invoice_that_covered_it(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(_contract())
    book.import_usage([_record("u-1", 5, 300), _record("u-2", 20, 500)])  # 800 < 1,000 free
    result = book.bill_run("2026-10")
    assert result.invoices == 1
    (doc_id,) = result.document_ids
    invoice = book.get_document(doc_id)
    # The usage line is 0.00, so the invoice shows the plan only: 100.00 + 16.00 IVA.
    assert [(str(line.item), str(line.net.amount)) for line in invoice.lines] == [
        ("PLAN", "100.00")
    ]
    assert str(invoice.totals.payable.amount) == "116.00"
    assert book.list_unbilled(period="2026-10") == []
    assert book.list_unbilled(period="2026-11") == []
    # November: 1,200 calls, 200 over the allowance at 0.01 = 2.00. October's 800 free
    # calls are not offered again (they would make it 2,000 calls, 10.00).
    book.import_usage([_record("u-3", 3, 1200, month=11)])
    november = book.bill_run("2026-11")
    (nov_id,) = november.document_ids
    api = [line for line in book.get_document(nov_id).lines if line.item == "API"]
    assert [(str(line.quantity), str(line.net.amount)) for line in api] == [("1200", "2.00")]


def test_free_transactions_of_a_percentage_item_are_billed_by_the_invoice(book: Book) -> None:
    from o2c.pricing import Percentage

    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    contract = _contract()
    version = contract.versions[0]
    fee = ContractLine(
        "U1",
        ItemCode("API"),
        ChargeKind.USAGE,
        model=Percentage(percent="2.9", fixed_fee="0.30", free_transactions=5),
    )
    lines = (version.lines[0], fee)
    book.add_contract(
        Contract(ContractId("K1"), CustomerId("C1"), (attrs.evolve(version, lines=lines),))
    )
    book.import_usage([_record("u-1", 5, 300), _record("u-2", 6, 500), _record("u-3", 7, 40)])
    (doc_id,) = book.bill_run("2026-10").document_ids
    assert [str(line.item) for line in book.get_document(doc_id).lines] == ["PLAN"]
    assert book.list_unbilled(period="2026-10") == []
