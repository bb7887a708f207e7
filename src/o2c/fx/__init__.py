"""Multi-currency valuation: exchange rates, conversion, functional-currency values.

Pure core (no I/O, no clock): :mod:`o2c.fx.rates` (effective-dated rates per pair and
type, a :class:`RateTable` whose lookup never guesses, :func:`convert` as the one rounding
point), :mod:`o2c.fx.valuation` (the journal valued in the book's functional currency,
realized FX and FX rounding lines), :mod:`o2c.fx.settlement` (a payment applied to items
in another currency at the payment's rate) and :mod:`o2c.fx.sources` (rate files: CSV
and the ECB's eurofxref XML).
"""

from o2c.fx.rates import (
    DEFAULT_RATE_TYPE,
    RATE_STATED,
    Quote,
    Rate,
    RateMissing,
    RateTable,
    RateType,
    convert,
    rate_type,
)
from o2c.fx.revaluation import (
    REVALUATION,
    REVALUATION_REVERSAL,
    RevaluationLine,
    first_of_next_month,
    revaluation_entries,
    revaluation_lines,
)
from o2c.fx.settlement import Settlement, plan_settlements, post_settlement
from o2c.fx.sources import (
    ECB_RATE_TYPE,
    RateProblem,
    RateSource,
    parse_ecb_xml,
    parse_rates_csv,
)
from o2c.fx.valuation import (
    DEFAULT_FX_ACCOUNTS,
    FunctionalEntry,
    FunctionalLine,
    FxAccounts,
    LineValue,
    account_balances,
    item_balances,
    value_journal,
)

__all__ = [
    "DEFAULT_FX_ACCOUNTS",
    "DEFAULT_RATE_TYPE",
    "ECB_RATE_TYPE",
    "RATE_STATED",
    "REVALUATION",
    "REVALUATION_REVERSAL",
    "FunctionalEntry",
    "FunctionalLine",
    "FxAccounts",
    "LineValue",
    "Quote",
    "Rate",
    "RateMissing",
    "RateProblem",
    "RateSource",
    "RateTable",
    "RateType",
    "RevaluationLine",
    "Settlement",
    "account_balances",
    "convert",
    "first_of_next_month",
    "item_balances",
    "parse_ecb_xml",
    "parse_rates_csv",
    "plan_settlements",
    "post_settlement",
    "rate_type",
    "revaluation_entries",
    "revaluation_lines",
    "value_journal",
]
