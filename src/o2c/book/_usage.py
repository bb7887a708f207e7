"""Imports of what the bill run rates: usage records and time entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing.unbilled import UnbilledKind
from o2c.book._codec import as_date, as_decimal, as_timestamp
from o2c.book._customers import require_customer
from o2c.book._session import Session, Touched
from o2c.book._tables import usage as usage_table
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.io import structure, to_plain
from o2c.pricing import TimeEntry, UsageRecord

__all__ = [
    "ImportResult",
    "VoidedRecord",
    "import_time",
    "import_usage",
    "list_voided",
    "void_kind",
    "void_records",
]


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


# -- taking a wrong record out before it is billed ----------------------------------------


@attrs.frozen(slots=True)
class VoidedRecord:
    """A usage record or time entry taken out before any invoice billed it.

    The record stays in the book (a re-import of its id is still a duplicate) and no bill
    run, per-event charge, re-rating or unbilled list reads it again.

    Attributes:
        kind: ``UnbilledKind.USAGE`` or ``UnbilledKind.TIME``.
        id: The record's source id.
        customer: Its customer's id.
        contract: The contract it was imported for, or None.
        item: The usage item, or the time entry's role.
        quantity: The usage quantity, or the time entry's hours.
        occurred_at: When the usage occurred (UTC); None for a time entry.
        work_date: The time entry's work date; None for usage.
        voided_at: When it was voided.
        voided_by: Who voided it.
        reason: Why.
    """

    kind: UnbilledKind
    id: str
    customer: str
    contract: str | None
    item: str
    quantity: Decimal
    occurred_at: dt.datetime | None
    work_date: dt.date | None
    voided_at: dt.datetime
    voided_by: str
    reason: str


#: What a refusal calls each kind of record.
_NOUN = {UnbilledKind.USAGE: "usage record", UnbilledKind.TIME: "time entry"}
_UNCHANGED = "nothing was voided"


def void_kind(kind: UnbilledKind | str) -> UnbilledKind:
    """``kind`` as usage or time.

    Raises:
        ValidationError: Anything else.
    """
    try:
        chosen = UnbilledKind(kind)
    except ValueError:
        chosen = None
    if chosen not in _NOUN:
        raise ValidationError("kind", kind, "usage or time")
    assert chosen is not None
    return chosen


def _refuse(kind: UnbilledKind, ids: Sequence[str], found: dict[str, Any]) -> None:
    """Raise when any of ``ids`` cannot be voided: unknown, billed or void already."""
    noun = _NOUN[kind]
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise NotFound(
            noun,
            ", ".join(unknown),
            hint=f"check the id{'s' if len(unknown) > 1 else ''} "
            f"(o2c {kind.value} list --unbilled lists what is unbilled); {_UNCHANGED}",
        )
    billed = [found[i] for i in ids if found[i][1] is not None]
    if billed:
        named = "; ".join(f"{noun} {r[0]} is billed on invoice {r[2] or r[1]}" for r in billed)
        raise InvalidState(
            f"{named}: a billed record is not voided; correct the invoice with a credit note"
            f" (o2c credit-note create); {_UNCHANGED}",
            document_id=billed[0][1],
        )
    done = [found[i] for i in ids if found[i][3] is not None]
    if done:
        named = "; ".join(
            f"{noun} {r[0]} is void already (by {r[4]} at {as_timestamp(r[3]).isoformat()}: {r[5]})"
            for r in done
        )
        raise InvalidState(f"{named}; {_UNCHANGED}")


def void_records(
    session: Session,
    kind: UnbilledKind,
    ids: Iterable[str],
    *,
    reason: str,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[VoidedRecord, ...]:
    """Void unbilled usage records or time entries (``Book.void_usage`` and
    ``Book.void_time``): all of ``ids`` or, when any is refused, none.

    Raises:
        ValidationError: No id, or an empty reason.
        NotFound: An id the book does not hold (all such ids are named).
        InvalidState: A record an invoice billed (named with the invoice: correct that
            with a credit note), or one voided already.
    """
    kind = void_kind(kind)
    wanted = list(dict.fromkeys(str(i).strip() for i in ids))
    if not wanted or not all(wanted):
        raise ValidationError("ids", wanted, f"the ids of the {_NOUN[kind]}s to void")
    why = (reason or "").strip()
    if not why:
        raise ValidationError("reason", reason, "why the records are voided (kept with them)")
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        found = usage_table.void_states(session.store, kind.value, wanted)
        _refuse(kind, wanted, found)
        marked = usage_table.mark_void(
            session.store, kind.value, wanted, actor=who, reason=why, now=session.now().isoformat()
        )
        if marked != len(wanted):  # pragma: no cover - the write lock rules it out
            raise InvalidState(f"{marked} of {len(wanted)} records changed meanwhile; retry")
        touched.extend(f"{kind.value}:{i}" for i in wanted)
        return {"ids": wanted}

    result = session.run(
        f"void_{kind.value}",
        actor=actor,
        key=idempotency_key,
        args={"ids": wanted, "reason": why},
        body=body,
    )
    chosen = {str(i) for i in result["ids"]}
    return tuple(r for r in list_voided(session, kind) if r.id in chosen)


def list_voided(
    session: Session, kind: UnbilledKind, customer: str | None = None
) -> list[VoidedRecord]:
    """The voided records of ``kind`` (of ``customer`` only, when given), by when they
    were voided."""
    rows = usage_table.voided(session.store, kind.value, customer)
    usage = kind is UnbilledKind.USAGE
    return [
        VoidedRecord(
            kind=kind,
            id=str(rid),
            customer=str(cust),
            contract=None if contract is None else str(contract),
            item=str(item),
            quantity=as_decimal(quantity),
            occurred_at=as_timestamp(occurred) if usage else None,
            work_date=None if usage else as_date(occurred),
            voided_at=as_timestamp(at),
            voided_by=str(by),
            reason=str(why),
        )
        for rid, cust, contract, item, quantity, occurred, at, by, why in rows
    ]
