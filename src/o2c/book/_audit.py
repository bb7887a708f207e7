"""The audit trail: reading it and checking it was not tampered with.

:func:`verify_audit` checks the hash chain of the events (:func:`o2c.audit.verify`), that
each event's row seal matches the seal groups stored with it, and that every row of the
sealed tables is what the last command that wrote it wrote (:func:`verify_rows`): the
digests of each group are recomputed from the stored rows (or, for a row a later command
changed, from the before-image that command recorded), and every stored row must belong
to some group. One pass per table, rows read by key in ``IN`` lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from o2c.audit import (
    AuditEvent,
    AuditProblem,
    Key,
    SealGroup,
    Value,
    check_group,
    format_key,
    seal_hash,
    verify,
)
from o2c.book._area import Area
from o2c.book._session import Session
from o2c.book._tables import audit as audit_table
from o2c.book._tables import settings as settings_table
from o2c.store import SEALED, Store, fetch_rows, stored_keys, table_info

__all__ = ["AuditMixin", "audit_log", "verify_audit", "verify_rows"]


def audit_log(
    session: Session,
    *,
    actor: str | None = None,
    command: str | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[AuditEvent]:
    """The audit events in order, optionally filtered; see :meth:`AuditMixin.audit_log`."""
    return audit_table.events(session.store, actor=actor, command=command, after=after, limit=limit)


def verify_audit(session: Session) -> tuple[AuditProblem, ...]:
    """Every problem of the audit trail's hash chain and of the sealed rows (none: intact)."""
    store = session.store
    with store.transaction(write=False):
        head_text = session.setting(audit_table.HEAD_SETTING)
        head = None
        if head_text:
            seq, _, digest = head_text.partition(":")
            head = (int(seq), digest)
        seen: dict[int, tuple[str, str]] = {}

        def remember(events: Iterator[AuditEvent]) -> Iterator[AuditEvent]:
            for event in events:
                seen[event.seq] = (f"{event.command} by {event.actor}", event.seal)
                yield event

        problems = list(verify(remember(audit_table.iterate_events(store)), head=head))
        problems.extend(verify_rows(store, seen))
    return tuple(problems)


def verify_rows(store: Store, events: Mapping[int, tuple[str, str]]) -> list[AuditProblem]:
    """The problems of the sealed rows and of the events' row seals.

    Args:
        store: The book's store, in a transaction.
        events: ``seq -> (event for a person, its seal)`` of every stored event.

    Returns:
        ``seal_edited`` for an event whose stored groups do not match its seal, and a
        ``row_`` problem for every row edited, deleted, reordered or added.
    """
    sealed = {seq for seq, (_who, seal) in events.items() if seal}
    if not sealed:
        return []  # a book of before row seals: nothing to check the rows against yet
    digests: dict[int, dict[int, bytes]] = {}
    problems: list[AuditProblem] = []
    for table in SEALED:
        problems.extend(_verify_table(store, table, events, digests))
    for seq in sorted(sealed):
        parts = digests.get(seq, {})
        if seal_hash([parts[n] for n in sorted(parts)]) != events[seq][1]:
            problems.append(
                AuditProblem(
                    seq,
                    "seal_edited",
                    f"the row seal of event {seq} ({events[seq][0]}) does not match the rows "
                    "it records: the stored seal was changed",
                )
            )
    problems.sort(key=lambda p: (p.seq, p.table, p.row))
    return problems


_Version = tuple[tuple[int, int], tuple[str, ...], tuple[Value, ...] | None]


def _verify_table(
    store: Store,
    table: str,
    events: Mapping[int, tuple[str, str]],
    digests: dict[int, dict[int, bytes]],
) -> list[AuditProblem]:
    info = table_info(store, table)
    problems: list[AuditProblem] = []
    # Later writes of a row (updates, deletes) and the row as each found it.
    later: dict[Key, list[_Version]] = {}
    for stored in audit_table.seal_groups(store, table=table, ops=("update", "delete")):
        group = _decoded(stored, problems)
        if group is None:
            continue
        images = group.images
        for i, key in enumerate(group.row_keys()):
            image = images[i] if i < len(images) else None
            later.setdefault(key, []).append(((stored.seq, stored.n), group.columns, image))
    held: set[Key] = set()
    deleted: set[Key] = set()
    for stored in audit_table.seal_groups(store, table=table):
        group = _decoded(stored, problems)
        if group is None:
            continue
        digests.setdefault(stored.seq, {})[stored.n] = stored.digest(group)
        keys = group.row_keys()
        if group.op == "delete":
            deleted.update(keys)
            continue
        held.update(keys)
        rows = _rows_as_of(store, group, keys, (stored.seq, stored.n), later)
        who = events.get(stored.seq, ("an event missing from the trail", ""))[0]
        problems.extend(_defaults_problems(group, keys, rows, stored.seq, who, info.key))
        problems.extend(
            check_group(group, keys, rows, seq=stored.seq, who=who, key_columns=info.key)
        )
    live = held - deleted
    for key in stored_keys(store, table):
        if key not in live:
            name = format_key(info.key, key)
            problems.append(
                AuditProblem(
                    0,
                    "row_added",
                    f"{table} row {name} was added without an event (no command wrote it)",
                    table,
                    name,
                )
            )
    return problems


def _decoded(stored: audit_table.StoredGroup, problems: list[AuditProblem]) -> SealGroup | None:
    try:
        return stored.group()
    except ValueError:
        problems.append(
            AuditProblem(
                stored.seq,
                "seal_edited",
                f"the row seal of event {stored.seq} for {stored.table} cannot be read: "
                "it was changed",
                stored.table,
            )
        )
        return None


def _rows_as_of(
    store: Store,
    group: SealGroup,
    keys: Sequence[Key],
    order: tuple[int, int],
    later: Mapping[Key, list[_Version]],
) -> list[tuple[Value, ...] | None]:
    """The group's rows as they stood right after it: as the next command that changed
    one found it, or as stored now."""
    wanted = list(group.columns) + [c for c, _v in group.defaults]
    rows: list[tuple[Value, ...] | None] = [None] * len(keys)
    current: list[int] = []
    for i, key in enumerate(keys):
        versions = later.get(key)
        after = None
        if versions:
            after = next((v for v in versions if v[0] > order), None)
        if after is None:
            current.append(i)
        elif after[2] is not None:
            by_name = dict(zip(after[1], after[2], strict=False))
            rows[i] = tuple(by_name.get(c) for c in wanted)
    if current:
        found = fetch_rows(store, group.table, wanted, [keys[i] for i in current])
        for i in current:
            rows[i] = found.get(keys[i])
    return rows


def _defaults_problems(
    group: SealGroup,
    keys: Sequence[Key],
    rows: list[tuple[Value, ...] | None],
    seq: int,
    who: str,
    key_columns: Sequence[str],
) -> list[AuditProblem]:
    """Rows whose left-out columns changed (and ``rows`` cut to the group's columns)."""
    width = len(group.columns)
    want = tuple(v for _c, v in group.defaults)
    problems = []
    for i, row in enumerate(rows):
        if row is None:
            continue
        if want and row[width:] != want:
            name = format_key(key_columns, keys[i])
            changed = [
                c for (c, v), got in zip(group.defaults, row[width:], strict=True) if v != got
            ]
            problems.append(
                AuditProblem(
                    seq,
                    "row_edited",
                    f"{group.table} row {name} written by event {seq} ({who}) was changed after "
                    f"it was written ({', '.join(changed)})",
                    group.table,
                    name,
                )
            )
        rows[i] = row[:width]
    return problems


class AuditMixin(Area):
    """Audit log and verification."""

    def audit_log(
        self,
        *,
        actor: str | None = None,
        command: str | None = None,
        after: int = 0,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        """The audit events in order, optionally filtered.

        Args:
            actor: Only this actor's events.
            command: Only this command's events.
            after: Only events with a sequence number above this.
            limit: At most this many.
        """
        return audit_log(self._session, actor=actor, command=command, after=after, limit=limit)

    def idempotent_result(self, key: str) -> tuple[str, dict[str, Any]] | None:
        """The command that ran under idempotency ``key`` and what it returned, or None.

        A script that composes several commands under one key of its own (create a draft,
        then issue it) asks first, so a retry returns the first outcome instead of
        building new arguments that the key would refuse.

        Example:
            >>> from o2c.book import Book
            >>> with Book.open(":memory:", actor="ana") as book:
            ...     print(book.idempotent_result("crm-1"))
            None
        """
        found = settings_table.idempotent_result(self._session.store, key)
        return None if found is None else (found[0], found[2])

    def verify_audit(self) -> tuple[AuditProblem, ...]:
        """Check the whole audit trail and the rows it seals; return every problem (none:
        intact).

        Detects an edited event, a deleted event anywhere (also the last ones, through
        the head recorded apart) and a re-linked chain; and every row of the
        money-carrying tables (documents, their lines and taxes, journal entries and
        lines, payments, allocations, refunds, write-offs, customers, approvals,
        disputes, dunning notices) that was edited, deleted, swapped with another or
        added since the command that wrote it, naming the table and the row's key.
        """
        return verify_audit(self._session)
