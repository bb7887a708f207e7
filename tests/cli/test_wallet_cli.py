"""``o2c wallet``: top up, show, draw against an invoice, history, expire, clear errors.

INV-2026-000001 (C-US-1) is USD 1,855.99 (1,599.99 + 16 %).
"""

from __future__ import annotations

import json
from typing import Any

from tests.cli.conftest import Invoke

INV = "INV-2026-000001"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def _usd(text: str) -> dict[str, str]:
    return {"amount": text, "currency": "USD"}


def test_a_wallet_is_topped_up_drawn_against_an_invoice_and_shown(issued: Invoke) -> None:
    granted = _json(
        issued(
            "wallet", "topup", "C-US-1", "100.00 USD", "--kind", "granted",
            "--expires", "2026-12-31", "--date", "2026-10-02", fmt="json",
        )
    )  # fmt: skip
    paid = _json(
        issued("wallet", "topup", "C-US-1", "1400.00 USD", "--date", "2026-10-02", fmt="json")
    )
    assert (granted["kind"], granted["remaining"]) == ("granted", _usd("100.00"))
    draw = _json(issued("wallet", "draw", "C-US-1", INV, "--date", "2026-10-03", fmt="json"))
    assert (draw["applied"], draw["open"]) == (_usd("1500.00"), _usd("355.99"))
    assert draw["lots"] == f"{granted['lot']} 100.00 USD, {paid['lot']} 1400.00 USD"
    shown = issued("wallet", "show", "C-US-1", "--as-of", "2026-10-03", fmt="json")
    lots = _json(shown)
    assert [(x["lot"], x["remaining"]) for x in lots] == [
        (granted["lot"], _usd("0.00")),
        (paid["lot"], _usd("0.00")),
    ]
    history = _json(issued("wallet", "history", "C-US-1", fmt="json"))
    assert [(h["event"], h["amount"], h["invoice"]) for h in history] == [
        ("topup", _usd("100.00"), None),
        ("topup", _usd("1400.00"), None),
        ("draw", _usd("100.00"), INV),
        ("draw", _usd("1400.00"), INV),
    ]
    table = issued("wallet", "show", "C-US-1", "--as-of", "2026-10-03")
    assert "USD: paid 0.00 USD, granted 0.00 USD, total 0.00 USD" in table.stderr


def test_expire_posts_what_is_left_after_the_last_day(issued: Invoke) -> None:
    issued(
        "wallet", "topup", "C-US-1", "50.00 USD", "--expires", "2026-10-31",
        "--date", "2026-10-02", "--idempotency-key", "t1",
    )  # fmt: skip
    assert _json(issued("wallet", "expire", "--as-of", "2026-10-31", fmt="json")) == []
    expired = _json(issued("wallet", "expire", "--as-of", "2026-11-01", fmt="json"))
    assert [(e["customer"], e["kind"], e["expired"]) for e in expired] == [
        ("C-US-1", "paid", _usd("50.00"))
    ]


def test_errors_name_the_field_and_value_without_a_traceback(issued: Invoke) -> None:
    nothing = issued("wallet", "draw", "C-US-1", INV, "--date", "2026-10-03")
    assert nothing.exit_code == 1
    assert "no wallet credit in USD" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    early = issued(
        "wallet", "topup", "C-US-1", "5.00 USD", "--expires", "2026-01-01", "--date", "2026-10-02"
    )
    assert early.exit_code == 1
    assert "wallet.expires" in early.stderr
    assert "2026-01-01" in early.stderr
