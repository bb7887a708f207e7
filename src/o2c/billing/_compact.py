"""The bill run's compact path: stored contracts of the common shapes straight to values.

Most contracts of a book are plain: one version billed in arrears, one billing period
in the run and covering it whole, recurring lines with their own per-unit or graduated
prices, no overrides, discounts, commitments, usage or time. :class:`CompactPlanner` reads
such a contract in its stored (JSON) form and computes what the general planner
(:func:`~o2c.billing.plan_bill_run`) would put on its invoice (lines, line taxes, the
tax breakdown and the totals), as the plain values the store keeps, without building
the contract or the document as objects. It rates through the pricing core
(:func:`o2c.pricing.rate`, cached per stored model and quantity), applies the general
path's rules (``line_unit_price``, ``card_item_name``, the buyer tax id categories of
:mod:`o2c.billing.validation`), and its invoices post through
:func:`o2c.ledger.posting.post_invoice_minor`.

Anything else goes to the general planner, always with a reason
(:meth:`CompactPlanner.plan_or_reason`): a shape :func:`compact_shape_reason` names, a
run :func:`compact_run_reason` names (another tax scope or policy), a posting month
:func:`closed_posting_reason` names, a customer or contract the invoice would fail
validation for, a zero or negative total, an item whose rate-card tax category is not
the standard one (``Z``, ``E``...: the general planner taxes it through the engine, with
the category's legal note), a tax the per-line tax shapes do not cover (a tax-exempt
customer, say), or a core error (the general planner maps those to exceptions-queue problems). The
tests in ``tests/perf_equivalence`` check that both paths store the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from o2c.billing._bill_run_state import _MISSING, _Run, card_item_name, card_item_tax_code
from o2c.billing._documents import CustomerSnapshot
from o2c.billing.compact_eligibility import CompactRunTerms, compact_ineligibility
from o2c.billing.validation import _NEEDS_BUYER_TAX_ID
from o2c.calendar import BillingCycle, Cycle, PaymentTerms, Period
from o2c.errors import O2CError
from o2c.money import MAX_INTEGER_DIGITS, Currency
from o2c.parties import Customer
from o2c.tax import TaxProfile, default_regime

if TYPE_CHECKING:
    pass

__all__ = [
    "CompactInvoice",
    "CompactPlanner",
    "compact_shape_reason",
]

_CONTRACT_KEYS: Final = frozenset({"id", "customer_id", "versions", "end"})
_VERSION_KEYS: Final = frozenset(
    {
        "effective_from",
        "lines",
        "cycle",
        "currency",
        "rate_card",
        "timing",
        "overrides",
        "discounts",
        "commitments",
        "po_number",
        "payment_terms",
        "locale",
    }
)
_LINE_KEYS: Final = frozenset(
    {"id", "item", "kind", "quantity", "description", "model", "tax_code"}
)
_PER_UNIT_KEYS: Final = frozenset(
    {"type", "unit_price", "free_units", "minimum", "maximum", "allow_credits"}
)
_GRADUATED_KEYS: Final = frozenset({"type", "tiers", "free_units", "minimum", "maximum"})
_TIER_KEYS: Final = frozenset({"up_to", "unit_price", "flat_fee"})


class CompactInvoice:
    """One invoice of the compact path, as stored values (number and entry id to come).

    ``lines`` are ``document_lines`` rows, ``taxes`` ``document_taxes`` rows; ``tax_by_code``
    is the tax per tax (``MX-IVA``) in minor units, in the order the posting lists them;
    dates are ISO texts (``start`` and ``stop`` of the period, ``due``).
    """

    __slots__ = (
        "contract_id",
        "currency",
        "customer_id",
        "doc_id",
        "due",
        "gross",
        "key",
        "lines",
        "net",
        "notes",
        "period",
        "po_number",
        "snapshot",
        "start",
        "stop",
        "tax",
        "tax_by_code",
        "taxes",
        "terms",
    )

    def __init__(
        self,
        key: str,
        doc_id: str,
        contract_id: str,
        customer_id: str,
        currency: Currency,
        period: Period,
        period_texts: tuple[str, str],
        po_number: str | None,
        terms: str,
        due: str,
        snapshot: CustomerSnapshot,
        notes: str,
        net: int,
        tax: int,
        lines: list[tuple[Any, ...]],
        taxes: list[tuple[Any, ...]],
        tax_by_code: list[tuple[str, int]],
    ) -> None:
        self.key = key
        self.doc_id = doc_id
        self.contract_id = contract_id
        self.customer_id = customer_id
        self.currency = currency
        self.period = period
        self.start, self.stop = period_texts
        self.po_number = po_number
        self.terms = terms
        self.due = due
        self.snapshot = snapshot
        self.notes = notes
        self.net = net
        self.tax = tax
        self.gross = net + tax
        self.lines = lines
        self.taxes = taxes
        self.tax_by_code = tax_by_code


# The pricing core's rating of the two stored shapes the compact path bills (per-unit
# and graduated, without free units, minimum or maximum), on the stored texts: the
# exact amount, the stored explanation (``Step.describe(currency)`` of each step, as
# compact JSON) and the unit price the line shows (``line_unit_price``). Going through
# ``o2c.pricing.rate`` itself costs about 30 µs a line (model objects, steps, texts),
# which would make a 100k bill run half again as slow; these are property-tested equal
# to it for every input (tests/perf_equivalence/test_compact_rating.py,
# test_compact_currency.py, test_compact_posting.py).

# The texts are ASCII but for the "×", which JSON writes as an escape.
_TIMES: Final = " \\u00d7 "
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def _text(value: Decimal, places: int = 0) -> str:
    """A step number as ``Step.describe`` prints it: no exponent, trailing zeros
    trimmed down to ``places`` decimals."""
    text = str(value)
    if "E" in text:
        text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0")
        missing = places - (len(text) - text.index(".") - 1)
        if missing > 0:
            return text + "0" * missing
        return text[:-1] if text[-1] == "." else text
    return f"{text}.{'0' * places}" if places else text


def _units_text(label: str, quantity: Decimal, price: Decimal, amount: Decimal, places: int) -> str:
    return f"{label}: {_text(quantity)}{_TIMES}{_text(price, places)} = {_text(amount, places)}"


def _places(currency: Currency | int) -> int:
    return currency if isinstance(currency, int) else currency.minor_units


def _per_unit(
    model: Mapping[str, Any], quantity: Decimal, currency: Currency | int = 0
) -> tuple[Decimal, str, str | None]:
    """A stored per-unit model rated: one step."""
    price = Decimal(model["unit_price"])
    amount = quantity * price
    explain = f'["{_units_text("units", quantity, price, amount, _places(currency))}"]'
    return amount, explain, str(price) if price else None


def _graduated(
    model: Mapping[str, Any], quantity: Decimal, currency: Currency | int = 0
) -> tuple[Decimal, str, str | None]:
    """A stored graduated model rated: a step per tier used (and per flat fee)."""
    places = _places(currency)
    texts: list[str] = []
    total = lower = _ZERO
    single: Decimal | None = None
    for tier_no, tier in enumerate(model["tiers"], 1):
        if tier_no > 1 and quantity <= lower:
            break
        fee = Decimal(tier["flat_fee"])
        if fee:
            texts.append(_units_text(f"tier {tier_no} flat fee", _ONE, fee, fee, places))
            total += fee
        raw = tier["up_to"]
        up_to = None if raw is None else Decimal(raw)
        top = quantity if up_to is None or quantity <= up_to else up_to
        units = top - lower
        price = Decimal(tier["unit_price"])
        amount = units * price
        texts.append(_units_text(f"tier {tier_no} units", units, price, amount, places))
        if not texts[:-1] and units == quantity:
            single = price
        total += amount
        if up_to is None or quantity <= up_to:
            break
        lower = up_to
    # line_unit_price: a unit price only for a single step over the whole quantity.
    unit_price = str(single) if single and len(texts) == 1 else None
    return total, '["' + '","'.join(texts) + '"]', unit_price


_Rater = Callable[[Mapping[str, Any], Decimal, "Currency | int"], tuple[Decimal, str, str | None]]

#: The rater per stored model type (of the shapes :func:`_line_reason` lets through).
_MODELS: Final[dict[str, _Rater]] = {"PerUnit": _per_unit, "Graduated": _graduated}


def compact_shape_reason(data: Mapping[str, Any]) -> str | None:
    """Why the stored contract ``data`` (its JSON, decoded) is not of a shape the compact
    path bills, or ``None`` when it is: one version billed in arrears, no overrides,
    discounts, commitments or payment terms of its own, recurring lines only, each with
    a per-unit or graduated model without free units, minimum or maximum.

    Example:
        >>> compact_shape_reason({"id": "K1"})
        'a stored contract of another shape'
    """
    why = _version_reason(data)
    if why is not None:
        return why
    for line in data["versions"][0]["lines"]:
        why = _line_reason(line)
        if why is not None:
            return why
    return None


def _version_reason(data: Mapping[str, Any]) -> str | None:
    """:func:`compact_shape_reason` but for the lines (:func:`_line_reason`)."""
    if data.keys() != _CONTRACT_KEYS:
        return "a stored contract of another shape"
    versions = data["versions"]
    if len(versions) != 1:
        return "several contract versions"
    v = versions[0]
    if v.keys() != _VERSION_KEYS:
        return "a contract version of another stored shape"
    if v["timing"] != "arrears":
        return "billed in advance"
    if v["overrides"] or v["discounts"] or v["commitments"]:
        return "price overrides, discounts or commitments"
    if v["payment_terms"] is not None:
        return "payment terms of the contract's own"
    if not v["lines"]:
        return "no lines"
    return None


def _line_reason(line: Mapping[str, Any]) -> str | None:
    """Why the compact path leaves a stored contract line (``None``: it bills it)."""
    if line.keys() != _LINE_KEYS:
        return "a contract line of another stored shape"
    if line["kind"] != "recurring":
        return "a usage, time or one-time line"
    model = line["model"]
    if model is None:
        return "a line priced by the rate card"
    kind = model.get("type")
    if kind == "PerUnit":
        if model.keys() != _PER_UNIT_KEYS:
            return "a per-unit model of another stored shape"
    elif kind == "Graduated":
        if model.keys() != _GRADUATED_KEYS:
            return "a graduated model of another stored shape"
        tiers = model["tiers"]
        if not tiers:
            return "a graduated model without tiers"
        for tier in tiers:
            if tier.keys() != _TIER_KEYS:
                return "a graduated model of another stored shape"
    else:
        return f"a {kind} price model"
    if model["free_units"] != "0" or model["minimum"] is not None or model["maximum"] is not None:
        return "a price model with free units, a minimum or a maximum"
    if line["quantity"][0] == "-":
        return "a negative quantity"
    return None


class CompactPlanner:
    """Plans plain contracts of one bill run on the compact path (see the module doc).

    Args:
        run: The general planner's per-run state (rate cards, tax context, rounding;
            its tax shapes and customer profiles are shared).
        period: The run period.
        invoice_date: Date, tax point and posting date of the invoices.
        tax_json: The stored JSON of one charged line tax ``(code, category, rate,
            tax)``, as the text before and after its amount in minor units.
    """

    def __init__(
        self,
        run: _Run,
        period: Period,
        invoice_date: dt.date,
        *,
        tax_json: Callable[[str, str, Decimal, str], tuple[str, str]],
    ) -> None:
        inputs = run.inputs
        self._tax_json = tax_json
        self._run = run
        self._period = period
        self._day = invoice_date
        self._rounding = inputs.rounding.value
        ctx = inputs.tax
        regime = ctx.regime or default_regime(ctx.seller.country)
        self._tax_rounding = regime.rounding.value
        #: Why the compact path is off for this run (``None``: it is on).
        self.reason = compact_ineligibility(
            CompactRunTerms(inputs.tax, inputs.policy, invoice_date, posts=False)
        )
        self.enabled = self.reason is None
        self._notes = (regime.describe(),)
        self._cycles: dict[tuple[str, str], tuple[tuple[Period, Period, str], ...]] = {}
        self._dates: dict[str, dt.date] = {}
        self._period_texts: dict[int, tuple[Period, str, str]] = {}
        self._names: dict[tuple[str, str, dt.date], str] = {}
        self._categories: dict[tuple[str, str, dt.date], str] = {}
        self._due: dict[str, str] = {}
        self._customers: dict[int, tuple[Any, ...]] = {}
        self._currencies: dict[str, Currency] = {}

    def _date(self, text: str) -> dt.date:
        day = self._dates.get(text)
        if day is None:
            day = self._dates[text] = dt.date.fromisoformat(text)
        return day

    def _texts(self, period: Period) -> tuple[str, str]:
        texts = self._period_texts.get(id(period))
        if texts is None or texts[0] is not period:
            texts = self._period_texts[id(period)] = (
                period,
                period.start.isoformat(),
                period.end.isoformat(),
            )
        return texts[1], texts[2]

    def _periods(self, cycle: Mapping[str, Any]) -> tuple[tuple[Period, Period, str], ...]:
        key = (cycle["cycle"], cycle["anchor"])
        hit = self._cycles.get(key)
        if hit is None:
            billing = BillingCycle(Cycle(key[0]), dt.date.fromisoformat(key[1]))
            hit = self._cycles[key] = self._run.cycle_periods(billing, self._period)
        return hit

    def _name(self, card_code: str, item: str, at: dt.date) -> str:
        key = (card_code, item, at)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = card_item_name(
                self._run.inputs.rate_cards, card_code, item, at
            )
        return name

    def _category(self, card_code: str, item: str, at: dt.date) -> str:
        """The tax code of ``item``'s tax category on the card (``""``: the standard one)."""
        key = (card_code, item, at)
        code = self._categories.get(key)
        if code is None:
            code = self._categories[key] = card_item_tax_code(
                self._run.inputs.rate_cards, card_code, item, at
            )
        return code

    def _shape_info(
        self,
        shapes: dict[str, tuple[tuple[str, str, Decimal, str, str], ...] | None],
        buyer: TaxProfile,
        tax_code: str,
        currency: Currency,
    ) -> tuple[Any, ...] | None:
        """What a line with ``tax_code`` needs of its tax shape (``None``: not here).

        The shape (tax code, category, rate, tax) comes from the tax engine through
        the general planner's cache: per line, each tax is round(net x rate).
        """
        if tax_code not in shapes:
            shapes[tax_code] = self._run._shape(buyer, tax_code, self._day, currency)
        shape = shapes[tax_code]
        if shape is None:
            return None
        entries = []
        for code, category, tax_rate, tax, label in shape:
            head, tail = self._tax_json(code, category, tax_rate, tax)
            entries.append(
                (
                    code,
                    tax_rate,
                    tax or code,
                    (code, category, str(tax_rate), tax, label),
                    head,
                    tail,
                )
            )
        # The line's tax category is its first tax's ("O", out of scope, with none).
        category = shape[0][1] if shape else "O"
        needs_id = any(c in _NEEDS_BUYER_TAX_ID for _code, c, _rate, _tax, _label in shape)
        return (
            tuple(
                ((code, rate), key, rate, head, tail, row)
                for code, rate, key, row, head, tail in entries
            ),
            category,
            needs_id,
            "[",
            "]",
        )

    def _buyer(self, customer: Customer) -> tuple[Any, ...]:
        """What every invoice of ``customer`` shares, computed once per run: whether it
        passes the customer half of validate_invoice (default policy: a tax id when
        required, a complete billing address), its snapshot, the tax shapes cache of its
        tax profile, the line tax information per tax code, payment terms and due date."""
        hit = self._customers.get(id(customer))
        if hit is None or hit[0] is not customer:
            address = customer.billing_address
            ok = (customer.tax_id is not None or not customer.tax_id_required) and (
                address is not None and address.is_complete
            )
            run = self._run
            buyer = run.profile(customer, self._day)
            outer = (buyer, self._day, customer.currency.code)
            shapes = run.tax_shapes.get(outer)
            if shapes is None:
                shapes = run.tax_shapes[outer] = {}
            terms = run.terms_text(customer.payment_terms)
            hit = self._customers[id(customer)] = (
                customer,
                ok,
                run.snapshot(customer),
                buyer,
                shapes,
                {},
                terms,
                self._due_date(terms),
            )
        return hit

    def _due_date(self, terms: str) -> str:
        due = self._due.get(terms)
        if due is None:
            day = PaymentTerms.parse(terms or "net 30").due_date(self._day)
            due = self._due[terms] = day.isoformat()
        return due

    def plan(
        self, data: Mapping[str, Any], customer: Customer | None, doc_prefix: str = "B:"
    ) -> CompactInvoice | None:
        """The invoice of a stored contract, or ``None`` for the general planner."""
        planned = self.plan_or_reason(data, customer, doc_prefix)
        return None if isinstance(planned, str) else planned

    def plan_or_reason(
        self, data: Mapping[str, Any], customer: Customer | None, doc_prefix: str = "B:"
    ) -> CompactInvoice | str:
        """The invoice of a stored contract, or why the general planner bills it.

        A core error on the way (a tax the engine refuses, say) is a reason too: the
        general planner maps it to an exceptions-queue problem.
        """
        if self.reason is not None:
            return self.reason
        if customer is None:
            return "a customer not read by the run"
        why = _version_reason(data)
        if why is not None:
            return why
        try:
            return self._plan(data, customer, doc_prefix)
        except O2CError as exc:
            return f"{type(exc).__name__}: {exc}"

    def _plan(
        self, data: Mapping[str, Any], customer: Customer, doc_prefix: str
    ) -> CompactInvoice | str:
        # The contract and version shape were checked by _version_reason.
        v = data["versions"][0]
        periods = self._periods(v["cycle"])
        if len(periods) != 1:
            return "no or several billing periods in the run"
        p, _nxt, label = periods[0]
        # The contract must cover the whole period (no proration).
        end = data["end"]
        if self._date(v["effective_from"]) > p.start or (
            end is not None and self._date(end) < p.end
        ):
            return "a contract that does not cover the whole period (proration)"
        code = v["currency"]
        currency = self._currencies.get(code)
        if currency is None:
            currency = self._currencies[code] = Currency.of(code)
        po = v["po_number"]
        _customer, ok, who, buyer, shapes, infos, terms, due = self._buyer(customer)
        if not ok:
            return "a customer without a required tax id or a complete billing address"
        if currency != customer.currency:
            return "a contract in another currency than the customer's"
        if customer.po_required and not (po and po.strip()):
            return "a customer that requires a PO number the contract lacks"
        if v["locale"] and v["locale"] != who.locale:
            return "a contract locale other than the customer's"
        contract_id = str(data["id"])
        key = f"{contract_id}:{label}"
        doc_id = doc_prefix + key
        exp = currency.exponent
        scale = currency.minor_units
        mode, tax_mode = self._rounding, self._tax_rounding
        start, stop = self._texts(p)
        card_code = v["rate_card"]
        # Without the contract's rate card, a line's name is its item code.
        named = card_code in self._run.inputs.rate_cards
        lines: list[tuple[Any, ...]] = []
        net_total = tax_total = 0
        groups: dict[tuple[str, Decimal], list[Any]] = {}
        by_code: dict[str, int] = {}
        for n, line in enumerate(v["lines"], start=1):
            why = _line_reason(line)
            if why is not None:
                return why
            model = line["model"]
            quantity = Decimal(line["quantity"])
            exact, explain, unit_price = _MODELS[model["type"]](model, quantity, scale)
            item = str(line["item"])
            tax_code = str(line["tax_code"])
            if not tax_code and named:
                category = self._category(card_code, item, p.start)
                if category:
                    # The engine's path prints the category's legal note and reason.
                    return f"an item of tax category {category} on the rate card"
            info = infos.get(tax_code, _MISSING)
            if info is _MISSING:
                info = infos[tax_code] = self._shape_info(shapes, buyer, tax_code, currency)
            if info is None:
                return "a tax the per-line tax shapes do not cover"
            entries, category, needs_id, prefix, suffix = info
            if needs_id and customer.tax_id is None:
                return "a tax category that needs the buyer's tax id, which is missing"
            net = exact.quantize(exp, rounding=mode)
            net_units = int(net.scaleb(scale))
            net_total += net_units
            line_tax = 0
            texts = []
            for key_, tax_key, rate_, head, tail, row in entries:
                units = int((net * rate_).quantize(exp, rounding=tax_mode).scaleb(scale))
                line_tax += units
                texts.append(head + str(units) + tail)
                group = groups.get(key_)
                if group is None:
                    groups[key_] = [row, net_units, units]
                else:
                    group[1] += net_units
                    group[2] += units
                by_code[tax_key] = by_code.get(tax_key, 0) + units
            tax_total += line_tax
            lines.append(
                (
                    doc_id,
                    n,
                    item,
                    str(line["description"])
                    or (self._name(card_code, item, p.start) if named else item),
                    str(quantity),
                    unit_price,
                    net_units,
                    line_tax,
                    0,
                    category,
                    prefix + ",".join(texts) + suffix,
                    "recurring",
                    start,
                    stop,
                    None,
                    tax_code,
                    explain,
                )
            )
        if net_total + tax_total <= 0:
            return "a zero or negative total"
        if max(net_total, net_total + tax_total) >= 10 ** (MAX_INTEGER_DIGITS + scale):
            return "an amount beyond o2c's limit (the general planner queues it)"
        # The breakdown: one row per (tax code, rate) in order of first appearance,
        # base and tax summed from the lines (rounding point 3).
        taxes = [
            (doc_id, row_no, row[0], row[1], row[2], 0, base, amount, "", row[3], row[4])
            for row_no, (row, base, amount) in enumerate(groups.values(), start=1)
        ]
        return CompactInvoice(
            key,
            doc_id,
            contract_id,
            str(customer.id),
            currency,
            p,
            (start, stop),
            po,
            terms,
            due,
            who,
            self._notes[0],
            net_total,
            tax_total,
            lines,
            taxes,
            list(by_code.items()),
        )
