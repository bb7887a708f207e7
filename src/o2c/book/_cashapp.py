"""Cash in bulk: bank statements (cash application) and payment files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from o2c.book._base import Touched
from o2c.book._codec import as_date, money
from o2c.book._payments import PaymentsMixin, _less_open
from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, PaymentId
from o2c.ledger.cashapp import BankLine, MatchRule, allocations_for_match, match_payments
from o2c.ledger.items import CreditItem, CreditKind
from o2c.ledger.payments import Allocation, Payment
from o2c.money import Currency

__all__ = ["CashApplicationMixin", "CashApplicationResult"]


@attrs.frozen(slots=True)
class CashApplicationResult:
    """What applying a bank statement did.

    Attributes:
        payments: Payments recorded (ids = bank references), applied where matched.
        unmatched: ``(bank reference, reason)`` of lines left for a person.
        duplicates: Lines skipped because their reference was recorded before.
        rules: ``(bank reference, rule)`` of each recorded payment: ``invoice_number``,
            ``exact_amount``, ``customer_reference, exact amount`` (the customer's one
            open item of exactly that amount) or ``customer_reference, oldest due
            first``.
    """

    payments: tuple[str, ...]
    unmatched: tuple[tuple[str, str], ...]
    duplicates: int
    rules: tuple[tuple[str, str], ...] = ()


class CashApplicationMixin(PaymentsMixin):
    """Payment files and bank statements, applied in bulk."""

    def import_payments(
        self,
        payments: Iterable[Payment],
        allocations: Iterable[Allocation] = (),
        *,
        batch_size: int = 20_000,
        actor: str | None = None,
    ) -> int:
        """Record many payments and their allocations (a bank file), in batches.

        Each batch is one transaction with one audit event naming its payments, and is
        recorded whole or not at all. A payment whose id is stored already (or repeated
        in the file) is skipped with its allocations, so importing a file twice records
        it once. Allocations name their payment as ``source``, which must be one of
        ``payments``: an allocation of any other payment refuses the whole file before
        anything is recorded (nothing is dropped silently; allocate cash recorded
        earlier with :meth:`allocate`). Each is checked against what is open on
        its document, as of its date and every later date, and what is left unapplied
        on its payment. The journal gets the same entries as :meth:`record_payment`
        and :meth:`allocate` would post, written with a few ``executemany`` per batch.

        Args:
            payments: The payments, in file order.
            allocations: Their allocations.
            batch_size: Payments per transaction (the write lock is held for one
                batch; 20,000 take about 1.5 s on SQLite, and fewer, larger commits
                cost less: 65k payments import in 5.9 s by 20,000, 7.6 s by 5,000).
            actor: Who imports the file.

        Returns:
            How many payments were recorded.

        Raises:
            InvalidState: An allocation exceeds what is open or unapplied, precedes its
                document or its payment (that batch is not recorded; earlier ones are).
            PeriodClosed: A payment or allocation is dated in a closed month.
            ValidationError: An allocation's customer or currency is not its document's
                or its payment's, or its payment is not in ``payments`` (names the
                allocation's position, ``allocations[N].source``, and the payment id).
        """
        payments = list(payments)
        ids = {payment.id for payment in payments}
        by_source: dict[str, list[Allocation]] = {}
        for index, allocation in enumerate(allocations):
            if allocation.source not in ids:
                raise ValidationError(
                    f"allocations[{index}].source",
                    allocation.source,
                    "a payment in the file (allocate earlier cash with allocate)",
                )
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
        # The compact form of post_payment / post_allocation (same entries, same checks,
        # proven equal row by row in tests/book/test_payments_bulk.py): integer minor
        # units and row tuples, no JournalEntry objects, one query per _CHUNK items.
        def body(touched: Touched) -> dict[str, Any]:
            existing = self._stored_payment_ids([p.id for p in batch])
            fresh: list[Payment] = []
            for payment in batch:
                if payment.id not in existing:
                    existing.add(payment.id)
                    fresh.append(payment)
            if not fresh:
                return {"count": 0}
            self._record_cash(fresh, by_source)
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

    def _record_cash(
        self, fresh: Sequence[Payment], by_source: Mapping[str, Sequence[Allocation]]
    ) -> None:
        """Post new payments and their allocations (checked) with a few executemany."""
        if not fresh:
            return
        plans = [a for p in fresh for a in by_source.get(p.id, ())]
        for code in {p.amount.currency.code for p in fresh}:
            self._ensure_currency(Currency.of(code))
        periods = self._accounting_periods()
        if periods.closed:
            for posted in {p.date for p in fresh} | {a.date for a in plans}:
                periods.check_open(posted)
        entry_ids = self._new_entry_ids(len(fresh) + len(plans))
        chart = self._chart
        cash, unapplied, ar = chart.cash.code, chart.unapplied.code, chart.receivable.code
        now = self._now().isoformat()
        payment_rows: list[tuple[Any, ...]] = []
        entry_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        credits: dict[str, tuple[str, str, str]] = {}
        unapplied_left: dict[str, int] = {}
        add_payment, add_entry, add_line = (
            payment_rows.append,
            entry_rows.append,
            line_rows.append,
        )
        scale: dict[Currency, tuple[str, int]] = {}
        for payment, entry_id in zip(fresh, entry_ids, strict=False):
            amount = payment.amount
            code, units = scale.get(amount.currency) or scale.setdefault(
                amount.currency, (amount.currency.code, amount.currency.minor_units)
            )
            minor = int(amount.amount.scaleb(units))
            day = payment.date.isoformat()
            how = payment.method.value
            pid, customer, reference = payment.id, payment.customer, payment.reference
            add_payment((pid, customer, day, code, minor, how, reference, now))
            add_entry((entry_id, day, "payment", pid, reference, None, how, None, now))
            add_line((entry_id, 1, cash, code, minor, None, None, day, None, None))
            add_line((entry_id, 2, unapplied, code, -minor, customer, pid, day, None, None))
            credits[pid] = (customer, code, day)
            unapplied_left[pid] = minor
        items = self._open_item_ledgers(sorted({a.document_id for a in plans}))
        allocation_rows: list[tuple[Any, ...]] = []
        add_allocation = allocation_rows.append
        for allocation, entry_id in zip(plans, entry_ids[len(fresh) :], strict=True):
            amount = allocation.amount
            code, units = scale.get(amount.currency) or scale.setdefault(
                amount.currency, (amount.currency.code, amount.currency.minor_units)
            )
            minor = int(amount.amount.scaleb(units))
            document_id = allocation.document_id
            item = items.get(document_id)
            source, customer = allocation.source, allocation.customer
            credit = credits[source]
            day = allocation.date.isoformat()
            if item is None or day < item.first:
                raise InvalidState(
                    f"document {document_id} has nothing open on {day}",
                    document_id=document_id,
                )
            if (
                item.customer != customer
                or credit[0] != customer
                or credit[1] != code
                or item.currency != code
                or item.currencies
            ):
                _check_compact(allocation, item, credit[0], credit[1], code)
            open_minor = item.open_from(day)
            if minor > open_minor:
                raise InvalidState(
                    f"cannot allocate {amount} to {item.number}: only"
                    f" {money(open_minor, amount.currency)} is open",
                    document_id=document_id,
                )
            left = unapplied_left[source] if day >= credit[2] else 0
            if minor > left:
                raise InvalidState(
                    f"cannot allocate {amount} from {source}: only"
                    f" {money(left, amount.currency)} is unapplied",
                    document_id=document_id,
                )
            item.take(day, minor)
            unapplied_left[source] -= minor
            add_entry((entry_id, day, "allocation", source, item.number, None, "", None, now))
            add_line((entry_id, 1, unapplied, code, minor, customer, source, day, None, None))
            add_line(
                (
                    entry_id,
                    2,
                    ar,
                    code,
                    -minor,
                    customer,
                    document_id,
                    day,
                    item.item_date or day,
                    item.item_due or day,
                )
            )
            add_allocation((entry_id, source, document_id, customer, day, code, minor, entry_id))
        store = self._store
        store.executemany(_PAYMENT_SQL, payment_rows)
        store.executemany(_ENTRY_SQL, entry_rows)
        store.executemany(_LINE_SQL, line_rows)
        store.executemany(_ALLOCATION_SQL, allocation_rows)

    def _stored_payment_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found.update(
                str(r[0])
                for r in self._store.query(
                    f"SELECT id FROM payments WHERE id IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            )
        return found

    def _open_item_ledgers(self, document_ids: Sequence[str]) -> dict[str, _Item]:
        """What the AR control account holds on each document, by posting date."""
        ar = self._chart.receivable.code
        items: dict[str, _Item] = {}
        for start in range(0, len(document_ids), _CHUNK):
            chunk = document_ids[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            # By item alone: the planner then takes the item index (filtering on the
            # account in SQL made SQLite scan every AR line by the account index).
            for item, account, customer, code, day, total in self._store.query(
                "SELECT item, account, MIN(customer_id), currency, entry_date,"
                f" SUM(amount_minor) FROM journal_lines WHERE item IN ({marks})"
                " GROUP BY item, account, currency, entry_date",
                chunk,
            ):
                if account != ar:
                    continue
                key = str(item)
                found = items.get(key)
                if found is None:
                    found = items[key] = _Item(key, str(customer or ""), str(code))
                elif str(code) != found.currency:
                    found.currencies.add(str(code))
                found.add(_iso(day), int(total), str(customer or ""))
            for doc, issued, due, reference in self._store.query(
                "SELECT d.id, d.issue_date, d.due_date, e.reference FROM documents d"
                " LEFT JOIN journal_entries e ON e.source = d.id"
                " AND e.kind IN ('invoice', 'debit_note')"
                f" WHERE d.id IN ({marks})",
                chunk,
            ):
                found = items.get(str(doc))
                if found is None:
                    continue
                if reference is not None:
                    found.number = str(reference) or found.number
                if issued is not None:
                    found.item_date = _iso(issued)
                    found.item_due = _iso(due or issued)
        return items

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
                return {"payments": [], "unmatched": [], "duplicates": len(incoming), "rules": []}
            as_of = max(line.date for line in fresh)
            items = self._open_items_sql(as_of=as_of)
            application = match_payments(fresh, items, customer_references=refs)
            # Planned in memory (each line sees the items as the earlier lines left
            # them), then posted and checked at once like import_payments.
            state = {i.document_id: i for i in items}
            payments: list[Payment] = []
            plans: dict[str, Sequence[Allocation]] = {}
            recorded: list[str] = []
            rules: list[list[str]] = []
            for match in application.matches:
                line = match.line
                payment = Payment(
                    PaymentId(line.reference),
                    match.customer,
                    line.date,
                    line.amount,
                    line.remittance or line.reference,
                )
                credit = CreditItem(
                    payment.id,
                    CreditKind.PAYMENT,
                    payment.customer,
                    line.amount.currency,
                    line.date,
                    payment.reference,
                    line.amount,
                    line.amount,
                )
                rule = match.rule.value
                if match.rule is MatchRule.CUSTOMER_REFERENCE:
                    # No invoice named: the customer's one open item of exactly this
                    # amount, else all of them oldest due first; the rest stays unapplied.
                    current = [
                        i
                        for i in state.values()
                        if i.customer == match.customer
                        and i.currency == line.amount.currency
                        and i.open.is_positive
                        and i.document_date <= line.date
                    ]
                    exact = [i for i in current if i.open == line.amount]
                    if len(exact) == 1:
                        current, rule = exact, f"{rule}, exact amount"
                    else:
                        rule = f"{rule}, oldest due first"
                else:
                    current = [
                        state[d]
                        for d in match.documents
                        if d in state and state[d].document_date <= line.date
                    ]
                plan = allocations_for_match(match, credit, current, date=line.date)
                rules.append([payment.id, rule])
                for allocation in plan:
                    state[allocation.document_id] = _less_open(
                        state[allocation.document_id], allocation.amount
                    )
                payments.append(payment)
                plans[payment.id] = plan
                recorded.append(payment.id)
            self._record_cash(payments, plans)
            touched.extend(recorded)
            return {
                "payments": recorded,
                "unmatched": [[u.line.reference, u.reason] for u in application.unmatched],
                "duplicates": len(incoming) - len(fresh),
                "rules": rules,
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
            tuple((str(r), str(why)) for r, why in result.get("rules", [])),
        )

    # -- allocation --------------------------------------------------------------------


_CHUNK: Final = 1000
_PAYMENT_SQL: Final = (
    "INSERT INTO payments (id, customer_id, received_date, currency, amount_minor, method,"
    " reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_ENTRY_SQL: Final = (
    "INSERT INTO journal_entries (id, entry_date, kind, source, reference, due_date, memo,"
    " reverses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_LINE_SQL: Final = (
    "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_minor,"
    " customer_id, item, entry_date, item_date, item_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ALLOCATION_SQL: Final = (
    "INSERT INTO allocations (id, source_id, document_id, customer_id, alloc_date, currency,"
    " amount_minor, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _iso(value: object) -> str:
    """A stored date as ISO text (ISO dates order as the dates do)."""
    return value if isinstance(value, str) else as_date(value).isoformat()


class _Item:
    """An open item's AR postings in minor units, as ``(ISO posting date, net)`` steps."""

    __slots__ = (
        "currencies",
        "currency",
        "customer",
        "first",
        "item_date",
        "item_due",
        "number",
        "steps",
    )

    def __init__(self, document_id: str, customer: str, currency: str) -> None:
        self.customer = customer
        self.currency = currency
        self.currencies: set[str] = set()
        self.number = document_id
        self.item_date: str | None = None
        self.item_due: str | None = None
        self.steps: list[tuple[str, int]] = []
        self.first = "9999-12-31"

    def add(self, day: str, amount: int, customer: str) -> None:
        """Add a stored step (while loading)."""
        self.steps.append((day, amount))
        if day < self.first:
            self.first = day
        if customer < self.customer:
            self.customer = customer

    def open_from(self, day: str) -> int:
        """The least open amount as of ``day`` or any later date (so none goes negative)."""
        steps = self.steps
        if len(steps) == 1:
            return steps[0][1] if steps[0][0] <= day else 0
        steps.sort()
        least = sum(a for w, a in steps if w <= day)
        running = 0
        for i, (when, amount) in enumerate(steps):
            running += amount
            if when > day and (i + 1 == len(steps) or steps[i + 1][0] != when):
                least = min(least, running)
        return least

    def take(self, day: str, amount: int) -> None:
        """Apply an allocation of this batch."""
        self.steps.append((day, -amount))


def _check_compact(
    allocation: Allocation, item: _Item, customer: str, currency: str, code: str
) -> None:
    """:func:`o2c.ledger.payments.check_allocation`'s checks on the compact forms."""
    if item.customer != allocation.customer:
        raise ValidationError(
            "open_item.customer", item.customer, f"customer {allocation.customer}"
        )
    if customer != allocation.customer:
        raise ValidationError("credit.customer", customer, f"customer {allocation.customer}")
    for have in (item.currency, *item.currencies, currency):
        if have != code:
            raise ValidationError("amount", str(allocation.amount), f"an amount in {have}")
