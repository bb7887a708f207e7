"""One clock: the book's "today" is the date in its time zone, for every command and the CLI.

Mexico City is UTC-6: at 19:00 local time on Oct 31 it is already Nov 1 in UTC. A team that
runs its month-end at that hour must get Oct 31, not Nov 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.book import Book
from o2c.cli import cli
from o2c.errors import ValidationError
from tests.book.clock import FakeClock

#: 2026-10-31 19:00 in Mexico City, 2026-11-01 01:00 in UTC.
EVENING_IN_MEXICO = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)


def test_a_book_without_a_time_zone_dates_today_in_utc() -> None:
    with Book.open(":memory:", actor="ana", clock=FakeClock(EVENING_IN_MEXICO)) as book:
        assert book.timezone() == "UTC"
        assert book.today() == dt.date(2026, 11, 1)


def test_a_mexico_city_book_dates_the_evening_on_the_local_day() -> None:
    with Book.open(":memory:", actor="ana", clock=FakeClock(EVENING_IN_MEXICO)) as book:
        assert book.set_timezone("America/Mexico_City") == "America/Mexico_City"
        assert book.today() == dt.date(2026, 10, 31)
        assert book.now() == EVENING_IN_MEXICO


def test_the_time_zone_is_kept_in_the_book(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    with Book.open(path, actor="ana", clock=FakeClock(EVENING_IN_MEXICO)) as book:
        book.set_timezone("America/Mexico_City")
    with Book.open(path, actor="ana", clock=FakeClock(EVENING_IN_MEXICO)) as book:
        assert book.timezone() == "America/Mexico_City"
        assert book.today() == dt.date(2026, 10, 31)


def test_setting_the_time_zone_is_audited() -> None:
    with Book.open(":memory:", actor="ana") as book:
        book.set_timezone("Europe/Berlin")
        assert [e.command for e in book.audit_log()] == ["set_timezone"]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "UTC+6"])
def test_an_unknown_time_zone_is_refused_naming_it(zone: str) -> None:
    with Book.open(":memory:", actor="ana") as book:
        with pytest.raises(ValidationError, match="time_zone") as caught:
            book.set_timezone(zone)
        assert repr(zone) in str(caught.value) or zone in str(caught.value)
        assert book.timezone() == "UTC"
        assert book.audit_log() == []


def test_the_cli_reads_the_books_clock_not_the_machines(tmp_path: Path) -> None:
    runner = CliRunner()
    path = str(tmp_path / "book.db")
    made = runner.invoke(
        cli, ["--book", path, "--format", "json", "init", "--timezone", "America/Mexico_City"]
    )
    assert made.exit_code == 0, made.output
    assert '"timezone": "America/Mexico_City"' in made.stdout
    from o2c.cli._app import Context

    context = Context(book_location=path, actor="ana")
    try:
        book = context.book()
        assert context.today() == book.today()
        assert book.timezone() == "America/Mexico_City"
    finally:
        context.close()


def test_the_cli_refuses_an_unknown_time_zone_without_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--book", str(tmp_path / "b.db"), "init", "--timezone", "Mars/Olympus"]
    )
    assert result.exit_code == 1
    assert "Mars/Olympus" in result.stderr
    assert "Traceback" not in result.output


def test_a_refused_time_zone_makes_no_book(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    CliRunner().invoke(cli, ["--book", str(path), "init", "--timezone", "America"])
    assert not path.exists()
