"""SLA targets per category and priority, in business hours, and what breaches them.

Targets come from book settings (``servicedesk.*``, all optional):

* ``servicedesk.hours = 09:00-18:00``: the desk's working hours (on the book's working
  days, :func:`o2c.cases.calendar_from_settings`, in the book's time zone);
* ``servicedesk.sla.<priority> = 4/24``: first response / resolution, in business hours,
  for every category at that priority;
* ``servicedesk.sla.<category>.<priority> = 1/8``: the same for one category (it wins).

Without settings the targets are :data:`DEFAULT_TARGETS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

import attrs

from o2c.calendar import BusinessCalendar
from o2c.errors import ValidationError
from o2c.servicedesk._hours import BusinessHours, parse_hours
from o2c.servicedesk._inquiry import Inquiry, InquiryCategory, Priority, SlaKind

__all__ = [
    "DEFAULT_TARGETS",
    "SERVICE_DESK_PREFIX",
    "InquirySlaPolicy",
    "SlaTarget",
    "hours_from_settings",
    "sla_breaches",
    "sla_policy_from_settings",
]

#: The prefix of the service desk's book settings.
SERVICE_DESK_PREFIX: Final = "servicedesk."


def _hours(value: Decimal | int | str) -> Decimal:
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError("sla.hours", value, "a number of business hours") from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError("sla.hours", value, "a positive number of business hours")
    return hours


@attrs.frozen(slots=True)
class SlaTarget:
    """How long, in business hours, the first response and the resolution may take.

    Attributes:
        first_response_hours: Business hours from opening to the first response.
        resolution_hours: Business hours from opening to the resolution (at least the
            first response's).
    """

    first_response_hours: Decimal = attrs.field(converter=_hours)
    resolution_hours: Decimal = attrs.field(converter=_hours)

    def __attrs_post_init__(self) -> None:
        if self.resolution_hours < self.first_response_hours:
            raise ValidationError(
                "sla.resolution_hours",
                str(self.resolution_hours),
                f"at least the first response's {self.first_response_hours}",
            )

    @classmethod
    def parse(cls, text: str) -> SlaTarget:
        """``"4/24"``: 4 business hours to respond, 24 to resolve.

        Raises:
            ValidationError: Not two positive numbers joined by ``/``.
        """
        parts = text.split("/")
        if len(parts) != 2:
            raise ValidationError("sla", text, "first-response/resolution hours, e.g. 4/24")
        return cls(Decimal(parts[0].strip() or "0"), Decimal(parts[1].strip() or "0"))

    def __str__(self) -> str:
        return f"{self.first_response_hours}/{self.resolution_hours}"


#: Targets per priority when the book sets none.
DEFAULT_TARGETS: Final[Mapping[Priority, SlaTarget]] = MappingProxyType(
    {
        Priority.URGENT: SlaTarget(1, 8),
        Priority.HIGH: SlaTarget(2, 16),
        Priority.NORMAL: SlaTarget(4, 24),
        Priority.LOW: SlaTarget(8, 40),
    }
)


def _overrides(
    value: tuple[tuple[InquiryCategory, Priority, SlaTarget], ...],
) -> tuple[tuple[InquiryCategory, Priority, SlaTarget], ...]:
    return tuple(sorted(value, key=lambda row: (row[0].value, row[1].value)))


@attrs.frozen(slots=True)
class InquirySlaPolicy:
    """SLA targets per priority, with overrides per category and priority.

    Attributes:
        by_priority: The target of each priority (every priority has one).
        overrides: ``(category, priority, target)`` rows that replace the priority's
            target for one category.

    Example:
        >>> policy = InquirySlaPolicy(
        ...     overrides=((InquiryCategory.TAX, Priority.HIGH, SlaTarget(1, 4)),))
        >>> str(policy.target(InquiryCategory.TAX, Priority.HIGH))
        '1/4'
        >>> str(policy.target(InquiryCategory.DUPLICATE, Priority.HIGH))
        '2/16'
    """

    by_priority: tuple[tuple[Priority, SlaTarget], ...] = tuple(DEFAULT_TARGETS.items())
    overrides: tuple[tuple[InquiryCategory, Priority, SlaTarget], ...] = attrs.field(
        default=(), converter=_overrides
    )

    def __attrs_post_init__(self) -> None:
        missing = set(Priority) - {p for p, _ in self.by_priority}
        if missing:
            raise ValidationError(
                "sla.by_priority", sorted(p.value for p in missing), "a target for every priority"
            )

    def target(self, category: InquiryCategory, priority: Priority) -> SlaTarget:
        """The target of an inquiry of ``category`` at ``priority``."""
        for cat, prio, target in self.overrides:
            if cat is category and prio is priority:
                return target
        return dict(self.by_priority)[priority]

    def due(
        self,
        hours: BusinessHours,
        category: InquiryCategory,
        priority: Priority,
        opened_at: dt.datetime,
    ) -> tuple[dt.datetime, dt.datetime]:
        """When the first response and the resolution are due for an inquiry opened then."""
        target = self.target(category, priority)
        return (
            hours.add(opened_at, _duration(target.first_response_hours)),
            hours.add(opened_at, _duration(target.resolution_hours)),
        )


def _duration(hours: Decimal) -> dt.timedelta:
    # Whole seconds: a target of 0.5 h is 1,800 s.
    return dt.timedelta(seconds=int(hours * 3600))


def sla_policy_from_settings(settings: Mapping[str, str]) -> InquirySlaPolicy:
    """The SLA targets from the ``servicedesk.sla.*`` settings (see the module).

    Raises:
        ValidationError: An unknown category or priority, or a bad target.

    Example:
        >>> p = sla_policy_from_settings(
        ...     {"servicedesk.sla.normal": "3/20", "servicedesk.sla.tax.urgent": "0.5/4"})
        >>> str(p.target(InquiryCategory.OTHER, Priority.NORMAL))
        '3/20'
        >>> str(p.target(InquiryCategory.TAX, Priority.URGENT))
        '0.5/4'
    """
    by_priority = dict(DEFAULT_TARGETS)
    overrides: list[tuple[InquiryCategory, Priority, SlaTarget]] = []
    prefix = SERVICE_DESK_PREFIX + "sla."
    for key in sorted(settings):
        if not key.startswith(prefix):
            continue
        parts = key[len(prefix) :].split(".")
        try:
            if len(parts) == 1:
                by_priority[Priority(parts[0])] = SlaTarget.parse(settings[key])
            elif len(parts) == 2:
                overrides.append(
                    (InquiryCategory(parts[0]), Priority(parts[1]), SlaTarget.parse(settings[key]))
                )
            else:
                raise ValueError(key)
        except ValueError as error:
            if isinstance(error, ValidationError):
                raise ValidationError(key, settings[key], error.expected) from None
            raise ValidationError(
                key, settings[key], "servicedesk.sla.<priority> or .<category>.<priority>"
            ) from None
    return InquirySlaPolicy(tuple(by_priority.items()), tuple(overrides))


def hours_from_settings(
    settings: Mapping[str, str], calendar: BusinessCalendar, *, zone: str = "UTC"
) -> BusinessHours:
    """The desk's :class:`BusinessHours` from ``servicedesk.hours`` (09:00-18:00 when
    unset), on the working days of ``calendar``, in ``zone``.

    Raises:
        ValidationError: A bad ``servicedesk.hours``.
    """
    text = settings.get(SERVICE_DESK_PREFIX + "hours")
    if text is None:
        return BusinessHours(calendar, zone=zone)
    opens, closes = parse_hours(text)
    return BusinessHours(calendar, opens, closes, zone)


def sla_breaches(inquiry: Inquiry, as_of: dt.datetime) -> frozenset[SlaKind]:
    """The SLA clocks ``inquiry`` has breached as of ``as_of``.

    The first response is breached when it came after its due time, or has not come and
    the due time has passed; the resolution likewise, with the (last) resolution.
    """
    breached = set()
    responded = inquiry.first_response_at
    if (responded or as_of) > inquiry.first_response_due:
        breached.add(SlaKind.FIRST_RESPONSE)
    if (inquiry.resolved_at or as_of) > inquiry.resolution_due:
        breached.add(SlaKind.RESOLUTION)
    return frozenset(breached)
