"""Issue 18 item 4: usage charged per event, end to end on a book.

A card-processing fee of 2.9 % + 0.30 per transaction (at least 0.50, at most 5.00, the
first two transactions of each month free) is charged as transactions arrive: each
event given the earlier events of its month, on an invoice of its own or one per
day, each event once. The bill run leaves it alone; the month's charges add up to what
the period rating of its transactions gives.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing.unbilled import UnbilledStatus
from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency
from o2c.pricing import UsageRecord, rate
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import mx_customer

MX = dt.timezone(dt.timedelta(hours=-6))

CARD = """
[ratecard]
code = "pay"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.PLAN]
name = "Plan"
unit = "month"
model = "flat"
price = "100.00"

[versions.items.CARD_FEE]
name = "Card processing"
unit = "transaction"
model = "percentage"
percent = "2.9"
fixed_fee = "0.30"
transaction_minimum = "0.50"
transaction_maximum = "5.00"
free_transactions = 2
per_event = true
"""


def _book(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.import_rate_card("pay.toml", text=CARD)
    book.add_customer(mx_customer("C1"))
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (
            ContractLine("P1", ItemCode("PLAN")),
            ContractLine("U1", ItemCode("CARD_FEE"), ChargeKind.USAGE),
        ),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        Currency.of("MXN"),
        rate_card="pay",
        timing=BillingTiming.ARREARS,
    )
    book.add_contract(Contract(ContractId("K1"), CustomerId("C1"), (version,)))
    return book


def _tx(rid: str, day: int, amount: str, hour: int = 12) -> UsageRecord:
    stamp = dt.datetime(2026, 10, day, hour, 0, tzinfo=MX)
    return UsageRecord(
        id=rid, customer="C1", item="CARD_FEE", quantity=Decimal(amount), timestamp=stamp
    )


def _lines(book: Book, doc_id: str) -> list[tuple[str, str, str]]:
    doc = book.get_document(doc_id)
    return [(line.description, str(line.quantity), str(line.net.amount)) for line in doc.lines]


def test_usage_charged_per_event_is_invoiced_as_it_arrives_and_never_twice(book: Book) -> None:
    _book(book)
    book.import_usage([_tx("u-1", 1, "10.00"), _tx("u-2", 2, "20.00"), _tx("u-3", 3, "5.00")])
    # Before they are charged, the events are pending with why (not left to the run).
    waiting = book.list_unbilled(period="2026-10")
    assert {(u.id, u.status, u.code) for u in waiting} == {
        (rid, UnbilledStatus.PENDING, "per_event") for rid in ("u-1", "u-2", "u-3")
    }
    first = book.charge_usage_events(date=dt.date(2026, 10, 3), each=True)
    # Two free transactions, then 5.00 x 2.9 % + 0.30 = 0.445, raised to the 0.50
    # minimum: one invoice, the free events on it with the one that pays.
    (doc_id,) = first.document_ids
    assert first.charged == 3
    assert _lines(book, doc_id) == [
        ("Card processing (u-1)", "10.00", "0.00"),
        ("Card processing (u-2)", "20.00", "0.00"),
        ("Card processing (u-3)", "5.00", "0.50"),
    ]
    invoice = book.get_document(doc_id)
    assert str(invoice.totals.payable) == "0.58 MXN"  # 0.50 + 16 % IVA
    assert invoice.run_key == "K1:2026-10:events:u-1"
    assert invoice.number is not None
    # Repeating charges nothing: each event is billed once.
    again = book.charge_usage_events(date=dt.date(2026, 10, 3), each=True)
    assert (again.document_ids, again.charged) == ((), 0)

    # The next events are priced given the earlier ones of October, on one daily invoice.
    book.import_usage([_tx("u-4", 10, "100.00"), _tx("u-5", 12, "500.00")])
    daily = book.charge_usage_events(date=dt.date(2026, 10, 12))
    (day_id,) = daily.document_ids
    assert _lines(book, day_id) == [
        ("Card processing (u-4)", "100.00", "3.20"),  # 2.90 + 0.30
        ("Card processing (u-5)", "500.00", "5.00"),  # 14.50 + 0.30, capped at 5.00
    ]
    assert str(book.get_document(day_id).totals.payable) == "9.51 MXN"  # IVA 0.51 + 0.80

    # The bill run bills the plan only and leaves no event unbilled.
    run = book.bill_run("2026-10")
    (period_id,) = run.document_ids
    assert [str(line.item) for line in book.get_document(period_id).lines] == ["PLAN"]
    assert book.list_unbilled(period="2026-10") == []
    # October's charges add up to the period rating of its five transactions.
    model = book.get_rate_card("pay").price_for("CARD_FEE", dt.date(2026, 10, 1)).model
    amounts = ["10.00", "20.00", "5.00", "100.00", "500.00"]
    period = rate(model, 0, currency="MXN", transactions=[Decimal(a) for a in amounts])
    assert str(period.net()) == "8.70 MXN"  # 0.50 + 3.20 + 5.00

    # A late event that occurred first takes a free transaction: u-2 now pays 0.88,
    # which the late event is charged (October's total becomes the rating of all six).
    book.import_usage([_tx("u-0", 1, "50.00", hour=6)])
    late = book.charge_usage_events(date=dt.date(2026, 10, 20), through=dt.date(2026, 10, 20))
    (late_id,) = late.document_ids
    assert _lines(book, late_id) == [("Card processing (u-0)", "50.00", "0.88")]
    everything = [Decimal(a) for a in ["50.00", *amounts]]
    total = rate(model, 0, currency="MXN", transactions=everything).net()
    assert str(total) == "9.58 MXN"

    # A credit note on one event's line credits that line only.
    note = book.create_credit_note(day_id, reason="goodwill", quantities={2: None})
    assert [(str(line.item), str(line.net.amount)) for line in note.lines] == [("CARD_FEE", "5.00")]


def test_events_after_the_charge_date_wait_and_other_usage_is_left_to_the_bill_run(
    book: Book,
) -> None:
    _book(book)
    book.import_usage([_tx("u-1", 1, "10.00"), _tx("u-9", 25, "10.00")])
    result = book.charge_usage_events(date=dt.date(2026, 10, 5))
    assert result.charged == 1  # u-9 occurred after Oct 5
    (pending,) = book.list_unbilled(period="2026-10")
    assert (pending.id, pending.code) == ("u-9", "per_event")
    assert pending.reason.startswith("CARD_FEE is charged per event")


def test_a_contract_period_that_fails_validation_charges_nothing(book: Book) -> None:
    _book(book)
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    import attrs

    customer = book.get_customer("C1")
    book.update_customer(attrs.evolve(customer, billing_address=None))
    book.import_usage([_tx("u-1", 1, "10.00")])
    result = book.charge_usage_events(date=dt.date(2026, 10, 5))
    assert result.document_ids == ()
    assert result.charged == 0
    (problem,) = result.problems
    assert problem.startswith("K1:2026-10: ")
    assert [u.id for u in book.list_unbilled(period="2026-10")] == ["u-1"]


def test_rerating_an_invoice_of_events_recharges_them_given_the_earlier_events(
    book: Book,
) -> None:
    _book(book)
    book.import_usage([_tx("u-1", 1, "10.00"), _tx("u-2", 2, "20.00"), _tx("u-3", 3, "5.00")])
    (first,) = book.charge_usage_events(date=dt.date(2026, 10, 3)).document_ids
    book.import_usage([_tx("u-4", 10, "100.00"), _tx("u-5", 12, "500.00")])
    (second,) = book.charge_usage_events(date=dt.date(2026, 10, 12)).document_ids
    # The fee per transaction was agreed at 0.25, not 0.30: u-3 stays at the 0.50
    # minimum, u-4 is 2.90 + 0.25 = 3.15 (was 3.20), u-5 stays capped at 5.00.
    book.import_rate_card("pay.toml", text=CARD.replace('fixed_fee = "0.30"', 'fixed_fee = "0.25"'))
    result = book.rerate(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    (row,) = result.report.rows
    assert row.invoice_id == second
    # Net -0.05; IVA per line 3.20 x 16 % = 0.51 became 3.15 x 16 % = 0.50.
    assert str(row.difference) == "-0.06 MXN"
    assert row.action.value == "credit_note"
    applied = book.rerate(dt.date(2026, 10, 1), dt.date(2026, 10, 31), apply=True)
    assert len(applied.issued) == 1
    assert book.rerate(dt.date(2026, 10, 1), dt.date(2026, 10, 31)).report.rows == ()
    assert first != second


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amounts=st.lists(
        st.tuples(st.integers(1, 28), st.decimals(min_value="0.01", max_value="900", places=2)),
        min_size=1,
        max_size=8,
    ),
    cuts=st.lists(st.integers(1, 31), min_size=1, max_size=4),
    each=st.booleans(),
)
def test_a_months_event_invoices_add_up_to_the_period_rating_of_its_events(
    amounts: list[tuple[int, Decimal]], cuts: list[int], each: bool
) -> None:
    book = Book.open(
        ":memory:", actor="ana", clock=FakeClock(dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    )
    try:
        _book(book)
        records = [_tx(f"u-{n}", day, str(amount)) for n, (day, amount) in enumerate(amounts)]
        # Events arrive in the order of their ids, charged as of each cut (and the end).
        for cut in [*sorted(cuts), 31]:
            arrived = [r for r in records if r.timestamp.day <= cut]
            book.import_usage(arrived)
            day = dt.date(2026, 10, cut)
            book.charge_usage_events(date=day, through=day, each=each)
        charged = Decimal(0)
        for doc in book.list_documents():
            assert doc.run_key is not None
            assert ":events:" in doc.run_key
            charged += doc.totals.net.amount
            assert all(line.net.amount >= 0 for line in doc.lines)
        model = book.get_rate_card("pay").price_for("CARD_FEE", dt.date(2026, 10, 1)).model
        ordered = sorted(records, key=lambda r: (r.timestamp, r.id))
        period = rate(model, 0, currency="MXN", transactions=[r.quantity for r in ordered])
        assert charged == period.net().amount
        assert book.list_unbilled(period="2026-10") == []
    finally:
        book.close()
