"""The exceptions queue: bill run candidates that could not be billed, kept for review.

:func:`queue_entry` is the one mapping from the planner's
:class:`~o2c.billing.BillingException` (whose problems come from
:func:`o2c.billing.run_problems.problem_of`) to what the queue keeps and the bill run
reports; :func:`record_exceptions` stores entries and :func:`list_exceptions` reads
them back the same.

The queue holds one row per run key (a contract period, or a sales order) and reason
(:func:`o2c.billing.run_problems.queue_transitions` decides what a run changes):

* a run that meets an open (run key, reason) again updates when it was last seen and by
  which run, and adds nothing;
* a run that bills the run key resolves its open rows (``resolved_at``, and the run in
  ``resolved_by_run``);
* a run that meets the run key with another reason resolves the old reason's row and
  opens one for the new reason (the first was fixed; something else stops it now).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from o2c.billing.billrun import BillingException
from o2c.billing.run_problems import queue_transitions
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
        message: Every problem, one sentence each (the latest run's words).
        status: ``"open"`` or ``"resolved"`` (``"open"`` for a run's own report).
        bill_run_id: The run that first raised it (read from the queue).
        raised_at: When that was.
        last_run_id: The run that saw it last.
        last_seen_at: When that was.
        resolved_at: When a run billed the run key or found another reason for it.
        resolved_by_run: That run.
    """

    run_key: str
    customer_id: str
    contract_id: str | None
    code: str
    message: str
    status: str = "open"
    bill_run_id: str | None = None
    raised_at: dt.datetime | None = None
    last_run_id: str | None = None
    last_seen_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolved_by_run: str | None = None


def queue_entry(exc: BillingException) -> ExceptionRecord:
    """What the exceptions queue keeps of a candidate the planner could not bill."""
    return ExceptionRecord(
        exc.run_key, exc.customer_id, exc.contract_id, exc.reason.value, exc.message
    )


def record_exceptions(session: Session, run_id: str, entries: Sequence[ExceptionRecord]) -> None:
    """Bring the queue up to date with a batch of bill run ``run_id`` (in the caller's
    transaction, after the batch's run keys were recorded as billed).

    Resolves the open rows of run keys billed since, opens ``entries`` not yet open,
    marks those open again as seen by this run, and resolves the open rows of the
    entries' run keys whose reason no longer stops them.
    """
    store = session.store
    now = session.now().isoformat()
    runs_table.resolve_billed_exceptions(store, now=now)
    if not entries:
        return
    open_rows = runs_table.open_exceptions(store, sorted({e.run_key for e in entries}))
    changes = queue_transitions(open_rows, [(e.run_key, e.code) for e in entries])
    by_pair = {(e.run_key, e.code): e for e in entries}
    if changes.resolved:
        runs_table.resolve_exceptions(store, run_id, changes.resolved, now=now)
    if changes.seen:
        runs_table.seen_again(
            store,
            run_id,
            [
                (row_id, f"{key}: {by_pair[(key, code)].message}")
                for (key, code), row_id in changes.seen
            ],
            now=now,
        )
    if changes.opened:
        runs_table.insert_exceptions(
            store,
            run_id,
            [
                (e.run_key, e.contract_id, e.customer_id, e.code, e.message)
                for e in (by_pair[pair] for pair in changes.opened)
            ],
            now=now,
        )


def list_exceptions(
    session: Session, *, status: str | None = "open", bill_run: str | None = None
) -> list[ExceptionRecord]:
    """The exceptions queue (open ones by default), oldest first; ``bill_run``: the rows
    that run raised or saw last."""
    return [
        ExceptionRecord(**row._asdict())
        for row in runs_table.exception_rows(session.store, status=status, bill_run=bill_run)
    ]
