"""Write-off tolerance: the few cents a payment may be short and still close an invoice.

A customer's bank takes a fee, or a remittance rounds: the payment is short by a few
cents. A controller sets, per currency, how short a payment may be (an amount, a percent
of what was open, or both); when cash applied to an invoice leaves an open remainder
within it, the remainder is written off at once as a small balance (Dr rounding, Cr AR)
in the same transaction. Above it, the remainder stays open. The tolerance is policy, so
the write-off approval thresholds do not apply to it.

With both an amount and a percent, the remainder must be within **both** (the smaller of
the two limits): the amount caps what one invoice may lose, the percent keeps a small
invoice from losing a large share of itself.

The settings are ``writeoff.tolerance.<CUR> = "0.05"`` (an amount in the currency's minor
units) and ``writeoff.tolerance_percent.<CUR> = "0.1"`` (a percent of the amount open
before the payment).

Example:
    >>> from o2c.money import Money
    >>> usd = tolerances_from_settings({"writeoff.tolerance.USD": "0.05"})["USD"]
    >>> tolerance_writeoff(Money.of("100.00", "USD"), Money.of("99.97", "USD"), usd)
    Money('0.03', 'USD')
    >>> tolerance_writeoff(Money.of("100.00", "USD"), Money.of("99.90", "USD"), usd) is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ledger import _checks
from o2c.money import Currency, Money

__all__ = [
    "TOLERANCE_PREFIX",
    "WriteOffTolerance",
    "tolerance_memo",
    "tolerance_writeoff",
    "tolerances_from_settings",
]

#: The settings prefix of write-off tolerances.
TOLERANCE_PREFIX: Final = "writeoff."
_AMOUNT: Final = "tolerance"
_PERCENT: Final = "tolerance_percent"


@attrs.frozen(slots=True)
class WriteOffTolerance:
    """How short a payment in one currency may be and still close an invoice.

    Attributes:
        currency: The currency.
        amount: The largest remainder written off (None: no amount limit).
        percent: The largest remainder as a percent of what was open before the payment
            (None: no percent limit).
    """

    currency: Currency
    amount: Money | None = None
    percent: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        if self.amount is not None:
            _checks.same_currency("amount", self.amount, self.currency)
            if self.amount.is_negative or not self.amount.is_rounded:
                raise ValidationError("amount", str(self.amount), "zero or more, rounded")
        if self.percent is not None and not Decimal(0) <= self.percent < Decimal(100):
            raise ValidationError("percent", str(self.percent), "a percent from 0 to below 100")


def tolerance_writeoff(
    open_amount: Money, applied: Money, policy: WriteOffTolerance | None
) -> Money | None:
    """The small balance to write off when ``applied`` is applied to ``open_amount``.

    Returns the remainder ``open_amount - applied`` when it is above zero and within the
    tolerance (within the amount and within the percent of ``open_amount``, when both are
    set), else None: no policy, nothing applied, the item fully settled (or over-paid),
    or a remainder above the tolerance (it stays open).

    Raises:
        ValidationError: The amounts or the policy are in different currencies.

    Example:
        >>> from decimal import Decimal
        >>> pct = WriteOffTolerance(Currency.of("USD"), percent=Decimal("0.5"))
        >>> tolerance_writeoff(Money.of("20.00", "USD"), Money.of("19.90", "USD"), pct)
        Money('0.10', 'USD')
        >>> tolerance_writeoff(Money.of("20.00", "USD"), Money.of("19.89", "USD"), pct) is None
        True
    """
    _checks.same_currency("applied", applied, open_amount.currency)
    if policy is None:
        return None
    if policy.currency != open_amount.currency:
        raise ValidationError("policy", policy.currency.code, open_amount.currency.code)
    if not applied.is_positive or applied >= open_amount:
        return None
    if policy.amount is None and policy.percent is None:
        return None
    remainder = open_amount - applied
    if policy.amount is not None and remainder > policy.amount:
        return None
    if policy.percent is not None and remainder.amount * 100 > open_amount.amount * policy.percent:
        return None
    return remainder


def tolerance_memo(currency: Currency, source: str) -> str:
    """The memo of the tolerance write-off that cash from ``source`` caused (the store
    links the write-off to its allocation, too: ``write_offs.allocation_id``)."""
    return f"within the {currency.code} write-off tolerance, after {source}"


def _percent(key: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise ValidationError(key, text, "a percent, e.g. 0.5") from None
    if not value.is_finite() or not Decimal(0) <= value < Decimal(100):
        raise ValidationError(key, text, "a percent from 0 to below 100")
    return value


def tolerances_from_settings(settings: Mapping[str, str]) -> dict[str, WriteOffTolerance]:
    """The write-off tolerances by currency code, from ``writeoff.*`` book settings.

    Raises:
        ValidationError: A key or value is not acceptable; ``field`` is its key.
    """
    amounts: dict[str, Money] = {}
    percents: dict[str, Decimal] = {}
    for key, text in sorted(settings.items()):
        if not key.startswith(TOLERANCE_PREFIX):
            continue
        parts = key.split(".")
        if len(parts) != 3 or parts[1] not in (_AMOUNT, _PERCENT):
            raise ValidationError(
                key, text, "writeoff.tolerance.<CUR> or writeoff.tolerance_percent.<CUR>"
            )
        code = parts[2]
        try:
            Currency.of(code)
        except ValidationError:
            raise ValidationError(key, code, "an ISO 4217 currency code") from None
        if parts[1] == _PERCENT:
            percents[code] = _percent(key, text)
            continue
        try:
            amount = Money.of(text.strip(), code)
        except (ValidationError, InvalidOperation, ValueError) as error:
            raise ValidationError(key, text, f"an amount in {code}: {error}") from None
        if amount.is_negative or not amount.is_rounded:
            raise ValidationError(
                key, text, f"an amount in {code} of zero or more, in its minor units"
            )
        amounts[code] = amount
    return {
        code: WriteOffTolerance(
            Currency.of(code), amount=amounts.get(code), percent=percents.get(code)
        )
        for code in sorted({*amounts, *percents})
    }
