"""The one mapping from errors of the bill run's planning to exceptions-queue problems,
and the rule of what a run changes in the queue.

A bill run does not stop at a contract it cannot bill: the error becomes a
:class:`~o2c.billing.validation.Problem` of the candidate's
:class:`~o2c.billing.BillingException`, and the run goes on. :func:`problem_of` is the
one place that decides which problem code an error gets; :func:`queue_transitions`
decides which queue rows a run opens, sees again or resolves.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from o2c.billing._bill_run_state import _NoRate, _WrongCurrency
from o2c.billing.validation import Problem, ProblemCode
from o2c.errors import O2CError

__all__ = ["PlanStage", "QueueChanges", "problem_of", "queue_transitions"]

#: A queue row's identity: (run key, problem code).
QueuePair = tuple[str, str]


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


@attrs.frozen(slots=True)
class QueueChanges:
    """What one bill run changes in the exceptions queue.

    Attributes:
        opened: (run key, code) pairs to put in the queue, in the run's order.
        seen: Open rows met again, ``((run key, code), row id)``, in the run's order.
        resolved: Ids of open rows of the run's run keys whose reason no longer stops
            them (the run met another one).
    """

    opened: tuple[QueuePair, ...]
    seen: tuple[tuple[QueuePair, int], ...]
    resolved: tuple[int, ...]


def queue_transitions(
    open_rows: Mapping[QueuePair, int], raised: Iterable[QueuePair]
) -> QueueChanges:
    """The queue changes of a run that ``raised`` these (run key, code) pairs.

    The queue keeps one open row per pair: a pair already open is seen again, not added;
    an open row of a raised run key with another code is resolved (that reason was
    fixed; the new one stops the run key now). Open rows of run keys the run did not
    raise are left alone here (a run that bills them resolves them).

    Args:
        open_rows: The open rows of (at least) the raised run keys: pair -> row id.
        raised: The pairs the run raised (each once).

    Example:
        >>> changes = queue_transitions(
        ...     {("K1:2026-10", "po_required"): 7, ("K2:2026-10", "no_rate"): 8},
        ...     [("K1:2026-10", "missing_address"), ("K2:2026-10", "no_rate")],
        ... )
        >>> changes.opened, changes.seen, changes.resolved
        ((('K1:2026-10', 'missing_address'),), ((('K2:2026-10', 'no_rate'), 8),), (7,))
    """
    pairs = tuple(dict.fromkeys(raised))
    wanted = set(pairs)
    keys = {key for key, _ in pairs}
    return QueueChanges(
        opened=tuple(p for p in pairs if p not in open_rows),
        seen=tuple((p, open_rows[p]) for p in pairs if p in open_rows),
        resolved=tuple(
            sorted(row for p, row in open_rows.items() if p[0] in keys and p not in wanted)
        ),
    )
