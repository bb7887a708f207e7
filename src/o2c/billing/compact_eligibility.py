"""Whether a bill run may bill its plain contracts in the compact form.

The compact form (:mod:`o2c.billing._compact`) computes an invoice's stored values
straight from a stored contract. It gives what the general planner gives only under the
run-wide terms checked here; :func:`compact_ineligibility` is the one place that decides
them, so the book never falls back from one form to the other by catching errors.

Each contract is then still checked on its own by the compact planner (its shape, its
customer, its taxes); a contract it does not take goes to the general planner.
"""

from __future__ import annotations

import datetime as dt

import attrs

from o2c.billing.taxing import TaxContext
from o2c.billing.validation import BillRunPolicy
from o2c.calendar import Period
from o2c.tax import RoundingScope, default_regime

__all__ = ["CompactRunTerms", "compact_ineligibility"]


@attrs.frozen(slots=True)
class CompactRunTerms:
    """What decides whether a bill run may use the compact form.

    Attributes:
        tax: The run's tax context (seller, rate table, regime).
        policy: The run's validation policy.
        invoice_date: The invoices' date: their tax point and posting date.
        posts: Whether the run posts its invoices (issued, not a dry run).
        closed_months: The book's closed accounting months.
    """

    tax: TaxContext
    policy: BillRunPolicy
    invoice_date: dt.date
    posts: bool
    closed_months: frozenset[Period] = frozenset()


def compact_ineligibility(terms: CompactRunTerms) -> str | None:
    """Why a bill run may not use the compact form, or ``None`` when it may.

    The closed-month check is on the posting date only: a book with earlier months
    closed bills an open month in the compact form. (A run posting into a closed month
    is refused whichever form bills it; the general form says so.)

    Example:
        >>> import datetime as dt
        >>> from o2c.tax import TaxProfile, bundled_table
        >>> tax = TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table())
        >>> oct_31 = dt.date(2026, 10, 31)
        >>> terms = CompactRunTerms(tax, BillRunPolicy(), oct_31, posts=True,
        ...     closed_months=frozenset({Period.month(2026, 9)}))
        >>> compact_ineligibility(terms) is None
        True
        >>> compact_ineligibility(attrs.evolve(terms,
        ...     closed_months=frozenset({Period.month(2026, 10)})))
        'the posting month 2026-10 is closed'
    """
    ctx = terms.tax
    regime = ctx.regime or default_regime(ctx.seller.country)
    if regime.scope is not RoundingScope.LINE:
        return f"tax is rounded per {regime.scope.value}, not per line"
    if ctx.prices_include_tax:
        return "prices include tax"
    if terms.policy != BillRunPolicy():
        return "the run's validation policy is not the default one"
    if terms.posts:
        day = terms.invoice_date
        month = Period.month(day.year, day.month)
        if month in terms.closed_months:
            return f"the posting month {month.label} is closed"
    return None
