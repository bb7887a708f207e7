"""Payments, allocations and unallocations.

A payment is received into unapplied cash (Dr cash, Cr unapplied for the customer and
the payment). Allocating moves credit from unapplied cash onto an open item (Dr
unapplied, Cr AR for the customer and the document), explicitly or oldest due first;
whatever is not allocated stays unapplied: a partial payment leaves the invoice open, an
over-payment leaves customer credit. An unallocation undoes one allocation, with a
reason. Credit notes that became customer credit are allocated the same way. A payment
the bank takes back (a returned direct debit, a bounced check) is reversed with
:func:`post_payment_return`, once its allocations are undone.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Currency, Money
    >>> pay = Payment(PaymentId("P1"), CustomerId("C1"), dt.date(2026, 11, 5),
    ...               Money.of("250.00", "MXN"), reference="TRF 991")
    >>> [(p.account, str(p.amount), p.item) for p in post_payment(pay, entry_id=EntryId("E9")).lines]
    [('1000', '250.00 MXN', None), ('2100', '-250.00 MXN', 'P1')]
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DocumentId, EntryId, PaymentId
from o2c.ledger import _checks
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import AllocationRecord, CreditItem, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting, reverse_entry
from o2c.money import Currency, Money

__all__ = [
    "Allocation",
    "Payment",
    "PaymentMethod",
    "allocate_oldest_first",
    "check_allocation",
    "check_payment_currency",
    "currency_problem",
    "payment_currency_problems",
    "post_allocation",
    "post_payment",
    "post_payment_return",
    "post_unallocation",
]


class PaymentMethod(enum.Enum):
    """How the money came in."""

    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CHECK = "check"
    CASH = "cash"
    DIRECT_DEBIT = "direct_debit"
    OTHER = "other"


@attrs.frozen(slots=True)
class Payment:
    """Money received from a customer.

    Attributes:
        id: The payment id (from a bank line: its bank reference, for idempotency).
        customer: Who paid.
        date: The value date (the posting date).
        amount: The amount received, above zero and rounded.
        reference: The payer's or bank's reference (remittance text, check number...).
        method: How it was paid.
    """

    id: PaymentId
    customer: CustomerId
    date: dt.date
    amount: Money = attrs.field()
    reference: str = ""
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER

    @amount.validator
    def _check_amount(self, _attribute: object, value: Money) -> None:
        _checks.positive("amount", value)


@attrs.frozen(slots=True)
class Allocation:
    """Credit from one source applied to one open item.

    Attributes:
        source: The credit source: a payment id or a credit note id.
        customer: The customer (of both the credit and the open item).
        document_id: The open item (invoice or debit note) it settles.
        amount: The amount applied, above zero and rounded.
        date: The allocation's posting date.
        written_off: The small balance written off with it because the remainder was
            within the book's write-off tolerance (:mod:`o2c.ledger.tolerance`), or None.
    """

    source: str
    customer: CustomerId
    document_id: DocumentId
    amount: Money = attrs.field()
    date: dt.date
    written_off: Money | None = attrs.field(default=None, kw_only=True)

    @amount.validator
    def _check_amount(self, _attribute: object, value: Money) -> None:
        _checks.positive("amount", value)


def currency_problem(customer: str, amount: Money, billed_in: Currency) -> str | None:
    """Why ``amount`` cannot be recorded as a payment of ``customer``, who is billed in
    ``billed_in`` (None: it can).

    Until o2c converts currencies (FX), a payment is in its customer's currency: a USD
    payment of a customer billed in MXN would sit as USD credit no MXN invoice can use.
    """
    if amount.currency == billed_in:
        return None
    return (
        f"{amount} from customer {customer} is in {amount.currency.code}, but {customer} is "
        f"billed in {billed_in.code}; o2c has no currency conversion (FX) yet: record the "
        f"payment in {billed_in.code}"
    )


def check_payment_currency(
    customer: str,
    amount: Money,
    billed_in: Currency,
    *,
    what: str = "payment",
    field: str = "amount",
) -> None:
    """Refuse a payment of ``amount`` unless it is in the currency ``customer`` is billed in.

    Args:
        customer: Who pays.
        amount: The payment's amount.
        billed_in: The currency the customer is billed in.
        what: The payment, for the message (``payment``, ``payments[3] (BANK-4)``).
        field: The field named by the error.

    Raises:
        ValidationError: On ``field``, naming both currencies.
    """
    problem = currency_problem(customer, amount, billed_in)
    if problem is not None:
        raise ValidationError(
            field,
            str(amount),
            f"an amount in {billed_in.code}",
            message=f"{what} refused: {problem}",
        )


def payment_currency_problems(
    payments: Iterable[Payment], billed_in: Mapping[str, Currency]
) -> tuple[tuple[int, Payment, str], ...]:
    """Every payment (with its position) not in its customer's currency, and why.

    Args:
        payments: The payments of a file, in order.
        billed_in: The currency each customer is billed in (customers not in it are not
            checked here).
    """
    found = []
    for index, payment in enumerate(payments):
        billed = billed_in.get(payment.customer)
        problem = (
            None if billed is None else currency_problem(payment.customer, payment.amount, billed)
        )
        if problem is not None:
            found.append((index, payment, problem))
    return tuple(found)


def post_payment(
    payment: Payment, *, entry_id: EntryId, chart: ChartOfAccounts = DEFAULT_CHART
) -> JournalEntry:
    """Return the entry receiving ``payment`` into unapplied cash."""
    return JournalEntry(
        id=entry_id,
        date=payment.date,
        kind=EntryKind.PAYMENT,
        source=payment.id,
        lines=(
            Posting(chart.cash.code, payment.amount),
            Posting(chart.unapplied.code, -payment.amount, payment.customer, payment.id),
        ),
        reference=payment.reference,
        memo=payment.method.value,
    )


def post_payment_return(
    payment_entry: JournalEntry,
    *,
    entry_id: EntryId,
    date: dt.date,
    credit: CreditItem,
    reason: str,
) -> JournalEntry:
    """Return the entry reversing a payment the bank took back (Dr unapplied, Cr cash).

    Args:
        payment_entry: The payment's own entry.
        entry_id: The id of the new entry.
        date: The posting date (the day the bank returned it).
        credit: The payment's credit item as of ``date``.
        reason: Why (bank return code, "check bounced"...).

    Raises:
        InvalidState: The entry is not a payment, or part of the payment is still
            allocated or was refunded: undo the allocations first.
        ValidationError: No reason, the credit is another payment, or ``date`` precedes
            the payment.
    """
    why = _checks.text("reason", reason)
    if payment_entry.kind is not EntryKind.PAYMENT:
        raise InvalidState(
            f"entry {payment_entry.id} is a {payment_entry.kind.value}, not a payment",
            document_id=payment_entry.source,
        )
    if credit.source != payment_entry.source:
        raise ValidationError("credit", credit.source, payment_entry.source)
    if credit.unapplied != credit.original:
        raise InvalidState(
            f"payment {credit.source} has only {credit.unapplied} of {credit.original} "
            "unapplied; unallocate it from its invoices before returning it",
            document_id=credit.source,
        )
    return reverse_entry(payment_entry, entry_id=entry_id, date=date, memo=f"returned: {why}")


def check_allocation(allocation: Allocation, open_item: OpenItem, credit: CreditItem) -> None:
    """Check that ``allocation`` fits the open item and the credit it names.

    Raises:
        ValidationError: The open item or the credit is not the one named, or belongs to
            another customer or currency.
        InvalidState: The amount exceeds what is open on the item or unapplied on the
            credit (invariant 4: nothing allocated beyond its amount).
    """
    if open_item.document_id != allocation.document_id:
        raise ValidationError("open_item", open_item.document_id, allocation.document_id)
    if credit.source != allocation.source:
        raise ValidationError("credit", credit.source, allocation.source)
    for name, customer in (
        ("open_item.customer", open_item.customer),
        ("credit.customer", credit.customer),
    ):
        if customer != allocation.customer:
            raise ValidationError(name, customer, f"customer {allocation.customer}")
    _checks.same_currency("amount", allocation.amount, open_item.currency)
    _checks.same_currency("amount", allocation.amount, credit.currency)
    if allocation.amount > open_item.open:
        raise InvalidState(
            f"cannot allocate {allocation.amount} to {open_item.number}: only {open_item.open} "
            "is open",
            document_id=open_item.document_id,
        )
    if allocation.amount > credit.unapplied:
        raise InvalidState(
            f"cannot allocate {allocation.amount} from {credit.source}: only {credit.unapplied} "
            "is unapplied",
            document_id=open_item.document_id,
        )


def post_allocation(
    allocation: Allocation,
    *,
    entry_id: EntryId,
    open_item: OpenItem,
    credit: CreditItem,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """Return the entry applying credit to an open item.

    Args:
        allocation: What to apply where.
        entry_id: The id of the new entry.
        open_item: The open item as of the allocation date.
        credit: The credit source as of the allocation date.
        chart: The chart of accounts.

    Raises:
        ValidationError: See :func:`check_allocation`.
        InvalidState: The amount exceeds the open or the unapplied amount.
    """
    check_allocation(allocation, open_item, credit)
    return JournalEntry(
        id=entry_id,
        date=allocation.date,
        kind=EntryKind.ALLOCATION,
        source=allocation.source,
        lines=(
            Posting(
                chart.unapplied.code, allocation.amount, allocation.customer, allocation.source
            ),
            Posting(
                chart.receivable.code,
                -allocation.amount,
                allocation.customer,
                allocation.document_id,
            ),
        ),
        reference=open_item.number,
    )


def post_unallocation(
    record: AllocationRecord,
    *,
    entry_id: EntryId,
    date: dt.date,
    reason: str,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """Return the entry that undoes one allocation, for ``reason``.

    The open item is owed again and the credit is unapplied again.

    Args:
        record: The allocation as derived by :func:`~o2c.ledger.allocations`.
        entry_id: The id of the new entry.
        date: The posting date (on or after the allocation).
        reason: Why (kept as the memo); required.
        chart: The chart of accounts.

    Raises:
        InvalidState: The allocation was already undone.
        ValidationError: No reason, or ``date`` precedes the allocation.
    """
    why = _checks.text("reason", reason)
    if record.unallocated_by is not None:
        raise InvalidState(
            f"allocation {record.entry_id} was already undone by {record.unallocated_by}",
            document_id=record.document_id,
        )
    if date < record.date:
        raise ValidationError("date", date.isoformat(), f"a date on or after {record.date}")
    return JournalEntry(
        id=entry_id,
        date=date,
        kind=EntryKind.UNALLOCATION,
        source=record.source,
        lines=(
            Posting(chart.receivable.code, record.amount, record.customer, record.document_id),
            Posting(chart.unapplied.code, -record.amount, record.customer, record.source),
        ),
        reference=record.document_id,
        memo=why,
        reverses=record.entry_id,
    )


def _oldest_key(item: OpenItem) -> tuple[dt.date, dt.date, str, str]:
    return (item.due_date, item.document_date, item.number, item.document_id)


def allocate_oldest_first(
    credit: CreditItem,
    open_items: Iterable[OpenItem],
    *,
    date: dt.date,
    amount: Money | None = None,
) -> tuple[Allocation, ...]:
    """Plan allocations of ``credit`` to the customer's open items, oldest due first.

    Items are taken by due date, then document date, then number; each gets what is open
    on it or what is left, whichever is less. Items of other customers or currencies and
    settled items are skipped. Whatever cannot be allocated stays unapplied.

    Args:
        credit: The credit to apply (a payment or a credit note).
        open_items: Candidate open items (typically the customer's, as of ``date``).
        date: The allocation date.
        amount: Apply at most this much (default: all that is unapplied).

    Raises:
        ValidationError: ``amount`` exceeds the unapplied credit or is not positive.
    """
    available = credit.unapplied
    if amount is not None:
        _checks.positive("amount", amount)
        _checks.same_currency("amount", amount, credit.currency)
        if amount > available:
            raise ValidationError("amount", str(amount), f"at most the unapplied {available}")
        available = amount
    plan: list[Allocation] = []
    candidates = sorted(
        (
            i
            for i in open_items
            if i.customer == credit.customer
            and i.currency == credit.currency
            and i.open.is_positive
        ),
        key=_oldest_key,
    )
    for item in candidates:
        if not available.is_positive:
            break
        part = item.open.min(available)
        plan.append(Allocation(credit.source, credit.customer, item.document_id, part, date))
        available -= part
    return tuple(plan)
