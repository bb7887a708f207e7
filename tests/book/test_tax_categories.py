"""A rate-card item's tax category, and a customer's tax exemption, reach the tax engine
on every path that bills the item.

Found as a billing team would: items marked ``Z`` (zero-rated food) and ``E`` (exempt
education) on the rate card were billed 16 % IVA by the bill run (both its general and
its compact form) and on sales-order invoices. Each test bills one item of each category
on one path and checks the tax, the line's category and the tax accounts posted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from o2c.billing import Document, ManualLine, TaxContext, manual_invoice
from o2c.billing._compact import CompactPlanner
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import (
    BillingTiming,
    Contract,
    ContractLine,
    ContractVersion,
    OrderLine,
    SalesOrder,
)
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.parties import TaxExemption
from o2c.pricing import PerUnit
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer

MXN = Currency.of("MXN")
OCT_1 = dt.date(2026, 10, 1)
OCT_31 = dt.date(2026, 10, 31)

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

#: (category, item, quantity, unit price, net, tax, the posting of the invoice).
CASES = [
    pytest.param(
        "S",
        "SEAT",
        "2",
        "100.00",
        "200.00",
        "32.00",  # 200.00 x 16 %
        {"1100": "232.00", "4000": "-200.00", "2300-MX-IVA": "-32.00"},
        id="standard",
    ),
    pytest.param(
        "Z",
        "TORTILLAS",
        "10",
        "25.00",
        "250.00",
        "0.00",
        {"1100": "250.00", "4000": "-250.00"},
        id="zero-rated",
    ),
    pytest.param(
        "E",
        "COURSE",
        "1",
        "1000.00",
        "1000.00",
        "0.00",
        {"1100": "1000.00", "4000": "-1000.00"},
        id="exempt",
    ),
]

Billed = Callable[[Book, str, str, str, bool], Document]


@pytest.fixture
def mx_book(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("mx.toml", text=RATE_CARD)
    book.add_customer(mx_customer("C1"))
    exempt = attrs.evolve(mx_customer("C2"), tax_exemption=TaxExemption("Art. 15 LIVA", "CERT-9"))
    book.add_customer(exempt)
    return book


def _contract(item: str, quantity: str, price: str | None, customer: str) -> Contract:
    """A plain monthly contract of one recurring line on rate card ``mx`` (priced by the
    card when ``price`` is None, which the compact form does not take)."""
    model = None if price is None else PerUnit(unit_price=Decimal(price))
    version = ContractVersion(
        dt.date(2026, 9, 1),
        (ContractLine("L1", ItemCode(item), quantity=Decimal(quantity), model=model),),
        BillingCycle(Cycle.MONTHLY, OCT_1),
        MXN,
        rate_card="mx",
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId("K1"), CustomerId(customer), (version,))


def _bill_run(book: Book) -> Document:
    result = book.bill_run("2026-10")
    assert result.exceptions == (), result.exceptions
    [doc_id] = result.document_ids
    return book.get_document(doc_id)


def bill_run_general(book: Book, item: str, quantity: str, price: str, exempt: bool) -> Document:
    book.add_contract(_contract(item, quantity, None, "C2" if exempt else "C1"))
    return _bill_run(book)


def bill_run_compact(book: Book, item: str, quantity: str, price: str, exempt: bool) -> Document:
    book.add_contract(_contract(item, quantity, price, "C2" if exempt else "C1"))
    return _bill_run(book)


def _order(item: str, quantity: str, customer: str) -> SalesOrder:
    return SalesOrder(
        "SO-1",
        CustomerId(customer),
        dt.date(2026, 10, 5),
        MXN,
        (OrderLine(ItemCode(item), Decimal(quantity)),),
        rate_card="mx",
    )


def sales_order_now(book: Book, item: str, quantity: str, price: str, exempt: bool) -> Document:
    book.add_sales_order(_order(item, quantity, "C2" if exempt else "C1"))
    return book.invoice_sales_order("SO-1", date=OCT_31)


def sales_order_in_bill_run(
    book: Book, item: str, quantity: str, price: str, exempt: bool
) -> Document:
    book.add_sales_order(_order(item, quantity, "C2" if exempt else "C1"))
    return _bill_run(book)


def sales_order_with_a_price(
    book: Book, item: str, quantity: str, price: str, exempt: bool
) -> Document:
    order = _order(item, quantity, "C2" if exempt else "C1")
    priced = (OrderLine(ItemCode(item), Decimal(quantity), Money.of(price, MXN)),)
    book.add_sales_order(attrs.evolve(order, lines=priced))
    return book.invoice_sales_order("SO-1", date=OCT_31)


def manual(book: Book, item: str, quantity: str, price: str, exempt: bool) -> Document:
    draft = manual_invoice(
        book.new_document_id(),
        book.get_customer("C2" if exempt else "C1"),
        [ManualLine(ItemCode(item), Decimal(quantity))],
        tax=TaxContext(book.seller(), book.tax_table()),
        tax_point=OCT_31,
        rate_card=book.get_rate_card("mx"),
    )
    return book.create_invoice(draft, issue_date=OCT_31)


PATHS = [
    pytest.param(bill_run_general, id="bill-run-general"),
    pytest.param(bill_run_compact, id="bill-run-compact"),
    pytest.param(sales_order_now, id="sales-order"),
    pytest.param(sales_order_with_a_price, id="sales-order-priced"),
    pytest.param(sales_order_in_bill_run, id="sales-order-in-bill-run"),
    pytest.param(manual, id="manual"),
]


def _posted(book: Book, doc: Document) -> dict[str, str]:
    [entry] = book.journal(source=doc.id)
    totals: dict[str, Decimal] = {}
    for line in entry.lines:
        totals[line.account] = totals.get(line.account, Decimal(0)) + line.amount.amount
    return {account: str(amount) for account, amount in totals.items()}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("category", "item", "quantity", "price", "net", "tax", "posted"), CASES)
def test_an_items_tax_category_applies_on_every_path(
    mx_book: Book,
    path: Billed,
    category: str,
    item: str,
    quantity: str,
    price: str,
    net: str,
    tax: str,
    posted: dict[str, str],
) -> None:
    doc = path(mx_book, item, quantity, price, False)
    [line] = doc.lines
    assert str(line.net) == f"{net} MXN"
    assert [t.category for t in line.taxes] == [category]
    assert str(line.tax) == f"{tax} MXN"
    assert str(doc.totals.tax) == f"{tax} MXN"
    assert [(b.category, str(b.amount)) for b in doc.totals.breakdown] == [(category, f"{tax} MXN")]
    assert _posted(mx_book, doc) == posted


@pytest.mark.parametrize("path", PATHS)
def test_a_customers_tax_exemption_applies_on_every_path(mx_book: Book, path: Billed) -> None:
    doc = path(mx_book, "SEAT", "2", "100.00", True)
    [line] = doc.lines
    assert str(line.net) == "200.00 MXN"
    assert [(t.category, str(t.amount)) for t in line.taxes] == [("E", "0.00 MXN")]
    assert str(doc.totals.tax) == "0.00 MXN"
    assert any("Tax exempt customer: Art. 15 LIVA (certificate CERT-9)" in n for n in doc.notes)
    assert _posted(mx_book, doc) == {"1100": "200.00", "4000": "-200.00"}


def _compact_reasons(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []
    plan = CompactPlanner.plan_or_reason

    def spy(self: CompactPlanner, data: Any, customer: Any, doc_prefix: str = "B:") -> Any:
        outcome = plan(self, data, customer, doc_prefix)
        seen.append(outcome if isinstance(outcome, str) else "compact")
        return outcome

    monkeypatch.setattr(CompactPlanner, "plan_or_reason", spy)
    return seen


def test_the_compact_form_bills_a_standard_item_itself(
    mx_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _compact_reasons(monkeypatch)
    bill_run_compact(mx_book, "SEAT", "2", "100.00", False)
    assert seen == ["compact"]


@pytest.mark.parametrize(("item", "category"), [("TORTILLAS", "Z"), ("COURSE", "E")])
def test_the_compact_form_leaves_an_item_of_another_tax_category_to_the_general_planner(
    mx_book: Book, monkeypatch: pytest.MonkeyPatch, item: str, category: str
) -> None:
    seen = _compact_reasons(monkeypatch)
    doc = bill_run_compact(mx_book, item, "1", "10.00", False)
    assert seen == [f"an item of tax category {category} on the rate card"]
    assert str(doc.totals.tax) == "0.00 MXN"


def test_a_line_tax_code_overrides_the_items_category_in_the_bill_run(mx_book: Book) -> None:
    contract = _contract("TORTILLAS", "4", None, "C1")
    [line] = contract.versions[0].lines
    version = attrs.evolve(contract.versions[0], lines=(attrs.evolve(line, tax_code="services"),))
    mx_book.add_contract(attrs.evolve(contract, versions=(version,)))
    doc = _bill_run(mx_book)
    assert str(doc.totals.tax) == "16.00 MXN"  # 100.00 x 16 %


@pytest.mark.parametrize("path", PATHS)
def test_the_tax_breakdown_prints_the_tax_tables_label_on_every_path(
    mx_book: Book, path: Billed
) -> None:
    # The customer's document names the tax "IVA" (the table's label), never the table
    # code "MX-IVA-16": the compact form and the general fast path dropped the label.
    doc = path(mx_book, "SEAT", "2", "100.00", False)
    assert [(b.code, b.label) for b in doc.totals.breakdown] == [("MX-IVA-16", "IVA")]
