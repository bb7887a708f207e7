"""Write-off tolerance: cash a few cents short closes the invoice (issue 18 item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.cases import Role
from o2c.errors import ApprovalRequired, CommandNotPermitted, PeriodClosed, ValidationError
from o2c.ids import CustomerId, PaymentId
from o2c.ledger import BankLine, trial_balance
from o2c.ledger.payments import Allocation, Payment
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT1 = dt.date(2026, 10, 1)
OCT5 = dt.date(2026, 10, 5)
INV1 = "INV-2026-000001"


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def acme(book: Book) -> Book:
    """C1 owes one invoice of exactly 100.00 USD; the book tolerates 0.05 USD."""
    book.add_customer(customer("C1"))
    book.create_invoice(invoice_draft("D-1", rate="0"), issue_date=OCT1)
    book.set_policy_settings({"writeoff.tolerance.USD": "0.05"})
    return book


def test_payment_three_cents_short_closes_the_invoice_and_writes_off_0_03(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5)
    [applied] = acme.allocate(pay.id, date=OCT5)
    assert (applied.amount, applied.written_off) == (usd("99.97"), usd("0.03"))
    assert acme.open_items(as_of=OCT5) == []
    [wo] = acme.list_write_offs()
    assert (wo.document_id, wo.amount, wo.reason.value, wo.date) == (
        "D-1",
        usd("0.03"),
        "small_balance",
        OCT5,
    )
    assert "tolerance" in wo.memo
    assert pay.id in wo.memo


def test_payment_ten_cents_short_leaves_0_10_open(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("99.90"), date=OCT5, allocate=True)
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("0.10")
    assert acme.list_write_offs() == []
    [record] = acme.list_allocations(source=pay.id)
    assert record.amount == usd("99.90")


def test_write_off_posts_dr_rounding_cr_receivable_and_the_journal_balances(acme: Book) -> None:
    acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    journal = acme.journal()
    [entry] = [e for e in journal if e.kind.value == "write_off"]
    chart = acme.chart
    assert {(p.account, p.amount) for p in entry.lines} == {
        (chart.rounding.code, usd("0.03")),
        (chart.receivable.code, usd("-0.03")),
    }
    rows = {r.account: r for r in trial_balance(journal, OCT5).rows}
    assert sum((p.amount.amount for e in journal for p in e.lines), start=0) == 0
    assert chart.rounding.code in rows


def test_audit_event_of_the_payment_names_the_write_off(acme: Book) -> None:
    acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True, actor="ana")
    [wo] = acme.list_write_offs()
    [event] = acme.audit_log(command="record_payment")
    assert wo.id in event.ids
    assert wo.requested_by == "ana"


def test_over_payment_is_never_written_off(acme: Book) -> None:
    acme.record_payment("C1", usd("100.02"), date=OCT5, allocate=True)
    assert acme.list_write_offs() == []
    [credit] = acme.credits(as_of=OCT5)
    assert credit.unapplied == usd("0.02")


def test_partial_payment_far_from_the_total_stays_open(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("50.00"), date=OCT5)
    acme.allocate(pay.id, {INV1: usd("50.00")}, date=OCT5)
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("50.00")
    assert acme.list_write_offs() == []


def test_explicit_allocation_within_tolerance_closes_the_invoice(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("120.00"), date=OCT5)
    [applied] = acme.allocate(pay.id, {INV1: usd("99.96")}, date=OCT5)
    assert applied.written_off == usd("0.04")
    assert acme.open_items(as_of=OCT5) == []
    [credit] = acme.credits(as_of=OCT5)
    assert credit.unapplied == usd("20.04")


def test_percent_tolerance_writes_off_up_to_its_share_of_what_was_open(acme: Book) -> None:
    acme.set_policy_settings({"writeoff.tolerance.USD": "", "writeoff.tolerance_percent.USD": "1"})
    acme.record_payment("C1", usd("99.00"), date=OCT5, allocate=True)
    [wo] = acme.list_write_offs()
    assert wo.amount == usd("1.00")
    acme.create_invoice(invoice_draft("D-2", rate="0"), issue_date=OCT5)
    acme.record_payment("C1", usd("98.99"), date=OCT5, allocate=True)
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("1.01")


def test_amount_and_percent_together_must_both_hold(acme: Book) -> None:
    # 1% of 100.00 would allow 1.00, the amount only 0.05: the smaller limit wins.
    acme.set_policy_settings({"writeoff.tolerance_percent.USD": "1"})
    acme.record_payment("C1", usd("99.50"), date=OCT5, allocate=True)
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("0.50")
    assert acme.list_write_offs() == []


def test_jpy_tolerance_in_whole_yen(book: Book) -> None:
    book.add_customer(customer("J1", currency="JPY"))
    book.create_invoice(
        invoice_draft("DJ", cid="J1", currency="JPY", lines=(("X", "1", "10000"),), rate="0"),
        issue_date=OCT1,
    )
    book.set_policy_settings({"writeoff.tolerance.JPY": "5"})
    book.record_payment("J1", Money.of("9996", "JPY"), date=OCT5, allocate=True)
    [wo] = book.list_write_offs()
    assert wo.amount == Money.of("4", "JPY")
    assert book.open_items(as_of=OCT5) == []


def test_tolerance_in_another_currency_does_not_apply(acme: Book) -> None:
    acme.set_policy_settings({"writeoff.tolerance.USD": "", "writeoff.tolerance.JPY": "5"})
    acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("0.03")


def test_write_off_approval_threshold_below_the_tolerance_is_not_triggered(acme: Book) -> None:
    acme.set_policy_settings({"approval.write_off.USD": "0.01 lead"})
    with pytest.raises(ApprovalRequired):
        acme.write_off("D-1", usd("0.02"), reason="small_balance", date=OCT1)
    acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [wo] = acme.list_write_offs()
    assert (wo.amount, wo.approved_by) == (usd("0.03"), None)


def test_bad_tolerance_setting_is_refused_naming_the_key(acme: Book) -> None:
    with pytest.raises(ValidationError, match=r"writeoff\.tolerance\.JPY"):
        acme.set_policy_settings({"writeoff.tolerance.JPY": "0.5"})
    with pytest.raises(ValidationError, match=r"writeoff\.tolerance_percent\.USD"):
        acme.set_policy_settings({"writeoff.tolerance_percent.USD": "lots"})
    with pytest.raises(ValidationError, match=r"writeoff\.limit\.USD"):
        acme.set_policy_settings({"writeoff.limit.USD": "1"})
    assert acme.policy_settings() == {"writeoff.tolerance.USD": "0.05"}


def test_closed_month_refuses_the_payment_and_its_write_off(acme: Book) -> None:
    acme.record_payment("C1", usd("1.00"), date=dt.date(2026, 11, 2))
    acme.close_period("2026-10")
    before = len(acme.journal())
    with pytest.raises(PeriodClosed):
        acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    assert len(acme.journal()) == before
    assert acme.list_write_offs() == []


def test_back_dated_allocation_writes_off_only_what_later_cash_leaves_open(acme: Book) -> None:
    later = acme.record_payment("C1", usd("50.00"), date=dt.date(2026, 10, 20), allocate=True)
    early = acme.record_payment("C1", usd("49.97"), date=OCT5)
    [applied] = acme.allocate(early.id, {INV1: usd("49.97")}, date=OCT5)
    assert applied.written_off == usd("0.03")
    assert acme.open_items(as_of=dt.date(2026, 10, 20)) == []
    [item] = acme.open_items(as_of=OCT5)  # before the later payment, 50.00 is still open
    assert item.open == usd("50.00")
    assert later.id != early.id


def test_bank_statement_line_three_cents_short_closes_the_invoice(acme: Book) -> None:
    line = BankLine("camt.xml", 1, OCT5, usd("99.97"), reference="BNK-1", remittance=f"pago {INV1}")
    result = acme.apply_bank_statement([line])
    assert result.payments == ("BNK-1",)
    assert result.write_offs == (("BNK-1", "D-1", usd("0.03")),)
    assert acme.open_items(as_of=OCT5) == []
    [event] = acme.audit_log(command="apply_bank_statement")
    [wo] = acme.list_write_offs()
    assert wo.id in event.ids


def test_bank_statement_line_ten_cents_short_leaves_it_open(acme: Book) -> None:
    line = BankLine("camt.xml", 1, OCT5, usd("99.90"), reference="BNK-1", remittance=f"pago {INV1}")
    result = acme.apply_bank_statement([line])
    assert result.write_offs == ()
    [item] = acme.open_items(as_of=OCT5)
    assert item.open == usd("0.10")


def test_payment_file_allocation_within_tolerance_closes_the_invoice(acme: Book) -> None:
    payment = Payment(PaymentId("F-1"), CustomerId("C1"), OCT5, usd("99.97"), "file")
    allocation = Allocation("F-1", CustomerId("C1"), acme.get_document(INV1).id, usd("99.97"), OCT5)
    assert acme.import_payments([payment], [allocation]) == 1
    assert acme.open_items(as_of=OCT5) == []
    [wo] = acme.list_write_offs()
    assert wo.amount == usd("0.03")
    journal = acme.journal()
    assert sum((p.amount.amount for e in journal for p in e.lines), start=0) == 0


def test_only_a_controller_sets_the_tolerance_and_a_specialist_applies_cash_under_it(
    acme: Book,
) -> None:
    acme.assign_role("cy", Role.CONTROLLER)
    acme.assign_role("ana", Role.SPECIALIST, actor="cy")
    with pytest.raises(CommandNotPermitted):
        acme.set_policy_settings({"writeoff.tolerance.USD": "5.00"}, actor="ana")
    assert acme.policy_settings() == {"writeoff.tolerance.USD": "0.05"}
    acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True, actor="ana")
    [wo] = acme.list_write_offs()
    assert (wo.amount, wo.requested_by) == (usd("0.03"), "ana")


# -- undoing the allocation reverses the tolerance write-off it caused ---------------------

OCT9 = dt.date(2026, 10, 9)


def test_unallocating_the_payment_reverses_its_tolerance_write_off_and_reopens_100_00(
    acme: Book,
) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    [wo] = acme.list_write_offs()
    undone = acme.unallocate(record.entry_id, reason="wrong customer", date=OCT9)
    assert undone.unallocated_by is not None
    [item] = acme.open_items(as_of=OCT9)
    assert (item.number, item.open) == (INV1, usd("100.00"))
    [credit] = acme.credits(as_of=OCT9)
    assert credit.unapplied == usd("99.97")
    journal = acme.journal()
    [written] = [e for e in journal if e.kind.value == "write_off"]
    [reversal] = [e for e in journal if e.reverses == written.id]
    assert written.source == wo.id
    assert (reversal.kind.value, reversal.date) == ("reversal", OCT9)
    chart = acme.chart
    assert {(p.account, p.amount) for p in reversal.lines} == {
        (chart.rounding.code, usd("-0.03")),
        (chart.receivable.code, usd("0.03")),
    }
    assert sum((p.amount.amount for e in journal for p in e.lines), start=0) == 0
    rounding = [r for r in trial_balance(journal, OCT9).rows if r.account == chart.rounding.code]
    assert all(r.balance == usd("0.00") for r in rounding)
    assert acme.verify_audit() == ()


def test_unallocation_and_write_off_reversal_are_one_audit_event(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    acme.unallocate(record.entry_id, reason="wrong customer", date=OCT9)
    journal = acme.journal()
    [reversal] = [e for e in journal if e.kind.value == "reversal"]
    [event] = acme.audit_log(command="unallocate")
    assert reversal.id in event.ids


def test_unallocating_then_applying_again_writes_off_0_03_once_more(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    acme.unallocate(record.entry_id, reason="re-apply", date=OCT9)
    [again] = acme.allocate(pay.id, date=OCT9)
    assert again.written_off == usd("0.03")
    assert acme.open_items(as_of=OCT9) == []
    [second] = [r for r in acme.list_allocations(source=pay.id) if r.unallocated_by is None]
    acme.unallocate(second.entry_id, reason="again", date=OCT9)
    [item] = acme.open_items(as_of=OCT9)
    assert item.open == usd("100.00")
    journal = acme.journal()
    assert len([e for e in journal if e.kind.value == "reversal"]) == 2
    assert sum((p.amount.amount for e in journal for p in e.lines), start=0) == 0
    assert acme.verify_audit() == ()


def test_unallocating_a_partial_payment_reverses_no_write_off(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("50.00"), date=OCT5, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    acme.unallocate(record.entry_id, reason="wrong invoice", date=OCT9)
    assert [e for e in acme.journal() if e.kind.value == "reversal"] == []
    [item] = acme.open_items(as_of=OCT9)
    assert item.open == usd("100.00")


def test_unallocating_in_a_closed_month_refuses_and_keeps_the_write_off(acme: Book) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    acme.close_period("2026-10")
    before = acme.journal()
    with pytest.raises(PeriodClosed):
        acme.unallocate(record.entry_id, reason="late", date=OCT9)
    assert acme.journal() == before
    assert acme.open_items(as_of=OCT9) == []


def test_unallocating_the_earlier_part_of_the_same_payment_keeps_the_write_off(
    acme: Book,
) -> None:
    pay = acme.record_payment("C1", usd("99.97"), date=OCT5)
    [first] = acme.allocate(pay.id, {INV1: usd("50.00")}, date=OCT5)
    [second] = acme.allocate(pay.id, {INV1: usd("49.97")}, date=OCT5)
    assert (first.written_off, second.written_off) == (None, usd("0.03"))
    earlier = next(r for r in acme.list_allocations(source=pay.id) if r.amount == usd("50.00"))
    acme.unallocate(earlier.entry_id, reason="wrong split", date=OCT9)
    [item] = acme.open_items(as_of=OCT9)
    assert item.open == usd("50.00")
    assert [e for e in acme.journal() if e.kind.value == "reversal"] == []


def test_bank_statement_write_off_is_reversed_when_its_allocation_is_undone(acme: Book) -> None:
    line = BankLine("camt.xml", 1, OCT5, usd("99.97"), reference="BNK-1", remittance=f"pago {INV1}")
    acme.apply_bank_statement([line])
    [record] = acme.list_allocations()
    acme.unallocate(record.entry_id, reason="wrong customer", date=OCT9)
    [item] = acme.open_items(as_of=OCT9)
    assert item.open == usd("100.00")
    journal = acme.journal()
    assert sum((p.amount.amount for e in journal for p in e.lines), start=0) == 0
    assert acme.verify_audit() == ()


def test_payment_file_write_off_is_reversed_when_its_allocation_is_undone(acme: Book) -> None:
    payment = Payment(PaymentId("F-1"), CustomerId("C1"), OCT5, usd("99.97"), "file")
    allocation = Allocation("F-1", CustomerId("C1"), acme.get_document(INV1).id, usd("99.97"), OCT5)
    acme.import_payments([payment], [allocation])
    [record] = acme.list_allocations(source="F-1")
    acme.unallocate(record.entry_id, reason="wrong customer", date=OCT9)
    [item] = acme.open_items(as_of=OCT9)
    assert item.open == usd("100.00")
    assert acme.verify_audit() == ()
