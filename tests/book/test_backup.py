"""Backups of a live book hold every committed command and open as a consistent book."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.book import Book
from o2c.errors import StoreError
from tests.book.factories import customer, invoice_draft
from tests.book.workers import issue_invoices

DAY = dt.date(2026, 10, 1)


def _book(path: Path, invoices: int = 3) -> None:
    with Book.open(path, actor="ana") as book:
        book.add_customer(customer("C1"))
        for n in range(invoices):
            book.create_invoice(invoice_draft(f"S-{n}"), issue_date=DAY)


def _consistent(path: Path) -> int:
    """Open the file as a book, check it, and return how many invoices it holds."""
    with Book.open(path, create=False, actor="ana") as book:
        assert book.verify_audit() == ()
        assert book.trial_balance(DAY).is_balanced
        issued = book.list_documents()
        posted = {e.source for e in book.journal()}
        assert {d.id for d in issued if d.number is not None} <= posted
        return len(issued)


def test_a_backup_holds_the_book_and_opens_as_one(tmp_path: Path) -> None:
    _book(tmp_path / "book.o2c")
    with Book.open(tmp_path / "book.o2c", actor="ana") as book:
        summary = book.backup(tmp_path / "copy.o2c")
        assert (summary.documents, summary.audit_events) == (3, book.audit_log()[-1].seq)
        assert summary.schema_version == book.schema_version()
    assert not Path(f"{tmp_path / 'copy.o2c'}-wal").exists()
    assert _consistent(tmp_path / "copy.o2c") == 3


def test_a_backup_refuses_to_overwrite_or_to_copy_onto_the_book(tmp_path: Path) -> None:
    _book(tmp_path / "book.o2c", invoices=1)
    (tmp_path / "old.o2c").write_text("keep me")
    with Book.open(tmp_path / "book.o2c", actor="ana") as book:
        with pytest.raises(StoreError, match="exists; pass --force"):
            book.backup(tmp_path / "old.o2c")
        assert (tmp_path / "old.o2c").read_text() == "keep me"
        with pytest.raises(StoreError, match="is the book itself"):
            book.backup(tmp_path / "book.o2c", force=True)
        assert book.backup(tmp_path / "old.o2c", force=True).documents == 1


def test_a_backup_taken_while_another_process_issues_invoices_is_consistent(
    tmp_path: Path,
) -> None:
    location = str(tmp_path / "book.o2c")
    _book(Path(location), invoices=0)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        pending = pool.apply_async(issue_invoices, (location, "W", 300))
        counts = []
        with Book.open(location, actor="ana") as book:
            n = 0
            while not pending.ready() or n == 0:
                target = tmp_path / f"during-{n}.o2c"
                book.backup(target)
                counts.append(_consistent(target))
                n += 1
        assert len(pending.get(timeout=120)) == 300
    assert counts == sorted(counts)
    with Book.open(location, actor="ana") as book:
        book.backup(tmp_path / "after.o2c")
    assert _consistent(tmp_path / "after.o2c") == 300


def test_restore_puts_the_backup_back_and_checks_it_first(tmp_path: Path) -> None:
    _book(tmp_path / "book.o2c", invoices=2)
    with Book.open(tmp_path / "book.o2c", actor="ana") as book:
        book.backup(tmp_path / "copy.o2c")
        book.create_invoice(invoice_draft("LATER"), issue_date=DAY)
    with pytest.raises(StoreError, match="exists; pass --force"):
        Book.restore(tmp_path / "copy.o2c", tmp_path / "book.o2c")
    restored = Book.restore(tmp_path / "copy.o2c", tmp_path / "book.o2c", force=True)
    assert restored.documents == 2
    assert _consistent(tmp_path / "book.o2c") == 2
    (tmp_path / "notes.txt").write_text("not a book")
    with pytest.raises(StoreError, match="not a SQLite book"):
        Book.restore(tmp_path / "notes.txt", tmp_path / "other.o2c")
    sqlite3.connect(tmp_path / "empty.db").execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(StoreError, match="not an o2c book"):
        Book.restore(tmp_path / "empty.db", tmp_path / "other.o2c")
    assert not (tmp_path / "other.o2c").exists()


def test_the_cli_backs_up_and_restores(tmp_path: Path) -> None:
    from o2c.cli import cli

    _book(tmp_path / "book.o2c", invoices=2)
    runner = CliRunner()
    book = ["--book", str(tmp_path / "book.o2c"), "--format", "json"]
    done = runner.invoke(cli, [*book, "backup", str(tmp_path / "copy.o2c")])
    assert done.exit_code == 0, done.output
    assert '"documents": 2' in done.output
    again = runner.invoke(cli, [*book, "backup", str(tmp_path / "copy.o2c")])
    assert again.exit_code == 1
    assert "exists; pass --force" in again.output
    shutil.copy(tmp_path / "copy.o2c", tmp_path / "spare.o2c")
    refused = runner.invoke(cli, [*book, "restore", str(tmp_path / "spare.o2c")])
    assert refused.exit_code == 1
    assert "--force" in refused.output
    restored = runner.invoke(cli, [*book, "restore", str(tmp_path / "spare.o2c"), "--replace"])
    assert restored.exit_code == 0, restored.output
    assert '"audit": "intact"' in restored.output


def test_a_backup_taken_during_a_bill_run_opens_consistent(tmp_path: Path) -> None:
    from o2c.tax import TaxProfile
    from tests.book.factories import monthly_contract, mx_customer
    from tests.book.workers import bill_period

    location = str(tmp_path / "book.o2c")
    with Book.open(location, actor="ana") as book:
        book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
        book.add_customers([mx_customer(f"C{n:03d}") for n in range(200)])
        book.add_contracts(
            [
                monthly_contract(f"K{n:03d}", f"C{n:03d}", (("support", "1", "100.00"),))
                for n in range(200)
            ]
        )
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        pending = pool.apply_async(bill_period, (location, "2026-10"))
        with Book.open(location, actor="ana") as book:
            n = 0
            while not pending.ready() or n == 0:
                target = tmp_path / f"run-{n}.o2c"
                book.backup(target)
                with Book.open(target, create=False, actor="ana") as copy:
                    assert copy.verify_audit() == ()
                    assert copy.trial_balance(DAY).is_balanced
                    # Every invoice in the copy is posted: batches are whole or absent.
                    issued = {d.id for d in copy.list_documents() if d.number is not None}
                    assert issued <= {e.source for e in copy.journal()}
                n += 1
        assert pending.get(timeout=300) == 200
