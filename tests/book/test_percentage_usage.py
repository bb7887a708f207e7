"""Percentage pricing in the bill run: each usage record is one transaction.

Found as a billing team would: the bill run rated a period's usage of a percentage item
as one transaction of the summed amount, so the per-transaction fee was charged once,
the per-transaction maximum capped the whole month, and with free transactions the one
pooled "transaction" was free: the line disappeared and its usage stayed unbilled.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.ids import ContractId, CustomerId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import Percentage, UsageRecord
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import mx_customer

MXN = Currency.of("MXN")
OCT = "2026-10"

#: A card processor's fee: 2.5 % + 0.30 a transaction, at least 1.00, at most 10.00.
CARD_FEE = Percentage(
    percent="2.5", fixed_fee="0.30", transaction_minimum="1.00", transaction_maximum="10.00"
)


def _contract(model: Percentage) -> Contract:
    version = ContractVersion(
        dt.date(2026, 10, 1),
        (ContractLine("U1", ItemCode("PAYMENTS"), ChargeKind.USAGE, model=model),),
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        MXN,
        timing=BillingTiming.ARREARS,
    )
    return Contract(ContractId("K1"), CustomerId("C1"), (version,))


def _setup(book: Book, model: Percentage, amounts: list[str]) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(_contract(model))
    # Imported in reverse: the order that counts is the order they occurred in.
    book.import_usage(
        reversed(
            [
                UsageRecord(
                    id=f"tx-{n:03d}",
                    customer="C1",
                    item="PAYMENTS",
                    quantity=Decimal(amount),
                    timestamp=dt.datetime(2026, 10, 2, 12, tzinfo=dt.UTC) + dt.timedelta(hours=n),
                )
                for n, amount in enumerate(amounts)
            ]
        )
    )


def _billed_by(book: Book) -> dict[str, str | None]:
    return {
        str(rid): None if doc is None else str(doc)
        for rid, doc in book._store.query("SELECT id, document_id FROM usage_records")
    }


def test_each_usage_record_is_one_transaction_of_a_percentage_item(book: Book) -> None:
    _setup(book, CARD_FEE, ["600", "250", "100", "30", "15", "5"])
    [doc_id] = book.bill_run(OCT).document_ids
    [line] = book.get_document(doc_id).lines
    # 600: 15.00 + 0.30 capped at 10.00; 250: 6.25 + 0.30 = 6.55; 100: 2.50 + 0.30 = 2.80;
    # 30: 0.75 + 0.30 = 1.05; 15: 0.675 and 5: 0.425 raised to 1.00 each.
    # 10.00 + 6.55 + 2.80 + 1.05 + 1.00 + 1.00 = 22.40. As one transaction of 1000.00 the
    # month was 25.00 + 0.30 capped at 10.00.
    assert line.quantity == Decimal(1000)
    assert line.net == Money.of("22.40", MXN)
    assert line.tax == Money.of("3.58", MXN)  # 22.40 x 16 % = 3.584
    assert line.explain == (
        "percent: 1000 × 2.5 % = 25.00",
        "transaction fee: 6 × 0.30 = 1.80",
        "transaction minimum: 2 adjusted by 0.90",  # 0.325 + 0.575
        "transaction maximum: 1 adjusted by -5.30",
    )


def test_usage_beyond_the_free_transactions_is_billed_and_none_stays_unbilled(
    book: Book,
) -> None:
    free_two = Percentage(percent="2.5", fixed_fee="0.30", free_transactions=2)
    _setup(book, free_two, ["100", "100", "100", "100", "100"])
    [doc_id] = book.bill_run(OCT).document_ids
    [line] = book.get_document(doc_id).lines
    # The first two transactions (by when they occurred) are free; three pay 2.50 + 0.30.
    assert line.net == Money.of("8.40", MXN)
    assert line.explain[0] == "free (2 transactions): 200 × 0.00 = 0.00"
    assert _billed_by(book) == {f"tx-{n:03d}": doc_id for n in range(5)}


def test_the_free_transactions_are_the_first_to_occur(book: Book) -> None:
    free_one = Percentage(percent="10", free_transactions=1)
    _setup(book, free_one, ["50", "20", "30"])
    [doc_id] = book.bill_run(OCT).document_ids
    # tx-000 (50.00, the first) is free: 10 % of 20 + 30 = 5.00, not 10 % of 20 + 50.
    assert book.get_document(doc_id).lines[0].net == Money.of("5.00", MXN)


_AMOUNT = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)


def _fee(amount: Decimal, model: Percentage) -> Decimal:
    """One transaction's fee by the rule on the rate card, written out."""
    fee = amount * model.percent / 100 + model.fixed_fee
    if model.transaction_minimum is not None and fee < model.transaction_minimum:
        fee = model.transaction_minimum
    if model.transaction_maximum is not None and fee > model.transaction_maximum:
        fee = model.transaction_maximum
    return fee


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amounts=st.lists(_AMOUNT, min_size=1, max_size=8),
    percent=st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=2),
    fixed_fee=st.sampled_from(["0", "0.30"]),
    limits=st.sampled_from([(None, None), ("1.00", None), (None, "8.00"), ("0.50", "20.00")]),
    free=st.integers(0, 3),
)
def test_the_bill_run_amount_of_a_percentage_item_is_the_sum_of_per_record_fees(
    amounts: list[Decimal],
    percent: Decimal,
    fixed_fee: str,
    limits: tuple[str | None, str | None],
    free: int,
) -> None:
    model = Percentage(
        percent=percent,
        fixed_fee=fixed_fee,
        transaction_minimum=limits[0],
        transaction_maximum=limits[1],
        free_transactions=free,
    )
    expected = sum((_fee(a, model) for a in amounts[free:]), Decimal(0))
    net = expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
        book = Book.open(str(Path(folder) / "book.o2c"), actor="ana", clock=clock)
        try:
            _setup(book, model, [str(a) for a in amounts])
            result = book.bill_run(OCT)
            lines = [line for d in result.document_ids for line in book.get_document(d).lines]
            assert sum((line.net.amount for line in lines), Decimal(0)) == net
            if net:
                assert set(_billed_by(book).values()) == set(result.document_ids)
        finally:
            book.close()


def test_rerating_a_percentage_item_with_unchanged_rates_changes_nothing(book: Book) -> None:
    _setup(book, CARD_FEE, ["600", "250", "100", "30", "15", "5"])
    book.bill_run(OCT, issue=True)
    report = book.rerate(dt.date(2026, 10, 1), dt.date(2026, 11, 30)).report
    assert (report.checked, report.rows) == (1, ())
