"""Collections: dunning policies and the daily dunning plan (pure).

A **dunning policy** is a list of steps, each a number of days after the effective due
date and an action: a reminder, a statement, a final notice, a credit hold. Policies are
data per collection segment (:attr:`o2c.parties.Customer.collection_segment`), so a team
tunes them without code: ``"3 reminder, 15 statement, 30 final_notice, 45 credit_hold"``.

:func:`plan_dunning` decides, for a date, which step each open item has reached and
which notices to send, one notice per customer, currency and step listing its items.
The rules, each a lesson other billing systems learned the hard way:

* The **effective due date** counts: an item under a payment extension is chased from its
  extended due date (a promise to pay is recorded as an extension).
* **Disputed amounts are not chased**: an item is chased for its open amount less its
  disputed part; an item disputed in full is skipped, and the plan says so.
* An item whose chased amount is below the policy's **minimum** for its currency is
  skipped (no letter for a few cents).
* **A promise to pay holds dunning off** the items it covers while it is pending
  (:mod:`o2c.credit`); a broken or partly kept promise resumes the policy: the item gets
  the step it has reached by then.
* **Each step is sent once per item**: the plan takes the steps already sent and proposes
  only a higher one, so running the job twice a day, or again after a failure, sends
  nothing twice. A first run that finds an item far past due sends the step it has
  reached, not every step it missed.

The Book stores what was sent and renders the letters; a dry run is the plan itself.

>>> import datetime as dt
>>> from o2c.ledger import DocumentKind, OpenItem
>>> from o2c.money import Money
>>> policy = DunningPolicy.parse("standard", "3 reminder, 15 statement, 30 final_notice")
>>> [str(step) for step in policy.steps]
['3 days: reminder', '15 days: statement', '30 days: final_notice']
>>> item = OpenItem("D1", "INV-1", DocumentKind.INVOICE, "C1", Money.of("0", "USD").currency,
...     dt.date(2026, 9, 1), dt.date(2026, 10, 1), Money.of("500.00", "USD"),
...     Money.of("500.00", "USD"), disputed=Money.of("120.00", "USD"))
>>> plan = plan_dunning([item], as_of=dt.date(2026, 10, 20), policies=DunningPolicies(policy))
>>> [(n.customer, n.action.value, str(n.total)) for n in plan.notices]
[('C1', 'statement', '380.00 USD')]
>>> plan_dunning([item], as_of=dt.date(2026, 10, 20), policies=DunningPolicies(policy),
...              sent={"D1": 2}).notices
()
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import OpenItem
from o2c.money import Currency, Money

__all__ = [
    "DEFAULT_POLICY",
    "LETTER_SUBJECTS",
    "MINIMUM_SUFFIX",
    "POLICY_PREFIX",
    "DunningAction",
    "DunningItem",
    "DunningNotice",
    "DunningPlan",
    "DunningPolicies",
    "DunningPolicy",
    "DunningSkip",
    "DunningStep",
    "on_credit_hold",
    "plan_dunning",
    "policies_from_settings",
    "policy_settings",
    "render_letter",
]


class DunningAction(enum.Enum):
    """What a dunning step does."""

    REMINDER = "reminder"
    STATEMENT = "statement"
    FINAL_NOTICE = "final_notice"
    CREDIT_HOLD = "credit_hold"


def _days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("days", value, "a whole number of days >= 0 after the due date")
    return value


@attrs.frozen(slots=True)
class DunningStep:
    """One step of a policy.

    Attributes:
        days: Days after the effective due date from which the step applies.
        action: What it does.
    """

    days: int = attrs.field(converter=_days)
    action: DunningAction

    def __str__(self) -> str:
        return f"{self.days} days: {self.action.value}"


def _steps(value: Iterable[DunningStep]) -> tuple[DunningStep, ...]:
    steps = tuple(value)
    if not steps:
        raise ValidationError("steps", steps, "at least one step")
    for before, after in itertools.pairwise(steps):
        if after.days <= before.days:
            raise ValidationError(
                "steps", str(after), f"days after the previous step's {before.days} days"
            )
    return steps


def _minimum(value: Iterable[Money]) -> tuple[Money, ...]:
    amounts = tuple(value)
    codes = [m.currency.code for m in amounts]
    if len(set(codes)) != len(codes):
        raise ValidationError("minimum", ", ".join(map(str, amounts)), "one amount per currency")
    for amount in amounts:
        if amount.is_negative:
            raise ValidationError("minimum", str(amount), "an amount >= 0")
    return amounts


@attrs.frozen(slots=True)
class DunningPolicy:
    """The dunning steps of one collection segment.

    Attributes:
        segment: The collection segment it applies to.
        steps: Steps by increasing days after due.
        minimum: Per currency, the smallest chased amount worth a letter.
    """

    segment: str
    steps: tuple[DunningStep, ...] = attrs.field(converter=_steps)
    minimum: tuple[Money, ...] = attrs.field(default=(), converter=_minimum)

    @classmethod
    def parse(cls, segment: str, text: str, minimum: str = "") -> DunningPolicy:
        """Read steps written as ``"3 reminder, 15 statement"`` and ``"10.00 USD, 200 MXN"``.

        Raises:
            ValidationError: A step is not ``<days> <action>`` or an amount is not valid.
        """
        steps = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            words = part.split()
            if len(words) != 2 or not words[0].isdigit():
                raise ValidationError(
                    f"dunning.{segment}", part, "'<days> <action>', e.g. '15 statement'"
                )
            try:
                action = DunningAction(words[1].lower().replace("-", "_"))
            except ValueError:
                names = ", ".join(a.value for a in DunningAction)
                raise ValidationError(f"dunning.{segment}", words[1], f"one of {names}") from None
            steps.append(DunningStep(int(words[0]), action))
        amounts = []
        for part in filter(None, (p.strip() for p in minimum.split(","))):
            words = part.split()
            if len(words) != 2:
                raise ValidationError(f"dunning.{segment}.minimum", part, "'<amount> <currency>'")
            amounts.append(Money.of(words[0], words[1].upper()))
        return cls(segment, steps, amounts)

    def steps_text(self) -> str:
        """The steps as :meth:`parse` reads them."""
        return ", ".join(f"{s.days} {s.action.value}" for s in self.steps)

    def minimum_text(self) -> str:
        """The minimums as :meth:`parse` reads them."""
        return ", ".join(str(m) for m in self.minimum)

    def minimum_for(self, currency: Currency) -> Money:
        """The minimum chased amount in a currency (zero when none is set)."""
        for amount in self.minimum:
            if amount.currency == currency:
                return amount
        return Money.zero(currency)

    def reached(self, days_past_due: int) -> int:
        """The 1-based number of the highest step reached (0: none yet)."""
        return sum(1 for step in self.steps if step.days <= days_past_due)


#: The policy of a segment without its own: a reminder 3 days after due, a statement at
#: 15, a final notice at 30 and a credit hold at 45.
DEFAULT_POLICY: Final = DunningPolicy.parse(
    "standard", "3 reminder, 15 statement, 30 final_notice, 45 credit_hold"
)


@attrs.frozen(slots=True)
class DunningPolicies:
    """The policy per collection segment, with a default for the others.

    Attributes:
        default: The policy of any segment not listed.
        segments: Policies of named segments.
    """

    default: DunningPolicy = DEFAULT_POLICY
    segments: tuple[DunningPolicy, ...] = ()

    def for_segment(self, segment: str | None) -> DunningPolicy:
        """The policy of a segment."""
        for policy in self.segments:
            if policy.segment == segment:
                return policy
        return self.default


#: Settings of a segment's policy: ``dunning.<segment>`` holds its steps and
#: ``dunning.<segment>.minimum`` its minimum amounts.
POLICY_PREFIX: Final = "dunning."
MINIMUM_SUFFIX: Final = ".minimum"


def policies_from_settings(values: Mapping[str, str]) -> DunningPolicies:
    """The policies kept as settings (see :data:`POLICY_PREFIX`); others are ignored.

    Without a ``standard`` policy the default one is :data:`DEFAULT_POLICY`.

    >>> policies = policies_from_settings({"dunning.key": "10 reminder",
    ...     "dunning.key.minimum": "5.00 USD"})
    >>> policies.default is DEFAULT_POLICY, [str(s) for s in policies.for_segment("key").steps]
    (True, ['10 days: reminder'])
    """
    policies = []
    for key, steps in sorted(values.items()):
        if not key.startswith(POLICY_PREFIX) or key.endswith(MINIMUM_SUFFIX):
            continue
        segment = key[len(POLICY_PREFIX) :]
        minimum = values.get(key + MINIMUM_SUFFIX, "")
        policies.append(DunningPolicy.parse(segment, steps, minimum))
    default = next((p for p in policies if p.segment == DEFAULT_POLICY.segment), DEFAULT_POLICY)
    others = tuple(p for p in policies if p.segment != DEFAULT_POLICY.segment)
    return DunningPolicies(default, others)


def policy_settings(policy: DunningPolicy) -> tuple[dict[str, str], tuple[str, ...]]:
    """The settings that keep ``policy``: ``(to set, to delete)``.

    The inverse of :func:`policies_from_settings`: a policy without minimum amounts
    deletes its segment's minimum setting.

    >>> policy_settings(DunningPolicy.parse("key", "10 reminder"))
    ({'dunning.key': '10 reminder'}, ('dunning.key.minimum',))
    """
    key = POLICY_PREFIX + policy.segment
    if policy.minimum:
        return {key: policy.steps_text(), key + MINIMUM_SUFFIX: policy.minimum_text()}, ()
    return {key: policy.steps_text()}, (key + MINIMUM_SUFFIX,)


@attrs.frozen(slots=True)
class DunningItem:
    """An open item on a notice.

    Attributes:
        document_id: The invoice or debit note.
        number: Its number.
        due_date: Its own due date.
        effective_due: The due date in force (extended, or its own).
        days_past_due: Days from the effective due date to the run date.
        open: What is open on it.
        disputed: The part under active dispute (not chased).
        chased: What the notice asks for: open less disputed.
    """

    document_id: DocumentId
    number: str
    due_date: dt.date
    effective_due: dt.date
    days_past_due: int
    open: Money
    disputed: Money
    chased: Money


@attrs.frozen(slots=True)
class DunningNotice:
    """One letter: a customer's items that reached the same step, in one currency.

    Attributes:
        customer: The customer.
        currency: The currency of the items.
        step: The 1-based step number in the customer's policy.
        action: What the step does.
        segment: The policy's segment.
        items: The items, oldest effective due date first.
    """

    customer: CustomerId
    currency: Currency
    step: int
    action: DunningAction
    segment: str
    items: tuple[DunningItem, ...]

    @property
    def total(self) -> Money:
        """The amount the notice asks for."""
        return sum((i.chased for i in self.items), Money.zero(self.currency))


@attrs.frozen(slots=True)
class DunningSkip:
    """An item past a step that gets no notice, and why.

    Attributes:
        document_id: The item.
        number: Its number.
        customer: The customer.
        reason: Why it is left alone.
    """

    document_id: DocumentId
    number: str
    customer: CustomerId
    reason: str


@attrs.frozen(slots=True)
class DunningPlan:
    """What a dunning run sends on a date.

    Attributes:
        as_of: The run date.
        notices: Notices, by customer, currency and step.
        skipped: Items past a step left alone, with the reason.
    """

    as_of: dt.date
    notices: tuple[DunningNotice, ...]
    skipped: tuple[DunningSkip, ...]

    @property
    def credit_holds(self) -> tuple[CustomerId, ...]:
        """Customers this run puts on credit hold."""
        held = {n.customer for n in self.notices if n.action is DunningAction.CREDIT_HOLD}
        return tuple(sorted(held))


def plan_dunning(
    items: Iterable[OpenItem],
    *,
    as_of: dt.date,
    policies: DunningPolicies = DunningPolicies(),
    segment_of: Mapping[str, str] | None = None,
    sent: Mapping[str, int] | None = None,
    promised: Mapping[str, str] | None = None,
) -> DunningPlan:
    """The notices to send on ``as_of`` for these open items.

    Args:
        items: Open items with their disputed part and extended due date
            (``Book.open_items_with_cases``).
        as_of: The run date.
        policies: The policies per segment.
        segment_of: Each customer's collection segment (the default policy otherwise).
        sent: Per document id, the highest step number already sent.
        promised: Per document id under a pending promise to pay, why it waits (e.g.
            ``"promised to pay by 2026-11-10 (PTP0000000001)"``): the item is skipped with
            that reason. A broken promise is simply not listed, so the policy resumes.

    Returns:
        The plan: notices grouped per customer, currency and step; skipped items.
    """
    segments = segment_of or {}
    done = sent or {}
    waiting = promised or {}
    groups: dict[tuple[str, str, int], list[DunningItem]] = {}
    policy_of: dict[tuple[str, str, int], DunningPolicy] = {}
    skipped: list[DunningSkip] = []
    for item in items:
        if not item.open.is_positive:
            continue
        policy = policies.for_segment(segments.get(item.customer))
        effective = item.extended_due or item.due_date
        days = (as_of - effective).days
        step = policy.reached(days)
        if step == 0:
            if item.extended_due is not None and policy.reached((as_of - item.due_date).days):
                skipped.append(
                    DunningSkip(
                        item.document_id,
                        item.number,
                        item.customer,
                        f"extended to {item.extended_due.isoformat()}",
                    )
                )
            continue
        if item.document_id in waiting:
            skipped.append(
                DunningSkip(item.document_id, item.number, item.customer, waiting[item.document_id])
            )
            continue
        disputed = item.disputed or Money.zero(item.currency)
        chased = item.open - disputed.min(item.open)
        if not chased.is_positive:
            skipped.append(
                DunningSkip(item.document_id, item.number, item.customer, "disputed in full")
            )
            continue
        minimum = policy.minimum_for(item.currency)
        if chased < minimum:
            skipped.append(
                DunningSkip(
                    item.document_id,
                    item.number,
                    item.customer,
                    f"{chased} is below the minimum {minimum}",
                )
            )
            continue
        if step <= done.get(item.document_id, 0):
            continue
        key = (str(item.customer), item.currency.code, step)
        policy_of[key] = policy
        groups.setdefault(key, []).append(
            DunningItem(
                item.document_id,
                item.number,
                item.due_date,
                effective,
                days,
                item.open,
                disputed.min(item.open),
                chased,
            )
        )
    notices = []
    for key in sorted(groups):
        customer, code, step = key
        policy = policy_of[key]
        rows = sorted(groups[key], key=lambda i: (i.effective_due, i.number))
        notices.append(
            DunningNotice(
                CustomerId(customer),
                Currency.of(code),
                step,
                policy.steps[step - 1].action,
                policy.segment,
                tuple(rows),
            )
        )
    skipped.sort(key=lambda s: (s.customer, s.number))
    return DunningPlan(as_of, tuple(notices), tuple(skipped))


def on_credit_hold(held: Iterable[tuple[str, str]], items: Iterable[OpenItem]) -> list[CustomerId]:
    """Customers on credit hold: a credit-hold notice chased an item they still owe.

    The hold ends by itself when every item it chased is paid, credited, written off or
    disputed in full: an item is owed while its open amount less its disputed part is
    positive.

    Args:
        held: ``(customer, document)`` of each item a credit-hold notice chased.
        items: The open items now, with their disputed parts
            (``Book.open_items_with_cases``).

    Returns:
        The customers, sorted.
    """
    owed = {
        i.document_id
        for i in items
        if (i.open - (i.disputed or Money.zero(i.currency))).is_positive
    }
    return sorted({CustomerId(str(c)) for c, d in held if DocumentId(str(d)) in owed})


_OPENING: Final = {
    DunningAction.REMINDER: "This is a friendly reminder that the following items are past due.",
    DunningAction.STATEMENT: "Our records show the following items are still open and past due.",
    DunningAction.FINAL_NOTICE: (
        "FINAL NOTICE: the following items remain unpaid despite our earlier reminders."
    ),
    DunningAction.CREDIT_HOLD: (
        "Your account is on credit hold until the following past-due items are paid."
    ),
}

#: The subject of each step's letter (an e-mail's subject line).
LETTER_SUBJECTS: Final = {
    DunningAction.REMINDER: "Payment reminder",
    DunningAction.STATEMENT: "Past-due items",
    DunningAction.FINAL_NOTICE: "Final notice",
    DunningAction.CREDIT_HOLD: "Credit hold",
}


def _english(message: str) -> str:
    return message


def render_letter(
    notice: DunningNotice,
    *,
    name: str,
    locale: str = "en_US",
    gettext: Callable[[str], str] | None = None,
) -> str:
    """The notice as a plain-text letter, amounts formatted for the customer's locale.

    Disputed parts are shown and not asked for. ``gettext`` translates the letter's
    English texts (the book passes the catalog of the customer's locale,
    :func:`o2c.io.delivery.translator`); without it the letter is in English. Dates are
    written as ISO dates (2026-10-01), read alike in every language.

    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> usd = Money.of("0", "USD").currency
    >>> row = DunningItem("D1", "INV-1", dt.date(2026, 10, 1), dt.date(2026, 10, 1), 19,
    ...     Money.of("500.00", usd), Money.of("120.00", usd), Money.of("380.00", usd))
    >>> notice = DunningNotice("C1", usd, 1, DunningAction.REMINDER, "standard", (row,))
    >>> print(render_letter(notice, name="Acme Inc."))
    Dear Acme Inc.,
    <BLANKLINE>
    This is a friendly reminder that the following items are past due.
    <BLANKLINE>
      INV-1  due 2026-10-01  19 days past due  open $500.00  disputed $120.00  due now $380.00
    <BLANKLINE>
    Total due now: $380.00
    <BLANKLINE>
    If you have already paid, please disregard this letter.
    """
    _ = gettext or _english
    lines = [_("Dear {name},").format(name=name), "", _(_OPENING[notice.action]), ""]
    for item in notice.items:
        parts = [
            item.number,
            _("due {date}").format(date=item.effective_due.isoformat()),
            _("{days} days past due").format(days=item.days_past_due),
            _("open {amount}").format(amount=item.open.format(locale)),
        ]
        if item.disputed.is_positive:
            parts.append(_("disputed {amount}").format(amount=item.disputed.format(locale)))
        parts.append(_("due now {amount}").format(amount=item.chased.format(locale)))
        lines.append("  " + "  ".join(parts))
    lines += ["", _("Total due now: {amount}").format(amount=notice.total.format(locale)), ""]
    lines.append(_("If you have already paid, please disregard this letter."))
    return "\n".join(lines)
