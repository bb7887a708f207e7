"""A book with earlier months closed bills an open month in the compact form.

The compact form is decided once per run by ``compact_ineligibility``; the closed-month
check is on the invoices' posting date only, so closing September does not send an
October run to the general planner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from o2c.billing import BillRunPolicy, TaxContext
from o2c.billing._compact import CompactPlanner
from o2c.billing.compact_eligibility import CompactRunTerms, compact_ineligibility
from o2c.book import Book
from o2c.book._bill_run import run_context
from o2c.calendar import Period
from o2c.errors import PeriodClosed
from o2c.tax import TaxProfile, bundled_table
from tests.book.clock import FakeClock
from tests.book.factories import monthly_contract, mx_customer
from tests.store.backends import BACKENDS, book_url

OCT = "2026-10"
SEP = Period.month(2026, 9)
OCT_31 = dt.date(2026, 10, 31)

#: Every table a bill run writes but the audit trail (closing a month adds an event).
TABLES = {
    "documents": "id",
    "document_lines": "document_id, line_no",
    "document_taxes": "document_id, row_no",
    "journal_entries": "id",
    "journal_lines": "entry_id, line_no",
    "bill_run_items": "run_key",
    "exceptions": "id",
    "number_series": "series",
}


@pytest.fixture(params=BACKENDS)
def open_book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Book]]:
    """Open a fresh book (by name) on the backend, with a clock that stands still."""
    with ExitStack() as stack:

        def opener(name: str) -> Book:
            folder = tmp_path / name
            folder.mkdir(exist_ok=True)
            url = stack.enter_context(book_url(request.param, folder))
            clock = FakeClock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
            book = stack.enter_context(Book.open(url, actor="ana", clock=clock))
            return book

        yield opener


def _filled(book: Book) -> Book:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    for cid in ("C1", "C2"):
        book.add_customer(mx_customer(cid))
    book.add_contract(
        monthly_contract("K1", "C1", (("SEAT", "3", "100.00"), ("API", "2", "0.125")))
    )
    book.add_contract(monthly_contract("K2", "C2", (("SEAT", "1", "100.00"),), tiered=True))
    return book


def _dump(book: Book) -> dict[str, list[tuple[Any, ...]]]:
    with book.store.transaction(write=False):
        return {
            table: [tuple(r) for r in book.store.query(f"SELECT * FROM {table} ORDER BY {key}")]
            for table, key in TABLES.items()
        }


def _count_compact(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the contracts the compact planner bills."""
    planned: list[str] = []
    plan = CompactPlanner.plan

    def counting(self: CompactPlanner, data: Any, *args: Any, **kwargs: Any) -> Any:
        invoice = plan(self, data, *args, **kwargs)
        if invoice is not None:
            planned.append(invoice.contract_id)
        return invoice

    monkeypatch.setattr(CompactPlanner, "plan", counting)
    return planned


def test_a_closed_past_month_leaves_an_open_period_on_the_compact_path(
    open_book: Callable[[str], Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = _count_compact(monkeypatch)
    open_ = _filled(open_book("open"))
    open_.bill_run(OCT)
    assert planned == ["K1", "K2"]

    planned.clear()
    closed = _filled(open_book("closed"))
    closed.close_period(SEP, actor="controller")
    ctx = run_context(
        closed._session, Period.parse(OCT), OCT_31, OCT_31, issue=True, dry_run=False, who="ana"
    )
    assert ctx.compact is not None
    assert ctx.compact_reason is None
    result = closed.bill_run(OCT)
    assert planned == ["K1", "K2"]
    assert result.invoices == 2
    assert _dump(closed) == _dump(open_)
    assert closed.trial_balance(OCT_31).is_balanced


def test_a_closed_posting_month_turns_the_compact_path_off_and_refuses_the_run(
    open_book: Callable[[str], Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = _count_compact(monkeypatch)
    book = _filled(open_book("closed"))
    book.close_period(OCT, actor="controller")
    ctx = run_context(
        book._session, Period.parse(OCT), OCT_31, OCT_31, issue=True, dry_run=False, who="ana"
    )
    assert ctx.compact is None
    assert ctx.compact_reason == "the posting month 2026-10 is closed"
    with pytest.raises(PeriodClosed):
        book.bill_run(OCT)
    assert planned == []
    # A dry run posts nothing: the compact form applies.
    assert book.bill_run(OCT, dry_run=True).invoices == 2
    assert planned == ["K1", "K2"]


def _terms(**how: Any) -> CompactRunTerms:
    tax = TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table())
    fields: dict[str, Any] = {
        "tax": tax,
        "policy": BillRunPolicy(),
        "invoice_date": OCT_31,
        "posts": True,
        "closed_months": frozenset(),
    }
    fields.update(how)
    return CompactRunTerms(**fields)


@pytest.mark.parametrize(
    "closed",
    [frozenset(), frozenset({SEP}), frozenset({SEP, Period.month(2026, 11)})],
)
def test_compact_form_is_eligible_when_the_posting_month_is_open(
    closed: frozenset[Period],
) -> None:
    assert compact_ineligibility(_terms(closed_months=closed)) is None


def test_compact_form_is_ineligible_only_when_the_posting_month_is_closed_and_it_posts() -> None:
    closed = frozenset({Period.month(2026, 10)})
    assert compact_ineligibility(_terms(closed_months=closed)) == (
        "the posting month 2026-10 is closed"
    )
    assert compact_ineligibility(_terms(closed_months=closed, posts=False)) is None


def test_compact_form_is_ineligible_for_tax_inclusive_prices_or_another_policy() -> None:
    tax = TaxContext(TaxProfile("MX", tax_id="AAA010101AAA"), bundled_table())
    inclusive = TaxContext(tax.seller, tax.table, prices_include_tax=True)
    assert compact_ineligibility(_terms(tax=inclusive)) == "prices include tax"
    lenient = BillRunPolicy(allow_negative=True)
    assert compact_ineligibility(_terms(policy=lenient)) == (
        "the run's validation policy is not the default one"
    )
