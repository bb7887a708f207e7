"""``o2c quote`` prices from a rate card file and needs no book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import o2c.pricing
from o2c.cli import cli

SAAS = Path(o2c.pricing.__file__).parent / "examples" / "saas.toml"


def test_quote_prices_graduated_api_calls_with_explanation(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["quote", "--ratecard", str(SAAS), "api_calls", "150000", "--at", "2026-10-01"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # 10.00 base fee + 90,000 × 0.002 + 50,000 × 0.0008 (July price) = 230.00
    assert lines[0] == "api_calls × 150000 on 2026-10-01 (saas-2026): 230.00 USD"
    assert lines[1:] == [
        "  tier 1 flat fee: 1 × 10.00 = 10.00",
        "  tier 1 units: 10000 × 0.00 = 0.00",
        "  tier 2 units: 90000 × 0.002 = 180.00",
        "  tier 3 units: 50000 × 0.0008 = 40.00",
    ]
    assert list(tmp_path.iterdir()) == []  # no book was created


def test_quote_json_has_price_as_string(runner: CliRunner) -> None:
    args = ["--format", "json", "quote", "--ratecard", str(SAAS), "sms", "2600"]
    result = runner.invoke(cli, [*args, "--at", "2026-10-01"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # 500 free, then 3 started packages of 1,000 at 8.00
    assert data["price"] == {"amount": "24.00", "currency": "USD"}
    assert [s["kind"] for s in data["steps"]] == ["free", "packages"]


def test_quote_uses_the_price_in_force_on_the_date(runner: CliRunner) -> None:
    base = ["quote", "--ratecard", str(SAAS), "storage", "50", "--at"]
    before = runner.invoke(cli, [*base, "2026-06-30"]).stdout.splitlines()[0]
    after = runner.invoke(cli, [*base, "2026-07-01"]).stdout.splitlines()[0]
    assert before.endswith(": 25.00 USD")
    assert after.endswith(": 27.50 USD")


def test_quote_of_an_unknown_item_is_one_line_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["quote", "--ratecard", str(SAAS), "nope", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: item nope not found")
    assert result.stderr.count("\n") == 1


def test_quote_of_a_malformed_rate_card_names_the_problem(
    runner: CliRunner, tmp_path: Path
) -> None:
    card = tmp_path / "bad.toml"
    card.write_text('[ratecard]\ncode = "x"\ncurrency = "USD"\n[items.seat\n', encoding="utf-8")
    result = runner.invoke(cli, ["quote", "--ratecard", str(card), "seat", "1"])
    assert result.exit_code == 1
    assert "bad.toml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["quote", "seat", "1"],  # no --ratecard
        ["quote", "--ratecard", "/no/such/file.toml", "seat", "1"],
        ["quote", "--ratecard", str(SAAS), "seats", "1.5.2"],
        ["quote", "--ratecard", str(SAAS), "seats", "3", "--at", "yesterday"],
    ],
)
def test_quote_bad_arguments_are_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
