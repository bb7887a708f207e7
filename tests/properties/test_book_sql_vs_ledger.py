"""Random command sequences: the Book's SQL reports equal the ledger's reference functions.

For any sequence of invoices, payments (allocated or not), credit notes, voids,
unallocations, write-offs, refunds and promises to pay, as of any date: SQL aging,
balances, trial balance and open items equal the pure functions over the stored journal;
replaying the stored records reproduces the journal; refused commands leave no trace; a
promise judged as of a date is judged the same after any later command, and what counted
towards it never exceeds what the customer paid; every late fee a dunning run charged is
one issued debit note of exactly its amount on the invoice it names.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from o2c.book import Book
from o2c.credit import PromiseOutcome, PromiseStatus
from o2c.errors import O2CError
from o2c.ledger import aging_report, customer_balances, open_items, trial_balance
from o2c.ledger.aging import AgingBasis
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.book.replay import replay_journal

START = dt.date(2026, 10, 1)
CUSTOMERS = ("C1", "C2")

op = st.one_of(
    st.tuples(
        st.just("invoice"),
        st.sampled_from(CUSTOMERS),
        st.integers(1, 9),
        st.integers(1, 99_999),
    ),
    st.tuples(st.just("pay"), st.sampled_from(CUSTOMERS), st.integers(1, 300_000), st.booleans()),
    st.tuples(st.just("credit"), st.integers(0, 20), st.booleans(), st.just(0)),
    st.tuples(st.just("void"), st.integers(0, 20), st.just(0), st.just(0)),
    st.tuples(st.just("unallocate"), st.integers(0, 20), st.just(0), st.just(0)),
    st.tuples(st.just("write_off"), st.integers(0, 20), st.integers(1, 500), st.just(0)),
    st.tuples(st.just("refund"), st.sampled_from(CUSTOMERS), st.integers(1, 50_000), st.just(0)),
    st.tuples(st.just("promise"), st.sampled_from(CUSTOMERS), st.integers(0, 10), st.booleans()),
    st.tuples(st.just("dunning"), st.just(0), st.integers(0, 60), st.just(0)),
)
steps = st.lists(st.tuples(op, st.integers(0, 6)), min_size=1, max_size=14)


def _usd(cents: int) -> Money:
    return Money.from_minor(cents, "USD")


def _footprint(book: Book) -> tuple[object, ...]:
    tables = (
        "documents",
        "journal_lines",
        "payments",
        "allocations",
        "audit_events",
        "promises",
        "notes",
    )
    return tuple(book.store.query(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables)


def _pick(index: int, ids: list[str]) -> str | None:
    return ids[index % len(ids)] if ids else None


def _apply(book: Book, step: tuple[str, object, int, object], day: dt.date, n: int) -> None:
    kind, a, b, c = step
    docs: list[str] = [d.id for d in book.list_documents()]
    if kind == "invoice":
        lines = tuple(("ITEM", "1", f"{int(str(c)) + k}.{k}7") for k in range(b))
        book.create_invoice(invoice_draft(f"X-{n}", str(a), lines=lines), issue_date=day)
    elif kind == "pay":
        book.record_payment(str(a), _usd(b), date=day, allocate=bool(c))
    elif kind == "credit":
        target = _pick(int(str(a)), docs)
        if target is not None:
            amount = None if b else _usd(100)
            book.create_credit_note(target, reason="goodwill", amount=amount, date=day)
    elif kind == "void":
        target = _pick(int(str(a)), docs)
        if target is not None:
            book.void_document(target, reason="mistake", date=day)
    elif kind == "unallocate":
        records = [r for r in book.list_allocations() if r.unallocated_by is None]
        if records:
            record = records[int(str(a)) % len(records)]
            book.unallocate(record.entry_id, reason="bounced", date=day)
    elif kind == "write_off":
        target = _pick(int(str(a)), docs)
        if target is not None:
            book.write_off(target, _usd(b), reason="small_balance", date=day)
    elif kind == "refund":
        credits = book.credits(as_of=day, customer=str(a))
        if credits:
            book.refund(credits[0].source, _usd(b), reason="requested", date=day)
    elif kind == "dunning":
        # The run charges late fees (12 % a year and 1.00 once) by debit notes.
        book.run_dunning(day + dt.timedelta(days=b))
    elif kind == "promise":
        amount = _usd(5_000) if c else None
        book.add_promise(str(a), day + dt.timedelta(days=b), amount=amount, date=day)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_sql_reports_equal_the_ledger_reference_for_any_command_sequence(
    plan: list[tuple[tuple[str, object, int, object], int]],
) -> None:
    with Book.open(":memory:", actor="prop") as book:
        for cid in CUSTOMERS:
            book.add_customer(customer(cid))
        book.set_policy_settings({"late_fee.standard": "interest 12%; fixed 1.00 USD"})
        day = START
        judged: dict[tuple[str, dt.date], PromiseOutcome] = {}
        for n, (step, gap) in enumerate(plan):
            day += dt.timedelta(days=gap)
            # Every later command is dated ``day`` or after: the day before is settled.
            for outcome in book.list_promises(as_of=day - dt.timedelta(days=1)):
                judged[(outcome.promise.id, outcome.as_of)] = outcome
            before = _footprint(book)
            try:
                _apply(book, step, day, n)
                event(f"{step[0]} done")
            except O2CError:
                event(f"{step[0]} refused")
                assert _footprint(book) == before, f"refused {step[0]} left a trace"
        journal = book.journal()
        for as_of in (START, START + dt.timedelta(days=20), day, day + dt.timedelta(days=400)):
            assert book.open_items(as_of=as_of) == list(open_items(journal, as_of))
            assert book.balances(as_of) == list(customer_balances(journal, as_of))
            assert book.trial_balance(as_of) == trial_balance(journal, as_of)
            for basis in AgingBasis:
                assert book.aging(as_of, basis=basis) == aging_report(journal, as_of, basis=basis)
            assert book.reconcile(as_of).differences == ()
        assert replay_journal(book) == journal
        for charged in book.list_late_fees():
            note = book.get_document(charged.debit_note_id)
            assert note.reference == charged.fee.document_id
            assert note.totals.payable == charged.fee.amount
        for (promise_id, as_of), outcome in judged.items():
            assert book.promise(promise_id, as_of=as_of) == outcome
        for outcome in book.list_promises(as_of=day + dt.timedelta(days=400)):
            assert outcome.status is not PromiseStatus.PENDING
            paid = sum(
                (
                    p.amount
                    for p in book.list_payments()
                    if p.customer == outcome.promise.customer_id
                ),
                Money.zero("USD"),
            )
            assert outcome.paid <= paid
