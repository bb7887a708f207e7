"""Roles in the billing team: who holds which role.

What each role may run is the permission matrix (:mod:`o2c.cases.permissions`), checked
by the session for every command, these included: a book without roles is open (someone
has to set it up); until it has a controller anyone holding a role may assign and revoke
roles; from then on only a controller may.
"""

from __future__ import annotations

from typing import Any

from o2c.book._session import Session, Touched
from o2c.book._tables import approvals as approvals_table
from o2c.cases import Role, RoleAssignment, parse_role, roles_of
from o2c.errors import NotFound

__all__ = ["assign_role", "person_roles", "revoke_role", "roles"]


def roles(session: Session, person: str | None = None) -> list[RoleAssignment]:
    """Role assignments, of everyone or of ``person`` (sorted by person, role)."""
    found = approvals_table.role_assignments(session.store)
    if person is None:
        return found
    return [a for a in found if roles_of(person, [a])]


def person_roles(session: Session, person: str) -> frozenset[Role]:
    """The roles ``person`` holds (names compared ignoring case)."""
    return roles_of(person, roles(session))


def assign_role(
    session: Session,
    person: str,
    role: Role | str,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> RoleAssignment:
    """Give ``person`` a role; see :meth:`o2c.Book.assign_role`."""
    wanted = parse_role(role)
    assignment = RoleAssignment(person, wanted)

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        approvals_table.grant_role(
            session.store, assignment, granted_by=who, at=session.now().isoformat()
        )
        touched.add(assignment.actor)
        return {}

    session.run(
        "assign_role",
        actor=actor,
        key=idempotency_key,
        args={"person": assignment.actor, "role": wanted},
        body=body,
    )
    return assignment


def revoke_role(
    session: Session, person: str, role: Role | str, *, actor: str | None = None
) -> None:
    """Take a role away from ``person``; see :meth:`o2c.Book.revoke_role`.

    Raises:
        NotFound: ``person`` does not hold ``role``.
    """
    wanted = parse_role(role)

    def body(touched: Touched) -> dict[str, Any]:
        if not approvals_table.revoke_role(session.store, person.strip(), wanted):
            raise NotFound("role assignment", f"{person} {wanted.value}")
        touched.add(person.strip())
        return {}

    session.run(
        "revoke_role", actor=actor, key=None, args={"person": person, "role": wanted}, body=body
    )
