"""Usage: duplicates ignored, local-time periods, cut-off, aggregations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.pricing import Aggregation, UsageRecord, aggregate, dedupe, select_usage

UTC = dt.UTC
OCTOBER = Period.month(2026, 10)
NOVEMBER = Period.month(2026, 11)
MX = "America/Mexico_City"
CUT_OCT = dt.datetime(2026, 11, 2, tzinfo=UTC)
CUT_NOV = dt.datetime(2026, 12, 2, tzinfo=UTC)


def rec(
    rid: str,
    when: dt.datetime,
    quantity: str = "1",
    *,
    received: dt.datetime | None = None,
    customer: str = "c1",
    item: str = "api",
    **props: str,
) -> UsageRecord:
    return UsageRecord(
        id=rid,
        customer=customer,
        item=item,
        quantity=quantity,
        timestamp=when,
        properties=props,
        received_at=received,
    )


def test_duplicate_usage_ids_are_billed_once() -> None:
    when = dt.datetime(2026, 10, 10, tzinfo=UTC)
    records = [rec("u1", when, "5"), rec("u1", when, "5"), rec("u2", when, "2")]
    assert len(dedupe(records)) == 2
    total = aggregate(records, period=OCTOBER, time_zone=MX, cut_off=CUT_OCT)
    assert total == Decimal(7)


def test_usage_is_bucketed_by_the_customers_local_date() -> None:
    # 05:30 UTC on Nov 1 is 23:30 on Oct 31 in Mexico City (UTC-6): October.
    late_evening = rec("u1", dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    assert select_usage([late_evening], period=OCTOBER, time_zone=MX, cut_off=CUT_OCT)
    assert not select_usage([late_evening], period=OCTOBER, time_zone="UTC", cut_off=CUT_OCT)


def test_usage_after_the_cut_off_belongs_to_the_next_run() -> None:
    october_use = rec(
        "u1",
        dt.datetime(2026, 10, 30, tzinfo=UTC),
        "4",
        received=dt.datetime(2026, 11, 3, tzinfo=UTC),
    )
    assert aggregate([october_use], period=OCTOBER, time_zone=MX, cut_off=CUT_OCT) == 0
    november_run = aggregate(
        [october_use], period=NOVEMBER, time_zone=MX, cut_off=CUT_NOV, previous_cut_off=CUT_OCT
    )
    assert november_run == Decimal(4)
    # Billed by the October run already: not picked up again in November.
    on_time = rec("u2", dt.datetime(2026, 10, 30, tzinfo=UTC), "4")
    again = aggregate(
        [on_time], period=NOVEMBER, time_zone=MX, cut_off=CUT_NOV, previous_cut_off=CUT_OCT
    )
    assert again == 0


def test_aggregations_sum_max_last_count_and_unique_count() -> None:
    base = dt.datetime(2026, 10, 10, tzinfo=UTC)
    records = [
        rec("a", base, "3", user="x"),
        rec("b", base + dt.timedelta(hours=2), "9", user="y"),
        rec("c", base + dt.timedelta(hours=1), "4", user="x"),
    ]

    def agg(how: Aggregation) -> Decimal:
        return aggregate(
            records, period=OCTOBER, time_zone=MX, cut_off=CUT_OCT, how=how, unique_property="user"
        )

    assert agg(Aggregation.SUM) == 16
    assert agg(Aggregation.MAX) == 9
    assert agg(Aggregation.LAST) == 9  # latest by timestamp, not by arrival order
    assert agg(Aggregation.COUNT) == 3
    assert agg(Aggregation.UNIQUE_COUNT) == 2


def test_filters_by_customer_and_item() -> None:
    when = dt.datetime(2026, 10, 10, tzinfo=UTC)
    records = [
        rec("a", when, "1"),
        rec("b", when, "2", customer="c2"),
        rec("c", when, "4", item="sms"),
    ]
    total = aggregate(
        records, period=OCTOBER, time_zone=MX, cut_off=CUT_OCT, customer="c1", item="api"
    )
    assert total == 1


def test_naive_timestamps_are_rejected() -> None:
    with pytest.raises(ValidationError, match="timestamp"):
        rec("u", dt.datetime(2026, 10, 1))
    with pytest.raises(ValidationError, match="cut_off"):
        aggregate([], period=OCTOBER, time_zone=MX, cut_off=dt.datetime(2026, 11, 2))


def test_unique_count_needs_a_property_and_unknown_aggregations_fail() -> None:
    with pytest.raises(ValidationError, match="unique_property"):
        aggregate([], period=OCTOBER, time_zone=MX, cut_off=CUT_OCT, how="unique_count")
    with pytest.raises(ValidationError, match="aggregation"):
        Aggregation.parse("median")


def test_usage_properties_cannot_be_changed_after_the_fact() -> None:
    record = rec("u", dt.datetime(2026, 10, 1, tzinfo=UTC), user="x")
    with pytest.raises(TypeError):
        record.properties["user"] = "y"  # type: ignore[index]
