"""Case-aware reports and KPIs: aging and statements with disputes and extensions, KPIs.

The ledger's open items know nothing of cases; here each item gets its disputed part
(active disputes as of the date) and its effective due date (active extensions), so aging
shows disputed amounts apart and ages extended items from their new date, while the
original due date stays on the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from o2c.billing import ReasonCode
from o2c.book._cases import CasesMixin
from o2c.book._codec import MoneyMaker, as_date, as_json, opt_date
from o2c.calendar import Period
from o2c.cases import ApprovalRequest
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.io import structure
from o2c.kpi import (
    AGING_BUCKETS,
    Correction,
    DisputeTiming,
    KpiInputs,
    KpiValue,
    RefundTiming,
    kpi_report,
)
from o2c.ledger import (
    AgingBasis,
    AgingBucket,
    AgingReport,
    AgingRow,
    CreditKind,
    OpenItem,
    Statement,
)
from o2c.ledger.aging import DEFAULT_BUCKETS
from o2c.money import Currency, Money

__all__ = ["KpisMixin"]

#: The aging profile's KPI names: the default buckets (current, 1-30 ... 90+) and disputed.
AGING_NAMES: Final = tuple(f"aging_{name}" for name in AGING_BUCKETS)


class KpisMixin(CasesMixin):
    """Aging and statements with cases, and the KPI report."""

    # -- case-aware open items, aging and statements ----------------------------------

    def open_items_with_cases(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> list[OpenItem]:
        """Open items as of a date with their disputed part and extended due date.

        ``due_date`` stays the invoice's own; ``extended_due`` is the date in force when an
        extension is active; ``disputed`` is the amount under active dispute (never more
        than what is open).
        """
        day = as_of or self._today()
        disputed = self.disputed_amounts(day, customer=customer)
        extended = self.extended_due_dates(day, customer=customer)
        items = []
        for item in self._open_items_sql(as_of=day, customer=customer):
            part = disputed.get(item.document_id)
            items.append(
                attrs.evolve(
                    item,
                    disputed=None if part is None else part.min(item.open),
                    extended_due=extended.get(item.document_id),
                )
            )
        return items

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
        day = as_of or self._today()
        base = super().aging(day, buckets=buckets, basis=basis, customer=customer)
        if not cases:
            return base
        disputed = self.disputed_amounts(day, customer=customer)
        by_due = base.basis is AgingBasis.DUE_DATE
        extended = self.extended_due_dates(day, customer=customer) if by_due else {}
        if not disputed and not extended:
            return base
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
        for doc, cust, code, open_minor, doc_date, due_date in self._case_items(day, customer):
            part = disputed.get(DocumentId(doc))
            later = extended.get(DocumentId(doc))
            if part is None and later is None:
                continue
            start = due_date if by_due else doc_date
            aside = 0 if part is None else max(0, min(part.minor_units, open_minor))
            delta = moves.setdefault((cust, code), [0] * (width + 1))
            delta[bucket((day - start).days)] -= open_minor
            delta[bucket((day - (later or start)).days)] += open_minor - aside
            delta[width] += aside
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

    def _case_items(
        self, day: dt.date, customer: str | None
    ) -> list[tuple[str, str, str, int, dt.date, dt.date]]:
        """The open items under an active dispute or extension, in one query.

        ``(document, customer, currency, open minor units, document date, due date)``.
        The case tables drive the query through the AR lines' item index (``account ||
        ''`` keeps the planner off the account index, which would scan every AR line), so
        it costs the cases, not the book, and takes no parameter per document.
        """
        cases = (
            "SELECT document_id FROM disputes WHERE opened_date <= ?"
            " AND (resolved_date IS NULL OR resolved_date > ?)"
            " UNION SELECT document_id FROM extensions WHERE status = 'active'"
        )
        where = "l.account || '' = ? AND l.entry_date <= ? AND l.item_due IS NOT NULL"
        params = [day.isoformat(), day.isoformat(), self._chart.receivable.code, day.isoformat()]
        if customer is not None:
            where += " AND l.customer_id = ?"
            params.append(customer)
        rows = self._store.query(
            "SELECT l.item, MIN(l.customer_id), l.currency, SUM(l.amount_minor),"
            " MIN(l.item_date), MIN(l.item_due) FROM journal_lines l"
            f" WHERE l.item IN ({cases}) AND {where}"
            " GROUP BY l.item, l.currency HAVING SUM(l.amount_minor) <> 0 ORDER BY l.item",
            params,
        )
        return [
            (str(r[0]), str(r[1]), str(r[2]), int(r[3]), as_date(r[4]), as_date(r[5])) for r in rows
        ]

    def aging_with_cases(
        self,
        as_of: dt.date | None = None,
        *,
        buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
        basis: AgingBasis | str = AgingBasis.DUE_DATE,
        customer: str | None = None,
    ) -> AgingReport:
        """The same as :meth:`aging` (kept for callers written before aging knew cases)."""
        return self.aging(as_of, buckets=buckets, basis=basis, customer=customer, cases=True)

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
        stated = super().statement(customer, start, end, currency=currency)
        if not cases or not stated.open_items:
            return stated
        items = {i.document_id: i for i in self.open_items_with_cases(end, customer=customer)}
        return attrs.evolve(
            stated,
            open_items=tuple(items.get(i.document_id, i) for i in stated.open_items),
        )

    def statement_with_cases(
        self,
        customer: str,
        start: dt.date,
        end: dt.date,
        *,
        currency: Currency | str | None = None,
    ) -> Statement:
        """The same as :meth:`statement` (kept for callers written before it knew cases)."""
        return self.statement(customer, start, end, currency=currency, cases=True)

    # -- KPIs ----------------------------------------------------------------------------

    def _kpi_currency(self, currency: Currency | str | None) -> Currency:
        if currency is not None:
            return Currency.of(currency) if isinstance(currency, str) else currency
        rows = self._store.query("SELECT code FROM currencies ORDER BY code")
        if len(rows) != 1:
            raise ValidationError(
                "currency",
                None,
                f"the currency of the KPIs (the book has {[str(r[0]) for r in rows]})",
            )
        return Currency.of(str(rows[0][0]))

    def kpi_inputs(
        self, start: dt.date, end: dt.date, *, currency: Currency | str | None = None
    ) -> KpiInputs:
        """Load what :func:`o2c.kpi.kpi_report` reads for the range ``[start, end)``.

        Args:
            start: First day of the range.
            end: First day after the range (``2026-11-01`` for October).
            currency: The currency of the money KPIs; the book's only currency by default.

        Raises:
            ValidationError: ``end`` is not after ``start``, or no currency was given in a
                book with several.
        """
        if end <= start:
            raise ValidationError("end", end, f"a date after {start}")
        period = Period(start, end)
        cur = self._kpi_currency(currency)
        code = cur.code
        last = period.last_day
        span = (start.isoformat(), end.isoformat())
        issued = [
            str(r[0])
            for r in self._store.query(
                "SELECT id FROM documents WHERE kind = 'invoice' AND status IN ('issued', 'void')"
                " AND currency = ? AND issue_date >= ? AND issue_date < ? ORDER BY id",
                (code, *span),
            )
        ]
        corrections = [
            Correction(
                str(r[0]), str(r[1]), as_date(r[2]), ReasonCode.parse(str(r[3])).is_billing_error
            )
            for r in self._store.query(
                "SELECT c.corrects_id, c.id, c.issue_date, c.reason FROM documents c"
                " JOIN documents i ON i.id = c.corrects_id"
                " WHERE c.kind IN ('credit_note', 'debit_note') AND c.status = 'issued'"
                " AND c.issue_date <= ? AND i.currency = ? AND i.issue_date >= ?"
                " AND i.issue_date < ? ORDER BY c.id",
                (last.isoformat(), code, *span),
            )
        ]
        # The bill runs of billing periods that end in the range (October's run counts
        # for October however late it ran), in this currency: the invoices they made
        # and the exceptions of contracts (or, without one, customers) billed in it.
        runs = (
            "SELECT id FROM bill_runs WHERE status = 'done' AND period_end >= ? AND period_end <= ?"
        )
        run_span = (start.isoformat(), last.isoformat())
        made_row = self._store.query_one(
            "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND currency = ?"
            f" AND bill_run_id IN ({runs})",
            (code, *run_span),
        )
        failed_row = self._store.query_one(
            "SELECT COUNT(*) FROM exceptions e LEFT JOIN contracts k ON k.id = e.contract_id"
            " LEFT JOIN customers c ON c.id = e.customer_id"
            f" WHERE COALESCE(k.currency, c.currency) = ? AND e.bill_run_id IN ({runs})",
            (code, *run_span),
        )
        exceptions = int(failed_row[0]) if failed_row else 0
        candidates = (int(made_row[0]) if made_row else 0) + exceptions
        ar = self._chart.receivable.code
        begin_row = self._store.query_one(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM journal_lines"
            " WHERE account = ? AND currency = ? AND entry_date < ?",
            (ar, code, start.isoformat()),
        )
        sales_row = self._store.query_one(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'credit_note' THEN -payable_minor"
            " ELSE payable_minor END), 0) FROM documents WHERE status = 'issued'"
            " AND currency = ? AND issue_date >= ? AND issue_date < ?",
            (code, *span),
        )
        # Aging and AR in SQL; current AR (not yet due by effective dates) is the current
        # bucket plus the disputed parts of current items, which aging keeps apart.
        aged = self.aging(last, buckets=DEFAULT_BUCKETS).total(cur)
        end_ar = aged.total
        current = aged.buckets[0]
        disputed = self.disputed_amounts(last)
        extended = self.extended_due_dates(last)
        for item in self._open_items_sql(as_of=last, document_ids=sorted(disputed)):
            part = disputed[item.document_id].min(item.open)
            due = extended.get(item.document_id, item.due_date)
            if item.currency == cur and part.is_positive and due >= last:
                current += part
        aging = zip(AGING_NAMES, (*aged.buckets, aged.disputed), strict=True)
        unapplied = tuple(
            c.unapplied
            for c in self._credit_items_sql(as_of=last)
            if c.kind is CreditKind.PAYMENT and c.currency == cur
        )
        refunds = []
        for rid, paid, data in self._store.query(
            "SELECT r.id, r.refund_date, a.data FROM refunds r"
            " LEFT JOIN approvals a ON a.result_id = r.id AND a.action = 'refund'"
            " WHERE r.currency = ? AND r.refund_date >= ? AND r.refund_date < ? ORDER BY r.id",
            (code, *span),
        ):
            paid_on = as_date(paid)
            asked = paid_on
            if data is not None:
                asked = structure(as_json(data), ApprovalRequest).requested_on
            refunds.append(RefundTiming(str(rid), asked, paid_on))
        disputes = tuple(
            DisputeTiming(str(r[0]), as_date(r[1]), as_date(r[2]), opt_date(r[3]))
            for r in self._store.query(
                "SELECT id, opened_date, sla_due, resolved_date FROM disputes WHERE currency = ?"
                " AND ((sla_due >= ? AND sla_due < ?)"
                " OR (resolved_date >= ? AND resolved_date < ?)) ORDER BY id",
                (code, *span, *span),
            )
        )
        margin = dt.timedelta(days=1)
        contacts = tuple(
            self._notes(
                "n.started_at >= ? AND n.started_at < ?",
                [
                    dt.datetime.combine(start - margin, dt.time(), dt.UTC).isoformat(),
                    dt.datetime.combine(end + margin, dt.time(), dt.UTC).isoformat(),
                ],
            )
        )
        return KpiInputs(
            period=period,
            currency=code,
            issued=tuple(issued),
            corrections=tuple(corrections),
            candidates=candidates,
            exceptions=exceptions,
            begin_ar=Money.from_minor(int(begin_row[0]) if begin_row else 0, cur),
            end_ar=end_ar,
            end_current_ar=current,
            credit_sales=Money.from_minor(int(sales_row[0]) if sales_row else 0, cur),
            aging=tuple(aging),
            unapplied=unapplied,
            refunds=tuple(refunds),
            disputes=disputes,
            contacts=contacts,
        )

    def kpis(
        self, start: dt.date, end: dt.date, *, currency: Currency | str | None = None
    ) -> tuple[KpiValue, ...]:
        """Every KPI of the operations guide over ``[start, end)``, from the book itself.

        See :meth:`kpi_inputs` for what is loaded and :func:`o2c.kpi.kpi_report` for the
        order; each value carries its formula, numerator and denominator.
        """
        with self._store.transaction(write=False):
            inputs = self.kpi_inputs(start, end, currency=currency)
        return kpi_report(inputs)
