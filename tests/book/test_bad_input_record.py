"""One contract whose amounts no book can hold is an exception; the run bills the rest.

A quantity and a price each within o2c's input limits can still multiply beyond what an
amount may be (10^15 major units, a 64-bit integer of minor units in the store). That
contract used to stop every bill run of the period with an unexpected OverflowError.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.tax import TaxProfile
from tests.book.factories import monthly_contract, mx_customer


#: Open-ended, the whole month is billed (the compact planner); ending on the 20th, it
#: is prorated (the general planner).
@pytest.mark.parametrize("end", [None, dt.date(2026, 10, 20)])
def test_a_contract_billing_beyond_the_limit_is_queued_and_the_others_are_billed(
    book: Book, end: dt.date | None
) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customers([mx_customer("C1"), mx_customer("C2")])
    book.add_contracts(
        [
            monthly_contract("K1", "C1", (("support", "100000000000000", "999999999"),), end=end),
            monthly_contract("K2", "C2", (("support", "1", "100.00"),)),
        ]
    )
    result = book.bill_run("2026-10")
    assert result.document_ids == ("B:K2:2026-10",)
    [problem] = result.exceptions
    assert (problem.contract_id, problem.code) == ("K1", "amount_too_large")
    assert "beyond o2c's limit of 10^15" in problem.message
    assert [e.run_key for e in book.list_exceptions()] == ["K1:2026-10"]
    again = book.bill_run("2026-10")  # the next run is not stopped either
    assert again.document_ids == ()
    assert book.verify_audit() == ()
