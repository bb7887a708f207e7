"""Exchange rates: effective-dated per pair and rate type, looked up, never guessed.

A :class:`Rate` says how many units of the *quote* currency one unit of the *base*
currency costs from a date on (``EUR/USD 1.0850`` from 2026-10-01: one euro is 1.0850
dollars), for one rate type (``ECB`` reference, Mexico's ``DOF-FIX``, the team's own
``BOOK`` rate...). A :class:`RateTable` holds them and answers :meth:`RateTable.quote`:
the rate of the latest effective date on or before the day asked, of that type.

How a quote is found, in this order:

1. **direct**: a rate of the pair itself (``EUR/USD`` for EUR to USD);
2. **inverse**: a rate of the reversed pair (``USD/EUR`` 0.92 for EUR to USD), used as
   ``1 / rate``; the division is exact until conversion rounds once;
3. **cross**: two rates through one pivot currency of the same type, both effective on
   or before the day (``EUR/USD`` and ``EUR/MXN`` give ``USD/MXN = EUR/MXN / EUR/USD``),
   again kept as an exact fraction. The pivots tried are the table's base currencies in
   code order (the ECB publishes everything against EUR).

A missing rate is a :class:`RateMissing` error naming the pair, the type and the date,
never a silent 1.0. :func:`convert` is the one rounding point: the converted amount is
rounded once to the target currency's minor unit with a named mode.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> table = RateTable([Rate.of("EUR", "USD", "1.10", dt.date(2026, 10, 1), "ECB"),
    ...                    Rate.of("EUR", "MXN", "20.00", dt.date(2026, 10, 1), "ECB")])
    >>> q = table.quote("EUR", "USD", dt.date(2026, 10, 3), "ECB")
    >>> convert(Money.of("100.00", "EUR"), q)
    Money('110.00', 'USD')
    >>> convert(Money.of("100.00", "USD"), table.quote("USD", "EUR", dt.date(2026, 10, 3), "ECB"))
    Money('90.91', 'EUR')
    >>> table.quote("USD", "MXN", dt.date(2026, 10, 3), "ECB").how
    'cross via EUR'
    >>> table.quote("EUR", "USD", dt.date(2026, 9, 30), "ECB")
    Traceback (most recent call last):
    ...
    o2c.fx.rates.RateMissing: no ECB rate for EUR/USD on or before 2026-09-30 (nor USD/EUR, nor a cross rate); set one with o2c fx set or import a rate file
"""  # noqa: E501

from __future__ import annotations

import bisect
import datetime as dt
import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, NewType

import attrs

from o2c.errors import NotFound, ValidationError
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding, parse_decimal

__all__ = [
    "DEFAULT_RATE_TYPE",
    "RATE_STATED",
    "Quote",
    "Rate",
    "RateMissing",
    "RateTable",
    "RateType",
    "convert",
    "rate_type",
]

#: A rate type's name, upper case without spaces: ``ECB``, ``DOF-FIX``, ``BOOK``.
RateType = NewType("RateType", str)

#: The rate type a book uses unless told otherwise.
DEFAULT_RATE_TYPE: Final = RateType("BOOK")

#: Digits of the exact arithmetic behind conversion (amounts under 10**15, rates of at
#: most 12 decimals, products and quotients of two rates): far more than any result needs.
_PRECISION: Final = 60


def rate_type(value: str) -> RateType:
    """Return ``value`` as a rate type (stripped, upper case).

    Raises:
        ValidationError: Empty, or with spaces inside.
    """
    if not isinstance(value, str) or not value.strip() or " " in value.strip():
        raise ValidationError("rate_type", value, "a rate type name such as 'ECB' or 'DOF-FIX'")
    return RateType(value.strip().upper())


class RateMissing(NotFound):
    """No rate of a pair and type is effective on a day.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        rate_type: The rate type asked for.
        on: The day.
    """

    def __init__(self, base: Currency, quote: Currency, kind: RateType, on: dt.date) -> None:
        self.base = base
        self.quote = quote
        self.rate_type = kind
        self.on = on
        super().__init__(
            f"{kind} rate",
            f"for {base.code}/{quote.code}",
            hint=None,
        )
        self.message = (
            f"no {kind} rate for {base.code}/{quote.code} on or before {on.isoformat()} "
            f"(nor {quote.code}/{base.code}, nor a cross rate); set one with o2c fx set "
            "or import a rate file"
        )
        self.args = (self.message,)


def _check_rate(_instance: object, _attribute: object, value: Decimal) -> None:
    if type(value) is not Decimal or not value.is_finite() or value <= 0:
        raise ValidationError("rate", value, "a rate above zero")


def _check_pair(instance: Rate, _attribute: object, quote: Currency) -> None:
    if quote == instance.base:
        raise ValidationError("quote", quote.code, f"a currency other than {instance.base.code}")


@attrs.frozen(slots=True)
class Rate:
    """One exchange rate: ``rate`` units of ``quote`` per unit of ``base``, from ``effective``.

    Attributes:
        base: The currency priced.
        quote: The currency it is priced in.
        rate: Units of ``quote`` for one ``base``, above zero, exact.
        effective: The first day the rate applies.
        rate_type: Which rate (``ECB``, ``DOF-FIX``, ``BOOK``...).
        source: Where it came from (a file name, ``manual``, an app's feed).
    """

    base: Currency
    quote: Currency = attrs.field(validator=_check_pair)
    rate: Decimal = attrs.field(validator=_check_rate)
    effective: dt.date
    rate_type: RateType = DEFAULT_RATE_TYPE
    source: str = ""

    @classmethod
    def of(
        cls,
        base: str | Currency,
        quote: str | Currency,
        rate: object,
        effective: dt.date,
        kind: str = DEFAULT_RATE_TYPE,
        source: str = "",
    ) -> Rate:
        """Parse a rate from codes and a decimal (str, int or Decimal; never a float).

        Raises:
            ValidationError: An unknown currency, the same currency twice, a rate that
                is not a number above zero, or a bad rate type.
        """
        return cls(
            Currency.of(base),
            Currency.of(quote),
            parse_decimal(rate, "rate"),
            effective,
            rate_type(kind),
            source,
        )

    @property
    def pair(self) -> str:
        """``BASE/QUOTE``, e.g. ``EUR/USD``."""
        return f"{self.base.code}/{self.quote.code}"


@attrs.frozen(slots=True)
class Quote:
    """The rate to convert ``base`` into ``quote`` on a day, as an exact fraction.

    Attributes:
        base: The currency converted from.
        quote: The currency converted to.
        numerator: Multiply by this...
        denominator: ...and divide by this (1 for a direct rate).
        rate_type: The rate type used.
        effective: The effective date of the (older, for a cross) rate used.
        how: ``direct``, ``inverse`` or ``cross via EUR``.
    """

    base: Currency
    quote: Currency
    numerator: Decimal = attrs.field(validator=_check_rate)
    denominator: Decimal = attrs.field(validator=_check_rate)
    rate_type: RateType = DEFAULT_RATE_TYPE
    effective: dt.date = dt.date.min
    how: str = "direct"

    @classmethod
    def stated(cls, base: str | Currency, quote: str | Currency, rate: object) -> Quote:
        """A rate someone stated (a payment's rate): ``rate`` ``quote`` per ``base``.

        Raises:
            ValidationError: Not a number above zero, or the same currency twice.
        """
        src, dst = Currency.of(base), Currency.of(quote)
        if src == dst:
            raise ValidationError("quote", dst.code, f"a currency other than {src.code}")
        return cls(src, dst, parse_decimal(rate, "rate"), Decimal(1), RATE_STATED, how="stated")

    @property
    def rate(self) -> Decimal:
        """The rate as one number, to 12 significant decimals (for display)."""
        with decimal.localcontext(prec=_PRECISION):
            value = self.numerator / self.denominator
        return value.quantize(Decimal("1e-12")).normalize()

    def inverse(self) -> Quote:
        """The quote the other way round (exact: numerator and denominator swap)."""
        return attrs.evolve(
            self,
            base=self.quote,
            quote=self.base,
            numerator=self.denominator,
            denominator=self.numerator,
            how="inverse" if self.how == "direct" else self.how,
        )


#: The rate type of a :meth:`Quote.stated` rate.
RATE_STATED: Final = RateType("STATED")


def convert(money: Money, quote: Quote, rounding: Rounding = DEFAULT_ROUNDING) -> Money:
    """Convert ``money`` with ``quote``, rounding once to the target's minor unit.

    This is o2c's one rounding point of a conversion: ``amount * numerator /
    denominator`` is computed exactly (60 digits) and rounded with ``rounding``.

    Raises:
        ValidationError: ``money`` is not in the quote's base currency.
    """
    if money.currency != quote.base:
        raise ValidationError(
            "currency", money.currency.code, f"an amount in {quote.base.code} for this rate"
        )
    with decimal.localcontext(prec=_PRECISION):
        exact = money.amount * quote.numerator / quote.denominator
    return Money(exact, quote.quote).round(rounding)


_Key = tuple[str, str, str]


class RateTable:
    """Rates by pair and type, effective-dated; an immutable value once built.

    Args:
        rates: The rates; a later rate of the same pair, type and date replaces an
            earlier one in the iterable.
    """

    __slots__ = ("_dates", "_rates")

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        by_key: dict[_Key, dict[dt.date, Rate]] = {}
        for r in rates:
            if not isinstance(r, Rate):
                raise ValidationError("rates", r, "Rate values")
            by_key.setdefault((r.base.code, r.quote.code, r.rate_type), {})[r.effective] = r
        self._dates: dict[_Key, list[dt.date]] = {}
        self._rates: dict[_Key, list[Rate]] = {}
        for key, dated in by_key.items():
            days = sorted(dated)
            self._dates[key] = days
            self._rates[key] = [dated[d] for d in days]

    def __len__(self) -> int:
        return sum(len(v) for v in self._rates.values())

    def rates(self) -> tuple[Rate, ...]:
        """Every rate, by pair, type and date."""
        return tuple(r for key in sorted(self._rates) for r in self._rates[key])

    def _latest(self, base: str, quote: str, kind: RateType, on: dt.date) -> Rate | None:
        key = (base, quote, kind)
        days = self._dates.get(key)
        if not days:
            return None
        at = bisect.bisect_right(days, on)
        return self._rates[key][at - 1] if at else None

    def _cross(self, src: Currency, dst: Currency, kind: RateType, on: dt.date) -> Quote | None:
        pivots = sorted({b for (b, _q, t) in self._rates if t == kind} - {src.code, dst.code})
        for pivot in pivots:
            a = self._latest(pivot, src.code, kind, on)
            b = self._latest(pivot, dst.code, kind, on)
            if a is not None and b is not None:
                # pivot/dst divided by pivot/src: dst per src.
                return Quote(
                    src,
                    dst,
                    b.rate,
                    a.rate,
                    kind,
                    min(a.effective, b.effective),
                    f"cross via {pivot}",
                )
        return None

    def quote(
        self,
        base: str | Currency,
        quote: str | Currency,
        on: dt.date,
        kind: str = DEFAULT_RATE_TYPE,
    ) -> Quote:
        """The rate converting ``base`` into ``quote`` on ``on``, of type ``kind``.

        Direct, then inverse, then cross through a pivot (see the module docs). The
        same currency twice is the identity (1/1).

        Raises:
            RateMissing: No rate of that type is effective on or before ``on``.
        """
        src, dst, k = Currency.of(base), Currency.of(quote), rate_type(kind)
        if src == dst:
            return Quote(src, dst, Decimal(1), Decimal(1), k, on, "identity")
        direct = self._latest(src.code, dst.code, k, on)
        if direct is not None:
            return Quote(src, dst, direct.rate, Decimal(1), k, direct.effective, "direct")
        inverse = self._latest(dst.code, src.code, k, on)
        if inverse is not None:
            return Quote(src, dst, Decimal(1), inverse.rate, k, inverse.effective, "inverse")
        cross = self._cross(src, dst, k, on)
        if cross is not None:
            return cross
        raise RateMissing(src, dst, k, on)
