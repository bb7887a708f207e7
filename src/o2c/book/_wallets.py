"""Prepaid credits (wallets) on the Book: top up, draw against invoices, expire.

The pure rules (drawdown order, expiry, postings) are in :mod:`o2c.credit`; here a lot is
stored with the entry that put it in the wallet, a draw takes what an invoice has open
from the customer's lots and posts it (Dr customer credit, Cr AR), and the expiry run
posts what expired lots had left (breakage or the promotion's cost reversed). A lot's
remaining amount is its amount less its stored movements, and the ledger's customer
credit account holds the same figure per lot.

The bill run draws the wallet of a customer it issues an invoice to (:func:`auto_draw`),
when the customer has a wallet at all (one indexed probe otherwise) and the book's
``wallet.auto_draw`` setting is not ``no``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from o2c.book import _lookups as lookups
from o2c.book._area import Area
from o2c.book._journal import credit_item, new_entry_ids, open_item, write_entries
from o2c.book._session import Session, Touched
from o2c.book._tables import wallets as wallets_table
from o2c.credit import (
    LotKind,
    LotTake,
    Wallet,
    WalletDraw,
    WalletEvent,
    WalletLot,
    drawdown_order,
    plan_draw,
    plan_expiry,
    post_draw,
    post_expiry,
    post_topup,
)
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money

__all__ = [
    "AUTO_DRAW_SETTING",
    "WalletsMixin",
    "auto_draw",
    "draw_item",
    "wallet_draw",
    "wallet_expire",
    "wallet_history",
    "wallet_of",
    "wallet_topup",
]

#: The book setting that turns the bill run's automatic wallet draw off (``no``); on by
#: default: a customer with wallet credit has it applied to each invoice the run issues.
AUTO_DRAW_SETTING: Final = "wallet.auto_draw"


def _kind(kind: LotKind | str) -> LotKind:
    try:
        return LotKind(kind)
    except ValueError:
        raise ValidationError("wallet.kind", kind, "paid or granted") from None


def _new_lot(
    session: Session,
    customer: str,
    amount: Money,
    how: LotKind,
    expires: dt.date | None,
    payment: str | None,
    day: dt.date,
) -> WalletLot:
    lookups.require_customer(session, customer)
    pay = None
    if payment is not None:
        if how is not LotKind.PAID:
            raise ValidationError("wallet.payment", payment, "no payment for granted credit")
        pay = lookups.source_id(session, payment)
        credit = credit_item(session, pay, day)
        if credit is None:
            raise NotFound("payment", payment)
        if credit.customer != customer:
            raise ValidationError("wallet.payment", payment, f"a payment of customer {customer}")
        if credit.currency != amount.currency:
            raise ValidationError("wallet.amount", str(amount), f"an amount in {credit.currency}")
        if amount > credit.unapplied:
            raise InvalidState(
                f"cannot top up {amount} from payment {payment}: only {credit.unapplied} "
                "is unapplied"
            )
    lot_id = f"WL{session.next_numbers('wallet_lot'):010d}"
    return WalletLot(lot_id, CustomerId(customer), how, amount, day, expires, payment=pay)


def wallet_topup(
    session: Session,
    customer: str,
    amount: Money,
    *,
    kind: LotKind | str = LotKind.PAID,
    expires: dt.date | None = None,
    payment: str | None = None,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> WalletLot:
    """Put a lot of credit in a customer's wallet; see :meth:`WalletsMixin.wallet_topup`."""
    day = date or session.today()
    how = _kind(kind)

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        lot = _new_lot(session, customer, amount, how, expires, payment, day)
        [entry_id] = new_entry_ids(session, 1)
        entry = post_topup(lot, entry_id=entry_id, chart=session.chart)
        write_entries(session, [entry])
        wallets_table.insert_lot(
            session.store, lot, entry_id=entry_id, who=who, created_at=session.now().isoformat()
        )
        touched.add(lot.id, entry_id, customer)
        return {"lot": lot.id}

    # Free credit is a lead's decision; a paid top-up is a specialist's routine.
    result = session.run(
        "wallet_grant" if how is LotKind.GRANTED else "wallet_topup",
        actor=actor,
        key=idempotency_key,
        args={
            "customer": customer,
            "amount": str(amount),
            "kind": how,
            "expires": expires,
            "payment": payment,
            "date": day,
        },
        body=body,
    )
    [lot] = [x for x in wallet_of(session, customer, day).lots if x.id == result["lot"]]
    return lot


def draw_item(
    session: Session, item: OpenItem, day: dt.date, who: str, touched: Touched
) -> WalletDraw | None:
    """Inside a command: apply the customer's usable wallet credit to what ``item`` has
    open on ``day``, in drawdown order; ``None`` when there is nothing to apply."""
    if not item.open.is_positive:
        return None
    lots = wallets_table.list_lots(
        session.store, as_of=day, customer=item.customer, currency=item.currency
    )
    takes = plan_draw(lots, item.open, day)
    if not takes:
        return None
    [entry_id] = new_entry_ids(session, 1)
    entry = post_draw(
        takes,
        customer=item.customer,
        document_id=item.document_id,
        number=item.number,
        entry_id=entry_id,
        date=day,
        chart=session.chart,
    )
    write_entries(session, [entry])
    first = session.next_numbers("wallet_movement", len(takes))
    wallets_table.insert_movements(
        session.store,
        [
            wallets_table.MovementRow(
                f"WM{first + n:010d}",
                t.lot_id,
                "draw",
                t.amount,
                day,
                str(item.document_id),
                str(entry_id),
                who,
            )
            for n, t in enumerate(takes)
        ],
        created_at=session.now().isoformat(),
    )
    applied = sum((t.amount for t in takes), Money.zero(item.currency))
    touched.add(str(entry_id), *(t.lot_id for t in takes))
    return WalletDraw(
        item.customer, item.document_id, item.number, day, takes, applied, item.open - applied
    )


def _draw_plain(draw: WalletDraw) -> dict[str, Any]:
    return {
        "customer": draw.customer,
        "document": draw.document_id,
        "number": draw.number,
        "date": draw.date.isoformat(),
        "currency": draw.applied.currency.code,
        "takes": [[t.lot_id, t.kind.value, str(t.amount.amount)] for t in draw.takes],
        "applied": str(draw.applied.amount),
        "open": str(draw.open.amount),
    }


def _draw_value(plain: dict[str, Any]) -> WalletDraw:
    cur = Currency.of(plain["currency"])
    return WalletDraw(
        CustomerId(plain["customer"]),
        DocumentId(plain["document"]),
        plain["number"],
        dt.date.fromisoformat(plain["date"]),
        tuple(LotTake(t[0], LotKind(t[1]), Money.of(t[2], cur)) for t in plain["takes"]),
        Money.of(plain["applied"], cur),
        Money.of(plain["open"], cur),
    )


def wallet_draw(
    session: Session,
    customer: str,
    invoice: str,
    *,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> WalletDraw:
    """Apply a customer's wallet to an invoice; see :meth:`WalletsMixin.wallet_draw`."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        lookups.require_customer(session, customer)
        doc_id = lookups.document_id(session, invoice)
        item = open_item(session, doc_id, day)
        if item is None or item.kind is not DocumentKind.INVOICE:
            raise ValidationError("wallet.invoice", invoice, "an issued invoice")
        if item.customer != customer:
            raise ValidationError("wallet.invoice", invoice, f"an invoice of customer {customer}")
        if not item.open.is_positive:
            raise InvalidState(f"nothing is open on {item.number}", document_id=item.document_id)
        made = draw_item(session, item, day, who, touched)
        if made is None:
            raise InvalidState(
                f"customer {customer} has no wallet credit in {item.currency.code} usable on "
                f"{day.isoformat()}"
            )
        return _draw_plain(made)

    result = session.run(
        "wallet_draw",
        actor=actor,
        key=idempotency_key,
        args={"customer": customer, "invoice": invoice, "date": day},
        body=body,
    )
    return _draw_value(result)


def _expired_plain(customer: str, take: LotTake) -> list[str]:
    cur = take.amount.currency.code
    return [customer, take.lot_id, take.kind.value, cur, str(take.amount.amount)]


def wallet_expire(
    session: Session,
    as_of: dt.date,
    *,
    customer: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> list[tuple[CustomerId, LotTake]]:
    """Expire lots past their date; see :meth:`WalletsMixin.wallet_expire`."""

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        lots = wallets_table.list_lots(
            session.store, as_of=as_of, customer=customer, expiring_before=as_of
        )
        owners = {lot.id: lot.customer for lot in lots}
        takes = plan_expiry(lots, as_of)
        if not takes:
            return {"expired": []}
        ids = new_entry_ids(session, len(takes))
        entries = [
            post_expiry(t, customer=owners[t.lot_id], entry_id=e, date=as_of, chart=session.chart)
            for t, e in zip(takes, ids, strict=True)
        ]
        write_entries(session, entries)
        first = session.next_numbers("wallet_movement", len(takes))
        wallets_table.insert_movements(
            session.store,
            [
                wallets_table.MovementRow(
                    f"WM{first + n:010d}", t.lot_id, "expiry", t.amount, as_of, None, str(e), who
                )
                for n, (t, e) in enumerate(zip(takes, ids, strict=True))
            ],
            created_at=session.now().isoformat(),
        )
        touched.extend([*(t.lot_id for t in takes), *(str(e) for e in ids)])
        return {"expired": [_expired_plain(owners[t.lot_id], t) for t in takes]}

    result = session.run(
        "wallet_expire",
        actor=actor,
        key=idempotency_key,
        args={"as_of": as_of, "customer": customer},
        body=body,
    )
    return [
        (CustomerId(c), LotTake(lot, LotKind(k), Money.of(a, cur)))
        for c, lot, k, cur, a in result["expired"]
    ]


def wallet_of(session: Session, customer: str, as_of: dt.date | None = None) -> Wallet:
    """The customer's wallet as of a day (today by default).

    Raises:
        NotFound: No such customer.
    """
    day = as_of or session.today()
    lookups.require_customer(session, customer)
    lots = wallets_table.list_lots(session.store, as_of=day, customer=customer)
    return Wallet(CustomerId(customer), day, tuple(drawdown_order(lots)))


def wallet_history(session: Session, customer: str) -> list[WalletEvent]:
    """Every top-up, draw and expiry of the customer's wallet, by date.

    Raises:
        NotFound: No such customer.
    """
    lookups.require_customer(session, customer)
    lots = {
        lot.id: lot
        for lot in wallets_table.list_lots(session.store, as_of=dt.date.max, customer=customer)
    }
    entries = wallets_table.lot_entries(session.store, customer)
    events = [
        WalletEvent(lot.granted_on, "topup", lot.id, lot.kind, lot.amount, None, entries[lot.id])
        for lot in lots.values()
    ]
    moves = wallets_table.list_movements(session.store, customer)
    numbers = lookups.document_numbers(
        session, sorted({m.document_id for m in moves if m.document_id is not None})
    )
    for m in moves:
        doc = None if m.document_id is None else numbers.get(m.document_id, m.document_id)
        events.append(
            WalletEvent(
                m.moved_on, m.kind, m.lot_id, lots[m.lot_id].kind, m.amount, doc, m.entry_id
            )
        )
    order = {"topup": 0, "draw": 1, "expiry": 2}
    events.sort(key=lambda e: (e.date, order[e.event], e.entry_id, e.lot_id))
    return events


def auto_draw(
    session: Session, items: Sequence[OpenItem], day: dt.date, who: str, touched: Touched
) -> list[WalletDraw]:
    """Inside the bill run's command: draw each customer's wallet against its just issued
    invoices ``items``. A customer without any wallet lot costs one indexed probe; the
    ``wallet.auto_draw`` setting set to ``no`` turns the draw off."""
    if not items or (session.setting(AUTO_DRAW_SETTING) or "yes").strip().lower() == "no":
        return []
    with_wallet: dict[str, bool] = {}
    made = []
    for item in items:
        key = str(item.customer)
        if key not in with_wallet:
            with_wallet[key] = wallets_table.has_lots(session.store, key)
        if with_wallet[key]:
            draw = draw_item(session, item, day, who, touched)
            if draw is not None:
                made.append(draw)
    return made


class WalletsMixin(Area):
    """Prepaid credits: customer wallets of paid and granted credit lots."""

    def wallet_topup(
        self,
        customer: str,
        amount: Money,
        *,
        kind: LotKind | str = LotKind.PAID,
        expires: dt.date | None = None,
        payment: str | None = None,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> WalletLot:
        """Put a lot of prepaid credit in a customer's wallet.

        A **paid** lot is bought: out of ``payment``'s unapplied credit (Dr unapplied
        cash of the payment, Cr customer credit), or, without a payment, with cash
        received for the credits (Dr cash, Cr customer credit). A **granted** lot is free
        (Dr promotional credits expense, Cr customer credit).

        Args:
            customer: Whose wallet.
            amount: The credit, in the wallet's currency.
            kind: ``paid`` (default) or ``granted``.
            expires: The last day the credit can be used (never, by default).
            payment: A payment (id) of the customer whose unapplied credit buys the lot.
            date: The day of the top-up (today by default).
            actor: Who did it.
            idempotency_key: Repeating the key returns the first lot.

        Returns:
            The new lot.

        Raises:
            NotFound: No such customer or payment.
            ValidationError: A bad kind or amount, an expiry before the day, a payment of
                another customer or currency, or a payment for granted credit.
            InvalidState: More than the payment has unapplied.
        """
        return wallet_topup(
            self._session,
            customer,
            amount,
            kind=kind,
            expires=expires,
            payment=payment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def wallet_draw(
        self,
        customer: str,
        invoice: str,
        *,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> WalletDraw:
        """Apply a customer's wallet credit to an issued invoice, in drawdown order.

        Granted lots go first, then the earliest expiry, then the oldest lot
        (:func:`o2c.credit.drawdown_order`); at most what the invoice has open is taken
        (Dr customer credit, Cr AR), and the rest of the invoice stays open.

        Args:
            customer: Whose wallet.
            invoice: The invoice (id or number), of the customer.
            date: The day of the draw (today by default).
            actor: Who did it.
            idempotency_key: Repeating the key returns the first draw.

        Raises:
            NotFound: No such customer or document.
            ValidationError: Not an issued invoice of the customer.
            InvalidState: Nothing open on it, or no wallet credit usable on the day.
        """
        return wallet_draw(
            self._session,
            customer,
            invoice,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def wallet_expire(
        self,
        as_of: dt.date,
        *,
        customer: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> list[tuple[CustomerId, LotTake]]:
        """Expire what is left on every lot whose expiry date is before ``as_of``.

        Posted on ``as_of``: a paid lot's rest becomes breakage revenue (Dr customer
        credit, Cr breakage); a granted lot's rest reverses the promotional cost (Dr
        customer credit, Cr promotional credits expense).

        Args:
            as_of: The day of the run.
            customer: Only this customer's lots.
            actor: Who ran it.
            idempotency_key: Repeating the key returns the first run's result.

        Returns:
            The customer and what expired, per lot.
        """
        return wallet_expire(
            self._session,
            as_of,
            customer=customer,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def wallet(self, customer: str, *, as_of: dt.date | None = None) -> Wallet:
        """The customer's wallet as of a day: its lots and what is left, by kind
        (:meth:`o2c.credit.Wallet.balance`).

        Raises:
            NotFound: No such customer.
        """
        with self._session.store.transaction(write=False):
            return wallet_of(self._session, customer, as_of)

    def wallet_history(self, customer: str) -> list[WalletEvent]:
        """Every top-up, draw and expiry of the customer's wallet, by date.

        Raises:
            NotFound: No such customer.
        """
        with self._session.store.transaction(write=False):
            return wallet_history(self._session, customer)
