"""Revenue recognition: recognition rules per item and the schedules of deferred lines.

Pure rules (no I/O, no clock): :class:`RecognitionRule` says how an item's revenue is
earned; :func:`ratable_schedule` plans a line recognized by day over its service period
(one rounding point, the last month takes the remainder); :func:`apply_credit` is the
credit-note rule (the unrecognized part first, latest months first);
:func:`due_recognitions` is what a run recognizes; :func:`rollforward` and
:func:`waterfall` are the reports. The Book (``Book.revrec_run`` and friends) stores the
schedules and posts the entries.

Example:
    >>> import datetime as dt
    >>> from o2c.calendar import Period
    >>> from o2c.money import Money
    >>> plan = ratable_schedule(Money.of("1200.00", "USD"),
    ...     Period(dt.date(2026, 3, 15), dt.date(2027, 3, 15)))
    >>> len(plan), str(sum((s.amount for s in plan), Money.zero("USD")))
    (13, '1200.00 USD')
"""

from o2c.revrec._reports import (
    DeferredFlow,
    FlowKind,
    RollForwardRow,
    WaterfallRow,
    rollforward,
    waterfall,
)
from o2c.revrec._rules import (
    DEFERRED_REVENUE_ACCOUNT,
    RecognitionMethod,
    RecognitionRule,
    service_period,
)
from o2c.revrec._schedule import (
    LineBalances,
    Movement,
    MovementKind,
    ScheduledAmount,
    apply_credit,
    due_recognitions,
    earned_through,
    line_balances,
    month_of,
    ratable_schedule,
    release,
    remaining_by_month,
    usage_release,
)

__all__ = [
    "DEFERRED_REVENUE_ACCOUNT",
    "DeferredFlow",
    "FlowKind",
    "LineBalances",
    "Movement",
    "MovementKind",
    "RecognitionMethod",
    "RecognitionRule",
    "RollForwardRow",
    "ScheduledAmount",
    "WaterfallRow",
    "apply_credit",
    "due_recognitions",
    "earned_through",
    "line_balances",
    "month_of",
    "ratable_schedule",
    "release",
    "remaining_by_month",
    "rollforward",
    "service_period",
    "usage_release",
    "waterfall",
]
