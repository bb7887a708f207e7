"""``o2c report kpis`` on a book that bills in several currencies: one report per currency."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.conftest import Invoke


def test_kpis_of_a_multi_currency_book_report_each_currency_instead_of_failing(
    issued: Invoke,
) -> None:
    result = issued("report", "kpis", "--period", "2026-10", fmt="csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["currency"] for r in rows} == {"EUR", "MXN", "USD"}  # the DE customer: EUR
    unapplied = {r["currency"]: r["unit"] for r in rows if r["kpi"] == "unapplied_cash"}
    assert unapplied == {"EUR": "EUR", "MXN": "MXN", "USD": "USD"}
    both = json.loads(issued("report", "kpis", "--period", "2026-10", fmt="json").stdout)
    assert [group["currency"] for group in both] == ["EUR", "MXN", "USD"]


def test_kpis_with_a_currency_stay_one_plain_report(issued: Invoke) -> None:
    args = ("report", "kpis", "--period", "2026-10", "--currency", "USD")
    values = json.loads(issued(*args, fmt="json").stdout)
    assert all("currency" not in v for v in values)
    assert next(v for v in values if v["name"] == "unapplied_cash")["unit"] == "USD"


def test_the_kpi_table_shows_the_contact_kpis_once_not_per_currency(issued: Invoke) -> None:
    table = issued("report", "kpis", "--period", "2026-10").stdout
    fcr = [line for line in table.splitlines() if "first_contact_resolution" in line]
    assert len(fcr) == 1
    assert fcr[0].startswith("all ")
