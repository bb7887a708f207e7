"""Imports of what the bill run rates: usage records and time entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from o2c.book._customers import require_customer
from o2c.book._session import Session, Touched
from o2c.book._tables import usage as usage_table
from o2c.io import structure, to_plain
from o2c.pricing import TimeEntry, UsageRecord

__all__ = ["ImportResult", "import_time", "import_usage"]


@attrs.frozen(slots=True)
class ImportResult:
    """What an import stored.

    Attributes:
        inserted: Records stored.
        duplicates: Records ignored because their source id was stored already (the
            ``conflicts`` among them included).
        conflicts: The ids among ``duplicates`` whose content differs from the stored
            record (another quantity, item, customer or time): the stored record stands
            and nothing was changed, but a feed that reuses ids for new records would
            lose usage, so each is reported rather than counted silently.
    """

    inserted: int
    duplicates: int
    conflicts: tuple[str, ...] = ()


def _result(
    session: Session, inserted: int, given: int, conflicts: Sequence[str] = ()
) -> dict[str, Any]:
    value = ImportResult(inserted, given - inserted, tuple(conflicts))
    plain: dict[str, Any] = to_plain(value, session.converter())
    return plain


def _import_result(session: Session, result: dict[str, Any]) -> ImportResult:
    return structure(result, ImportResult, converter=session.converter())


def import_usage(
    session: Session,
    records: Iterable[UsageRecord],
    *,
    contract: str | None = None,
    actor: str | None = None,
) -> ImportResult:
    """Store usage records; a record whose id is stored already is ignored (and named
    in ``conflicts`` when its content differs from the stored one)."""
    batch = list(records)

    def body(touched: Touched) -> dict[str, Any]:
        conflicts = usage_table.changed_usage(session.store, batch, contract=contract)
        inserted = usage_table.insert_usage(
            session.store, batch, contract=contract, now=session.now().isoformat()
        )
        touched.add(f"{inserted} usage records")
        return _result(session, inserted, len(batch), conflicts)

    result = session.run(
        "import_usage",
        actor=actor,
        key=None,
        args={"ids": [r.id for r in batch], "contract": contract},
        body=body,
    )
    return _import_result(session, result)


def import_time(
    session: Session,
    entries: Iterable[TimeEntry],
    *,
    customer: str,
    contract: str | None = None,
    actor: str | None = None,
) -> ImportResult:
    """Store time entries of ``customer``; an entry whose id is stored is ignored."""
    batch = list(entries)

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, customer)
        conflicts = usage_table.changed_time(
            session.store, batch, customer=customer, contract=contract
        )
        inserted = usage_table.insert_time(
            session.store, batch, customer=customer, contract=contract
        )
        touched.add(f"{inserted} time entries")
        return _result(session, inserted, len(batch), conflicts)

    result = session.run(
        "import_time",
        actor=actor,
        key=None,
        args={"customer": customer, "contract": contract, "entries": batch},
        body=body,
    )
    return _import_result(session, result)
