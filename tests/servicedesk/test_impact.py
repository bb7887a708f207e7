"""One customer's question reveals every customer a billing defect affected.

Ten MXN customers billed for October 2026: C1-C3 on PREMIUM seats (2 each) at 40.00, the
others on SEAT. PREMIUM should have cost 35.00. C1 asks why; the agent finds the pricing
set-up wrong and resolves the inquiry with that root cause and C1's invoice. The impact
analysis of the inquiry (a dry-run re-rating of that invoice's issue date) finds C1, C2 and
C3, each overbilled 2 x 5.00 = 10.00 net (11.60 with IVA).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.errors import InvalidState
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import mx_customer
from tests.store.backends import BACKENDS, book_url

OCT1 = dt.date(2026, 10, 1)


def card(premium: str) -> str:
    return f"""
[ratecard]
code = "std"
name = "Standard"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.SEAT]
name = "User seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "12.50"

[versions.items.PREMIUM]
name = "Premium seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "{premium}"
"""


def contract(n: int) -> Contract:
    item, qty = ("PREMIUM", "2") if n <= 3 else ("SEAT", "4")
    version = ContractVersion(
        OCT1,
        (ContractLine("L1", ItemCode(item), quantity=Decimal(qty)),),
        BillingCycle(Cycle.MONTHLY, OCT1),
        Currency.of("MXN"),
        rate_card="std",
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId(f"K{n}"), CustomerId(f"C{n}"), (version,))


@pytest.fixture(params=BACKENDS)
def billed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Book]:
    """October billed with the wrong PREMIUM price, and the rate card corrected since."""
    clock = FakeClock(dt.datetime(2026, 11, 3, 15, 0, tzinfo=dt.UTC))
    with book_url(request.param, tmp_path) as url:
        book = Book.open(url, actor="ana", clock=clock)
        try:
            book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
            book.import_rate_card("std.toml", text=card("40.00"))
            for n in range(1, 11):
                book.add_customer(mx_customer(f"C{n}"))
                book.add_contract(contract(n))
            assert book.bill_run("2026-10").invoices == 10
            book.import_rate_card("std.toml", text=card("35.00"))
            yield book
        finally:
            book.close()


def test_one_question_reveals_every_affected_customer(billed: Book) -> None:
    [c1_invoice] = billed.list_documents(customer="C1")
    asked = billed.open_inquiry(
        "C1",
        subject="Premium seats at 40?",
        channel="phone",
        category="price_question",
        documents=[c1_invoice.id],
    )
    with pytest.raises(InvalidState, match="has no billing-defect root cause"):
        billed.inquiry_impact(asked.id)
    billed.resolve_inquiry(
        asked.id,
        root_cause="pricing_setup",
        resolution="PREMIUM corrected to 35.00",
        affected_documents=[c1_invoice.id],
    )
    before = billed.audit_log()
    impact = billed.inquiry_impact(asked.id)
    assert impact.report.customers == ("C1", "C2", "C3")
    # 2 seats x 5.00 = 10.00 net too much, 11.60 with 16 % IVA, per customer.
    assert [r.difference for r in impact.report.rows] == [Money.of("-11.60", "MXN")] * 3
    assert not impact.applied
    assert billed.audit_log() == before  # a dry run writes nothing


def test_a_misunderstanding_has_no_impact_to_analyse(billed: Book) -> None:
    asked = billed.open_inquiry("C4", subject="Seats?", channel="email", category="other")
    billed.resolve_inquiry(asked.id, root_cause="customer_misunderstanding", resolution="ok")
    with pytest.raises(InvalidState, match=f"inquiry {asked.id} has no billing-defect"):
        billed.inquiry_impact(asked.id)


def test_o2c_inquiry_impact_lists_the_invoices(billed: Book, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from o2c.cli import cli

    [c1_invoice] = billed.list_documents(customer="C1")
    asked = billed.open_inquiry(
        "C1", subject="40?", channel="chat", category="price_question", documents=[c1_invoice.id]
    )
    billed.resolve_inquiry(
        asked.id, root_cause="pricing_setup", resolution="fixed", affected_documents=[c1_invoice.id]
    )
    path = tmp_path / "book.o2c"  # where the fixture's SQLite book is (tests.store.backends)
    if not path.exists():
        pytest.skip("the CLI test reads the SQLite book by its path")
    result = CliRunner().invoke(
        cli,
        ["--book", str(path), "--actor", "ana", "--format", "json", "inquiry", "impact", asked.id],
        env={"O2C_LANG": "en"},
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [r["customer"] for r in found["rows"]] == ["C1", "C2", "C3"]
    assert found["summary"]["difference"] == {"MXN": "-34.80"}
