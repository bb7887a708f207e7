"""Collections reads: each customer's last contact (interaction note) up to a time."""

from __future__ import annotations

import datetime as dt

from o2c.book._codec import as_timestamp
from o2c.store import Store

__all__ = ["last_contacts"]


def last_contacts(
    store: Store, before: dt.datetime, customer: str | None = None
) -> dict[str, tuple[dt.datetime, str, str, str]]:
    """Per customer, ``(started, channel, summary, author)`` of its last note that
    started before ``before`` (an aware time)."""
    where, params = (
        "COALESCE(n.started_at, n.created_at) < ?",
        [before.astimezone(dt.UTC).isoformat()],
    )
    if customer is not None:
        where += " AND n.customer_id = ?"
        params.append(customer)
    found: dict[str, tuple[dt.datetime, str, str, str]] = {}
    for cust, started, channel, summary, author in store.query(
        "SELECT n.customer_id, COALESCE(n.started_at, n.created_at), n.channel, n.summary,"
        " n.actor FROM notes n"
        f" WHERE {where} ORDER BY n.customer_id, 2, n.id",
        params,
    ):
        found[str(cust)] = (as_timestamp(started), str(channel), str(summary), str(author))
    return found
