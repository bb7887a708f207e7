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
from o2c.book._cases import CasesMixin, _aware
from o2c.book._codec import as_date, as_json, opt_date
from o2c.calendar import Period
from o2c.cases import ApprovalRequest
from o2c.errors import ValidationError
from o2c.ids import CustomerId
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
from o2c.money import Currency, Money, sum_money

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

    def aging_with_cases(
        self,
        as_of: dt.date | None = None,
        *,
        buckets: Sequence[AgingBucket] | Sequence[int] = DEFAULT_BUCKETS,
        basis: AgingBasis | str = AgingBasis.DUE_DATE,
        customer: str | None = None,
    ) -> AgingReport:
        """Aging with disputed amounts in their own column and extended items aged late.

        Like :meth:`aging` (and built on its SQL scan, so it scales the same way), the
        buckets plus the disputed column of a customer add up to its AR sub-ledger as of
        the date. Only the few items under an active dispute or extension are then moved:
        an extended item to the bucket of its effective due date (on the due-date basis),
        its disputed part (at most what is open) to the disputed column. The figures equal
        :func:`o2c.ledger.aging` over :meth:`open_items_with_cases`.
        """
        day = as_of or self._today()
        base = self.aging(day, buckets=buckets, basis=basis, customer=customer)
        disputed = self.disputed_amounts(day, customer=customer)
        by_due = base.basis is AgingBasis.DUE_DATE
        extended = self.extended_due_dates(day, customer=customer) if by_due else {}
        moved = sorted(set(disputed) | set(extended))
        if not moved:
            return base
        rows = {
            (str(r.customer), r.currency.code): (list(r.buckets), [r.disputed], r.unapplied)
            for r in base.rows
        }

        def bucket(days: int) -> int:
            return next(n for n, b in enumerate(base.buckets) if days in b)

        for item in self._open_items_sql(as_of=day, document_ids=moved):
            zero = Money.zero(item.currency)
            amounts, held, _ = rows.setdefault(
                (str(item.customer), item.currency.code),
                ([zero] * len(base.buckets), [zero], zero),
            )
            start = item.due_date if by_due else item.document_date
            due = extended.get(item.document_id, start)
            part = disputed.get(item.document_id)
            part = part.min(item.open) if part is not None else None
            aside = part if part is not None and part.is_positive else Money.zero(item.currency)
            amounts[bucket((day - start).days)] -= item.open
            amounts[bucket((day - due).days)] += item.open - aside
            held[0] += aside
        result = [
            AgingRow(CustomerId(cust), Currency.of(code), tuple(amounts), held[0], unapplied)
            for (cust, code), (amounts, held, unapplied) in sorted(
                rows.items(), key=lambda kv: (kv[0][1], kv[0][0])
            )
        ]
        totals = tuple(
            AgingRow(
                None,
                total.currency,
                tuple(
                    sum_money(
                        (r.buckets[n] for r in result if r.currency == total.currency),
                        total.currency,
                    )
                    for n in range(len(base.buckets))
                ),
                sum_money(
                    (r.disputed for r in result if r.currency == total.currency), total.currency
                ),
                total.unapplied,
            )
            for total in base.totals
        )
        return attrs.evolve(base, rows=tuple(result), totals=totals)

    def statement_with_cases(
        self,
        customer: str,
        start: dt.date,
        end: dt.date,
        *,
        currency: Currency | str | None = None,
    ) -> Statement:
        """:meth:`statement` whose open items carry their disputed part and extended date."""
        stated = self.statement(customer, start, end, currency=currency)
        items = {i.document_id: i for i in self.open_items_with_cases(end, customer=customer)}
        return attrs.evolve(
            stated,
            open_items=tuple(items.get(i.document_id, i) for i in stated.open_items),
        )

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
        candidates = exceptions = 0
        for started, made, failed in self._store.query(
            "SELECT started_at, invoices, exceptions FROM bill_runs"
        ):
            if _aware(started).date() in period:
                candidates += int(made) + int(failed)
                exceptions += int(failed)
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
        aged = self.aging_with_cases(last, buckets=DEFAULT_BUCKETS).total(cur)
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
