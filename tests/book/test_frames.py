"""DataFrames of a book for analysts: exact amounts, typed columns, both stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas", reason="the frames extra (pandas) is not installed")

from o2c.book import Book  # noqa: E402
from o2c.book.frames import column_kinds, table_frame, to_frame  # noqa: E402
from o2c.errors import ValidationError  # noqa: E402
from o2c.ledger import AgingReport  # noqa: E402
from o2c.money import Money  # noqa: E402
from tests.book.factories import customer, invoice_draft  # noqa: E402


def _billed(book: Book) -> None:
    """Two USD invoices (116.00 and 58.00), one JPY invoice (1,160), 100.00 USD paid."""
    book.add_customer(customer("C1", "USD"))
    book.add_customer(customer("C2", "JPY", name="Nihon KK"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=dt.date(2026, 10, 1))
    book.create_invoice(
        invoice_draft("D2", "C1", (("API", "2", "25.00"),)), issue_date=dt.date(2026, 10, 2)
    )
    book.create_invoice(
        invoice_draft("D3", "C2", (("SETUP", "1", "1000"),), currency="JPY"),
        issue_date=dt.date(2026, 10, 3),
    )
    book.record_payment("C1", Money.of("100.00", "USD"), date=dt.date(2026, 10, 20), allocate=True)


def test_documents_carry_exact_decimal_amounts_beside_the_minor_units(book: Book) -> None:
    _billed(book)
    docs = table_frame(book, "documents").set_index("id")
    assert docs.loc["D1", "payable_minor"] == 11600
    assert docs.loc["D1", "payable"] == Decimal("116.00")
    assert docs.loc["D2", "net"] == Decimal("50.00")
    assert docs.loc["D3", "payable"] == Decimal("1160")  # JPY has no minor unit
    # The amount column sits right after its minor-units column.
    columns = list(docs.columns)
    assert columns[columns.index("net_minor") + 1] == "net"
    assert sum(docs.loc[docs.currency == "USD", "payable"]) == Decimal("174.00")


def test_dates_timestamps_decimals_and_json_are_typed_the_same_on_both_stores(
    book: Book,
) -> None:
    _billed(book)
    docs = table_frame(book, "documents").set_index("id")
    assert docs["issue_date"].dtype.kind == "M"
    assert docs.loc["D1", "issue_date"] == pd.Timestamp("2026-10-01")
    assert docs.loc["D1", "due_date"] == pd.Timestamp("2026-10-31")
    assert str(docs["created_at"].dt.tz) == "UTC"
    snapshot = docs.loc["D1", "customer_snapshot"]
    assert isinstance(snapshot, dict)
    assert snapshot["customer_id"] == "C1"
    lines = table_frame(book, "document_lines", where={"document_id": "D2"})
    assert list(lines["quantity"]) == [Decimal("2")]
    assert list(lines["unit_price"]) == [Decimal("25.00")]
    assert list(lines["net"]) == [Decimal("50.00")]


def test_the_journal_balances_per_currency_in_exact_decimals(book: Book) -> None:
    _billed(book)
    journal = table_frame(book, "journal_lines")
    assert all(isinstance(amount, Decimal) for amount in journal["amount"])
    totals = journal.groupby("currency")["amount"].sum()
    assert totals["USD"] == Decimal("0.00")
    assert totals["JPY"] == Decimal("0")


def test_a_view_gets_its_types_from_the_columns_it_shows(book: Book) -> None:
    _billed(book)
    open_items = table_frame(book, "ar_open_items").set_index("document_id")
    assert open_items.loc["D1", "open"] == Decimal("16.00")  # 116.00 less 100.00 paid
    assert open_items.loc["D2", "open"] == Decimal("58.00")
    assert open_items["issue_date"].dtype.kind == "M"


def test_filters_and_limits(book: Book) -> None:
    _billed(book)
    assert list(table_frame(book, "documents", where={"currency": "JPY"})["id"]) == ["D3"]
    assert len(table_frame(book, "documents", limit=2)) == 2
    assert table_frame(book, "documents", where={"customer_id": "nobody"}).empty


def test_unknown_tables_and_filter_columns_are_refused_by_name(book: Book) -> None:
    with pytest.raises(ValidationError, match=r"table.*'invoices; DROP TABLE x'"):
        table_frame(book, "invoices; DROP TABLE x")
    with pytest.raises(ValidationError, match=r"where.*'amount = 1 OR 1'"):
        table_frame(book, "documents", where={"amount = 1 OR 1": 1})


def test_open_items_to_frame_one_row_each_with_money_as_decimal(book: Book) -> None:
    _billed(book)
    frame = to_frame(book.open_items(as_of=dt.date(2026, 10, 31))).set_index("document_id")
    assert frame.loc["D1", "open"] == Decimal("16.00")
    assert frame.loc["D1", "original"] == Decimal("116.00")
    assert frame.loc["D1", "currency"] == "USD"
    assert frame.loc["D3", "open"] == Decimal("1160")
    assert frame["due_date"].dtype.kind == "M"
    assert frame.loc["D1", "kind"] == "invoice"


def test_aging_rows_flatten_nested_values_into_dotted_columns(book: Book) -> None:
    _billed(book)
    report: AgingReport = book.aging(dt.date(2026, 12, 15))
    frame = to_frame(report.rows)
    assert len(frame) == len(report.rows) == 2
    assert "customer" in frame.columns


def test_amounts_of_different_currencies_in_one_value_keep_their_own_currency() -> None:
    import attrs

    @attrs.frozen
    class Fx:
        paid: Money
        booked: Money

    frame = to_frame([Fx(Money.of("10.00", "USD"), Money.of("9.250", "KWD"))])
    assert frame.loc[0, "paid"] == Decimal("10.00")
    assert frame.loc[0, "paid_currency"] == "USD"
    assert frame.loc[0, "booked"] == Decimal("9.250")
    assert frame.loc[0, "booked_currency"] == "KWD"
    assert "currency" not in frame.columns


def test_to_frame_refuses_what_is_not_a_value() -> None:
    with pytest.raises(ValidationError, match=r"value.*an attrs value"):
        to_frame([{"amount": "1.00"}])
    assert to_frame([]).empty


def test_every_typed_column_kind_is_one_the_frames_know() -> None:
    kinds = {kind for columns in column_kinds().values() for kind in columns.values()}
    assert kinds <= {"money", "decimal", "date", "timestamp", "json", "serial"}
    assert column_kinds()["journal_lines"]["amount_minor"] == "money"


def test_aging_rows_keep_every_bucket_amount_as_its_own_exact_column(book: Book) -> None:
    _billed(book)
    report = book.aging(dt.date(2026, 12, 15))
    frame = to_frame(report.rows).set_index("customer")
    # D1 (16.00 left, due 2026-10-31) and D2 (58.00, due 2026-11-01) are 45 and 44 days late.
    assert [frame.loc["C1", f"buckets.{i}"] for i in range(5)] == [
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("74.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert frame.loc["C2", "buckets.2"] == Decimal("1160")
    assert frame.loc["C1", "currency"] == "USD"


def test_an_aging_report_frame_names_the_buckets_and_ends_with_the_totals(book: Book) -> None:
    _billed(book)
    frame = to_frame(book.aging(dt.date(2026, 12, 15)))
    assert list(frame.columns) == [
        "customer", "currency", "current", "1-30", "31-60", "61-90", "90+",
        "disputed", "unapplied", "total",
    ]  # fmt: skip
    usd_total = frame[frame.customer.isna() & (frame.currency == "USD")].iloc[0]
    assert usd_total["31-60"] == Decimal("74.00")
    assert usd_total["total"] == Decimal("74.00")
    assert sum(frame.loc[frame.customer.notna(), "31-60"]) == Decimal("1234.00")  # mixed sum


def test_kpis_of_a_multi_currency_book_are_one_row_per_currency(book: Book) -> None:
    from o2c.book.frames import kpi_frame

    _billed(book)
    oct1, nov1 = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    frame = kpi_frame(book, oct1, nov1, as_of=dt.date(2026, 11, 30)).set_index("currency")
    assert list(frame.index) == ["JPY", "USD"]
    usd = {k.name: k.value for k in book.kpis(oct1, nov1, currency="USD")}
    defined = {name: value for name, value in usd.items() if value is not None}
    assert {name: frame.loc["USD", name] for name in defined} == defined
    assert frame.loc["USD", "dso"] == Decimal("13.18")
    assert frame.loc["USD", "aging_current"] == Decimal("1.0000")
    jpy = {k.name: k.value for k in book.kpis(oct1, nov1, currency="JPY")}
    assert frame.loc["JPY", "dso"] == jpy["dso"]
    assert set(book.kpis_by_currency(oct1, nov1)) == {"JPY", "USD"}
    single = kpi_frame(book, oct1, nov1, currency="JPY")
    assert list(single["currency"]) == ["JPY"]
