"""Bill runs and the exceptions queue: the Book's area group (a facade).

The use cases live in :mod:`o2c.book._bill_run` (the run), :mod:`o2c.book._bill_stages`
(its stages), :mod:`o2c.book._bill_inputs` (what the general planner is fed),
:mod:`o2c.book._exceptions_queue` and :mod:`o2c.book._order_invoicing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from o2c.billing import Document
from o2c.billing.unbilled import Unbilled
from o2c.book import _bill_inputs, _bill_run, _bill_stages, _unbilled
from o2c.book import _exceptions_queue as exceptions_queue
from o2c.book._area import Area
from o2c.book._bill_inputs import time_items as time_items
from o2c.book._bill_run import DEFAULT_BATCH as DEFAULT_BATCH
from o2c.book._bill_run import BillRunProgress as BillRunProgress
from o2c.book._bill_run import BillRunResult as BillRunResult
from o2c.book._exceptions_queue import ExceptionRecord as ExceptionRecord
from o2c.book._order_invoicing import invoice_sales_order
from o2c.book._tables.usage import TIME_ENTRY_COLUMNS as TIME_ENTRY_COLUMNS
from o2c.book._tables.usage import time_entry as time_entry
from o2c.book._usage_events import EventChargeResult as EventChargeResult
from o2c.book._usage_events import charge_usage_events
from o2c.calendar import Period

__all__ = [
    "BillRunProgress",
    "BillRunResult",
    "BillingMixin",
    "EventChargeResult",
    "ExceptionRecord",
]

#: Bill plain contracts in the compact form (tests switch it off to compare the rows).
_COMPACT = True

# Old homes of two bill run helpers (shim: callers move to _bill_stages.decode and
# _bill_inputs.period_keys; tests/perf_equivalence imports them from here).
_decode = _bill_stages.decode
_period_keys = _bill_inputs.period_keys


class BillingMixin(Area):
    """Bill runs and the exceptions queue."""

    def bill_run(
        self,
        period: Period | str,
        *,
        cut_off: dt.date | None = None,
        invoice_date: dt.date | None = None,
        dry_run: bool = False,
        issue: bool = True,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[BillRunProgress], None] | None = None,
        actor: str | None = None,
        workers: int = 1,
    ) -> BillRunResult:
        """Bill every active contract for ``period``.

        Contracts are streamed in batches; each batch is planned by the pure billing
        core, numbered, posted and committed in its own transaction (with one audit
        event), so memory stays flat and a crash loses nothing committed. Each contract
        period has a run key; keys billed before are skipped, so running the same period
        again (or resuming after a crash) bills nothing twice. Candidates that fail
        validation go to the exceptions queue and the run goes on.

        Args:
            period: The run period (``"2026-10"``).
            cut_off: Last day whose usage, time and orders count (the period's last day by
                default).
            invoice_date: Date of the invoices (the cut-off by default).
            dry_run: Plan everything and write nothing.
            issue: Issue (number and post) the invoices; ``False`` leaves drafts.
            batch_size: Contracts per batch and transaction.
            progress: Called after each batch with a :class:`BillRunProgress`.
            actor: Who runs it.
            workers: Processes that plan batches while another batch is written (2 on
                a machine with two cores or more makes a large run about a fifth faster).
                Batches are still written one at a time, in contract order, so numbers,
                entries and the audit trail are the same as with one. Needs a book
                opened from a file or URL (an in-memory book bills in this process);
                the workers stamp rows with the system clock, or with a custom
                clock's time at the start of the run.

        Raises:
            NotFound: The seller's tax profile was not set.
        """
        return _bill_run.bill_run(
            self._session,
            period,
            cut_off=cut_off,
            invoice_date=invoice_date,
            dry_run=dry_run,
            issue=issue,
            batch_size=batch_size,
            progress=progress,
            actor=actor,
            workers=workers,
            compact=_COMPACT,
        )

    def list_unbilled(
        self, *, period: Period | str | None = None, cut_off: dt.date | None = None
    ) -> list[Unbilled]:
        """Every unbilled usage record, time entry and sales order, with why, as a bill
        run for ``period`` (the month of today by default) with ``cut_off`` (the period's
        last day, or today for the current month) leaves them.

        Each is an exception (usage or time for an item none of the customer's
        contracts bills then: a person must act) or pending with why (its billing period
        ends later and the run that bills it is named, it is after the cut-off, not
        approved or not billable, or it waits for its contract period in the exceptions
        queue). See :mod:`o2c.billing.unbilled`.
        """
        return _unbilled.list_unbilled_now(self._session, period, cut_off)

    def invoice_contract_start(
        self,
        contract_id: str,
        *,
        invoice_date: dt.date | None = None,
        actor: str | None = None,
    ) -> BillRunResult:
        """Issue the start invoice of an in-advance contract now (what
        ``add_contract(..., invoice_now=True)`` does).

        The invoice bills the contract's first period (prorated where the contract
        starts inside it, the full period when its cycle is anchored on its start) with
        run key ``"{contract}:{period}:start"``. The run of the period containing the
        start would bill it otherwise; whichever comes first bills it, never both, and
        the run for the first period then bills the next period in advance and the
        first period's usage. Billed already: nothing new (``skipped`` is 1).

        Raises:
            NotFound: No such contract.
            ValidationError: The contract is billed in arrears.
        """
        return _bill_run.invoice_start(
            self._session, contract_id, invoice_date=invoice_date, actor=actor
        )

    def invoice_sales_order(
        self,
        order_id: str,
        *,
        date: dt.date | None = None,
        issue: bool = True,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Invoice one sales order now, instead of waiting for the next bill run.

        Lines without a price are priced from the order's rate card (or its contract's)
        on the order date; the invoice is taxed like a bill run's, has run key
        ``order:<id>``, and the order is marked billed, so no bill run bills it again.

        Args:
            order_id: The sales order.
            date: Invoice (and tax point) date; today by default.
            issue: Issue and post it now; ``False`` stores a draft.
            actor: Who invoices it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            NotFound: No such order.
            InvalidState: The order was billed already.
            ValidationError: A line has no price, or a price in another currency, or the
                invoice fails validation (nothing is stored).
        """
        return invoice_sales_order(
            self._session,
            order_id,
            date=date,
            issue=issue,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def charge_usage_events(
        self,
        *,
        date: dt.date | None = None,
        through: dt.date | None = None,
        each: bool = False,
        customer: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> EventChargeResult:
        """Charge the unbilled usage of items priced per event, and invoice it now.

        Usage of a rate-card item with ``per_event`` is not rated by the bill run: each
        event is charged what the rounded period-to-date amount of its contract period
        grows by when it is added (:func:`o2c.pricing.charge_events`), so the charges of
        a period add up exactly to what the period rating of its events gives. Run it as
        events arrive (``each=True``: an invoice per charged event) or once a day (one
        invoice per contract period). Each event is charged once, whatever is repeated;
        see :mod:`o2c.billing.events` for which contract charges an event.

        Args:
            date: Date of the invoices (their tax point); today by default.
            through: Charge events up to this local date (``date`` by default).
            each: One invoice per charged event (free events before it on it too).
            customer: Only this customer's events.
            actor: Who charges.
            idempotency_key: Repeating the key returns the first result.

        Returns:
            The invoices issued, how many events they bill, and the contract periods
            whose events could not be charged, with why (they stay unbilled).

        Raises:
            NotFound: ``customer`` is not in the book, or the seller is not set.
        """
        return charge_usage_events(
            self._session,
            date=date,
            through=through,
            each=each,
            customer=customer,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_exceptions(
        self, *, status: str | None = "open", bill_run: str | None = None
    ) -> list[ExceptionRecord]:
        """The exceptions queue (open ones by default), oldest first.

        One row per run key and reason: a re-run that meets it again updates when it was
        last seen; the run that bills the run key (or meets another reason for it)
        resolves it. ``status``: ``"open"``, ``"resolved"`` or ``None`` for all;
        ``bill_run``: the rows that run raised or saw last.
        """
        return exceptions_queue.list_exceptions(self._session, status=status, bill_run=bill_run)
