"""Bill runs through the Book: batches, idempotent re-runs, dry runs, exceptions, usage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import DocumentStatus
from o2c.book import BillRunProgress, Book, _billing
from o2c.contracts import OrderLine, SalesOrder
from o2c.errors import InvalidState, PeriodClosed, ValidationError
from o2c.ids import CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import UsageRecord
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import monthly_contract, mx_customer, usage_line

OCT = "2026-10"


@pytest.fixture
def billing(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    for cid in ("C1", "C2"):
        book.add_customer(mx_customer(cid))
    book.add_customer(mx_customer("C3", address=False))
    book.add_contract(
        monthly_contract("K1", "C1", (("SEAT", "3", "100.00"), ("API", "2", "0.125")))
    )
    book.add_contract(monthly_contract("K2", "C2", (("SEAT", "1", "100.00"),), tiered=True))
    book.add_contract(monthly_contract("K3", "C3", (("SEAT", "1", "100.00"),)))
    return book


def test_bill_run_issues_posts_and_queues_exceptions(billing: Book) -> None:
    seen: list[BillRunProgress] = []
    result = billing.bill_run(OCT, batch_size=2, progress=seen.append)
    assert result.invoices == 2
    assert [e.contract_id for e in result.exceptions] == ["K3"]
    assert [p.contracts_done for p in seen] == [2, 3]
    first = billing.get_document(result.document_ids[0])
    assert first.status is DocumentStatus.ISSUED
    assert first.number == "INV-2026-000001"
    # 3 x 100.00 + 2 x 0.125 = 300.25 net; IVA per line: 48.00 + 0.04 = 48.04
    assert first.totals.net == Money.of("300.25", "MXN")
    assert first.totals.tax == Money.of("48.04", "MXN")
    assert first.issue_date == dt.date(2026, 10, 31)
    assert billing.trial_balance(dt.date(2026, 10, 31)).is_balanced
    assert [e.contract_id for e in billing.list_exceptions()] == ["K3"]


def test_repeated_bill_run_creates_nothing(billing: Book) -> None:
    billing.bill_run(OCT)
    docs = len(billing.list_documents())
    entries = len(billing.journal())
    again = billing.bill_run(OCT)
    assert again.invoices == 0
    assert again.skipped == 2
    assert len(billing.list_documents()) == docs
    assert len(billing.journal()) == entries


def test_dry_run_plans_everything_and_writes_nothing(billing: Book) -> None:
    audit = len(billing.audit_log())
    preview = billing.bill_run(OCT, dry_run=True)
    assert preview.invoices == 2
    assert preview.totals["MXN"] == Money.of("348.29", "MXN") + Money.of("116.00", "MXN")
    assert billing.list_documents() == []
    assert len(billing.audit_log()) == audit


def test_draft_bill_run_leaves_unnumbered_drafts(billing: Book) -> None:
    result = billing.bill_run(OCT, issue=False)
    docs = [billing.get_document(d) for d in result.document_ids]
    assert {d.status for d in docs} == {DocumentStatus.DRAFT}
    assert billing.journal() == []


def test_usage_is_billed_once_and_duplicates_are_ignored(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1"))
    stamp = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)
    records = [
        _usage("u-1", "10", stamp),
        _usage("u-2", "5", stamp),
        _usage("u-1", "10", stamp),
        # Nov 1, 03:00 UTC is still Oct 31 in Mexico City: October usage.
        _usage("u-3", "2", dt.datetime(2026, 11, 1, 3, tzinfo=dt.UTC)),
    ]
    imported = book.import_usage(records)
    assert (imported.inserted, imported.duplicates) == (3, 1)
    result = book.bill_run(OCT)
    [doc] = [book.get_document(d) for d in result.document_ids]
    assert doc.lines[0].quantity == Decimal("17")
    assert doc.totals.net == Money.of("8.50", "MXN")


def _usage(uid: str, quantity: str, stamp: dt.datetime) -> UsageRecord:
    return UsageRecord(
        id=uid, customer="C1", item="API", quantity=Decimal(quantity), timestamp=stamp
    )


def test_sales_orders_are_billed_once_on_their_own_invoice(billing: Book) -> None:
    order = SalesOrder(
        "SO-1",
        CustomerId("C1"),
        dt.date(2026, 10, 5),
        Currency.of("MXN"),
        (OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("500.00", "MXN")),),
    )
    billing.add_sales_order(order)
    first = billing.bill_run(OCT)
    docs = [billing.get_document(d) for d in first.document_ids]
    [on_order] = [d for d in docs if d.run_key == "order:SO-1"]
    assert on_order.totals.net == Money.of("500.00", "MXN")
    assert billing.get_sales_order("SO-1").invoice_id == on_order.id
    assert billing.bill_run(OCT).invoices == 0


def test_book_rounding_mode_decides_line_nets(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(monthly_contract("K1", "C1", (("API", "1", "0.125"),)))
    assert book.set_rounding("half_even").name == "HALF_EVEN"
    [doc_id] = book.bill_run(OCT).document_ids
    # 0.125 rounds to 0.12 half-even (0.13 half-up).
    assert book.get_document(doc_id).totals.net == Money.of("0.12", "MXN")


def test_bill_run_interrupted_between_batches_resumes_without_gaps_or_doubles(
    billing: Book,
) -> None:
    class Crash(Exception):
        pass

    def crash_after_first_batch(tick: BillRunProgress) -> None:
        raise Crash

    with pytest.raises(Crash):
        billing.bill_run(OCT, batch_size=1, progress=crash_after_first_batch)
    assert [d.number for d in billing.list_documents()] == ["INV-2026-000001"]
    resumed = billing.bill_run(OCT, batch_size=1)
    assert resumed.invoices == 1
    numbers = sorted(str(d.number) for d in billing.list_documents())
    assert numbers == ["INV-2026-000001", "INV-2026-000002"]


@pytest.mark.parametrize("batch_size", [1, 10])
def test_usage_without_a_contract_is_billed_on_one_contract_only(
    book: Book, batch_size: int
) -> None:
    # C1 has two contracts that both bill API usage. A record imported without a
    # contract belongs to one of them (the lowest contract id), never to both; a record
    # imported for K2 goes to K2 only. The batch size must not change that.
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1"))
    book.add_contract(usage_line("K2", "C1"))
    stamp = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)
    book.import_usage([_usage("u-1", "10", stamp)])
    book.import_usage([_usage("u-2", "4", stamp)], contract="K2")
    result = book.bill_run(OCT, batch_size=batch_size)
    docs = {str(d.contract_id): d for d in (book.get_document(i) for i in result.document_ids)}
    assert docs["K1"].lines[0].quantity == Decimal("10")
    assert docs["K1"].totals.net == Money.of("5.00", "MXN")
    assert docs["K2"].lines[0].quantity == Decimal("4")
    assert docs["K2"].totals.net == Money.of("2.00", "MXN")
    billed = sum(line.quantity for d in docs.values() for line in d.lines)
    assert billed == Decimal("14")


@pytest.mark.parametrize("compact", [True, False])
def test_a_month_closed_during_a_bill_run_refuses_the_rest(
    billing: Book, compact: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The controller closes October after the first batch: the batches after it may not
    # post into the closed month, whichever planner bills them.
    monkeypatch.setattr(_billing, "_COMPACT", compact)
    billing.add_contract(monthly_contract("K4", "C2", (("SEAT", "2", "50.00"),)))

    def close_october(progress: BillRunProgress) -> None:
        if progress.contracts_done == 1:
            billing.close_period(OCT, actor="controller")

    with pytest.raises(PeriodClosed):
        billing.bill_run(OCT, batch_size=1, progress=close_october)
    assert [d.contract_id for d in billing.list_documents()] == ["K1"]
    assert billing.trial_balance(dt.date(2026, 10, 31)).is_balanced


def _usage_book(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1"))
    return book


def _billed_by(book: Book) -> dict[str, str | None]:
    return {
        str(rid): None if doc is None else str(doc)
        for rid, doc in book._store.query("SELECT id, document_id FROM usage_records")
    }


def test_billed_usage_records_name_their_invoice_and_rerating_changes_nothing(
    book: Book,
) -> None:
    _usage_book(book)
    book.import_usage(
        [_usage("u-1", "10", dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)),
         _usage("u-2", "5", dt.datetime(2026, 10, 16, 12, tzinfo=dt.UTC))]
    )  # fmt: skip
    [invoice] = book.bill_run(OCT, issue=True).document_ids
    assert _billed_by(book) == {"u-1": invoice, "u-2": invoice}
    # Nothing changed since: re-rating October finds all 15 units again, no difference.
    report = book.rerate(dt.date(2026, 10, 1), dt.date(2026, 11, 30)).report
    assert (report.checked, report.rows) == (1, ())


def test_usage_that_arrives_after_its_period_was_billed_goes_on_the_next_invoice(
    book: Book, clock: FakeClock
) -> None:
    _usage_book(book)
    book.import_usage([_usage("u-1", "10", dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC))])
    clock.advance(days=31)
    [october] = book.bill_run(OCT, issue=True).document_ids
    assert book.get_document(october).totals.net == Money.of("5.00", "MXN")
    clock.advance(days=2)
    # An October record the source system sent late, and a November one.
    book.import_usage(
        [_usage("u-late", "4", dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC)),
         _usage("u-nov", "6", dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC))]
    )  # fmt: skip
    assert book.bill_run(OCT).document_ids == ()  # October is not billed twice
    clock.advance(days=30)
    [november] = book.bill_run("2026-11", issue=True).document_ids
    doc = book.get_document(november)
    assert doc.lines[0].quantity == Decimal("10")  # 6 of November + 4 late of October
    assert doc.totals.net == Money.of("5.00", "MXN")
    assert _billed_by(book) == {"u-1": october, "u-late": november, "u-nov": november}


def test_usage_after_the_cut_off_goes_on_the_next_invoice(book: Book, clock: FakeClock) -> None:
    _usage_book(book)
    book.import_usage(
        [_usage("u-1", "10", dt.datetime(2026, 10, 15, 18, tzinfo=dt.UTC)),
         _usage("u-2", "8", dt.datetime(2026, 10, 29, 18, tzinfo=dt.UTC))]
    )  # fmt: skip
    [october] = book.bill_run(OCT, cut_off=dt.date(2026, 10, 25)).document_ids
    assert book.get_document(october).lines[0].quantity == Decimal("10")
    clock.advance(days=40)
    [november] = book.bill_run("2026-11").document_ids
    assert book.get_document(november).lines[0].quantity == Decimal("8")
    assert _billed_by(book) == {"u-1": october, "u-2": november}


def test_usage_of_a_period_not_billed_yet_waits_for_that_periods_run(
    book: Book, clock: FakeClock
) -> None:
    _usage_book(book)
    book.import_usage(
        [_usage("u-oct", "10", dt.datetime(2026, 10, 15, 18, tzinfo=dt.UTC)),
         _usage("u-nov", "2", dt.datetime(2026, 11, 15, 18, tzinfo=dt.UTC))]
    )  # fmt: skip
    clock.advance(days=70)
    [november] = book.bill_run("2026-11").document_ids  # October was not run yet
    assert book.get_document(november).lines[0].quantity == Decimal("2")
    [october] = book.bill_run(OCT).document_ids
    assert book.get_document(october).lines[0].quantity == Decimal("10")
    assert _billed_by(book) == {"u-oct": october, "u-nov": november}


def test_a_sales_order_invoiced_now_is_not_billed_again_by_the_run(billing: Book) -> None:
    # 1 setup at 500.00 + 2 training days at 125.50, priced on the order: 751.00 + 16 % IVA.
    order = SalesOrder(
        "SO-7",
        CustomerId("C1"),
        dt.date(2026, 10, 5),
        Currency.of("MXN"),
        (OrderLine(ItemCode("SETUP"), Decimal(1), Money.of("500.00", "MXN")),
         OrderLine(ItemCode("TRAINING"), Decimal(2), Money.of("125.50", "MXN"))),
        contract_id=None,
    )  # fmt: skip
    billing.add_sales_order(order)
    invoice = billing.invoice_sales_order("SO-7", date=dt.date(2026, 10, 6))
    assert invoice.status is DocumentStatus.ISSUED
    assert invoice.run_key == "order:SO-7"
    assert (str(invoice.totals.net), str(invoice.totals.tax)) == ("751.00 MXN", "120.16 MXN")
    assert invoice.lines[1].explain == ("order SO-7: 2 × 125.50 = 251.00",)
    assert billing.get_sales_order("SO-7").invoice_id == invoice.id
    run = billing.bill_run(OCT)
    assert all(billing.get_document(d).run_key != "order:SO-7" for d in run.document_ids)
    with pytest.raises(InvalidState, match=f"SO-7 was billed on {invoice.number}"):
        billing.invoice_sales_order("SO-7")


def test_a_sales_order_without_a_price_and_no_card_changes_nothing(billing: Book) -> None:
    order = SalesOrder(
        "SO-8",
        CustomerId("C1"),
        dt.date(2026, 10, 5),
        Currency.of("MXN"),
        (OrderLine(ItemCode("MYSTERY"), Decimal(1)),),
    )
    billing.add_sales_order(order)
    before = len(billing.list_documents())
    with pytest.raises(ValidationError, match="SO-8"):
        billing.invoice_sales_order("SO-8")
    assert len(billing.list_documents()) == before
    assert billing.get_sales_order("SO-8").invoice_id is None
