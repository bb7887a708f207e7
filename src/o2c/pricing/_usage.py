"""Usage records and their aggregation per billing period."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from o2c.calendar import Period, local_date
from o2c.errors import ValidationError
from o2c.money import Amount, parse_decimal

__all__ = ["Aggregation", "UsageRecord", "aggregate", "dedupe", "select_usage"]

_ZERO: Final = Decimal(0)


#: Usage happens between these years (UTC); anything else is a typo or a sentinel such as
#: 9999-12-31 that would overflow date arithmetic later.
FIRST_USAGE_YEAR: Final = 1970
LAST_USAGE_YEAR: Final = 2199


def _quantity(value: Amount) -> Decimal:
    quantity = parse_decimal(value, "quantity")
    if quantity < 0:
        raise ValidationError(
            "quantity",
            str(quantity),
            "a quantity of zero or more (correct usage with a credit note)",
        )
    return quantity


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        shown = value.isoformat() if isinstance(value, dt.datetime) else value
        raise ValidationError(attribute.name, shown, "a time-zone aware timestamp")
    try:
        year = value.astimezone(dt.UTC).year
    except OverflowError:
        year = value.year
    if not FIRST_USAGE_YEAR <= year <= LAST_USAGE_YEAR or not (
        FIRST_USAGE_YEAR <= value.year <= LAST_USAGE_YEAR
    ):
        raise ValidationError(
            attribute.name,
            value.isoformat(),
            f"a time between {FIRST_USAGE_YEAR} and {LAST_USAGE_YEAR}",
        )


def _properties(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(slots=True, kw_only=True)
class UsageRecord:
    """One usage event, idempotent by ``id``.

    Attributes:
        id: Source id; a second record with the same id is a duplicate and is ignored.
        customer: Customer id.
        item: Item code.
        quantity: Quantity used.
        timestamp: When it happened (time-zone aware).
        properties: Free properties (``{"region": "eu"}``), e.g. for unique counts.
        received_at: When o2c received it (aware); defaults to ``timestamp``. A record
            received after a run's cut-off belongs to the next run.
    """

    id: str
    customer: str
    item: str
    quantity: Decimal = attrs.field(converter=_quantity)
    timestamp: dt.datetime = attrs.field(validator=_aware)
    properties: Mapping[str, str] = attrs.field(factory=dict, converter=_properties, hash=False)
    received_at: dt.datetime | None = attrs.field(default=None, validator=_aware)

    @property
    def arrived(self) -> dt.datetime:
        """When the record arrived: ``received_at``, else ``timestamp``."""
        return self.received_at or self.timestamp


class Aggregation(enum.Enum):
    """How the usage of a period becomes one quantity."""

    SUM = "sum"
    MAX = "max"
    LAST = "last"
    UNIQUE_COUNT = "unique_count"
    COUNT = "count"

    @classmethod
    def parse(cls, value: str | Aggregation) -> Aggregation:
        """Return the aggregation named ``value``.

        Raises:
            ValidationError: Unknown aggregation.
        """
        if isinstance(value, Aggregation):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(a.value for a in cls)
            raise ValidationError("aggregation", value, f"one of {names}") from None


def dedupe(records: Iterable[UsageRecord]) -> tuple[UsageRecord, ...]:
    """The records without duplicates: the first record of each id is kept."""
    seen: set[str] = set()
    kept = []
    for record in records:
        if record.id not in seen:
            seen.add(record.id)
            kept.append(record)
    return tuple(kept)


def _check_aware(name: str, value: dt.datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValidationError(name, value.isoformat(), "a time-zone aware timestamp")


def select_usage(
    records: Iterable[UsageRecord],
    *,
    period: Period,
    time_zone: str,
    cut_off: dt.datetime,
    previous_cut_off: dt.datetime | None = None,
    customer: str | None = None,
    item: str | None = None,
) -> tuple[UsageRecord, ...]:
    """The records a run for ``period`` bills, without duplicates.

    A record belongs to the period that contains its date in the customer's
    ``time_zone`` (DESIGN.md, lesson 5), if it arrived by the run's ``cut_off``. A record
    that arrived after the cut-off of its own period's run belongs to the next run: pass
    that run's ``previous_cut_off`` to pick up such late records of earlier periods.

    Raises:
        ValidationError: A cut-off is naive.
    """
    _check_aware("cut_off", cut_off)
    _check_aware("previous_cut_off", previous_cut_off)
    chosen = []
    for record in dedupe(records):
        if customer is not None and record.customer != customer:
            continue
        if item is not None and record.item != item:
            continue
        arrived = record.arrived
        if arrived > cut_off:
            continue
        day = local_date(record.timestamp, time_zone)
        late = previous_cut_off is not None and arrived > previous_cut_off
        if day in period or (late and day < period.start):
            chosen.append(record)
    return tuple(chosen)


def aggregate(
    records: Iterable[UsageRecord],
    *,
    period: Period,
    time_zone: str,
    cut_off: dt.datetime,
    how: Aggregation | str = Aggregation.SUM,
    previous_cut_off: dt.datetime | None = None,
    customer: str | None = None,
    item: str | None = None,
    unique_property: str | None = None,
) -> Decimal:
    """Aggregate the usage a run for ``period`` bills into one quantity.

    Records are chosen by :func:`select_usage`. ``SUM`` adds quantities, ``MAX`` takes
    the largest, ``LAST`` the quantity of the latest record by timestamp (ties: the one
    given last), ``COUNT`` counts records and ``UNIQUE_COUNT`` counts distinct values of
    ``unique_property``. No records give 0.

    Raises:
        ValidationError: ``UNIQUE_COUNT`` without ``unique_property``, or a naive cut-off.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import Period
        >>> utc = dt.timezone.utc
        >>> records = [
        ...     UsageRecord(id="u1", customer="c", item="api", quantity=5,
        ...                 timestamp=dt.datetime(2026, 10, 31, 23, 0, tzinfo=utc)),
        ...     UsageRecord(id="u1", customer="c", item="api", quantity=5,
        ...                 timestamp=dt.datetime(2026, 10, 31, 23, 0, tzinfo=utc)),
        ...     UsageRecord(id="u2", customer="c", item="api", quantity=7,
        ...                 timestamp=dt.datetime(2026, 11, 1, 3, 0, tzinfo=utc)),
        ... ]
        >>> aggregate(records, period=Period.month(2026, 10), time_zone="America/Mexico_City",
        ...           cut_off=dt.datetime(2026, 11, 2, tzinfo=utc))
        Decimal('12')
    """
    how = Aggregation.parse(how)
    if how is Aggregation.UNIQUE_COUNT and not unique_property:
        raise ValidationError("unique_property", unique_property, "a property name to count")
    chosen = select_usage(
        records,
        period=period,
        time_zone=time_zone,
        cut_off=cut_off,
        previous_cut_off=previous_cut_off,
        customer=customer,
        item=item,
    )
    if not chosen:
        return _ZERO
    if how is Aggregation.SUM:
        return sum((r.quantity for r in chosen), _ZERO)
    if how is Aggregation.MAX:
        return max(r.quantity for r in chosen)
    if how is Aggregation.COUNT:
        return Decimal(len(chosen))
    if how is Aggregation.LAST:
        latest = chosen[0]
        for record in chosen[1:]:
            if record.timestamp >= latest.timestamp:
                latest = record
        return latest.quantity
    assert unique_property is not None
    values = {r.properties[unique_property] for r in chosen if unique_property in r.properties}
    return Decimal(len(values))
