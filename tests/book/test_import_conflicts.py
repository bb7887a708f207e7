"""A re-sent usage record or time entry with other content under a known id is reported.

The stored record stands (an import never rewrites what may be billed already), but a feed
that reuses ids for new records would otherwise lose usage without a word.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from o2c.book import Book
from o2c.pricing import TimeEntry, UsageRecord
from tests.book.factories import mx_customer

STAMP = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)


def _usage(uid: str, quantity: str, stamp: dt.datetime = STAMP, item: str = "API") -> UsageRecord:
    return UsageRecord(
        id=uid, customer="C1", item=item, quantity=Decimal(quantity), timestamp=stamp
    )


def test_a_usage_record_resent_with_another_quantity_is_a_conflict_not_a_duplicate(
    book: Book,
) -> None:
    book.add_customer(mx_customer("C1"))
    first = book.import_usage([_usage("u-1", "10"), _usage("u-2", "4")])
    assert (first.inserted, first.duplicates, first.conflicts) == (2, 0, ())
    same = book.import_usage([_usage("u-1", "10"), _usage("u-2", "4")])
    assert (same.inserted, same.duplicates, same.conflicts) == (0, 2, ())
    changed = book.import_usage(
        [
            _usage("u-1", "12"),
            _usage("u-2", "4", stamp=STAMP + dt.timedelta(days=1)),
            _usage("u-3", "1"),
        ]
    )
    assert (changed.inserted, changed.duplicates, changed.conflicts) == (1, 2, ("u-1", "u-2"))
    stored = book.store.query("SELECT id, quantity FROM usage_records ORDER BY id")
    assert [(str(i), Decimal(str(q))) for i, q in stored] == [
        ("u-1", Decimal("10")),
        ("u-2", Decimal("4")),
        ("u-3", Decimal("1")),
    ]


def test_the_same_record_in_another_time_zone_is_the_same_record(book: Book) -> None:
    book.add_customer(mx_customer("C1"))
    book.import_usage([_usage("u-1", "10")])
    mexico = STAMP.astimezone(dt.timezone(dt.timedelta(hours=-6)))
    again = book.import_usage([_usage("u-1", "10.0", stamp=mexico)])
    assert (again.duplicates, again.conflicts) == (1, ())


def test_a_time_entry_resent_with_other_hours_is_a_conflict(book: Book) -> None:
    book.add_customer(mx_customer("C1"))
    day = dt.date(2026, 10, 5)
    book.import_time(
        [TimeEntry(id="t-1", person="Ana", role="consultant", date=day, hours=Decimal("2.5"))],
        customer="C1",
    )
    same = book.import_time(
        [TimeEntry(id="t-1", person="Ana", role="consultant", date=day, hours=Decimal("2.50"))],
        customer="C1",
    )
    assert (same.duplicates, same.conflicts) == (1, ())
    changed = book.import_time(
        [TimeEntry(id="t-1", person="Ana", role="consultant", date=day, hours=Decimal("3"))],
        customer="C1",
    )
    assert (changed.inserted, changed.conflicts) == (0, ("t-1",))
