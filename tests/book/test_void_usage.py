"""Issue 26: a wrong usage record or time entry is taken out by a command, not by SQL.

``Book.void_usage`` / ``Book.void_time`` mark unbilled records void with the reason, who
and when. No billing path rates a voided record again, a re-import of its id is still a
duplicate, a billed record is refused naming its invoice, and a refused void (any id)
changes nothing. Both stores (the ``book`` fixture).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing.unbilled import UnbilledKind
from o2c.book import Book, VoidedRecord
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import TimeEntry, UsageRecord
from o2c.tax import TaxProfile
from tests.book.factories import mx_customer, usage_line

STAMP = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)
MXN = Currency.of("MXN")


def _usage(uid: str, quantity: str, item: str = "API") -> UsageRecord:
    return UsageRecord(
        id=uid, customer="C1", item=item, quantity=Decimal(quantity), timestamp=STAMP
    )


def _dump(book: Book) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table and view."""
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


def _usage_book(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(usage_line("K1", "C1"))  # API at 0.50 per unit, in arrears
    book.import_usage([_usage("u-1", "10"), _usage("u-2", "4"), _usage("u-wrong", "1000000")])
    return book


def test_a_voided_record_is_not_billed_and_the_run_bills_the_others(book: Book) -> None:
    _usage_book(book)
    voided = book.void_usage(["u-wrong"], reason="meter glitch: 1,000,000 calls")
    assert voided == (
        VoidedRecord(
            kind=UnbilledKind.USAGE,
            id="u-wrong",
            customer="C1",
            contract=None,
            item="API",
            quantity=Decimal("1000000"),
            occurred_at=STAMP,
            work_date=None,
            voided_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
            voided_by="ana",
            reason="meter glitch: 1,000,000 calls",
        ),
    )
    # The unbilled list (the exceptions queue's input) no longer shows it.
    assert sorted(u.id for u in book.list_unbilled()) == ["u-1", "u-2"]
    assert book.list_voided("usage") == list(voided)
    assert book.list_voided("usage", customer="C2") == []
    # A re-import of the same id is a duplicate: the void stands.
    again = book.import_usage([_usage("u-wrong", "1000000")])
    assert (again.inserted, again.duplicates) == (0, 1)
    [doc_id] = book.bill_run("2026-10").document_ids
    invoice = book.get_document(doc_id)
    # 14 units x 0.50 = 7.00, IVA 16 % 1.12.
    assert invoice.totals.net == Money.of("7.00", "MXN")
    assert invoice.totals.payable == Money.of("8.12", "MXN")
    billed = book.store.query("SELECT id, document_id FROM usage_records ORDER BY id")
    assert [(str(i), d) for i, d in billed] == [
        ("u-1", doc_id),
        ("u-2", doc_id),
        ("u-wrong", None),
    ]
    assert book.list_unbilled(period="2026-10") == []
    # The audit trail says who voided what and why.
    event = [e for e in book.audit_log() if e.command == "void_usage"][-1]
    assert event.actor == "ana"
    assert "usage:u-wrong" in event.ids


def test_voiding_a_billed_record_is_refused_naming_the_invoice(book: Book) -> None:
    _usage_book(book)
    book.void_usage(["u-wrong"], reason="meter glitch")
    book.bill_run("2026-10", issue=True)
    before = _dump(book)
    with pytest.raises(InvalidState) as refused:
        book.void_usage(["u-1"], reason="too late")
    assert str(refused.value) == (
        "usage record u-1 is billed on invoice INV-2026-000001: a billed record is not"
        " voided; correct the invoice with a credit note (o2c credit-note create);"
        " nothing was voided"
    )
    assert _dump(book) == before


def test_a_void_with_any_refused_id_changes_nothing(book: Book) -> None:
    _usage_book(book)
    before = _dump(book)
    with pytest.raises(NotFound) as unknown:
        book.void_usage(["u-1", "u-nope", "u-gone"], reason="wrong")
    assert str(unknown.value) == (
        "usage record u-nope, u-gone not found; check the ids"
        " (o2c usage list --unbilled lists what is unbilled); nothing was voided"
    )
    assert _dump(book) == before
    book.void_usage(["u-wrong"], reason="meter glitch")
    before = _dump(book)
    with pytest.raises(InvalidState, match="usage record u-wrong is void already"):
        book.void_usage(["u-1", "u-wrong"], reason="again")
    assert _dump(book) == before
    for ids, reason in (([], "why"), (["u-1"], "  ")):
        with pytest.raises(ValidationError):
            book.void_usage(ids, reason=reason)
    assert _dump(book) == before
    assert sorted(u.id for u in book.list_unbilled()) == ["u-1", "u-2"]


def test_a_void_retried_with_its_key_returns_the_first_result(book: Book) -> None:
    _usage_book(book)
    first = book.void_usage(["u-wrong", "u-2"], reason="test data", idempotency_key="v-1")
    again = book.void_usage(["u-wrong", "u-2"], reason="test data", idempotency_key="v-1")
    assert again == first
    assert [r.id for r in first] == ["u-2", "u-wrong"]
    assert len([e for e in book.audit_log() if e.command == "void_usage"]) == 1


CARD = """
[ratecard]
code = "std"
name = "Standard"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.CONSULTING]
name = "Consulting"
unit = "hour"
tax_category = "S"
model = "time_and_materials"
rates = { dev = 800 }
increment = 0.25
minimum_hours = 1
"""


def _entry(eid: str, day: int, hours: str) -> TimeEntry:
    return TimeEntry(
        id=eid, person="luis", role="dev", date=dt.date(2026, 10, day), hours=hours, approved=True
    )


def test_a_voided_time_entry_is_not_billed(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("std.toml", text=CARD)
    book.add_customer(mx_customer("C1"))
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (ContractLine("T", ItemCode("CONSULTING"), ChargeKind.TIME),),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        MXN,
        rate_card="std",
        timing=BillingTiming.ARREARS,
    )
    book.add_contract(Contract(ContractId("K1"), CustomerId("C1"), (version,)))
    book.import_time([_entry("t-1", 5, "2"), _entry("t-2", 6, "40")], customer="C1")
    [voided] = book.void_time(["t-2"], reason="booked on the wrong customer")
    assert (voided.kind, voided.item, voided.quantity, voided.work_date) == (
        UnbilledKind.TIME,
        "dev",
        Decimal("40"),
        dt.date(2026, 10, 6),
    )
    assert [u.id for u in book.list_unbilled()] == ["t-1"]
    [doc_id] = book.bill_run("2026-10").document_ids
    # 2 hours x 800 = 1,600.00 (t-2's 40 hours would add 32,000.00).
    assert book.get_document(doc_id).totals.net == Money.of("1600.00", "MXN")
    assert book.list_voided("time") == [voided]
    with pytest.raises(InvalidState, match="time entry t-1 is billed on invoice"):
        book.void_time(["t-1"], reason="late")
    with pytest.raises(ValidationError):
        book.list_voided("order")


PER_EVENT_CARD = """
[ratecard]
code = "pay"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.CARD_FEE]
name = "Card processing"
unit = "transaction"
model = "percentage"
percent = "2.9"
fixed_fee = "0.30"
per_event = true
"""


def test_a_voided_event_is_never_charged_per_event(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("pay.toml", text=PER_EVENT_CARD)
    book.add_customer(mx_customer("C1"))
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (ContractLine("U1", ItemCode("CARD_FEE"), ChargeKind.USAGE),),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        MXN,
        rate_card="pay",
        timing=BillingTiming.ARREARS,
    )
    book.add_contract(Contract(ContractId("K1"), CustomerId("C1"), (version,)))
    book.import_usage([_usage("e-1", "100.00", "CARD_FEE"), _usage("e-bad", "1E+9", "CARD_FEE")])
    book.void_usage(["e-bad"], reason="test transaction")
    charged = book.charge_usage_events(date=dt.date(2026, 10, 31))
    assert charged.charged == 1
    [doc_id] = charged.document_ids
    # 100.00 x 2.9 % + 0.30 = 3.20.
    assert book.get_document(doc_id).totals.net == Money.of("3.20", "MXN")
    assert book.list_unbilled(period="2026-10") == []


_POOL = ("u-1", "u-2", "u-3", "u-4", "b-1", "x-unknown")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.lists(st.sampled_from(_POOL), min_size=1, max_size=4), max_size=5))
def test_a_void_voids_every_id_it_names_or_changes_nothing(attempts: list[list[str]]) -> None:
    with Book.open(":memory:", actor="ana") as book:
        book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
        book.add_customer(mx_customer("C1"))
        book.add_contract(usage_line("K1", "C1"))
        book.import_usage([_usage("b-1", "2")])
        book.bill_run("2026-10")  # b-1 is billed
        book.import_usage([_usage(f"u-{n}", str(n)) for n in range(1, 5)])
        for ids in attempts:
            before = _dump(book)
            was = {r.id for r in book.list_voided()}
            try:
                done = book.void_usage(ids, reason="property")
            except (NotFound, InvalidState):
                assert _dump(book) == before
                continue
            assert {r.id for r in done} == set(ids)
            assert {r.id for r in book.list_voided()} == was | set(ids)
            assert not was & set(ids)
            assert "b-1" not in ids
            assert "x-unknown" not in ids
        # Whatever was voided, the next run bills exactly the others.
        left = sorted({"u-1", "u-2", "u-3", "u-4"} - {r.id for r in book.list_voided()})
        assert sorted(u.id for u in book.list_unbilled()) == left
