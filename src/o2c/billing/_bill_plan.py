"""The bill run's lines of one contract period and of sales orders.

:func:`_plan_contract_period` decides what goes on the invoice of one contract period
(recurring lines in arrears or in advance with their corrections, usage, time, document
discounts, commitment true-ups) as pending lines; :func:`_order_lines` prices sales
orders. :mod:`o2c.billing.billrun` is the public face.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._bill_run_state import _NoRate, _Pending, _Run, _WrongCurrency
from o2c.billing._documents import (
    LineSource,
)
from o2c.calendar import Period
from o2c.contracts import (
    BillingTiming,
    ChargeKind,
    Contract,
    ContractLine,
    ContractVersion,
    SalesOrder,
)
from o2c.errors import NotFound
from o2c.ids import ItemCode
from o2c.money import Money
from o2c.pricing import (
    GraduatedPercentage,
    Percentage,
    StepKind,
    TimeAndMaterials,
    document_discount,
    true_up,
)

_ZERO: Final = Decimal(0)
_TRUE_UP: Final = ItemCode("TRUE-UP")
_DISCOUNT: Final = ItemCode("DISCOUNT")
_HOUR_STEPS: Final = frozenset({StepKind.HOURS, StepKind.OVERTIME})
_PER_TRANSACTION: Final = (Percentage, GraduatedPercentage)


def _covered_days(contract: Contract, period: Period) -> int:
    covered = contract.covers(period)
    return covered.days if covered else 0


def _same_terms(
    run: _Run, old: ContractVersion, new: ContractVersion, line: ContractLine, at: dt.date
) -> bool:
    for other in new.lines:
        if other.id == line.id:
            return (
                other.item == line.item
                and other.quantity == line.quantity
                and other.kind is line.kind
                and run.model_for(other.item, other.model, new, at)
                == run.model_for(line.item, line.model, old, at)
                and old.discounts == new.discounts
            )
    return False


def _plan_start(run: _Run, contract: Contract, p: Period) -> list[_Pending]:
    """The start invoice of an in-advance contract: its first period ``p`` (prorated
    where it starts inside ``p``), recurring lines only, with its document discounts.
    Usage and time of ``p`` go on the invoice of ``p``'s own run key, in arrears."""
    pending: list[_Pending] = []
    for piece, version in contract.pieces(p):
        pending.extend(run.recurring_lines(version, p, piece))
    v_p = contract.version_at(contract.start)
    _add_document_discount(run, v_p, p, pending)
    return pending


def _add_document_discount(
    run: _Run, v_p: ContractVersion, p: Period, pending: list[_Pending]
) -> None:
    """Add the document discounts (no item) on the period's charges, one line per tax
    code of the lines they fall on.

    The discount reduces the taxable base of each tax code pro rata to its lines' nets
    (the rounded discount split by :meth:`~o2c.money.Money.allocate`, largest remainder
    first), so the part falling on zero-rated or exempt lines takes no IVA off the
    standard-rated ones: 100.00 of 10 % off 1,000.00 of services and 1,000.00 of an
    exempt course is -100.00 on each, IVA 144.00, not 128.00.
    """
    if not pending or not any(d.item is None for d in v_p.discounts):
        return
    total = sum((x[4].amount for x in pending), _ZERO)
    off = document_discount(Money(total, v_p.currency), at=p.start, discounts=v_p.discounts)
    if off is None:
        return
    net = off.net(run.inputs.rounding)
    if net.is_zero:
        return
    explain = tuple(step.describe(v_p.currency) for step in off.steps)
    by_code: dict[str, Decimal] = {}
    for x in pending:
        by_code[x[8]] = by_code.get(x[8], _ZERO) + x[4].amount
    # Only codes whose lines charge something share the discount (a code left at or
    # below zero by credits has no base to reduce).
    shares = [(code, base) for code, base in by_code.items() if base > 0]
    if len(shares) <= 1:
        parts = [(shares[0][0] if shares else "", net, explain)]
    else:
        positive = sum((base for _code, base in shares), _ZERO)
        split = net.allocate([base for _code, base in shares])
        parts = [
            (
                code,
                part,
                (
                    *explain,
                    f"share of lines taxed {code or 'standard'}: {base} of {positive}"
                    f" = {part.amount}",
                ),
            )
            for (code, base), part in zip(shares, split, strict=True)
        ]
    for code, part, steps in parts:
        pending.append(
            (_DISCOUNT, "Discount", Decimal(1), None, part, LineSource.DISCOUNT, p, steps, code)
        )


def _plan_contract_period(
    run: _Run,
    contract: Contract,
    p: Period,
    nxt: Period,
    key: str,
    *,
    start_billed: bool = False,
) -> list[_Pending]:
    inputs = run.inputs
    v_p = contract.version_at(max(p.start, contract.start))
    # The contract's first period, unless a start invoice billed it already (then it is
    # settled like any period billed in advance).
    first = contract.start >= p.start and not start_billed
    pending: list[_Pending] = []
    if v_p.timing is BillingTiming.ARREARS or first:
        for piece, version in contract.pieces(p):
            pending.extend(run.recurring_lines(version, p, piece))
    else:
        # Advance-billed period: settle what changed since the advance invoice.
        v0 = contract.version_at(max(p.start, contract.start))
        for piece, version in contract.pieces(p):
            if version is v0:
                continue

            def changed(
                cl: ContractLine, v: ContractVersion = version, at: dt.date = piece.start
            ) -> bool:
                return not _same_terms(run, v0, v, cl, at)

            def added(
                cl: ContractLine, v: ContractVersion = version, at: dt.date = piece.start
            ) -> bool:
                return not _same_terms(run, v, v0, cl, at)

            pending.extend(
                run.recurring_lines(
                    v0, p, piece, sign=-1, note="unused part of previous terms", only=changed
                )
            )
            pending.extend(
                run.recurring_lines(version, p, piece, note="new terms from change", only=added)
            )
        if contract.end is not None and contract.end < p.end:
            # The advance invoice billed v0 for these days too.
            tail = Period(max(contract.end, p.start), p.end)
            pending.extend(
                run.recurring_lines(v0, p, tail, sign=-1, note="unused after termination")
            )
    v_n = contract.version_at(nxt.start)
    if (
        v_n.timing is BillingTiming.ADVANCE
        and contract.start < nxt.start
        and (contract.end is None or contract.end > nxt.start)
    ):
        pending.extend(run.recurring_lines(v_n, nxt, nxt))
    # Usage and time for p, always in arrears, priced as on p's first day.
    seen: set[ItemCode] = set()
    # With several time lines, each entry goes on the first whose model has a rate for
    # its role (the entries are keyed under every time item): never on two lines.
    time_lines = len(
        {cl.item for _pc, v in contract.pieces(p) for cl in v.lines if cl.kind is ChargeKind.TIME}
    )
    claimed: set[str] = set()
    for _piece, version in contract.pieces(p):
        for cl in version.lines:
            if cl.kind is ChargeKind.RECURRING or cl.item in seen:
                continue
            seen.add(cl.item)
            if cl.kind is ChargeKind.USAGE and run.per_event(version.rate_card, cl.item, p.start):
                continue  # charged per event as it arrives (o2c.billing.events)
            model = run.model_for(cl.item, cl.model, version, p.start)
            if cl.kind is ChargeKind.USAGE:
                quantity = inputs.usage.get((key, cl.item), _ZERO)
                # Percentage models charge per transaction: each usage record is one.
                # Other models rate the period's quantity (and keep their rating cache).
                txs = (
                    inputs.transactions.get((key, cl.item))
                    if isinstance(model, _PER_TRANSACTION)
                    else None
                )
                explained = run.rate_explained(model, quantity, version.currency, transactions=txs)
                source = LineSource.USAGE
            else:
                entries = tuple(
                    e
                    for e in inputs.time.get((key, cl.item), ())
                    if e.approved and e.billable and e.id not in claimed
                )
                if time_lines > 1 and isinstance(model, TimeAndMaterials):
                    roles = {rate.role for rate in model.rates}
                    entries = tuple(e for e in entries if e.role in roles)
                claimed.update(e.id for e in entries)
                if not entries:
                    continue
                explained = run.rate_explained(model, _ZERO, version.currency, entries=entries)
                quantity = sum(
                    (s.quantity for s in explained[0].steps if s.kind in _HOUR_STEPS), _ZERO
                )
                source = LineSource.TIME
            line = run.line(
                cl.item,
                cl.description or run.item_name(version, cl.item, p.start),
                quantity,
                explained,
                version,
                source,
                p,
                run.tax_code(version.rate_card, cl.item, p.start, cl.tax_code),
                at=p.start,
            )
            if not line[4].is_zero:
                pending.append(line)
    if time_lines > 1:
        unpriced = sorted(
            {
                (e.role, e.id)
                for (k, _item), entries in inputs.time.items()
                if k == key
                for e in entries
                if e.approved and e.billable and e.id not in claimed
            }
        )
        if unpriced:
            role, entry = unpriced[0]
            raise _NoRate(f"time entry {entry}: no time line of the contract has a rate for {role}")
    _add_document_discount(run, v_p, p, pending)
    # Minimum commitments on the period's charges, prorated to the days covered.
    if v_p.commitments:
        metered = [x for x in pending if x[5] is LineSource.USAGE or x[5] is LineSource.TIME]
        actual: list[_Pending] = []
        for piece, version in contract.pieces(p):
            actual.extend(run.recurring_lines(version, p, piece))
        used = [(str(x[0]), x[4]) for x in metered + actual]
        days = _covered_days(contract, p)
        for commitment in v_p.commitments:
            if days != p.days:
                commitment = attrs.evolve(commitment, amount=commitment.amount * days / p.days)
            shortfall = true_up(commitment, period=p, lines=used, currency=v_p.currency)
            if shortfall is None:
                continue
            net = shortfall.net(inputs.rounding)
            if net.is_zero:
                continue
            pending.append(
                (
                    _TRUE_UP,
                    f"Minimum commitment true-up: {commitment.name}",
                    Decimal(1),
                    None,
                    net,
                    LineSource.TRUE_UP,
                    p,
                    tuple(step.describe(v_p.currency) for step in shortfall.steps),
                    "",
                )
            )
    return pending


def _order_lines(run: _Run, order: SalesOrder, version: ContractVersion | None) -> list[_Pending]:
    out: list[_Pending] = []
    card_code = order.rate_card or (version.rate_card if version else "")
    for ol in order.lines:
        if ol.unit_price is not None:
            if ol.unit_price.currency != order.currency:
                raise _WrongCurrency(
                    f"order {order.id} line {ol.item} is priced in {ol.unit_price.currency}, "
                    f"the order in {order.currency}"
                )
            net = (ol.unit_price * ol.quantity).round(run.inputs.rounding)
            steps: tuple[str, ...] = (
                f"order {order.id}: {ol.quantity} × {ol.unit_price.amount} = {net.amount}",
            )
            price: Money | None = ol.unit_price
        else:
            card = run.inputs.rate_cards.get(card_code)
            if card is None:
                raise _NoRate(f"order {order.id} item {ol.item} has no price and no rate card")
            try:
                model = card.price_for(ol.item, order.order_date).model
            except NotFound as exc:
                raise _NoRate(str(exc)) from None
            if card.currency != order.currency:
                raise _WrongCurrency(
                    f"order {order.id} item {ol.item} is priced on rate card {card.code} in "
                    f"{card.currency}, the order is in {order.currency}"
                )
            rated = run.rate(model, ol.quantity, card.currency)
            net = rated.net(run.inputs.rounding)
            steps = tuple(s.describe(card.currency) for s in rated.steps)
            price = None
        out.append(
            (
                ol.item,
                ol.description or ol.item,
                ol.quantity,
                price,
                net,
                LineSource.ORDER,
                None,
                steps,
                run.tax_code(card_code, ol.item, order.order_date, ol.tax_code),
            )
        )
    return out
