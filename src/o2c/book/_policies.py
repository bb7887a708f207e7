"""Operations policies in book settings: approval thresholds, SLAs, the calendar, numbering.

The settings are flat ``key = value`` text (the operations guide lists the keys); the
rules that read and check them are in :mod:`o2c.cases`. On a book with roles only a
controller may change them (the permission matrix, :mod:`o2c.cases.permissions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from o2c.billing import DocumentKind, NumberSeries
from o2c.book import _issuing as issuing
from o2c.book._issuing import document_kind
from o2c.book._session import Session, Touched
from o2c.book._tables import settings as settings_table
from o2c.calendar import BusinessCalendar
from o2c.cases import (
    POLICY_PREFIXES,
    ApprovalPolicy,
    SlaPolicy,
    approval_policy_from_settings,
    approval_policy_settings,
    calendar_from_settings,
    check_policy_keys,
    merge_policy_settings,
    replacing_settings,
    sla_policy_from_settings,
    sla_policy_settings,
)

__all__ = [
    "approval_policy",
    "business_calendar",
    "policy_settings",
    "set_approval_policy",
    "set_number_series",
    "set_policy_settings",
    "set_sla_policy",
    "sla_policy",
]


def policy_settings(session: Session) -> dict[str, str]:
    """The operations settings (``approval.*``, ``extension.*``, ``sla.*``, ``calendar.*``)."""
    found: dict[str, str] = {}
    for prefix in POLICY_PREFIXES:
        found.update(settings_table.with_prefix(session.store, prefix))
    return {k: found[k] for k in sorted(found) if k.startswith(POLICY_PREFIXES)}


def approval_policy(session: Session) -> ApprovalPolicy:
    """The book's approval policy (no thresholds, 30-day extensions by default)."""
    return approval_policy_from_settings(policy_settings(session))


def sla_policy(session: Session) -> SlaPolicy:
    """The book's dispute SLA policy (10 business days by default)."""
    return sla_policy_from_settings(policy_settings(session))


def business_calendar(session: Session) -> BusinessCalendar:
    """The working days SLAs count in (``calendar.country``, Mexico by default)."""
    return calendar_from_settings(policy_settings(session))


def _check_collections_settings(merged: Mapping[str, str]) -> None:
    # Issue 20's settings are read by o2c.credit; a value it cannot read is refused here,
    # when it is set, not in the middle of a later dunning or bill run.
    from o2c.credit import bill_run_action, grace_from_settings, late_fee_policies

    bill_run_action(merged)
    grace_from_settings(merged)
    late_fee_policies(merged)


def set_policy_settings(
    session: Session,
    settings: Mapping[str, str],
    *,
    replace: bool = False,
    actor: str | None = None,
) -> dict[str, str]:
    """Change operations settings; see :meth:`o2c.Book.set_policy_settings`."""
    check_policy_keys(settings)

    def body(touched: Touched) -> dict[str, Any]:
        merged = merge_policy_settings(policy_settings(session), settings, replace=replace)
        _check_collections_settings(merged)
        for prefix in POLICY_PREFIXES:
            settings_table.delete_with_prefix(session.store, prefix)
        for key, value in sorted(merged.items()):
            session.set_setting(key, value)
        touched.extend(sorted(merged))
        return {}

    session.run(
        "set_policy_settings",
        actor=actor,
        key=None,
        args={"settings": dict(settings), "replace": replace},
        body=body,
    )
    return policy_settings(session)


def set_number_series(
    session: Session, kind: DocumentKind | str, pattern: str | None, *, actor: str | None = None
) -> NumberSeries:
    """Number documents of ``kind`` with ``pattern``; see :meth:`o2c.Book.set_number_series`."""
    kind = document_kind(kind)
    if pattern is not None:
        # Check the pattern before anything runs.
        NumberSeries(issuing.number_series(session, kind).code, pattern)
    key = f"numbering.{kind.value}"

    def body(touched: Touched) -> dict[str, Any]:
        if pattern is None:
            settings_table.delete(session.store, key)
        else:
            session.set_setting(key, pattern)
        touched.add(key)
        return {}

    session.run(
        "set_number_series",
        actor=actor,
        key=None,
        args={"kind": kind.value, "pattern": pattern},
        body=body,
    )
    return issuing.number_series(session, kind)


def set_approval_policy(
    session: Session, policy: ApprovalPolicy, *, actor: str | None = None
) -> ApprovalPolicy:
    """Replace the approval thresholds and extension limit with ``policy``."""
    changes = replacing_settings(
        approval_policy_settings(policy), policy_settings(session), "approval."
    )
    set_policy_settings(session, changes, actor=actor)
    return approval_policy(session)


def set_sla_policy(session: Session, policy: SlaPolicy, *, actor: str | None = None) -> SlaPolicy:
    """Replace the dispute SLA policy with ``policy``."""
    changes = replacing_settings(sla_policy_settings(policy), policy_settings(session), "sla.")
    set_policy_settings(session, changes, actor=actor)
    return sla_policy(session)
