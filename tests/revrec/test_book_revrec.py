"""Revenue recognition through the Book: deferral at issue, runs, credits, voids, releases,
the period-close check and the reports, with exact amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.book import Book
from o2c.calendar import Period
from o2c.errors import InvalidState, ValidationError
from o2c.ledger.journal import EntryKind
from o2c.money import Money
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer

MAR15 = dt.date(2026, 3, 15)
SEP30 = dt.date(2026, 9, 30)
OCT1 = dt.date(2026, 10, 1)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def lines(book: Book, source: str) -> list[list[tuple[str, str]]]:
    return [[(str(p.account), str(p.amount)) for p in e.lines] for e in book.journal(source=source)]


def balance(book: Book, account: str, as_of: dt.date | None = None) -> Decimal:
    return sum(
        (
            p.amount.amount
            for e in book.journal(as_of=as_of)
            for p in e.lines
            if str(p.account) == account
        ),
        Decimal(0),
    )


def table(book: Book, name: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in book.export_table(name)[1]]


@pytest.fixture
def annual(book: Book) -> Book:
    """An annual plan of 1,200.00 (16 % tax) and an onboarding fee of 300.00 billed on
    2026-03-15; the plan is recognized daily over 12 months, the fee at issue."""
    book.add_customer(customer())
    book.set_recognition_rule("ANNUAL", "ratable", term_months=12)
    book.set_recognition_rule("ONBOARDING", "at_issue")
    draft = invoice_draft("I-1", lines=(("ANNUAL", "1", "1200.00"), ("ONBOARDING", "1", "300.00")))
    book.create_invoice(draft, issue_date=MAR15)
    return book


def test_an_annual_plan_posts_to_deferred_revenue_and_the_onboarding_fee_to_revenue(
    annual: Book,
) -> None:
    assert lines(annual, "I-1") == [
        [
            ("1100", "1740.00 USD"),
            ("4000", "-300.00 USD"),  # the onboarding fee, recognized at issue
            ("2400", "-1200.00 USD"),  # the annual plan, deferred
            ("2300-VAT", "-240.00 USD"),
        ]
    ]
    [plan] = annual.revrec_schedules("I-1")
    assert (plan.line, plan.item, plan.service) == (
        1,
        "ANNUAL",
        Period(MAR15, dt.date(2027, 3, 15)),
    )
    assert [(s.month.label, str(s.amount.amount)) for s in plan.plan] == [
        ("2026-03", "55.89"), ("2026-04", "98.63"), ("2026-05", "101.92"),
        ("2026-06", "98.63"), ("2026-07", "101.92"), ("2026-08", "101.91"),
        ("2026-09", "98.63"), ("2026-10", "101.92"), ("2026-11", "98.63"),
        ("2026-12", "101.92"), ("2027-01", "101.92"), ("2027-02", "92.05"),
        ("2027-03", "46.03"),
    ]  # fmt: skip
    assert plan.balances.deferred == usd("1200.00")


def test_a_run_recognizes_each_due_month_on_its_last_day_and_repeats_nothing(
    annual: Book,
) -> None:
    dry = annual.revrec_run(dt.date(2026, 11, 30), dry_run=True)
    assert (dry.lines, dry.entries) == (9, ())
    assert table(annual, "revrec_events") == []
    run = annual.revrec_run(dt.date(2026, 11, 30))
    assert run.amounts == dry.amounts
    assert [(m, str(a.amount)) for _, m, a in run.amounts] == [
        ("2026-03", "55.89"), ("2026-04", "98.63"), ("2026-05", "101.92"),
        ("2026-06", "98.63"), ("2026-07", "101.92"), ("2026-08", "101.91"),
        ("2026-09", "98.63"), ("2026-10", "101.92"), ("2026-11", "98.63"),
    ]  # fmt: skip
    entries = [e for e in annual.journal() if e.kind is EntryKind.RECOGNITION]
    assert [e.date for e in entries][:2] == [dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    assert [(str(p.account), str(p.amount)) for p in entries[0].lines] == [
        ("2400", "55.89 USD"),
        ("4000", "-55.89 USD"),
    ]
    # Earned through Nov 30 (261 of 365 days): 858.08; 341.92 still deferred.
    assert balance(annual, "2400") == Decimal("-341.92")
    assert balance(annual, "4000") == Decimal("-1158.08")  # 300.00 fee + 858.08
    again = annual.revrec_run(dt.date(2026, 11, 30))
    assert (again.lines, again.entries, again.amounts) == (0, (), ())
    assert annual.trial_balance(dt.date(2026, 11, 30)).is_balanced


def test_a_mid_term_cancellation_credited_pro_rata_leaves_nothing_deferred(annual: Book) -> None:
    annual.revrec_run(SEP30)
    # Cancelled after 2026-09-30: 165 of 365 days unused, 1,200.00 x 165 / 365 = 542.47.
    note = annual.create_credit_note(
        "I-1", reason="cancellation", amount=usd("542.47"), quantities={1: None}, date=OCT1
    )
    assert lines(annual, note.id) == [
        [("1100", "-629.27 USD"), ("2400", "542.47 USD"), ("2300-VAT", "86.80 USD")]
    ]
    [plan] = annual.revrec_schedules("I-1")
    assert plan.remaining == ()
    assert (plan.balances.recognized, plan.balances.deferred, plan.balances.credited) == (
        usd("657.53"),
        usd("0.00"),
        usd("542.47"),
    )
    assert balance(annual, "2400") == Decimal(0)
    assert annual.revrec_run(dt.date(2027, 3, 31)).lines == 0
    [row] = annual.revrec_rollforward(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (row.opening, row.billed, row.recognized, row.reversed, row.closing) == (
        usd("0.00"),
        usd("1200.00"),
        usd("657.53"),
        usd("542.47"),
        usd("0.00"),
    )


def test_a_credit_above_the_deferred_part_reverses_recognized_revenue(annual: Book) -> None:
    annual.revrec_run(dt.date(2027, 1, 31))  # 1,061.92 recognized, 138.08 deferred
    note = annual.create_credit_note(
        "I-1", reason="goodwill", amount=usd("200.00"), quantities={1: None}, date=OCT1
    )
    [[ar, *rest]] = lines(annual, note.id)
    assert ar == ("1100", "-232.00 USD")
    assert sorted(rest) == [
        ("2300-VAT", "32.00 USD"),
        ("2400", "138.08 USD"),  # the unrecognized part first
        ("4000", "61.92 USD"),  # the rest reverses recognized revenue
    ]
    [plan] = annual.revrec_schedules("I-1")
    assert plan.balances.recognized == usd("1000.00")
    assert plan.balances.deferred == usd("0.00")


def test_a_period_cannot_close_while_recognition_due_in_it_has_not_run(annual: Book) -> None:
    before = {name: table(annual, name) for name in ("periods", "revrec_events")}
    with pytest.raises(InvalidState, match=r"revrec run --through 2026-04-30"):
        annual.close_period("2026-04")
    assert {name: table(annual, name) for name in before} == before
    annual.revrec_run(dt.date(2026, 4, 30))
    assert annual.close_period("2026-04").status == "closed"
    # May's recognition is due on May 31: closing April does not need it.
    assert [m for _, m, _ in annual.revrec_run(dt.date(2026, 5, 31)).amounts] == ["2026-05"]


def test_recognition_due_in_a_closed_month_posts_on_the_first_open_day(book: Book) -> None:
    book.add_customer(customer())
    book.close_period("2026-09")  # before any schedule: nothing was due in it
    book.set_recognition_rule("SUPPORT", "ratable")
    service = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    draft = invoice_draft("I-2", lines=(("SUPPORT", "1", "610.00"),))
    draft = attrs.evolve(draft, lines=(attrs.evolve(draft.lines[0], period=service),))
    book.create_invoice(draft, issue_date=dt.date(2026, 10, 2))
    run = book.revrec_run(dt.date(2026, 10, 31))
    assert [(m, str(a.amount)) for _, m, a in run.amounts] == [
        ("2026-09", "300.00"),  # 30 of 61 days
        ("2026-10", "310.00"),
    ]
    dates = [e.date for e in book.journal() if e.kind is EntryKind.RECOGNITION]
    assert dates == [OCT1, dt.date(2026, 10, 31)]


def test_a_void_reverses_the_schedule_while_nothing_was_recognized(annual: Book) -> None:
    annual.void_document("I-1", reason="sent twice", date=OCT1)
    assert balance(annual, "2400") == Decimal(0)
    [plan] = annual.revrec_schedules("I-1")
    assert plan.remaining == ()
    assert plan.balances.deferred == usd("0.00")
    assert annual.revrec_run(dt.date(2027, 3, 31)).lines == 0
    assert annual.revrec_waterfall() == ()


def test_a_void_is_refused_once_revenue_was_recognized(annual: Book) -> None:
    annual.revrec_run(dt.date(2026, 3, 31))
    before = {name: table(annual, name) for name in ("documents", "journal_entries")}
    with pytest.raises(InvalidState, match="issue a credit note instead"):
        annual.void_document("I-1", reason="sent twice", date=OCT1)
    assert {name: table(annual, name) for name in before} == before


def test_a_milestone_is_released_by_hand_and_never_beyond_what_is_deferred(book: Book) -> None:
    book.add_customer(customer())
    book.set_recognition_rule("IMPLEMENTATION", "milestone")
    book.create_invoice(
        invoice_draft("I-3", lines=(("IMPLEMENTATION", "1", "900.00"),)), issue_date=OCT1
    )
    assert book.revrec_run(dt.date(2026, 12, 31)).lines == 0  # nothing scheduled
    assert book.release_revenue("I-3", 1, amount=usd("300.00"), on=dt.date(2026, 10, 20)) == usd(
        "300.00"
    )
    entries = table(book, "journal_entries")
    with pytest.raises(ValidationError, match=r"at most 600\.00 USD"):
        book.release_revenue("I-3", 1, amount=usd("600.01"), on=dt.date(2026, 10, 21))
    assert table(book, "journal_entries") == entries
    assert balance(book, "2400") == Decimal("-600.00")
    [row] = book.revrec_waterfall()
    assert (row.month, row.amount) == (None, usd("600.00"))


def test_a_ratable_line_is_recognized_by_runs_not_released_by_hand(annual: Book) -> None:
    with pytest.raises(InvalidState, match="only usage and milestone lines"):
        annual.release_revenue("I-1", 1, amount=usd("1.00"), on=OCT1)
    with pytest.raises(InvalidState, match="cannot close"):
        annual.close_period("2026-10")


def test_prepaid_usage_is_recognized_as_it_is_consumed(book: Book) -> None:
    book.add_customer(customer())
    book.set_recognition_rule("API-BLOCK", "usage")
    book.create_invoice(
        invoice_draft("I-4", lines=(("API-BLOCK", "3", "100.00"),)), issue_date=OCT1
    )
    got = [
        book.release_revenue("I-4", 1, quantity=Decimal(q), on=dt.date(2026, 10, d))
        for q, d in (("1", 10), ("1.5", 20), ("0.5", 30))
    ]
    assert got == [usd("100.00"), usd("150.00"), usd("50.00")]
    assert balance(book, "2400") == Decimal(0)
    with pytest.raises(ValidationError, match="quantity left"):
        book.release_revenue("I-4", 1, quantity=Decimal("0.1"), on=dt.date(2026, 10, 31))


def test_a_book_without_rules_posts_exactly_as_before_and_stores_no_schedule(book: Book) -> None:
    book.add_customer(customer())
    book.create_invoice(invoice_draft("I-5", lines=(("ANNUAL", "1", "1200.00"),)), issue_date=OCT1)
    assert lines(book, "I-5") == [
        [("1100", "1392.00 USD"), ("4000", "-1200.00 USD"), ("2300-VAT", "-192.00 USD")]
    ]
    for name in ("revrec_rules", "revrec_schedules", "revrec_plan", "revrec_events"):
        assert table(book, name) == []
    assert book.revrec_run(dt.date(2026, 12, 31)).lines == 0
    assert book.close_period("2026-10").status == "closed"


def test_at_issue_rules_alone_change_nothing(book: Book) -> None:
    book.add_customer(customer())
    book.set_recognition_rule("ONBOARDING", "at_issue")
    book.create_invoice(
        invoice_draft("I-6", lines=(("ONBOARDING", "1", "300.00"),)), issue_date=OCT1
    )
    assert lines(book, "I-6") == [
        [("1100", "348.00 USD"), ("4000", "-300.00 USD"), ("2300-VAT", "-48.00 USD")]
    ]
    assert table(book, "revrec_schedules") == []


def test_a_credit_note_reverses_a_schedule_after_its_rule_was_switched_off(
    annual: Book,
) -> None:
    annual.set_recognition_rule("ANNUAL", "at_issue")  # new lines: revenue at issue
    note = annual.create_credit_note(
        "I-1", reason="goodwill", amount=usd("100.00"), quantities={1: None}, date=OCT1
    )
    assert ("2400", "100.00 USD") in lines(annual, note.id)[0]
    assert balance(annual, "2400") == Decimal("-1100.00")


def test_an_upgrade_credits_the_old_plan_pro_rata_and_schedules_the_new_one(
    annual: Book,
) -> None:
    annual.revrec_run(SEP30)
    # Upgraded on 2026-10-01 to a 2,400.00-a-year plan for the rest of the term: the old
    # plan's unused 165 days are credited (542.47) and the new plan billed for them.
    annual.create_credit_note(
        "I-1", reason="cancellation", amount=usd("542.47"), quantities={1: None}, date=OCT1
    )
    rest = Period(OCT1, dt.date(2027, 3, 15))
    draft = invoice_draft("I-7", lines=(("ANNUAL", "1", "1084.93"),))  # 2,400.00 x 165/365
    draft = attrs.evolve(draft, lines=(attrs.evolve(draft.lines[0], period=rest),))
    annual.create_invoice(draft, issue_date=OCT1)
    old, new = annual.revrec_schedules()
    assert old.remaining == ()
    assert (new.service, new.plan[0].month.label, new.plan[0].amount) == (
        rest,
        "2026-10",
        usd("203.84"),  # 1,084.93 x 31 / 165 = 203.835...
    )
    annual.revrec_run(dt.date(2027, 3, 31))
    assert balance(annual, "2400") == Decimal(0)
    # Recognized in all: the old plan to Sep 30 and the whole new one.
    assert old.balances.recognized + new.balances.billed == usd("1742.46")


def test_a_bill_run_defers_a_ratable_item_over_the_lines_service_month(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "3", "100.00"), ("API", "2", "1"))))
    book.set_recognition_rule("SEAT", "ratable")
    result = book.bill_run("2026-10")
    [doc_id] = result.document_ids
    [entry] = lines(book, doc_id)
    assert ("2400", "-300.00 MXN") in entry
    assert ("4000", "-2.00 MXN") in entry
    [plan] = book.revrec_schedules(doc_id)
    assert [(s.month.label, s.due_on, s.amount) for s in plan.plan] == [
        ("2026-10", dt.date(2026, 10, 31), Money.of("300.00", "MXN"))
    ]
    book.revrec_run(dt.date(2026, 10, 31))
    assert balance(book, "2400") == Decimal(0)
    assert book.trial_balance(dt.date(2026, 10, 31)).is_balanced


def test_the_waterfall_lists_future_recognition_by_month_and_sums_to_the_deferred_balance(
    annual: Book,
) -> None:
    annual.revrec_run(dt.date(2026, 12, 31))
    rows = annual.revrec_waterfall()
    assert [(r.month.label if r.month else None, str(r.amount.amount)) for r in rows] == [
        ("2027-01", "101.92"),
        ("2027-02", "92.05"),
        ("2027-03", "46.03"),
    ]
    assert sum(r.amount.amount for r in rows) == -balance(annual, "2400")
