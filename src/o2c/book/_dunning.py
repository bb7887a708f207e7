"""Collections on the book: dunning policies in the settings, the daily dunning run.

The pure rules are :mod:`o2c.dunning`; here the book feeds them its open items (with
disputed parts and extended due dates), each customer's collection segment and the steps
already sent, stores the notices with their rendered letters, and keeps the policies in
the book's settings (``dunning.<segment>`` and ``dunning.<segment>.minimum``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from o2c.book._base import Touched
from o2c.book._codec import as_json
from o2c.book._kpis import KpisMixin
from o2c.dunning import (
    DEFAULT_POLICY,
    DunningAction,
    DunningItem,
    DunningPlan,
    DunningPolicies,
    DunningPolicy,
    DunningSkip,
    plan_dunning,
    render_letter,
)
from o2c.errors import NotFound
from o2c.ids import CustomerId, DocumentId
from o2c.io import structure
from o2c.money import Currency, Money
from o2c.parties import Customer

__all__ = ["DunningMixin", "DunningRun", "SentNotice"]

_PREFIX: Final = "dunning."
_MINIMUM: Final = ".minimum"


@attrs.frozen(slots=True)
class SentNotice:
    """A dunning notice the book sent.

    Attributes:
        id: The notice id.
        run_date: The date of the run that sent it.
        customer: The customer.
        currency: The currency of its items.
        step: The 1-based step of the customer's policy.
        action: What the step does.
        segment: The policy's segment.
        total: What it asks for (open less disputed).
        items: The items it chased.
        letter: The letter as rendered for the customer.
        created_by: Who ran the job.
    """

    id: str
    run_date: dt.date
    customer: CustomerId
    currency: Currency
    step: int
    action: DunningAction
    segment: str
    total: Money
    items: tuple[DunningItem, ...]
    letter: str
    created_by: str


@attrs.frozen(slots=True)
class DunningRun:
    """What a dunning run sent.

    Attributes:
        as_of: The run date.
        notices: The notices sent now.
        skipped: Items past a step left alone, with the reason.
    """

    as_of: dt.date
    notices: tuple[SentNotice, ...]
    skipped: tuple[DunningSkip, ...]

    @property
    def credit_holds(self) -> tuple[CustomerId, ...]:
        """Customers this run put on credit hold."""
        held = {n.customer for n in self.notices if n.action is DunningAction.CREDIT_HOLD}
        return tuple(sorted(held))


class DunningMixin(KpisMixin):
    """Dunning policies, previews, runs and the notices sent."""

    # -- policies -------------------------------------------------------------------------

    def dunning_policies(self) -> DunningPolicies:
        """The dunning policy per collection segment (``standard`` is the default one).

        Without settings, every customer follows :data:`o2c.dunning.DEFAULT_POLICY`.
        """
        rows = self._store.query(
            "SELECT key, value FROM settings WHERE key LIKE 'dunning.%' ORDER BY key"
        )
        values = {str(k): str(v) for k, v in rows}
        policies = []
        for key, steps in values.items():
            if key.endswith(_MINIMUM):
                continue
            segment = key[len(_PREFIX) :]
            minimum = values.get(key + _MINIMUM, "")
            policies.append(DunningPolicy.parse(segment, steps, minimum))
        default = next((p for p in policies if p.segment == DEFAULT_POLICY.segment), DEFAULT_POLICY)
        others = tuple(p for p in policies if p.segment != DEFAULT_POLICY.segment)
        return DunningPolicies(default, others)

    def set_dunning_policy(
        self,
        policy: DunningPolicy,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> DunningPolicies:
        """Set the dunning policy of one collection segment (``standard``: the default).

        Raises:
            PermissionDenied: The book has a controller and ``actor`` is not one.
        """

        def body(touched: Touched) -> dict[str, Any]:
            self._require_controller(self._who(actor), "change the dunning policy")
            key = _PREFIX + policy.segment
            self._set_setting(key, policy.steps_text())
            if policy.minimum:
                self._set_setting(key + _MINIMUM, policy.minimum_text())
            else:
                self._store.execute("DELETE FROM settings WHERE key = ?", (key + _MINIMUM,))
            touched.add(key)
            return {}

        self._run(
            "set_dunning_policy",
            actor=actor,
            key=idempotency_key,
            args={
                "segment": policy.segment,
                "steps": policy.steps_text(),
                "minimum": policy.minimum_text(),
            },
            body=body,
        )
        return self.dunning_policies()

    # -- the run ------------------------------------------------------------------------

    def plan_dunning(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> DunningPlan:
        """The dry run: which notices a run on ``as_of`` would send, writing nothing."""
        with self._store.transaction(write=False):
            return self._dunning_plan(as_of or self._today(), customer)

    def _dunning_plan(self, day: dt.date, customer: str | None) -> DunningPlan:
        items = self.open_items_with_cases(day, customer=customer)
        people = self._people({i.customer for i in items})
        segments = {cid: person.collection_segment for cid, person in people.items()}
        where, params = "", []
        if customer is not None:
            where, params = " WHERE n.customer_id = ?", [customer]
        sent: dict[str, int] = {}
        for doc, step in self._store.query(
            "SELECT i.document_id, MAX(i.step) FROM dunning_items i"
            f" JOIN dunning_notices n ON n.id = i.notice_id{where} GROUP BY i.document_id",
            params,
        ):
            sent[str(doc)] = int(step)
        return plan_dunning(
            items,
            as_of=day,
            policies=self.dunning_policies(),
            segment_of=segments,
            sent=sent,
        )

    def run_dunning(
        self,
        as_of: dt.date | None = None,
        *,
        customer: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> DunningRun:
        """The daily dunning job: send (store and render) the notices due on ``as_of``.

        Each step is sent once per item, also when the job runs twice or two runs
        overlap (the store's key on item and step refuses a second one). Disputed parts
        are not chased; extended items are chased from their new due date.

        Args:
            as_of: The run date (today by default).
            customer: Only this customer's items.
            actor: Who runs it.
            idempotency_key: Repeating the key returns the first run's notices.
        """
        day = as_of or self._today()
        who = self._who(actor)

        def body(touched: Touched) -> dict[str, Any]:
            plan = self._dunning_plan(day, customer)
            people = self._people({n.customer for n in plan.notices})
            ids = []
            for notice in plan.notices:
                person = people[notice.customer]
                letter = render_letter(notice, name=person.legal_name, locale=person.locale)
                notice_id = self._new_id("dunning", "DN")
                self._store.execute(
                    "INSERT INTO dunning_notices (id, run_date, customer_id, currency, step,"
                    " action, segment, total_minor, letter, created_by, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        notice_id,
                        day.isoformat(),
                        notice.customer,
                        notice.currency.code,
                        notice.step,
                        notice.action.value,
                        notice.segment,
                        notice.total.minor_units,
                        letter,
                        who,
                        self._now().isoformat(),
                    ),
                )
                self._store.executemany(
                    "INSERT INTO dunning_items (notice_id, document_id, step, days_past_due,"
                    " open_minor, disputed_minor, chased_minor) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            notice_id,
                            item.document_id,
                            notice.step,
                            item.days_past_due,
                            item.open.minor_units,
                            item.disputed.minor_units,
                            item.chased.minor_units,
                        )
                        for item in notice.items
                    ],
                )
                ids.append(notice_id)
            touched.extend(ids)
            skipped = [[s.document_id, s.number, s.customer, s.reason] for s in plan.skipped]
            return {"ids": ids, "skipped": skipped}

        result = self._run(
            "run_dunning",
            actor=actor,
            key=idempotency_key,
            args={"as_of": day, "customer": customer},
            body=body,
        )
        notices = (
            self._sent_notices(
                "n.id IN (" + ",".join("?" * len(result["ids"])) + ")", result["ids"]
            )
            if result["ids"]
            else []
        )
        skipped = tuple(
            DunningSkip(DocumentId(d), str(n), CustomerId(c), str(r))
            for d, n, c, r in result["skipped"]
        )
        return DunningRun(day, tuple(notices), skipped)

    # -- what was sent ------------------------------------------------------------------

    def list_dunning_notices(
        self, *, customer: str | None = None, document: str | None = None
    ) -> list[SentNotice]:
        """Notices sent, oldest first, optionally of one customer or chasing one document."""
        where, params = [], []
        if customer is not None:
            where.append("n.customer_id = ?")
            params.append(customer)
        if document is not None:
            where.append("n.id IN (SELECT notice_id FROM dunning_items WHERE document_id = ?)")
            params.append(self._doc_id(document))
        return self._sent_notices(" AND ".join(where) or "1 = 1", params)

    def get_dunning_notice(self, notice_id: str) -> SentNotice:
        """The notice with this id.

        Raises:
            NotFound: No such notice.
        """
        found = self._sent_notices("n.id = ?", [notice_id])
        if not found:
            raise NotFound("dunning notice", notice_id)
        return found[0]

    def credit_holds(self, as_of: dt.date | None = None) -> list[CustomerId]:
        """Customers on credit hold: a credit-hold notice chased an item still owed.

        The hold ends by itself when every item it chased is paid, credited, written
        off or disputed in full.
        """
        day = as_of or self._today()
        rows = self._store.query(
            "SELECT DISTINCT n.customer_id, i.document_id FROM dunning_notices n"
            " JOIN dunning_items i ON i.notice_id = n.id"
            " WHERE n.action = ? AND n.run_date <= ?",
            (DunningAction.CREDIT_HOLD.value, day.isoformat()),
        )
        if not rows:
            return []
        owed = {
            i.document_id
            for i in self.open_items_with_cases(day)
            if (i.open - (i.disputed or Money.zero(i.currency))).is_positive
        }
        return sorted({CustomerId(str(c)) for c, d in rows if DocumentId(str(d)) in owed})

    def _people(self, ids: Iterable[str]) -> dict[str, Customer]:
        """The customers with these ids, by id."""
        wanted = sorted(set(ids))
        found: dict[str, Customer] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in self._store.query(
                "SELECT data FROM customers WHERE id IN (" + ",".join("?" * len(chunk)) + ")",
                chunk,
            ):
                person = structure(as_json(row[0]), Customer, converter=self._converter())
                found[str(person.id)] = person
        return found

    def _sent_notices(self, where: str, params: Sequence[str]) -> list[SentNotice]:
        rows = self._store.query(
            "SELECT n.id, n.run_date, n.customer_id, n.currency, n.step, n.action, n.segment,"
            " n.total_minor, n.letter, n.created_by FROM dunning_notices n"
            f" WHERE {where} ORDER BY n.id",
            list(params),
        )
        if not rows:
            return []
        ids = [str(r[0]) for r in rows]
        items: dict[str, list[DunningItem]] = {}
        marks = ",".join("?" * len(ids))
        for row in self._store.query(
            "SELECT i.notice_id, i.document_id, d.number, d.due_date, i.days_past_due,"
            " i.open_minor, i.disputed_minor, i.chased_minor, d.currency, n.run_date"
            " FROM dunning_items i JOIN documents d ON d.id = i.document_id"
            " JOIN dunning_notices n ON n.id = i.notice_id"
            f" WHERE i.notice_id IN ({marks}) ORDER BY i.notice_id, d.due_date, d.number",
            ids,
        ):
            notice_id, doc, number, due, days, open_, disputed, chased, code, run = row
            run_date = _date(run)
            items.setdefault(str(notice_id), []).append(
                DunningItem(
                    DocumentId(str(doc)),
                    str(number),
                    _date(due),
                    run_date - dt.timedelta(days=int(days)),
                    int(days),
                    Money.from_minor(int(open_), str(code)),
                    Money.from_minor(int(disputed), str(code)),
                    Money.from_minor(int(chased), str(code)),
                )
            )
        found = []
        for nid, run, cust, code, step, action, segment, total, letter, by in rows:
            notice_items = sorted(
                items.get(str(nid), []), key=lambda i: (i.effective_due, i.number)
            )
            found.append(
                SentNotice(
                    str(nid),
                    _date(run),
                    CustomerId(str(cust)),
                    Currency.of(str(code)),
                    int(step),
                    DunningAction(str(action)),
                    str(segment),
                    Money.from_minor(int(total), str(code)),
                    tuple(notice_items),
                    str(letter),
                    str(by),
                )
            )
        return found


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
