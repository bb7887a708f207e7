"""The exceptions queue: bill run candidates that could not be billed, kept for review.

:func:`queue_entry` is the one mapping from the planner's
:class:`~o2c.billing.BillingException` (whose problems come from
:func:`o2c.billing.run_problems.problem_of`) to what the queue keeps and the bill run
reports; :func:`record_exceptions` stores entries and :func:`list_exceptions` reads
them back the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from o2c.billing.billrun import BillingException
from o2c.book._session import Session
from o2c.book._tables import runs as runs_table

__all__ = ["ExceptionRecord", "list_exceptions", "queue_entry", "record_exceptions"]


@attrs.frozen(slots=True)
class ExceptionRecord:
    """A bill run candidate that could not be billed, as the queue keeps it.

    Attributes:
        run_key: The contract-period key that stays unbilled.
        customer_id: The customer.
        contract_id: The contract.
        code: The first problem's code.
        message: Every problem, one sentence each.
    """

    run_key: str
    customer_id: str
    contract_id: str | None
    code: str
    message: str


def queue_entry(exc: BillingException) -> ExceptionRecord:
    """What the exceptions queue keeps of a candidate the planner could not bill."""
    return ExceptionRecord(
        exc.run_key, exc.customer_id, exc.contract_id, exc.reason.value, exc.message
    )


def record_exceptions(session: Session, run_id: str, entries: Sequence[ExceptionRecord]) -> None:
    """Put ``entries`` of bill run ``run_id`` in the queue, open (in the caller's
    transaction)."""
    if entries:
        runs_table.insert_exceptions(
            session.store,
            run_id,
            [(e.run_key, e.contract_id, e.customer_id, e.code, e.message) for e in entries],
            now=session.now().isoformat(),
        )


def list_exceptions(
    session: Session, *, status: str | None = "open", bill_run: str | None = None
) -> list[ExceptionRecord]:
    """The exceptions queue (open ones by default), oldest first."""
    return [
        ExceptionRecord(key, customer, contract, code, message)
        for key, contract, customer, code, message in runs_table.exception_rows(
            session.store, status=status, bill_run=bill_run
        )
    ]
