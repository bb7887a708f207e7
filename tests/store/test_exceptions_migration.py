"""Migration 0008: a book whose exceptions queue never cleared is cleaned up on open.

The schema-7 queue below, as the bill runs of that version left it: K1's PO problem
raised by four runs of October (four open rows), K2's raised once and billed by the
fourth run, K3's PO problem raised twice and then a missing address.
"""

from __future__ import annotations

import pytest

from o2c.errors import Conflict
from o2c.store import SCHEMA_VERSION, Store, migrate, open_store

RUNS = [f"BR{n}" for n in range(1, 5)]


def _at(n: int) -> str:
    return f"2026-11-0{n}T09:00:00+00:00"


def _old_queue(store: Store) -> None:
    for n, run in enumerate(RUNS, start=1):
        store.execute(
            "INSERT INTO bill_runs (id, period_start, period_end, cut_off, status, actor,"
            " started_at, finished_at, invoices, exceptions, skipped) VALUES (?, '2026-10-01',"
            " '2026-10-31', '2026-10-31', 'done', 'ana', ?, ?, 0, 1, 0)",
            (run, _at(n), _at(n)),
        )
    rows = [
        *((run, "K1", "po_required", n) for n, run in enumerate(RUNS, start=1)),
        ("BR1", "K2", "no_rate", 1),
        ("BR1", "K3", "po_required", 1),
        ("BR2", "K3", "po_required", 2),
        ("BR3", "K3", "missing_address", 3),
    ]
    store.executemany(
        "INSERT INTO exceptions (bill_run_id, contract_id, customer_id, code, message, status,"
        " created_at) VALUES (?, ?, 'C1', ?, ?, 'open', ?)",
        [(run, k, code, f"{k}:2026-10: {code} text", _at(n)) for run, k, code, n in rows],
    )
    store.execute(
        "INSERT INTO bill_run_items (run_key, bill_run_id, contract_id, period_start, status,"
        " document_id) VALUES ('K2:2026-10', 'BR4', NULL, '2026-10-01', 'invoiced', NULL)"
    )


def test_migration_folds_duplicates_and_resolves_what_was_billed_or_fixed(
    store_url: str,
) -> None:
    store = open_store(store_url)
    try:
        assert migrate(store, target=7) == 7
        with store.transaction():
            _old_queue(store)
        assert migrate(store) == SCHEMA_VERSION
        rows = store.query(
            "SELECT run_key, code, status, bill_run_id, last_run_id, resolved_by_run"
            " FROM exceptions ORDER BY id"
        )
        assert rows == [
            ("K1:2026-10", "po_required", "open", "BR1", "BR4", None),
            ("K2:2026-10", "no_rate", "resolved", "BR1", "BR1", "BR4"),
            ("K3:2026-10", "po_required", "resolved", "BR1", "BR2", "BR3"),
            ("K3:2026-10", "missing_address", "open", "BR3", "BR3", None),
        ]
        [(seen,)] = store.query("SELECT last_seen_at FROM exceptions WHERE run_key = 'K1:2026-10'")
        assert str(seen).startswith(("2026-11-04T09:00:00", "2026-11-04 09:00:00"))
        # The store now refuses a second open row for a run key and reason.
        with pytest.raises(Conflict, match="refused a write"), store.transaction():
            store.execute(
                "INSERT INTO exceptions (bill_run_id, contract_id, customer_id, code,"
                " message, status, created_at, run_key) VALUES ('BR4', 'K1', 'C1',"
                " 'po_required', 'K1:2026-10: again', 'open', ?, 'K1:2026-10')",
                (_at(4),),
            )
    finally:
        store.close()
