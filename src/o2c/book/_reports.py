"""Reports as of any date: aging, open items with cases, balances, trial balance, statements.

Each report is one function ``(session, ...) -> value`` that reads through the tables
layer (``o2c.book._tables.reports``) and builds the ledger's values; the
:class:`ReportsMixin` facade calls them.

Aging and statements know the cases: each open item gets its disputed part (active
disputes as of the date) and its effective due date (active extensions), so aging shows
disputed amounts apart and ages extended items from their new date, while the original
due date stays on the item. ``cases=False`` gives the ledger's own figures.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from collections.abc import Mapping, Sequence

import attrs

from o2c.book._area import Area
from o2c.book._codec import MoneyMaker
from o2c.book._disputes import disputed_amounts
from o2c.book._exports import export_rows
from o2c.book._extensions import extended_due_dates_on
from o2c.book._journal import credit_items, journal, open_items
from o2c.book._session import Session
from o2c.book._tables import reports as reports_table
from o2c.errors import NotFound, ValidationError
from o2c.ids import AccountCode, CustomerId, DocumentId
from o2c.ledger import OpenItem
from o2c.ledger.aging import (
    DEFAULT_BUCKETS,
    AgingBasis,
    AgingBucket,
    AgingReport,
    AgingRow,
    buckets_from_bounds,
)
from o2c.ledger.reconcile import ReconciliationReport, reconcile
from o2c.ledger.statements import Statement, statement
from o2c.ledger.views import CustomerBalance, TrialBalance, TrialBalanceRow
from o2c.money import Currency, Money
from o2c.store import Row

__all__ = [
    "ReportsMixin",
    "aging",
    "balances",
    "ledger_aging",
    "open_items_with_cases",
    "reconcile_book",
    "shift_for_cases",
    "statement_of",
    "table_names",
    "trial_balance",
]


def _check_buckets(buckets: Sequence[AgingBucket]) -> tuple[AgingBucket, ...]:
    result = tuple(buckets)
    if not result or result[0].low is not None or result[-1].high is not None:
        raise ValidationError(
            "buckets", [b.label for b in result], "contiguous buckets from unbounded to unbounded"
        )
    for left, right in itertools.pairwise(result):
        if left.high is None or right.low != left.high + 1:
            raise ValidationError("buckets", [b.label for b in result], "contiguous buckets")
    return result


def _bucket_list(buckets: Sequence[AgingBucket] | Sequence[int]) -> tuple[AgingBucket, ...]:
    if buckets and isinstance(next(iter(buckets)), int):
        return buckets_from_bounds([int(b) for b in buckets])  # type: ignore[arg-type]
    return _check_buckets(buckets)  # type: ignore[arg-type]


# -- aging ---------------------------------------------------------------------------------


def ledger_aging(
    session: Session,
    day: dt.date,
    bucket_list: tuple[AgingBucket, ...],
    basis: AgingBasis,
    customer: str | None = None,
) -> AgingReport:
    """The ledger's aging as of ``day``, in one SQL scan over the AR lines (no cases).

    The figures equal :func:`o2c.ledger.aging_report` over the same journal: each AR line
    carries its item's due date and date, so a line's bucket is known without grouping
    by item, and the buckets of a customer sum to their AR sub-ledger.
    """
    chart = session.chart
    bounds = [
        (day - dt.timedelta(days=b.high)).isoformat()
        for b in bucket_list[:-1]
        if b.high is not None
    ]
    width = len(bucket_list)
    amounts = reports_table.aging_sums(
        session.store,
        receivable=chart.receivable.code,
        as_of=day,
        column="item_due" if basis is AgingBasis.DUE_DATE else "item_date",
        bounds=bounds,
        width=width,
        customer=customer,
    )
    unapplied = {
        (code, cust): total
        for (cust, code), total in reports_table.unapplied_totals(
            session.store, unapplied=chart.unapplied.code, as_of=day, customer=customer
        ).items()
    }
    # Keys are (currency, customer): the report's row order.
    make = MoneyMaker()
    result_rows = []
    totals: dict[str, tuple[list[int], int]] = {}
    for key in sorted(amounts.keys() | unapplied.keys()):
        values = amounts.get(key, [0] * width)
        credit = unapplied.get(key, 0)
        if not any(values) and not credit:
            continue
        cur = make.currency(key[0])
        result_rows.append(
            AgingRow(
                CustomerId(key[1]),
                cur,
                tuple([make.money(v, cur) for v in values]),
                make.money(0, cur),
                make.money(credit, cur),
            )
        )
        so_far, credit_sum = totals.get(key[0], ([0] * width, 0))
        totals[key[0]] = (
            [a + b for a, b in zip(so_far, values, strict=True)],
            credit_sum + credit,
        )
    total_rows = tuple(
        AgingRow(
            None,
            make.currency(code),
            tuple(make.money(v, make.currency(code)) for v in column_sums),
            make.money(0, make.currency(code)),
            make.money(credit_sum, make.currency(code)),
        )
        for code, (column_sums, credit_sum) in sorted(totals.items())
    )
    return AgingReport(day, basis, bucket_list, tuple(result_rows), total_rows)


def shift_for_cases(
    base: AgingReport,
    items: Sequence[reports_table.CaseItem],
    disputed: Mapping[DocumentId, Money],
    extended: Mapping[DocumentId, dt.date],
) -> AgingReport:
    """``base`` with the items under cases moved: extended ones, disputed parts apart.

    An extended item moves to the bucket of its extended due date (on the due-date
    basis), its disputed part (at most what is open) to the disputed column. Only the
    few ``items`` under an active case move; the rest of ``base`` stays as it is.
    """
    day = base.as_of
    by_due = base.basis is AgingBasis.DUE_DATE
    width = len(base.buckets)
    bounds = [(b.low, b.high) for b in base.buckets]
    slot: dict[int, int] = {}

    def bucket(days: int) -> int:
        if days not in slot:
            slot[days] = next(
                n
                for n, (low, high) in enumerate(bounds)
                if (low is None or days >= low) and (high is None or days <= high)
            )
        return slot[days]

    # Moves in integer minor units per (customer, currency): the buckets' deltas, then
    # the disputed part, added to the SQL aging's rows at the end.
    moves: dict[tuple[str, str], list[int]] = {}
    for doc, cust, code, open_minor, doc_date, due_date in items:
        part = disputed.get(DocumentId(doc))
        later = extended.get(DocumentId(doc)) if by_due else None
        if part is None and later is None:
            continue
        start = due_date if by_due else doc_date
        aside = 0 if part is None else max(0, min(part.minor_units, open_minor))
        delta = moves.setdefault((cust, code), [0] * (width + 1))
        delta[bucket((day - start).days)] -= open_minor
        delta[bucket((day - (later or start)).days)] += open_minor - aside
        delta[width] += aside
    if not moves:
        return base
    make = MoneyMaker()

    def shifted(row: AgingRow, delta: list[int]) -> AgingRow:
        cur = row.currency
        return attrs.evolve(
            row,
            buckets=tuple(
                b + make.money(d, cur) if d else b
                for b, d in zip(row.buckets, delta[:width], strict=True)
            ),
            disputed=row.disputed + make.money(delta[width], cur),
        )

    def empty(cust: str | None, code: str) -> AgingRow:
        cur = make.currency(code)
        zero = make.money(0, cur)
        return AgingRow(
            None if cust is None else CustomerId(cust), cur, (zero,) * width, zero, zero
        )

    rows = {(str(r.customer), r.currency.code): r for r in base.rows}
    totals = {t.currency.code: t for t in base.totals}
    by_currency: dict[str, list[int]] = {}
    for (cust, code), delta in moves.items():
        rows[(cust, code)] = shifted(rows.get((cust, code)) or empty(cust, code), delta)
        summed = by_currency.setdefault(code, [0] * (width + 1))
        for n, d in enumerate(delta):
            summed[n] += d
    for code, delta in by_currency.items():
        totals[code] = shifted(totals.get(code) or empty(None, code), delta)
    # Keys are (customer, currency); the report is sorted by currency, then customer.
    order = sorted(rows, key=lambda k: (k[1], k[0])) if len(rows) > len(base.rows) else None
    return attrs.evolve(
        base,
        rows=tuple(rows[(str(r.customer), r.currency.code)] for r in base.rows)
        if order is None
        else tuple(rows[k] for k in order),
        totals=tuple(totals[code] for code in sorted(totals)),
    )


def aging(
    session: Session,
    as_of: dt.date | None = None,
    *,
    buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
    basis: AgingBasis | str = AgingBasis.DUE_DATE,
    customer: str | None = None,
    cases: bool = True,
) -> AgingReport:
    """Age the open items as of a date; see :meth:`ReportsMixin.aging`."""
    day = as_of or session.today()
    bucket_list = _bucket_list(buckets)
    how = AgingBasis(basis) if isinstance(basis, str) else basis
    base = ledger_aging(session, day, bucket_list, how, customer)
    if not cases:
        return base
    disputed = disputed_amounts(session, day, customer=customer)
    by_due = how is AgingBasis.DUE_DATE
    extended = extended_due_dates_on(session, day, customer=customer) if by_due else {}
    if not disputed and not extended:
        return base
    items = reports_table.case_items(
        session.store, receivable=session.chart.receivable.code, as_of=day, customer=customer
    )
    return shift_for_cases(base, items, disputed, extended)


def open_items_with_cases(
    session: Session, as_of: dt.date | None = None, *, customer: str | None = None
) -> list[OpenItem]:
    """Open items as of a date with their disputed part and extended due date."""
    day = as_of or session.today()
    disputed = disputed_amounts(session, day, customer=customer)
    extended = extended_due_dates_on(session, day, customer=customer)
    items = []
    for item in open_items(session, as_of=day, customer=customer):
        part = disputed.get(item.document_id)
        items.append(
            attrs.evolve(
                item,
                disputed=None if part is None else part.min(item.open),
                extended_due=extended.get(item.document_id),
            )
        )
    return items


# -- balances and statements -----------------------------------------------------------------


def balances(
    session: Session, as_of: dt.date | None = None, *, customer: str | None = None
) -> list[CustomerBalance]:
    """Each customer's receivable and unapplied credit per currency; see the facade."""
    day = as_of or session.today()
    figures: dict[tuple[str, str], list[int]] = {}
    for key, total in reports_table.receivable_totals(
        session.store, receivable=session.chart.receivable.code, as_of=day, customer=customer
    ).items():
        figures.setdefault(key, [0, 0])[0] = total
    for key, total in reports_table.unapplied_totals(
        session.store,
        unapplied=session.chart.unapplied.code,
        as_of=day,
        customer=customer,
        named_only=True,
    ).items():
        figures.setdefault(key, [0, 0])[1] = total
    result = []
    make = MoneyMaker()
    for (cust, code), (recv, cred) in sorted(figures.items()):
        if not recv and not cred:
            continue
        cur = make.currency(code)
        result.append(
            CustomerBalance(CustomerId(cust), cur, make.money(recv, cur), make.money(cred, cur))
        )
    return result


def trial_balance(session: Session, as_of: dt.date | None = None) -> TrialBalance:
    """Every account's balance per currency as of a date (zero rows left out)."""
    day = as_of or session.today()
    result = []
    for code, account, total in reports_table.trial_balance_rows(session.store, day):
        if not total:
            continue
        cur = Currency.of(code)
        try:
            known = session.chart.account(account)
            name, kind = known.name, known.kind
        except LookupError:
            name, kind = account, None
        result.append(
            TrialBalanceRow(AccountCode(account), name, kind, cur, Money.from_minor(total, cur))
        )
    return TrialBalance(day, tuple(result))


def statement_of(
    session: Session,
    customer: str,
    start: dt.date,
    end: dt.date,
    *,
    currency: Currency | str | None = None,
    cases: bool = True,
) -> Statement:
    """A customer's statement for ``start..end``; see :meth:`ReportsMixin.statement`."""
    if currency is None:
        currency = reports_table.customer_currency(session.store, customer)
        if currency is None:
            raise NotFound("customer", customer)
    cur = Currency.of(currency)
    entries = journal(session, as_of=end, customer=customer)
    stated = statement(entries, CustomerId(customer), cur, start, end, chart=session.chart)
    if not cases or not stated.open_items:
        return stated
    items = {i.document_id: i for i in open_items_with_cases(session, end, customer=customer)}
    return attrs.evolve(
        stated,
        open_items=tuple(items.get(i.document_id, i) for i in stated.open_items),
    )


def reconcile_book(session: Session, as_of: dt.date | None = None) -> ReconciliationReport:
    """Reconcile AR control to the sub-ledgers and to the SQL open items; see the facade."""
    day = as_of or session.today()
    with session.store.transaction(write=False):
        entries = journal(session, as_of=day)
        items = open_items(session, as_of=day)
        credits = credit_items(session, as_of=day)
    return reconcile(entries, day, items=items, credits=credits, chart=session.chart)


# -- tables as stored ------------------------------------------------------------------------


def table_names(session: Session) -> list[str]:
    """The book's tables and views, sorted."""
    return reports_table.table_names(session.store)


class ReportsMixin(Area):
    """Aging, open items with cases, balances, trial balance, statements, reconciliation."""

    def aging(
        self,
        as_of: dt.date | None = None,
        *,
        buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
        basis: AgingBasis | str = AgingBasis.DUE_DATE,
        customer: str | None = None,
        cases: bool = True,
    ) -> AgingReport:
        """Age the open items as of a date: disputed amounts apart, extensions honoured.

        Built on one SQL scan over the AR lines (it scales to millions of open items);
        the buckets plus the disputed column of a customer add up to its AR sub-ledger as
        of the date, and the unapplied column holds its unapplied cash and credit.

        With ``cases`` (the default) only the few items under an active dispute or
        extension as of the date are then moved: an extended item to the bucket of its
        extended due date (on the due-date basis; the original due date stays on the
        item, see :meth:`open_items_with_cases`), its disputed part (at most what is
        open) to the disputed column. The figures equal :func:`o2c.ledger.aging` over
        :meth:`open_items_with_cases`.

        Args:
            as_of: The aging date (today by default); later entries are ignored.
            buckets: Buckets, or upper bounds in days such as ``(30, 60, 90)``.
            basis: Count days from the due date or from the document date.
            customer: Only this customer.
            cases: ``False`` gives the plain ledger aging (every open amount by its own
                due date, disputed column zero): the figures of
                :func:`o2c.ledger.aging_report` over the journal, for reconciliation.
        """
        return aging(
            self._session, as_of, buckets=buckets, basis=basis, customer=customer, cases=cases
        )

    def aging_with_cases(
        self,
        as_of: dt.date | None = None,
        *,
        buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
        basis: AgingBasis | str = AgingBasis.DUE_DATE,
        customer: str | None = None,
    ) -> AgingReport:
        """The same as :meth:`aging` (kept for callers written before aging knew cases).

        .. deprecated:: 0.2
           Call :meth:`aging`, which shows the cases by default.
        """
        warnings.warn(
            "Book.aging_with_cases is deprecated; call Book.aging (case-aware by default)",
            DeprecationWarning,
            stacklevel=2,
        )
        return aging(self._session, as_of, buckets=buckets, basis=basis, customer=customer)

    def open_items_with_cases(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> list[OpenItem]:
        """Open items as of a date with their disputed part and extended due date.

        ``due_date`` stays the invoice's own; ``extended_due`` is the date in force when an
        extension is active; ``disputed`` is the amount under active dispute (never more
        than what is open).
        """
        return open_items_with_cases(self._session, as_of, customer=customer)

    def balances(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> list[CustomerBalance]:
        """Each customer's receivable and unapplied credit per currency, in SQL.

        Customers with both figures zero are left out; sorted by customer, currency.
        """
        return balances(self._session, as_of, customer=customer)

    def trial_balance(self, as_of: dt.date | None = None) -> TrialBalance:
        """Every account's balance per currency as of a date, in SQL (zero rows left out)."""
        return trial_balance(self._session, as_of)

    def statement(
        self,
        customer: str,
        start: dt.date,
        end: dt.date,
        *,
        currency: Currency | str | None = None,
        cases: bool = True,
    ) -> Statement:
        """A customer's statement for ``start..end``: opening, movements, closing, open items.

        With ``cases`` (the default) each open item as of ``end`` carries its disputed
        part (``disputed``) and, when an extension is in force, its extended due date
        (``extended_due``) next to the original ``due_date``. Movements and balances are
        the ledger's either way.

        Args:
            customer: The customer.
            start: First day.
            end: Last day (inclusive).
            currency: The currency (the customer's by default).
            cases: ``False`` leaves the open items as the ledger has them.
        """
        return statement_of(self._session, customer, start, end, currency=currency, cases=cases)

    def statement_with_cases(
        self,
        customer: str,
        start: dt.date,
        end: dt.date,
        *,
        currency: Currency | str | None = None,
    ) -> Statement:
        """The same as :meth:`statement` (kept for callers written before it knew cases).

        .. deprecated:: 0.2
           Call :meth:`statement`, which shows the cases by default.
        """
        warnings.warn(
            "Book.statement_with_cases is deprecated; call Book.statement (case-aware by default)",
            DeprecationWarning,
            stacklevel=2,
        )
        return statement_of(self._session, customer, start, end, currency=currency)

    def table_names(self) -> list[str]:
        """The book's tables and views (what :meth:`export_table` accepts), sorted."""
        return table_names(self._session)

    def export_table(
        self,
        name: str,
        *,
        limit: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        customer: str | None = None,
        amounts: bool = False,
    ) -> tuple[list[str], list[Row]]:
        """The column names and rows of one table or view, as stored (for CSV export).

        Args:
            name: A name from :meth:`table_names` (anything else is refused, so no SQL
                can be smuggled in).
            limit: At most this many rows.
            start: Only rows dated on or after this day (the table's first date column
                of ``issue_date``, ``received_date``, ``entry_date``... as listed in
                :data:`o2c.book._exports.DATE_COLUMNS`).
            end: Only rows dated on or before this day (inclusive).
            customer: Only this customer's rows (``customer_id``; ``id`` of customers).
            amounts: Add beside every ``*_minor`` column the amount in major units as an
                exact ``Decimal`` (``net`` beside ``net_minor``), and a ``currency``
                column to tables that take it from their document.

        Raises:
            ValidationError: Not a table of the book, or a filter the table has no
                column for (``--from`` on ``currencies``).
        """
        return export_rows(
            self._session,
            name,
            limit=limit,
            start=start,
            end=end,
            customer=customer,
            amounts=amounts,
        )

    def reconcile(self, as_of: dt.date | None = None) -> ReconciliationReport:
        """Reconcile AR control to the customer sub-ledgers and to the SQL open items.

        The open items and credits the book computes in SQL are checked against the ones
        the ledger derives from the journal; any difference is listed.
        """
        return reconcile_book(self._session, as_of)
