"""The Book: the one place with effects. Commands and queries over a store.

See :class:`Book`.
"""

from o2c.book._approvals import ApprovalDecision
from o2c.book._backup import BackupSummary
from o2c.book._base import Clock
from o2c.book._billing import (
    BillRunProgress,
    BillRunResult,
    EventChargeResult,
    ExceptionRecord,
)
from o2c.book._book import Book
from o2c.book._cashapp import CashApplicationResult
from o2c.book._delivery import Delivery
from o2c.book._dunning import DunningRun, LetterDeliveries, SentNotice
from o2c.book._journal import PeriodStatus
from o2c.book._rerate import RerateResult
from o2c.book._revrec import LineSchedule, RecognitionRun
from o2c.book._setup import ImportResult, VoidedRecord

__all__ = [
    "ApprovalDecision",
    "BackupSummary",
    "BillRunProgress",
    "BillRunResult",
    "Book",
    "CashApplicationResult",
    "Clock",
    "Delivery",
    "DunningRun",
    "EventChargeResult",
    "ExceptionRecord",
    "ImportResult",
    "LetterDeliveries",
    "LineSchedule",
    "PeriodStatus",
    "RecognitionRun",
    "RerateResult",
    "SentNotice",
    "VoidedRecord",
]
