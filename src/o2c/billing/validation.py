"""Checks a candidate invoice must pass before it goes out.

:func:`validate_invoice` returns every problem at once, as values (beancount style); the
bill run turns a candidate with problems into an exception in its queue instead of
stopping.

Example:
    >>> from o2c.billing.validation import ProblemCode
    >>> ProblemCode.PO_REQUIRED.value
    'po_required'
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._documents import Document, LineSource
from o2c.money import MAX_INTEGER_DIGITS, Money
from o2c.parties import Customer

__all__ = [
    "BillRunPolicy",
    "Problem",
    "ProblemCode",
    "ZeroAmountPolicy",
    "validate_invoice",
]


class ProblemCode(enum.Enum):
    """Why a candidate invoice cannot go out as it is."""

    UNKNOWN_CUSTOMER = "unknown_customer"
    MISSING_TAX_ID = "missing_tax_id"
    MISSING_ADDRESS = "missing_address"
    PO_REQUIRED = "po_required"
    NO_RATE = "no_rate"
    RATING_ERROR = "rating_error"
    TAX_ERROR = "tax_error"
    CURRENCY_MISMATCH = "currency_mismatch"
    NEGATIVE_TOTAL = "negative_total"
    ZERO_AMOUNT = "zero_amount"
    NO_LINES = "no_lines"
    AMOUNT_TOO_LARGE = "amount_too_large"


class ZeroAmountPolicy(enum.Enum):
    """What a bill run does with an invoice whose amount is zero."""

    #: Do not create it (the run key is reported as skipped, not billed).
    SKIP = "skip"
    #: Create it like any other invoice.
    ALLOW = "allow"
    #: Put it in the exceptions queue for a person to decide.
    EXCEPTION = "exception"


#: Tax categories that need the buyer's tax id on the invoice (reverse charge,
#: intra-community supply: EN 16931 BR-AE-02, BR-IC-02).
_NEEDS_BUYER_TAX_ID: Final = frozenset({"AE", "K"})


@attrs.frozen(slots=True)
class BillRunPolicy:
    """Rules a bill run applies to its candidates.

    Attributes:
        zero_amount: What to do with zero-amount invoices.
        allow_negative: Whether an invoice may total below zero (otherwise it becomes an
            exception: a credit note is the right document for money owed back).
        require_address: Whether a complete billing address is required.
    """

    zero_amount: ZeroAmountPolicy = ZeroAmountPolicy.SKIP
    allow_negative: bool = False
    require_address: bool = True


@attrs.frozen(slots=True)
class Problem:
    """One thing wrong with a candidate.

    Attributes:
        code: What kind of problem.
        message: What is wrong and what to do, for a person.
        field: The field concerned, if any (``customer.billing_address``).
    """

    code: ProblemCode
    message: str
    field: str = ""

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


_DEFAULT_POLICY: Final = BillRunPolicy()


def _po_missing(draft: Document, who: str) -> str:
    """The PO-required problem, with the command that fixes it for a contract invoice.

    The bill run takes the PO from the contract version in effect on the first day the
    invoice bills (the period start, or the contract start within its first period:
    where its recurring lines begin), so the amendment starts that day.
    """
    if draft.contract_id is None or draft.period is None:
        return f"{who} requires a purchase order number and the invoice has none"
    starts = [
        line.period.start
        for line in draft.lines
        if line.source is LineSource.RECURRING and line.period is not None
    ]
    since = max(draft.period.start, min(starts)) if starts else draft.period.start
    return (
        f"{who} requires a purchase order number and contract {draft.contract_id} has none "
        f"on {since}; add it: o2c contract amend {draft.contract_id} --from {since} "
        "--po <PO number>"
    )


#: Every amount o2c stores is under this many major units (see o2c.money.parse_decimal).
_LIMIT: Final = Decimal(10) ** MAX_INTEGER_DIGITS


def _too_large(draft: Document) -> tuple[str, Money] | None:
    """The first amount of ``draft`` o2c cannot store (a total or a line's net), or None:
    a contract or usage that bills more than that is the input's mistake, and it goes to
    the exceptions queue rather than stop the whole run."""
    totals = draft.totals
    for name, amount in (
        ("net", totals.net),
        ("tax", totals.tax),
        ("gross", totals.gross),
        ("payable", totals.payable),
    ):
        if abs(amount.amount) >= _LIMIT:
            return f"totals.{name}", amount
    for n, line in enumerate(draft.lines):
        if abs(line.net.amount) >= _LIMIT:
            return f"lines[{n}].net", line.net
    return None


def validate_invoice(
    draft: Document, customer: Customer, policy: BillRunPolicy = _DEFAULT_POLICY
) -> tuple[Problem, ...]:
    """Every problem that keeps ``draft`` from being issued to ``customer``.

    Checks: tax id where required (customer flag, or a reverse-charge/intra-community
    line), complete billing address, PO number where the customer requires one,
    currency equal to the customer's, no negative total, the zero-amount policy, at
    least one line, no amount beyond what o2c stores (10^15).

    Returns:
        The problems found, in a stable order; empty when the draft is fine.
    """
    problems: list[Problem] = []
    who = f"customer {customer.id}"
    if not draft.lines:
        problems.append(Problem(ProblemCode.NO_LINES, f"nothing to bill for {who}", "lines"))
    if customer.tax_id is None:
        needs = customer.tax_id_required or any(
            t.category in _NEEDS_BUYER_TAX_ID for line in draft.lines for t in line.taxes
        )
        if needs:
            problems.append(
                Problem(
                    ProblemCode.MISSING_TAX_ID,
                    f"{who} has no tax id (RFC / VAT id) and this invoice needs one; "
                    "add the registration to the customer",
                    "customer.tax_registrations",
                )
            )
    if policy.require_address:
        address = customer.billing_address
        if address is None or not address.is_complete:
            problems.append(
                Problem(
                    ProblemCode.MISSING_ADDRESS,
                    f"{who} has {'no' if address is None else 'an incomplete'} billing "
                    "address; street, city and postal code are required",
                    "customer.billing_address",
                )
            )
    if customer.po_required and not (draft.po_number and draft.po_number.strip()):
        problems.append(Problem(ProblemCode.PO_REQUIRED, _po_missing(draft, who), "po_number"))
    if draft.currency != customer.currency:
        problems.append(
            Problem(
                ProblemCode.CURRENCY_MISMATCH,
                f"invoice is in {draft.currency} but {who} is billed in {customer.currency}",
                "currency",
            )
        )
    too_large = _too_large(draft)
    if too_large is not None:
        problems.append(
            Problem(
                ProblemCode.AMOUNT_TOO_LARGE,
                f"invoice {too_large[0]} of {too_large[1]} for {who} is beyond o2c's limit "
                f"of 10^{MAX_INTEGER_DIGITS}; check the contract's quantity and price",
                too_large[0],
            )
        )
    payable = draft.totals.payable
    if payable.is_negative and not policy.allow_negative:
        problems.append(
            Problem(
                ProblemCode.NEGATIVE_TOTAL,
                f"invoice total {payable} is negative; issue a credit note instead",
                "totals.payable",
            )
        )
    if draft.lines and payable.is_zero and policy.zero_amount is ZeroAmountPolicy.EXCEPTION:
        problems.append(
            Problem(ProblemCode.ZERO_AMOUNT, f"invoice for {who} totals zero", "totals.payable")
        )
    return tuple(problems)
