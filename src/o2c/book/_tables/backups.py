"""What a backup holds, counted: the figures ``o2c backup`` reports and tests compare."""

from __future__ import annotations

from o2c.store import Store

__all__ = ["book_counts"]


def book_counts(store: Store) -> tuple[int, int, int]:
    """Documents, journal entries and audit events in the book, read in one snapshot."""
    with store.transaction(write=False):
        row = store.query_one(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM journal_entries),"
            " (SELECT COUNT(*) FROM audit_events)"
        )
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])
