"""Recognition rules: how the revenue of a rate-card item is earned."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from o2c.calendar import Period
from o2c.errors import ValidationError

__all__ = [
    "DEFERRED_REVENUE_ACCOUNT",
    "RecognitionMethod",
    "RecognitionRule",
    "service_period",
]

#: The deferred revenue account (a liability) deferred lines post to.
DEFERRED_REVENUE_ACCOUNT: Final = "2400"


class RecognitionMethod(enum.Enum):
    """When the revenue of an item is earned (IFRS 15 / ASC 606).

    ``AT_ISSUE`` is what a book without a rule does: the revenue posts when the invoice
    is issued and nothing is deferred. The others post the line to deferred revenue:
    ``RATABLE`` recognizes it by day over the service period, month by month;
    ``USAGE`` as the prepaid quantity is consumed; ``MILESTONE`` when someone releases
    it (an amount, on a date).
    """

    AT_ISSUE = "at_issue"
    RATABLE = "ratable"
    USAGE = "usage"
    MILESTONE = "milestone"

    @property
    def defers(self) -> bool:
        """Whether an invoice line of the item posts to deferred revenue."""
        return self is not RecognitionMethod.AT_ISSUE

    @classmethod
    def parse(cls, value: str | RecognitionMethod) -> RecognitionMethod:
        """The method named ``value`` (``"ratable"``, ``"at-issue"``...).

        Raises:
            ValidationError: Not a method.
        """
        if isinstance(value, RecognitionMethod):
            return value
        try:
            return cls(str(value).strip().lower().replace("-", "_"))
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValidationError("method", value, f"one of {names}") from None


def _check_term(instance: RecognitionRule, _attribute: object, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
        raise ValidationError("term_months", value, "a whole number of months from 1 to 600")
    if instance.method is not RecognitionMethod.RATABLE:
        raise ValidationError("term_months", value, "None unless the method is ratable")


def _method(value: str | RecognitionMethod) -> RecognitionMethod:
    return RecognitionMethod.parse(value)


def _check_item(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValidationError("item", value, "an item code")


@attrs.frozen(slots=True)
class RecognitionRule:
    """How an item's invoice lines are recognized.

    Attributes:
        item: The rate-card item code.
        method: When its revenue is earned.
        term_months: For ``RATABLE``: the service term from the issue date, used when a
            line has no service period of its own (a manual invoice for an annual plan).
    """

    item: str = attrs.field(validator=_check_item)
    method: RecognitionMethod = attrs.field(converter=_method)
    term_months: int | None = attrs.field(default=None, validator=_check_term)


def service_period(
    rule: RecognitionRule, line_period: Period | None, issue_date: dt.date
) -> Period:
    """The days a deferred line's revenue is earned over.

    The line's own service period when it has one; else ``term_months`` from the issue
    date; a usage or milestone line without either is earned from its issue date on (one
    day, the earliest it can be released).

    Raises:
        ValidationError: A ratable line has no service period and the rule no term.

    Example:
        >>> rule = RecognitionRule("ANNUAL", "ratable", term_months=12)
        >>> service_period(rule, None, dt.date(2026, 3, 15)).label
        '2026-03-15..2027-03-15'
    """
    if line_period is not None:
        return line_period
    if rule.term_months is not None:
        return Period(issue_date, issue_date + relativedelta(months=rule.term_months))
    if rule.method is RecognitionMethod.RATABLE:
        raise ValidationError(
            "period",
            None,
            f"a service period on the line of item {rule.item}, or a term_months on its "
            "ratable recognition rule",
        )
    return Period(issue_date, issue_date + dt.timedelta(days=1))
