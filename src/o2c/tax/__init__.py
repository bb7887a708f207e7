"""Tax: VAT, IVA and sales tax, inclusive prices, withholdings, rounding and rate tables.

The engine is pure: :func:`compute_tax` takes priced lines, the seller and buyer
(:class:`TaxProfile`), the tax point date and a :class:`TaxTable`, and returns a
:class:`TaxResult` whose every amount explains the rule, rate and base behind it.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> from o2c.tax import TaxProfile, TaxableLine, bundled_table, compute_tax
    >>> result = compute_tax(
    ...     [TaxableLine("1", Money.of("100.00", "EUR"), "services")],
    ...     seller=TaxProfile("DE"),
    ...     buyer=TaxProfile("DE", is_business=False),
    ...     tax_point=dt.date(2020, 8, 1),
    ...     table=bundled_table("EU"),
    ... )
    >>> str(result.totals.tax), result.breakdown[0].rate
    ('16.00 EUR', Decimal('0.16'))
"""

from o2c.tax._engine import compute_tax
from o2c.tax._model import (
    CFDI,
    EN16931,
    InclusiveRounding,
    PersonType,
    RoundingScope,
    TaxableLine,
    TaxAmount,
    TaxBreakdown,
    TaxCategory,
    TaxedLine,
    TaxExemption,
    TaxKind,
    TaxProfile,
    TaxRegime,
    TaxResult,
    TaxTotals,
    default_regime,
)
from o2c.tax._rules import is_eu_member
from o2c.tax._table import (
    BUNDLED_TABLES,
    Sourcing,
    TaxRate,
    TaxTable,
    TaxTableError,
    bundled_table,
    check_tax_table,
    parse_tax_table,
)
from o2c.tax._taxid import is_valid_tax_id, validate_tax_id

__all__ = [
    "BUNDLED_TABLES",
    "CFDI",
    "EN16931",
    "InclusiveRounding",
    "PersonType",
    "RoundingScope",
    "Sourcing",
    "TaxAmount",
    "TaxBreakdown",
    "TaxCategory",
    "TaxExemption",
    "TaxKind",
    "TaxProfile",
    "TaxRate",
    "TaxRegime",
    "TaxResult",
    "TaxTable",
    "TaxTableError",
    "TaxTotals",
    "TaxableLine",
    "TaxedLine",
    "bundled_table",
    "check_tax_table",
    "compute_tax",
    "default_regime",
    "is_eu_member",
    "is_valid_tax_id",
    "parse_tax_table",
    "validate_tax_id",
]
