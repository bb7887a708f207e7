"""The audit chain seals the money-carrying rows: any edit, delete, swap or insert shows.

Every command's audit event carries a digest of the rows it wrote; ``verify_audit``
recomputes them from the stored rows. Each test edits the book's database behind o2c's
back (``tests.book.tampering``) the way someone with SQL access could, and checks that the
finding names the table and the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from click.testing import CliRunner

from o2c.audit import GENESIS_HASH, AuditProblem, event_hash
from o2c.book import Book, _billing
from o2c.cases import DisputeReason
from o2c.cli import cli
from o2c.money import Money
from o2c.store import SEALED, Param, SqliteStore
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer
from tests.book.tampering import copy_row_as, first_key, tamper, where_key

OCT1 = dt.date(2026, 10, 1)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _key_text(key: tuple[str | int, ...]) -> str:
    return "/".join(str(k) for k in key)


@pytest.fixture
def ledger(book: Book) -> Book:
    """A USD book with a row in every sealed table.

    C1 has two invoices (D-1 with two lines, D-2), a payment of 300.00 allocated to both
    (leaving credit), a refund of 10.00, a credit note on D-2, a write-off of 1.00 on D-1
    (after a partial payment is undone), a dispute, a refund held for approval and a
    dunning notice; C2 has nothing.
    """
    book.add_customer(customer("C1"))
    book.add_customer(customer("C2", name="Quiet LLC"))
    book.create_invoice(
        invoice_draft("D-1", lines=(("SETUP", "2", "50.00"), ("API", "3", "0.50"))),
        issue_date=OCT1,
    )
    book.create_invoice(invoice_draft("D-2", lines=(("SEAT", "1", "200.00"),)), issue_date=OCT1)
    book.create_invoice(invoice_draft("D-3", lines=(("SEAT", "1", "80.00"),)), issue_date=OCT1)
    pay = book.record_payment("C1", usd("300.00"), date=OCT1)
    book.allocate(pay.id, {"D-2": usd("232.00")}, date=OCT1)
    book.refund(pay.id, usd("10.00"), reason="overpaid", date=OCT1)
    book.create_credit_note("D-1", reason="goodwill", amount=usd("10.00"), date=OCT1)
    book.write_off("D-1", usd("1.00"), reason="small_balance", date=OCT1)
    book.open_dispute("D-3", reason=DisputeReason.WRONG_PRICE, amount=usd("5.00"), date=OCT1)
    book.set_policy_settings({"approval.refund.USD": "20.00 lead"})
    book.request_refund(pay.id, usd("25.00"), reason="asked", date=OCT1)
    book.run_dunning(dt.date(2026, 11, 20))
    return book


def _found(book: Book, kind: str, table: str, row: str) -> list[AuditProblem]:
    problems = book.verify_audit()
    return [p for p in problems if (p.kind, p.table, p.row) == (kind, table, row)]


def test_an_untouched_book_verifies(ledger: Book) -> None:
    assert ledger.verify_audit() == ()
    with ledger.store.transaction(write=False):
        for table in SEALED:
            row = ledger.store.query_one(f"SELECT COUNT(*) FROM {table}")
            assert row is not None
            assert row[0] > 0, f"the scenario leaves {table} empty"


# The column each edit changes, per sealed table.
EDITS = {
    "customers": "name = name || 'x'",
    "documents": "net_minor = net_minor + 1000",
    "document_lines": "net_minor = net_minor + 1000",
    "document_taxes": "tax_minor = tax_minor + 1",
    "journal_entries": "memo = 'back-dated'",
    "journal_lines": "amount_minor = amount_minor + 1000",
    "payments": "amount_minor = amount_minor + 1",
    "allocations": "amount_minor = amount_minor + 1",
    "refunds": "amount_minor = amount_minor + 1",
    "write_offs": "amount_minor = amount_minor + 1",
    "approvals": "reason = 'approved by phone'",
    "disputes": "amount_minor = amount_minor + 1",
    "dunning_notices": "total_minor = total_minor + 1",
    "dunning_items": "open_minor = open_minor + 1",
}


@pytest.mark.parametrize("table", sorted(EDITS))
def test_an_edited_row_is_found_naming_table_and_row(ledger: Book, table: str) -> None:
    key = first_key(ledger, table)
    tamper(ledger, (f"UPDATE {table} SET {EDITS[table]} WHERE {where_key(ledger, table)}", key))
    [problem] = _found(ledger, "row_edited", table, _key_text(key))
    assert f"{table} row {_key_text(key)}" in problem.message


@pytest.mark.parametrize("table", sorted(EDITS))
def test_a_deleted_row_is_found_naming_table_and_row(ledger: Book, table: str) -> None:
    key = first_key(ledger, table, last=True)
    tamper(ledger, (f"DELETE FROM {table} WHERE {where_key(ledger, table)}", key))
    [problem] = _found(ledger, "row_deleted", table, _key_text(key))
    assert "was deleted" in problem.message


@pytest.mark.parametrize("table", sorted(EDITS))
def test_a_row_added_without_an_event_is_found(ledger: Book, table: str) -> None:
    key = first_key(ledger, table)
    copy_row_as(ledger, table, key, "ZZ-FORGED")
    added = (*("ZZ-FORGED",), *key[1:]) if isinstance(key[0], str) else key
    [problem] = _found(ledger, "row_added", table, _key_text(added))
    assert "without an event" in problem.message


@pytest.mark.parametrize(
    ("table", "parent"),
    [("document_lines", "D-1"), ("journal_lines", None)],
)
def test_two_rows_swapped_are_found_as_reordered(
    ledger: Book, table: str, parent: str | None
) -> None:
    info_key = first_key(ledger, table)
    owner = parent or str(info_key[0])
    a, b = (owner, 1), (owner, 2)
    column = {"document_lines": "line_no", "journal_lines": "line_no"}.get(table, "row_no")
    first = "document_id" if table != "journal_lines" else "entry_id"
    with ledger.store.transaction(write=False):
        rows = ledger.store.query_one(f"SELECT COUNT(*) FROM {table} WHERE {first} = ?", (owner,))
    if rows is None or rows[0] < 2:
        # a one-row parent: take the first parent with two rows
        with ledger.store.transaction(write=False):
            found = ledger.store.query_one(
                f"SELECT {first} FROM {table} GROUP BY {first} HAVING COUNT(*) > 1 ORDER BY {first}"
            )
        assert found is not None
        owner = str(found[0])
        a, b = (owner, 1), (owner, 2)
    sql = f"UPDATE {table} SET {column} = ? WHERE {first} = ? AND {column} = ?"
    tamper(ledger, (sql, (99, owner, 1)), (sql, (1, owner, 2)), (sql, (2, owner, 99)))
    problems = [p for p in ledger.verify_audit() if p.table == table]
    assert [(p.kind, p.row) for p in problems] == [("row_reordered", _key_text(a))]
    assert f"{_key_text(a)} and {_key_text(b)}" in problems[0].message


def test_a_balanced_journal_edit_is_found(ledger: Book) -> None:
    """Moving 10.00 between two accounts of one entry keeps it balanced; the seal shows it."""
    entry = str(first_key(ledger, "journal_lines")[0])
    with ledger.store.transaction(write=False):
        lines = ledger.store.query(
            "SELECT line_no, account, amount_minor FROM journal_lines WHERE entry_id = ?"
            " ORDER BY line_no",
            (entry,),
        )
    assert len(lines) >= 3
    (_, _, _), (n2, _, _), (n3, _, _) = lines[:3]
    sql = (
        "UPDATE journal_lines SET amount_minor = amount_minor + ?"
        " WHERE entry_id = ? AND line_no = ?"
    )
    tamper(ledger, (sql, (1000, entry, n2)), (sql, (-1000, entry, n3)))
    assert ledger.trial_balance(OCT1).is_balanced
    found = {(p.kind, p.row) for p in ledger.verify_audit() if p.table == "journal_lines"}
    assert found == {("row_edited", f"{entry}/{n2}"), ("row_edited", f"{entry}/{n3}")}


def test_changing_a_row_a_later_command_updated_is_found(ledger: Book) -> None:
    """D-3 was issued by one command and disputed by another; voiding D-2's twin updates
    its row: the seal of the update is checked, and the insert's through its before-image."""
    ledger.create_invoice(invoice_draft("D-9"), issue_date=OCT1)
    ledger.void_document("D-9", reason="duplicate", date=OCT1)
    assert ledger.verify_audit() == ()
    tamper(ledger, ("UPDATE documents SET void_reason = 'typo' WHERE id = ?", ("D-9",)))
    assert [(p.kind, p.table, p.row) for p in ledger.verify_audit()] == [
        ("row_edited", "documents", "D-9")
    ]


def test_an_edited_seal_is_found(ledger: Book) -> None:
    tamper(ledger, ("UPDATE audit_seals SET digests = '' WHERE seq = 3", ()))
    kinds = {p.kind for p in ledger.verify_audit() if p.seq == 3}
    assert "seal_edited" in kinds


def test_a_stripped_seal_is_found(ledger: Book) -> None:
    tamper(ledger, ("UPDATE audit_events SET seal = NULL WHERE seq = 4", ()))
    assert any(p.seq == 4 and p.kind == "edited" for p in ledger.verify_audit())


def test_bill_run_rows_are_sealed_on_the_compact_and_the_general_path(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    for n in range(1, 8):
        book.add_customer(mx_customer(f"C{n}"))
        book.add_contract(monthly_contract(f"K{n}", f"C{n}", (("SEAT", str(n), "100.00"),)))
    compact = book.bill_run("2026-10")
    monkeypatch.setattr(_billing, "_COMPACT", False)
    general = book.bill_run("2026-11")
    assert compact.invoices == general.invoices == 7
    assert book.verify_audit() == ()
    for run in (compact, general):
        doc = run.document_ids[3]
        tamper(
            book,
            ("UPDATE document_lines SET net_minor = net_minor + 100 WHERE document_id = ?", (doc,)),
        )
        assert [p.row for p in book.verify_audit() if p.table == "document_lines"][-1] == (
            f"{doc}/1"
        )
        tamper(
            book,
            ("UPDATE document_lines SET net_minor = net_minor - 100 WHERE document_id = ?", (doc,)),
        )
    assert book.verify_audit() == ()


def test_a_large_batch_names_the_row_among_its_neighbours(book: Book) -> None:
    """A bill run batch of 600 invoices seals its rows 8 at a time: an edit names the 8."""
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contracts(
        monthly_contract(f"K{n:04d}", "C1", (("SEAT", "1", "100.00"),)) for n in range(600)
    )
    run = book.bill_run("2026-10")
    assert book.verify_audit() == ()
    doc = run.document_ids[100]
    tamper(book, ("UPDATE documents SET gross_minor = 1 WHERE id = ?", (doc,)))
    [problem] = book.verify_audit()
    assert (problem.kind, problem.table) == ("row_edited", "documents")
    assert "one of rows" in problem.message
    lo, hi = problem.message.split("one of rows ")[1].split(" written")[0].split(" .. ")
    assert lo <= doc <= hi


def test_a_book_from_before_row_seals_verifies_and_is_sealed_from_its_next_command(
    book: Book,
) -> None:
    book.add_customer(customer("C1"))
    book.create_invoice(invoice_draft("D-1"), issue_date=OCT1)
    # As a book written before schema version 10: events without seals (nor database
    # users, recorded since version 11), no seal groups.
    tamper(
        book,
        ("DELETE FROM audit_seals", ()),
        ("UPDATE audit_events SET seal = NULL, db_user = NULL", ()),
    )
    _rehash_without_seals(book)
    assert book.verify_audit() == ()
    book.create_invoice(invoice_draft("D-2"), issue_date=OCT1)
    assert book.verify_audit() == ()
    tamper(book, ("UPDATE document_lines SET net_minor = 1 WHERE document_id = 'D-1'", ()))
    assert [(p.kind, p.row) for p in book.verify_audit()] == [("row_edited", "D-1/1")]


def _rehash_without_seals(book: Book) -> None:
    """Recompute the chain as an o2c before row seals wrote it."""
    events = book.audit_log()
    prev = GENESIS_HASH
    updates: list[tuple[str, Sequence[Param]]] = []
    for e in events:
        digest = event_hash(
            prev, seq=e.seq, at=e.at, actor=e.actor, command=e.command, args=e.args, ids=e.ids
        )
        updates.append(
            ("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, e.seq))
        )
        prev = digest
    updates.append(
        ("UPDATE settings SET value = ? WHERE key = 'audit.head'", (f"{events[-1].seq}:{prev}",))
    )
    tamper(book, *updates)


def test_cli_prints_the_finding_on_one_line_and_exits_non_zero(ledger: Book) -> None:
    if not isinstance(ledger.store, SqliteStore):
        pytest.skip("the CLI test opens the SQLite file")
    key = first_key(ledger, "journal_lines")
    tamper(
        ledger,
        (
            "UPDATE journal_lines SET amount_minor = amount_minor + 1000"
            " WHERE entry_id = ? AND line_no = ?",
            key,
        ),
    )
    result = CliRunner().invoke(cli, ["--book", ledger.store.path, "audit", "verify"])
    assert result.exit_code == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert f"journal_lines row {_key_text(key)}" in line
