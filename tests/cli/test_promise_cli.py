"""``o2c promise``: add from a contact, dunning waits, kept or broken, clear errors.

INV-2026-000001 (C-US-1, USD 1,855.99) is due 2026-10-31; promises have 3 grace days.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Invoke, book_dump

INV = "INV-2026-000001"
PTP = "PTP0000000001"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def _usd(text: str) -> dict[str, str]:
    return {"amount": text, "currency": "USD"}


def _add(issued: Invoke) -> Any:
    return _json(
        issued(
            "promise", "add", "C-US-1", "--by", "2026-11-15", "--invoice", INV,
            "--channel", "email", "--date", "2026-11-05", fmt="json",
        )
    )  # fmt: skip


def test_a_promise_is_added_and_dunning_waits_for_it(issued: Invoke) -> None:
    added = _add(issued)
    assert {k: added[k] for k in ("id", "customer", "amount", "status", "items", "deadline")} == {
        "id": PTP,
        "customer": "C-US-1",
        "amount": _usd("1855.99"),
        "status": "pending",
        "items": INV,
        "deadline": "2026-11-18",
    }
    notes = _json(issued("note", "list", "--customer", "C-US-1", fmt="json"))
    assert [n["id"] for n in notes] == [added["note"]]
    preview = _json(issued("dunning", "preview", "--as-of", "2026-11-10", fmt="json"))
    assert [n for n in preview["notices"] if n["customer"] == "C-US-1"] == []
    assert {
        "customer": "C-US-1",
        "document": INV,
        "reason": f"promised to pay by 2026-11-15 ({PTP})",
    } in preview["skipped"]


def test_a_broken_promise_shows_and_dunning_resumes(issued: Invoke) -> None:
    _add(issued)
    shown = _json(issued("promise", "show", PTP, "--as-of", "2026-11-19", fmt="json"))
    assert (shown["status"], shown["paid"], shown["short"]) == (
        "broken",
        _usd("0.00"),
        _usd("1855.99"),
    )
    preview = _json(issued("dunning", "preview", "--as-of", "2026-11-19", fmt="json"))
    usd = [n for n in preview["notices"] if n["customer"] == "C-US-1"]
    assert [(n["action"], n["items"], n["total"]) for n in usd] == [
        ("statement", INV, _usd("1855.99"))
    ]
    broken = _json(
        issued("promise", "list", "--status", "broken", "--as-of", "2026-11-19", fmt="json")
    )
    assert [p["id"] for p in broken] == [PTP]


def test_a_promise_paid_on_time_is_kept(issued: Invoke) -> None:
    _add(issued)
    paid = issued(
        "payment", "record", "--customer", "C-US-1", "--amount", "1855.99",
        "--date", "2026-11-14", "--apply",
    )  # fmt: skip
    assert paid.exit_code == 0, paid.stderr
    shown = _json(issued("promise", "show", PTP, "--as-of", "2026-11-30", fmt="json"))
    assert (shown["status"], shown["kept_on"], shown["paid"]) == (
        "kept",
        "2026-11-14",
        _usd("1855.99"),
    )


def test_the_list_as_csv_has_one_row_per_promise(issued: Invoke) -> None:
    _add(issued)
    result = issued("promise", "list", "--as-of", "2026-11-12", fmt="csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["id"], r["status"], r["items"]) for r in rows] == [(PTP, "pending", INV)]


def test_a_promise_dated_before_it_was_taken_fails_in_one_line(
    issued: Invoke, book_path: Path
) -> None:
    before = book_dump(book_path)
    result = issued("promise", "add", "C-US-1", "--by", "2026-11-01", "--date", "2026-11-05")
    assert result.exit_code == 1
    assert "promise.promised_on" in result.stderr
    assert "2026-11-01" in result.stderr
    assert "Traceback" not in result.stderr
    assert book_dump(book_path) == before


def test_an_unknown_promise_is_not_found(issued: Invoke) -> None:
    result = issued("promise", "show", "PTP-NOPE")
    assert result.exit_code == 1
    assert "PTP-NOPE" in result.stderr


def test_the_kept_rate_over_a_period(issued: Invoke) -> None:
    _add(issued)
    issued("payment", "record", "--customer", "C-US-1", "--amount", "1855.99",
           "--date", "2026-11-17", "--apply")  # fmt: skip
    rate = _json(
        issued("promise", "kept-rate", "--from", "2026-11-01", "--to", "2026-11-30", fmt="json")
    )
    assert (rate["judged"], rate["kept_late"], rate["rate"]) == (1, 1, "100.0%")
