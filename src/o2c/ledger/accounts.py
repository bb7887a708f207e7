"""The chart of accounts: default account codes, their kinds and renames.

o2c posts to a small, fixed set of account *roles*. Each role has a default code; revenue,
tax payable and tax withheld receivable are families with one account per item class, per
tax code and per withholding code (``4000-SERVICES``, ``2300-MX-IVA``, ``1300-MX-ISR``).
Names can be changed (``renamed``) without touching a single posting, because postings
carry codes, never names.

Example:
    >>> chart = ChartOfAccounts()
    >>> chart.tax_payable("MX-IVA")
    Account(code='2300-MX-IVA', name='Tax payable MX-IVA', kind=<AccountKind.LIABILITY: 'liability'>, role=<AccountRole.TAX_PAYABLE: 'tax_payable'>)
    >>> chart.renamed("1000", "BBVA operating account").cash.name
    'BBVA operating account'
    >>> chart.account("4000-SERVICES").role
    <AccountRole.REVENUE: 'revenue'>
"""  # noqa: E501

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from typing import Final

import attrs

from o2c.errors import NotFound, ValidationError
from o2c.ids import AccountCode

__all__ = [
    "DEFAULT_CHART",
    "Account",
    "AccountKind",
    "AccountRole",
    "ChartOfAccounts",
]


class AccountKind(enum.Enum):
    """The accounting nature of an account: which side increases it."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    REVENUE = "revenue"
    EXPENSE = "expense"

    @property
    def debit_normal(self) -> bool:
        """Whether a debit increases the account (assets and expenses)."""
        return self in (AccountKind.ASSET, AccountKind.EXPENSE)


class AccountRole(enum.Enum):
    """What o2c posts to an account; each role has a default code in the chart."""

    CASH = "cash"
    RECEIVABLE = "receivable"
    TAX_WITHHELD = "tax_withheld"
    UNAPPLIED = "unapplied"
    TAX_PAYABLE = "tax_payable"
    REVENUE = "revenue"
    BAD_DEBT = "bad_debt"
    ROUNDING = "rounding"
    #: Prepaid credits (wallets): what customers hold, bought or granted.
    CUSTOMER_CREDIT = "customer_credit"
    #: The cost of granted (promotional) credits.
    PROMOTIONAL_CREDITS = "promotional_credits"
    #: Paid credit that expired unused (IFRS 15 breakage).
    BREAKAGE = "breakage"


_KINDS: Final = {
    AccountRole.CASH: AccountKind.ASSET,
    AccountRole.RECEIVABLE: AccountKind.ASSET,
    AccountRole.TAX_WITHHELD: AccountKind.ASSET,
    AccountRole.UNAPPLIED: AccountKind.LIABILITY,
    AccountRole.TAX_PAYABLE: AccountKind.LIABILITY,
    AccountRole.REVENUE: AccountKind.REVENUE,
    AccountRole.BAD_DEBT: AccountKind.EXPENSE,
    AccountRole.ROUNDING: AccountKind.EXPENSE,
    AccountRole.CUSTOMER_CREDIT: AccountKind.LIABILITY,
    AccountRole.PROMOTIONAL_CREDITS: AccountKind.EXPENSE,
    AccountRole.BREAKAGE: AccountKind.REVENUE,
}

_DEFAULT_NAMES: Final = {
    AccountRole.CASH: "Cash and bank",
    AccountRole.RECEIVABLE: "Accounts receivable (control)",
    AccountRole.TAX_WITHHELD: "Tax withheld receivable",
    AccountRole.UNAPPLIED: "Unapplied cash and customer credit",
    AccountRole.TAX_PAYABLE: "Tax payable",
    AccountRole.REVENUE: "Revenue",
    AccountRole.BAD_DEBT: "Bad debt expense",
    AccountRole.ROUNDING: "Rounding and small balances",
    AccountRole.CUSTOMER_CREDIT: "Customer prepaid credits (wallets)",
    AccountRole.PROMOTIONAL_CREDITS: "Promotional credits expense",
    AccountRole.BREAKAGE: "Breakage revenue (expired prepaid credits)",
}


def _to_names(names: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(name)) for code, name in names)


def _check_code(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip() or " " in value:
        raise ValidationError(attribute.name, value, "an account code without spaces")


def _check_suffix(field: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip() or " " in value.strip():
        raise ValidationError(field, value, "a non-empty code without spaces, e.g. 'MX-IVA'")
    return _suffix(value)


@functools.lru_cache(maxsize=4096)
def _suffix(value: str) -> str:
    # Posting looks up the same few tax codes and item classes for every document.
    return value.strip().upper()


@functools.lru_cache(maxsize=4096)
def _family_code(prefix: str, field: str, value: str) -> AccountCode:
    return AccountCode(f"{prefix}-{_check_suffix(field, value)}")


@attrs.frozen(slots=True)
class Account:
    """One account of the chart.

    Attributes:
        code: The account code postings carry (``"1100"``, ``"2300-MX-IVA"``).
        name: The name people read; change it with :meth:`ChartOfAccounts.renamed`.
        kind: Asset, liability, revenue...
        role: What o2c posts there.
    """

    code: AccountCode
    name: str
    kind: AccountKind
    role: AccountRole


@attrs.frozen(slots=True)
class ChartOfAccounts:
    """The account codes o2c posts to, with defaults, and the names people gave them.

    Attributes:
        cash_code: Cash and bank (asset).
        receivable_code: AR control (asset); its sub-ledger per customer is the postings
            tagged with a customer and an open item.
        withheld_prefix: Tax withheld receivable, one account per withholding code.
        unapplied_code: Unapplied cash and customer credit (liability), per customer and
            per credit source (payment or credit note).
        tax_prefix: Tax payable, one account per tax code.
        revenue_prefix: Revenue; one account per item class, the prefix alone when a
            line has no class.
        bad_debt_code: Bad debt expense (uncollectible write-offs).
        rounding_code: Rounding differences and small-balance write-offs.
        customer_credit_code: Customer prepaid credits (liability), per customer and per
            wallet lot (:mod:`o2c.credit` wallets).
        promotional_code: Promotional credits expense: the cost of granted credits.
        breakage_code: Breakage revenue: paid prepaid credit that expired unused.
        names: Renames as ``(code, name)`` pairs; the last one for a code wins.
    """

    cash_code: str = attrs.field(default="1000", validator=_check_code)
    receivable_code: str = attrs.field(default="1100", validator=_check_code)
    withheld_prefix: str = attrs.field(default="1300", validator=_check_code)
    unapplied_code: str = attrs.field(default="2100", validator=_check_code)
    tax_prefix: str = attrs.field(default="2300", validator=_check_code)
    revenue_prefix: str = attrs.field(default="4000", validator=_check_code)
    bad_debt_code: str = attrs.field(default="6100", validator=_check_code)
    rounding_code: str = attrs.field(default="6900", validator=_check_code)
    customer_credit_code: str = attrs.field(default="2150", validator=_check_code)
    promotional_code: str = attrs.field(default="6300", validator=_check_code)
    breakage_code: str = attrs.field(default="4900", validator=_check_code)
    names: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_to_names)

    def __attrs_post_init__(self) -> None:
        codes = [
            self.cash_code,
            self.receivable_code,
            self.withheld_prefix,
            self.unapplied_code,
            self.tax_prefix,
            self.revenue_prefix,
            self.bad_debt_code,
            self.rounding_code,
            self.customer_credit_code,
            self.promotional_code,
            self.breakage_code,
        ]
        if len(set(codes)) != len(codes):
            raise ValidationError("chart", codes, "a different code for every account role")

    def _make(self, role: AccountRole, code: str, default_name: str) -> Account:
        name = default_name
        for renamed_code, new_name in self.names:
            if renamed_code == code:
                name = new_name
        return Account(AccountCode(code), name, _KINDS[role], role)

    def _single(self, role: AccountRole, code: str) -> Account:
        return self._make(role, code, _DEFAULT_NAMES[role])

    @property
    def cash(self) -> Account:
        """Cash and bank."""
        return self._single(AccountRole.CASH, self.cash_code)

    @property
    def receivable(self) -> Account:
        """Accounts receivable control."""
        return self._single(AccountRole.RECEIVABLE, self.receivable_code)

    @property
    def unapplied(self) -> Account:
        """Unapplied cash and customer credit."""
        return self._single(AccountRole.UNAPPLIED, self.unapplied_code)

    @property
    def customer_credit(self) -> Account:
        """Customer prepaid credits (wallets)."""
        return self._single(AccountRole.CUSTOMER_CREDIT, self.customer_credit_code)

    @property
    def promotional(self) -> Account:
        """Promotional credits expense (granted credits)."""
        return self._single(AccountRole.PROMOTIONAL_CREDITS, self.promotional_code)

    @property
    def breakage(self) -> Account:
        """Breakage revenue (paid prepaid credit that expired)."""
        return self._single(AccountRole.BREAKAGE, self.breakage_code)

    @property
    def bad_debt(self) -> Account:
        """Bad debt expense."""
        return self._single(AccountRole.BAD_DEBT, self.bad_debt_code)

    @property
    def rounding(self) -> Account:
        """Rounding differences and small balances."""
        return self._single(AccountRole.ROUNDING, self.rounding_code)

    def revenue(self, item_class: str | None = None) -> Account:
        """The revenue account of ``item_class`` (the bare prefix when ``None``)."""
        if item_class is None:
            return self._single(AccountRole.REVENUE, self.revenue_prefix)
        suffix = _check_suffix("item_class", item_class)
        return self._make(
            AccountRole.REVENUE, f"{self.revenue_prefix}-{suffix}", f"Revenue {suffix}"
        )

    def tax_payable(self, tax_code: str) -> Account:
        """The tax payable account of ``tax_code`` (e.g. ``"MX-IVA"``)."""
        suffix = _check_suffix("tax_code", tax_code)
        return self._make(
            AccountRole.TAX_PAYABLE, f"{self.tax_prefix}-{suffix}", f"Tax payable {suffix}"
        )

    def tax_withheld(self, withholding_code: str) -> Account:
        """The tax withheld receivable account of ``withholding_code`` (``"MX-ISR"``)."""
        suffix = _check_suffix("withholding_code", withholding_code)
        return self._make(
            AccountRole.TAX_WITHHELD,
            f"{self.withheld_prefix}-{suffix}",
            f"Tax withheld receivable {suffix}",
        )

    def revenue_code(self, item_class: str | None = None) -> AccountCode:
        """The code of :meth:`revenue` without building the account (hot path)."""
        if item_class is None:
            return AccountCode(self.revenue_prefix)
        return _family_code(self.revenue_prefix, "item_class", item_class)

    def tax_payable_code(self, tax_code: str) -> AccountCode:
        """The code of :meth:`tax_payable` without building the account (hot path)."""
        return _family_code(self.tax_prefix, "tax_code", tax_code)

    def tax_withheld_code(self, withholding_code: str) -> AccountCode:
        """The code of :meth:`tax_withheld` without building the account (hot path)."""
        return _family_code(self.withheld_prefix, "withholding_code", withholding_code)

    def account(self, code: str) -> Account:
        """Return the account with ``code``, including family members.

        Raises:
            NotFound: No role of this chart owns ``code``.
        """
        singles = {
            self.cash_code: AccountRole.CASH,
            self.receivable_code: AccountRole.RECEIVABLE,
            self.unapplied_code: AccountRole.UNAPPLIED,
            self.bad_debt_code: AccountRole.BAD_DEBT,
            self.rounding_code: AccountRole.ROUNDING,
            self.revenue_prefix: AccountRole.REVENUE,
            self.customer_credit_code: AccountRole.CUSTOMER_CREDIT,
            self.promotional_code: AccountRole.PROMOTIONAL_CREDITS,
            self.breakage_code: AccountRole.BREAKAGE,
        }
        if code in singles:
            return self._single(singles[code], code)
        families = (
            (self.revenue_prefix, self.revenue),
            (self.tax_prefix, self.tax_payable),
            (self.withheld_prefix, self.tax_withheld),
        )
        for prefix, make in families:
            if code.startswith(prefix + "-") and len(code) > len(prefix) + 1:
                return make(code[len(prefix) + 1 :])
        raise NotFound("account", code, hint="use a code of the chart of accounts")

    def renamed(self, code: str, name: str) -> ChartOfAccounts:
        """Return a chart where the account ``code`` is called ``name``.

        Raises:
            NotFound: ``code`` is not an account of this chart.
            ValidationError: ``name`` is empty.
        """
        self.account(code)
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("name", name, "a non-empty account name")
        return attrs.evolve(self, names=(*self.names, (code, name.strip())))

    def role_of(self, code: str) -> AccountRole | None:
        """The role of ``code``, or ``None`` when the chart does not know it."""
        try:
            return self.account(code).role
        except NotFound:
            return None


#: The default chart: ``1000`` cash, ``1100`` AR, ``1300-<code>`` withheld, ``2100``
#: unapplied, ``2300-<tax>`` tax payable, ``4000`` and ``4000-<class>`` revenue, ``6100`` bad
#: debt, ``6900`` rounding; wallets: ``2150`` customer prepaid credits, ``6300`` promotional
#: credits expense, ``4900`` breakage revenue.
DEFAULT_CHART: Final = ChartOfAccounts()
