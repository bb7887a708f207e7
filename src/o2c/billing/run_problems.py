"""The one mapping from errors of the bill run's planning to exceptions-queue problems.

A bill run does not stop at a contract it cannot bill: the error becomes a
:class:`~o2c.billing.validation.Problem` of the candidate's
:class:`~o2c.billing.BillingException`, and the run goes on. :func:`problem_of` is the
one place that decides which problem code an error gets.
"""

from __future__ import annotations

import enum

from o2c.billing._bill_run_state import _NoRate, _WrongCurrency
from o2c.billing.validation import Problem, ProblemCode
from o2c.errors import O2CError

__all__ = ["PlanStage", "problem_of"]


class PlanStage(enum.Enum):
    """The step of planning a candidate invoice an error came from."""

    #: Pricing the lines (contract lines, usage, time, sales orders).
    RATING = "rating"
    #: Taxing the priced lines.
    TAXING = "taxing"


def problem_of(error: O2CError, stage: PlanStage = PlanStage.RATING) -> Problem:
    """The exceptions-queue problem for ``error``, raised while planning at ``stage``.

    Example:
        >>> from o2c.errors import ValidationError
        >>> problem_of(ValidationError("rate", "x", "a decimal"), PlanStage.TAXING).code.value
        'tax_error'
    """
    if stage is PlanStage.TAXING:
        code = ProblemCode.TAX_ERROR
    elif isinstance(error, _NoRate):
        code = ProblemCode.NO_RATE
    elif isinstance(error, _WrongCurrency):
        code = ProblemCode.CURRENCY_MISMATCH
    else:
        code = ProblemCode.RATING_ERROR
    return Problem(code, str(error))
