"""Invoices outside the bill run: manual invoices and invoices for a sales order.

A manual invoice has lines typed by a person; above the book's threshold it needs an
approver who is not the requester (see :func:`~o2c.billing.needs_approval` and the book's
approvals). An order invoice bills one :class:`~o2c.contracts.SalesOrder` now, the same
way a bill run would, with the order's run key so a later run does not bill it again.

Example:
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from o2c.billing import TaxContext
    >>> from o2c.ids import CustomerId, DocumentId, ItemCode
    >>> from o2c.money import Currency, Money
    >>> from o2c.parties import Address, Customer
    >>> from o2c.tax import TaxProfile, bundled_table
    >>> mxn = Currency.of("MXN")
    >>> acme = Customer(CustomerId("C-1"), "ACME", Address("Calle 1", "CDMX", "06600", "MX"),
    ...                 "MX", mxn)
    >>> tax = TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table("MX"))
    >>> draft = manual_invoice(DocumentId("M-1"), acme, [
    ...     ManualLine(ItemCode("TRAINING"), Decimal(2), Money.of("1500.00", mxn), "Training day")],
    ...     tax=tax, tax_point=dt.date(2026, 10, 20))
    >>> str(draft.totals.net), str(draft.totals.tax), draft.lines[0].source.value
    ('3000.00 MXN', '480.00 MXN', 'manual')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.billing._documents import Document, DocumentLine, LineSource, snapshot
from o2c.billing.billrun import BillRunInputs, _NoRate, _order_lines, _Run, _WrongCurrency
from o2c.billing.lifecycle import draft_document
from o2c.billing.taxing import TaxContext, apply_tax, item_tax_code
from o2c.billing.validation import BillRunPolicy, validate_invoice
from o2c.contracts import SalesOrder
from o2c.errors import NotFound, ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.money import DEFAULT_ROUNDING, Money, Rounding, parse_decimal
from o2c.parties import Customer
from o2c.pricing import Item, RateCard, quote

__all__ = ["ManualLine", "manual_invoice", "order_invoice"]

_ZERO: Final = Decimal(0)


def _quantity(value: object) -> Decimal:
    return parse_decimal(value, "quantity")


@attrs.frozen(slots=True)
class ManualLine:
    """A line typed by a person.

    Attributes:
        item: Item code.
        quantity: Quantity (> 0).
        unit_price: Price of one unit, in the invoice currency; ``None`` to price the
            line from the rate card given to :func:`manual_invoice`.
        description: Text on the invoice; the rate card's item name or the item code
            when empty.
        tax_code: Tax class for the rate table (``"services"`` when empty), or an
            EN 16931 category code (``"E"``, ``"O"``) to force one. When empty and the
            item is on the rate card, the item's tax category applies (``Z`` for
            zero-rated food, ``E`` for exempt education...).
        discount_percent: Line discount in percent, applied before rounding.
    """

    item: ItemCode
    quantity: Decimal = attrs.field(converter=_quantity)
    unit_price: Money | None = None
    description: str = ""
    tax_code: str = ""
    discount_percent: Decimal = _ZERO


def manual_invoice(
    id: DocumentId,
    customer: Customer,
    lines: Sequence[ManualLine],
    *,
    tax: TaxContext,
    tax_point: dt.date,
    rate_card: RateCard | None = None,
    po_number: str | None = None,
    notes: Sequence[str] = (),
    rounding: Rounding = DEFAULT_ROUNDING,
) -> Document:
    """Draft a manual invoice: nets rounded per line, taxed by the tax engine.

    A line without a unit price is priced from ``rate_card`` on ``tax_point`` (with the
    rating steps as its explanation). Every line of an item on ``rate_card`` is taxed by
    the item's tax category unless the line names its own tax code.

    Raises:
        ValidationError: No lines, a quantity that is not positive, a negative price or
            one in another currency than the customer's, a line without a price and no
            rate card that prices it, a line whose amount rounds to nothing, an invoice of
            zero, or a discount outside 0-100 (the message names the line).
    """
    if not lines:
        raise ValidationError("lines", [], "at least one line")
    cur = customer.currency
    if rate_card is not None and rate_card.currency != cur:
        raise ValidationError(
            "rate_card", rate_card.code, f"a rate card in {cur} (it is in {rate_card.currency})"
        )
    doc_lines = []
    for index, ml in enumerate(lines):
        field = f"lines[{index}]"
        if ml.quantity <= 0:
            raise ValidationError(f"{field}.quantity", str(ml.quantity), "a quantity > 0")
        if not (_ZERO <= ml.discount_percent <= 100):
            raise ValidationError(f"{field}.discount_percent", str(ml.discount_percent), "0-100")
        listed = _listed(rate_card, ml.item, tax_point)
        if ml.unit_price is None:
            if rate_card is None or listed is None:
                raise ValidationError(
                    f"{field}.unit_price",
                    None,
                    f"a price for {ml.item}, or a rate card that lists it",
                )
            rated = quote(rate_card, ml.item, ml.quantity, at=tax_point)
            exact = rated.net().amount
            explain = [step.describe(cur) for step in rated.steps]
        else:
            if ml.unit_price.currency != cur:
                raise ValidationError(
                    f"{field}.unit_price", str(ml.unit_price), f"a price in {cur} (the customer's)"
                )
            if ml.unit_price.is_negative:
                raise ValidationError(
                    f"{field}.unit_price",
                    str(ml.unit_price),
                    "a price of zero or more (correct an invoice with a credit note)",
                )
            exact = ml.unit_price.amount * ml.quantity
            explain = [f"{ml.quantity} × {ml.unit_price}"]
        if ml.discount_percent:
            exact -= exact * ml.discount_percent / 100
            explain.append(f"discount {ml.discount_percent} %")
        net = Money(exact, cur).round(rounding)
        if net.is_zero and exact != 0:
            raise ValidationError(
                f"{field}.quantity",
                str(ml.quantity),
                f"a quantity whose amount is at least one {cur} minor unit "
                f"({exact:f} rounds to {net})",
            )
        category = listed.tax_category if listed is not None else ""
        doc_lines.append(
            DocumentLine(
                index + 1,
                ml.item,
                ml.description or (listed.name if listed is not None else "") or ml.item,
                ml.quantity,
                ml.unit_price,
                net,
                source=LineSource.MANUAL,
                explain=tuple(explain),
                tax_code=ml.tax_code or item_tax_code(category),
            )
        )
    if all(line.net.is_zero for line in doc_lines):
        raise ValidationError("lines", "0", "at least one line with an amount (this invoice is 0)")
    taxed, breakdown, tax_notes = apply_tax(doc_lines, customer, tax, tax_point)
    return draft_document(
        id,
        snapshot(customer),
        cur,
        taxed,
        breakdown=breakdown,
        tax_point=tax_point,
        po_number=po_number,
        payment_terms=str(customer.payment_terms),
        notes=(*tax_notes, *notes),
        explain=tax.explanation(),
    )


def _listed(card: RateCard | None, item: str, day: dt.date) -> Item | None:
    """The rate card's item ``item`` on ``day``, or None (no card, or not on it)."""
    if card is None or item not in card.item_codes:
        return None
    try:
        return card.price_for(item, day)
    except NotFound:
        return None


def order_invoice(
    id: DocumentId,
    order: SalesOrder,
    customer: Customer,
    *,
    tax: TaxContext,
    tax_point: dt.date,
    rate_cards: Mapping[str, RateCard] | None = None,
    policy: BillRunPolicy | None = None,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> Document:
    """Draft the invoice of one sales order now (run key ``order:<id>``).

    Lines without a price are priced from the order's rate card on the order date.

    Raises:
        ValidationError: The order is not the customer's, a line has no price or a price
            in another currency, or the draft fails validation (every problem is named in
            the message).
    """
    if order.customer_id != customer.id:
        raise ValidationError("order.customer_id", order.customer_id, f"the customer {customer.id}")
    run = _Run(BillRunInputs({customer.id: customer}, rate_cards or {}, tax, rounding=rounding))
    try:
        pending = _order_lines(run, order, None)
    except _NoRate as exc:
        raise ValidationError(
            "order.lines", order.id, "a price for every line", message=str(exc)
        ) from None
    except _WrongCurrency as exc:
        raise ValidationError(
            "order.lines",
            order.id,
            f"prices in the order currency {order.currency}",
            message=str(exc),
        ) from None
    lines, breakdown, notes, _totals = run.tax(pending, customer, tax_point, order.currency)
    draft = draft_document(
        id,
        snapshot(customer),
        order.currency,
        lines,
        breakdown=breakdown,
        tax_point=tax_point,
        po_number=order.po_number,
        payment_terms=str(customer.payment_terms),
        run_key=order.run_key,
        notes=notes,
        explain=tax.explanation(),
    )
    problems = validate_invoice(draft, customer, policy or BillRunPolicy())
    if problems:
        raise ValidationError(
            "order",
            order.id,
            "a billable order",
            message=f"order {order.id} cannot be invoiced: " + "; ".join(str(p) for p in problems),
        )
    return draft
