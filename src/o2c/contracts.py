"""Contracts and sales orders: what was agreed with a customer.

A :class:`Contract` is a list of effective-dated :class:`ContractVersion` values. A
version is never edited: :func:`amend` returns a new contract with one more version,
effective from a date, and :func:`terminate` sets the end date. The bill run asks
:meth:`Contract.version_at` and :meth:`Contract.pieces` which terms applied on which days.

A :class:`SalesOrder` holds one-time lines (hardware, set-up fees, services) billed once.

Example:
    >>> import datetime as dt
    >>> from o2c.calendar import BillingCycle, Cycle
    >>> v1 = ContractVersion(
    ...     effective_from=dt.date(2026, 10, 1),
    ...     lines=(ContractLine("seats", ItemCode("PLAN-BASIC"), ChargeKind.RECURRING,
    ...                         Decimal(10)),),
    ...     cycle=BillingCycle(Cycle.MONTHLY, dt.date(2026, 10, 1)),
    ...     currency=Currency.of("USD"),
    ...     rate_card="STANDARD",
    ... )
    >>> c = Contract(ContractId("K-1"), CustomerId("C-1"), (v1,))
    >>> c2 = amend(c, dt.date(2026, 10, 15), lines=(
    ...     ContractLine("seats", ItemCode("PLAN-PRO"), ChargeKind.RECURRING, Decimal(10)),))
    >>> [str(p) for p, v in c2.pieces(Period.month(2026, 10))]
    ['2026-10-01..2026-10-15', '2026-10-15..2026-11-01']
    >>> c2.version_at(dt.date(2026, 10, 20)).lines[0].item
    'PLAN-PRO'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

import attrs

from o2c.calendar import BillingCycle, PaymentTerms, Period
from o2c.errors import ValidationError
from o2c.ids import ContractId, CustomerId, DocumentId, ItemCode
from o2c.money import Currency, Money
from o2c.pricing import Commitment, Discount, PriceModel, PriceOverride

__all__ = [
    "BillingTiming",
    "ChargeKind",
    "Contract",
    "ContractLine",
    "ContractStatus",
    "ContractVersion",
    "OrderLine",
    "SalesOrder",
    "amend",
    "check_update",
    "terminate",
    "time_items",
]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)


class BillingTiming(enum.Enum):
    """When a recurring charge is billed relative to the period it covers."""

    ADVANCE = "advance"
    ARREARS = "arrears"


class ChargeKind(enum.Enum):
    """What a contract line bills."""

    RECURRING = "recurring"
    USAGE = "usage"
    TIME = "time"


class ContractStatus(enum.Enum):
    """Where a contract stands on a date."""

    PENDING = "pending"
    ACTIVE = "active"
    ENDED = "ended"


def _decimal(value: object) -> Decimal:
    from o2c.money import parse_decimal

    return parse_decimal(value, "quantity")


@attrs.frozen(slots=True)
class ContractLine:
    """A subscription or a metered item on a contract.

    Attributes:
        id: Line id, stable across versions (so a change of plan on the same line is an
            upgrade of that line, prorated).
        item: Item code looked up in the rate card.
        kind: Recurring, usage or time & materials.
        quantity: Quantity of a recurring line (seats, licences); ignored for usage and
            time, whose quantities come from the records.
        description: Text on the invoice; the item code when empty.
        model: A price model agreed for this line, used instead of the rate card's.
        tax_code: Tax code (item tax class) for the line; the default when empty.
    """

    id: str
    item: ItemCode
    kind: ChargeKind = ChargeKind.RECURRING
    quantity: Decimal = attrs.field(default=_ONE, converter=_decimal)
    description: str = ""
    model: PriceModel | None = None
    tax_code: str = ""


@attrs.frozen(slots=True)
class ContractVersion:
    """The terms of a contract from a date on. Never edited; see :func:`amend`.

    Attributes:
        effective_from: First day these terms apply.
        lines: Subscriptions and metered items.
        cycle: Billing cycle and anchor.
        currency: Contract currency (must be the customer's billing currency).
        rate_card: Code of the rate card prices come from.
        timing: Recurring charges billed in advance or in arrears (usage and time are
            always in arrears).
        overrides: Negotiated prices (:class:`o2c.pricing.PriceOverride`).
        discounts: Line discounts (with an item) and document discounts (without), as
            :class:`o2c.pricing.Discount`.
        commitments: Minimum commitments per billing period, trued up
            (:class:`o2c.pricing.Commitment`).
        po_number: Customer purchase order number for invoices of this contract.
        payment_terms: Terms that override the customer's.
        locale: Document locale that overrides the customer's.
    """

    effective_from: dt.date
    lines: tuple[ContractLine, ...]
    cycle: BillingCycle
    currency: Currency
    rate_card: str = ""
    timing: BillingTiming = BillingTiming.ADVANCE
    overrides: tuple[PriceOverride, ...] = ()
    discounts: tuple[Discount, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    po_number: str | None = None
    payment_terms: PaymentTerms | None = None
    locale: str | None = None

    def __attrs_post_init__(self) -> None:
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise ValidationError("lines", ids, "unique line ids")

    def override_for(self, item: ItemCode, day: dt.date) -> PriceModel | None:
        """The negotiated price model of ``item`` on ``day``, if any.

        When several overrides of the item are in effect, the one that started last
        wins (as :func:`o2c.pricing.resolve_item` decides).
        """
        chosen: PriceOverride | None = None
        for override in self.overrides:
            if (
                override.item == item
                and override.in_effect(day)
                and (chosen is None or override.effective_from >= chosen.effective_from)
            ):
                chosen = override
        return None if chosen is None else chosen.model


@attrs.frozen(slots=True)
class Contract:
    """A customer's contract: versions in effective-date order, and an optional end.

    Attributes:
        id: Contract id.
        customer_id: Customer billed.
        versions: Versions sorted by ``effective_from``; the first starts the contract.
        end: First day no longer covered (``None``: open-ended).
    """

    id: ContractId
    customer_id: CustomerId
    versions: tuple[ContractVersion, ...]
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise ValidationError("versions", [], "at least one contract version")
        for earlier, later in zip(self.versions, self.versions[1:], strict=False):
            if later.effective_from <= earlier.effective_from:
                raise ValidationError(
                    "versions",
                    str(later.effective_from),
                    f"versions in increasing effective_from order (after {earlier.effective_from})",
                )
        if self.end is not None and self.end <= self.start:
            raise ValidationError("end", str(self.end), f"a date after the start {self.start}")

    @property
    def start(self) -> dt.date:
        """First day of the contract."""
        return self.versions[0].effective_from

    @property
    def current(self) -> ContractVersion:
        """The latest version."""
        return self.versions[-1]

    @property
    def span(self) -> tuple[dt.date, dt.date | None]:
        """``(start, end)``; end ``None`` when open-ended."""
        return self.start, self.end

    def status_on(self, day: dt.date) -> ContractStatus:
        """Pending before the start, active inside, ended from the end date on."""
        if day < self.start:
            return ContractStatus.PENDING
        if self.end is not None and day >= self.end:
            return ContractStatus.ENDED
        return ContractStatus.ACTIVE

    def covers(self, period: Period) -> Period | None:
        """The part of ``period`` the contract covers (``period`` itself when whole), or
        ``None``."""
        start = self.versions[0].effective_from
        end = self.end
        if start <= period.start and (end is None or end >= period.end):
            return period
        end = period.end if end is None or end > period.end else end
        start = start if start > period.start else period.start
        return Period(start, end) if start < end else None

    def version_at(self, day: dt.date) -> ContractVersion:
        """The version in effect on ``day`` (the first one before the start).

        Example:
            See the module docstring.
        """
        versions = self.versions
        if len(versions) == 1:
            return versions[0]
        chosen = versions[0]
        for version in versions:
            if version.effective_from <= day:
                chosen = version
            else:
                break
        return chosen

    def pieces(self, period: Period) -> Iterator[tuple[Period, ContractVersion]]:
        """Cut the covered part of ``period`` where versions change.

        Yields:
            ``(piece, version)`` pairs in date order.
        """
        covered = self.covers(period)
        if covered is None:
            return
        if len(self.versions) == 1:
            yield covered, self.versions[0]
            return
        day = covered.start
        while day < covered.end:
            version = self.version_at(day)
            next_change = covered.end
            for later in self.versions:
                if later.effective_from > day:
                    next_change = min(next_change, later.effective_from)
                    break
            yield Period(day, next_change), version
            day = next_change


def amend(contract: Contract, effective_from: dt.date, **changes: object) -> Contract:
    """Return ``contract`` with a new version from ``effective_from``.

    The new version copies the version in effect on that date with ``changes`` applied
    (any :class:`ContractVersion` field). Versions already effective on or after that
    date are replaced: an amendment states the terms from then on.

    A PO number alone may be given from the contract's first day: the first version takes
    it and later versions stay (the customer's purchase order often comes after the
    contract was entered, and the bill run refuses a customer's invoices without it). A
    PO is a reference, not a term: no amount changes, and issued invoices keep the PO
    they were issued with.

    Raises:
        ValidationError: The date is before the contract start or after its end (on the
            start with anything but ``po_number``), or a change names an unknown field.
    """
    if effective_from == contract.start and set(changes) == {"po_number"}:
        po = changes["po_number"]
        if po is not None and not isinstance(po, str):
            raise ValidationError("po_number", po, "a purchase order number (text)")
        first = attrs.evolve(contract.versions[0], po_number=po)
        return attrs.evolve(contract, versions=(first, *contract.versions[1:]))
    if effective_from <= contract.start:
        raise ValidationError(
            "effective_from",
            str(effective_from),
            f"a date after the contract start {contract.start} (start a new contract instead)",
        )
    if contract.end is not None and effective_from >= contract.end:
        raise ValidationError(
            "effective_from", str(effective_from), f"a date before the contract end {contract.end}"
        )
    fields = attrs.fields_dict(ContractVersion)
    unknown = sorted(set(changes) - set(fields) | ({"effective_from"} & set(changes)))
    if unknown:
        raise ValidationError("changes", unknown, "fields of ContractVersion except effective_from")
    base = contract.version_at(effective_from)
    new = attrs.evolve(base, effective_from=effective_from, **changes)  # type: ignore[arg-type]
    kept = tuple(v for v in contract.versions if v.effective_from < effective_from)
    return attrs.evolve(contract, versions=(*kept, new))


def terminate(contract: Contract, end: dt.date) -> Contract:
    """Return ``contract`` ending on ``end`` (the first day no longer covered).

    Raises:
        ValidationError: ``end`` is not after the start.
    """
    return attrs.evolve(contract, end=end)


def check_update(stored: Contract, changed: Contract) -> None:
    """Check that ``changed`` may replace ``stored``: its versions begin with the stored
    ones, unchanged (a version is never edited; amend with a new one instead).

    The one change a stored version may take is the first version's PO number (see
    :func:`amend`).

    Raises:
        ValidationError: A stored version was changed or dropped.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle
        >>> v1 = ContractVersion(dt.date(2026, 10, 1), (), BillingCycle(Cycle.MONTHLY,
        ...     dt.date(2026, 10, 1)), Currency.of("USD"), rate_card="STANDARD")
        >>> c = Contract(ContractId("K-1"), CustomerId("C-1"), (v1,))
        >>> check_update(c, amend(c, dt.date(2026, 11, 1), rate_card="NEW"))
        >>> check_update(c, attrs.evolve(c, versions=(attrs.evolve(v1, rate_card="NEW"),)))
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: ...
    """
    kept = changed.versions[: len(stored.versions)]
    if kept and kept[0] != stored.versions[0]:
        # Only the first version's PO may differ: compare it with the stored PO put back.
        kept = (attrs.evolve(kept[0], po_number=stored.versions[0].po_number), *kept[1:])
    if kept != stored.versions:
        raise ValidationError(
            "versions",
            changed.id,
            "the stored versions unchanged, with new effective-dated versions after them",
        )


def time_items(contract: Contract) -> frozenset[ItemCode]:
    """The items ``contract`` bills time for, in any of its versions (a bill run keys the
    contract's time entries under each of them)."""
    return frozenset(
        line.item for v in contract.versions for line in v.lines if line.kind is ChargeKind.TIME
    )


@attrs.frozen(slots=True)
class OrderLine:
    """A one-time line of a sales order.

    Attributes:
        item: Item code.
        quantity: Quantity ordered.
        unit_price: Agreed price of one unit; ``None`` to take it from the rate card.
        description: Text on the invoice.
        tax_code: Tax code (item tax class); the default when empty.
    """

    item: ItemCode
    quantity: Decimal = attrs.field(converter=_decimal)
    unit_price: Money | None = None
    description: str = ""
    tax_code: str = ""


@attrs.frozen(slots=True)
class SalesOrder:
    """A one-time order billed once (run key ``order:<id>``).

    Attributes:
        id: Order id.
        customer_id: Customer billed.
        order_date: Date ordered.
        currency: Order currency.
        lines: One-time lines.
        contract_id: Contract it belongs to, if any (its rate card and PO apply).
        po_number: Purchase order number.
        delivery_date: Date delivered; an order is billed in the run whose cut-off is on
            or after it (on or after the order date when ``None``).
        rate_card: Rate card for lines without a price.
        invoice_id: Set once billed (by the book); informative only.
    """

    id: str
    customer_id: CustomerId
    order_date: dt.date
    currency: Currency
    lines: tuple[OrderLine, ...]
    contract_id: ContractId | None = None
    po_number: str | None = None
    delivery_date: dt.date | None = None
    rate_card: str = ""
    invoice_id: DocumentId | None = None

    def __attrs_post_init__(self) -> None:
        if not self.lines:
            raise ValidationError("lines", [], "at least one order line")

    @property
    def run_key(self) -> str:
        """The key that makes billing this order idempotent."""
        return f"order:{self.id}"

    @property
    def billable_from(self) -> dt.date:
        """First date the order may be billed."""
        return self.delivery_date or self.order_date
