"""One mapping from planning errors to exceptions-queue problems, and one queue entry
per planner exception (``o2c.billing.run_problems``, ``o2c.book._exceptions_queue``)."""

from __future__ import annotations

import pytest

from o2c.billing._bill_run_state import _NoRate, _WrongCurrency
from o2c.billing.billrun import BillingException
from o2c.billing.run_problems import PlanStage, problem_of
from o2c.billing.validation import ProblemCode
from o2c.book._exceptions_queue import ExceptionRecord, queue_entry
from o2c.errors import O2CError, ValidationError
from o2c.ids import ContractId, CustomerId


@pytest.mark.parametrize(
    ("error", "stage", "code"),
    [
        (_NoRate("no price for SEAT"), PlanStage.RATING, ProblemCode.NO_RATE),
        (_WrongCurrency("order in USD"), PlanStage.RATING, ProblemCode.CURRENCY_MISMATCH),
        (ValidationError("quantity", "x", "a number"), PlanStage.RATING, ProblemCode.RATING_ERROR),
        (_NoRate("no price for SEAT"), PlanStage.TAXING, ProblemCode.TAX_ERROR),
    ],
)
def test_each_planning_error_maps_to_one_problem_code(
    error: O2CError, stage: PlanStage, code: ProblemCode
) -> None:
    problem = problem_of(error, stage)
    assert problem.code is code
    assert problem.message == str(error)


def test_a_queue_entry_keeps_the_first_code_and_every_message() -> None:
    exc = BillingException(
        "K1:2026-10",
        CustomerId("C1"),
        ContractId("K1"),
        (problem_of(_NoRate("no price for SEAT")), problem_of(_WrongCurrency("order in USD"))),
    )
    assert queue_entry(exc) == ExceptionRecord(
        "K1:2026-10", "C1", "K1", "no_rate", "no price for SEAT; order in USD"
    )
