"""Exact money: :class:`Money`, :class:`Currency`, named rounding and allocation.

Money is an exact :class:`~decimal.Decimal` amount with an ISO 4217 currency. It never
holds a float. An amount may carry more decimals than the currency's minor unit (a unit
price of 0.00042 USD per API call is fine); rounding to the minor unit happens only where
a caller names it, with :meth:`Money.round` and a :class:`Rounding` mode.

Example:
    >>> from o2c.money import Money
    >>> price = Money.of("19.99", "USD")
    >>> (price * 3).round()
    Money('59.97', 'USD')
    >>> [str(part) for part in Money.of("100.00", "USD").allocate([1, 1, 1])]
    ['33.34 USD', '33.33 USD', '33.33 USD']
    >>> Money.of("1234.5", "EUR").format("de_DE")
    '1.234,50\\xa0€'
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)
from typing import Final, TypeAlias

import attrs
import babel.numbers

from o2c.errors import CurrencyMismatch, ValidationError

__all__ = [
    "DEFAULT_ROUNDING",
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "Amount",
    "Currency",
    "Money",
    "Rounding",
    "allocate_amounts",
    "parse_decimal",
    "sum_money",
]

#: What :func:`parse_decimal` accepts: never a float.
Amount: TypeAlias = Decimal | int | str

#: Digits an input number may have before the decimal point: anything under 10**15.
#: In minor units of any ISO 4217 currency (at most 3 decimals) that is under 10**18, so
#: every stored amount fits a signed 64-bit integer with room for sums.
MAX_INTEGER_DIGITS: Final = 15

#: Decimals an input number may carry (unit prices such as 0.00042 per call need some).
MAX_DECIMALS: Final = 12

_LIMIT: Final = Decimal(10) ** MAX_INTEGER_DIGITS
#: Minor units of 10**15 in a currency of 3 decimals: below 2**63 with room for sums.
_MAX_MINOR: Final = 10 ** (MAX_INTEGER_DIGITS + 3)


class Rounding(enum.Enum):
    """A named rounding mode; the value is the :mod:`decimal` constant.

    ``HALF_UP`` ("commercial" rounding) is o2c's default; ``HALF_EVEN`` ("banker's")
    is available where a regime asks for it.
    """

    HALF_UP = ROUND_HALF_UP
    HALF_EVEN = ROUND_HALF_EVEN
    HALF_DOWN = ROUND_HALF_DOWN
    UP = ROUND_UP
    DOWN = ROUND_DOWN
    CEILING = ROUND_CEILING
    FLOOR = ROUND_FLOOR

    @classmethod
    def parse(cls, value: str | Rounding) -> Rounding:
        """Return the mode named ``value`` (``"half_up"``, ``"HALF-EVEN"``...).

        Raises:
            ValidationError: The name is not a known mode.
        """
        if isinstance(value, Rounding):
            return value
        key = str(value).strip().upper().replace("-", "_")
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValidationError("rounding", value, f"one of {names}") from None


DEFAULT_ROUNDING: Final = Rounding.HALF_UP


@functools.lru_cache(maxsize=512)
def _currency(code: str) -> Currency:
    return Currency(code, babel.numbers.get_currency_precision(code))


def _check_code(_instance: object, _attribute: object, code: str) -> None:
    if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
        raise ValidationError("currency", code, "a three-letter ISO 4217 code such as 'USD'")


@attrs.frozen(slots=True, repr=False)
class Currency:
    """An ISO 4217 currency and the number of its minor-unit digits.

    Use :meth:`Currency.of` rather than the constructor: it checks the code against the
    ISO 4217 list that babel ships and takes the minor units from it (JPY 0, USD 2,
    KWD 3).
    """

    code: str = attrs.field(validator=_check_code)
    minor_units: int = attrs.field(default=2)

    @classmethod
    def of(cls, code: str | Currency) -> Currency:
        """Return the currency for an ISO 4217 code (case-insensitive).

        Raises:
            ValidationError: ``code`` is not a known ISO 4217 code.
        """
        if isinstance(code, Currency):
            return code
        if not isinstance(code, str):
            raise ValidationError("currency", code, "a three-letter ISO 4217 code such as 'USD'")
        norm = code.strip().upper()
        if not babel.numbers.is_currency(norm):
            raise ValidationError(
                "currency", code, "a known ISO 4217 currency code such as 'USD' or 'MXN'"
            )
        return _currency(norm)

    @property
    def exponent(self) -> Decimal:
        """The minor unit as a quantization exponent: ``Decimal('0.01')`` for USD."""
        return _EXPONENTS[self.minor_units]

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"


_EXPONENTS: Final = tuple(Decimal(1).scaleb(-n) for n in range(10))
#: Spaces babel puts between an amount and its currency sign (plain, no-break, narrow).
_SPACES: Final = " \xa0\u202f"


@functools.lru_cache(maxsize=64)
def _locale(name: str) -> babel.Locale:
    try:
        return babel.Locale.parse(str(name).strip().replace("-", "_"))
    except (babel.UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(
            "locale", name, "a locale babel knows, such as 'en_US', 'es_MX' or 'de_DE'"
        ) from None


def parse_decimal(value: object, field: str = "amount") -> Decimal:
    """Return ``value`` as an exact, finite Decimal within o2c's limits.

    Accepts a Decimal, an int or a decimal string (surrounding spaces and ``_`` or ``,``
    thousands separators are not accepted: ``"1234.50"``, not ``"1,234.50"``). A float, a
    bool, NaN, infinity or anything else is refused, so no binary fraction can slip into an
    amount. So is a number of :data:`MAX_INTEGER_DIGITS` digits or more before the decimal
    point (``1e400``, 60 digits, 9.3e18 cents) or with more than :data:`MAX_DECIMALS`
    decimals: every amount o2c stores fits a 64-bit integer of minor units.

    Args:
        value: The value to convert.
        field: The field name for the error message.

    Raises:
        ValidationError: The value is not an exact finite number.

    Example:
        >>> parse_decimal("0.00042")
        Decimal('0.00042')
        >>> parse_decimal(0.1, "unit_price")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: unit_price: expected an exact decimal ... got 0.1
        >>> parse_decimal(7)
        Decimal('7')
        >>> parse_decimal("1e400")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: amount: expected a number under 10^15 ... got '1e400'
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValidationError(field, value, "a decimal number")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text or any(c in text for c in "_, "):
            raise ValidationError(field, value, "a decimal number such as '1234.50'")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValidationError(field, value, "a decimal number such as '1234.50'") from None
    elif isinstance(value, float):
        raise ValidationError(field, value, "an exact decimal (str, int or Decimal), not a float")
    else:
        raise ValidationError(field, value, "a decimal number")
    if not result.is_finite():
        raise ValidationError(field, value, "a finite decimal number")
    if abs(result) >= _LIMIT:
        raise ValidationError(
            field,
            value,
            f"a number under 10^{MAX_INTEGER_DIGITS} (at most "
            f"{MAX_INTEGER_DIGITS} digits before the decimal point)",
        )
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        # Trailing zeros are no precision: "1.500000000000000" is 1.5.
        significant = result.normalize().as_tuple().exponent
        if isinstance(significant, int) and significant < -MAX_DECIMALS:
            raise ValidationError(field, value, f"at most {MAX_DECIMALS} decimals")
    return result


def _check_amount(_instance: object, _attribute: object, amount: Decimal) -> None:
    if type(amount) is not Decimal or not amount.is_finite():
        raise ValidationError(
            "amount", amount, "a finite Decimal (use Money.of to parse str or int)"
        )


@attrs.frozen(slots=True, repr=False, order=False)
class Money:
    """An exact amount of one currency.

    Arithmetic and ordering work within one currency only and raise
    :class:`~o2c.errors.CurrencyMismatch` otherwise. Equality is numeric and includes
    the currency: ``Money.of("1.0", "USD") == Money.of("1.00", "USD")``, and amounts in
    different currencies are simply unequal.

    Attributes:
        amount: The exact amount; may carry more decimals than the currency's minor unit.
        currency: The currency.
    """

    amount: Decimal = attrs.field(validator=_check_amount)
    currency: Currency = attrs.field(validator=attrs.validators.instance_of(Currency))

    # -- construction --------------------------------------------------------------

    @classmethod
    def of(cls, amount: object, currency: str | Currency) -> Money:
        """Parse ``amount`` (str, int or Decimal; never float) in ``currency``.

        Raises:
            ValidationError: The amount or the currency code is not acceptable.
        """
        return cls(parse_decimal(amount), Currency.of(currency))

    @classmethod
    def zero(cls, currency: str | Currency) -> Money:
        """Return zero in ``currency``."""
        return cls(Decimal(0), Currency.of(currency))

    @classmethod
    def from_minor(cls, units: int, currency: str | Currency) -> Money:
        """Return the amount of ``units`` minor units (cents) of ``currency``."""
        cur = Currency.of(currency)
        return cls(Decimal(units).scaleb(-cur.minor_units), cur)

    @classmethod
    def parse(
        cls, text: str, currency: str | Currency | None = None, *, locale: str | None = None
    ) -> Money:
        """Parse ``"12.50 USD"``, ``"USD 12.50"`` or ``"12.50"`` with ``currency`` given.

        This reads what ``str(money)`` writes. With ``locale``, it reads what
        :meth:`format` writes for that locale instead (``"1.234,50 €"`` in ``de_DE``):
        the locale's grouping and decimal signs, and the currency's symbol or code, which
        must be those of ``currency`` (a ``$`` alone does not say which dollar).

        Raises:
            ValidationError: The text is not an amount and a currency, or is not
                formatted for ``locale``; ``locale`` is given without ``currency``.

        Example:
            >>> Money.parse("1.234,50\xa0€", "EUR", locale="de_DE")
            Money('1234.50', 'EUR')
            >>> Money.parse("-$1,234.5", "MXN", locale="es_MX")
            Money('-1234.50', 'MXN')
        """
        if not isinstance(text, str):
            raise ValidationError("money", text, "text such as '12.50 USD'")
        if locale is not None:
            if currency is None:
                raise ValidationError(
                    "currency", None, f"the currency of an amount formatted for {locale}"
                )
            return cls._parse_localized(text, Currency.of(currency), locale)
        parts = text.split()
        if len(parts) == 2:
            first, second = parts
            number, code = (first, second) if second.isalpha() else (second, first)
            if currency is not None and Currency.of(code) != Currency.of(currency):
                raise CurrencyMismatch(Currency.of(code).code, Currency.of(currency).code, "parse")
            return cls.of(number, code)
        if len(parts) == 1 and currency is not None:
            return cls.of(parts[0], currency)
        raise ValidationError("money", text, "an amount and a currency such as '12.50 USD'")

    @classmethod
    def _parse_localized(cls, text: str, currency: Currency, locale: str) -> Money:
        loc = _locale(locale)
        body = text.strip()
        symbol = babel.numbers.get_currency_symbol(currency.code, loc)
        # The longer mark first: "MX$" must not leave "MX" behind after removing "$".
        for mark in sorted({symbol, currency.code}, key=len, reverse=True):
            if mark in body:
                body = body.replace(mark, "", 1).strip(_SPACES)
                break
        try:
            number = babel.numbers.parse_decimal(body, locale=loc, strict=True)
        except babel.numbers.NumberFormatError:
            example = Money(Decimal("1234.5"), currency).format(locale)
            raise ValidationError(
                "money",
                text,
                f"an amount in {currency.code} formatted for {loc} such as {example!r}",
            ) from None
        return cls(parse_decimal(number, "money"), currency)

    # -- rounding ------------------------------------------------------------------

    def round(self, rounding: Rounding = DEFAULT_ROUNDING) -> Money:
        """Round to the currency's minor unit with ``rounding`` (half-up by default).

        Raises:
            ValidationError: The amount is too large to round exactly (a product of
                inputs far beyond what a book stores).
        """
        return self.quantize(self.currency.exponent, rounding)

    def quantize(self, exponent: Decimal, rounding: Rounding = DEFAULT_ROUNDING) -> Money:
        """Round to ``exponent`` (e.g. ``Decimal('0.0001')``) with ``rounding``.

        Raises:
            ValidationError: The amount is too large to round exactly.
        """
        try:
            return Money(self.amount.quantize(exponent, rounding=rounding.value), self.currency)
        except InvalidOperation:
            raise ValidationError(
                "amount", f"{self.amount:.6E} {self.currency}", "an amount under 10^15"
            ) from None

    @property
    def is_rounded(self) -> bool:
        """Whether the amount has no digits below the currency's minor unit."""
        return self.amount == self.amount.quantize(self.currency.exponent, rounding=ROUND_DOWN)

    @property
    def minor_units(self) -> int:
        """The amount in minor units (cents). The amount must already be rounded.

        Raises:
            ValidationError: The amount has digits below the minor unit, or is 10^15 or
                more (a product or sum of inputs beyond what a book stores).
        """
        scaled = self.amount.scaleb(self.currency.minor_units)
        if scaled != scaled.to_integral_value():
            raise ValidationError(
                "amount", str(self), f"an amount rounded to {self.currency.minor_units} decimals"
            )
        units = int(scaled)
        if not -_MAX_MINOR < units < _MAX_MINOR:
            raise ValidationError(
                "amount", str(self), "an amount under 10^15 (it would not fit the book)"
            )
        return units

    # -- allocation ----------------------------------------------------------------

    def allocate(self, ratios: Sequence[Decimal | int]) -> tuple[Money, ...]:
        """Split this (rounded) amount by ``ratios``, largest remainder first.

        The parts always add up to exactly this amount, and each differs from its exact
        share by less than one minor unit. Ties in the remainder go to the earlier part.

        Raises:
            ValidationError: The amount is not rounded, or the ratios are empty,
                negative or all zero.
        """
        units = allocate_amounts(self.minor_units, ratios)
        return tuple(Money.from_minor(u, self.currency) for u in units)

    def split(self, parts: int) -> tuple[Money, ...]:
        """Split into ``parts`` equal parts that differ by at most one minor unit.

        Example:
            >>> [str(m) for m in Money.of(1000, "JPY").split(3)]
            ['334 JPY', '333 JPY', '333 JPY']
        """
        if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
            raise ValidationError("parts", parts, "a whole number >= 1")
        return self.allocate([1] * parts)

    # -- arithmetic ----------------------------------------------------------------

    def _same(self, other: Money, operation: str) -> None:
        if self.currency is not other.currency and self.currency != other.currency:
            raise CurrencyMismatch(self.currency.code, other.currency.code, operation)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, other: Money | Decimal | int) -> Decimal | Money:
        """``Money / Money`` is a ratio (Decimal); ``Money / number`` is unrounded Money."""
        if isinstance(other, Money):
            self._same(other, "divide")
            return self.amount / other.amount
        if isinstance(other, bool) or not isinstance(other, Decimal | int):
            return NotImplemented
        return Money(self.amount / other, self.currency)

    def ratio(self, other: Money) -> Decimal:
        """Return ``self / other`` as a Decimal (same currency)."""
        self._same(other, "divide")
        return self.amount / other.amount

    def _cmp(self, other: object, operation: str) -> Decimal:
        if not isinstance(other, Money):
            raise TypeError(f"cannot compare Money with {type(other).__name__}")
        self._same(other, operation)
        return self.amount - other.amount

    def __lt__(self, other: Money) -> bool:
        return self._cmp(other, "compare") < 0

    def __le__(self, other: Money) -> bool:
        return self._cmp(other, "compare") <= 0

    def __gt__(self, other: Money) -> bool:
        return self._cmp(other, "compare") > 0

    def __ge__(self, other: Money) -> bool:
        return self._cmp(other, "compare") >= 0

    def __bool__(self) -> bool:
        return bool(self.amount)

    @property
    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return not self.amount

    @property
    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    @property
    def is_positive(self) -> bool:
        """Whether the amount is above zero."""
        return self.amount > 0

    def min(self, other: Money) -> Money:
        """The smaller of two amounts in one currency."""
        return self if self._cmp(other, "compare") <= 0 else other

    def max(self, other: Money) -> Money:
        """The larger of two amounts in one currency."""
        return self if self._cmp(other, "compare") >= 0 else other

    # -- presentation --------------------------------------------------------------

    def format(self, locale: str = "en_US") -> str:
        """Format for people with babel, e.g. ``$1,234.50`` or ``1.234,50 €``.

        Digits below the minor unit are shown, never rounded away.
        :meth:`parse` with the same ``locale`` reads the text back.

        Raises:
            ValidationError: ``locale`` is not a locale babel knows.
        """
        return babel.numbers.format_currency(
            self.amount, self.currency.code, locale=_locale(locale), decimal_quantization=False
        )

    def __str__(self) -> str:
        amount = self.amount
        if amount == amount.quantize(self.currency.exponent, rounding=ROUND_DOWN):
            amount = amount.quantize(self.currency.exponent)
        return f"{amount:f} {self.currency.code}"

    def __repr__(self) -> str:
        return f"Money({str(self).split()[0]!r}, {self.currency.code!r})"


def allocate_amounts(total: int, ratios: Sequence[Decimal | int]) -> tuple[int, ...]:
    """Split the integer ``total`` by ``ratios`` with the largest-remainder method.

    This is the integer kernel behind :meth:`Money.allocate`; hot paths that work in
    minor units call it directly. The parts sum to ``total`` exactly.

    Raises:
        ValidationError: ``ratios`` is empty, has a negative value or sums to zero.
    """
    if not ratios:
        raise ValidationError("ratios", list(ratios), "at least one ratio")
    weights = [parse_decimal(r, "ratios") for r in ratios]
    if any(w < 0 for w in weights):
        raise ValidationError("ratios", [str(w) for w in weights], "ratios >= 0")
    weight_sum = sum(weights, Decimal(0))
    if not weight_sum:
        raise ValidationError("ratios", [str(w) for w in weights], "ratios that do not sum to 0")
    # Exact integer arithmetic: scale the ratios to whole numbers so that no division
    # ever rounds, then hand out the leftover units by largest remainder.
    scale = max(0, *(-w.as_tuple().exponent for w in weights))  # type: ignore[operator]
    ints = [int(w.scaleb(scale)) for w in weights]
    denominator = sum(ints)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares: list[int] = []
    remainders: list[int] = []
    for w in ints:
        share, rest = divmod(magnitude * w, denominator)
        shares.append(share)
        remainders.append(rest)
    left = magnitude - sum(shares)
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return tuple(sign * s for s in shares)


def sum_money(amounts: Iterable[Money], currency: str | Currency) -> Money:
    """Add up ``amounts`` (all in ``currency``); the empty sum is zero.

    Raises:
        CurrencyMismatch: An amount is in another currency.
    """
    cur = Currency.of(currency)
    total = Decimal(0)
    for m in amounts:
        if m.currency != cur:
            raise CurrencyMismatch(cur.code, m.currency.code, "add")
        total += m.amount
    return Money(total, cur)
