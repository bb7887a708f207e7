"""Audit events and their hash chain.

Every Book command writes one :class:`AuditEvent`: who (actor), when, which command, its
arguments, the ids it touched, and the hash of the previous event. Each event's hash
covers its own fields and the previous hash, so editing or deleting any event breaks
the chain from there on; :func:`verify` finds every such break. The Book also keeps
the chain's head (last sequence number and hash) apart, so cutting events off the end
is detected too.

Example:
    >>> first = make_event(None, at="2026-10-01T09:00:00+00:00", actor="ana",
    ...                    command="add_customer", args={"name": "Acme"}, ids=("C1",))
    >>> second = make_event(first, at="2026-10-01T09:05:00+00:00", actor="ana",
    ...                     command="issue", args={"id": "D1"}, ids=("D1",))
    >>> verify([first, second])
    ()
    >>> forged = attrs.evolve(first, actor="mallory")
    >>> [p.kind for p in verify([forged, second])]
    ['edited']
    >>> [p.kind for p in verify([second])]
    ['missing']
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

__all__ = [
    "GENESIS_HASH",
    "AuditEvent",
    "AuditProblem",
    "canonical_json",
    "event_hash",
    "make_event",
    "verify",
]

#: The "previous hash" of the first event.
GENESIS_HASH: Final = "0" * 64


def _default(value: object) -> object:
    if isinstance(value, decimal.Decimal | dt.date | dt.datetime):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(str(v) for v in value)
    if isinstance(value, tuple):
        return list(value)
    if attrs.has(type(value)):
        return attrs.asdict(value, recurse=False)  # type: ignore[arg-type]
    return str(value)


def canonical_json(value: object) -> str:
    """Serialize ``value`` the one way the hash chain needs: sorted keys, no spaces.

    Decimals, dates and enums become strings; anything else unknown becomes ``str()``.

    Example:
        >>> canonical_json({"b": 1, "a": decimal.Decimal("1.50")})
        '{"a":"1.50","b":1}'
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def event_hash(
    prev_hash: str, *, seq: int, at: str, actor: str, command: str, args: str, ids: Sequence[str]
) -> str:
    """The SHA-256 hex digest of an event's fields chained to the previous hash."""
    payload = canonical_json([prev_hash, seq, at, actor, command, args, list(ids)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@attrs.frozen(slots=True)
class AuditEvent:
    """One command, as the audit trail records it.

    Attributes:
        seq: Position in the trail, 1, 2, 3... without gaps.
        at: When the command ran (ISO 8601 with offset).
        actor: Who ran it.
        command: The Book method (``issue_invoice``).
        args: The command's arguments as canonical JSON.
        ids: The ids the command created or changed.
        prev_hash: The previous event's hash (:data:`GENESIS_HASH` for the first).
        hash: This event's hash.
    """

    seq: int
    at: str
    actor: str
    command: str
    args: str
    ids: tuple[str, ...]
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        """The hash the event's fields call for."""
        return event_hash(
            self.prev_hash,
            seq=self.seq,
            at=self.at,
            actor=self.actor,
            command=self.command,
            args=self.args,
            ids=self.ids,
        )


def make_event(
    previous: AuditEvent | None,
    *,
    at: str,
    actor: str,
    command: str,
    args: Mapping[str, object] | str,
    ids: Iterable[str] = (),
) -> AuditEvent:
    """Build the event that follows ``previous`` (``None`` for the first one)."""
    seq = 1 if previous is None else previous.seq + 1
    prev = GENESIS_HASH if previous is None else previous.hash
    text = args if isinstance(args, str) else canonical_json(args)
    id_tuple = tuple(str(i) for i in ids)
    digest = event_hash(prev, seq=seq, at=at, actor=actor, command=command, args=text, ids=id_tuple)
    return AuditEvent(seq, at, actor, command, text, id_tuple, prev, digest)


@attrs.frozen(slots=True)
class AuditProblem:
    """A break in the audit trail.

    Attributes:
        seq: The sequence number where it shows.
        kind: ``edited`` (fields do not match the hash), ``missing`` (events deleted
            before this one), ``broken`` (the link to the previous event does not match)
            or ``truncated`` (events deleted at the end).
        message: What was found, for a person.
    """

    seq: int
    kind: str
    message: str


def verify(
    events: Iterable[AuditEvent], *, head: tuple[int, str] | None = None
) -> tuple[AuditProblem, ...]:
    """Check an audit trail read in sequence order; return every problem found.

    Args:
        events: The events, ordered by ``seq``.
        head: The last ``(seq, hash)`` recorded apart from the trail, if any; a trail
            that ends earlier was cut short.

    Returns:
        The problems, empty for an intact trail.
    """
    problems: list[AuditProblem] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    last: AuditEvent | None = None
    for event in events:
        if event.seq != expected_seq:
            problems.append(
                AuditProblem(
                    event.seq,
                    "missing",
                    f"events {expected_seq}..{event.seq - 1} are missing before event {event.seq}",
                )
            )
        elif event.prev_hash != prev_hash:
            problems.append(
                AuditProblem(
                    event.seq, "broken", f"event {event.seq} does not link to event {event.seq - 1}"
                )
            )
        if event.expected_hash() != event.hash:
            problems.append(
                AuditProblem(
                    event.seq,
                    "edited",
                    f"event {event.seq} ({event.command} by {event.actor}) was changed after "
                    "it was written",
                )
            )
        expected_seq = event.seq + 1
        prev_hash = event.hash
        last = event
    if head is not None and head[0] > 0:
        head_seq, head_hash = head
        if last is None or last.seq < head_seq:
            problems.append(
                AuditProblem(
                    head_seq,
                    "truncated",
                    f"the trail ends at event {0 if last is None else last.seq} but event "
                    f"{head_seq} was written",
                )
            )
        elif last.seq == head_seq and last.hash != head_hash:
            problems.append(
                AuditProblem(head_seq, "edited", f"event {head_seq} does not match the head")
            )
    return tuple(problems)
