"""Journal entries and postings: the append-only record the ledger is derived from.

A :class:`JournalEntry` is flat and relational-friendly: a header (id, date, kind,
source, reference, due date, memo, the entry it reverses) and a tuple of
:class:`Posting` lines (account code, signed amount, customer, open item). Amounts are
signed: **debit positive, credit negative**. An entry that does not balance per
currency cannot be constructed (:class:`~o2c.errors.InvariantViolation`).

The AR sub-ledger is the postings to the AR control account: each carries the customer
and the open item (document id) it affects. Postings to unapplied cash carry the
customer and the credit source (payment id or credit note id).

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> entry = JournalEntry(
    ...     id=EntryId("E1"), date=dt.date(2026, 10, 1), kind=EntryKind.PAYMENT,
    ...     source="PAY-1", lines=(
    ...         Posting(AccountCode("1000"), Money.of("50.00", "USD")),
    ...         Posting(AccountCode("2100"), Money.of("-50.00", "USD"),
    ...                 customer=CustomerId("C1"), item="PAY-1"),
    ...     ))
    >>> [str(p.debit) for p in entry.lines]
    ['50.00 USD', '0.00 USD']
    >>> JournalEntry(id=EntryId("E2"), date=dt.date(2026, 10, 1), kind=EntryKind.PAYMENT,
    ...     source="PAY-2", lines=(Posting(AccountCode("1000"), Money.of("1", "USD")),))
    Traceback (most recent call last):
    ...
    o2c.errors.InvariantViolation: entry E2 does not balance in USD: debits - credits = 1.00 USD
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import InvariantViolation, ValidationError
from o2c.ids import AccountCode, CustomerId, EntryId
from o2c.money import Currency, Money

__all__ = [
    "EntryKind",
    "JournalEntry",
    "Posting",
    "entries_as_of",
    "reverse_entry",
]


_ZERO: Final = Decimal(0)


class EntryKind(enum.Enum):
    """What event an entry records; the value is what the store keeps."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    VOID = "void"
    PAYMENT = "payment"
    ALLOCATION = "allocation"
    UNALLOCATION = "unallocation"
    REFUND = "refund"
    WRITE_OFF = "write_off"
    REVERSAL = "reversal"
    RECOGNITION = "recognition"
    #: A payment applied to an item in another currency (o2c.fx.settlement).
    FX_SETTLEMENT = "fx_settlement"
    #: Prepaid credit put in a customer's wallet (o2c.credit wallets): bought or granted.
    WALLET_TOPUP = "wallet_topup"
    #: Wallet credit applied to an invoice: Dr customer credit, Cr AR.
    WALLET_DRAW = "wallet_draw"
    #: A wallet lot's remaining credit expired (breakage or a promotion's cost reversed).
    WALLET_EXPIRY = "wallet_expiry"


def _check_posting_amount(_instance: object, _attribute: object, value: Money) -> None:
    if not isinstance(value, Money):
        raise ValidationError("amount", value, "a Money amount")
    if not value.is_rounded:
        raise ValidationError(
            "amount", str(value), f"an amount rounded to {value.currency.minor_units} decimals"
        )


@attrs.frozen(slots=True)
class Posting:
    """One line of a journal entry.

    Attributes:
        account: The account code.
        amount: Signed amount, rounded to the minor unit: debit > 0, credit < 0.
        customer: The customer, for sub-ledger accounts (AR control, unapplied cash).
        item: The open item (document id) on AR control, or the credit source (payment id
            or credit note id) on unapplied cash; ``None`` elsewhere.
    """

    account: AccountCode
    amount: Money = attrs.field(validator=_check_posting_amount)
    customer: CustomerId | None = None
    item: str | None = None

    @property
    def currency(self) -> Currency:
        """The posting's currency."""
        return self.amount.currency

    @property
    def debit(self) -> Money:
        """The debit side (zero for a credit)."""
        return self.amount if self.amount.is_positive else Money.zero(self.amount.currency)

    @property
    def credit(self) -> Money:
        """The credit side as a positive amount (zero for a debit)."""
        return -self.amount if self.amount.is_negative else Money.zero(self.amount.currency)

    def negated(self) -> Posting:
        """The same posting on the other side (for reversals)."""
        return attrs.evolve(self, amount=-self.amount)


def _to_postings(lines: Iterable[Posting]) -> tuple[Posting, ...]:
    return tuple(lines)


def _check_lines(instance: JournalEntry, _attribute: object, lines: tuple[Posting, ...]) -> None:
    if not lines:
        raise InvariantViolation(f"entry {instance.id} has no postings")
    totals: dict[Currency, Decimal] = {}
    for line in lines:
        if not isinstance(line, Posting):
            raise ValidationError("lines", line, "Posting values")
        cur = line.amount.currency
        totals[cur] = totals.get(cur, _ZERO) + line.amount.amount
    for cur, total in sorted(totals.items(), key=lambda kv: kv[0].code):
        if total:
            raise InvariantViolation(
                f"entry {instance.id} does not balance in {cur.code}: "
                f"debits - credits = {Money(total, cur)}"
            )


@attrs.frozen(slots=True)
class JournalEntry:
    """A balanced journal entry; never edited, only reversed.

    Attributes:
        id: The entry id (given by the caller; the Book makes them unique).
        date: The posting date (accounting date); views "as of D" include entries
            dated on or before D.
        kind: What happened.
        source: The id of the document, payment, refund or write-off that caused it.
        lines: The postings; they balance per currency.
        reference: A number people know the source by (invoice number, bank reference).
        due_date: For invoices and debit notes, when the open item falls due.
        memo: Free text (the reason of an unallocation or a write-off...).
        reverses: The entry this one reverses, for voids, unallocations and reversals.
    """

    id: EntryId
    date: dt.date
    kind: EntryKind
    source: str
    lines: tuple[Posting, ...] = attrs.field(converter=_to_postings, validator=_check_lines)
    reference: str = ""
    due_date: dt.date | None = None
    memo: str = ""
    reverses: EntryId | None = None

    @property
    def currencies(self) -> frozenset[Currency]:
        """The currencies the entry posts in."""
        return frozenset(line.amount.currency for line in self.lines)


def reverse_entry(
    entry: JournalEntry,
    *,
    entry_id: EntryId,
    date: dt.date,
    memo: str = "",
    kind: EntryKind = EntryKind.REVERSAL,
) -> JournalEntry:
    """Return the entry that cancels ``entry`` exactly, dated ``date``.

    Every posting is repeated with the opposite sign, so the pair nets to zero on every
    account, customer and item. This is how o2c corrects: it never edits an entry.

    Raises:
        ValidationError: ``date`` is before the entry's own date.
    """
    if date < entry.date:
        raise ValidationError("date", date.isoformat(), f"a date on or after {entry.date}")
    return JournalEntry(
        id=entry_id,
        date=date,
        kind=kind,
        source=entry.source,
        lines=tuple(line.negated() for line in entry.lines),
        reference=entry.reference,
        due_date=None,
        memo=memo or f"reverses {entry.id}",
        reverses=entry.id,
    )


def entries_as_of(entries: Iterable[JournalEntry], as_of: dt.date) -> list[JournalEntry]:
    """The entries dated on or before ``as_of``, in their given order."""
    return [e for e in entries if e.date <= as_of]
