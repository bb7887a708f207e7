"""Posting rules for invoices, credit notes, debit notes and voids."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger import (
    ChartOfAccounts,
    DocumentKind,
    DocumentPosting,
    EntryKind,
    RevenueAmount,
    TaxAmount,
    WithholdingAmount,
    credit_items,
    open_items,
    post_document,
    post_void,
    reconcile,
    trial_balance,
)
from o2c.money import Currency
from tests.ledger.conftest import invoice, money

D = dt.date(2026, 10, 1)
DUE = dt.date(2026, 10, 31)


def _lines(entry_lines: object) -> list[tuple[str, str, str | None]]:
    return [(p.account, str(p.amount), p.item) for p in entry_lines]  # type: ignore[attr-defined]


def test_mexican_invoice_posts_withholdings_to_tax_withheld_receivable() -> None:
    # 1000.00 net, IVA 16 % = 160.00, ISR withheld 10 % = 100.00, IVA withheld 2/3 = 106.67.
    mxn = Currency.of("MXN")
    doc = DocumentPosting(
        document_id=DocumentId("D1"),
        number="A-1",
        kind=DocumentKind.INVOICE,
        customer=CustomerId("C1"),
        date=D,
        due_date=DUE,
        currency=mxn,
        revenue=(RevenueAmount(money("1000.00", "MXN"), item_class="consulting"),),
        taxes=(TaxAmount("MX-IVA", money("160.00", "MXN")),),
        withholdings=(
            WithholdingAmount("MX-ISR", money("100.00", "MXN")),
            WithholdingAmount("MX-IVA-RET", money("106.67", "MXN")),
        ),
        receivable=money("953.33", "MXN"),
    )
    entry = post_document(doc, entry_id=EntryId("E1"))
    assert entry.kind is EntryKind.INVOICE
    assert entry.due_date == DUE
    assert _lines(entry.lines) == [
        ("1100", "953.33 MXN", "D1"),
        ("1300-MX-ISR", "100.00 MXN", None),
        ("1300-MX-IVA-RET", "106.67 MXN", None),
        ("4000-CONSULTING", "-1000.00 MXN", None),
        ("2300-MX-IVA", "-160.00 MXN", None),
    ]


def test_receivable_must_equal_revenue_plus_tax_minus_withholdings() -> None:
    with pytest.raises(ValidationError, match=r"revenue \+ taxes - withholdings = 116\.00 USD"):
        DocumentPosting(
            document_id=DocumentId("D1"),
            number="N-1",
            kind=DocumentKind.INVOICE,
            customer=CustomerId("C1"),
            date=D,
            due_date=DUE,
            currency=Currency.of("USD"),
            revenue=(RevenueAmount(money("100.00")),),
            taxes=(TaxAmount("VAT", money("16.00")),),
            receivable=money("116.01"),
        )


def test_document_amounts_must_be_in_the_document_currency() -> None:
    with pytest.raises(ValidationError, match=r"revenue\[0\]\.amount"):
        DocumentPosting(
            document_id=DocumentId("D1"),
            number="N-1",
            kind=DocumentKind.INVOICE,
            customer=CustomerId("C1"),
            date=D,
            due_date=DUE,
            currency=Currency.of("USD"),
            revenue=(RevenueAmount(money("100.00", "EUR")),),
            receivable=money("100.00"),
        )


def test_credit_note_reduces_the_invoice_open_item_up_to_what_is_open() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00", "16.00"), entry_id=EntryId("E1"))
    (item,) = open_items([inv], D)
    cn = invoice("CN1", "C1", D, D, "50.00", "8.00", kind=DocumentKind.CREDIT_NOTE, corrects="D1")
    entry = post_document(cn, entry_id=EntryId("E2"), corrected_open=item.open)
    assert _lines(entry.lines) == [
        ("1100", "-58.00 USD", "D1"),
        ("4000-SERVICES", "50.00 USD", None),
        ("2300-VAT", "8.00 USD", None),
    ]
    assert [str(i.open) for i in open_items([inv, entry], D)] == ["58.00 USD"]
    assert credit_items([inv, entry], D) == ()


def test_credit_note_on_a_settled_invoice_becomes_customer_credit() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00", "16.00"), entry_id=EntryId("E1"))
    cn1 = post_document(
        invoice("CN1", "C1", D, D, "80.00", "12.80", kind=DocumentKind.CREDIT_NOTE, corrects="D1"),
        entry_id=EntryId("E2"),
        corrected_open=money("116.00"),
    )
    (item,) = open_items([inv, cn1], D)
    assert str(item.open) == "23.20 USD"
    # The second credit note exceeds what is open: the rest is customer credit.
    cn2 = post_document(
        invoice("CN2", "C1", D, D, "50.00", "8.00", kind=DocumentKind.CREDIT_NOTE, corrects="D1"),
        entry_id=EntryId("E3"),
        corrected_open=item.open,
    )
    assert _lines(cn2.lines)[:2] == [("1100", "-23.20 USD", "D1"), ("2100", "-34.80 USD", "CN2")]
    journal = [inv, cn1, cn2]
    assert open_items(journal, D) == ()
    (credit,) = credit_items(journal, D)
    assert (credit.source, credit.kind.value, str(credit.unapplied), str(credit.original)) == (
        "CN2",
        "credit_note",
        "34.80 USD",
        "34.80 USD",
    )
    assert reconcile(journal, D).ok


def test_credit_note_naming_an_invoice_needs_its_open_amount() -> None:
    cn = invoice("CN1", "C1", D, D, "50.00", kind=DocumentKind.CREDIT_NOTE, corrects="D1")
    with pytest.raises(ValidationError, match="corrected_open"):
        post_document(cn, entry_id=EntryId("E2"))


def test_debit_note_is_a_new_open_item_with_its_own_due_date() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"))
    dn = post_document(
        invoice(
            "DN1",
            "C1",
            D,
            dt.date(2026, 11, 15),
            "10.00",
            kind=DocumentKind.DEBIT_NOTE,
            corrects="D1",
        ),
        entry_id=EntryId("E2"),
    )
    items = open_items([inv, dn], D)
    assert [(i.document_id, i.kind.value, str(i.open), i.due_date) for i in items] == [
        ("D1", "invoice", "100.00 USD", DUE),
        ("DN1", "debit_note", "10.00 USD", dt.date(2026, 11, 15)),
    ]


def test_void_reverses_an_untouched_invoice_exactly() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00", "16.00"), entry_id=EntryId("E1"))
    (item,) = open_items([inv], D)
    void = post_void(
        inv, entry_id=EntryId("E2"), date=dt.date(2026, 10, 2), open_item=item, reason="duplicate"
    )
    assert void.kind is EntryKind.VOID
    assert void.reverses == EntryId("E1")
    assert void.memo == "void: duplicate"
    assert open_items([inv, void], dt.date(2026, 10, 2)) == ()
    assert trial_balance([inv, void], dt.date(2026, 10, 2)).rows == ()


def test_void_is_refused_once_a_credit_touched_the_invoice() -> None:
    inv = post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"))
    cn = post_document(
        invoice("CN1", "C1", D, D, "10.00", kind=DocumentKind.CREDIT_NOTE, corrects="D1"),
        entry_id=EntryId("E2"),
        corrected_open=money("100.00"),
    )
    (item,) = open_items([inv, cn], D)
    with pytest.raises(InvalidState, match="issue a credit note instead"):
        post_void(inv, entry_id=EntryId("E3"), date=D, open_item=item, reason="oops")


def test_chart_accounts_can_be_renamed_and_recoded_without_changing_rules() -> None:
    chart = ChartOfAccounts(receivable_code="1200").renamed("1200", "Clientes")
    assert chart.receivable.name == "Clientes"
    entry = post_document(
        invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"), chart=chart
    )
    assert entry.lines[0].account == AccountCode("1200")
    (row, _) = trial_balance([entry], D, chart=chart).rows
    assert (row.account, row.name) == ("1200", "Clientes")
    with pytest.raises(NotFound):
        chart.renamed("9999", "Nope")
    with pytest.raises(ValidationError):
        ChartOfAccounts(cash_code="1100")


def test_entries_in_several_currencies_balance_and_report_per_currency() -> None:
    usd = post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1"))
    jpy = post_document(invoice("D2", "C1", D, DUE, "1000", currency="JPY"), entry_id=EntryId("E2"))
    tb = trial_balance([usd, jpy], D)
    assert [c.code for c in tb.currencies] == ["JPY", "USD"]
    assert str(tb.total("USD")) == "0.00 USD"
    assert str(tb.total("JPY")) == "0 JPY"
    report = reconcile([usd, jpy], D)
    assert report.ok
    assert [(t.currency.code, str(t.control)) for t in report.totals] == [
        ("JPY", "1000 JPY"),
        ("USD", "100.00 USD"),
    ]
