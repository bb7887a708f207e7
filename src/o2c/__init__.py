"""o2c: an embeddable Order-to-Cash billing library.

The names most programs need are here; each subpackage exports the rest:
:mod:`o2c.money`, :mod:`o2c.calendar`, :mod:`o2c.parties`, :mod:`o2c.contracts`,
:mod:`o2c.pricing`, :mod:`o2c.tax`, :mod:`o2c.billing`, :mod:`o2c.ledger`,
:mod:`o2c.cases`, :mod:`o2c.kpi`, :mod:`o2c.book`, :mod:`o2c.store`, :mod:`o2c.io`.

Example:
    >>> import o2c
    >>> with o2c.Book.open(":memory:", actor="ana") as book:
    ...     book.verify_audit()
    ()
    >>> o2c.Money.of("100.00", "USD").split(3)[0]
    Money('33.34', 'USD')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from o2c.book import Book
    from o2c.calendar import BillingCycle, BusinessCalendar, Cycle, PaymentTerms, Period
    from o2c.errors import (
        ApprovalRequired,
        CommandNotPermitted,
        Conflict,
        CurrencyMismatch,
        DuplicateCommand,
        InvalidState,
        InvariantViolation,
        NotFound,
        O2CError,
        PeriodClosed,
        PermissionDenied,
        SegregationOfDuties,
        StoreError,
        ValidationError,
    )
    from o2c.money import Currency, Money, Rounding
    from o2c.pricing import RateCard, parse_ratecard, quote

#: Where each exported name lives. The names load on first use (PEP 562), so
#: ``import o2c.cli`` and ``o2c --version`` do not import the Book and the whole core.
_EXPORTS: Final[dict[str, str]] = {
    "Book": "o2c.book",
    **dict.fromkeys(
        ("BillingCycle", "BusinessCalendar", "Cycle", "PaymentTerms", "Period"),
        "o2c.calendar",
    ),
    **dict.fromkeys(
        (
            "ApprovalRequired",
            "CommandNotPermitted",
            "Conflict",
            "CurrencyMismatch",
            "DuplicateCommand",
            "InvalidState",
            "InvariantViolation",
            "NotFound",
            "O2CError",
            "PeriodClosed",
            "PermissionDenied",
            "SegregationOfDuties",
            "StoreError",
            "ValidationError",
        ),
        "o2c.errors",
    ),
    **dict.fromkeys(("Currency", "Money", "Rounding"), "o2c.money"),
    **dict.fromkeys(("RateCard", "parse_ratecard", "quote"), "o2c.pricing"),
}

__all__ = [
    "ApprovalRequired",
    "BillingCycle",
    "Book",
    "BusinessCalendar",
    "CommandNotPermitted",
    "Conflict",
    "Currency",
    "CurrencyMismatch",
    "Cycle",
    "DuplicateCommand",
    "InvalidState",
    "InvariantViolation",
    "Money",
    "NotFound",
    "O2CError",
    "PaymentTerms",
    "Period",
    "PeriodClosed",
    "PermissionDenied",
    "RateCard",
    "Rounding",
    "SegregationOfDuties",
    "StoreError",
    "ValidationError",
    "parse_ratecard",
    "quote",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'o2c' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
