"""Cash application: match incoming bank lines to customers and open items.

Rules, in order (the first that decides wins):

1. **Invoice number** in the remittance text: every open item whose number appears in
   the text as a whole token (case-insensitive; ``INV2026000042`` also matches
   ``INV-2026-000042``, separators are ignored) is matched, and so is every open item
   whose ISO 11649 creditor reference (:func:`creditor_reference`, the payment
   reference printed on the invoice, ``RF`` + check digits + the number) appears, with
   or without its spaces; all must belong to one customer.
2. **Customer reference**: a token of the remittance text, the payer reference or the
   payer name equals a reference the caller knows for a customer (customer id, a virtual
   account number, a bank reference on file); the payment is then applied to the
   customer's items oldest due first.
3. **Exact amount**: exactly one open item (in the line's currency) not matched by an
   earlier line of the same batch has exactly the line's amount.

Everything else is reported as unmatched with the reason, never guessed. Outgoing lines
(negative amounts) are reported as unmatched too.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Currency, Money
    >>> from o2c.ledger.items import DocumentKind
    >>> item = OpenItem(DocumentId("D1"), "INV-2026-000042", DocumentKind.INVOICE,
    ...     CustomerId("C1"), Currency.of("USD"), dt.date(2026, 10, 1), dt.date(2026, 10, 31),
    ...     Money.of("100.00", "USD"), Money.of("100.00", "USD"))
    >>> line = BankLine("bank.csv", 2, dt.date(2026, 11, 3), Money.of("100.00", "USD"),
    ...     reference="TX1", remittance="Payment inv-2026-000042 thanks")
    >>> result = match_payments([line], [item])
    >>> [(m.rule.value, m.customer, m.documents) for m in result.matches]
    [('invoice_number', 'C1', ('D1',))]
    >>> creditor_reference("INV-2026-000042")
    'RF54INV2026000042'
    >>> paid = attrs.evolve(line, remittance="RF54 INV2 0260 0004 2")
    >>> [m.documents for m in match_payments([paid], [item]).matches]
    [('D1',)]
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping

import attrs

from o2c.calendar import Period
from o2c.errors import PeriodClosed, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.payments import Allocation, allocate_oldest_first, currency_problem
from o2c.ledger.periods import AccountingPeriods
from o2c.money import Currency, Money

__all__ = [
    "BankLine",
    "CashApplication",
    "Match",
    "MatchRule",
    "Unmatched",
    "allocations_for_match",
    "check_statement_open",
    "creditor_reference",
    "lines_in_closed_periods",
    "match_payments",
    "plan_match",
]

_SEPARATORS = re.compile(r"[^A-Z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/_.]*[A-Za-z0-9]|[A-Za-z0-9]")
# A creditor reference as written in a remittance line: RF, two digits, then up to 21
# letters and digits, possibly in groups of four separated by spaces.
_RF = re.compile(r"\bRF\d{2}(?: ?[A-Z0-9]){1,21}")
#: Most characters an ISO 11649 reference carries after ``RF`` and its check digits.
_RF_MAX = 21


def creditor_reference(number: str) -> str:
    """The ISO 11649 structured creditor reference of a document ``number``: ``RF``,
    two check digits (ISO 7064 mod 97-10, with python-stdnum) and the number's letters
    and digits, upper-cased. Printed in groups of four (``stdnum.iso11649.format``).

    Raises:
        ValidationError: ``number`` has no letter or digit, or more than 21 of them.

    Example:
        >>> creditor_reference("539007547034")  # the standard's worked example
        'RF18539007547034'
    """
    from stdnum.iso7064 import mod_97_10

    body = _compact(number) if isinstance(number, str) else ""
    if not body or len(body) > _RF_MAX:
        raise ValidationError(
            "number", number, f"a document number of 1 to {_RF_MAX} letters and digits"
        )
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def _creditor_references(text: str, known: Mapping[str, object]) -> set[str]:
    """The ``known`` compact ``RF`` references written in ``text``: where a reference
    written in groups ends is not marked, so each is the longest known one it starts
    with."""
    found: set[str] = set()
    for hit in _RF.findall((text or "").upper()):
        compact = hit.replace(" ", "")
        for n in range(len(compact), 4, -1):
            if compact[:n] in known:
                found.add(compact[:n])
                break
    return found


@attrs.frozen(slots=True)
class BankLine:
    """One line of a bank statement.

    Attributes:
        source: The file or statement it came from (for messages).
        row: Its row (CSV) or entry position (camt.053), 1-based.
        date: Value date (or booking date when there is none).
        amount: Signed amount: incoming (credit to our account) positive.
        reference: The bank's unique reference of the transaction; the payment's
            idempotency key (DESIGN.md lesson 3).
        remittance: Remittance information (free text, structured references).
        payer: The payer's name.
        payer_reference: Another payer-side reference (end-to-end id, debtor account).
    """

    source: str
    row: int
    date: dt.date
    amount: Money
    reference: str = attrs.field(kw_only=True)
    remittance: str = attrs.field(default="", kw_only=True)
    payer: str = attrs.field(default="", kw_only=True)
    payer_reference: str = attrs.field(default="", kw_only=True)

    @reference.validator
    def _check_reference(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(
                f"{self.source}: row {self.row}: reference",
                value,
                "the bank's transaction reference",
            )


class MatchRule(enum.Enum):
    """Which rule matched a bank line."""

    INVOICE_NUMBER = "invoice_number"
    CUSTOMER_REFERENCE = "customer_reference"
    EXACT_AMOUNT = "exact_amount"


@attrs.frozen(slots=True)
class Match:
    """A bank line attributed to a customer and, where known, to documents.

    Attributes:
        line: The bank line.
        customer: The paying customer.
        rule: The rule that matched.
        documents: The open items to pay first, oldest due first; empty for a customer
            reference match (then all the customer's items, oldest due first).
    """

    line: BankLine
    customer: CustomerId
    rule: MatchRule
    documents: tuple[DocumentId, ...] = ()


@attrs.frozen(slots=True)
class Unmatched:
    """A bank line no rule could attribute, and why."""

    line: BankLine
    reason: str


@attrs.frozen(slots=True)
class CashApplication:
    """The result of matching a batch of bank lines."""

    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]


def _line_label(line: BankLine) -> str:
    return f"{line.source} row {line.row} ({line.reference}, {line.date}, {line.amount})"


def lines_in_closed_periods(
    lines: Iterable[BankLine], periods: AccountingPeriods
) -> tuple[tuple[BankLine, str], ...]:
    """The lines dated in a closed accounting month, each with the month (``2026-09``)."""
    return tuple(
        (line, Period.month(line.date.year, line.date.month).label)
        for line in lines
        if not periods.is_open(line.date)
    )


def check_statement_open(lines: Iterable[BankLine], periods: AccountingPeriods) -> None:
    """Refuse a statement any of whose lines is dated in a closed month, naming each.

    A statement is applied whole or not at all: a line in a closed month (matched or
    not) refuses it before anything is recorded, so the book stays as it was.

    Raises:
        PeriodClosed: Naming every such line (file, row, bank reference, date, amount)
            and its closed month.
    """
    closed = lines_in_closed_periods(lines, periods)
    if not closed:
        return
    named = "; ".join(f"{_line_label(line)} is in {month}" for line, month in closed)
    first, month = closed[0]
    count = f"{len(closed)} lines are" if len(closed) > 1 else "1 line is"
    raise PeriodClosed(
        month,
        first.date.isoformat(),
        message=(
            f"bank statement refused, nothing recorded: {count} dated in a closed "
            f"period: {named}; reopen the period or record those payments in an open month"
        ),
    )


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text.upper())


def _tokens(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for token in _TOKEN.findall(text or ""):
            found.add(token.upper())
            found.add(_compact(token))
        stripped = (text or "").strip().upper()
        if stripped:
            found.add(stripped)
    return found


def match_payments(
    lines: Iterable[BankLine],
    open_items: Iterable[OpenItem],
    *,
    customer_references: Mapping[str, CustomerId] | None = None,
    customer_currencies: Mapping[CustomerId, Currency] | None = None,
) -> CashApplication:
    """Match bank lines to customers and open items (see the module doc for the rules).

    Args:
        lines: The bank lines, in statement order.
        open_items: The open items as of the statement date.
        customer_references: Known references (compared case-insensitively) per customer.
        customer_currencies: The currency each customer is billed in: a line matched to a
            customer billed in another currency is left unmatched with the reason
            (naming both currencies), as o2c has no currency conversion yet.

    Returns:
        The matches and the unmatched lines with their reasons.
    """
    items = [i for i in open_items if i.open.is_positive]
    by_number: dict[str, list[OpenItem]] = {}
    for item in items:
        by_number.setdefault(item.number.upper(), []).append(item)
        compact = _compact(item.number)
        if compact != item.number.upper():
            by_number.setdefault(compact, []).append(item)
        if 0 < len(compact) <= _RF_MAX:
            by_number.setdefault(creditor_reference(compact), []).append(item)
    references = {k.strip().upper(): v for k, v in (customer_references or {}).items() if k.strip()}
    taken: set[DocumentId] = set()
    matches: list[Match] = []
    unmatched: list[Unmatched] = []
    for line in lines:
        if not line.amount.is_positive:
            unmatched.append(Unmatched(line, "not an incoming payment (amount is not above zero)"))
            continue
        tokens = _tokens(line.remittance) | _creditor_references(line.remittance, by_number)
        named = sorted(
            {i for t in tokens for i in by_number.get(t, []) if i.currency == line.amount.currency},
            key=lambda i: (i.due_date, i.document_date, i.number),
        )
        if named:
            owners = {i.customer for i in named}
            if len(owners) > 1:
                unmatched.append(
                    Unmatched(
                        line,
                        "remittance names invoices of several customers: "
                        + ", ".join(sorted(i.number for i in named)),
                    )
                )
                continue
            taken.update(i.document_id for i in named)
            matches.append(
                Match(
                    line,
                    named[0].customer,
                    MatchRule.INVOICE_NUMBER,
                    tuple(i.document_id for i in named),
                )
            )
            continue
        customers = {
            references[t]
            for t in _tokens(line.remittance, line.payer, line.payer_reference)
            if t in references
        }
        if len(customers) == 1:
            matches.append(Match(line, customers.pop(), MatchRule.CUSTOMER_REFERENCE))
            continue
        if len(customers) > 1:
            unmatched.append(
                Unmatched(line, "references of several customers: " + ", ".join(sorted(customers)))
            )
            continue
        same = [i for i in items if i.open == line.amount and i.document_id not in taken]
        if len(same) == 1:
            taken.add(same[0].document_id)
            matches.append(
                Match(line, same[0].customer, MatchRule.EXACT_AMOUNT, (same[0].document_id,))
            )
        elif same:
            unmatched.append(
                Unmatched(
                    line,
                    f"{len(same)} open items of exactly {line.amount}: "
                    + ", ".join(sorted(i.number for i in same)),
                )
            )
        else:
            unmatched.append(
                Unmatched(line, "no invoice number, customer reference or exact amount matched")
            )
    if customer_currencies:
        matches, refused = _in_billed_currency(matches, customer_currencies)
        unmatched.extend(refused)
        unmatched.sort(key=lambda u: (u.line.source, u.line.row))
    return CashApplication(tuple(matches), tuple(unmatched))


def _in_billed_currency(
    matches: Iterable[Match], billed_in: Mapping[CustomerId, Currency]
) -> tuple[list[Match], list[Unmatched]]:
    kept: list[Match] = []
    refused: list[Unmatched] = []
    for match in matches:
        billed = billed_in.get(match.customer)
        why = (
            None if billed is None else currency_problem(match.customer, match.line.amount, billed)
        )
        if why is None:
            kept.append(match)
        else:
            refused.append(Unmatched(match.line, f"not recorded: {why}"))
    return kept, refused


def allocations_for_match(
    match: Match, credit: CreditItem, open_items: Iterable[OpenItem], *, date: dt.date
) -> tuple[Allocation, ...]:
    """Plan the allocations of the payment recorded for ``match``.

    Named documents are paid first (oldest due first); for a customer reference match the
    customer's items are paid oldest due first. Anything left stays unapplied.

    Args:
        match: The match.
        credit: The payment's credit item (after :func:`~o2c.ledger.post_payment`).
        open_items: The customer's open items as of ``date``.
        date: The allocation date.
    """
    items = list(open_items)
    if match.rule is MatchRule.CUSTOMER_REFERENCE:
        return allocate_oldest_first(credit, items, date=date)
    named = set(match.documents)
    return allocate_oldest_first(credit, [i for i in items if i.document_id in named], date=date)


def plan_match(
    match: Match,
    credit: CreditItem,
    open_items: Iterable[OpenItem] | Mapping[DocumentId, OpenItem],
    *,
    date: dt.date,
) -> tuple[tuple[Allocation, ...], str]:
    """Choose the items a matched line's payment goes to, plan the allocations, and say
    which rule chose them.

    A line matched by invoice number pays the named items open on ``date``. A line
    matched only by customer reference pays the customer's one open item of exactly
    the payment's amount (``customer_reference, exact amount``), else all the
    customer's items oldest due first (``customer_reference, oldest due first``).
    Whatever is left stays unapplied.

    Args:
        match: The line's match.
        credit: The payment recorded for the line (nothing applied yet).
        open_items: The open items as of the line's date, after earlier lines of the
            same statement took their share; a mapping by document id (which a caller
            applying many lines keeps up to date) spares indexing them for every line.
        date: The line's (and allocations') date.

    Returns:
        The allocations and the rule text.
    """
    rule = match.rule.value
    if match.rule is MatchRule.CUSTOMER_REFERENCE:
        items = open_items.values() if isinstance(open_items, Mapping) else open_items
        current = [
            i
            for i in items
            if i.customer == match.customer
            and i.currency == credit.currency
            and i.open.is_positive
            and i.document_date <= date
        ]
        exact = [i for i in current if i.open == credit.original]
        if len(exact) == 1:
            current, rule = exact, f"{rule}, exact amount"
        else:
            rule = f"{rule}, oldest due first"
    else:
        by_id = (
            open_items
            if isinstance(open_items, Mapping)
            else {i.document_id: i for i in open_items}
        )
        current = [
            by_id[d] for d in match.documents if d in by_id and by_id[d].document_date <= date
        ]
    return allocations_for_match(match, credit, current, date=date), rule
