"""Rate cards: effective-dated price books of items and their price models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from o2c.calendar import Period
from o2c.errors import NotFound, ValidationError
from o2c.ids import ItemCode
from o2c.money import Currency
from o2c.pricing._events import per_event_reason
from o2c.pricing._models import PriceModel

__all__ = ["Item", "RateCard", "RateCardVersion"]


def _currency(value: str | Currency) -> Currency:
    return Currency.of(value)


@attrs.frozen(slots=True, kw_only=True)
class Item:
    """A priced item of a rate card.

    Attributes:
        code: Item code, e.g. ``"api_calls"``.
        name: Name shown on invoices.
        unit: Unit of measure (``"call"``, ``"seat"``, ``"hour"``...).
        tax_category: Tax category code the tax engine uses (EN 16931: ``"S"``...).
        model: The price model.
        description: Optional longer text.
        per_event: Usage of the item is charged per event, as it arrives
            (:func:`o2c.pricing.charge_events`), not rated once per period by the bill
            run; only models whose amount never falls as usage grows.
    """

    code: ItemCode
    name: str
    unit: str
    tax_category: str
    model: PriceModel
    description: str = ""
    per_event: bool = False

    def __attrs_post_init__(self) -> None:
        if self.per_event:
            reason = per_event_reason(self.model)
            if reason is not None:
                raise ValidationError(
                    f"items.{self.code}.per_event", True, "a model charged per event",
                    message=f"item {self.code}: {reason}",
                )  # fmt: skip


def _items(value: Iterable[Item] | Mapping[str, Item]) -> tuple[Item, ...]:
    if isinstance(value, Mapping):
        return tuple(value.values())
    return tuple(value)


@attrs.frozen(slots=True)
class RateCardVersion:
    """The items of a rate card from one date on (until the next version).

    Attributes:
        effective_from: First day this version applies.
        items: The items, each code once.
    """

    effective_from: dt.date
    items: tuple[Item, ...] = attrs.field(converter=_items)
    _index: dict[str, Item] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Item] = {}
        for item in self.items:
            if item.code in index:
                raise ValidationError("items", item.code, "each item code once per version")
            index[item.code] = item
        object.__setattr__(self, "_index", index)

    def get(self, code: str) -> Item | None:
        """The item ``code``, or ``None``."""
        return self._index.get(code)


def _versions(value: Iterable[RateCardVersion]) -> tuple[RateCardVersion, ...]:
    return tuple(sorted(value, key=lambda v: v.effective_from))


@attrs.frozen(slots=True, kw_only=True)
class RateCard:
    """An effective-dated price book in one currency.

    Which version prices a date: the latest version whose ``effective_from`` is on or
    before it. Which version prices a billing period: the one in effect on the period's
    first day, for the whole period (a price change on a date applies from the first
    period that starts on or after that date; it never splits a period).

    Attributes:
        code: Rate card code.
        name: Name for people.
        currency: Currency of every price on the card.
        versions: Versions in order of ``effective_from``.
    """

    code: str
    currency: Currency = attrs.field(converter=_currency)
    versions: tuple[RateCardVersion, ...] = attrs.field(converter=_versions)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise ValidationError("versions", "[]", "at least one version")
        dates = [v.effective_from for v in self.versions]
        if len(set(dates)) != len(dates):
            raise ValidationError(
                "versions", [d.isoformat() for d in dates], "distinct effective_from dates"
            )

    def version_at(self, at: dt.date) -> RateCardVersion:
        """The version in effect on ``at``.

        Raises:
            NotFound: ``at`` is before the first version.
        """
        found: RateCardVersion | None = None
        for version in self.versions:
            if version.effective_from <= at:
                found = version
            else:
                break
        if found is None:
            raise NotFound(
                "rate card version",
                f"{self.code}@{at.isoformat()}",
                hint=f"the card starts {self.versions[0].effective_from.isoformat()}",
            )
        return found

    def price_for(self, item: str, at: dt.date) -> Item:
        """The item ``item`` as priced on ``at``.

        Raises:
            NotFound: No version on ``at``, or the item is not on it.
        """
        found = self.version_at(at).get(item)
        if found is None:
            raise NotFound("item", item, hint=f"not on rate card {self.code} on {at.isoformat()}")
        return found

    def price_for_period(self, item: str, period: Period) -> Item:
        """The item ``item`` as priced for ``period`` (the version on its first day)."""
        return self.price_for(item, period.start)

    @property
    def item_codes(self) -> frozenset[str]:
        """Every item code on any version."""
        return frozenset(i.code for v in self.versions for i in v.items)
