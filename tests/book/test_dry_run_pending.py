"""A dry run lists as pending only what the real run would leave, not what it plans to bill.

It used to list every usage record and time entry of the contracts it planned as pending
("arrived after the run that billed K1:2026-10, or that period was not run yet"), because
a dry run writes nothing and the records still looked unbilled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.book import Book
from o2c.pricing import UsageRecord
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer, usage_line

STAMP = dt.datetime(2026, 10, 15, 18, tzinfo=dt.UTC)


def test_a_dry_run_and_the_run_leave_the_same_records_pending(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customers([mx_customer("C1"), mx_customer("C2")])
    book.add_contract(usage_line("K1", "C1"))
    records = [
        UsageRecord(id="u-1", customer="C1", item="API", quantity=Decimal("10"), timestamp=STAMP),
        UsageRecord(id="u-2", customer="C1", item="API", quantity=Decimal("4"), timestamp=STAMP),
        # C2 has no contract: an exception in both runs, never pending.
        UsageRecord(id="u-3", customer="C2", item="API", quantity=Decimal("1"), timestamp=STAMP),
        # November's record waits for November's run in both.
        UsageRecord(
            id="u-4",
            customer="C1",
            item="API",
            quantity=Decimal("2"),
            timestamp=STAMP + dt.timedelta(days=30),
        ),
    ]
    book.import_usage(records)
    dry = book.bill_run("2026-10", dry_run=True)
    assert dry.document_ids == ("B:K1:2026-10",)
    assert [u.id for u in dry.pending] == []
    real = book.bill_run("2026-10")
    assert [u.id for u in real.pending] == [u.id for u in dry.pending]
    assert book.get_document(real.document_ids[0]).totals.net.amount == Decimal("7.00")
