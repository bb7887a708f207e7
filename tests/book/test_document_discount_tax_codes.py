"""Issue 25: a document discount over exempt lines, end to end on a book: the bill run
posts IVA on the standard share only, a credit note reverses exactly those accounts, and
re-rating finds nothing to fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import Discount, DiscountKind
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer
from tests.book.test_tax_categories import RATE_CARD


def _posted(book: Book, source: str) -> dict[str, str]:
    [entry] = book.journal(source=source)
    totals: dict[str, Decimal] = {}
    for line in entry.lines:
        totals[line.account] = totals.get(line.account, Decimal(0)) + line.amount.amount
    return {account: str(amount) for account, amount in totals.items()}


def test_document_discount_on_exempt_lines_posts_iva_on_the_standard_share_only(
    book: Book,
) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("mx.toml", text=RATE_CARD)
    book.add_customer(mx_customer("C1"))
    lines = (
        ContractLine("L1", ItemCode("SEAT"), quantity=Decimal(10)),  # 1,000.00, IVA 16 %
        ContractLine("L2", ItemCode("COURSE"), quantity=Decimal(1)),  # 1,000.00, exempt
    )
    version = ContractVersion(
        dt.date(2026, 9, 1),
        lines,
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("MXN"),
        rate_card="mx",
        timing=BillingTiming.ARREARS,
        discounts=(Discount(name="launch", kind=DiscountKind.PERCENT, value=10),),
    )
    book.add_contract(Contract(ContractId("K1"), CustomerId("C1"), (version,)))
    result = book.bill_run("2026-10")
    assert result.exceptions == ()
    [doc_id] = result.document_ids
    invoice = book.get_document(doc_id)
    assert [(line.tax_code, str(line.net.amount)) for line in invoice.lines] == [
        ("", "1000.00"),
        ("E", "1000.00"),
        ("", "-100.00"),
        ("E", "-100.00"),
    ]
    assert [
        (b.category, str(b.base.amount), str(b.amount.amount)) for b in invoice.totals.breakdown
    ] == [
        ("S", "900.00", "144.00"),
        ("E", "900.00", "0.00"),
    ]
    assert _posted(book, doc_id) == {
        "1100": "1944.00",
        "4000": "-1800.00",
        "2300-MX-IVA": "-144.00",
    }
    # Re-rating with the same data proposes nothing.
    impact = book.rerate(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert (impact.report.rows, impact.report.checked, impact.skipped) == ((), 1, 0)
    # A full credit reverses exactly what the invoice posted.
    note = book.create_credit_note(doc_id, reason="goodwill", date=dt.date(2026, 11, 5))
    assert str(note.totals.tax) == "144.00 MXN"  # a credit note states what it credits
    assert _posted(book, note.id) == {
        "1100": "-1944.00",
        "4000": "1800.00",
        "2300-MX-IVA": "144.00",
    }


def test_the_start_invoice_issued_at_once_splits_its_discount_per_tax_code(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("mx.toml", text=RATE_CARD)
    book.add_customer(mx_customer("C1"))
    start = dt.date(2026, 10, 18)
    version = ContractVersion(
        start,
        (
            ContractLine("L1", ItemCode("SEAT"), quantity=Decimal(5)),  # 500.00, IVA 16 %
            ContractLine("L2", ItemCode("TORTILLAS"), quantity=Decimal(20)),  # 500.00, Z
        ),
        BillingCycle(Cycle.MONTHLY, start),
        Currency.of("MXN"),
        rate_card="mx",
        timing=BillingTiming.ADVANCE,
        discounts=(Discount(name="welcome", kind=DiscountKind.FIXED, value="50.00"),),
    )
    book.add_contract(Contract(ContractId("K1"), CustomerId("C1"), (version,)), invoice_now=True)
    (doc,) = [d for d in book.list_documents() if d.run_key and d.run_key.endswith(":start")]
    assert [(line.tax_code, str(line.net.amount)) for line in doc.lines] == [
        ("", "500.00"),
        ("Z", "500.00"),
        ("", "-25.00"),
        ("Z", "-25.00"),
    ]
    assert str(doc.totals.tax) == "76.00 MXN"  # 16 % of 475.00, not of 450.00
    assert str(doc.totals.payable) == "1026.00 MXN"
