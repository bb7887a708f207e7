"""``o2c series``: number series patterns."""

from __future__ import annotations

import json

from tests.cli.conftest import Invoke


def test_set_a_pattern_and_the_next_invoice_uses_it(book: Invoke) -> None:
    listed = json.loads(book("series", "list", fmt="json").stdout)
    assert {r["kind"]: r["pattern"] for r in listed} == {
        "invoice": "INV-{year}-{seq:06}",
        "credit-note": "CN-{year}-{seq:06}",
        "debit-note": "DN-{year}-{seq:06}",
    }
    done = book("series", "set", "invoice", "F-{yy}{month}-{seq:05}", fmt="json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == {
        "kind": "invoice",
        "series": "INV",
        "pattern": "F-{yy}{month}-{seq:05}",
        "restarts": "monthly",
    }
    assert book("init", "--seller-country", "US").exit_code == 0
    made = book("invoice", "create", "--customer", "C-US-1", "--line", "SETUP:1@100.00",
                "--date", "2026-10-05", "--issue", fmt="json")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert json.loads(made.stdout)["number"] == "F-2610-00001"
    back = book("series", "set", "invoice", "--default", fmt="json")
    assert json.loads(back.stdout)["pattern"] == "INV-{year}-{seq:06}"


def test_a_bad_pattern_is_one_clear_line_and_changes_nothing(book: Invoke) -> None:
    bad = book("series", "set", "invoice", "INV-{year}")
    assert bad.exit_code == 1
    assert "exactly one {seq}" in bad.stderr
    assert "Traceback" not in bad.stderr
    neither = book("series", "set", "invoice")
    assert neither.exit_code == 2
    listed = json.loads(book("series", "list", fmt="json").stdout)
    assert listed[0]["pattern"] == "INV-{year}-{seq:06}"
