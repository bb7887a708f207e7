"""The audit trail: reading it and checking it was not tampered with."""

from __future__ import annotations

from o2c.audit import AuditEvent, AuditProblem, verify
from o2c.book._area import Area
from o2c.book._session import Session
from o2c.book._tables import audit as audit_table

__all__ = ["AuditMixin", "audit_log", "verify_audit"]


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
    """Every problem of the audit trail's hash chain (none: intact)."""
    with session.store.transaction(write=False):
        head_text = session.setting(audit_table.HEAD_SETTING)
        head = None
        if head_text:
            seq, _, digest = head_text.partition(":")
            head = (int(seq), digest)
        return verify(audit_table.iterate_events(session.store), head=head)


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

    def verify_audit(self) -> tuple[AuditProblem, ...]:
        """Check the whole audit trail's hash chain; return every problem (none: intact).

        Detects an edited event, a deleted event anywhere (also the last ones, through
        the head recorded apart) and a re-linked chain.
        """
        return verify_audit(self._session)
