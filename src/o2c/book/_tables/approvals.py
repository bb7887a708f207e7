"""Approval requests and the roles that decide them: tables ``approvals``, ``actor_roles``.

A request is stored whole as JSON in ``data``, with the columns reports filter on
(action, subject, amount, status, who decided and when) beside it, and the held command
in ``payload``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from o2c.book._codec import as_json
from o2c.cases import ApprovalAction, ApprovalRequest, ApprovalStatus, Role, RoleAssignment
from o2c.io import structure, to_plain
from o2c.store import Store

__all__ = [
    "count_with_role",
    "dump",
    "get_request",
    "grant_role",
    "insert_request",
    "list_requests",
    "revoke_role",
    "role_assignments",
    "save_decision",
    "unapproved_refunds_minor",
]


def dump(value: object) -> str:
    """``value`` as the compact, sorted JSON text stored in a ``data`` column."""
    return json.dumps(to_plain(value), sort_keys=True, separators=(",", ":"))


def _request(row: Sequence[Any]) -> ApprovalRequest:
    return structure(as_json(row[0]), ApprovalRequest)


def get_request(store: Store, approval_id: str) -> ApprovalRequest | None:
    """The approval request ``approval_id``, or None."""
    row = store.query_one("SELECT data FROM approvals WHERE id = ?", (approval_id,))
    return None if row is None else _request(row)


def list_requests(
    store: Store,
    *,
    status: ApprovalStatus | None = None,
    action: ApprovalAction | None = None,
) -> list[ApprovalRequest]:
    """Approval requests in id order (oldest first), optionally of one status or action."""
    where: list[str] = []
    params: list[str] = []
    if status is not None:
        where.append("status = ?")
        params.append(status.value)
    if action is not None:
        where.append("action = ?")
        params.append(action.value)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = store.query(f"SELECT data FROM approvals{clause} ORDER BY id", params)
    return [_request(r) for r in rows]


def _decision_values(
    request: ApprovalRequest, now: str, result: str | None
) -> tuple[str | None, ...]:
    decided_at = None if request.status is ApprovalStatus.PENDING else now
    return (
        request.status.value,
        request.decided_by,
        decided_at,
        None if request.required_role is None else request.required_role.value,
        request.comment,
        dump(request),
        result,
    )


def insert_request(
    store: Store, request: ApprovalRequest, *, now: str, result: str | None = None
) -> None:
    """Store a new request, asked at ``now`` (an ISO timestamp)."""
    amount = request.amount
    store.execute(
        "INSERT INTO approvals (id, action, subject_id, currency, amount_minor,"
        " requested_by, requested_at, reason, payload, status, decided_by, decided_at,"
        " role, comment, data, result_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            request.id,
            request.action.value,
            request.subject_id,
            None if amount is None else amount.currency.code,
            None if amount is None else abs(amount).minor_units,
            request.requested_by,
            now,
            request.reason,
            request.payload or "{}",
            *_decision_values(request, now, result),
        ),
    )


def save_decision(store: Store, request: ApprovalRequest, *, now: str, result: str | None) -> None:
    """Store the decision on a pending request, decided at ``now``.

    ``result`` is the id of what running the held command made, if anything.
    """
    store.execute(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, role = ?,"
        " comment = ?, data = ?, result_id = ? WHERE id = ? AND status = 'pending'",
        (*_decision_values(request, now, result), request.id),
    )


def unapproved_refunds_minor(
    store: Store, customer: str, currency: str, start: str, end: str
) -> int:
    """Minor units refunded to ``customer`` in ``currency`` from ``start`` to ``end`` (ISO
    dates, both included) without an approval (what the policy's running limits count)."""
    row = store.query_one(
        "SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r"
        " WHERE r.customer_id = ? AND r.currency = ? AND r.refund_date >= ?"
        " AND r.refund_date <= ? AND NOT EXISTS (SELECT 1 FROM approvals a"
        " WHERE a.result_id = r.id AND a.status = 'approved')",
        (customer, currency, start, end),
    )
    return int(row[0]) if row and row[0] is not None else 0


# -- roles ------------------------------------------------------------------------------


def role_assignments(store: Store) -> list[RoleAssignment]:
    """Every role assignment, sorted by person, role."""
    rows = store.query("SELECT actor, role FROM actor_roles ORDER BY actor, role")
    return [RoleAssignment(str(a), Role(str(r))) for a, r in rows]


def count_with_role(store: Store, role: Role) -> int:
    """How many people hold ``role``."""
    row = store.query_one("SELECT COUNT(*) FROM actor_roles WHERE role = ?", (role.value,))
    return int(row[0]) if row and row[0] is not None else 0


def grant_role(store: Store, assignment: RoleAssignment, *, granted_by: str, at: str) -> None:
    """Store ``assignment`` (nothing happens when the person holds the role already)."""
    store.execute(
        "INSERT INTO actor_roles (actor, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (actor, role) DO NOTHING",
        (assignment.actor, assignment.role.value, granted_by, at),
    )


def revoke_role(store: Store, actor: str, role: Role) -> bool:
    """Remove ``actor``'s ``role``; whether they held it."""
    return bool(
        store.execute("DELETE FROM actor_roles WHERE actor = ? AND role = ?", (actor, role.value))
    )
