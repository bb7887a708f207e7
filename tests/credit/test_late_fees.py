"""Late fees (pure): simple daily interest, the EU directive's rate, fixed fees; never on
disputed or extended items; worked examples and invariants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.credit import EU_MARGIN, LateFeePolicy, late_fee, late_fee_policies, plan_late_fees
from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

USD = Currency.of("USD")
DUE = dt.date(2026, 10, 31)


def usd(text: str) -> Money:
    return Money.of(text, USD)


def _item(
    amount: str = "1000.00",
    *,
    doc: str = "D1",
    kind: DocumentKind = DocumentKind.INVOICE,
    disputed: Money | None = None,
    extended: dt.date | None = None,
) -> OpenItem:
    return OpenItem(
        DocumentId(doc), f"INV-{doc}", kind, CustomerId("C1"), USD, dt.date(2026, 10, 1), DUE,
        usd(amount), usd(amount), disputed=disputed, extended_due=extended,
    )  # fmt: skip


def test_a_30_day_overdue_invoice_at_12_percent_a_year() -> None:
    # 1,000.00 x 12 / 100 x 30 / 365 = 9.8630... -> 9.86
    fee = late_fee(
        _item(), LateFeePolicy.parse("standard", "interest 12%"), as_of=DUE + dt.timedelta(days=30)
    )
    assert fee is not None
    assert (fee.start, fee.through, fee.days, str(fee.interest), str(fee.fixed)) == (
        DUE, dt.date(2026, 11, 30), 30, "9.86 USD", "0.00 USD",
    )  # fmt: skip


def test_the_eu_directive_rate_is_the_reference_rate_plus_8_points() -> None:
    policy = LateFeePolicy.parse("standard", "eu 4.15%; fixed 40.00 EUR")
    assert (policy.annual_rate, policy.reference_rate, EU_MARGIN) == (
        Decimal("12.15"),
        Decimal("4.15"),
        Decimal(8),
    )
    eur = Currency.of("EUR")
    item = OpenItem(
        DocumentId("D1"), "INV-1", DocumentKind.INVOICE, CustomerId("C1"), eur,
        dt.date(2026, 10, 1), DUE, Money.of("2500.00", eur), Money.of("2500.00", eur),
    )  # fmt: skip
    fee = late_fee(item, policy, as_of=dt.date(2026, 11, 30))
    # 2,500.00 x 12.15 / 100 x 30 / 365 = 24.9657... -> 24.97, plus the EUR 40 compensation
    assert fee is not None
    assert (str(fee.interest), str(fee.fixed), str(fee.amount)) == (
        "24.97 EUR",
        "40.00 EUR",
        "64.97 EUR",
    )
    again = late_fee(item, policy, as_of=dt.date(2026, 12, 31), charged_through=fee.through)
    assert again is not None
    # From 2026-11-30: 31 days; the fixed fee was charged once already.
    assert (again.days, str(again.interest), str(again.fixed)) == (31, "25.80 EUR", "0.00 EUR")


def test_a_fixed_fee_only_in_the_currencies_the_policy_names() -> None:
    policy = LateFeePolicy.parse("standard", "fixed 25.00 USD, 400 MXN")
    fee = late_fee(_item(), policy, as_of=dt.date(2026, 11, 1))
    assert fee is not None
    assert (str(fee.amount), fee.description) == ("25.00 USD", "Late payment fee on INV-D1")
    eur_only = LateFeePolicy.parse("standard", "fixed 40.00 EUR")
    assert late_fee(_item(), eur_only, as_of=dt.date(2026, 11, 1)) is None


def test_nothing_before_the_due_date_or_when_it_rounds_to_zero() -> None:
    policy = LateFeePolicy.parse("standard", "interest 12%")
    assert late_fee(_item(), policy, as_of=DUE) is None
    # 1.00 x 12 % x 1 / 365 = 0.0003 -> 0.00: nothing now, the days wait.
    assert late_fee(_item("1.00"), policy, as_of=DUE + dt.timedelta(days=1)) is None


def test_disputed_extended_and_debit_note_items_are_never_charged() -> None:
    policies = late_fee_policies({"late_fee.standard": "interest 12%; fixed 10.00 USD"})
    items = [
        _item(doc="1"),
        _item(doc="2", disputed=usd("1.00")),
        _item(doc="3", extended=dt.date(2026, 12, 15)),
        _item(doc="4", kind=DocumentKind.DEBIT_NOTE),
        _item(doc="5", extended=dt.date(2026, 11, 10)),
    ]
    fees, skipped = plan_late_fees(items, as_of=dt.date(2026, 11, 30), policies=policies)
    assert [(f.number, f.start, str(f.amount)) for f in fees] == [
        ("INV-1", DUE, "19.86 USD"),
        # Past its extended due date, interest runs from that date: 20 days.
        ("INV-5", dt.date(2026, 11, 10), "16.58 USD"),
    ]
    assert [(s.number, s.reason) for s in skipped] == [
        ("INV-2", "disputed"),
        ("INV-3", "extended to 2026-12-15"),
    ]


def test_a_segment_without_a_policy_follows_the_standard_one() -> None:
    policies = late_fee_policies(
        {"late_fee.standard": "interest 12%", "late_fee.vip": "fixed 1.00 USD"}
    )
    fees, _ = plan_late_fees(
        [_item()], as_of=dt.date(2026, 11, 30), policies=policies, segment_of={"C1": "vip"}
    )
    assert [str(f.amount) for f in fees] == ["1.00 USD"]
    fees, _ = plan_late_fees(
        [_item()], as_of=dt.date(2026, 11, 30), policies=policies, segment_of={"C1": "other"}
    )
    assert [str(f.amount) for f in fees] == ["9.86 USD"]


@pytest.mark.parametrize(
    "text", ["interest", "interest twelve", "interest -1%", "monthly 2%", "fixed 10", ""]
)
def test_a_policy_that_cannot_be_read_names_the_setting(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        LateFeePolicy.parse("vip", text)
    assert caught.value.field == "late_fee.vip"


cents = st.integers(min_value=1, max_value=10**9)
rates = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=1, max_value=2000)


@given(cents, rates, days)
def test_interest_is_the_formula_rounded_once(units: int, rate: Decimal, n: int) -> None:
    item = _item(str(Money.from_minor(units, USD).amount))
    fee = late_fee(item, LateFeePolicy("standard", rate), as_of=DUE + dt.timedelta(days=n))
    exact = item.open.amount * rate / 100 * n / 365
    expected = Money(exact, USD).round()
    if expected.is_zero:
        assert fee is None
    else:
        assert fee is not None
        assert fee.interest == expected
        assert abs(fee.interest.amount - exact) <= Decimal("0.005")


@given(cents, rates, days, days)
def test_charging_in_two_runs_differs_from_one_by_at_most_a_cent(
    units: int, rate: Decimal, first: int, second: int
) -> None:
    item = _item(str(Money.from_minor(units, USD).amount))
    policy = LateFeePolicy("standard", rate)
    middle, end = DUE + dt.timedelta(days=first), DUE + dt.timedelta(days=first + second)
    one = late_fee(item, policy, as_of=end)
    a = late_fee(item, policy, as_of=middle)
    b = late_fee(item, policy, as_of=end, charged_through=middle if a is not None else None)
    total = sum((f.interest for f in (a, b) if f is not None), Money.zero(USD))
    whole = one.interest if one is not None else Money.zero(USD)
    assert abs((total - whole).amount) <= Decimal("0.01")
