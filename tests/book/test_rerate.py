"""Re-rating through the Book: a wrong unit price on a rate card, found and fixed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import o2c.tax
from o2c.billing import DocumentKind, DocumentStatus, ImpactAction
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.cases import Role
from o2c.contracts import BillingTiming, Contract, ContractLine, ContractVersion
from o2c.errors import ValidationError
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import UsageRecord
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer, usage_line

OCT1 = dt.date(2026, 10, 1)
OCT31 = dt.date(2026, 10, 31)


def card(seat: str, api: str = "0.50") -> str:
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
unit_price = "{seat}"

[versions.items.PREMIUM]
name = "Premium seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "{api}"
"""


def contract(n: int, item: str, qty: str) -> Contract:
    version = ContractVersion(
        OCT1,
        (ContractLine("L1", ItemCode(item), quantity=Decimal(qty)),),
        BillingCycle(Cycle.MONTHLY, OCT1),
        Currency.of("MXN"),
        rate_card="std",
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId(f"K{n}"), CustomerId(f"C{n}"), (version,))


@pytest.fixture
def billed(book: Book) -> Book:
    """10 customers billed for October: C1-C3 on PREMIUM (2 seats), C4-C10 on SEAT."""
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("std.toml", text=card("12.50", "40.00"))
    for n in range(1, 11):
        book.add_customer(mx_customer(f"C{n}"))
        book.add_contract(contract(n, "PREMIUM" if n <= 3 else "SEAT", "2" if n <= 3 else "4"))
    result = book.bill_run("2026-10")
    assert result.invoices == 10
    # The PREMIUM price was wrong: 40.00 instead of 35.00, same effective date.
    book.import_rate_card("std.toml", text=card("12.50", "35.00"))
    return book


def _counts(book: Book) -> tuple[int, int, int]:
    return len(book.list_documents()), len(book.journal()), len(book.audit_log())


def test_dry_run_lists_exactly_the_three_affected_invoices(billed: Book) -> None:
    before = _counts(billed)
    result = billed.rerate(OCT1, OCT31)
    report = result.report
    assert report.checked == 10
    assert result.skipped == 0
    assert [str(c) for c in report.customers] == ["C1", "C2", "C3"]
    for row in report.rows:
        # 2 x 40.00 = 80.00 + 16% IVA = 92.80; corrected 2 x 35.00 = 70.00 + IVA = 81.20
        assert row.old == Money.of("92.80", "MXN")
        assert row.new == Money.of("81.20", "MXN")
        assert row.difference == Money.of("-11.60", "MXN")
        assert row.action is ImpactAction.CREDIT_NOTE
    assert report.net_difference()[Currency.of("MXN")] == Money.of("-34.80", "MXN")
    assert _counts(billed) == before  # a dry run writes nothing, not even an audit event


def test_apply_issues_linked_credit_notes_and_rerating_again_proposes_nothing(
    billed: Book,
) -> None:
    result = billed.rerate(OCT1, OCT31, apply=True, idempotency_key="rr-1")
    assert result.applied
    assert len(result.issued) == 3
    assert result.pending == ()
    notes = [d for d in billed.list_documents() if d.kind is DocumentKind.CREDIT_NOTE]
    assert len(notes) == 3
    for note in notes:
        assert note.status is DocumentStatus.ISSUED
        assert note.totals.payable == Money.of("11.60", "MXN")
        assert note.totals.net == Money.of("10.00", "MXN")
        invoice = billed.get_document(str(note.reference))
        assert invoice.customer.customer_id in {"C1", "C2", "C3"}
        assert [line.ref_line for line in note.lines] == [1]
    assert billed.rerate(OCT1, OCT31).report.rows == ()
    before = _counts(billed)
    again = billed.rerate(OCT1, OCT31, apply=True, idempotency_key="rr-1")
    assert again.issued == result.issued
    assert _counts(billed) == before
    # Without the key, nothing is left to fix either.
    assert billed.rerate(OCT1, OCT31, apply=True).issued == ()


def test_a_failure_mid_apply_leaves_the_book_unchanged(
    billed: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from o2c.book import _approval_gates as gates

    before = _counts(billed)
    real = gates.request_issue
    calls: list[str] = []

    def flaky(session: object, document_id: str, **kw: object) -> object:
        calls.append(document_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(session, document_id, **kw)  # type: ignore[arg-type]

    # Re-rating issues its notes through the approvals area's use case.
    monkeypatch.setattr(gates, "request_issue", flaky)
    with pytest.raises(RuntimeError):
        billed.rerate(OCT1, OCT31, apply=True)
    assert _counts(billed) == before
    assert len(billed.rerate(OCT1, OCT31).report.rows) == 3


def test_customer_filter_and_range(billed: Book) -> None:
    assert [str(c) for c in billed.rerate(OCT1, OCT31, customer="C2").report.customers] == ["C2"]
    assert billed.rerate(dt.date(2026, 11, 1), dt.date(2026, 11, 30)).report.checked == 0
    with pytest.raises(ValidationError, match="end"):
        billed.rerate(OCT31, OCT1)


MX_TABLE = (Path(o2c.tax.__file__).parent / "tables" / "MX.toml").read_text(encoding="utf-8")
WRONG = 'rate = "0.16"\njurisdiction = "MX"\nvalid_from = 2010-01-01'


def test_a_tax_rate_correction_produces_a_rebill(billed: Book) -> None:
    assert WRONG in MX_TABLE
    # Say the seller's IVA should have been 8 % (a border-region seller): corrected table.
    billed.import_tax_table(
        "MX-fixed.toml", text=MX_TABLE.replace(WRONG, WRONG.replace("16", "08"))
    )
    report = billed.rerate(OCT1, OCT31).report
    assert len(report.rows) == 10
    c4 = next(r for r in report.rows if r.customer_id == "C4")
    # 4 x 12.50 = 50.00; IVA 16 % = 8.00 billed, 8 % = 4.00 corrected.
    assert (c4.old, c4.new, c4.difference) == (
        Money.of("58.00", "MXN"),
        Money.of("54.00", "MXN"),
        Money.of("-4.00", "MXN"),
    )
    assert c4.action is ImpactAction.REBILL
    result = billed.rerate(OCT1, OCT31, customer="C4", apply=True)
    assert len(result.issued) == 2
    [credit, replacement] = [billed.get_document(n) for n in result.issued]
    assert credit.kind is DocumentKind.CREDIT_NOTE
    assert credit.totals.payable == Money.of("58.00", "MXN")
    assert replacement.kind is DocumentKind.INVOICE
    assert replacement.totals.payable == Money.of("54.00", "MXN")
    assert replacement.reference == c4.invoice_id
    assert billed.rerate(OCT1, OCT31, customer="C4").report.rows == ()


def test_credit_notes_above_the_limit_wait_for_approval(billed: Book) -> None:
    billed.assign_role("ana", Role.SPECIALIST)
    billed.assign_role("bo", Role.LEAD)
    billed.assign_role("cy", Role.CONTROLLER)  # only a controller changes the policy
    billed.set_policy_settings({"approval.credit_note.MXN": "10.00 lead"}, actor="cy")
    result = billed.rerate(OCT1, OCT31, apply=True, actor="ana")
    assert result.issued == ()
    assert len(result.pending) == 3
    assert {billed.get_approval(a).amount for a in result.pending} == {Money.of("11.60", "MXN")}
    # Waiting notes count as corrections: nothing is proposed twice.
    assert billed.rerate(OCT1, OCT31).report.rows == ()
    decided = billed.approve_request(result.pending[0], actor="bo")
    note = billed.get_document(str(decided.result_id))
    assert note.status is DocumentStatus.ISSUED
    assert note.totals.payable == Money.of("11.60", "MXN")
    assert billed.rerate(OCT1, OCT31).report.rows == ()


def test_an_under_billed_price_gets_a_debit_note(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("std.toml", text=card("12.50", "40.00"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(contract(1, "PREMIUM", "2"))
    book.bill_run("2026-10")
    book.import_rate_card("std.toml", text=card("12.50", "42.50"))
    [row] = book.rerate(OCT1, OCT31).report.rows
    assert row.action is ImpactAction.DEBIT_NOTE
    # 2 x 2.50 = 5.00 more + 16 % IVA = 5.80
    assert row.difference == Money.of("5.80", "MXN")
    [number] = book.rerate(OCT1, OCT31, apply=True).issued
    note = book.get_document(number)
    assert note.kind is DocumentKind.DEBIT_NOTE
    assert note.totals.payable == Money.of("5.80", "MXN")
    assert [line.ref_line for line in note.lines] == [1]
    assert book.rerate(OCT1, OCT31).report.rows == ()


def test_usage_is_re_rated_on_the_usage_the_invoice_billed(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1"))
    stamp = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)
    record = UsageRecord(id="u-1", customer="C1", item="API", quantity=Decimal(10), timestamp=stamp)
    book.import_usage([record])
    book.bill_run("2026-10")
    late = UsageRecord(id="u-2", customer="C1", item="API", quantity=Decimal(4), timestamp=stamp)
    book.import_usage([late])  # after the run: the next run's business, not a re-rating
    result = book.rerate(OCT1, OCT31)
    assert (result.report.checked, result.report.rows) == (1, ())
