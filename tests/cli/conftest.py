"""Fixtures for CLI tests: a runner, a temporary book and an ``o2c`` caller."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from o2c.cli import cli

#: Calls ``o2c --book <tmp> --actor <actor> ARGS...`` and returns click's result.
Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI tests read English whatever the machine's locale (``test_i18n`` sets its own),
    and answer yes to confirmations as a script with ``O2C_YES=1`` does
    (``test_confirmations`` unsets it)."""
    monkeypatch.setenv("O2C_LANG", "en")
    monkeypatch.setenv("O2C_YES", "1")


@pytest.fixture
def runner() -> CliRunner:
    """A click runner with stdout and stderr kept apart."""
    return CliRunner()


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """Where a test's book lives (not created until a command needs it)."""
    return tmp_path / "test.db"


@pytest.fixture
def o2c(runner: CliRunner, book_path: Path) -> Invoke:
    """Run ``o2c`` against the test's book as actor ``ana`` (``actor=`` to change)."""
    return _invoker(runner, book_path)


def _copy_book(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        part = source.with_name(source.name + suffix)
        if part.exists():
            shutil.copyfile(part, target.with_name(target.name + suffix))


@pytest.fixture(scope="session")
def _customers_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book with three customers, built once per session through the CLI and copied."""
    path = tmp_path_factory.mktemp("template") / "customers.db"
    _add_customers(_invoker(CliRunner(), path))
    return path


@pytest.fixture(scope="session")
def _issued_book(tmp_path_factory: pytest.TempPathFactory, _customers_book: Path) -> Path:
    """The customers book with two issued invoices, built once per session."""
    path = tmp_path_factory.mktemp("template") / "issued.db"
    _copy_book(_customers_book, path)
    _issue_two(_invoker(CliRunner(), path), path)
    return path


@pytest.fixture
def book(o2c: Invoke, book_path: Path, _customers_book: Path) -> Invoke:
    """Like ``o2c``, with the book initialized and three customers (MX, DE, US) added."""
    _copy_book(_customers_book, book_path)
    return o2c


@pytest.fixture
def issued(o2c: Invoke, book_path: Path, _issued_book: Path) -> Invoke:
    """The ``book`` with INV-2026-000001 (USD 1,599.99 + 16 %) and INV-2026-000002 (MXN)."""
    _copy_book(_issued_book, book_path)
    return o2c


def _invoker(runner: CliRunner, book_path: Path) -> Invoke:
    def invoke(*args: str, actor: str = "ana", fmt: str | None = None) -> Result:
        head = ["--book", str(book_path), "--actor", actor]
        if fmt:
            head += ["--format", fmt]
        return runner.invoke(cli, [*head, *args])

    return invoke


def _add_customers(o2c: Invoke) -> None:
    assert o2c("init").exit_code == 0
    customers = [
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
    for args in customers:
        result = o2c("customer", "add", *args)
        assert result.exit_code == 0, result.stderr


def draft_invoice(
    book_path: Path,
    doc_id: str,
    customer_id: str,
    lines: list[tuple[str, str, str]],
    *,
    actor: str = "setup",
) -> str:
    """Store a draft invoice of ``(item, quantity, unit price)`` lines taxed at 16 %.

    Bill runs and manual invoices make drafts in real use; tests of the document commands
    start from one stored directly through the Book, as ``actor`` (on a book with roles,
    someone who holds one).
    """
    from decimal import Decimal

    from o2c.billing import DocumentLine, LineTax, snapshot
    from o2c.billing.lifecycle import draft_document
    from o2c.book import Book
    from o2c.ids import DocumentId, ItemCode
    from o2c.money import Money

    with Book.open(book_path, actor=actor) as book:
        who = book.get_customer(customer_id)
        built = []
        for number, (item, quantity, price) in enumerate(lines, start=1):
            unit = Money.of(price, who.currency)
            net = (unit * Decimal(quantity)).round()
            tax = LineTax("VAT-16", "S", Decimal("0.16"), (net * Decimal("0.16")).round())
            built.append(
                DocumentLine(
                    number, ItemCode(item), item.title(), Decimal(quantity), unit, net, (tax,)
                )
            )
        draft = draft_document(
            DocumentId(doc_id), snapshot(who), who.currency, built, payment_terms="net 30"
        )
        return str(book.create_draft(draft).id)


def _issue_two(book: Invoke, book_path: Path) -> None:
    draft_invoice(
        book_path, "D-1", "C-US-1", [("consulting", "10", "150"), ("setup", "1", "99.99")]
    )
    draft_invoice(book_path, "D-2", "C-MX-1", [("tortillas", "1000", "1.5")])
    assert book("invoice", "issue", "D-1", "--date", "2026-10-01").exit_code == 0
    assert book("invoice", "issue", "D-2", "--date", "2026-10-05").exit_code == 0


SAAS_TOML = (
    Path(__file__).resolve().parents[2] / "src" / "o2c" / "pricing" / "examples" / "saas.toml"
)


def _set_up_billing(o2c: Invoke) -> None:
    assert o2c("init", "--seller-country", "US").exit_code == 0
    assert o2c("ratecard", "import", str(SAAS_TOML)).exit_code == 0
    result = o2c(
        "contract", "add", "K-US-1", "--customer", "C-US-1", "--ratecard", "saas-2026",
        "--start", "2026-10-01", "--timing", "arrears", "--recurring", "platform",
        "--recurring", "seats:25", "--usage", "api_calls",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="session")
def _billing_book(tmp_path_factory: pytest.TempPathFactory, _customers_book: Path) -> Path:
    path = tmp_path_factory.mktemp("template") / "billing.db"
    _copy_book(_customers_book, path)
    _set_up_billing(_invoker(CliRunner(), path))
    return path


@pytest.fixture
def billing(o2c: Invoke, book_path: Path, _billing_book: Path) -> Invoke:
    """The customers book with a US seller, the saas-2026 rate card and contract K-US-1.

    K-US-1 bills C-US-1 monthly in arrears from 2026-10-01: the platform fee, 25 seats
    and metered API calls.
    """
    _copy_book(_billing_book, book_path)
    return o2c


def book_dump(book_path: Path) -> list[str]:
    """Every row of the book as SQL text, to show a failed command changed nothing."""
    import sqlite3

    with sqlite3.connect(book_path) as db:
        return list(db.iterdump())
