"""A bill run flags the customers it takes over their credit limit (issue 20).

K1 bills C1 300.25 MXN + 48.04 IVA = 348.29 MXN for 2026-10; C1's limit is 300.00 MXN.
K2 bills C2 100.00 + 16.00 = 116.00 MXN; C2's limit is 1,000.00 MXN.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.book import Book
from o2c.errors import ValidationError
from o2c.money import Money
from o2c.tax import TaxProfile
from tests.book.factories import monthly_contract, mx_customer

OCT = "2026-10"


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


@pytest.fixture
def billing(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(attrs.evolve(mx_customer("C1"), credit_limit=mxn("300.00")))
    book.add_customer(attrs.evolve(mx_customer("C2"), credit_limit=mxn("1000.00")))
    book.add_contract(
        monthly_contract("K1", "C1", (("SEAT", "3", "100.00"), ("API", "2", "0.125")))
    )
    book.add_contract(monthly_contract("K2", "C2", (("SEAT", "1", "100.00"),)))
    return book


def test_a_bill_run_flags_the_customer_over_its_limit(billing: Book) -> None:
    result = billing.bill_run(OCT)
    assert result.invoices == 2
    (warning,) = result.credit_warnings
    assert (warning.customer, str(warning.exposure), str(warning.limit)) == (
        "C1",
        "348.29 MXN",
        "300.00 MXN",
    )
    assert warning.reason == (
        "exposure 348.29 MXN (open 348.29 MXN - unapplied 0.00 MXN + this invoice 0.00 MXN)"
        " is over the credit limit 300.00 MXN"
    )
    # The invoices are issued all the same: the flag is a warning for the collector.
    assert [billing.get_document(d).number for d in result.document_ids] == [
        "INV-2026-000001",
        "INV-2026-000002",
    ]
    assert result.run_id is not None
    assert billing.bill_run_credit(result.run_id, as_of=dt.date(2026, 10, 31)) == [warning]


def test_the_warning_can_be_turned_off_and_a_dry_run_has_none(billing: Book) -> None:
    assert billing.bill_run(OCT, dry_run=True).credit_warnings == ()
    billing.set_policy_settings({"credit.bill_run": "off"})
    assert billing.bill_run(OCT).credit_warnings == ()


def test_an_unknown_credit_setting_is_refused_when_it_is_set(billing: Book) -> None:
    with pytest.raises(ValidationError, match=r"credit\.bill_run"):
        billing.set_policy_settings({"credit.bill_run": "exception"})
    assert "credit.bill_run" not in billing.policy_settings()


def test_a_customer_on_credit_hold_is_flagged_by_the_next_run(billing: Book) -> None:
    billing.set_policy_settings({"credit.bill_run": "warning"})
    first = billing.bill_run(OCT)
    assert [w.customer for w in first.credit_warnings] == ["C1"]
    # 2026-10 invoices are due 2026-11-30; 50 days later both customers are on hold.
    assert billing.run_dunning(dt.date(2027, 1, 19)).credit_holds == ("C1", "C2")
    nov = billing.bill_run("2026-11", invoice_date=dt.date(2027, 1, 20))
    assert [(w.customer, w.on_hold) for w in nov.credit_warnings] == [("C1", True), ("C2", True)]
