"""The collector's worklist and the credit check (pure): examples and invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from o2c.credit import (
    Contact,
    CreditCheck,
    PromiseId,
    PromiseStatus,
    PromiseToPay,
    collections_worklist,
    promise_outcome,
)
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

USD, MXN = Currency.of("USD"), Currency.of("MXN")
AS_OF = dt.date(2026, 12, 10)


def _item(
    doc: str,
    customer: str,
    due: dt.date,
    units: int,
    *,
    currency: Currency = USD,
    disputed: int = 0,
    extended: dt.date | None = None,
) -> OpenItem:
    return OpenItem(
        DocumentId(doc), f"INV-{doc}", DocumentKind.INVOICE, CustomerId(customer), currency,
        dt.date(2026, 9, 1), due, Money.from_minor(units, currency),
        Money.from_minor(units, currency),
        disputed=Money.from_minor(disputed, currency) if disputed else None,
        extended_due=extended,
    )  # fmt: skip


def test_disputed_and_extended_parts_are_not_overdue_and_currencies_rank_apart() -> None:
    items = [
        _item("1", "C1", dt.date(2026, 11, 1), 50_000, disputed=49_000),  # 10.00 overdue
        _item("2", "C1", dt.date(2026, 11, 1), 9_000, extended=dt.date(2026, 12, 20)),
        _item("3", "C2", dt.date(2026, 12, 1), 2_000),
        _item("4", "C3", dt.date(2026, 10, 1), 100_000, currency=MXN),
    ]
    rows = collections_worklist(items, as_of=AS_OF, holds={"C3"})
    assert [(r.currency.code, r.rank, r.customer, str(r.overdue), r.items) for r in rows] == [
        ("MXN", 1, "C3", "1000.00 MXN", 1),
        ("USD", 1, "C2", "20.00 USD", 1),
        ("USD", 2, "C1", "10.00 USD", 1),
    ]
    c1 = rows[2]
    assert (str(c1.open), str(c1.disputed), c1.oldest_days) == ("590.00 USD", "490.00 USD", 39)
    assert rows[0].on_hold


def test_promises_and_contacts_are_carried() -> None:
    promise = PromiseToPay(
        PromiseId("PTP-1"), CustomerId("C1"), Money.of("5.00", USD),
        promised_on=dt.date(2026, 11, 20), taken_on=dt.date(2026, 11, 10), taken_by="ana",
        documents=(DocumentId("1"),), note_id="NT-1",
    )  # fmt: skip
    broken = promise_outcome(promise, [], as_of=AS_OF)
    assert broken.status is PromiseStatus.BROKEN
    when = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    (row,) = collections_worklist(
        [_item("1", "C1", dt.date(2026, 11, 1), 1_000)],
        as_of=AS_OF,
        names={"C1": "Acme"},
        contacts={"C1": Contact(when, "phone", "called", "ana")},
        promises=[broken],
    )
    assert (row.name, row.promises_not_kept, row.promises_pending, row.last_contact) == (
        "Acme",
        1,
        0,
        Contact(when, "phone", "called", "ana"),
    )
    (later,) = collections_worklist(
        [_item("1", "C1", dt.date(2026, 11, 1), 1_000)],
        as_of=AS_OF + dt.timedelta(days=30),
        promises=[promise_outcome(promise, [], as_of=AS_OF + dt.timedelta(days=30))],
    )
    assert later.promises_not_kept == 0  # its grace ended more than 30 days before


items_st = st.lists(
    st.builds(
        _item,
        st.integers(0, 10_000).map(str),
        st.sampled_from(["C1", "C2", "C3", "C4"]),
        st.integers(-60, 60).map(lambda n: AS_OF + dt.timedelta(days=n)),
        st.integers(0, 10**7),
        currency=st.sampled_from([USD, MXN]),
        disputed=st.integers(0, 10**6),
        extended=st.none() | st.integers(-30, 30).map(lambda n: AS_OF + dt.timedelta(days=n)),
    ),
    max_size=25,
    unique_by=lambda i: i.document_id,
)


@given(items_st)
def test_the_worklist_adds_up_and_is_ranked(items: list[OpenItem]) -> None:
    rows = collections_worklist(items, as_of=AS_OF)
    for currency in (USD, MXN):
        mine = [r for r in rows if r.currency == currency]
        assert [r.rank for r in mine] == list(range(1, len(mine) + 1))
        keys = [(-r.overdue.amount, -r.oldest_days) for r in mine]
        assert keys == sorted(keys)
        expected = Money.zero(currency)
        for i in items:
            if i.currency != currency:
                continue
            chased = i.open - (i.disputed or Money.zero(currency)).min(i.open)
            if (AS_OF - (i.extended_due or i.due_date)).days > 0 and chased.is_positive:
                expected += chased
        assert sum((r.overdue for r in mine), Money.zero(currency)) == expected
        for row in mine:
            assert row.items >= 1
            assert row.overdue.is_positive
            assert row.overdue <= row.open - row.disputed


money_st = st.integers(0, 10**8).map(lambda n: Money.from_minor(n, USD))


@given(st.none() | money_st, money_st, money_st, money_st, st.booleans())
def test_blocked_means_on_hold_or_exposure_over_the_limit(
    limit: Money | None, receivable: Money, unapplied: Money, candidate: Money, hold: bool
) -> None:
    check = CreditCheck(
        CustomerId("C1"),
        limit,
        receivable=receivable,
        unapplied=unapplied,
        candidate=candidate,
        on_hold=hold,
    )
    assert check.exposure == receivable - unapplied + candidate
    over = limit is not None and check.exposure > limit
    assert check.blocked is (hold or over)
    assert (check.reason is None) is (not check.blocked)
    if limit is not None:
        assert check.headroom is not None
        assert check.over_limit is (candidate > check.headroom)
