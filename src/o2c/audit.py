"""Audit events, their hash chain, and the seals of the rows each command wrote.

Every Book command writes one :class:`AuditEvent`: who (actor), when, which command, its
arguments, the ids it touched, and the hash of the previous event. Each event's hash
covers its own fields and the previous hash, so editing or deleting any event breaks
the chain from there on; :func:`verify` finds every such break. The Book also keeps
the chain's head (last sequence number and hash) apart, so cutting events off the end
is detected too.

Since schema version 10 an event also carries the **seal** of the money-carrying rows its
command wrote (documents and their lines and taxes, journal entries and lines, payments,
allocations, refunds, write-offs, customers, approvals, disputes and dunning notices):
one :class:`SealGroup` per table and kind of write, holding the rows' primary keys and
digests of the rows' values (:func:`chunk_digests`). The event's hash covers
:func:`seal_hash` of its groups, so a group cannot be changed either. :func:`check_group`
compares a group with the rows stored now and names every row that was edited, deleted
or moved to another key; rows no group wrote are found by the Book (``row_added``).

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

import array
import base64
import datetime as dt
import decimal
import enum
import hashlib
import io
import itertools
import json
import pickle
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, TypeAlias

import attrs

__all__ = [
    "BULK_CHUNK",
    "GENESIS_HASH",
    "ROWS_JSON",
    "ROWS_PICKLE",
    "SEAL_FORMAT",
    "SMALL_GROUP",
    "AuditEvent",
    "AuditProblem",
    "Key",
    "SealGroup",
    "Value",
    "canonical_json",
    "check_group",
    "chunk_digests",
    "decode_images",
    "decode_keys",
    "encode_keys",
    "encode_rows",
    "event_hash",
    "format_key",
    "group_digest",
    "key_columns_data",
    "make_event",
    "pack",
    "seal_hash",
    "unpack",
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
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    command: str,
    args: str,
    ids: Sequence[str],
    seal: str = "",
    db_user: str = "",
) -> str:
    """The SHA-256 hex digest of an event's fields chained to the previous hash.

    An event with a row seal (written since schema version 10) hashes it too; an event
    without one (written before) hashes as it always did, so old trails still verify.
    The database user (PostgreSQL, since schema version 11) is hashed as a tagged pair,
    so it can never be read as a seal or the other way round.
    """
    fields: list[object] = [prev_hash, seq, at, actor, command, args, list(ids)]
    if seal:
        fields.append(seal)
    if db_user:
        fields.append(["db_user", db_user])
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


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
        seal: :func:`seal_hash` of the rows the command wrote (empty for events written
            before row seals existed).
        db_user: The database user the command's connection acted as (PostgreSQL's
            ``current_user``), beside the ``actor`` the application named; empty on
            SQLite and for events written before it was recorded.
    """

    seq: int
    at: str
    actor: str
    command: str
    args: str
    ids: tuple[str, ...]
    prev_hash: str
    hash: str
    seal: str = ""
    db_user: str = ""

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
            seal=self.seal,
            db_user=self.db_user,
        )


def make_event(
    previous: AuditEvent | None,
    *,
    at: str,
    actor: str,
    command: str,
    args: Mapping[str, object] | str,
    ids: Iterable[str] = (),
    seal: str = "",
    db_user: str = "",
) -> AuditEvent:
    """Build the event that follows ``previous`` (``None`` for the first one); ``seal``
    is :func:`seal_hash` of the rows its command wrote, ``db_user`` the database user
    beside the actor (PostgreSQL)."""
    seq = 1 if previous is None else previous.seq + 1
    prev = GENESIS_HASH if previous is None else previous.hash
    text = args if isinstance(args, str) else canonical_json(args)
    id_tuple = tuple(str(i) for i in ids)
    digest = event_hash(
        prev,
        seq=seq,
        at=at,
        actor=actor,
        command=command,
        args=text,
        ids=id_tuple,
        seal=seal,
        db_user=db_user,
    )
    return AuditEvent(seq, at, actor, command, text, id_tuple, prev, digest, seal, db_user)


@attrs.frozen(slots=True)
class AuditProblem:
    """A break in the audit trail.

    Attributes:
        seq: The sequence number where it shows.
        kind: ``edited`` (fields do not match the hash), ``missing`` (events deleted
            before this one), ``broken`` (the link to the previous event does not match),
            ``truncated`` (events deleted at the end), ``seal_edited`` (the row seal
            stored with the event does not match it), ``row_edited``, ``row_deleted``,
            ``row_reordered`` (a stored row holds what another key's row held) or
            ``row_added`` (a stored row no event wrote).
        message: What was found, for a person (one line).
        table: The table of the row, for the ``row_`` kinds.
        row: The row's primary key (``JE0000000001/2``), for the ``row_`` kinds.
    """

    seq: int
    kind: str
    message: str
    table: str = ""
    row: str = ""


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
    sealed = False
    for event in events:
        if event.seal:
            sealed = True
        elif sealed:
            problems.append(
                AuditProblem(
                    event.seq,
                    "edited",
                    f"event {event.seq} ({event.command} by {event.actor}) lost the seal of "
                    "its rows (every event after the first sealed one has one)",
                )
            )
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


# -- row seals ----------------------------------------------------------------------------

#: The seal format: SHA-256 truncated to 16 bytes per chunk of rows, keys and
#: before-images as canonical JSON; how a chunk's rows become bytes is the group's
#: :attr:`SealGroup.encoding` (:data:`ROWS_JSON`, or :data:`ROWS_PICKLE` for groups
#: written before it).
SEAL_FORMAT: Final = "rows/1"

#: Row encoding 1 (groups written before encoding 2, still verified as written): the
#: chunk's rows as a protocol-4 pickle without memo (equal values encode alike).
ROWS_PICKLE: Final = 1

#: Row encoding 2, for every group written now: the chunk's rows as canonical JSON
#: (RFC 8259, ASCII, no whitespace: ``[["D1",100,null],["D2",250,"M\u00fcller"]]``;
#: non-ASCII as lowercase ``\uXXXX``, floats by ``repr``, bytes as ``{"b64":"..."}``),
#: independent of pickle and checkable from any language. Its groups' stored digests
#: start with ``2:`` and their header (which the event's hash covers) names it.
ROWS_JSON: Final = 2

#: A group of at most this many rows gets one digest per row (the finding names the row).
SMALL_GROUP: Final = 512

#: Rows per digest in a larger group (a bill run batch): one pass over the rows, and a
#: finding names the row among at most this many neighbours when it cannot tell which.
BULK_CHUNK: Final = 16

_DIGEST_BYTES: Final = 16

#: A stored value as the seal sees it (decimals, dates, timestamps and JSON as text).
Value: TypeAlias = str | int | float | bytes | None

#: A primary key: one value, or the values of a composite key.
Key: TypeAlias = str | int | tuple[str | int, ...]


@attrs.frozen(slots=True)
class SealGroup:
    """What one command wrote to one table, in one kind of write.

    Attributes:
        table: The table.
        op: ``insert``, ``update`` (the rows after the command) or ``delete``.
        columns: The columns of the digested values, in order (the primary key among them).
        count: How many rows.
        keys_data: Each row's primary key, in row order (:func:`encode_keys`).
        chunk: Rows per digest (1 for a small group, :data:`BULK_CHUNK` for a large one).
        digests: 16 bytes per chunk of rows (empty for ``delete``).
        defaults: For ``insert``: the columns the statement left out and the value the
            store gave every row in them.
        images: For ``update`` and ``delete``: each row as it was before, in ``columns``.
        encoding: How the digests encode rows (:data:`ROWS_JSON`; :data:`ROWS_PICKLE`
            for groups written before it).
    """

    table: str
    op: str
    columns: tuple[str, ...]
    count: int
    keys_data: bytes = attrs.field(repr=False)
    chunk: int
    digests: bytes = attrs.field(repr=False)
    defaults: tuple[tuple[str, Value], ...] = ()
    images: tuple[tuple[Value, ...], ...] = attrs.field(default=(), repr=False)
    encoding: int = ROWS_JSON

    def row_keys(self) -> tuple[Key, ...]:
        """Each row's primary key, in row order."""
        return decode_keys(self.keys_data)

    def images_json(self) -> bytes:
        """The before-images as canonical JSON (what the seal hash covers)."""
        return _JSON(list(self.images)).encode("utf-8") if self.images else b""

    def header(self) -> str:
        """The group's description as canonical JSON (what the seal hash covers): a
        group of encoding 2 or later names it last (encoding 1 groups keep the header
        they were sealed with)."""
        described: list[object] = [
            self.table,
            self.op,
            list(self.columns),
            self.count,
            self.chunk,
            [list(d) for d in self.defaults],
        ]
        if self.encoding != ROWS_PICKLE:
            described.append(self.encoding)
        return canonical_json(described)


_JSON: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def pack(data: bytes) -> str:
    """Compress and base64 ``data`` for a text column."""
    return base64.b64encode(zlib.compress(data, 1)).decode("ascii") if data else ""


def unpack(text: str, *, limit: int = 1 << 31) -> bytes:
    """The data :func:`pack` packed (at most ``limit`` bytes: a stored seal is untrusted)."""
    if not text:
        return b""
    inflater = zlib.decompressobj()
    data = inflater.decompress(base64.b64decode(text), limit)
    if inflater.unconsumed_tail:
        raise ValueError("seal data larger than its row count allows")
    return data


_KEY_SEP: Final = "\x1e"
_PART_SEP: Final = "\x1f"


def encode_keys(keys: Sequence[Key]) -> bytes:
    """Keys in their stored form (:func:`key_columns_data` of their parts).

    Example:
        >>> encode_keys(["D1", "D2"])
        b'SD1\\x1eD2'
        >>> decode_keys(encode_keys([("D1", 1), ("D1", 2), ("D2", 1)]))
        (('D1', 1), ('D1', 2), ('D2', 1))
    """
    if keys and isinstance(keys[0], tuple):
        width = len(keys[0])
        return key_columns_data([[k[i] for k in keys] for i in range(width)])  # type: ignore[index]
    return key_columns_data([list(keys)])


def key_columns_data(parts: Sequence[Sequence[object]]) -> bytes:
    """The stored form of keys given column by column (``parts[i][n]``: part ``i`` of
    key ``n``), built without a step per key where it can be.

    ``S`` and text keys joined by U+001E; ``P`` for ``(text, number)`` keys: an 8-byte
    length, the text parts joined by U+001E, then each number as 8 bytes little-endian;
    else ``J`` and the keys as JSON. (``C``, the text parts run-length encoded as
    ``part U+001F count``, is still read.)
    """
    if len(parts) == 1:
        heads = parts[0]
        if heads and set(map(type, heads)) == {str}:
            text = _KEY_SEP.join(heads)  # type: ignore[arg-type]
            if _clean(text, len(heads) - 1, 0):
                return b"S" + text.encode("utf-8")
    elif len(parts) == 2 and parts[0]:
        heads, nums = parts
        if set(map(type, heads)) == {str} and set(map(type, nums)) == {int}:
            text = _KEY_SEP.join(heads)  # type: ignore[arg-type]
            numbers = _int64s(nums)
            if numbers is not None and _clean(text, len(heads) - 1, 0):
                head = text.encode("utf-8")
                return b"P" + len(head).to_bytes(8, "little") + head + numbers
    keys = [list(k) for k in zip(*parts, strict=True)] if len(parts) > 1 else list(parts[0])
    return b"J" + _JSON(keys).encode("utf-8")


def _int64s(nums: Sequence[object]) -> bytes | None:
    try:
        numbers = array.array("q", nums)  # type: ignore[type-var]
    except OverflowError:
        return None
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _clean(text: str, key_seps: int, part_seps: int) -> bool:
    """Whether ``text`` holds exactly the separators the encoding put in it."""
    return text.count(_KEY_SEP) == key_seps and text.count(_PART_SEP) == part_seps


def decode_keys(data: bytes) -> tuple[Key, ...]:
    """Keys from their stored form (:func:`encode_keys`).

    Raises:
        ValueError: ``data`` is not such a form.
    """
    kind = data[:1]
    if kind == b"S":
        return tuple(data[1:].decode("utf-8").split(_KEY_SEP))
    if kind in (b"P", b"C"):
        size = int.from_bytes(data[1:9], "little")
        heads = data[9 : 9 + size].decode("utf-8").split(_KEY_SEP)
        if kind == b"C":
            runs = [run.split(_PART_SEP) for run in heads]
            heads = [head for head, count in runs for _ in range(int(count))]
        numbers = array.array("q")
        numbers.frombytes(data[9 + size :])
        if sys.byteorder == "big":
            numbers.byteswap()
        if len(numbers) != len(heads):
            raise ValueError("seal keys do not match their numbers")
        return tuple(zip(heads, numbers.tolist(), strict=True))
    if kind == b"J":
        return tuple(tuple(k) if isinstance(k, list) else k for k in json.loads(data[1:]))
    raise ValueError(f"unknown key encoding {kind!r}")


def decode_images(data: bytes) -> tuple[tuple[Value, ...], ...]:
    """Before-images from their canonical JSON."""
    return tuple(tuple(r) for r in json.loads(data)) if data else ()


def _bytes_json(value: object) -> object:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"a sealed row holds a {type(value).__name__}, not a stored value")


# Encoding 2's encoders (see ROWS_JSON): the C encoder for rows of text, numbers and
# NULL; the same output with bytes as {"b64": ...} (no sealed column holds bytes today,
# and a default hook takes the encoder off its fast path).
_FAST_JSON: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode
_BYTES_JSON: Final = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=True, default=_bytes_json
).encode


def _rows_json(rows: list[tuple[Value, ...]]) -> bytes:
    try:
        text = _FAST_JSON(rows)
    except TypeError:
        text = _BYTES_JSON(rows)
    return text.encode("ascii")


def encode_rows(rows: Sequence[tuple[Value, ...]]) -> bytes:
    """The bytes a chunk of ``rows`` is digested as (:data:`ROWS_JSON`).

    Example:
        >>> encode_rows([("D1", 100, None), ("D2", 250, "Müller")])
        b'[["D1",100,null],["D2",250,"M\\\\u00fcller"]]'
        >>> encode_rows([("D1", bytes(1))])
        b'[["D1",{"b64":"AA=="}]]'
    """
    return _rows_json(rows if isinstance(rows, list) else list(rows))


def chunk_digests(
    rows: Sequence[tuple[Value, ...]], chunk: int, encoding: int = ROWS_JSON
) -> bytes:
    """The digests of ``rows`` (tuples), ``chunk`` rows at a time: 16 bytes of SHA-256
    over each chunk's bytes in row ``encoding`` (:func:`encode_rows` for JSON).

    Example:
        >>> one = chunk_digests([("D1", 100), ("D2", 250)], 1)
        >>> len(one), one == chunk_digests([("D1", 100), ("D2", 251)], 1)
        (32, False)
        >>> one[:16] == hashlib.sha256(b'[["D1",100]]').digest()[:16]
        True
    """
    listed = rows if isinstance(rows, list) else list(rows)
    sha = hashlib.sha256
    if encoding == ROWS_JSON:
        return b"".join(
            [
                sha(_rows_json(listed[i : i + chunk])).digest()[:_DIGEST_BYTES]
                for i in range(0, len(listed), chunk)
            ]
        )
    if encoding != ROWS_PICKLE:
        raise ValueError(f"unknown row encoding {encoding}")
    # Encoding 1 as it was written: the chunks pickled one after the other into one
    # buffer (protocol 4, no memo, so equal values encode alike), each chunk hashed.
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True
    dump, tell = pickler.dump, buffer.tell
    ends = [dump(listed[i : i + chunk]) or tell() for i in range(0, len(listed), chunk)]
    view = buffer.getbuffer()
    try:
        starts = [0, *ends[:-1]]
        return b"".join(
            [sha(view[a:b]).digest()[:_DIGEST_BYTES] for a, b in zip(starts, ends, strict=True)]
        )
    finally:
        view.release()


def group_digest(group: SealGroup) -> bytes:
    """The SHA-256 digest of one group: its header, keys, row digests and before-images."""
    h = hashlib.sha256(group.header().encode("utf-8"))
    h.update(hashlib.sha256(group.keys_data).digest())
    h.update(group.digests)
    h.update(hashlib.sha256(group.images_json()).digest())
    return h.digest()


def seal_hash(groups: Iterable[SealGroup | bytes]) -> str:
    """The digest an event carries for the rows its command wrote: over its groups (or
    their :func:`group_digest`), in order.

    Example:
        >>> g = SealGroup("payments", "insert", ("id", "amount_minor"), 1,
        ...               encode_keys(["P1"]), 1, chunk_digests([("P1", 500)], 1))
        >>> seal_hash([g]) == seal_hash([group_digest(g)]) != seal_hash([])
        True
    """
    h = hashlib.sha256(SEAL_FORMAT.encode("ascii"))
    for g in groups:
        h.update(g if isinstance(g, bytes) else group_digest(g))
    return h.hexdigest()


def format_key(columns: Sequence[str], key: Key) -> str:
    """A key for a person: ``D1`` or ``JE0000000001/2``."""
    del columns
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _swapped(
    a: tuple[Value, ...], b: tuple[Value, ...], key_pos: Sequence[int]
) -> tuple[tuple[Value, ...], tuple[Value, ...]]:
    """Rows ``a`` and ``b`` with their keys exchanged (what they held before a swap)."""
    la, lb = list(b), list(a)
    for p in key_pos:
        la[p], lb[p] = a[p], b[p]
    return tuple(la), tuple(lb)


def check_group(
    group: SealGroup,
    keys: Sequence[Key],
    rows: Sequence[tuple[Value, ...] | None],
    *,
    seq: int,
    who: str,
    key_columns: Sequence[str],
) -> list[AuditProblem]:
    """Compare a seal group with its rows as they stand (``None``: the row is gone).

    Args:
        group: The group, of the event ``seq``.
        keys: ``group.row_keys()``.
        rows: The group's rows in ``keys`` order, in ``group.columns``, as they
            stand now (or as a later command found them before changing them).
        seq: The event that wrote the group.
        who: The event for a person (``issue_invoice by ana``).
        key_columns: The table's primary key columns.

    Returns:
        One problem per edited, deleted or reordered row (per chunk of rows, when the
        chunk cannot tell which of its rows changed).
    """
    table, chunk = group.table, group.chunk
    key_pos = [group.columns.index(c) for c in key_columns]
    problems: list[AuditProblem] = []

    def name(i: int) -> str:
        return format_key(key_columns, keys[i])

    for i, row in enumerate(rows):
        if row is None:
            problems.append(
                AuditProblem(
                    seq,
                    "row_deleted",
                    f"{table} row {name(i)} written by event {seq} ({who}) was deleted",
                    table,
                    name(i),
                )
            )
    if group.op == "delete":
        return problems
    for c, start in enumerate(range(0, len(rows), chunk)):
        part = rows[start : start + chunk]
        if any(r is None for r in part):
            continue
        present = [r for r in part if r is not None]
        expected = group.digests[c * _DIGEST_BYTES : (c + 1) * _DIGEST_BYTES]
        if chunk_digests(present, chunk, group.encoding) == expected:
            continue
        names = [format_key(key_columns, keys[start + i]) for i in range(len(present))]
        problems.extend(_chunk_problems(group, present, names, expected, key_pos, seq, who))
    if chunk == 1:
        problems = _pair_swaps(group, keys, rows, problems, key_pos, seq, who)
    return problems


def _chunk_problems(
    group: SealGroup,
    part: list[tuple[Value, ...]],
    names: list[str],
    expected: bytes,
    key_pos: Sequence[int],
    seq: int,
    who: str,
) -> list[AuditProblem]:
    table = group.table
    if len(part) > 1:
        for i, j in itertools.combinations(range(len(part)), 2):
            trial = list(part)
            trial[i], trial[j] = _swapped(part[i], part[j], key_pos)
            if chunk_digests(trial, group.chunk, group.encoding) == expected:
                return [
                    AuditProblem(
                        seq,
                        "row_reordered",
                        f"{table} rows {names[i]} and {names[j]} written by event {seq} "
                        f"({who}) were swapped",
                        table,
                        names[i],
                    )
                ]
        return [
            AuditProblem(
                seq,
                "row_edited",
                f"{table}: one of rows {names[0]} .. {names[-1]} written by event {seq} "
                f"({who}) was changed after it was written",
                table,
                names[0],
            )
        ]
    return [
        AuditProblem(
            seq,
            "row_edited",
            f"{table} row {names[0]} written by event {seq} ({who}) was changed after it "
            "was written",
            table,
            names[0],
        )
    ]


def _pair_swaps(
    group: SealGroup,
    keys: Sequence[Key],
    rows: Sequence[tuple[Value, ...] | None],
    problems: list[AuditProblem],
    key_pos: Sequence[int],
    seq: int,
    who: str,
) -> list[AuditProblem]:
    """Edited rows of a one-row-per-digest group that only exchanged keys: reordered."""
    edited = [p for p in problems if p.kind == "row_edited"]
    if len(edited) < 2 or len(edited) > 64:
        return problems
    index = {format_key((), k): n for n, k in enumerate(keys)}
    digest = group.digests
    pairs: dict[str, str] = {}
    for a, b in itertools.combinations(edited, 2):
        ia, ib = index[a.row], index[b.row]
        ra, rb = rows[ia], rows[ib]
        if ra is None or rb is None or a.row in pairs or b.row in pairs:
            continue
        oa, ob = _swapped(ra, rb, key_pos)
        want_a = digest[ia * _DIGEST_BYTES : (ia + 1) * _DIGEST_BYTES]
        want_b = digest[ib * _DIGEST_BYTES : (ib + 1) * _DIGEST_BYTES]
        if chunk_digests([oa, ob], 1, group.encoding) == want_a + want_b:
            pairs[a.row], pairs[b.row] = b.row, a.row
    if not pairs:
        return problems
    kept = [p for p in problems if p.row not in pairs]
    done: set[str] = set()
    for p in problems:
        if p.row in pairs and p.row not in done:
            other = pairs[p.row]
            done.update((p.row, other))
            kept.append(
                AuditProblem(
                    seq,
                    "row_reordered",
                    f"{group.table} rows {p.row} and {other} written by event {seq} ({who}) "
                    "were swapped",
                    group.table,
                    p.row,
                )
            )
    return kept
