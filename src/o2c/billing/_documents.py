"""Billing documents: invoices, credit notes and debit notes as frozen values.

One :class:`Document` type serves all three kinds; :attr:`Document.kind` says which.
A document is built consistent or not at all: its totals are the sums of its rounded
line amounts (DESIGN.md rounding point 3), its tax breakdown adds up to its tax, and an
issued document has a number while a draft has none.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Final

import attrs

from o2c.calendar import Period
from o2c.errors import InvariantViolation, ValidationError
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.parties import Address, Customer, ElectronicAddress
from o2c.tax import PersonType

__all__ = [
    "CustomerSnapshot",
    "Document",
    "DocumentKind",
    "DocumentLine",
    "DocumentStatus",
    "DocumentTotals",
    "LineSource",
    "LineTax",
    "ReasonCode",
    "TaxSubtotal",
    "compute_totals",
    "snapshot",
]

_ZERO: Final = Decimal(0)


class DocumentKind(enum.Enum):
    """What a document is."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"

    @property
    def sign(self) -> int:
        """+1 when the document raises what the customer owes, -1 when it lowers it."""
        return -1 if self is DocumentKind.CREDIT_NOTE else 1


class DocumentStatus(enum.Enum):
    """Lifecycle state: draft (editable) -> issued (immutable, numbered) -> void."""

    DRAFT = "draft"
    ISSUED = "issued"
    VOID = "void"


class ReasonCode(enum.Enum):
    """Why a credit or debit note (or a re-bill) was made."""

    WRONG_PRICE = "wrong_price"
    WRONG_QUANTITY = "wrong_quantity"
    DUPLICATE = "duplicate"
    TAX_ERROR = "tax_error"
    GOODWILL = "goodwill"
    CANCELLATION = "cancellation"
    OTHER = "other"

    @property
    def is_billing_error(self) -> bool:
        """Whether the correction admits a billing error (counts against invoice accuracy)."""
        return self in _BILLING_ERRORS

    @classmethod
    def parse(cls, value: str | ReasonCode) -> ReasonCode:
        """Return the reason named ``value`` (``"wrong_price"``, ``"wrong-price"``...).

        Raises:
            ValidationError: Unknown reason.
        """
        if isinstance(value, ReasonCode):
            return value
        try:
            return cls(str(value).strip().lower().replace("-", "_").replace(" ", "_"))
        except ValueError:
            names = ", ".join(r.value for r in cls)
            raise ValidationError("reason", value, f"one of {names}") from None


_BILLING_ERRORS: Final = frozenset(
    {ReasonCode.WRONG_PRICE, ReasonCode.WRONG_QUANTITY, ReasonCode.DUPLICATE, ReasonCode.TAX_ERROR}
)


class LineSource(enum.Enum):
    """Where a document line came from."""

    RECURRING = "recurring"
    USAGE = "usage"
    TIME = "time"
    ORDER = "order"
    TRUE_UP = "true_up"
    DISCOUNT = "discount"
    MANUAL = "manual"
    CORRECTION = "correction"


@attrs.frozen(slots=True)
class LineTax:
    """One tax on one line.

    Attributes:
        code: Tax code of the rate table (``"MX-IVA-16"``, ``"MX-ISR-RET-10"``).
        category: EN 16931 category code (S, Z, E, AE, K, G, O, L, M).
        rate: Rate as a fraction (``0.16``).
        amount: Tax amount, rounded; for a withholding the amount withheld (positive).
        withholding: Whether the buyer withholds it (reduces the payable amount).
        tax: The tax it belongs to (``"MX-IVA"``, ``"DE-VAT"``); several codes and rates
            may belong to one tax.
    """

    code: str
    category: str
    rate: Decimal
    amount: Money
    withholding: bool = False
    tax: str = ""


@attrs.frozen(slots=True)
class TaxSubtotal:
    """One row of a document's tax breakdown (EN 16931 BG-23).

    Attributes:
        code: Tax code.
        category: EN 16931 category code.
        rate: Rate as a fraction.
        base: Taxable amount: the sum of the rounded nets of the lines it covers.
        amount: Tax amount of the row.
        withholding: Whether it is withheld rather than charged.
        exemption_reason: Legal reason for exempt, zero-rated or reverse-charge rows.
        tax: The tax it belongs to (``"MX-IVA"``).
        label: Printable name (``"IVA"``, ``"ISR retenido"``).
    """

    code: str
    category: str
    rate: Decimal
    base: Money
    amount: Money
    withholding: bool = False
    exemption_reason: str = ""
    tax: str = ""
    label: str = ""


@attrs.frozen(slots=True)
class DocumentLine:
    """One line of a document.

    Amounts are in the document's currency; ``net`` is rounded (rounding point 1) and
    each tax amount is rounded (rounding point 2).

    Attributes:
        number: Line number, 1-based, unique in the document.
        item: Item code.
        description: Text shown to the customer.
        quantity: Quantity (for a credit note the quantity credited, positive).
        unit_price: Price of one unit; ``None`` where the amount is not quantity × price
            (tiers, packages, true-ups).
        net: Net amount, rounded, positive for every kind (the kind gives the sign).
        taxes: Taxes and withholdings on the line.
        source: Where the line came from.
        period: Service period the line covers, if any.
        explain: Explanation steps (how the amount was computed), one per line of text.
        ref_line: For a credit or debit note: the number of the invoice line it
            corrects.
        tax_code: Tax code requested for the line (the item's tax class), if any.
    """

    number: int
    item: ItemCode
    description: str
    quantity: Decimal
    unit_price: Money | None
    net: Money
    taxes: tuple[LineTax, ...] = ()
    source: LineSource = LineSource.MANUAL
    period: Period | None = None
    explain: tuple[str, ...] = ()
    ref_line: int | None = None
    tax_code: str = ""

    @property
    def tax(self) -> Money:
        """Tax charged on the line (withholdings excluded)."""
        total = _ZERO
        for t in self.taxes:
            if not t.withholding:
                total += t.amount.amount
        return Money(total, self.net.currency)

    @property
    def withheld(self) -> Money:
        """Tax withheld on the line."""
        total = _ZERO
        for t in self.taxes:
            if t.withholding:
                total += t.amount.amount
        return Money(total, self.net.currency)

    @property
    def gross(self) -> Money:
        """Net plus tax charged."""
        return self.net + self.tax

    @property
    def tax_category(self) -> str:
        """Category of the first charged tax (``"S"``...), ``"O"`` when untaxed."""
        for t in self.taxes:
            if not t.withholding:
                return t.category
        return "O"


@attrs.frozen(slots=True)
class DocumentTotals:
    """A document's totals: sums of rounded line amounts, never re-rounded.

    Attributes:
        net: Sum of line nets.
        tax: Tax charged (sum of the non-withheld breakdown rows).
        withheld: Tax withheld by the buyer.
        gross: ``net + tax``.
        payable: ``gross - withheld``: what the customer pays.
        breakdown: One row per tax code and rate.
    """

    net: Money
    tax: Money
    withheld: Money
    gross: Money
    payable: Money
    breakdown: tuple[TaxSubtotal, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.gross.amount != self.net.amount + self.tax.amount:
            raise InvariantViolation(f"gross {self.gross} != net {self.net} + tax {self.tax}")
        if self.payable.amount != self.gross.amount - self.withheld.amount:
            raise InvariantViolation(
                f"payable {self.payable} != gross {self.gross} - withheld {self.withheld}"
            )

    @classmethod
    def zero(cls, currency: Currency) -> DocumentTotals:
        """All-zero totals."""
        z = Money(_ZERO, currency)
        return cls(z, z, z, z, z)


def compute_totals(
    lines: tuple[DocumentLine, ...],
    currency: Currency,
    breakdown: tuple[TaxSubtotal, ...] | None = None,
) -> DocumentTotals:
    """Sum ``lines`` into totals.

    Without ``breakdown`` the breakdown is built by grouping the line taxes by code and
    rate (the per-line rounding result). With a ``breakdown`` from the tax engine (for
    per-document rounding) its amounts are used as given, and the line taxes must add up
    to it.

    Raises:
        InvariantViolation: The line taxes do not add up to the given breakdown.
    """
    net = tax = withheld = _ZERO
    groups: dict[tuple[str, Decimal, bool], list[Decimal]] = {}
    categories: dict[tuple[str, Decimal, bool], tuple[str, str]] = {}
    for line in lines:
        line_net = line.net.amount
        net += line_net
        for t in line.taxes:
            key = (t.code, t.rate, t.withholding)
            acc = groups.get(key)
            if acc is None:
                groups[key] = [line_net, t.amount.amount]
                categories[key] = (t.category, t.tax)
            else:
                acc[0] += line_net
                acc[1] += t.amount.amount
            if t.withholding:
                withheld += t.amount.amount
            else:
                tax += t.amount.amount
    if breakdown is None:
        breakdown = tuple(
            TaxSubtotal(
                code,
                categories[(code, rate, wh)][0],
                rate,
                Money(base, currency),
                Money(amount, currency),
                wh,
                tax=categories[(code, rate, wh)][1],
            )
            for (code, rate, wh), (base, amount) in groups.items()
        )
    else:
        given_tax = sum((r.amount.amount for r in breakdown if not r.withholding), _ZERO)
        given_withheld = sum((r.amount.amount for r in breakdown if r.withholding), _ZERO)
        if given_tax != tax or given_withheld != withheld:
            raise InvariantViolation(
                f"line taxes ({tax} charged, {withheld} withheld) do not add up to the tax "
                f"breakdown ({given_tax} charged, {given_withheld} withheld)"
            )
    gross = net + tax
    return DocumentTotals(
        Money(net, currency),
        Money(tax, currency),
        Money(withheld, currency),
        Money(gross, currency),
        Money(gross - withheld, currency),
        breakdown,
    )


@attrs.frozen(slots=True)
class CustomerSnapshot:
    """The customer as a document shows them, frozen when the document was made.

    Attributes:
        customer_id: Customer id.
        legal_name: Legal name.
        address: Billing address, if known.
        tax_id: Primary tax id, if any.
        country: Country code.
        region: Tax region, if any.
        person_type: Individual or company.
        locale: Document locale.
        time_zone: Customer time zone.
        electronic_address: The customer's Peppol endpoint, if it has one (documents
            stored before it existed read back without one).
    """

    customer_id: CustomerId
    legal_name: str
    address: Address | None
    tax_id: str | None
    country: str
    region: str = ""
    person_type: PersonType = PersonType.COMPANY
    locale: str = "en_US"
    time_zone: str = "UTC"
    electronic_address: ElectronicAddress | None = None


def snapshot(customer: Customer) -> CustomerSnapshot:
    """Freeze the parts of ``customer`` a document shows."""
    return CustomerSnapshot(
        customer.id,
        customer.legal_name,
        customer.billing_address,
        customer.tax_id,
        customer.country,
        customer.region,
        customer.person_type,
        customer.locale,
        customer.time_zone,
        customer.electronic_address,
    )


@attrs.frozen(slots=True)
class Document:
    """An invoice, credit note or debit note.

    Build drafts with :func:`o2c.billing.draft_invoice`, :func:`o2c.billing.credit_note_for`
    and friends rather than by hand: they compute lines and totals consistently. The
    constructor checks the invariants (totals equal the sums of the lines; a number
    exactly when issued or void; a correction names the document it corrects).

    Attributes:
        id: Document id (exists from the draft on).
        kind: Invoice, credit note or debit note.
        status: Draft, issued or void.
        customer: Customer snapshot.
        currency: Document currency.
        lines: Lines, numbered from 1.
        totals: Totals and tax breakdown.
        number: Number from the document's series; ``None`` for a draft.
        issue_date: Date of issue (also the accounting date); ``None`` for a draft.
        due_date: Due date from the payment terms; ``None`` for a draft.
        tax_point: Date that decides the tax rates (defaults to the issue date).
        period: Service period billed, if any.
        contract_id: Contract billed, if any.
        po_number: Customer's purchase order number.
        payment_terms: Payment terms text shown on the document (``"net 30"``).
        reference: For a credit or debit note: the id of the corrected invoice. For a
            re-bill invoice: the id of the invoice it replaces.
        reason: Reason code of a correction.
        reason_text: Free text explaining the correction.
        run_key: Bill-run key ``"{contract}:{period}"`` for billed contracts, or the
            source key of an order (``"order:SO-1"``).
        notes: Legal texts printed on the document (reverse charge, exemption reasons,
            export); technical notes go to ``explain``.
        explain: The document's technical explanation, not printed for the customer:
            how its tax was rounded (``"CFDI 4.0: tax rounded per line (half up); ..."``),
            shown by ``o2c invoice explain``.
        seller_version: The version of the book's seller (:class:`o2c.parties.Seller`)
            the document was issued under, recorded by the Book at issue; ``None`` for a
            draft, a document not stored yet, or one issued before any seller was set.
    """

    id: DocumentId
    kind: DocumentKind
    status: DocumentStatus
    customer: CustomerSnapshot
    currency: Currency
    lines: tuple[DocumentLine, ...]
    totals: DocumentTotals
    number: str | None = None
    issue_date: dt.date | None = None
    due_date: dt.date | None = None
    tax_point: dt.date | None = None
    period: Period | None = None
    contract_id: ContractId | None = None
    po_number: str | None = None
    payment_terms: str = ""
    reference: DocumentId | None = None
    reason: ReasonCode | None = None
    reason_text: str = ""
    run_key: str | None = None
    notes: tuple[str, ...] = ()
    explain: tuple[str, ...] = ()
    seller_version: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.status is DocumentStatus.DRAFT:
            if self.number is not None:
                raise ValidationError(
                    "number", self.number, "no number on a draft (numbers are given at issue)"
                )
        elif self.number is None or self.issue_date is None:
            raise ValidationError(
                "number", self.number, f"a number and issue date on a {self.status.value} document"
            )
        if self.kind is not DocumentKind.INVOICE and (
            self.reference is None or self.reason is None
        ):
            raise ValidationError(
                "reference",
                self.reference,
                f"the corrected invoice and a reason on a {self.kind.value.replace('_', ' ')}",
            )
        net = _ZERO
        expected_number = 1
        currency = self.currency
        for line in self.lines:
            if line.number != expected_number:
                raise ValidationError(
                    f"lines[{expected_number - 1}].number", line.number, str(expected_number)
                )
            line_currency = line.net.currency
            if line_currency is not currency and line_currency != currency:
                raise ValidationError(
                    f"lines[{expected_number - 1}].net",
                    str(line.net),
                    f"an amount in the document currency {currency}",
                )
            expected_number += 1
            net += line.net.amount
        if net != self.totals.net.amount or self.totals.net.currency != self.currency:
            raise InvariantViolation(
                f"document {self.id}: totals.net {self.totals.net} is not the sum of its "
                f"lines {net} {self.currency}"
            )

    @property
    def label(self) -> str:
        """The number if issued, else ``draft <id>``."""
        return self.number if self.number is not None else f"draft {self.id}"

    @property
    def signed_payable(self) -> Money:
        """Payable amount with the kind's sign: negative for a credit note."""
        return self.totals.payable if self.kind.sign > 0 else -self.totals.payable

    def line(self, number: int) -> DocumentLine:
        """The line numbered ``number``.

        Raises:
            ValidationError: No such line.
        """
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        raise ValidationError("line", number, f"a line number 1-{len(self.lines)} of {self.label}")
