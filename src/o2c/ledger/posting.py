"""Posting rules for billing documents: invoice, credit note, debit note and void.

Billing maps its documents onto :class:`DocumentPosting`, a value that knows nothing of
billing's classes: the receivable, revenue per item class (or explicit account), tax per
tax code and withholdings per code, all rounded and all positive magnitudes (the
document kind decides the side). :func:`post_document` turns it into one balanced
:class:`~o2c.ledger.journal.JournalEntry`:

============  =====================================================================
document      entry
============  =====================================================================
invoice       Dr AR (customer, document) receivable; Dr tax withheld receivable;
              Cr revenue per class; Cr tax payable per tax
debit note    the same as an invoice: a new open item with its own due date
credit note   the mirror image; the AR credit goes to the corrected invoice's open
              item up to what is still open there, the rest to unapplied cash as a
              customer credit (source = the credit note)
void          the exact reversal of the document's entry (only while untouched)
============  =====================================================================

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> usd = lambda s: Money.of(s, "USD")
    >>> doc = DocumentPosting(
    ...     document_id=DocumentId("D1"), number="INV-1", kind=DocumentKind.INVOICE,
    ...     customer=CustomerId("C1"), date=dt.date(2026, 10, 1),
    ...     due_date=dt.date(2026, 10, 31), currency=Currency.of("USD"),
    ...     revenue=(RevenueAmount(usd("100.00"), item_class="SERVICES"),),
    ...     taxes=(TaxAmount("US-SALES", usd("8.00")),),
    ...     receivable=usd("108.00"))
    >>> entry = post_document(doc, entry_id=EntryId("E1"))
    >>> [(p.account, str(p.amount)) for p in entry.lines]
    [('1100', '108.00 USD'), ('4000-SERVICES', '-100.00 USD'), ('2300-US-SALES', '-8.00 USD')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from o2c.errors import InvalidState, ValidationError
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger import _checks
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting, reverse_entry
from o2c.money import Currency, Money

__all__ = [
    "DocumentPosting",
    "RevenueAmount",
    "TaxAmount",
    "WithholdingAmount",
    "post_document",
    "post_invoice_minor",
    "post_void",
]

_ENTRY_KINDS = {
    DocumentKind.INVOICE: EntryKind.INVOICE,
    DocumentKind.CREDIT_NOTE: EntryKind.CREDIT_NOTE,
    DocumentKind.DEBIT_NOTE: EntryKind.DEBIT_NOTE,
}


@attrs.frozen(slots=True)
class RevenueAmount:
    """Revenue of one item class (or to an explicit account) on a document.

    Attributes:
        amount: The rounded net amount; negative only for a net discount of the class.
        item_class: The item class; its account is ``<revenue prefix>-<CLASS>``.
        account: An explicit revenue account code, overriding ``item_class``.
    """

    amount: Money
    item_class: str | None = None
    account: AccountCode | None = None


@attrs.frozen(slots=True)
class TaxAmount:
    """Tax of one tax code on a document (e.g. ``MX-IVA``), rounded."""

    tax_code: str
    amount: Money


@attrs.frozen(slots=True)
class WithholdingAmount:
    """A withholding of one code (e.g. ``MX-ISR``) that the customer keeps back, rounded."""

    code: str
    amount: Money


def _check_document(doc: DocumentPosting) -> None:
    cur = doc.currency
    _checks.non_negative("receivable", doc.receivable)
    _checks.same_currency("receivable", doc.receivable, cur)
    for i, rev in enumerate(doc.revenue):
        _checks.rounded(
            f"revenue[{i}].amount", _checks.same_currency(f"revenue[{i}].amount", rev.amount, cur)
        )
    for i, tax in enumerate(doc.taxes):
        _checks.text(f"taxes[{i}].tax_code", tax.tax_code)
        _checks.rounded(
            f"taxes[{i}].amount", _checks.same_currency(f"taxes[{i}].amount", tax.amount, cur)
        )
    for i, wh in enumerate(doc.withholdings):
        _checks.text(f"withholdings[{i}].code", wh.code)
        _checks.non_negative(f"withholdings[{i}].amount", wh.amount)
        _checks.same_currency(f"withholdings[{i}].amount", wh.amount, cur)
    # Decimal sums: the currencies were checked above, and this runs once per document of
    # a bill run.
    total = (
        sum((r.amount.amount for r in doc.revenue), Decimal(0))
        + sum((t.amount.amount for t in doc.taxes), Decimal(0))
        - sum((w.amount.amount for w in doc.withholdings), Decimal(0))
    )
    expected = Money(total, cur)
    if expected != doc.receivable:
        raise ValidationError(
            "receivable",
            str(doc.receivable),
            f"revenue + taxes - withholdings = {expected}",
        )
    if doc.kind is not DocumentKind.CREDIT_NOTE and doc.due_date < doc.date:
        raise ValidationError(
            "due_date", doc.due_date.isoformat(), f"a date on or after {doc.date}"
        )
    if doc.kind is DocumentKind.INVOICE and doc.corrects is not None:
        raise ValidationError("corrects", doc.corrects, "None for an invoice")


def _revenue(lines: Iterable[RevenueAmount]) -> tuple[RevenueAmount, ...]:
    return tuple(lines)


def _taxes(lines: Iterable[TaxAmount]) -> tuple[TaxAmount, ...]:
    return tuple(lines)


def _withholdings(lines: Iterable[WithholdingAmount]) -> tuple[WithholdingAmount, ...]:
    return tuple(lines)


@attrs.frozen(slots=True)
class DocumentPosting:
    """What the ledger needs to know of an issued billing document.

    Amounts are magnitudes (a credit note's revenue is positive here); the kind decides
    the side. ``receivable`` must equal revenue + taxes - withholdings exactly.

    Attributes:
        document_id: The document id (AR postings carry it as the open item).
        number: The document number.
        kind: Invoice, credit note or debit note.
        customer: The customer.
        date: The posting date (the issue date, or the next open day).
        due_date: When it falls due (for a credit note, use the document date).
        currency: The document currency; every amount is in it.
        revenue: Net amounts per item class or account.
        taxes: Tax per tax code.
        withholdings: Withholdings per code (Mexico: ISR, IVA withheld).
        receivable: What the customer owes (or is credited): the amount due.
        corrects: For a credit or debit note, the invoice it corrects.
    """

    document_id: DocumentId
    number: str
    kind: DocumentKind
    customer: CustomerId
    date: dt.date
    due_date: dt.date
    currency: Currency
    revenue: tuple[RevenueAmount, ...] = attrs.field(converter=_revenue)
    taxes: tuple[TaxAmount, ...] = attrs.field(default=(), converter=_taxes)
    withholdings: tuple[WithholdingAmount, ...] = attrs.field(default=(), converter=_withholdings)
    receivable: Money = attrs.field(kw_only=True)
    corrects: DocumentId | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_document(self)


def post_document(
    document: DocumentPosting,
    *,
    entry_id: EntryId,
    chart: ChartOfAccounts = DEFAULT_CHART,
    corrected_open: Money | None = None,
) -> JournalEntry:
    """Return the journal entry of an issued invoice, credit note or debit note.

    Args:
        document: The document's posting values.
        entry_id: The id of the new entry.
        chart: The chart of accounts.
        corrected_open: For a credit note that corrects an invoice: the invoice's open
            amount as of the credit note's date (from :func:`~o2c.ledger.open_items`).
            The credit reduces that open item by at most this much; any rest becomes a
            customer credit on unapplied cash.

    Raises:
        ValidationError: A credit note names an invoice but ``corrected_open`` is missing
            or not in the document currency.
    """
    credit_note = document.kind is DocumentKind.CREDIT_NOTE
    cur = document.currency
    lines: list[Posting] = []
    ar = AccountCode(chart.receivable_code)
    if credit_note:
        to_invoice = Money.zero(cur)
        if document.corrects is not None:
            if corrected_open is None:
                raise ValidationError(
                    "corrected_open",
                    None,
                    f"the open amount of invoice {document.corrects} as of {document.date}",
                )
            _checks.non_negative("corrected_open", corrected_open)
            _checks.same_currency("corrected_open", corrected_open, cur)
            to_invoice = document.receivable.min(corrected_open)
            if to_invoice.is_positive:
                lines.append(Posting(ar, -to_invoice, document.customer, document.corrects))
        rest = document.receivable - to_invoice
        if rest.is_positive or not lines:
            lines.append(
                Posting(
                    AccountCode(chart.unapplied_code),
                    -rest,
                    document.customer,
                    document.document_id,
                )
            )
    else:
        lines.append(Posting(ar, document.receivable, document.customer, document.document_id))
    # Invoices and debit notes: withholdings debit, revenue and tax credit; a credit note
    # posts the mirror image.
    for wh in document.withholdings:
        if not wh.amount.is_zero:
            amount = -wh.amount if credit_note else wh.amount
            lines.append(Posting(chart.tax_withheld_code(wh.code), amount))
    for rev in document.revenue:
        if not rev.amount.is_zero:
            account = rev.account or chart.revenue_code(rev.item_class)
            lines.append(Posting(account, rev.amount if credit_note else -rev.amount))
    for tax in document.taxes:
        if not tax.amount.is_zero:
            amount = tax.amount if credit_note else -tax.amount
            lines.append(Posting(chart.tax_payable_code(tax.tax_code), amount))
    return JournalEntry(
        id=entry_id,
        date=document.date,
        kind=_ENTRY_KINDS[document.kind],
        source=document.document_id,
        lines=tuple(lines),
        reference=document.number,
        due_date=None if credit_note else document.due_date,
        memo=f"corrects {document.corrects}" if document.corrects else "",
    )


def post_invoice_minor(
    *,
    receivable: int,
    revenue: int,
    taxes: Iterable[tuple[str, int]],
    chart: ChartOfAccounts = DEFAULT_CHART,
    tax_accounts: dict[str, AccountCode] | None = None,
) -> list[tuple[AccountCode, int]]:
    """The postings of an invoice in minor units, as ``(account, amount)`` pairs.

    The same lines, in the same order, as :func:`post_document` gives an invoice with
    one revenue amount (no item class), tax per tax code and no withholdings: the
    receivable debit first (it carries the customer and the invoice as its open item),
    then revenue and tax credits, zero amounts left out. The bill run's compact path
    posts through it, so every compact entry is balance-checked too.

    Args:
        receivable: What the customer owes, in minor units (not negative).
        revenue: The net amount, in minor units.
        taxes: Tax per tax code (``MX-IVA``), in minor units.
        chart: The chart of accounts.
        tax_accounts: A cache of tax payable accounts per tax code (filled here).

    Raises:
        ValidationError: The receivable is negative or differs from revenue + taxes (the
            entry would not balance).

    Example:
        >>> post_invoice_minor(receivable=11600, revenue=10000, taxes=[("MX-IVA", 1600)])
        [('1100', 11600), ('4000', -10000), ('2300-MX-IVA', -1600)]
    """
    if receivable < 0:
        raise ValidationError("receivable", receivable, "an amount >= 0 (minor units)")
    lines: list[tuple[AccountCode, int]] = [(AccountCode(chart.receivable_code), receivable)]
    balance = receivable
    if revenue:
        lines.append((chart.revenue_code(None), -revenue))
        balance -= revenue
    accounts = {} if tax_accounts is None else tax_accounts
    for code, units in taxes:
        if units:
            account = accounts.get(code)
            if account is None:
                account = accounts[code] = chart.tax_payable_code(code)
            lines.append((account, -units))
            balance -= units
    if balance:
        raise ValidationError(
            "receivable",
            receivable,
            f"revenue + taxes = {receivable - balance} (minor units): the entry must balance",
        )
    return lines


def post_void(
    document_entry: JournalEntry,
    *,
    entry_id: EntryId,
    date: dt.date,
    open_item: OpenItem,
    reason: str,
) -> JournalEntry:
    """Return the entry that voids an untouched invoice or debit note.

    A void keeps the document's number and reverses its entry exactly. It is allowed
    only while nothing was allocated, credited or written off against the document.

    Args:
        document_entry: The invoice's or debit note's own entry.
        entry_id: The id of the new entry.
        date: The void's posting date.
        open_item: The document's open item as of ``date``.
        reason: Why it is voided (kept as the memo).

    Raises:
        InvalidState: The entry is not an invoice or debit note, or the document was
            touched (its open amount differs from what it posted).
        ValidationError: ``reason`` is empty or ``date`` precedes the document.
    """
    why = _checks.text("reason", reason)
    if document_entry.kind not in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE):
        raise InvalidState(
            f"entry {document_entry.id} is a {document_entry.kind.value}; only invoices and "
            "debit notes can be voided",
            document_id=document_entry.source,
        )
    if open_item.document_id != document_entry.source:
        raise ValidationError("open_item", open_item.document_id, document_entry.source)
    if open_item.open != open_item.original:
        raise InvalidState(
            f"{document_entry.reference or document_entry.source} has {open_item.open} open of "
            f"{open_item.original}: payments or credits touched it; issue a credit note instead",
            document_id=document_entry.source,
        )
    return reverse_entry(
        document_entry, entry_id=entry_id, date=date, memo=f"void: {why}", kind=EntryKind.VOID
    )
