"""The write-off tolerance rule (o2c.ledger.tolerance), with exact amounts and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import ValidationError
from o2c.ledger.tolerance import WriteOffTolerance, tolerance_writeoff, tolerances_from_settings
from o2c.money import Currency, Money

USD = Currency.of("USD")


def usd(text: str) -> Money:
    return Money.of(text, "USD")


FIVE_CENTS = WriteOffTolerance(USD, amount=usd("0.05"))


def test_payment_99_97_of_100_00_writes_off_0_03() -> None:
    assert tolerance_writeoff(usd("100.00"), usd("99.97"), FIVE_CENTS) == usd("0.03")


def test_payment_99_90_of_100_00_leaves_0_10_open() -> None:
    assert tolerance_writeoff(usd("100.00"), usd("99.90"), FIVE_CENTS) is None


def test_remainder_exactly_at_the_tolerance_is_written_off() -> None:
    assert tolerance_writeoff(usd("100.00"), usd("99.95"), FIVE_CENTS) == usd("0.05")


def test_full_payment_and_over_payment_write_off_nothing() -> None:
    assert tolerance_writeoff(usd("100.00"), usd("100.00"), FIVE_CENTS) is None
    assert tolerance_writeoff(usd("100.00"), usd("100.02"), FIVE_CENTS) is None


def test_no_policy_writes_off_nothing() -> None:
    assert tolerance_writeoff(usd("100.00"), usd("99.99"), None) is None


def test_percent_tolerance_is_a_share_of_what_was_open() -> None:
    half = WriteOffTolerance(USD, percent=Decimal("0.5"))
    assert tolerance_writeoff(usd("200.00"), usd("199.00"), half) == usd("1.00")
    assert tolerance_writeoff(usd("200.00"), usd("198.99"), half) is None


def test_amount_and_percent_together_the_smaller_limit_wins() -> None:
    both = WriteOffTolerance(USD, amount=usd("0.05"), percent=Decimal("1"))
    # 1% of 100.00 is 1.00, but the amount allows only 0.05
    assert tolerance_writeoff(usd("100.00"), usd("99.50"), both) is None
    # 0.05 is allowed by the amount, but 1% of 2.00 is only 0.02
    assert tolerance_writeoff(usd("2.00"), usd("1.95"), both) is None
    assert tolerance_writeoff(usd("2.00"), usd("1.98"), both) == usd("0.02")


def test_jpy_tolerance_in_whole_yen() -> None:
    jpy = tolerances_from_settings({"writeoff.tolerance.JPY": "5"})["JPY"]
    assert tolerance_writeoff(Money.of("10000", "JPY"), Money.of("9996", "JPY"), jpy) == Money.of(
        "4", "JPY"
    )
    assert tolerance_writeoff(Money.of("10000", "JPY"), Money.of("9994", "JPY"), jpy) is None


def test_settings_read_amount_and_percent_by_currency() -> None:
    found = tolerances_from_settings(
        {
            "writeoff.tolerance.USD": "0.05",
            "writeoff.tolerance_percent.USD": "0.1",
            "writeoff.tolerance_percent.EUR": "0.2%",
            "approval.refund.USD": "500",
        }
    )
    assert found == {
        "EUR": WriteOffTolerance(Currency.of("EUR"), percent=Decimal("0.2")),
        "USD": WriteOffTolerance(USD, amount=usd("0.05"), percent=Decimal("0.1")),
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("writeoff.tolerance.USD", "-0.01"),
        ("writeoff.tolerance.USD", "0.001"),
        ("writeoff.tolerance.JPY", "0.5"),
        ("writeoff.tolerance.XXQ", "1"),
        ("writeoff.tolerance_percent.USD", "100"),
        ("writeoff.tolerance_percent.USD", "many"),
        ("writeoff.other.USD", "1"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(key: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        tolerances_from_settings({key: value})
    assert error.value.field == key


def test_policy_in_another_currency_is_refused() -> None:
    with pytest.raises(ValidationError):
        tolerance_writeoff(Money.of("100", "JPY"), Money.of("99", "JPY"), FIVE_CENTS)


cents = st.integers(min_value=1, max_value=10_000_000)


@given(
    open_cents=cents,
    applied_cents=cents,
    limit_cents=st.integers(min_value=0, max_value=500),
    percent=st.none() | st.decimals(min_value=0, max_value=5, places=2),
)
def test_after_allocation_the_remainder_is_zero_or_above_the_tolerance_and_money_is_conserved(
    open_cents: int, applied_cents: int, limit_cents: int, percent: Decimal | None
) -> None:
    applied_cents = min(applied_cents, open_cents)  # an allocation never exceeds what is open
    owed, applied = Money.from_minor(open_cents, USD), Money.from_minor(applied_cents, USD)
    policy = WriteOffTolerance(USD, amount=Money.from_minor(limit_cents, USD), percent=percent)
    written = tolerance_writeoff(owed, applied, policy)
    written_off = Money.zero(USD) if written is None else written
    remainder = owed - applied - written_off
    assert not remainder.is_negative
    if written is not None:
        assert remainder.is_zero
        assert applied + written == owed  # payment + write-off = amount closed
        assert written <= Money.from_minor(limit_cents, USD)
    elif not remainder.is_zero:
        within_amount = remainder <= Money.from_minor(limit_cents, USD)
        within_percent = percent is None or remainder.amount * 100 <= owed.amount * percent
        assert not (within_amount and within_percent)
