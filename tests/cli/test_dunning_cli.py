"""``o2c dunning``: preview, run once, letters, policies, holds, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Invoke, book_dump

INV = "INV-2026-000001"  # USD 1,855.99 due 2026-10-31


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def test_preview_sends_nothing_and_run_sends_each_step_once(
    issued: Invoke, book_path: Path
) -> None:
    before = book_dump(book_path)
    preview = _json(issued("dunning", "preview", "--as-of", "2026-11-20", fmt="json"))
    usd = [n for n in preview["notices"] if n["currency"] == "USD"]
    assert [(n["customer"], n["action"], n["items"], n["total"]) for n in usd] == [
        ("C-US-1", "statement", INV, {"amount": "1855.99", "currency": "USD"})
    ]
    assert book_dump(book_path) == before

    run = _json(issued("dunning", "run", "--as-of", "2026-11-20", fmt="json"))
    assert [n["items"] for n in run["notices"]] == [n["items"] for n in preview["notices"]]
    again = _json(issued("dunning", "run", "--as-of", "2026-11-20", fmt="json"))
    assert again["notices"] == []

    listed = _json(issued("dunning", "list", "--invoice", INV, fmt="json"))
    assert [n["action"] for n in listed] == ["statement"]
    letter = issued("dunning", "show", listed[0]["id"])
    assert letter.exit_code == 0, letter.stderr
    assert "Our records show the following items are still open" in letter.output
    assert "$1,855.99" in letter.output


def test_table_output_names_the_notices_and_the_credit_holds(issued: Invoke) -> None:
    result = issued("dunning", "run", "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.stderr
    assert "credit_hold" in result.output
    assert "Credit hold: C-MX-1, C-US-1" in result.stderr
    holds = _json(issued("dunning", "holds", "--as-of", "2026-12-31", fmt="json"))
    assert {"customer": "C-US-1"} in holds


def test_a_policy_per_segment_is_set_and_shown(issued: Invoke) -> None:
    result = issued(
        "dunning", "policy", "--steps", "10 reminder, 40 final_notice", "--minimum", "5.00 USD",
        fmt="json",
    )  # fmt: skip
    assert _json(result)[0] == {
        "segment": "standard",
        "steps": "10 reminder, 40 final_notice",
        "minimum": "5.00 USD",
    }
    preview = _json(issued("dunning", "preview", "--as-of", "2026-11-20", fmt="json"))
    assert {n["action"] for n in preview["notices"]} == {"reminder"}


def test_bad_input_is_one_clear_line_and_changes_nothing(issued: Invoke, book_path: Path) -> None:
    before = book_dump(book_path)
    bad = issued("dunning", "policy", "--steps", "10 remind")
    assert bad.exit_code == 1
    assert "dunning.standard: expected one of reminder" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = issued("dunning", "show", "DN404")
    assert missing.exit_code == 1
    assert "DN404" in missing.stderr
    usage = issued("dunning", "run", "--as-of", "yesterday-ish")
    assert usage.exit_code == 2
    assert "yesterday-ish" in usage.stderr
    assert book_dump(book_path) == before
