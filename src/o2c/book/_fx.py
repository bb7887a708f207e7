"""Multi-currency valuation on the Book: rates, functional currency, FX settlement,
revaluation, and the journal valued in the functional currency (issue 19).

Design (why functional amounts are derived, not stored per line): the journal writer's
hot path (bill runs of 100,000 invoices) is unchanged; a book with a functional currency
only keeps, once, the rate of each foreign source when it posts
(:mod:`o2c.book._fx_rates`). The functional value of every line is then derived by
replaying the journal with those kept rates (:func:`o2c.fx.value_journal`): exact,
reproducible (DESIGN.md invariant 7), and with every realized FX difference and every
rounding difference on its named account. Revaluations exist only in the functional
currency and are kept in their own table, interleaved by date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from o2c.book import _catalog as catalog
from o2c.book import _fx_settle as settling
from o2c.book._area import Area
from o2c.book._fx_rates import (
    FUNCTIONAL_SETTING,
    RATE_TYPE_SETTING,
    book_rate_type,
    functional_currency,
    rate_table,
)
from o2c.book._journal import (
    accounting_periods,
    credit_item,
    journal,
    open_items,
)
from o2c.book._lookups import document_id, source_id
from o2c.book._session import Session, Touched
from o2c.book._tables import fx as fx_table
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.fx import (
    DEFAULT_FX_ACCOUNTS,
    FunctionalEntry,
    Quote,
    Rate,
    RateSource,
    RateType,
    RevaluationLine,
    Settlement,
    account_balances,
    first_of_next_month,
    item_balances,
    parse_ecb_xml,
    parse_rates_csv,
    rate_type,
    revaluation_entries,
    revaluation_lines,
    value_journal,
)
from o2c.ids import AccountCode, CustomerId, DocumentId
from o2c.ledger.journal import JournalEntry
from o2c.money import Currency, Money, Rounding

__all__ = ["FunctionalItem", "FxMixin"]


@attrs.frozen(slots=True)
class FunctionalItem:
    """An open item (or unapplied credit) with its value in the functional currency.

    Attributes:
        account: AR control or unapplied cash.
        item: The document id (AR) or credit source (unapplied).
        customer: Whose.
        open: What is open, in the item's own currency.
        value: Its carrying value in the functional currency.
    """

    account: AccountCode
    item: str
    customer: CustomerId | None
    open: Money
    value: Money


# -- settings and rates ----------------------------------------------------------------


def set_functional_currency(
    session: Session,
    currency: str | Currency,
    *,
    kind: str | None,
    actor: str | None,
    idempotency_key: str | None,
) -> Currency:
    """Set the functional currency and the book's rate type (``Book.set_functional_currency``)."""
    cur = Currency.of(currency)
    chosen = None if kind is None else rate_type(kind)

    def body(touched: Touched) -> dict[str, Any]:
        current = functional_currency(session)
        if current is not None and current != cur and fx_table.has_entries(session.store):
            raise InvalidState(
                f"the book's functional currency is {current.code} and the journal has "
                f"entries; it cannot become {cur.code}"
            )
        if current is None:
            foreign = fx_table.foreign_currencies(session.store, cur.code)
            if foreign:
                raise InvalidState(
                    f"the journal already posts in {', '.join(foreign)} without rates; set "
                    "the functional currency before posting in other currencies"
                )
        session.set_setting(FUNCTIONAL_SETTING, cur.code)
        if chosen is not None:
            session.set_setting(RATE_TYPE_SETTING, chosen)
        touched.add(FUNCTIONAL_SETTING)
        return {"currency": cur.code}

    session.run(
        "set_functional_currency",
        actor=actor,
        key=idempotency_key,
        args={"currency": cur.code, "rate_type": chosen},
        body=body,
    )
    return cur


def store_rates(
    session: Session,
    rates: Sequence[Rate],
    *,
    command: str,
    args: Mapping[str, object],
    actor: str | None,
    idempotency_key: str | None,
) -> int:
    """Store ``rates`` as one command; returns how many."""
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        fx_table.upsert_rates(session.store, rates, actor=who, now=session.now().isoformat())
        touched.extend(f"{r.pair}:{r.rate_type}:{r.effective}" for r in rates[:100])
        return {"count": len(rates)}

    result = session.run(command, actor=actor, key=idempotency_key, args=args, body=body)
    return int(result["count"])


def parse_rate_file(data: bytes, *, name: str, fmt: str, kind: str | None) -> tuple[Rate, ...]:
    """The rates of a CSV or ECB XML file.

    Raises:
        ValidationError: On ``file``, listing every problem of the file.
    """
    if fmt == "ecb":
        rates, problems = parse_ecb_xml(data, name, kind=kind or "ECB")
    elif fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("file", name, "a UTF-8 CSV file") from None
        rates, problems = parse_rates_csv(text, name, default_type=kind or "BOOK")
    else:
        raise ValidationError("format", fmt, "csv or ecb")
    if problems:
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ValidationError(
            "file", name, "a valid rate file", message=f"{name} refused: {shown}{more}"
        )
    return rates


# -- valuation -------------------------------------------------------------------------


def _revaluation_entries(session: Session) -> list[FunctionalEntry]:
    result: list[FunctionalEntry] = []
    for (rid, as_of, _back, functional, _kind), rows in fx_table.revaluation_rows(session.store):
        fun = Currency.of(functional)
        lines = [
            RevaluationLine(
                AccountCode(str(r[0])),
                None if r[1] is None else CustomerId(str(r[1])),
                None if r[2] is None else str(r[2]),
                Money.from_minor(int(r[4]), str(r[3])),
                Decimal(str(r[5])),
                Money.from_minor(int(r[6]), fun),
            )
            for r in rows
        ]
        result.extend(revaluation_entries(rid, as_of, lines, functional=fun))
    return result


def functional_journal(
    session: Session, as_of: dt.date | None = None
) -> tuple[FunctionalEntry, ...]:
    """The journal valued in the functional currency (``Book.functional_journal``).

    Raises:
        InvalidState: The book has no functional currency.
    """
    fun = functional_currency(session)
    if fun is None:
        raise InvalidState(
            "the book has no functional currency; set one with o2c fx functional CUR"
        )
    entries = journal(session, as_of=as_of)
    extra = [e for e in _revaluation_entries(session) if as_of is None or e.date <= as_of]
    kind = book_rate_type(session)
    table = rate_table(session, kind=kind)

    def fallback(currency: Currency, day: dt.date) -> Quote:
        # Entries with no source rate of their own (revenue recognition): the book's
        # rate on their date.
        return table.quote(currency, fun, day, kind)

    return value_journal(
        entries,
        functional=fun,
        rates=fx_table.source_rates(session.store),
        receivable=session.chart.receivable.code,
        unapplied=session.chart.unapplied.code,
        accounts=DEFAULT_FX_ACCOUNTS,
        rounding=_rounding(session),
        extra=extra,
        fallback=fallback,
    )


def _rounding(session: Session) -> Rounding:
    return catalog.rounding(session)


def functional_items(session: Session, as_of: dt.date) -> list[FunctionalItem]:
    """Open AR items and unapplied credits with their functional value."""
    valued = functional_journal(session, as_of)
    result = []
    for account in (session.chart.receivable.code, session.chart.unapplied.code):
        for item, (customer, doc, value) in sorted(item_balances(valued, as_of, account).items()):
            result.append(FunctionalItem(account, item, customer, doc, value))
    return result


# -- revaluation -----------------------------------------------------------------------


def revalue(
    session: Session,
    as_of: dt.date,
    *,
    kind: str | None,
    actor: str | None,
    idempotency_key: str | None,
) -> FunctionalEntry:
    """Revalue open foreign items, credits and foreign cash at ``as_of``
    (``Book.revalue``); reversed on the first day of the next month."""
    who = session.who(actor)
    rid = f"FXR-{as_of.isoformat()}"

    def body(touched: Touched) -> dict[str, Any]:
        fun = functional_currency(session)
        if fun is None:
            raise InvalidState("the book has no functional currency; nothing to revalue")
        accounting_periods(session).check_open(as_of)
        if first_of_next_month(as_of) != as_of + dt.timedelta(days=1):
            # Reversed the next day, so no posting can fall between the two.
            raise ValidationError("as_of", as_of.isoformat(), "the last day of a month")
        latest = fx_table.latest_revaluation(session.store)
        if latest == as_of:
            raise InvalidState(f"open foreign items were already revalued as of {as_of}")
        if latest is not None and latest > as_of:
            raise InvalidState(
                f"open foreign items were revalued as of {latest}, after {as_of}; "
                "revaluations go forward month by month"
            )
        chosen = rate_type(kind) if kind is not None else book_rate_type(session)
        table = rate_table(session, kind=chosen)
        lines = revaluation_lines(
            functional_journal(session, as_of),
            as_of,
            functional=fun,
            quote=lambda cur: table.quote(cur, fun, as_of, chosen),
            receivable=session.chart.receivable.code,
            unapplied=session.chart.unapplied.code,
            cash=session.chart.cash.code,
            rounding=_rounding(session),
        )
        # The restated balances only: the unrealized line and the reversal are derived.
        rows = [
            (
                str(r.account),
                r.customer,
                r.item,
                r.open.currency.code,
                r.open.minor_units,
                str(r.rate),
                r.adjustment.minor_units,
            )
            for r in lines
        ]
        fx_table.insert_revaluation(
            session.store,
            (rid, as_of, first_of_next_month(as_of), fun.code, chosen),
            rows,
            actor=who,
            now=session.now().isoformat(),
        )
        touched.add(rid)
        return {"id": rid}

    session.run(
        "revalue_fx",
        actor=actor,
        key=idempotency_key,
        args={"as_of": as_of, "rate_type": kind},
        body=body,
    )
    return next(e for e in _revaluation_entries(session) if e.entry_id == rid)


# -- the Book's FX group ---------------------------------------------------------------


class FxMixin(Area):
    """Exchange rates, the functional currency and multi-currency valuation."""

    def set_functional_currency(
        self,
        currency: str | Currency,
        *,
        rate_type: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Currency:
        """Set the book's functional (base) currency and, optionally, its rate type.

        From then on every invoice, credit note, debit note and payment posted in
        another currency keeps its rate (of ``rate_type``, ``BOOK`` by default, on its
        date) and fails with :class:`~o2c.fx.RateMissing` when there is none.

        Raises:
            InvalidState: The journal already posts in other currencies, or has entries
                and another functional currency was set.
        """
        return set_functional_currency(
            self._session,
            currency,
            kind=rate_type,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def functional_currency(self) -> Currency | None:
        """The book's functional currency, or None."""
        return functional_currency(self._session)

    def set_rate(
        self,
        base: str | Currency,
        quote: str | Currency,
        rate: Decimal | str | int,
        *,
        effective: dt.date,
        rate_type: str = "BOOK",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Rate:
        """Enter one rate by hand: ``rate`` units of ``quote`` per ``base`` from ``effective``.

        Raises:
            ValidationError: Unknown currency, same currency twice, a rate not above 0.
        """
        made = Rate.of(base, quote, rate, effective, rate_type, "manual")
        store_rates(
            self._session,
            [made],
            command="set_fx_rate",
            args={
                "pair": made.pair,
                "rate": str(made.rate),
                "effective": effective,
                "rate_type": made.rate_type,
            },
            actor=actor,
            idempotency_key=idempotency_key,
        )
        return made

    def import_rates(
        self,
        rates: Iterable[Rate] | bytes,
        *,
        name: str = "rates",
        format: str = "csv",
        rate_type: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Import rates: :class:`~o2c.fx.Rate` values, or a file's bytes (``format``
        ``csv`` or ``ecb`` for the ECB's eurofxref XML). Returns how many were stored.

        Raises:
            ValidationError: The file has problems (all are listed; nothing is stored).
        """
        if isinstance(rates, bytes):
            parsed = parse_rate_file(rates, name=name, fmt=format, kind=rate_type)
        else:
            parsed = tuple(rates)
            for r in parsed:
                if not isinstance(r, Rate):
                    raise ValidationError("rates", r, "Rate values")
        return store_rates(
            self._session,
            list(parsed),
            command="import_fx_rates",
            args={"name": name, "count": len(parsed)},
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def pull_rates(
        self,
        source: RateSource,
        on: dt.date,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Store the rates an app's callable ``source(on)`` returns (a feed, an API)."""
        return self.import_rates(
            list(source(on)),
            name=f"source:{on.isoformat()}",
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_rates(
        self, *, rate_type: str | None = None, currency: str | None = None
    ) -> list[Rate]:
        """Stored rates by pair, type and date (of one type, or touching one currency)."""
        return fx_table.list_rates(
            self._session.store,
            rate_type=None if rate_type is None else rate_type_of(rate_type),
            currencies=None if currency is None else [Currency.of(currency).code],
        )

    def quote(
        self,
        base: str | Currency,
        quote: str | Currency,
        on: dt.date,
        *,
        rate_type: str | None = None,
    ) -> Quote:
        """The rate converting ``base`` into ``quote`` on ``on`` (direct, inverse or cross).

        Raises:
            RateMissing: None is effective on or before ``on``.
        """
        kind = book_rate_type(self._session) if rate_type is None else rate_type_of(rate_type)
        return rate_table(self._session, kind=kind).quote(base, quote, on, kind)

    def document_rate(self, document: str) -> Quote | None:
        """The rate a document (id or number) or payment was booked at into the
        functional currency, or None when it posted in the functional currency (or the
        book has none). CFDI's TipoCambio is this rate.

        Raises:
            NotFound: No such document or payment.
        """
        session = self._session
        try:
            key = document_id(session, document)
        except NotFound:
            key = source_id(session, document)
            if credit_item(session, key, dt.date.max) is None:
                raise
        return fx_table.source_rates(session.store, [key]).get(key)

    def functional_journal(self, as_of: dt.date | None = None) -> tuple[FunctionalEntry, ...]:
        """Every journal entry (and revaluation) valued in the functional currency.

        Raises:
            InvalidState: The book has no functional currency.
        """
        return functional_journal(self._session, as_of)

    def functional_trial_balance(self, as_of: dt.date | None = None) -> dict[str, Money]:
        """Each account's balance in the functional currency (zeros left out); the
        values sum to zero."""
        day = as_of or self._session.today()
        totals: dict[str, Money] = {}
        for (account, _customer), value in account_balances(
            functional_journal(self._session, day), day
        ).items():
            totals[account] = totals[account] + value if account in totals else value
        return {k: totals[k] for k in sorted(totals) if not totals[k].is_zero}

    def functional_balances(
        self, as_of: dt.date | None = None
    ) -> list[tuple[CustomerId, Money, Money]]:
        """Each customer's ``(customer, receivable, unapplied credit)`` in the functional
        currency (the credit as a positive amount), customers with both zero left out."""
        session = self._session
        day = as_of or session.today()
        ar, credit = session.chart.receivable.code, session.chart.unapplied.code
        fun = functional_currency(session)
        if fun is None:
            raise InvalidState("the book has no functional currency")
        sums: dict[str, list[Money]] = {}
        for (account, customer), value in account_balances(
            functional_journal(session, day), day
        ).items():
            if customer is None or account not in (ar, credit):
                continue
            pair = sums.setdefault(customer, [Money.zero(fun), Money.zero(fun)])
            if account == ar:
                pair[0] += value
            else:
                pair[1] -= value
        return [(CustomerId(c), r, u) for c, (r, u) in sorted(sums.items())]

    def functional_items(self, as_of: dt.date | None = None) -> list[FunctionalItem]:
        """Open AR items and unapplied credits with their functional carrying value
        (after any revaluation in force on ``as_of``)."""
        return functional_items(self._session, as_of or self._session.today())

    def functional_aging(
        self, as_of: dt.date | None = None, *, buckets: Sequence[int] = (30, 60, 90)
    ) -> dict[str, Money]:
        """AR in the functional currency by days past due (``current``, ``1-30``...,
        ``90+``); the buckets add up to the AR control account's functional balance."""
        session = self._session
        day = as_of or session.today()
        fun = functional_currency(session)
        if fun is None:
            raise InvalidState("the book has no functional currency")
        due = {
            i.document_id: i.extended_due or i.due_date
            for i in open_items(session, as_of=day, include_settled=True)
        }
        labels = ["current"]
        bounds = sorted(buckets)
        low = 1
        for b in bounds:
            labels.append(f"{low}-{b}")
            low = b + 1
        labels.append(f"{bounds[-1]}+" if bounds else "overdue")
        result = {label: Money.zero(fun) for label in labels}
        for item in functional_items(session, day):
            if item.account != session.chart.receivable.code:
                continue
            late = (day - due.get(DocumentId(item.item), day)).days
            index = 0 if late <= 0 else 1 + sum(1 for b in bounds if late > b)
            result[labels[index]] += item.value
        return result

    def settle_in_currency(
        self,
        source: str,
        documents: Sequence[str] | None = None,
        *,
        rate: Decimal | str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> list[Settlement]:
        """Apply a payment to open items in another currency at the payment's rate.

        Args:
            source: The payment (id) or credit note (id or number).
            documents: The items to settle, in order; the customer's open items in
                another currency, oldest due first, by default.
            rate: Units of the payment's currency per unit of the items' currency.
            date: Posting date; today by default.
            actor: Who applies it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: No functional currency, nothing open or unapplied.
            ValidationError: Items in the payment's own currency (use ``allocate``).
        """
        return settling.settle_in_currency(
            self._session,
            source,
            documents,
            rate=rate,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def unsettle(
        self,
        entry_id: str,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> JournalEntry:
        """Undo one settlement in another currency (its journal entry id): the item is
        owed again and the payment's credit is unapplied again; its functional value is
        the exact negation of the settlement's, gain or rounding included.

        Raises:
            NotFound: No such entry.
            InvalidState: Not a settlement in another currency, or already undone.
            ValidationError: No reason.
        """
        return settling.unsettle(
            self._session,
            entry_id,
            reason=reason,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def revalue(
        self,
        as_of: dt.date,
        *,
        rate_type: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> FunctionalEntry:
        """Revalue open foreign items, unapplied credits and foreign cash at the
        ``as_of`` rate (unrealized FX), reversed on the first day of the next month.

        Raises:
            RateMissing: A foreign currency has no rate on ``as_of``.
            PeriodClosed: ``as_of`` is in a closed month.
            InvalidState: Already revalued as of that day, or no functional currency.
        """
        return revalue(
            self._session,
            as_of,
            kind=rate_type,
            actor=actor,
            idempotency_key=idempotency_key,
        )


def rate_type_of(value: str) -> RateType:
    """:func:`o2c.fx.rate_type` (the group's methods shadow the name)."""
    return rate_type(value)
