"""Credit limits that act: a customer's exposure against its limit, and credit holds.

The **exposure** of a customer is what it owes in the limit's currency, net of the
customer credit it has not used (cash received but not applied, unused credit notes),
plus the invoice about to be made (the **candidate**). A candidate is **over the limit**
when its exposure is above :attr:`o2c.parties.Customer.credit_limit`; a customer **on
credit hold** (dunning's ``credit_hold`` step chased an item it still owes) gets no new
credit at all. Either way the invoice is **blocked**: a manual invoice needs an approval
to be issued, and a bill run reports the customer as a warning unless the book's
``credit.bill_run`` setting is ``off`` (bill-run invoices are issued either way).

Amounts in another currency than the limit's are not measured against it (no FX here);
a customer without a limit is only checked for a credit hold.

>>> from o2c.money import Money
>>> check = CreditCheck(CustomerId("C1"), Money.of("1000.00", "USD"),
...     receivable=Money.of("900.00", "USD"), unapplied=Money.of("50.00", "USD"),
...     candidate=Money.of("200.00", "USD"), on_hold=False)
>>> str(check.exposure), check.over_limit, str(check.headroom)
('1050.00 USD', True, '150.00 USD')
>>> check.reason.split(" is over ")  # doctest: +NORMALIZE_WHITESPACE
['exposure 1050.00 USD (open 900.00 USD - unapplied 50.00 USD + this invoice 200.00 USD)',
 'the credit limit 1000.00 USD']
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId
from o2c.money import Money

__all__ = [
    "BILL_RUN_SETTING",
    "CreditAction",
    "CreditCheck",
    "bill_run_action",
]

#: The setting that says what a bill run does with a blocked invoice.
BILL_RUN_SETTING: Final = "credit.bill_run"


class CreditAction(enum.Enum):
    """What a bill run does about a customer it takes over its limit or that is on hold."""

    OFF = "off"
    WARNING = "warning"


def bill_run_action(values: Mapping[str, str]) -> CreditAction:
    """The bill run's credit action from the settings (``warning`` by default).

    Raises:
        ValidationError: The setting is not ``off`` or ``warning``.
    """
    text = values.get(BILL_RUN_SETTING, CreditAction.WARNING.value).strip().lower()
    try:
        return CreditAction(text)
    except ValueError:
        raise ValidationError(BILL_RUN_SETTING, text, "off or warning") from None


@attrs.frozen(slots=True)
class CreditCheck:
    """A customer's credit on a date, with the invoice about to be made.

    Attributes:
        customer: The customer.
        limit: Its credit limit (``None``: none).
        receivable: What it owes in the limit's currency (its open items).
        unapplied: Its customer credit not yet used, in that currency.
        candidate: The invoice about to be made (zero when only asking).
        on_hold: Whether dunning put it on credit hold.
    """

    customer: CustomerId
    limit: Money | None
    receivable: Money = attrs.field(kw_only=True)
    unapplied: Money = attrs.field(kw_only=True)
    candidate: Money = attrs.field(kw_only=True)
    on_hold: bool = attrs.field(kw_only=True)

    @property
    def measured(self) -> bool:
        """Whether the candidate is measured against the limit (same currency)."""
        return self.limit is not None and self.candidate.currency == self.limit.currency

    @property
    def exposure(self) -> Money:
        """Open less unapplied, plus the candidate when it is in the limit's currency."""
        owed = self.receivable - self.unapplied
        return owed + self.candidate if self.candidate.currency == owed.currency else owed

    @property
    def headroom(self) -> Money | None:
        """What may still be invoiced before the limit (negative when over it already)."""
        if self.limit is None:
            return None
        return self.limit - (self.receivable - self.unapplied)

    @property
    def over_limit(self) -> bool:
        """Whether the exposure, with the candidate, is above the limit."""
        return self.measured and self.limit is not None and self.exposure > self.limit

    @property
    def blocked(self) -> bool:
        """Whether the candidate needs an approval (over the limit, or on credit hold)."""
        return self.on_hold or self.over_limit

    @property
    def reason(self) -> str | None:
        """Why the candidate is blocked, in words; ``None`` when it is not."""
        reasons = []
        if self.on_hold:
            reasons.append(f"customer {self.customer} is on credit hold")
        if self.over_limit:
            reasons.append(
                f"exposure {self.exposure} (open {self.receivable} - unapplied"
                f" {self.unapplied} + this invoice {self.candidate}) is over the credit"
                f" limit {self.limit}"
            )
        return "; ".join(reasons) or None
