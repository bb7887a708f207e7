"""Parameter types parse money, periods, dates, timestamps, decimals and lines exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import Period
from o2c.cli._types import DATE, DECIMAL, LINE, MONEY, PERIOD, TIMESTAMP, LineSpec
from o2c.money import Money


def test_money_reads_amount_and_currency() -> None:
    assert MONEY.convert("12.50 USD", None, None) == Money.of("12.50", "USD")
    assert MONEY.convert("MXN 1160", None, None) == Money.of("1160", "MXN")


def test_money_without_currency_takes_the_currency_option() -> None:
    @click.command()
    @click.option("--currency")
    @click.option("--amount", type=MONEY)
    def show(currency: str, amount: Money) -> None:
        click.echo(repr(amount))

    result = CliRunner().invoke(show, ["--currency", "EUR", "--amount", "9.5"])
    assert result.stdout.strip() == "Money('9.50', 'EUR')"


def test_money_without_any_currency_is_a_usage_error() -> None:
    @click.command()
    @click.option("--amount", type=MONEY)
    def show(amount: Money) -> None:
        click.echo(amount)

    result = CliRunner().invoke(show, ["--amount", "9.5"])
    assert result.exit_code == 2
    assert "has no currency" in result.stderr


def test_decimal_is_exact_and_refuses_garbage() -> None:
    assert DECIMAL.convert("0.00042", None, None) == Decimal("0.00042")
    with pytest.raises(click.BadParameter, match="decimal"):
        DECIMAL.convert("1,5", None, None)


def test_period_month_and_quarter() -> None:
    assert PERIOD.convert("2026-10", None, None) == Period.month(2026, 10)
    assert PERIOD.convert("2026-Q4", None, None).days == 92
    with pytest.raises(click.BadParameter, match="YYYY-MM"):
        PERIOD.convert("October", None, None)


def test_date_is_iso() -> None:
    assert DATE.convert("2026-10-31", None, None) == dt.date(2026, 10, 31)
    with pytest.raises(click.BadParameter):
        DATE.convert("31/10/2026", None, None)


def test_timestamp_without_offset_is_utc() -> None:
    assert TIMESTAMP.convert("2026-11-01", None, None) == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with_offset = TIMESTAMP.convert("2026-11-01T00:00-06:00", None, None)
    assert with_offset.utcoffset() == dt.timedelta(hours=-6)
    with pytest.raises(click.BadParameter, match="not a timestamp"):
        TIMESTAMP.convert("tomorrow", None, None)


def test_line_with_and_without_price() -> None:
    assert LINE.convert("consulting:7.5@150", None, None) == LineSpec(
        "consulting", Decimal("7.5"), Decimal("150")
    )
    assert LINE.convert("seat:3", None, None) == LineSpec("seat", Decimal("3"), None)


@pytest.mark.parametrize("text", ["seat", "seat:", ":3", "seat:three", "seat:3@", "seat:3@x"])
def test_malformed_line_is_a_usage_error(text: str) -> None:
    with pytest.raises(click.BadParameter):
        LINE.convert(text, None, None)


_ITEMS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)
_DECIMALS = st.decimals(
    min_value=Decimal("0.00001"), max_value=Decimal("1000000"), places=5, allow_nan=False
)


@given(item=_ITEMS, quantity=_DECIMALS, price=st.none() | _DECIMALS)
def test_line_reads_back_what_it_is_written_as_exactly(
    item: str, quantity: Decimal, price: Decimal | None
) -> None:
    text = f"{item}:{quantity:f}" + (f"@{price:f}" if price is not None else "")
    assert LINE.convert(text, None, None) == LineSpec(item, quantity, price)


@given(
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    code=st.sampled_from(["USD", "EUR", "MXN"]),
)
def test_money_reads_what_str_writes(amount: Decimal, code: str) -> None:
    money = Money.of(amount, code)
    assert MONEY.convert(str(money), None, None) == money
