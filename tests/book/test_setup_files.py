"""Rate card and tax table imports refuse empty and non-UTF-8 files by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from o2c.book import Book
from o2c.errors import ValidationError


def _rows(book: Book) -> tuple[int, int]:
    cards = book._store.query_one("SELECT COUNT(*) FROM rate_cards", ())
    tables = book._store.query_one("SELECT COUNT(*) FROM tax_tables", ())
    assert cards is not None
    assert tables is not None
    return int(cards[0]), int(tables[0])


def test_an_empty_tax_table_is_refused_by_name(book: Book, tmp_path: Path) -> None:
    empty = tmp_path / "taxes.toml"
    empty.write_text("\n", encoding="utf-8")
    before = _rows(book)
    with pytest.raises(ValidationError, match=r"taxes\.toml.*\n.*empty"):
        book.import_tax_table(empty)
    with pytest.raises(ValidationError, match=r"taxes\.toml.*\n.*empty"):
        book.import_tax_table("taxes.toml", text="  ")
    assert _rows(book) == before


@pytest.mark.parametrize("kind", ["rate card", "tax table"])
def test_a_non_utf8_file_is_refused_with_its_byte_position(
    book: Book, tmp_path: Path, kind: str
) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# Tarifas de M" + "é".encode("latin-1") + b"xico\n")
    before = _rows(book)
    load = book.import_rate_card if kind == "rate card" else book.import_tax_table
    with pytest.raises(ValidationError, match=r"latin\.toml.*\n.*not UTF-8.*byte 14 \(0xe9\)"):
        load(latin)
    assert _rows(book) == before
