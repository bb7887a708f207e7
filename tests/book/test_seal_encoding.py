"""Row seals are encoded as canonical JSON (row encoding 2), not pickle, and seals
written before (encoding 1, pickled rows) still verify: a book sealed under both keeps
verifying, and an edit of a row sealed either way is found."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

import pytest

from o2c import audit
from o2c.audit import ROWS_JSON, ROWS_PICKLE, SealGroup, chunk_digests, encode_rows
from o2c.book import Book
from o2c.book._tables import audit as audit_table
from o2c.money import Money
from o2c.store import _seal
from tests.book.factories import customer, invoice_draft
from tests.book.tampering import tamper

OCT1 = dt.date(2026, 10, 1)


def _seal_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the recorder write what o2c wrote before encoding 2: pickled rows, bare
    base64 digests and the header without an encoding."""
    pickled = functools.partial(chunk_digests, encoding=ROWS_PICKLE)
    group = functools.partial(SealGroup, encoding=ROWS_PICKLE)
    monkeypatch.setattr(_seal, "chunk_digests", pickled)
    monkeypatch.setattr(_seal, "SealGroup", group)
    monkeypatch.setattr(audit_table, "chunk_digests", pickled)
    monkeypatch.setattr(audit_table, "SealGroup", group)


def _digests_texts(book: Book) -> list[tuple[str, str]]:
    with book.store.transaction(write=False):
        return [
            (str(r[0]), str(r[1]))
            for r in book.store.query("SELECT table_name, digests FROM audit_seals ORDER BY seq, n")
        ]


def test_seals_of_rows_written_before_json_still_verify_beside_new_ones(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        _seal_as_before(patch)
        book.add_customer(customer("C1"))
        book.create_invoice(invoice_draft("D-1", lines=(("SEAT", "2", "50.00"),)), issue_date=OCT1)
    old = _digests_texts(book)
    assert old
    assert all(":" not in text for _table, text in old)  # encoding 1: bare base64
    # Later commands seal their rows as JSON; the old seals are read as they were written.
    book.create_invoice(invoice_draft("D-2", lines=(("SEAT", "1", "80.00"),)), issue_date=OCT1)
    book.record_payment("C1", Money.of("100.00", "USD"), date=OCT1)
    new = _digests_texts(book)[len(old) :]
    assert new
    assert all(text.startswith("2:") for _table, text in new)
    assert book.verify_audit() == ()
    # An edit is found in a row sealed either way.
    tamper(
        book,
        ("UPDATE document_lines SET net_minor = net_minor + 1 WHERE document_id = ?", ["D-1"]),
        ("UPDATE document_lines SET net_minor = net_minor + 1 WHERE document_id = ?", ["D-2"]),
    )
    edited = {(p.kind, p.table, p.row.split("/")[0]) for p in book.verify_audit()}
    assert ("row_edited", "document_lines", "D-1") in edited
    assert ("row_edited", "document_lines", "D-2") in edited


def test_a_group_cannot_pass_for_the_other_encoding() -> None:
    keys = audit.encode_keys(["P1"])
    rows = [("P1", 500)]
    new = SealGroup(
        "payments", "insert", ("id", "amount_minor"), 1, keys, 1, chunk_digests(rows, 1)
    )
    old = SealGroup(
        "payments", "insert", ("id", "amount_minor"), 1, keys, 1,
        chunk_digests(rows, 1, ROWS_PICKLE), encoding=ROWS_PICKLE,
    )  # fmt: skip
    assert new.encoding == ROWS_JSON
    assert new.header().endswith(",2]")
    assert old.header() == '["payments","insert",["id","amount_minor"],1,1,[]]'
    assert audit.group_digest(new) != audit.group_digest(old)
    relabelled = SealGroup(
        "payments", "insert", ("id", "amount_minor"), 1, keys, 1, old.digests
    )  # pickled digests claimed as JSON: they do not match the rows
    problems = audit.check_group(
        relabelled, ["P1"], rows, seq=1, who="record_payment by ana", key_columns=("id",)
    )
    assert [p.kind for p in problems] == ["row_edited"]


def test_the_json_row_encoding_is_canonical_and_documented() -> None:
    rows = [("D1", 100, None, 'Zoë "Z"'), ("D2", -7, 1.5, "")]
    assert encode_rows(rows) == b'[["D1",100,null,"Zo\\u00eb \\"Z\\""],["D2",-7,1.5,""]]'
    # A digest is the first 16 bytes of SHA-256 over a chunk's encoding.
    assert chunk_digests(rows, 2) == hashlib.sha256(encode_rows(rows)).digest()[:16]
    assert chunk_digests(rows, 1) == b"".join(
        hashlib.sha256(encode_rows([r])).digest()[:16] for r in rows
    )
    # Equal values encode alike whatever objects hold them; text and numbers differ.
    assert encode_rows([("1",)]) != encode_rows([(1,)])
    assert encode_rows([("".join(["D", "1"]), 10**20)]) == encode_rows([("D1", 10**20)])
