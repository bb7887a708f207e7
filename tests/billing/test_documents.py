"""Documents, lifecycle, numbering, customers and contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from o2c.billing import (
    DocumentKind,
    DocumentStatus,
    ManualLine,
    NumberSeries,
    ReasonCode,
    compute_totals,
    default_series,
    draft_document,
    format_number,
    issue,
    manual_invoice,
    needs_approval,
    order_invoice,
    parse_number,
    replace_lines,
)
from o2c.calendar import PaymentTerms, Period
from o2c.contracts import ContractLine, OrderLine, SalesOrder, amend, terminate
from o2c.errors import InvalidState, InvariantViolation, ValidationError
from o2c.ids import DocumentId, ItemCode
from o2c.money import Money
from o2c.parties import TaxRegistration, TaxScheme
from tests.billing.builders import USD, WHO, issued_invoice, taxed_line
from tests.billing.conftest import make_contract, make_customer, rate_card, tax_context


def test_draft_has_no_number_and_issue_numbers_and_dates_it() -> None:
    draft = draft_document(
        DocumentId("D-1"), WHO, USD, [taxed_line("A", "1", "10.00")], payment_terms="eom+15"
    )
    assert draft.number is None
    assert draft.label == "draft D-1"
    invoice = issue(draft, "INV-2026-000007", dt.date(2026, 10, 20))
    assert invoice.status is DocumentStatus.ISSUED
    assert invoice.due_date == dt.date(2026, 11, 15)
    assert invoice.tax_point == dt.date(2026, 10, 20)


def test_issued_documents_cannot_be_edited_or_issued_again() -> None:
    invoice = issued_invoice(taxed_line("A", "1", "10.00"))
    with pytest.raises(InvalidState, match="issue a credit or debit note instead"):
        replace_lines(invoice, [taxed_line("A", "2", "10.00")])
    with pytest.raises(InvalidState):
        issue(invoice, "INV-2026-000099", dt.date(2026, 11, 1))


def test_drafts_are_editable_and_totals_follow() -> None:
    draft = draft_document(DocumentId("D-1"), WHO, USD, [taxed_line("A", "1", "10.00")])
    edited = replace_lines(draft, [taxed_line("A", "1", "10.00"), taxed_line("B", "3", "0.99")])
    assert [line.number for line in edited.lines] == [1, 2]
    assert str(edited.totals.net) == "12.97 USD"
    assert str(edited.totals.tax) == "2.08 USD"  # 1.60 + round(2.97 x 0.16 = 0.4752)


def test_totals_are_sums_of_rounded_lines_and_breakdown_adds_up() -> None:
    raw = (taxed_line("A", "1", "0.125"), taxed_line("B", "1", "0.125"))
    lines = tuple(attrs.evolve(line, number=n) for n, line in enumerate(raw, start=1))
    totals = compute_totals(lines, USD)
    assert str(totals.net) == "0.26 USD"  # 0.13 + 0.13, never round(0.25)
    assert sum(r.amount.amount for r in totals.breakdown) == totals.tax.amount


def test_inconsistent_totals_cannot_exist() -> None:
    invoice = issued_invoice(taxed_line("A", "1", "10.00"))
    extra = attrs.evolve(invoice.lines[0], number=2)
    with pytest.raises(InvariantViolation, match="not the sum of its lines"):
        attrs.evolve(invoice, lines=(*invoice.lines, extra))


def test_credit_note_without_reference_cannot_exist() -> None:
    with pytest.raises(ValidationError, match="corrected invoice and a reason"):
        draft_document(
            DocumentId("D-1"),
            WHO,
            USD,
            [taxed_line("A", "1", "1")],
            kind=DocumentKind.CREDIT_NOTE,
        )


def test_manual_invoice_above_threshold_needs_approval() -> None:
    draft = draft_document(DocumentId("D-1"), WHO, USD, [taxed_line("A", "10", "100.00")])
    assert needs_approval(draft, Money.of("1000.00", USD))
    assert not needs_approval(draft, Money.of("2000.00", USD))
    assert not needs_approval(draft, None)


def test_number_series_formats_and_parses_its_pattern() -> None:
    series = NumberSeries("INV", "INV-{year}-{seq:06}")
    assert format_number(series, 2026, 42) == "INV-2026-000042"
    assert parse_number(series, "INV-2026-000042") == (2026, 42)
    assert series.counter_key(2026) == "INV:2026"
    monthly = NumberSeries("F", "F{yy}{month}/{seq}")
    assert format_number(monthly, 2026, 7, month=3) == "F2603/7"
    assert parse_number(monthly, "F2603/7") == (2026, 7)
    assert monthly.counter_key(2026, 3) == "F:2026-03"
    assert NumberSeries("X", "X{seq:04}").counter_key(2026) == "X"
    assert default_series(DocumentKind.CREDIT_NOTE).pattern == "CN-{year}-{seq:06}"


@pytest.mark.parametrize("pattern", ["INV-{year}", "INV-{seq}-{seq}", "INV-{foo}-{seq}"])
def test_number_series_rejects_bad_patterns(pattern: str) -> None:
    with pytest.raises(ValidationError, match="pattern"):
        NumberSeries("INV", pattern)


def test_number_that_does_not_match_the_series_is_rejected() -> None:
    with pytest.raises(ValidationError, match="a number like"):
        parse_number(default_series(DocumentKind.INVOICE), "CN-2026-000001")


def test_reason_codes_tell_billing_errors_from_goodwill() -> None:
    assert ReasonCode.parse("wrong-price").is_billing_error
    assert ReasonCode.parse("tax error").is_billing_error
    assert not ReasonCode.GOODWILL.is_billing_error
    assert not ReasonCode.CANCELLATION.is_billing_error
    with pytest.raises(ValidationError, match="one of wrong_price"):
        ReasonCode.parse("oops")


def test_customer_tax_ids_are_checked_with_stdnum() -> None:
    assert TaxRegistration.of(TaxScheme.EU_VAT, "DE 136 695 976").country == "DE"
    with pytest.raises(ValidationError, match="valid eu_vat"):
        TaxRegistration.of(TaxScheme.EU_VAT, "DE136695977")
    with pytest.raises(ValidationError, match="time_zone"):
        make_customer(time_zone="Mars/Olympus")
    assert make_customer().tax_id == "AAA010101AAA"


def test_contract_versions_are_effective_dated_and_never_edited() -> None:
    contract = make_contract(start=dt.date(2026, 9, 1))
    v1 = contract.versions[0]
    amended = amend(
        contract,
        dt.date(2026, 10, 15),
        lines=(ContractLine("plan", ItemCode("PLAN-PRO")),),
        po_number="PO-77",
    )
    assert contract.versions == (v1,)
    assert amended.versions[0] is v1
    assert amended.version_at(dt.date(2026, 10, 14)) is v1
    assert amended.version_at(dt.date(2026, 10, 15)).po_number == "PO-77"
    pieces = [(str(p), v.po_number) for p, v in amended.pieces(Period.month(2026, 10))]
    assert pieces == [("2026-10-01..2026-10-15", None), ("2026-10-15..2026-11-01", "PO-77")]
    ended = terminate(amended, dt.date(2026, 10, 20))
    assert [str(p) for p, _ in ended.pieces(Period.month(2026, 10))][-1] == (
        "2026-10-15..2026-10-20"
    )
    with pytest.raises(ValidationError, match="after the contract start"):
        amend(contract, dt.date(2026, 8, 1), po_number="X")
    with pytest.raises(ValidationError, match="fields of ContractVersion"):
        amend(contract, dt.date(2026, 10, 1), colour="red")


def test_contract_payment_terms_override_the_customers() -> None:
    contract = make_contract(payment_terms=PaymentTerms.parse("net 45"))
    assert contract.current.payment_terms == PaymentTerms.parse("net 45")
    assert make_customer().payment_terms == PaymentTerms.parse("net 30")
    assert Decimal(1) == contract.current.lines[0].quantity


def test_manual_invoice_rounds_each_line_then_taxes_it() -> None:
    customer = make_customer()
    mxn = customer.currency
    draft = manual_invoice(
        DocumentId("M-1"),
        customer,
        [
            ManualLine(ItemCode("HW"), Decimal(3), Money.of("33.333", mxn), "Cable"),
            ManualLine(
                ItemCode("SVC"),
                Decimal(1),
                Money.of("100.00", mxn),
                discount_percent=Decimal("12.5"),
            ),
        ],
        tax=tax_context(),
        tax_point=dt.date(2026, 10, 20),
        po_number="PO-9",
    )
    assert [str(line.net.amount) for line in draft.lines] == ["100.00", "87.50"]
    assert [str(line.tax.amount) for line in draft.lines] == ["16.00", "14.00"]
    assert draft.po_number == "PO-9"
    assert draft.notes == ()  # legal texts only; the rounding regime is explained
    assert draft.explain[0].startswith("CFDI 4.0")
    with pytest.raises(ValidationError, match=r"lines\[0\]\.unit_price"):
        manual_invoice(
            DocumentId("M-2"),
            customer,
            [ManualLine(ItemCode("X"), Decimal(1), Money.of("1", USD))],
            tax=tax_context(),
            tax_point=dt.date(2026, 10, 20),
        )


def test_order_invoice_prices_from_the_rate_card_and_carries_the_run_key() -> None:
    customer = make_customer()
    order = SalesOrder(
        "SO-7",
        customer.id,
        dt.date(2026, 10, 2),
        customer.currency,
        (OrderLine(ItemCode("SEAT"), Decimal(3)),),
        po_number="PO-1",
        rate_card="STD",
    )
    draft = order_invoice(
        DocumentId("O-1"),
        order,
        customer,
        tax=tax_context(),
        tax_point=dt.date(2026, 10, 3),
        rate_cards={"STD": rate_card()},
    )
    assert draft.run_key == "order:SO-7"
    assert str(draft.totals.payable) == "348.00 MXN"
    with pytest.raises(ValidationError, match="no price and no rate card"):
        order_invoice(
            DocumentId("O-2"),
            attrs.evolve(order, id="SO-8"),
            customer,
            tax=tax_context(),
            tax_point=dt.date(2026, 10, 3),
        )


def test_a_line_in_another_currency_cannot_be_on_a_document() -> None:
    invoice = issued_invoice(taxed_line("A", "1", "10.00"))
    line = invoice.lines[0]
    pesos = attrs.evolve(line, net=Money.of("10.00", "MXN"))
    with pytest.raises(ValidationError, match=r"lines\[0\]\.net.*document currency USD"):
        attrs.evolve(invoice, lines=(pesos,), totals=attrs.evolve(invoice.totals))


def test_order_invoice_refuses_a_rate_card_in_another_currency() -> None:
    customer = make_customer()
    order = SalesOrder(
        "SO-7",
        customer.id,
        dt.date(2026, 10, 2),
        customer.currency,
        (OrderLine(ItemCode("SEAT"), Decimal(3)),),
        rate_card="STD",
    )
    with pytest.raises(ValidationError) as caught:
        order_invoice(
            DocumentId("O-1"),
            order,
            customer,
            tax=tax_context(),
            tax_point=dt.date(2026, 10, 3),
            rate_cards={"STD": attrs.evolve(rate_card(), currency=USD)},
        )
    assert str(caught.value) == (
        "order SO-7 item SEAT is priced on rate card STD in USD, the order is in MXN"
    )
