"""The Book fixtures of tests/book (a fresh book per test on each configured store)."""

from tests.book.conftest import book, book_location, clock

__all__ = ["book", "book_location", "clock"]
