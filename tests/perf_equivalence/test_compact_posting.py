"""The compact path posts through the ledger: the same lines, balance-checked.

:func:`o2c.ledger.posting.post_invoice_minor` gives, in minor units, the lines
:func:`o2c.ledger.posting.post_document` gives an invoice with one revenue amount and
tax per code; the tables layer stores both forms as the same rows; an entry that would
not balance is refused. The compact planner says why it leaves a contract to the
general planner (no silent fallbacks), and its rating goes through the pricing core.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import compact_shape_reason
from o2c.billing._compact import _graduated, _per_unit
from o2c.book._codec import book_converter
from o2c.book._tables import journal as journal_table
from o2c.calendar import BillingCycle, Cycle
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, ContractVersion
from o2c.errors import ValidationError
from o2c.ids import ContractId, CustomerId, DocumentId, EntryId, ItemCode
from o2c.io import to_plain
from o2c.ledger.accounts import DEFAULT_CHART
from o2c.ledger.items import DocumentKind
from o2c.ledger.posting import (
    DocumentPosting,
    RevenueAmount,
    TaxAmount,
    post_document,
    post_invoice_minor,
)
from o2c.money import Currency, Money
from o2c.pricing import Graduated, PerUnit, Tier, Volume, rate

MXN = Currency.of("MXN")
_CONVERTER = book_converter()
DAY = dt.date(2026, 10, 31)
DUE = dt.date(2026, 11, 30)

_UNITS = st.integers(0, 10**9)
_TAXES = st.lists(
    st.tuples(st.sampled_from(["MX-IVA", "MX-IEPS", "US-SALES"]), st.integers(0, 10**7)),
    max_size=3,
    unique_by=lambda t: t[0],
)


@given(net=_UNITS, taxes=_TAXES)
def test_minor_postings_are_the_ledgers_invoice_lines(
    net: int, taxes: list[tuple[str, int]]
) -> None:
    gross = net + sum(units for _code, units in taxes)
    got = post_invoice_minor(receivable=gross, revenue=net, taxes=taxes, chart=DEFAULT_CHART)
    entry = post_document(
        DocumentPosting(
            document_id=DocumentId("D1"),
            number="INV-1",
            kind=DocumentKind.INVOICE,
            customer=CustomerId("C1"),
            date=DAY,
            due_date=DUE,
            currency=MXN,
            revenue=(RevenueAmount(Money.from_minor(net, MXN)),),
            taxes=tuple(TaxAmount(code, Money.from_minor(u, MXN)) for code, u in taxes),
            receivable=Money.from_minor(gross, MXN),
        ),
        entry_id=EntryId("JE1"),
        chart=DEFAULT_CHART,
    )
    assert got == [(line.account, line.amount.minor_units) for line in entry.lines]
    assert sum(amount for _account, amount in got) == 0
    # Stored, both forms are the same rows.
    minor = journal_table.minor_entry_rows(
        "JE1",
        got,
        day=DAY.isoformat(),
        kind="invoice",
        source="D1",
        reference="INV-1",
        due=DUE.isoformat(),
        customer="C1",
        currency="MXN",
        now="2026-11-02T09:00:00+00:00",
    )
    general = journal_table.entry_rows(
        [entry],
        receivable=DEFAULT_CHART.receivable_code,
        dates={"D1": (DAY, DUE)},
        now="2026-11-02T09:00:00+00:00",
    )
    assert ([minor[0]], minor[1]) == general


@pytest.mark.parametrize(("receivable", "revenue"), [(11601, 10000), (11599, 10000), (-1, -1)])
def test_an_entry_that_would_not_balance_is_refused(receivable: int, revenue: int) -> None:
    with pytest.raises(ValidationError):
        post_invoice_minor(receivable=receivable, revenue=revenue, taxes=[("MX-IVA", 1600)])


def _stored(*lines: ContractLine, timing: BillingTiming = BillingTiming.ARREARS) -> object:
    version = ContractVersion(
        dt.date(2026, 1, 1),
        lines,
        BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 1)),
        MXN,
        timing=timing,
    )
    contract = Contract(ContractId("K1"), CustomerId("C1"), (version,))
    return to_plain(contract, _CONVERTER)


def _line(model: object, kind: ChargeKind = ChargeKind.RECURRING, qty: str = "2") -> ContractLine:
    return ContractLine("L1", ItemCode("SEAT"), kind, Decimal(qty), model=model)  # type: ignore[arg-type]


def test_the_compact_path_says_why_it_leaves_a_contract() -> None:
    plain = PerUnit(unit_price=Decimal("10"))
    assert compact_shape_reason(_stored(_line(plain))) is None  # type: ignore[arg-type]
    tiers = [Tier(Decimal(5), Decimal("2")), Tier(None, Decimal("1"))]
    assert compact_shape_reason(_stored(_line(Graduated(tiers=tiers)))) is None  # type: ignore[arg-type]
    cases = {
        "billed in advance": _stored(_line(plain), timing=BillingTiming.ADVANCE),
        "a usage, time or one-time line": _stored(_line(plain, ChargeKind.USAGE)),
        "a line priced by the rate card": _stored(_line(None)),
        "a Volume price model": _stored(_line(Volume(tiers=tiers))),
        "a price model with free units, a minimum or a maximum": _stored(
            _line(PerUnit(unit_price=Decimal("10"), free_units=Decimal(1)))
        ),
        "a stored contract of another shape": {"id": "K1"},
        "no lines": _stored(),
    }
    for reason, data in cases.items():
        assert compact_shape_reason(data) == reason  # type: ignore[arg-type]


@given(
    price=st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=3),
    quantity=st.decimals(min_value=Decimal(0), max_value=Decimal(1000), places=2),
)
def test_the_compact_raters_are_the_pricing_core(price: Decimal, quantity: Decimal) -> None:
    stored = {**to_plain(PerUnit(unit_price=price)), "type": "PerUnit"}
    exact, _explain, _unit = _per_unit(stored, quantity, MXN)
    assert exact == rate(PerUnit(unit_price=price), quantity, currency=MXN).amount.amount
    model = Graduated(tiers=[Tier(Decimal(10), price), Tier(None, price / 2)])
    stored = {**to_plain(model), "type": "Graduated"}
    exact, _explain, _unit = _graduated(stored, quantity, MXN)
    assert exact == rate(model, quantity, currency=MXN).amount.amount
