"""Usage and time CSV readers: exact values, aware timestamps, every problem at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.io import FileProblems, read_file, read_time_csv, read_usage_csv


def test_usage_row_becomes_an_exact_aware_record() -> None:
    [record] = read_usage_csv(
        "id,customer,item,quantity,timestamp,region\n"
        "u-1,C-1,api_calls,0.5,2026-10-31T23:30:00-06:00,eu\n"
    )
    assert record.quantity == Decimal("0.5")
    assert record.timestamp == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    assert dict(record.properties) == {"region": "eu"}


def test_columns_may_come_in_any_order_with_a_bom() -> None:
    text = "\ufefftimestamp,quantity,item,customer,id\n2026-10-01T00:00Z,3,sms,C-1,u-9\n"
    assert read_usage_csv(text)[0].id == "u-9"


def test_a_usage_timestamp_without_offset_is_refused() -> None:
    with pytest.raises(FileProblems, match="with an offset"):
        read_usage_csv("id,customer,item,quantity,timestamp\nu-1,C,x,1,2026-10-01T00:00\n")


def test_every_problem_is_reported_and_nothing_returned() -> None:
    text = (
        "id,customer,item,quantity,timestamp\n"
        "u-1,,x,1,2026-10-01T00:00Z\n"
        "u-2,C,x,1.5.1,2026-10-01T00:00Z\n"
        "u-3,C,x,2,yesterday\n"
    )
    with pytest.raises(FileProblems) as info:
        read_usage_csv(text, "u.csv")
    assert [p.split(":")[0] for p in info.value.problems] == ["line 2", "line 3", "line 4"]
    assert str(info.value).startswith("u.csv: 3 problems; nothing was imported")


def test_time_entries_default_to_billable_not_approved() -> None:
    [entry] = read_time_csv("id,person,role,date,hours\nt-1,ana,senior,2026-10-05,1.25\n")
    assert (entry.hours, entry.billable, entry.approved) == (Decimal("1.25"), True, False)


def test_time_flag_must_be_true_or_false() -> None:
    with pytest.raises(FileProblems, match="approved: expected true or false"):
        read_time_csv("id,person,role,date,hours,approved\nt-1,a,s,2026-10-05,1,maybe\n")


def test_missing_header_columns_are_named() -> None:
    with pytest.raises(FileProblems, match="missing quantity, timestamp"):
        read_usage_csv("id,customer,item\nu-1,C,x\n")


def test_read_file_refuses_empty_and_non_utf8(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"  \n")
    with pytest.raises(FileProblems, match="empty"):
        read_file(str(empty))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("café".encode("latin-1"))
    with pytest.raises(FileProblems, match="not UTF-8"):
        read_file(str(latin))


def test_a_non_utf8_file_names_the_byte_position(tmp_path: Path) -> None:
    latin = tmp_path / "card.toml"
    latin.write_bytes(b"name = 'caf" + "é".encode("latin-1") + b"'\n")
    with pytest.raises(FileProblems, match=r"card\.toml.*\n.*byte 11 \(0xe9\)"):
        read_file(str(latin))
