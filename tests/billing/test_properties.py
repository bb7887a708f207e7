"""Billing invariants under hypothesis."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from o2c.billing import (
    Document,
    DocumentLine,
    LineSource,
    LineTax,
    ReasonCode,
    apply_tax,
    compute_totals,
    credit_note_for,
    plan_bill_run,
    remaining,
    run_key,
)
from o2c.billing.billrun import _Run
from o2c.calendar import Period
from o2c.contracts import BillingTiming, ChargeKind, Contract, ContractLine, amend, terminate
from o2c.errors import ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.money import Money
from tests.billing.builders import USD, issued_invoice
from tests.billing.conftest import MXN, inputs, make_contract, make_customer

RATES = ("0", "0.08", "0.16")


@st.composite
def invoices(draw: st.DrawFn) -> Document:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        qty = Decimal(draw(st.integers(1, 20)))
        price = Money.from_minor(draw(st.integers(1, 100_000)), USD)
        net = (price * qty).round()
        taxes = [
            LineTax("IVA", "S", Decimal(r), (net * Decimal(r)).round())
            for r in {draw(st.sampled_from(RATES))}
        ]
        if draw(st.booleans()):
            taxes.append(
                LineTax("ISR", "S", Decimal("0.10"), (net * Decimal("0.10")).round(), True)
            )
        lines.append(DocumentLine(0, ItemCode("X"), "x", qty, price, net, tuple(taxes)))
    return issued_invoice(*lines)


credit_requests = st.lists(
    st.one_of(
        st.tuples(st.just("qty"), st.integers(1, 4), st.integers(1, 25)),
        st.tuples(st.just("amount"), st.integers(1, 4), st.integers(1, 3_000_000)),
        st.tuples(st.just("line"), st.integers(1, 4), st.integers(1, 3_000_000)),
        st.tuples(st.just("full"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=6,
)


def _check_within_invoice(invoice: Document, notes: list[Document]) -> None:
    for line, left in zip(invoice.lines, remaining(invoice, notes), strict=True):
        assert 0 <= left.quantity <= line.quantity
        assert 0 <= left.net.amount <= line.net.amount
        invoiced = {(t.code, t.rate, t.withholding): t.amount.amount for t in line.taxes}
        for t in left.taxes:
            assert 0 <= t.amount.amount <= invoiced[(t.code, t.rate, t.withholding)]
    for field in ("net", "tax", "withheld", "gross", "payable"):
        credited = sum((getattr(n.totals, field).amount for n in notes), Decimal(0))
        assert credited <= getattr(invoice.totals, field).amount


@given(invoices(), credit_requests)
def test_credits_never_exceed_invoiced_amounts(
    invoice: Document, requests: list[tuple[str, int, int]]
) -> None:
    notes: list[Document] = []
    for n, (kind, line, value) in enumerate(requests):
        try:
            if kind == "qty":
                note = credit_note_for(
                    invoice,
                    notes,
                    id=DocumentId(f"CN-{n}"),
                    reason=ReasonCode.OTHER,
                    quantities={line: Decimal(value)},
                )
            elif kind == "line":
                note = credit_note_for(
                    invoice,
                    notes,
                    id=DocumentId(f"CN-{n}"),
                    reason=ReasonCode.WRONG_PRICE,
                    line_amounts={line: Money.from_minor(value, USD)},
                )
            elif kind == "amount":
                note = credit_note_for(
                    invoice,
                    notes,
                    id=DocumentId(f"CN-{n}"),
                    reason=ReasonCode.OTHER,
                    amount=Money.from_minor(value, USD),
                )
            else:
                note = credit_note_for(
                    invoice, notes, id=DocumentId(f"CN-{n}"), reason=ReasonCode.OTHER
                )
        except ValidationError:
            continue
        notes.append(note)
        _check_within_invoice(invoice, notes)
    # Whatever happened before, a final full credit leaves exactly nothing.
    with contextlib.suppress(ValidationError):
        notes.append(
            credit_note_for(invoice, notes, id=DocumentId("CN-end"), reason=ReasonCode.OTHER)
        )
    for field in ("net", "tax", "withheld", "gross", "payable"):
        credited = sum((getattr(n.totals, field).amount for n in notes), Decimal(0))
        assert credited == getattr(invoice.totals, field).amount


def _assert_totals_are_sums(doc: Document) -> None:
    t = doc.totals
    assert t.net.amount == sum((line.net.amount for line in doc.lines), Decimal(0))
    assert t.tax.amount == sum((line.tax.amount for line in doc.lines), Decimal(0))
    assert t.withheld.amount == sum((line.withheld.amount for line in doc.lines), Decimal(0))
    charged = sum((r.amount.amount for r in t.breakdown if not r.withholding), Decimal(0))
    assert charged == t.tax.amount
    assert t.gross.amount == t.net.amount + t.tax.amount
    assert t.payable.amount == t.gross.amount - t.withheld.amount
    assert all(line.net.is_rounded for line in doc.lines)


OCTOBER = Period.month(2026, 10)


@st.composite
def contract_sets(draw: st.DrawFn) -> list[Contract]:
    contracts = []
    for i in range(draw(st.integers(1, 6))):
        start = dt.date(2026, draw(st.integers(7, 10)), draw(st.integers(1, 28)))
        seats = Decimal(draw(st.integers(0, 40)))
        lines = (
            ContractLine("seats", ItemCode("SEAT"), quantity=seats),
            ContractLine("api", ItemCode("API"), ChargeKind.USAGE),
        )
        timing = draw(st.sampled_from(BillingTiming))
        k = make_contract(f"K-{i}", "C-1", lines, start=start, timing=timing)
        if draw(st.booleans()):
            day = start + dt.timedelta(days=draw(st.integers(1, 60)))
            k = amend(
                k,
                day,
                lines=(
                    ContractLine("seats", ItemCode("SEAT"), quantity=seats + 5),
                    ContractLine("plan", ItemCode("PLAN-PRO")),
                ),
            )
        if draw(st.booleans()):
            k = terminate(
                k, k.versions[-1].effective_from + dt.timedelta(days=draw(st.integers(1, 90)))
            )
        contracts.append(k)
    return contracts


@given(contract_sets(), st.integers(0, 5000))
def test_bill_run_documents_total_the_sums_of_their_lines_and_taxes(
    contracts: list[Contract], calls: int
) -> None:
    usage = {(run_key(k.id, OCTOBER), ItemCode("API")): Decimal(calls) for k in contracts}
    plan = plan_bill_run(
        contracts,
        OCTOBER,
        cut_off=dt.date(2026, 10, 31),
        inputs=inputs([make_customer()], usage=usage),
    )
    for candidate in plan.candidates:
        _assert_totals_are_sums(candidate.document)
    for exception in plan.exceptions:
        if exception.draft is not None:
            _assert_totals_are_sums(exception.draft)


@given(contract_sets(), st.integers(7, 12))
def test_a_rerun_plan_creates_nothing_new(contracts: list[Contract], month: int) -> None:
    period = Period.month(2026, month)
    run_inputs = inputs([make_customer()])
    first = plan_bill_run(contracts, period, cut_off=period.last_day, inputs=run_inputs)
    keys = [k for c in first.candidates for k in c.run_keys]
    assert len(keys) == len(set(keys))
    again = plan_bill_run(
        contracts, period, cut_off=period.last_day, inputs=run_inputs, already_billed=first.run_keys
    )
    assert again.candidates == ()
    assert again.run_keys.isdisjoint(first.run_keys)


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=6))
def test_fast_tax_path_equals_the_tax_engine(cents: list[int]) -> None:
    customer = make_customer()
    lines = [
        DocumentLine(n, ItemCode("X"), "x", Decimal(1), None, Money.from_minor(c, MXN))
        for n, c in enumerate(cents, start=1)
    ]
    run_inputs = inputs([customer])
    pending = [
        (line.item, line.description, line.quantity, None, line.net, line.source, None, (), "")
        for line in lines
    ]
    fast, _, _, totals = _Run(run_inputs).tax(pending, customer, dt.date(2026, 10, 31), MXN)
    slow, breakdown, _ = apply_tax(lines, customer, run_inputs.tax, dt.date(2026, 10, 31))
    assert [line.taxes for line in fast] == [line.taxes for line in slow]
    expected = compute_totals(slow, MXN, breakdown)
    assert totals is not None
    assert (totals.net, totals.tax, totals.withheld, totals.gross, totals.payable) == (
        expected.net,
        expected.tax,
        expected.withheld,
        expected.gross,
        expected.payable,
    )
    assert [(r.code, r.rate, r.base, r.amount) for r in totals.breakdown] == [
        (r.code, r.rate, r.base, r.amount) for r in expected.breakdown
    ]


@given(contract_sets())
def test_advance_billing_and_its_settlements_add_up_to_the_days_used(
    contracts: list[Contract],
) -> None:
    # Over consecutive runs, what was billed for each month (in advance, then settled)
    # equals the days actually used at the terms in force, to within rounding of the
    # prorated pieces (one cent per line).
    card = {"PLAN-PRO": Decimal("620.00")}
    run_inputs = inputs([make_customer()])
    for contract in contracts:
        billed: dict[Period, Decimal] = {}
        lines = 0
        for month in range(7, 13):
            plan = plan_bill_run(
                [contract],
                Period.month(2026, month),
                cut_off=dt.date(2026, month, 28),
                inputs=run_inputs,
            )
            for doc in [c.document for c in plan.candidates] + [
                e.draft for e in plan.exceptions if e.draft is not None
            ]:
                for line in doc.lines:
                    if line.source is LineSource.RECURRING and line.period is not None:
                        whole = Period.month(line.period.start.year, line.period.start.month)
                        billed[whole] = billed.get(whole, Decimal(0)) + line.net.amount
                        lines += 1
        for month in range(8, 12):
            whole = Period.month(2026, month)
            used = Decimal(0)
            for piece, version in contract.pieces(whole):
                for cl in version.lines:
                    if cl.kind is ChargeKind.RECURRING:
                        price = card.get(cl.item, Decimal("100.00") if cl.item == "SEAT" else 0)
                        used += price * cl.quantity * piece.days / whole.days
            assert abs(billed.get(whole, Decimal(0)) - used) <= Decimal("0.01") * max(lines, 1)
