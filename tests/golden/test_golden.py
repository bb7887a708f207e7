"""Rendered documents and CLI reports of a small fixed book, against golden files.

The book is built through the CLI once per module: a Mexican seller, three customers (MX,
DE, US), the ``saas-2026`` rate card, contract K-US-1 billed for October 2026 with metered
usage, a manual MXN invoice and a partial payment. Every date is given, and the Book's
one clock is fixed, so the output does not depend on today; the machine's time zone is
set far from UTC while it runs, to show nothing reads it. Rewrite the files with
``pytest tests/golden --update-golden`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from o2c.book import Book
from o2c.cli import cli
from tests.golden.conftest import Golden

SAAS_TOML = Path(__file__).resolve().parents[2] / "src/o2c/pricing/examples/saas.toml"
#: The Book's clock while the golden book is built and read.
NOW = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)
AS_OF = "2026-12-31"
#: A machine time zone 14 hours from UTC: a report reading it would show other dates.
MACHINE_TZ = "Pacific/Kiritimati"

CUSTOMERS = [
    ["C-MX-1", "--name", "Tortillería La Esperanza SA de CV", "--country", "MX",
     "--currency", "MXN", "--tax-id", "TLE010101AB1", "--locale", "es_MX",
     "--street", "Av. Juárez 100", "--city", "Guadalajara", "--postal-code", "44100",
     "--time-zone", "America/Mexico_City"],
    ["C-DE-1", "--name", "Müller GmbH", "--country", "DE", "--currency", "EUR",
     "--tax-id", "DE136695976", "--locale", "de_DE", "--street", "Hauptstr. 1",
     "--city", "Berlin", "--postal-code", "10115", "--time-zone", "Europe/Berlin"],
    ["C-US-1", "--name", "Acme Inc", "--country", "US", "--currency", "USD",
     "--street", "1 Main St", "--city", "Springfield", "--postal-code", "62701",
     "--time-zone", "America/Chicago"],
]  # fmt: skip
USAGE_CSV = (
    "id,customer,item,quantity,timestamp\n"
    "U-1,C-US-1,api_calls,120000,2026-10-03T10:00:00-05:00\n"
    "U-2,C-US-1,api_calls,35000,2026-10-31T23:30:00-05:00\n"
)

#: The reports: golden file stem and the command line (run in table and JSON form).
REPORTS = {
    "invoice-list": ["invoice", "list"],
    "invoice-show-us": ["invoice", "show", "INV-2026-000001"],
    "invoice-show-mx": ["invoice", "show", "INV-2026-000002"],
    "invoice-explain-us": ["invoice", "explain", "INV-2026-000001"],
    "report-aging": ["report", "aging", "--as-of", AS_OF],
    "report-aging-document-date": [
        "report", "aging", "--as-of", AS_OF, "--basis", "document_date", "--ledger-only",
    ],
    "report-trial-balance": ["report", "trial-balance", "--as-of", AS_OF],
    "report-statement-us": [
        "report", "statement", "C-US-1", "--from", "2026-10-01", "--to", AS_OF,
    ],
    "report-reconcile": ["report", "reconcile", "--as-of", AS_OF],
}  # fmt: skip


class _Invoker:
    """Runs ``o2c --book BOOK --actor ana ARGS`` in-process and checks it succeeded."""

    def __init__(self, book: Path) -> None:
        self.book = book
        self.runner = CliRunner()

    def __call__(self, *args: str, fmt: str | None = None) -> Result:
        head = ["--book", str(self.book), "--actor", "ana"]
        if fmt:
            head += ["--format", fmt]
        result = self.runner.invoke(cli, [*head, *args])
        assert result.exit_code == 0, f"o2c {' '.join(args)}: {result.stderr}{result.exception}"
        return result


def _build(o2c: _Invoker, tmp: Path) -> None:
    o2c(
        "init", "--seller-country", "MX", "--seller-tax-id", "ODE150101AB3",
        "--timezone", "America/Mexico_City",
    )  # fmt: skip
    for customer in CUSTOMERS:
        o2c("customer", "add", *customer)
    o2c("ratecard", "import", str(SAAS_TOML))
    o2c(
        "contract", "add", "K-US-1", "--customer", "C-US-1", "--ratecard", "saas-2026",
        "--start", "2026-10-01", "--timing", "arrears", "--recurring", "platform",
        "--recurring", "seats:25", "--usage", "api_calls",
    )  # fmt: skip
    usage = tmp / "usage.csv"
    usage.write_text(USAGE_CSV, encoding="utf-8")
    o2c("usage", "import", str(usage))
    o2c("bill", "run", "--period", "2026-10", "--invoice-date", "2026-11-01", "--issue")
    o2c(
        "invoice", "create", "--customer", "C-MX-1", "--line", "setup:1@500",
        "--line", "consulting:7.5@150", "--date", "2026-11-03", "--issue",
    )  # fmt: skip
    o2c(
        "payment", "record", "--customer", "C-US-1", "--amount", "200 USD",
        "--date", "2026-11-20", "--reference", "ACME-REMIT-1", "--apply",
    )  # fmt: skip


def _fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture(scope="module")
def o2c(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Invoker]:
    """The golden book, with the Book's clock fixed and the machine far from UTC."""
    tmp = tmp_path_factory.mktemp("golden")
    opened = Book.open

    def open_with_fixed_clock(*args: Any, **kwargs: Any) -> Book:
        return opened(*args, **{**kwargs, "clock": _fixed_clock})

    saved_tz = os.environ.get("TZ")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Book, "open", open_with_fixed_clock)
        patch.setenv("TZ", MACHINE_TZ)
        time.tzset()
        try:
            invoker = _Invoker(tmp / "golden.db")
            _build(invoker, tmp)
            yield invoker
        finally:
            patch.undo()
            if saved_tz is None:
                os.environ.pop("TZ", None)
            time.tzset()


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_cli_report_matches_its_golden_file(
    o2c: _Invoker, golden: Golden, name: str, fmt: str
) -> None:
    result = o2c(*REPORTS[name], fmt=fmt)
    golden(f"cli/{name}.{'txt' if fmt == 'table' else 'json'}", result.stdout)


@pytest.mark.parametrize("form", ["text", "html"])
@pytest.mark.parametrize("number", ["INV-2026-000001", "INV-2026-000002"])
def test_rendered_invoice_matches_its_golden_file(
    o2c: _Invoker, golden: Golden, number: str, form: str
) -> None:
    result = o2c("invoice", "render", number, "--as", form)
    golden(f"documents/{number}.{form}", result.stdout)


@pytest.mark.parametrize("locale", ["de_DE", "en_US"])
def test_io_render_in_another_locale_matches_its_golden_file(
    o2c: _Invoker, golden: Golden, locale: str
) -> None:
    from o2c.io import render_html, render_text

    with Book.open(o2c.book, actor="ana") as book:
        document = book.get_document("INV-2026-000002")
    golden(f"documents/INV-2026-000002.{locale}.text", render_text(document, locale=locale))
    golden(f"documents/INV-2026-000002.{locale}.html", render_html(document, locale=locale))
