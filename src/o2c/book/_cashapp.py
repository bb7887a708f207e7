"""Cash in bulk: bank statements (cash application) and payment files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from o2c.book._base import Touched
from o2c.book._payments import PaymentsMixin, _less_credit, _less_open
from o2c.errors import InvalidState
from o2c.ids import CustomerId, PaymentId
from o2c.ledger.cashapp import BankLine, allocations_for_match, match_payments
from o2c.ledger.items import CreditItem, CreditKind
from o2c.ledger.journal import JournalEntry
from o2c.ledger.payments import Allocation, Payment, post_allocation, post_payment

__all__ = ["CashApplicationMixin", "CashApplicationResult"]


@attrs.frozen(slots=True)
class CashApplicationResult:
    """What applying a bank statement did.

    Attributes:
        payments: Payments recorded (ids = bank references), applied where matched.
        unmatched: ``(bank reference, reason)`` of lines left for a person.
        duplicates: Lines skipped because their reference was recorded before.
    """

    payments: tuple[str, ...]
    unmatched: tuple[tuple[str, str], ...]
    duplicates: int


class CashApplicationMixin(PaymentsMixin):
    """Payment files and bank statements, applied in bulk."""

    def import_payments(
        self,
        payments: Iterable[Payment],
        allocations: Iterable[Allocation] = (),
        *,
        batch_size: int = 5000,
        actor: str | None = None,
    ) -> int:
        """Record many payments and their allocations (a bank file), in batches.

        Each batch is one transaction with one audit event. A payment whose id is stored
        already is skipped with its allocations (so importing a file twice records it
        once). Allocations name their payment as ``source``; each is checked against
        what is open on its document and unapplied on its payment.

        Returns:
            How many payments were recorded.

        Raises:
            InvalidState: An allocation exceeds what is open or unapplied (that batch
                is not recorded).
        """
        by_source: dict[str, list[Allocation]] = {}
        for allocation in allocations:
            by_source.setdefault(allocation.source, []).append(allocation)
        recorded = 0
        batch: list[Payment] = []
        for payment in payments:
            batch.append(payment)
            if len(batch) >= batch_size:
                recorded += self._import_payment_batch(batch, by_source, actor)
                batch = []
        if batch:
            recorded += self._import_payment_batch(batch, by_source, actor)
        return recorded

    def _import_payment_batch(
        self, batch: list[Payment], by_source: Mapping[str, list[Allocation]], actor: str | None
    ) -> int:
        def body(touched: Touched) -> dict[str, Any]:
            ids = [p.id for p in batch]
            existing: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                existing.update(
                    str(r[0])
                    for r in self._store.query(
                        f"SELECT id FROM payments WHERE id IN ({', '.join('?' for _ in chunk)})",
                        chunk,
                    )
                )
            fresh = [p for p in batch if p.id not in existing]
            if not fresh:
                return {"count": 0}
            plans = [a for p in fresh for a in by_source.get(p.id, ())]
            entry_ids = self._new_entry_ids(len(fresh) + len(plans))
            chart = self._chart
            entries: list[JournalEntry] = []
            credits: dict[str, CreditItem] = {}
            for payment, entry_id in zip(fresh, entry_ids, strict=False):
                self._ensure_currency(payment.amount.currency)
                entries.append(post_payment(payment, entry_id=entry_id, chart=chart))
                credits[payment.id] = CreditItem(
                    payment.id,
                    CreditKind.PAYMENT,
                    payment.customer,
                    payment.amount.currency,
                    payment.date,
                    payment.reference,
                    payment.amount,
                    payment.amount,
                )
            opened = {
                i.document_id: i
                for i in self._open_items_sql(
                    as_of=max(a.date for a in plans) if plans else self._today(),
                    document_ids=sorted({a.document_id for a in plans}),
                    include_settled=True,
                )
            }
            rows = []
            for allocation, entry_id in zip(plans, entry_ids[len(fresh) :], strict=True):
                item = opened.get(allocation.document_id)
                if item is None:
                    raise InvalidState(
                        f"document {allocation.document_id} has nothing open",
                        document_id=allocation.document_id,
                    )
                credit = credits[allocation.source]
                entry = post_allocation(
                    allocation, entry_id=entry_id, open_item=item, credit=credit, chart=chart
                )
                entries.append(entry)
                opened[item.document_id] = _less_open(item, allocation.amount)
                credits[allocation.source] = _less_credit(credit, allocation.amount)
                rows.append(
                    (
                        entry.id,
                        allocation.source,
                        allocation.document_id,
                        allocation.customer,
                        allocation.date.isoformat(),
                        allocation.amount.currency.code,
                        allocation.amount.minor_units,
                        entry.id,
                    )
                )
            now = self._now().isoformat()
            self._store.executemany(
                "INSERT INTO payments (id, customer_id, received_date, currency, amount_minor,"
                " method, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.id,
                        p.customer,
                        p.date.isoformat(),
                        p.amount.currency.code,
                        p.amount.minor_units,
                        p.method.value,
                        p.reference,
                        now,
                    )
                    for p in fresh
                ],
            )
            self._write_entries(entries)
            self._store.executemany(
                "INSERT INTO allocations (id, source_id, document_id, customer_id, alloc_date,"
                " currency, amount_minor, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            touched.extend(p.id for p in fresh)
            return {"count": len(fresh)}

        result = self._run(
            "import_payments",
            actor=actor,
            key=None,
            args={"ids": [p.id for p in batch]},
            body=body,
        )
        return int(result["count"])

    def apply_bank_statement(
        self,
        lines: Iterable[BankLine],
        *,
        customer_references: Mapping[str, str] | None = None,
        actor: str | None = None,
    ) -> CashApplicationResult:
        """Cash application: record a statement's incoming lines as payments and apply them.

        Lines are matched to customers and open items by the ledger's rules (invoice
        number in the remittance, customer reference, exact amount). Each matched line
        becomes a payment whose id is the bank reference (so a statement imported twice
        records each line once) applied to the matched items; the rest stays unapplied.
        Unmatched lines are returned for a person to handle. One transaction.

        Args:
            lines: Bank lines (see :func:`o2c.ledger.parse_bank_csv` and
                :func:`o2c.ledger.parse_camt053`).
            customer_references: Payer reference -> customer id, for matching.
            actor: Who applies the statement.
        """
        incoming = [line for line in lines if line.amount.is_positive]
        refs = {k: CustomerId(v) for k, v in (customer_references or {}).items()}

        def body(touched: Touched) -> dict[str, Any]:
            known = {
                str(r[0])
                for start in range(0, len(incoming), 500)
                for r in self._store.query(
                    "SELECT id FROM payments WHERE id IN"
                    f" ({', '.join('?' for _ in incoming[start : start + 500])})",
                    [line.reference for line in incoming[start : start + 500]],
                )
            }
            fresh = [line for line in incoming if line.reference not in known]
            if not fresh:
                return {"payments": [], "unmatched": [], "duplicates": len(incoming)}
            as_of = max(line.date for line in fresh)
            items = self._open_items_sql(as_of=as_of)
            application = match_payments(fresh, items, customer_references=refs)
            recorded: list[str] = []
            for match in application.matches:
                line = match.line
                payment = Payment(
                    PaymentId(line.reference),
                    match.customer,
                    line.date,
                    line.amount,
                    line.remittance or line.reference,
                )
                self._ensure_currency(line.amount.currency)
                [entry_id] = self._new_entry_ids(1)
                self._write_entries([post_payment(payment, entry_id=entry_id, chart=self._chart)])
                self._store.execute(
                    "INSERT INTO payments (id, customer_id, received_date, currency,"
                    " amount_minor, method, reference, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        payment.id,
                        payment.customer,
                        payment.date.isoformat(),
                        payment.amount.currency.code,
                        payment.amount.minor_units,
                        payment.method.value,
                        payment.reference,
                        self._now().isoformat(),
                    ),
                )
                credit = self._credit_item(payment.id, line.date)
                assert credit is not None
                current = self._open_items_sql(as_of=line.date, document_ids=list(match.documents))
                plan = allocations_for_match(match, credit, current, date=line.date)
                if plan:
                    self._allocate(
                        payment.id, {a.document_id: a.amount for a in plan}, line.date, touched
                    )
                recorded.append(payment.id)
                touched.add(payment.id, entry_id)
            return {
                "payments": recorded,
                "unmatched": [[u.line.reference, u.reason] for u in application.unmatched],
                "duplicates": len(incoming) - len(fresh),
            }

        result = self._run(
            "apply_bank_statement",
            actor=actor,
            key=None,
            args={"references": [line.reference for line in incoming]},
            body=body,
        )
        return CashApplicationResult(
            tuple(str(p) for p in result["payments"]),
            tuple((str(r), str(why)) for r, why in result["unmatched"]),
            int(result["duplicates"]),
        )

    # -- allocation --------------------------------------------------------------------
