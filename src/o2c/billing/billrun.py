"""The bill run as a pure planner: contracts in, candidate invoices and exceptions out.

:func:`plan_bill_run` takes one batch of contracts, the run period, a cut-off and the
inputs (customers, rate cards, usage aggregates, time entries, sales orders, tax), and
returns a :class:`BillRunPlan`. It writes nothing; the :class:`~o2c.Book` feeds it
batches and stores each batch's candidates in one transaction, and a dry run is just the
plan. A candidate that fails validation becomes a :class:`BillingException` with its
problems, and the run goes on.

Which contract periods a run bills
    A run for period ``R`` bills each contract period ``P`` (by the contract's own cycle
    and anchor) that *ends* inside ``R``: ``R.start < P.end <= R.end``. A monthly run
    bills a quarterly contract only in the quarter's last month.

What goes on the invoice for ``P`` (run key ``"{contract}:{P.label}"``)
    * recurring lines billed **in arrears**: ``P`` as the contract versions say, day by
      day (prorated where a version or the contract starts or ends inside ``P``);
    * recurring lines billed **in advance**: the next period in full, at the version in
      effect on its first day; plus, for ``P`` itself, the corrections the advance
      invoice could not know: a credit for the unused part of the old terms and a charge
      for the new ones from a mid-period change (an upgrade), and a credit for the days
      after a termination. A contract's first period is billed as it is, prorated, on
      the run for that period, or earlier, on a **start invoice** of its own (run key
      ``"{contract}:{P.label}:start"``): by the run whose period contains the contract's
      start when its first period ends after that run's period (a monthly contract
      anchored on its start day, a quarterly one), or at once with
      ``Book.add_contract(..., invoice_now=True)``. The run for the first period then
      settles it like any period billed in advance (changes since, a termination) and
      bills the next period and the first period's usage;
    * usage and time for ``P`` (always in arrears), from the aggregates and entries keyed
      by run key and item;
    * one-time lines of sales orders of the contract delivered on or before the cut-off
      (a contract with nothing to bill in the run sends them on an invoice of their
      own; one in the exceptions queue keeps them until a re-run after the fix);
    * a true-up line when the period's charges of the committed items stay below a
      minimum commitment (prorated to the days covered).

Proration is by days of the whole billing period the piece belongs to (DESIGN.md,
lesson 4). A re-run with the billed run keys in ``already_billed`` plans nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._bill_plan import _order_lines as _order_lines
from o2c.billing._bill_plan import _plan_contract_period, _plan_start
from o2c.billing._bill_run_state import _cycle_periods, _Pending
from o2c.billing._bill_run_state import _NoRate as _NoRate
from o2c.billing._bill_run_state import _Run as _Run
from o2c.billing._bill_run_state import _WrongCurrency as _WrongCurrency
from o2c.billing._documents import (
    Document,
    DocumentKind,
    DocumentStatus,
)
from o2c.billing.lifecycle import draft_document
from o2c.billing.taxing import TaxContext
from o2c.billing.unbilled import Unbilled, contract_pending
from o2c.billing.validation import (
    BillRunPolicy,
    Problem,
    ProblemCode,
    ZeroAmountPolicy,
    validate_invoice,
)
from o2c.calendar import Period
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractVersion,
    SalesOrder,
)
from o2c.errors import O2CError
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding
from o2c.parties import Customer
from o2c.pricing import (
    RateCard,
    TimeEntry,
)

__all__ = [
    "BillRunInputs",
    "BillRunPlan",
    "BillingException",
    "Candidate",
    "Skipped",
    "billing_periods",
    "plan_bill_run",
    "run_key",
    "start_key",
    "start_period",
]

_DEFAULT_POLICY: Final = BillRunPolicy()


def _error_text(error: Exception) -> str:
    """What the exceptions queue says about an error while rating or taxing."""
    if isinstance(error, O2CError):
        return str(error)
    return f"a number out of range while computing the invoice ({type(error).__name__}: {error})"


def run_key(contract_id: str, period: Period) -> str:
    """The idempotency key of billing ``contract_id`` for ``period``.

    Example:
        >>> run_key("K-1", Period.month(2026, 10))
        'K-1:2026-10'
    """
    return f"{contract_id}:{period.label}"


def start_key(contract_id: str, period: Period) -> str:
    """The idempotency key of the start invoice of an in-advance contract whose first
    billing period is ``period``.

    Example:
        >>> import datetime as dt
        >>> start_key("K-1", Period(dt.date(2025, 9, 18), dt.date(2025, 10, 18)))
        'K-1:2025-09-18..2025-10-18:start'
    """
    return f"{contract_id}:{period.label}:start"


def start_period(contract: Contract, run_period: Period | None = None) -> Period | None:
    """The first billing period of an in-advance contract, which a start invoice bills.

    With ``run_period``: only when a run for it bills the start invoice, that is when it
    contains the contract's start and the first period ends after it (a first period
    ending inside the run period is billed by the run's own key, with the next period).
    ``None`` for a contract billed in arrears (it is billed when its period ends).

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle
        >>> from o2c.ids import CustomerId
        >>> start = dt.date(2025, 9, 18)
        >>> v = ContractVersion(start, (), BillingCycle(Cycle.MONTHLY, start),
        ...                     Currency.of("USD"), timing=BillingTiming.ADVANCE)
        >>> k = Contract(ContractId("K"), CustomerId("C"), (v,))
        >>> str(start_period(k, Period.month(2025, 9)))
        '2025-09-18..2025-10-18'
    """
    version = contract.versions[0]
    if version.timing is not BillingTiming.ADVANCE:
        return None
    start = contract.start
    if run_period is not None and not run_period.start <= start < run_period.end:
        return None
    first = version.cycle.period_containing(start)
    if run_period is not None and first.end <= run_period.end:
        return None
    return first if contract.covers(first) is not None else None


def billing_periods(contract: Contract, run_period: Period) -> tuple[Period, ...]:
    """The contract periods a run for ``run_period`` bills: those ending inside it.

    Only periods the contract covers (or, billed in advance, was billed for) count.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle
        >>> from o2c.contracts import ContractVersion
        >>> from o2c.ids import CustomerId
        >>> v = ContractVersion(dt.date(2026, 1, 15), (),
        ...     BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 15)), Currency.of("USD"))
        >>> k = Contract(ContractId("K"), CustomerId("C"), (v,))
        >>> [str(p) for p in billing_periods(k, Period.month(2026, 10))]
        ['2026-09-15..2026-10-15']
    """
    cycle = contract.version_at(run_period.start).cycle
    return tuple(p for p, _ in _cycle_periods(cycle, run_period) if contract.covers(p) is not None)


@attrs.frozen(slots=True, eq=False)
class BillRunInputs:
    """Everything a batch of contracts is billed from, besides the contracts.

    Usage, transactions and time are keyed by ``(run key, item)``; the book aggregates
    usage per contract period (see :func:`billing_periods` and :func:`run_key`) with the
    customer's time zone and the cut-off, ignoring duplicates by source id.

    Attributes:
        customers: Customers of the batch by id.
        rate_cards: Rate cards by code.
        tax: Seller, rate table and regime.
        usage: Aggregated usage quantity per ``(run key, item)``.
        transactions: Transaction amounts per ``(run key, item)`` for percentage models:
            the quantity of each usage record, in the order they occurred (the book
            fills them); without them a key's usage is rated as one transaction.
        time: Time entries per ``(run key, item)`` (only approved billable ones are billed).
        orders: Sales orders of the batch's customers not billed yet.
        policy: Validation rules.
        rounding: The book's rounding mode (line nets, rounding point 1).
    """

    customers: Mapping[CustomerId, Customer]
    rate_cards: Mapping[str, RateCard]
    tax: TaxContext
    usage: Mapping[tuple[str, ItemCode], Decimal] = attrs.field(factory=dict)
    transactions: Mapping[tuple[str, ItemCode], tuple[Decimal, ...]] = attrs.field(factory=dict)
    time: Mapping[tuple[str, ItemCode], tuple[TimeEntry, ...]] = attrs.field(factory=dict)
    orders: Sequence[SalesOrder] = ()
    policy: BillRunPolicy = _DEFAULT_POLICY
    rounding: Rounding = DEFAULT_ROUNDING


@attrs.frozen(slots=True)
class Candidate:
    """A draft invoice the run would create, with the run keys it settles.

    Attributes:
        document: The draft invoice.
        run_keys: Contract-period key first, then keys of sales orders on it.
        usage_items: The items whose period usage the invoice rated, with a line or
            not: usage rated at 0.00 (within free units, say) has no line, yet the
            invoice bills its records too, so they are marked billed by it.
    """

    document: Document
    run_keys: tuple[str, ...]
    usage_items: frozenset[ItemCode] = frozenset()


@attrs.frozen(slots=True)
class BillingException:
    """A candidate the run could not bill, with every reason.

    Attributes:
        run_key: The run key that stays unbilled (a re-run after the fix bills it).
        customer_id: Customer concerned.
        contract_id: Contract concerned, if any.
        problems: What is wrong (at least one).
        draft: The candidate as far as it could be built, for review.
    """

    run_key: str
    customer_id: CustomerId
    contract_id: ContractId | None
    problems: tuple[Problem, ...]
    draft: Document | None = None

    @property
    def reason(self) -> ProblemCode:
        """The first problem's code."""
        return self.problems[0].code

    @property
    def message(self) -> str:
        """All problems, one sentence each."""
        return "; ".join(p.message for p in self.problems)


@attrs.frozen(slots=True)
class Skipped:
    """A run key the run left alone on purpose.

    Attributes:
        run_key: The key.
        reason: Why (``"already billed"``, ``"zero amount"``, ``"nothing to bill"``).
    """

    run_key: str
    reason: str


@attrs.frozen(slots=True)
class BillRunPlan:
    """What a bill run (or one batch of it) would do.

    Attributes:
        period: Run period.
        cut_off: Last date whose records count.
        candidates: Draft invoices to create.
        exceptions: Candidates that failed validation (the exceptions queue).
        skipped: Run keys left alone.
        pending: Contracts with nothing to bill in this run, each with why (its period
            ends later, it starts later...; :func:`o2c.billing.unbilled.contract_pending`).
    """

    period: Period
    cut_off: dt.date
    candidates: tuple[Candidate, ...]
    exceptions: tuple[BillingException, ...]
    skipped: tuple[Skipped, ...] = ()
    pending: tuple[Unbilled, ...] = ()

    @property
    def run_keys(self) -> frozenset[str]:
        """Run keys the candidates settle."""
        return frozenset(k for c in self.candidates for k in c.run_keys)

    @property
    def documents(self) -> tuple[Document, ...]:
        """The draft invoices."""
        return tuple(c.document for c in self.candidates)

    def totals(self) -> dict[Currency, Money]:
        """Payable total of the candidates per currency."""
        out: dict[Currency, Money] = {}
        for c in self.candidates:
            payable = c.document.totals.payable
            prev = out.get(payable.currency)
            out[payable.currency] = payable if prev is None else prev + payable
        return out


def _finish(
    run: _Run,
    *,
    key: str,
    keys: tuple[str, ...],
    pending: list[_Pending],
    customer: Customer,
    contract_id: ContractId | None,
    version: ContractVersion | None,
    currency: Currency,
    period: Period | None,
    po_number: str | None,
    invoice_date: dt.date,
    id_for: Callable[[str], DocumentId],
    candidates: list[Candidate],
    exceptions: list[BillingException],
    skipped: list[Skipped],
    usage_items: frozenset[ItemCode] = frozenset(),
) -> None:
    policy = run.inputs.policy
    if not pending:
        skipped.append(Skipped(key, "nothing to bill"))
        return
    try:
        lines, breakdown, notes, totals = run.tax(pending, customer, invoice_date, currency)
    except (O2CError, ArithmeticError) as exc:
        exceptions.append(
            BillingException(
                key, customer.id, contract_id, (Problem(ProblemCode.TAX_ERROR, _error_text(exc)),)
            )
        )
        return
    terms = (version.payment_terms if version else None) or customer.payment_terms
    who = run.snapshot(customer)
    if version is not None and version.locale and version.locale != who.locale:
        who = attrs.evolve(who, locale=version.locale)
    if totals is None:
        draft = draft_document(
            id_for(key),
            who,
            currency,
            lines,
            breakdown=breakdown,
            tax_point=invoice_date,
            period=period,
            contract_id=contract_id,
            po_number=po_number,
            payment_terms=run.terms_text(terms),
            run_key=key,
            notes=notes,
            explain=run.inputs.tax.explanation(),
        )
    else:
        draft = Document(
            id_for(key),
            DocumentKind.INVOICE,
            DocumentStatus.DRAFT,
            who,
            currency,
            lines,
            totals,
            tax_point=invoice_date,
            period=period,
            contract_id=contract_id,
            po_number=po_number,
            payment_terms=run.terms_text(terms),
            run_key=key,
            notes=notes,
            explain=run.inputs.tax.explanation(),
        )
    problems = validate_invoice(draft, customer, policy)
    if problems:
        exceptions.append(BillingException(key, customer.id, contract_id, problems, draft))
    elif draft.totals.payable.is_zero and policy.zero_amount is ZeroAmountPolicy.SKIP:
        skipped.append(Skipped(key, "zero amount"))
    else:
        candidates.append(Candidate(draft, keys, usage_items))


def _usage_items(
    run: _Run,
    contract: Contract,
    p: Period,
    usage: Mapping[tuple[str, ItemCode], Decimal],
    key: str,
) -> frozenset[ItemCode]:
    """The items of ``contract``'s usage lines in ``p`` with usage under run key ``key``
    that the period invoice rates (not those charged per event)."""
    return frozenset(
        cl.item
        for _piece, version in contract.pieces(p)
        for cl in version.lines
        if cl.kind is ChargeKind.USAGE
        and (key, cl.item) in usage
        and not run.per_event(version.rate_card, cl.item, p.start)
    )


def _default_id(key: str) -> DocumentId:
    return DocumentId(f"draft:{key}")


def plan_bill_run(
    contracts: Iterable[Contract],
    period: Period,
    *,
    cut_off: dt.date,
    inputs: BillRunInputs,
    already_billed: frozenset[str] | set[str] = frozenset(),
    invoice_date: dt.date | None = None,
    id_for: Callable[[str], DocumentId] = _default_id,
    only_start: bool = False,
) -> BillRunPlan:
    """Plan the bill run of one batch of contracts for ``period``.

    Args:
        contracts: The batch (the book streams contracts in batches).
        period: The run period.
        cut_off: Last date whose sales orders are billed (usage and time inputs are
            already cut off by the book).
        inputs: Customers, rate cards, usage, time, orders, tax and policy.
        already_billed: Run keys billed before; they are skipped, so a re-run bills
            nothing twice.
        invoice_date: Date of the invoices and their tax point; the cut-off by default.
        id_for: Draft document id for a run key (``"draft:<key>"`` by default).
        only_start: Plan only the start invoices of the in-advance contracts (their
            first period, whatever ``period`` is; see :func:`start_period`), as
            ``Book.add_contract(..., invoice_now=True)`` does.

    Returns:
        The plan: candidates, exceptions and skipped keys. Nothing is written.
    """
    day = invoice_date or cut_off
    run = _Run(inputs)
    candidates: list[Candidate] = []
    exceptions: list[BillingException] = []
    skipped: list[Skipped] = []
    waiting: list[Unbilled] = []
    orders_by_contract: dict[str, list[SalesOrder]] = {}
    loose_orders: list[SalesOrder] = []
    for order in inputs.orders:
        if order.billable_from > cut_off:
            continue
        if order.contract_id is None:
            loose_orders.append(order)
        else:
            orders_by_contract.setdefault(order.contract_id, []).append(order)
    for contract in contracts:
        customer = inputs.customers.get(contract.customer_id)
        contract_orders = orders_by_contract.pop(contract.id, [])
        # Set when a period of the contract became an exception: its orders wait with it.
        failed = False
        cycle = contract.version_at(period.start).cycle
        # (period, next period, label); a start invoice is (first, first, label).
        work: Sequence[tuple[Period, Period, str]] = (
            () if only_start else run.cycle_periods(cycle, period)
        )
        if only_start or contract.start >= period.start:
            first = start_period(contract, None if only_start else period)
            if first is not None:
                work = [*work, (first, first, f"{first.label}:start")]
        met = False
        for p, nxt, label in work:
            if contract.covers(p) is None:
                continue
            met = True
            key = f"{contract.id}:{label}"
            is_start = nxt is p  # only a start invoice has no next period of its own
            if key in already_billed or (is_start and f"{contract.id}:{p.label}" in already_billed):
                skipped.append(Skipped(key, "already billed"))
                continue
            if customer is None:
                failed = True
                exceptions.append(
                    BillingException(
                        key,
                        contract.customer_id,
                        contract.id,
                        (
                            Problem(
                                ProblemCode.UNKNOWN_CUSTOMER,
                                f"customer {contract.customer_id} of contract {contract.id} "
                                "was not found",
                            ),
                        ),
                    )
                )
                continue
            version = contract.version_at(max(p.start, contract.start))
            keys = [key]
            try:
                if is_start:
                    pending = _plan_start(run, contract, p)
                else:
                    pending = _plan_contract_period(
                        run,
                        contract,
                        p,
                        nxt,
                        key,
                        start_billed=bool(already_billed) and f"{key}:start" in already_billed,
                    )
                if contract_orders:
                    for order in contract_orders:
                        if order.run_key in already_billed:
                            skipped.append(Skipped(order.run_key, "already billed"))
                            continue
                        if order.currency != version.currency:
                            raise _WrongCurrency(
                                f"order {order.id} is in {order.currency}, contract "
                                f"{contract.id} in {version.currency}"
                            )
                        pending.extend(_order_lines(run, order, version))
                        keys.append(order.run_key)
                    contract_orders = []
            except _NoRate as exc:
                failed = True
                exceptions.append(
                    BillingException(
                        key, customer.id, contract.id, (Problem(ProblemCode.NO_RATE, str(exc)),)
                    )
                )
                continue
            except _WrongCurrency as exc:
                failed = True
                exceptions.append(
                    BillingException(
                        key,
                        customer.id,
                        contract.id,
                        (Problem(ProblemCode.CURRENCY_MISMATCH, str(exc)),),
                    )
                )
                continue
            except (O2CError, ArithmeticError) as exc:
                # ArithmeticError: numbers beyond what Decimal or the store can hold (a
                # quantity times a price overflowing); one contract's input, not the run's.
                failed = True
                exceptions.append(
                    BillingException(
                        key,
                        customer.id,
                        contract.id,
                        (Problem(ProblemCode.RATING_ERROR, _error_text(exc)),),
                    )
                )
                continue
            _finish(
                run,
                key=key,
                keys=tuple(keys),
                pending=pending,
                customer=customer,
                contract_id=contract.id,
                version=version,
                currency=version.currency,
                period=p,
                po_number=version.po_number,
                invoice_date=day,
                id_for=id_for,
                candidates=candidates,
                exceptions=exceptions,
                skipped=skipped,
                usage_items=frozenset()
                if is_start
                else _usage_items(run, contract, p, inputs.usage, key),
            )
        if not met and not only_start:
            waiting.append(contract_pending(contract, period))
        # Orders of a contract with nothing to bill in this run go out on their own;
        # those of a contract in the exceptions queue wait for it (a re-run after the
        # fix bills them on the contract's invoice, with its rate card and PO).
        if not failed:
            loose_orders.extend(contract_orders)
    for order in loose_orders:
        key = order.run_key
        if key in already_billed:
            skipped.append(Skipped(key, "already billed"))
            continue
        customer = inputs.customers.get(order.customer_id)
        if customer is None:
            exceptions.append(
                BillingException(
                    key,
                    order.customer_id,
                    None,
                    (
                        Problem(
                            ProblemCode.UNKNOWN_CUSTOMER,
                            f"customer {order.customer_id} of order {order.id} was not found",
                        ),
                    ),
                )
            )
            continue
        try:
            pending = _order_lines(run, order, None)
        except _NoRate as exc:
            exceptions.append(
                BillingException(key, customer.id, None, (Problem(ProblemCode.NO_RATE, str(exc)),))
            )
            continue
        except _WrongCurrency as exc:
            exceptions.append(
                BillingException(
                    key, customer.id, None, (Problem(ProblemCode.CURRENCY_MISMATCH, str(exc)),)
                )
            )
            continue
        _finish(
            run,
            key=key,
            keys=(key,),
            pending=pending,
            customer=customer,
            contract_id=None,
            version=None,
            currency=order.currency,
            period=None,
            po_number=order.po_number,
            invoice_date=day,
            id_for=id_for,
            candidates=candidates,
            exceptions=exceptions,
            skipped=skipped,
        )
    return BillRunPlan(
        period, cut_off, tuple(candidates), tuple(exceptions), tuple(skipped), tuple(waiting)
    )
