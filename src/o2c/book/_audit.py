"""The audit trail: reading it and checking it was not tampered with."""

from __future__ import annotations

from o2c.audit import AuditEvent, AuditProblem, verify
from o2c.book._base import BookBase, _event

__all__ = ["AuditMixin"]

_SELECT = "SELECT seq, at, actor, command, args, ids, prev_hash, hash FROM audit_events"


class AuditMixin(BookBase):
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
        sql = _SELECT + " WHERE seq > ?"
        params: list[str | int] = [after]
        if actor is not None:
            sql += " AND actor = ?"
            params.append(actor)
        if command is not None:
            sql += " AND command = ?"
            params.append(command)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_event(row) for row in self._store.query(sql, params)]

    def verify_audit(self) -> tuple[AuditProblem, ...]:
        """Check the whole audit trail's hash chain; return every problem (none: intact).

        Detects an edited event, a deleted event anywhere (also the last ones, through
        the head recorded apart) and a re-linked chain.
        """
        with self._store.transaction(write=False):
            head_text = self._setting("audit.head")
            head = None
            if head_text:
                seq, _, digest = head_text.partition(":")
                head = (int(seq), digest)
            events = (_event(row) for row in self._store.iterate(_SELECT + " ORDER BY seq"))
            return verify(events, head=head)
