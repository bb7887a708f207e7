"""``o2c revrec``: rules, a dry run then a run, the schedule, the reports, and errors as
one line (never a traceback)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from o2c.book import Book
from o2c.cli import cli
from tests.book.factories import customer, invoice_draft


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("O2C_LANG", "en")


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    path = tmp_path / "revrec.db"
    with Book.open(path, actor="ana") as book:
        book.add_customer(customer())
    return path


def o2c(book_path: Path, *args: str, fmt: str | None = None) -> Result:
    head = ["--book", str(book_path), "--actor", "ana"]
    if fmt:
        head += ["--format", fmt]
    return CliRunner().invoke(cli, [*head, *args])


def _issue_annual(book_path: Path) -> None:
    with Book.open(book_path, actor="ana") as book:
        draft = invoice_draft("I-1", lines=(("ANNUAL", "1", "1200.00"),))
        book.create_invoice(draft, issue_date=dt.date(2026, 3, 15))


def test_rule_run_schedule_and_reports(book_path: Path) -> None:
    done = o2c(book_path, "revrec", "rule", "set", "ANNUAL", "ratable", "--term-months", "12")
    assert done.exit_code == 0, done.stderr
    listed = o2c(book_path, "revrec", "rule", "list", fmt="json")
    assert json.loads(listed.stdout) == [{"item": "ANNUAL", "method": "ratable", "term_months": 12}]
    _issue_annual(book_path)

    dry = o2c(book_path, "revrec", "run", "--through", "2026-04-30", "--dry-run", fmt="json")
    assert dry.exit_code == 0, dry.stderr
    assert json.loads(dry.stdout) == [
        {"currency": "USD", "month": "2026-03", "recognized": "55.89"},
        {"currency": "USD", "month": "2026-04", "recognized": "98.63"},
    ]
    assert "dry run: nothing was written" in dry.stderr
    run = o2c(book_path, "revrec", "run", "--through", "2026-04-30", fmt="json")
    assert json.loads(run.stdout) == json.loads(dry.stdout)
    assert "2 schedule months recognized in 2 journal entries" in run.stderr
    again = o2c(book_path, "revrec", "run", "--through", "2026-04-30", fmt="json")
    assert json.loads(again.stdout) == []

    sched = o2c(book_path, "revrec", "schedule", "I-1", fmt="csv")
    rows = list(csv.DictReader(io.StringIO(sched.stdout)))
    assert len(rows) == 13
    assert (rows[0]["month"], rows[0]["planned"], rows[0]["to_recognize"]) == (
        "2026-03",
        "55.89",
        "0.00",
    )
    assert (rows[-1]["month"], rows[-1]["planned"], rows[-1]["to_recognize"]) == (
        "2027-03",
        "46.03",
        "46.03",
    )

    roll = o2c(
        book_path, "revrec", "rollforward", "--from", "2026-04-01", "--to", "2026-04-30",
        fmt="json",
    )  # fmt: skip
    assert json.loads(roll.stdout) == [
        {
            "currency": "USD",
            "opening": "1144.11",
            "billed": "0.00",
            "recognized": "98.63",
            "reversed": "0.00",
            "closing": "1045.48",
        }
    ]
    fall = json.loads(o2c(book_path, "revrec", "waterfall", fmt="json").stdout)
    assert fall[0] == {"currency": "USD", "month": "2026-05", "amount": "101.92"}
    assert len(fall) == 11


def test_errors_are_one_line_naming_the_problem(book_path: Path) -> None:
    o2c(book_path, "revrec", "rule", "set", "ANNUAL", "ratable", "--term-months", "12")
    _issue_annual(book_path)
    # ``period close`` may ask for confirmation first (--yes answers it).
    yes = ["--yes"] if "--yes" in o2c(book_path, "period", "close", "--help").stdout else []
    closing = o2c(book_path, "period", "close", "2026-03", *yes)
    assert closing.exit_code == 1
    assert "revrec run --through 2026-03-31" in closing.stderr
    assert "Traceback" not in closing.stderr
    release = o2c(book_path, "revrec", "release", "I-1", "1", "--amount", "10.00")
    assert release.exit_code == 1
    assert "only usage and milestone lines" in release.stderr
    missing = o2c(book_path, "revrec", "release", "I-1", "2", "--amount", "10.00")
    assert missing.exit_code == 1
    assert "I-1 line 2" in missing.stderr
    bad = o2c(book_path, "revrec", "rule", "set", "X", "someday")
    assert bad.exit_code == 2


def test_a_milestone_is_released_from_the_command_line(book_path: Path) -> None:
    o2c(book_path, "revrec", "rule", "set", "IMPL", "milestone")
    with Book.open(book_path, actor="ana") as book:
        draft = invoice_draft("I-2", lines=(("IMPL", "1", "900.00"),))
        book.create_invoice(draft, issue_date=dt.date(2026, 3, 2))
    done = o2c(
        book_path, "revrec", "release", "I-2", "1", "--amount", "300", "--on", "2026-03-20",
        fmt="json",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == {
        "document": "I-2",
        "line": 1,
        "recognized": "300.00",
        "currency": "USD",
    }
    fall = json.loads(o2c(book_path, "revrec", "waterfall", fmt="json").stdout)
    assert fall == [{"currency": "USD", "month": "unscheduled", "amount": "600.00"}]
