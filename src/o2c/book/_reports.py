"""Reports computed in SQL as of any date: aging, balances, trial balance; statements."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from o2c.book._cashapp import CashApplicationMixin
from o2c.book._codec import MoneyMaker
from o2c.errors import NotFound, ValidationError
from o2c.ids import AccountCode, CustomerId
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
from o2c.store import Dialect, Row

__all__ = ["ReportsMixin"]


def _check_buckets(buckets: Sequence[AgingBucket]) -> tuple[AgingBucket, ...]:
    result = tuple(buckets)
    # Reuse the ledger's own validation through buckets_from_bounds' contract.
    if not result or result[0].low is not None or result[-1].high is not None:
        raise ValidationError(
            "buckets", [b.label for b in result], "contiguous buckets from unbounded to unbounded"
        )
    for left, right in itertools.pairwise(result):
        if left.high is None or right.low != left.high + 1:
            raise ValidationError("buckets", [b.label for b in result], "contiguous buckets")
    return result


class ReportsMixin(CashApplicationMixin):
    """Aging, balances, trial balance, statements and reconciliation."""

    def aging(
        self,
        as_of: dt.date | None = None,
        *,
        buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
        basis: AgingBasis | str = AgingBasis.DUE_DATE,
        customer: str | None = None,
    ) -> AgingReport:
        """Age the open items as of a date, in one SQL scan over the AR lines (ledger only).

        This is the ledger's own aging; the Book's ``aging`` builds on it and shows
        disputes and extensions (``cases=False`` returns this report). The figures equal
        :func:`o2c.ledger.aging_report` over the same journal: each AR line carries its
        item's due date and date, so a line's bucket is known without grouping by item,
        and the buckets of a customer sum to their AR sub-ledger.

        Args:
            as_of: The aging date (today by default); later entries are ignored.
            buckets: Buckets, or upper bounds in days such as ``(30, 60, 90)``.
            basis: Count days from the due date or from the document date.
            customer: Only this customer.
        """
        day = as_of or self._today()
        if buckets and isinstance(next(iter(buckets)), int):
            bucket_list = buckets_from_bounds([int(b) for b in buckets])  # type: ignore[arg-type]
        else:
            bucket_list = _check_buckets(buckets)  # type: ignore[arg-type]
        how = AgingBasis(basis) if isinstance(basis, str) else basis
        column = "item_due" if how is AgingBasis.DUE_DATE else "item_date"
        # One ordered scan of the aging index; each bucket is a conditional sum.
        bounds = [
            (day - dt.timedelta(days=b.high)).isoformat()
            for b in bucket_list[:-1]
            if b.high is not None
        ]
        sums = []
        params: list[str] = []
        for index in range(len(bucket_list)):
            conditions = []
            if index < len(bounds):
                conditions.append(f"{column} >= ?")
                params.append(bounds[index])
            if index > 0:
                conditions.append(f"{column} < ?")
                params.append(bounds[index - 1])
            sums.append(f"SUM(CASE WHEN {' AND '.join(conditions)} THEN amount_minor ELSE 0 END)")
        where = "item_due IS NOT NULL AND account = ? AND entry_date <= ?"
        params += [self._chart.receivable.code, day.isoformat()]
        if customer is not None:
            where += " AND customer_id = ?"
            params.append(customer)
        rows = self._store.query(
            f"SELECT customer_id, currency, {', '.join(sums)} FROM journal_lines"
            f" WHERE {where} GROUP BY customer_id, currency",
            params,
        )
        credit_params = [self._chart.unapplied.code, day.isoformat()]
        credit_where = "account = ? AND entry_date <= ?"
        if customer is not None:
            credit_where += " AND customer_id = ?"
            credit_params.append(customer)
        credits = self._store.query(
            "SELECT customer_id, currency, -SUM(amount_minor) FROM journal_lines"
            f" WHERE {credit_where} GROUP BY customer_id, currency",
            credit_params,
        )
        width = len(bucket_list)
        amounts: dict[tuple[str, str], list[int]] = {}
        unapplied: dict[tuple[str, str], int] = {}
        for row in rows:
            amounts[(str(row[1]), str(row[0]))] = [int(v or 0) for v in row[2:]]
        for cust, code, total in credits:
            unapplied[(str(code), str(cust))] = int(total)
        # Keys are (currency, customer): the report's row order.
        keys = sorted(amounts.keys() | unapplied.keys())
        make = MoneyMaker()
        result_rows = []
        totals: dict[str, tuple[list[int], int]] = {}
        for key in keys:
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
        return AgingReport(day, how, bucket_list, tuple(result_rows), total_rows)

    def balances(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> list[CustomerBalance]:
        """Each customer's receivable and unapplied credit per currency, in SQL.

        Customers with both figures zero are left out; sorted by customer, currency.
        """
        day = as_of or self._today()
        ar_where = "item_due IS NOT NULL AND account = ? AND entry_date <= ?"
        credit_where = "account = ? AND entry_date <= ? AND customer_id IS NOT NULL"
        ar_params = [self._chart.receivable.code, day.isoformat()]
        credit_params = [self._chart.unapplied.code, day.isoformat()]
        if customer is not None:
            ar_where += " AND customer_id = ?"
            credit_where += " AND customer_id = ?"
            ar_params.append(customer)
            credit_params.append(customer)
        figures: dict[tuple[str, str], list[int]] = {}
        for cust, code, total in self._store.query(
            "SELECT customer_id, currency, SUM(amount_minor) FROM journal_lines"
            f" WHERE {ar_where} GROUP BY customer_id, currency",
            ar_params,
        ):
            figures.setdefault((str(cust), str(code)), [0, 0])[0] = int(total)
        for cust, code, total in self._store.query(
            "SELECT customer_id, currency, -SUM(amount_minor) FROM journal_lines"
            f" WHERE {credit_where} GROUP BY customer_id, currency",
            credit_params,
        ):
            figures.setdefault((str(cust), str(code)), [0, 0])[1] = int(total)
        rows = [(k[0], k[1], v[0], v[1]) for k, v in sorted(figures.items())]
        result = []
        make = MoneyMaker()
        for cust, code, recv, cred in rows:
            if not int(recv) and not int(cred):
                continue
            cur = make.currency(str(code))
            result.append(
                CustomerBalance(
                    CustomerId(str(cust)),
                    cur,
                    make.money(int(recv), cur),
                    make.money(int(cred), cur),
                )
            )
        return result

    def trial_balance(self, as_of: dt.date | None = None) -> TrialBalance:
        """Every account's balance per currency as of a date, in SQL (zero rows left out)."""
        day = as_of or self._today()
        rows = self._store.query(
            "SELECT currency, account, SUM(amount_minor) FROM journal_lines"
            " WHERE entry_date <= ? GROUP BY currency, account ORDER BY currency, account",
            (day.isoformat(),),
        )
        result = []
        for code, account, total in rows:
            if not int(total):
                continue
            cur = Currency.of(str(code))
            try:
                known = self._chart.account(str(account))
                name, kind = known.name, known.kind
            except LookupError:
                name, kind = str(account), None
            result.append(
                TrialBalanceRow(
                    AccountCode(str(account)), name, kind, cur, Money.from_minor(int(total), cur)
                )
            )
        return TrialBalance(day, tuple(result))

    def statement(
        self,
        customer: str,
        start: dt.date,
        end: dt.date,
        *,
        currency: Currency | str | None = None,
    ) -> Statement:
        """A customer's statement for ``start..end``: opening, movements, closing, open items.

        Args:
            customer: The customer.
            start: First day.
            end: Last day (inclusive).
            currency: The currency (the customer's by default).
        """
        if currency is None:
            row = self._store.query_one("SELECT currency FROM customers WHERE id = ?", (customer,))
            if row is None:
                raise NotFound("customer", customer)
            currency = str(row[0])
        cur = Currency.of(currency)
        entries = self.journal(as_of=end, customer=customer)
        return statement(entries, CustomerId(customer), cur, start, end, chart=self._chart)

    def table_names(self) -> list[str]:
        """The book's tables and views (what :meth:`export_table` accepts), sorted."""
        if self._store.dialect is Dialect.SQLITE:
            rows = self._store.query(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%'"
            )
        else:
            rows = self._store.query(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        return sorted(str(r[0]) for r in rows)

    def export_table(self, name: str, *, limit: int | None = None) -> tuple[list[str], list[Row]]:
        """The column names and rows of one table or view, as stored (for CSV export).

        Args:
            name: A name from :meth:`table_names` (anything else is refused, so no SQL
                can be smuggled in).
            limit: At most this many rows.

        Raises:
            ValidationError: Not a table of the book.
        """
        tables = self.table_names()
        if name not in tables:
            raise ValidationError("table", name, f"one of {', '.join(tables)}")
        sql = f'SELECT * FROM "{name}"'
        params: list[int] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._store.transaction(write=False):
            rows = self._store.query(sql, params)
            columns = self._columns(name)
        return columns, rows

    def _columns(self, name: str) -> list[str]:
        if self._store.dialect is Dialect.SQLITE:
            return [str(r[1]) for r in self._store.query(f'PRAGMA table_info("{name}")')]
        return [
            str(r[0])
            for r in self._store.query(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ?"
                " ORDER BY ordinal_position",
                (name,),
            )
        ]

    def reconcile(self, as_of: dt.date | None = None) -> ReconciliationReport:
        """Reconcile AR control to the customer sub-ledgers and to the SQL open items.

        The open items and credits the book computes in SQL are checked against the ones
        the ledger derives from the journal; any difference is listed.
        """
        day = as_of or self._today()
        with self._store.transaction(write=False):
            entries = self.journal(as_of=day)
            items = self._open_items_sql(as_of=day)
            credits = self._credit_items_sql(as_of=day)
        return reconcile(entries, day, items=items, credits=credits, chart=self._chart)
