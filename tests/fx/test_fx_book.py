"""Multi-currency valuation on a Book: the worked examples of issue 19, exact to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.errors import InvalidState, ValidationError
from o2c.fx import RateMissing
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT1, OCT20, OCT31, NOV1, NOV2 = (
    dt.date(2026, 10, 1),
    dt.date(2026, 10, 20),
    dt.date(2026, 10, 31),
    dt.date(2026, 11, 1),
    dt.date(2026, 11, 2),
)


def _issue(book: Book, doc: str, cid: str, price: str, currency: str, tax: str = "0") -> str:
    book.create_draft(invoice_draft(doc, cid, (("SETUP", "1", price),), currency, tax))
    return book.issue_document(doc, issue_date=OCT1).number or doc


def _balanced(book: Book, day: dt.date) -> dict[str, Money]:
    tb = book.trial_balance(day)
    assert tb.is_balanced
    functional = book.functional_trial_balance(day)
    currency = book.functional_currency()
    assert currency is not None
    assert sum((v.amount for v in functional.values()), 0) == 0
    return functional


def test_three_eur_invoices_paid_with_330_usd_at_1_10_are_each_settled_no_cent_left(
    book: Book,
) -> None:
    book.set_functional_currency("EUR")
    book.set_rate("EUR", "USD", "1.10", effective=OCT1)
    book.add_customer(customer("C1", "EUR"))
    # 86.21 net + 16 % VAT 13.79 = 100.00 EUR each.
    numbers = [_issue(book, f"D{n}", "C1", "86.21", "EUR", "0.16") for n in (1, 2, 3)]
    pay = book.record_payment("C1", Money.of("330.00", "USD"), date=NOV2)
    done = book.settle_in_currency(pay.id, rate="1.10", date=NOV2)
    assert [(str(s.settled), str(s.paid)) for s in done] == [("100.00 EUR", "110.00 USD")] * 3
    assert book.open_items(as_of=NOV2) == []
    functional = _balanced(book, NOV2)
    assert "1100" not in functional
    assert "2100" not in functional
    assert "6950" not in functional  # the rate of the payment: no rounding, no gain
    assert functional["1000"] == Money.of("300.00", "EUR")
    assert len(numbers) == 3


def test_a_split_that_rounds_puts_the_cent_on_fx_rounding_and_leaves_nothing_open(
    book: Book,
) -> None:
    book.set_functional_currency("EUR")
    book.set_rate("EUR", "USD", "1.0833", effective=OCT1)
    book.add_customer(customer("C1", "EUR"))
    for n, price in ((1, "33.33"), (2, "33.33"), (3, "33.34")):
        _issue(book, f"D{n}", "C1", price, "EUR")
    pay = book.record_payment("C1", Money.of("108.33", "USD"), date=NOV2)
    done = book.settle_in_currency(pay.id, rate="1.0833", date=NOV2)
    # Rounded once over the running total: 36.11, 72.21, 108.33 USD.
    assert [str(s.paid) for s in done] == ["36.11 USD", "36.10 USD", "36.12 USD"]
    assert book.open_items(as_of=NOV2) == []
    assert book.get_payment(pay.id).amount == Money.of("108.33", "USD")
    functional = _balanced(book, NOV2)
    assert functional["1000"] == Money.of("100.00", "EUR")  # 108.33 / 1.0833
    assert "1100" not in functional
    assert "2100" not in functional
    # Every conversion difference is on FX rounding (the payment's rate: no gain or loss).
    assert "7100" not in functional
    assert "7200" not in functional
    lines = [
        line
        for entry in book.functional_journal(NOV2)
        if entry.kind == "fx_settlement"
        for line in entry.lines
        if str(line.account) == "6950"
    ]
    rounding = sum((line.amount.amount for line in lines), 0)
    assert functional.get("6950", Money.zero("EUR")).amount == rounding
    # The payment's 100.00 EUR is taken 33.33 + 33.32 (its shares of 36.11 and 36.10 USD)
    # + 33.35 (the rest) while the position books 36.12 USD at 33.34: 0.01 of rounding.
    assert [str(line.amount) for line in lines] == ["-0.01 EUR"]


def test_a_usd_invoice_paid_in_pesos_at_a_higher_rate_realizes_a_gain(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.add_customer(customer("C1", "USD"))
    number = _issue(book, "D1", "C1", "100.00", "USD")
    kept = book.document_rate(number)
    assert kept is not None
    assert kept.rate == 17
    assert kept.quote.code == "MXN"
    pay = book.record_payment("C1", Money.of("1800.00", "MXN"), date=OCT20)
    assert book.document_rate(pay.id) is None  # in the functional currency
    [done] = book.settle_in_currency(pay.id, [number], rate="18.00", date=OCT20)
    assert (str(done.settled), str(done.paid)) == ("100.00 USD", "1800.00 MXN")
    functional = _balanced(book, OCT20)
    assert functional == {
        "1000": Money.of("1800.00", "MXN"),
        "4000": Money.of("-1700.00", "MXN"),
        "7100": Money.of("-100.00", "MXN"),  # realized FX gain
    } | {k: v for k, v in functional.items() if k == "1950"}
    assert "1950" not in functional  # the position nets out in pesos
    tb = book.trial_balance(OCT20)
    position = {
        (r.account, r.currency.code): str(r.balance) for r in tb.rows if r.account == "1950"
    }
    assert position == {("1950", "MXN"): "-1800.00 MXN", ("1950", "USD"): "100.00 USD"}


def test_a_usd_payment_at_a_lower_rate_than_the_invoice_realizes_a_loss(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.set_rate("USD", "MXN", "16.50", effective=OCT20)
    book.add_customer(customer("C1", "USD"))
    number = _issue(book, "D1", "C1", "100.00", "USD")
    pay = book.record_payment("C1", Money.of("100.00", "USD"), date=OCT20, allocate=True)
    assert book.open_items(as_of=OCT20) == []
    functional = _balanced(book, OCT20)
    assert functional["1000"] == Money.of("1650.00", "MXN")
    assert functional["7200"] == Money.of("50.00", "MXN")  # realized FX loss
    assert book.document_rate(pay.id) is not None
    assert number


def test_month_end_revaluation_and_its_reversal_on_the_first_of_the_next_month(
    book: Book,
) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.set_rate("USD", "MXN", "18.50", effective=OCT31)
    book.add_customer(customer("C1", "USD"))
    _issue(book, "D1", "C1", "100.00", "USD")
    before = book.trial_balance(OCT31)
    entry = book.revalue(OCT31)
    assert [(str(line.account), str(line.amount)) for line in entry.lines] == [
        ("1100", "150.00 MXN"),
        ("7300", "-150.00 MXN"),
    ]
    assert book.trial_balance(OCT31) == before  # the journal's own amounts do not move
    [item] = book.functional_items(OCT31)
    assert item.value == Money.of("1850.00", "MXN")
    assert _balanced(book, OCT31)["7300"] == Money.of("-150.00", "MXN")
    [item] = book.functional_items(NOV1)
    assert item.value == Money.of("1700.00", "MXN")
    assert "7300" not in _balanced(book, NOV1)
    aging = book.functional_aging(NOV1)
    # Due 2026-10-31 (net 30): one day late on 2026-11-01, at its carrying value.
    assert aging["1-30"] == Money.of("1700.00", "MXN")
    assert sum((v.amount for v in aging.values()), 0) == _balanced(book, NOV1)["1100"].amount
    with pytest.raises(InvalidState, match="already revalued"):
        book.revalue(OCT31)
    with pytest.raises(InvalidState, match="go forward month by month"):
        book.revalue(dt.date(2026, 9, 30))


def test_a_missing_rate_refuses_the_issue_and_changes_nothing(book: Book) -> None:
    book.set_functional_currency("MXN", rate_type="DOF-FIX")
    book.add_customer(customer("C1", "USD"))
    book.create_draft(invoice_draft("D1", "C1", (("SETUP", "1", "100.00"),), "USD", "0"))
    journal = book.journal()
    with pytest.raises(RateMissing, match="no DOF-FIX rate for USD/MXN on or before 2026-10-01"):
        book.issue_document("D1", issue_date=OCT1)
    assert book.journal() == journal
    assert book.get_document("D1").number is None


def test_a_rate_is_found_inverse_and_cross_and_the_latest_on_or_before_the_day(
    book: Book,
) -> None:
    book.import_rates(
        b"date,base,quote,rate,rate_type\n"
        b"2026-10-01,EUR,USD,1.10,ECB\n2026-10-02,EUR,USD,1.20,ECB\n2026-10-01,EUR,MXN,22.00,ECB\n",
        name="ecb.csv",
    )
    assert book.quote("EUR", "USD", OCT1, rate_type="ECB").rate == Decimal("1.1")
    assert book.quote("EUR", "USD", OCT31, rate_type="ECB").rate == Decimal("1.2")
    assert book.quote("USD", "EUR", OCT1, rate_type="ECB").how == "inverse"
    cross = book.quote("USD", "MXN", OCT1, rate_type="ECB")
    assert (cross.how, cross.rate) == ("cross via EUR", Decimal(20))
    with pytest.raises(RateMissing):
        book.quote("EUR", "USD", dt.date(2026, 9, 30), rate_type="ECB")


ECB = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
 xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject>
<Cube><Cube time="2026-10-30"><Cube currency="USD" rate="1.0850"/>
<Cube currency="MXN" rate="20.1234"/></Cube></Cube></gesmes:Envelope>"""


def test_the_ecb_file_imports_as_eur_rates_of_type_ecb(book: Book) -> None:
    assert book.import_rates(ECB, name="eurofxref-daily.xml", format="ecb") == 2
    assert [(r.pair, str(r.rate), r.rate_type) for r in book.list_rates()] == [
        ("EUR/MXN", "20.1234", "ECB"),
        ("EUR/USD", "1.0850", "ECB"),
    ]


def test_a_rate_file_with_problems_is_refused_whole_naming_every_row(book: Book) -> None:
    bad = (
        b"date,base,quote,rate\n2026-10-01,EUR,USD,0\n2026-13-01,EUR,USD,1\n2026-10-01,EUR,EUR,1\n"
    )
    with pytest.raises(ValidationError) as refused:
        book.import_rates(bad, name="bad.csv")
    text = str(refused.value)
    assert "bad.csv:2" in text
    assert "bad.csv:3" in text
    assert "bad.csv:4" in text
    assert book.list_rates() == []
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(ValidationError, match="DTD"):
        book.import_rates(xxe, name="evil.xml", format="ecb")


def test_the_functional_currency_cannot_be_set_after_foreign_postings(book: Book) -> None:
    book.add_customer(customer("C1", "USD"))
    _issue(book, "D1", "C1", "100.00", "USD")
    with pytest.raises(InvalidState, match="already posts in USD"):
        book.set_functional_currency("MXN")
    assert book.functional_currency() is None


def test_a_bill_run_in_pesos_keeps_each_invoices_rate_in_a_usd_book(book: Book) -> None:
    from o2c.tax import TaxProfile
    from tests.book.factories import monthly_contract, mx_customer

    book.set_functional_currency("USD", rate_type="DOF-FIX")
    book.set_rate("USD", "MXN", "20.00", effective=OCT1, rate_type="DOF-FIX")
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "3", "100.00"),)))
    result = book.bill_run("2026-10")
    [document] = [d for d in book.list_documents() if d.number]
    assert result is not None
    kept = book.document_rate(document.number or "")
    assert kept is not None
    assert (kept.base.code, kept.quote.code, kept.rate_type) == ("MXN", "USD", "DOF-FIX")
    assert kept.how == "kept"
    # 300.00 + 16 % = 348.00 MXN at 1/20: 17.40 USD of AR, 15.00 revenue, 2.40 tax.
    functional = _balanced(book, OCT31)
    assert functional["1100"] == Money.of("17.40", "USD")
    assert functional["4000"] == Money.of("-15.00", "USD")


def test_after_a_revaluation_nothing_posts_on_or_before_its_date(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.add_customer(customer("C1", "USD"))
    _issue(book, "D1", "C1", "100.00", "USD")
    with pytest.raises(ValidationError, match="the last day of a month"):
        book.revalue(OCT20)
    book.revalue(OCT31)
    journal = book.journal()
    with pytest.raises(InvalidState, match="revalued as of 2026-10-31; post on 2026-11-01"):
        book.record_payment("C1", Money.of("10.00", "USD"), date=OCT31)
    assert book.journal() == journal
    book.record_payment("C1", Money.of("10.00", "USD"), date=NOV1)


def test_foreign_cash_and_credit_are_revalued_too(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.set_rate("USD", "MXN", "16.00", effective=OCT31)
    book.add_customer(customer("C1", "USD"))
    book.record_payment("C1", Money.of("50.00", "USD"), date=OCT20)  # 850.00 MXN
    entry = book.revalue(OCT31)
    assert sorted((str(line.account), str(line.amount)) for line in entry.lines) == [
        ("1000", "-50.00 MXN"),  # the dollars held are worth 800.00
        ("2100", "50.00 MXN"),  # and so is what is owed to the customer
    ]
    assert "7300" not in _balanced(book, OCT31)  # the two cancel: no net exposure


def test_the_functional_currency_stays_once_the_journal_has_entries(book: Book) -> None:
    book.set_functional_currency("USD")
    book.set_functional_currency("MXN")  # nothing posted yet: a change is fine
    book.add_customer(customer("C1", "MXN"))
    _issue(book, "D1", "C1", "100.00", "MXN")
    assert book.document_rate("D1") is None  # in the functional currency: no rate
    with pytest.raises(InvalidState, match="functional currency is MXN"):
        book.set_functional_currency("USD")
    assert book.set_functional_currency("MXN", rate_type="DOF-FIX").code == "MXN"


def test_undoing_a_settlement_reopens_the_item_and_cancels_its_gain_exactly(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.add_customer(customer("C1", "USD"))
    number = _issue(book, "D1", "C1", "100.00", "USD")
    pay = book.record_payment("C1", Money.of("1800.00", "MXN"), date=OCT20)
    book.settle_in_currency(pay.id, [number], rate="18.00", date=OCT20)
    [entry] = [e for e in book.journal(source=pay.id) if e.kind.value == "fx_settlement"]
    back = book.unsettle(entry.id, reason="paid the wrong invoice", date=OCT31)
    assert back.reverses == entry.id
    [item] = book.open_items(as_of=OCT31)
    assert item.open == Money.of("100.00", "USD")
    functional = _balanced(book, OCT31)
    assert functional == {
        "1000": Money.of("1800.00", "MXN"),
        "1100": Money.of("1700.00", "MXN"),
        "2100": Money.of("-1800.00", "MXN"),
        "4000": Money.of("-1700.00", "MXN"),
    }
    with pytest.raises(InvalidState, match="already undone"):
        book.unsettle(entry.id, reason="again", date=OCT31)
    with pytest.raises(InvalidState, match="not a settlement"):
        book.unsettle(back.id, reason="a reversal", date=OCT31)


def test_a_refused_settlement_changes_nothing(book: Book) -> None:
    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT1)
    book.add_customer(customer("C1", "USD"))
    number = _issue(book, "D1", "C1", "100.00", "USD")
    pay = book.record_payment("C1", Money.of("100.00", "USD"), date=OCT20)
    pesos = book.record_payment("C1", Money.of("1700.00", "MXN"), date=OCT20)
    journal, audit = book.journal(), book.audit_log()
    with pytest.raises(ValidationError, match="use allocate"):
        book.settle_in_currency(pay.id, [number], rate="1", date=OCT20)
    with pytest.raises(ValidationError, match="rate: expected a rate above zero"):
        book.settle_in_currency(pesos.id, [number], rate="-17", date=OCT20)
    assert book.journal() == journal
    assert book.audit_log() == audit
    assert [i.open for i in book.open_items(as_of=OCT20)] == [Money.of("100.00", "USD")]


def test_a_bank_file_in_another_currency_imports_in_a_functional_book(book: Book) -> None:
    from o2c.ids import CustomerId, PaymentId
    from o2c.ledger import Payment

    book.set_functional_currency("MXN")
    book.set_rate("USD", "MXN", "17.00", effective=OCT20)
    book.add_customer(customer("C1", "MXN"))
    early = Payment(PaymentId("BANK-1"), CustomerId("C1"), OCT1, Money.of("10.00", "USD"))
    later = Payment(PaymentId("BANK-2"), CustomerId("C1"), OCT20, Money.of("10.00", "USD"))
    with pytest.raises(ValidationError, match=r"payments\[0\] \(BANK-1\): no BOOK rate"):
        book.import_payments([early, later])
    assert book.list_payments() == []
    assert book.import_payments([later]) == 1
    kept = book.document_rate("BANK-2")
    assert kept is not None
    assert kept.rate == 17
