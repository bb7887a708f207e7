"""Collections on the book: dunning policies in the settings, the daily dunning run.

The pure rules are :mod:`o2c.dunning`; here the book feeds them its open items (with
disputed parts and extended due dates), each customer's collection segment and the steps
already sent, stores the notices with their rendered letters, and keeps the policies in
the book's settings (``dunning.<segment>`` and ``dunning.<segment>.minimum``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from o2c.book._approval_requests import new_id
from o2c.book._area import Area
from o2c.book._delivery import (
    Delivery,
    customer_recipients,
    list_deliveries,
    message_id,
    record_delivery,
    send_message,
    sender_address,
    server_settings,
)
from o2c.book._late_fees import (
    ChargedLateFee,
    LateFeePlan,
    charge_late_fees,
    charged_late_fees,
    late_fee_plan,
)
from o2c.book._lookups import document_id
from o2c.book._promises import promised_items
from o2c.book._reports import open_items_with_cases
from o2c.book._session import Session, Touched
from o2c.book._tables import customers as customers_table
from o2c.book._tables import dunning as dunning_table
from o2c.dunning import (
    DunningAction,
    DunningItem,
    DunningPlan,
    DunningPolicies,
    DunningPolicy,
    DunningSkip,
    on_credit_hold,
    plan_dunning,
    policies_from_settings,
    policy_settings,
    render_letter,
)
from o2c.errors import NotFound, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.money import Currency, Money
from o2c.parties import Customer

if TYPE_CHECKING:
    from o2c.io.delivery import SmtpSettings

__all__ = [
    "DunningMixin",
    "DunningRun",
    "LetterDeliveries",
    "SentNotice",
    "credit_holds",
    "dunning_plan",
    "dunning_policies",
    "list_dunning_notices",
    "run_dunning",
    "send_dunning_notices",
    "sent_notices",
    "set_dunning_policy",
]


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
        late_fees: The late fees charged now, each by its debit note
            (the ``late_fee.<segment>`` policies; none without one).
    """

    as_of: dt.date
    notices: tuple[SentNotice, ...]
    skipped: tuple[DunningSkip, ...]
    late_fees: tuple[ChargedLateFee, ...] = ()

    @property
    def credit_holds(self) -> tuple[CustomerId, ...]:
        """Customers this run put on credit hold."""
        held = {n.customer for n in self.notices if n.action is DunningAction.CREDIT_HOLD}
        return tuple(sorted(held))


# -- policies ---------------------------------------------------------------------------


def dunning_policies(session: Session) -> DunningPolicies:
    """The dunning policy per collection segment, from the book's settings."""
    return policies_from_settings(dunning_table.policy_settings(session.store))


def set_dunning_policy(
    session: Session,
    policy: DunningPolicy,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> DunningPolicies:
    """Set the dunning policy of one collection segment; see the facade."""
    to_set, to_delete = policy_settings(policy)

    def body(touched: Touched) -> dict[str, Any]:
        for key, value in to_set.items():
            session.set_setting(key, value)
        for key in to_delete:
            dunning_table.remove_setting(session.store, key)
        touched.add(next(iter(to_set)))
        return {}

    session.run(
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
    return dunning_policies(session)


# -- the run -------------------------------------------------------------------------------


def _people(session: Session, ids: Iterable[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    customers_table.load_into(session.store, ids, found, converter=session.converter())
    return found


def dunning_plan(session: Session, day: dt.date, customer: str | None = None) -> DunningPlan:
    """Which notices a run on ``day`` would send (inside the caller's transaction)."""
    items = open_items_with_cases(session, day, customer=customer)
    people = _people(session, {i.customer for i in items})
    return plan_dunning(
        items,
        as_of=day,
        policies=dunning_policies(session),
        segment_of={cid: person.collection_segment for cid, person in people.items()},
        sent=dunning_table.steps_sent(session.store, customer),
        promised={
            doc: f"promised to pay by {o.promise.promised_on.isoformat()} ({o.promise.id})"
            for doc, o in promised_items(session, day, customer).items()
        },
    )


def run_dunning(
    session: Session,
    as_of: dt.date | None = None,
    *,
    customer: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> DunningRun:
    """The daily dunning job; see :meth:`DunningMixin.run_dunning`."""
    from o2c.io.delivery import translator

    day = as_of or session.today()
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        plan = dunning_plan(session, day, customer)
        people = _people(session, {n.customer for n in plan.notices})
        ids = []
        for notice in plan.notices:
            person = people[notice.customer]
            letter = render_letter(
                notice,
                name=person.legal_name,
                locale=person.locale,
                gettext=translator(person.locale),
            )
            notice_id = new_id(session, "dunning", "DN")
            dunning_table.insert_notice(
                session.store,
                notice_id,
                notice,
                run_date=day,
                letter=letter,
                created_by=who,
                created_at=session.now().isoformat(),
            )
            ids.append(notice_id)
        touched.extend(ids)
        skipped = [[s.document_id, s.number, s.customer, s.reason] for s in plan.skipped]
        fees = charge_late_fees(session, day, customer, touched)
        return {"ids": ids, "skipped": skipped, "fees": fees}

    result = session.run(
        "run_dunning",
        actor=actor,
        key=idempotency_key,
        args={"as_of": day, "customer": customer},
        body=body,
    )
    notices = sent_notices(session, ids=result["ids"]) if result["ids"] else []
    skipped = tuple(
        DunningSkip(DocumentId(d), str(n), CustomerId(c), str(r))
        for d, n, c, r in result["skipped"]
    )
    fees = result.get("fees") or []
    charged = charged_late_fees(session, debit_notes=list(fees)) if fees else []
    return DunningRun(day, tuple(notices), skipped, tuple(charged))


# -- what was sent ---------------------------------------------------------------------------


def sent_notices(
    session: Session,
    *,
    ids: Sequence[str] | None = None,
    customer: str | None = None,
    document: str | None = None,
) -> list[SentNotice]:
    """Notices sent, by id: these ``ids``, of a customer, or chasing a document (an id)."""
    return [
        SentNotice(
            row.id,
            row.run_date,
            row.customer,
            row.currency,
            row.step,
            row.action,
            row.segment,
            row.total,
            items,
            row.letter,
            row.created_by,
        )
        for row, items in dunning_table.notices(
            session.store, ids=ids, customer=customer, document=document
        )
    ]


def list_dunning_notices(
    session: Session, *, customer: str | None = None, document: str | None = None
) -> list[SentNotice]:
    """Notices sent, oldest first, of a customer or chasing a document (id or number)."""
    doc = None if document is None else document_id(session, document)
    return sent_notices(session, customer=customer, document=doc)


def credit_holds(session: Session, as_of: dt.date | None = None) -> list[CustomerId]:
    """Customers on credit hold as of a date; see :func:`o2c.dunning.on_credit_hold`."""
    day = as_of or session.today()
    held = dunning_table.credit_hold_items(session.store, day)
    if not held:
        return []
    return on_credit_hold(held, open_items_with_cases(session, day))


@attrs.frozen(slots=True)
class LetterDeliveries:
    """What sending dunning letters did.

    Attributes:
        deliveries: One delivery per letter e-mailed (sent or failed).
        skipped: ``(notice id, reason)`` of each letter not e-mailed: sent already, or a
            customer without an e-mail address.
    """

    deliveries: tuple[Delivery, ...]
    skipped: tuple[tuple[str, str], ...]


def _letter_sender(session: Session, smtp: SmtpSettings, sender: str | None) -> tuple[str, Any]:
    from o2c.book._sellers import seller_identity

    try:
        seller = seller_identity(session)
    except NotFound:
        seller = None
    return sender_address(seller, smtp, sender), seller


def send_dunning_notices(
    session: Session,
    notice_ids: Sequence[str],
    *,
    smtp: SmtpSettings | None = None,
    sender: str | None = None,
    again: bool = False,
    actor: str | None = None,
) -> LetterDeliveries:
    """E-mail stored dunning letters; see :meth:`DunningMixin.send_dunning_notices`."""
    from o2c.io.delivery import letter_message

    session.authorize("send_dunning_notices", actor)
    with session.store.transaction(write=False):
        notices = sent_notices(session, ids=list(notice_ids))
        found = {n.id for n in notices}
        missing = [i for i in notice_ids if i not in found]
        if missing:
            raise NotFound("dunning notice", missing[0])
        settings = server_settings(session, smtp)
        from_address, seller = _letter_sender(session, settings, sender)
        done = {d.notice for d in list_deliveries(session, notices=found) if d.sent}
        people = _people(session, {n.customer for n in notices})
    deliveries: list[Delivery] = []
    skipped: list[tuple[str, str]] = []
    for notice in notices:
        person = people[notice.customer]
        if notice.id in done and not again:
            skipped.append((notice.id, "sent already"))
            continue
        try:
            recipients = customer_recipients(person, None)
        except ValidationError as exc:
            skipped.append((notice.id, str(exc)))
            continue
        stamp = session.now()
        message = letter_message(
            notice.letter,
            notice.action,
            sender=from_address,
            recipients=recipients,
            when=stamp,
            message_id=message_id(from_address, stamp),
            locale=person.locale,
            seller=seller,
        )
        error = send_message(message, settings)
        deliveries.append(
            record_delivery(
                session,
                "send_dunning_notices",
                message,
                customer=str(person.id),
                error=error,
                notice_id=notice.id,
                actor=actor,
            )
        )
    return LetterDeliveries(tuple(deliveries), tuple(skipped))


class DunningMixin(Area):
    """Dunning policies, previews, runs and the notices sent."""

    # -- policies -------------------------------------------------------------------------

    def dunning_policies(self) -> DunningPolicies:
        """The dunning policy per collection segment (``standard`` is the default one).

        Without settings, every customer follows :data:`o2c.dunning.DEFAULT_POLICY`.
        """
        return dunning_policies(self._session)

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
        return set_dunning_policy(
            self._session, policy, actor=actor, idempotency_key=idempotency_key
        )

    # -- the run ------------------------------------------------------------------------

    def plan_dunning(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> DunningPlan:
        """The dry run: which notices a run on ``as_of`` would send, writing nothing."""
        with self._session.store.transaction(write=False):
            return dunning_plan(self._session, as_of or self._session.today(), customer)

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
        are not chased; extended items are chased from their new due date; the items of
        a pending promise to pay wait. Where a ``late_fee.<segment>`` policy is set, the
        run also charges late fees on overdue invoices by debit notes
        (:meth:`plan_late_fees`), never on disputed or extended ones.

        Args:
            as_of: The run date (today by default).
            customer: Only this customer's items.
            actor: Who runs it.
            idempotency_key: Repeating the key returns the first run's notices.
        """
        return run_dunning(
            self._session,
            as_of,
            customer=customer,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    # -- what was sent ------------------------------------------------------------------

    def list_dunning_notices(
        self, *, customer: str | None = None, document: str | None = None
    ) -> list[SentNotice]:
        """Notices sent, oldest first, optionally of one customer or chasing one document."""
        return list_dunning_notices(self._session, customer=customer, document=document)

    def get_dunning_notice(self, notice_id: str) -> SentNotice:
        """The notice with this id.

        Raises:
            NotFound: No such notice.
        """
        found = sent_notices(self._session, ids=[notice_id])
        if not found:
            raise NotFound("dunning notice", notice_id)
        return found[0]

    def send_dunning_notices(
        self,
        notice_ids: Sequence[str],
        *,
        smtp: SmtpSettings | None = None,
        sender: str | None = None,
        again: bool = False,
        actor: str | None = None,
    ) -> LetterDeliveries:
        """E-mail the letters of these notices (``run_dunning(...).notices``) to their
        customers, in the language each letter was written in, and record each delivery
        (:meth:`list_deliveries` with ``notices=``).

        A letter sent already is skipped unless ``again``; so is one whose customer has
        no e-mail address (the reason is returned). A server that cannot be reached gives
        ``failed`` deliveries.

        Args:
            notice_ids: The notices.
            smtp: The server (default: the book's ``smtp.*`` settings).
            sender: The From address (default: the seller's e-mail, else ``smtp.sender``).
            again: Send letters that were sent already.
            actor: Who sends them.

        Raises:
            NotFound: A notice does not exist.
            ValidationError: No server, or no sender.
        """
        return send_dunning_notices(
            self._session, notice_ids, smtp=smtp, sender=sender, again=again, actor=actor
        )

    def plan_late_fees(
        self, as_of: dt.date | None = None, *, customer: str | None = None
    ) -> LateFeePlan:
        """The late fees a dunning run on ``as_of`` would charge, writing nothing
        (:func:`o2c.credit.plan_late_fees`; the ``late_fee.<segment>`` policies)."""
        with self._session.store.transaction(write=False):
            return late_fee_plan(self._session, as_of or self._session.today(), customer)

    def list_late_fees(self, *, document: str | None = None) -> list[ChargedLateFee]:
        """Late fees charged, by debit note, optionally on one invoice (id or number)."""
        with self._session.store.transaction(write=False):
            doc = None if document is None else document_id(self._session, document)
            return charged_late_fees(self._session, document=doc)

    def credit_holds(self, as_of: dt.date | None = None) -> list[CustomerId]:
        """Customers on credit hold: a credit-hold notice chased an item still owed.

        The hold ends by itself when every item it chased is paid, credited, written
        off or disputed in full.
        """
        return credit_holds(self._session, as_of)
