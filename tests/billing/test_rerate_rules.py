"""The rules of what a re-rating re-plans, and from what (o2c.billing.rerate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import LineSource, ReasonCode
from o2c.billing.corrections import credit_note_for
from o2c.billing.rerate import (
    billed_time,
    billed_transactions,
    billed_usage,
    check_rerate_range,
    corrections_by_invoice,
    rebill_run_key,
    replannable,
)
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import ChargeKind, Contract, ContractLine, ContractVersion
from o2c.errors import ValidationError
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import Currency
from o2c.pricing import TimeEntry
from tests.billing.builders import issued_invoice, taxed_line

USD = Currency.of("USD")


def _contract(*kinds: tuple[str, ChargeKind]) -> Contract:
    lines = tuple(
        ContractLine(f"l{n}", ItemCode(item), kind, Decimal(1))
        for n, (item, kind) in enumerate(kinds)
    )
    version = ContractVersion(
        dt.date(2026, 10, 1),
        lines,
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
        USD,
        rate_card="STANDARD",
    )
    return Contract(ContractId("K-1"), CustomerId("C-1"), (version,))


def test_a_range_ending_before_it_starts_is_refused() -> None:
    check_rerate_range(dt.date(2026, 10, 1), dt.date(2026, 10, 1))
    with pytest.raises(ValidationError, match="on or after start 2026-10-02"):
        check_rerate_range(dt.date(2026, 10, 2), dt.date(2026, 10, 1))


@pytest.mark.parametrize(
    ("contract_id", "run_key", "replaced", "expected"),
    [
        ("K-1", "K-1:2026-10", False, True),
        (None, "order:SO-1", False, True),
        (None, "manual", False, False),
        ("K-1", None, False, False),
        (None, None, False, False),
        ("K-1", "K-1:2026-10", True, False),
        (None, "order:SO-1", True, False),
    ],
)
def test_only_bill_run_invoices_of_a_contract_or_order_not_rebilled_are_replanned(
    contract_id: str | None, run_key: str | None, replaced: bool, expected: bool
) -> None:
    assert replannable(contract_id, run_key, replaced=replaced) is expected


@given(st.one_of(st.none(), st.text(max_size=5)), st.one_of(st.none(), st.text(max_size=12)))
def test_a_replaced_invoice_is_never_replanned(
    contract_id: str | None, run_key: str | None
) -> None:
    assert not replannable(contract_id, run_key, replaced=True)


def test_usage_is_taken_from_the_marked_records_summed_per_item() -> None:
    invoice = attrs.evolve(issued_invoice(taxed_line("API", "3", "1.00")), run_key="K-1:2026-10")
    usage = billed_usage(invoice, [("API", Decimal(2)), ("SMS", Decimal(1)), ("API", Decimal(5))])
    assert usage == {
        ("K-1:2026-10", ItemCode("API")): Decimal(7),
        ("K-1:2026-10", ItemCode("SMS")): Decimal(1),
    }


def test_without_marked_records_usage_comes_from_the_usage_lines() -> None:
    usage_line = attrs.evolve(taxed_line("API", "3", "1.00"), source=LineSource.USAGE)
    other = taxed_line("PLAN", "1", "10.00")
    invoice = attrs.evolve(issued_invoice(usage_line, other), run_key="K-1:2026-10")
    assert billed_usage(invoice, []) == {("K-1:2026-10", ItemCode("API")): Decimal(3)}


def test_billed_time_is_keyed_under_every_time_item_of_the_contract() -> None:
    contract = _contract(
        ("CONSULTING", ChargeKind.TIME),
        ("SUPPORT", ChargeKind.TIME),
        ("PLAN", ChargeKind.RECURRING),
    )
    invoice = attrs.evolve(issued_invoice(taxed_line("PLAN", "1", "1.00")), run_key="K-1:2026-10")
    entry = TimeEntry(
        id="t-1", person="ana", role="dev", date=dt.date(2026, 10, 5), hours=Decimal(2)
    )
    assert billed_time(invoice, contract, [entry]) == {
        ("K-1:2026-10", ItemCode("CONSULTING")): (entry,),
        ("K-1:2026-10", ItemCode("SUPPORT")): (entry,),
    }
    assert billed_time(invoice, contract, []) == {}


def test_notes_are_grouped_by_the_invoice_they_correct() -> None:
    invoice = issued_invoice(taxed_line("PLAN", "1", "10.00"))
    first, second = (
        credit_note_for(invoice, [], id=DocumentId(n), reason=ReasonCode.WRONG_PRICE)
        for n in ("N-1", "N-2")
    )
    other = issued_invoice(taxed_line("PLAN", "1", "10.00"), doc_id="I-2")
    assert corrections_by_invoice([first, other, second]) == {invoice.id: [first, second]}


def test_a_rebills_invoice_keeps_the_run_key_marked_with_its_own_id() -> None:
    draft = attrs.evolve(issued_invoice(taxed_line("PLAN", "1", "1.00")), id=DocumentId("D-9"))
    keyed = attrs.evolve(draft, run_key="K-1:2026-10")
    assert rebill_run_key(keyed, DocumentId("I-1")) == "K-1:2026-10#rerate:D-9"
    assert rebill_run_key(draft, DocumentId("I-1")) == "I-1#rerate:D-9"


def test_each_billed_usage_record_is_one_transaction_in_the_order_it_occurred() -> None:
    invoice = attrs.evolve(issued_invoice(taxed_line("PAY", "3", "1.00")), run_key="K-1:2026-10")
    records = [("PAY", Decimal(600)), ("API", Decimal(2)), ("PAY", Decimal(15))]
    assert billed_transactions(invoice, records) == {
        ("K-1:2026-10", ItemCode("PAY")): (Decimal(600), Decimal(15)),
        ("K-1:2026-10", ItemCode("API")): (Decimal(2),),
    }
