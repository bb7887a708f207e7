"""What bills are made from: contracts, rate cards, tax settings, usage and time.

The commands live in :mod:`o2c.book._contracts`, :mod:`o2c.book._orders`,
:mod:`o2c.book._catalog` and :mod:`o2c.book._usage`; :class:`SetupMixin` is their group
on the :class:`o2c.Book`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import overload

from o2c.billing.unbilled import UnbilledKind
from o2c.book import _bill_run, _catalog, _contracts, _orders, _sellers, _usage
from o2c.book._area import Area
from o2c.book._catalog import MAX_TOML_CHARS
from o2c.book._usage import ImportResult, VoidedRecord
from o2c.contracts import Contract, SalesOrder
from o2c.money import Rounding
from o2c.parties import Seller
from o2c.pricing import RateCard, TimeEntry, UsageRecord
from o2c.tax import TaxProfile, TaxTable

__all__ = ["MAX_TOML_CHARS", "ImportResult", "SetupMixin", "VoidedRecord"]


class SetupMixin(Area):
    """Contracts, rate cards, tax tables, the seller, usage and time."""

    # -- contracts -----------------------------------------------------------------

    def add_contract(
        self,
        contract: Contract,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
        invoice_now: bool = False,
    ) -> Contract:
        """Add a contract (its customer must exist).

        ``invoice_now``: a contract billed in advance gets its start invoice (its first
        period) issued at once, with :meth:`~o2c.Book.invoice_contract_start` (which
        says what it issued); no bill run bills that period again.

        Raises:
            Conflict: A contract with that id exists.
            NotFound: Unknown customer.
            ValidationError: ``invoice_now`` for a contract billed in arrears (checked
                before the contract is added).
        """
        if invoice_now:
            _bill_run.check_invoice_now(contract)
        stored = _contracts.add_contract(
            self._session, contract, actor=actor, idempotency_key=idempotency_key
        )
        if invoice_now:
            _bill_run.invoice_start(self._session, stored.id, actor=actor)
        return stored

    def add_contracts(
        self,
        contracts: Iterable[Contract],
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Add many contracts in one transaction (an import); returns how many.

        Raises:
            NotFound: A contract's customer does not exist (nothing is added).
            Conflict: A contract id exists already (nothing is added).
        """
        return _contracts.add_contracts(
            self._session, contracts, actor=actor, idempotency_key=idempotency_key
        )

    def update_contract(
        self, contract: Contract, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Contract:
        """Store a contract's new versions or end date (made with :func:`o2c.contracts.amend`
        or :func:`o2c.contracts.terminate`). Existing versions must stay as they were.

        Raises:
            ValidationError: An existing version was changed (amend with a new one).
            NotFound: Unknown contract.
        """
        return _contracts.update_contract(
            self._session, contract, actor=actor, idempotency_key=idempotency_key
        )

    def get_contract(self, contract_id: str) -> Contract:
        """The contract with this id.

        Raises:
            NotFound: No such contract.
        """
        return _contracts.get_contract(self._session, contract_id)

    def list_contracts(self, *, customer: str | None = None) -> list[Contract]:
        """Contracts in id order, optionally one customer's."""
        return _contracts.list_contracts(self._session, customer=customer)

    # -- sales orders --------------------------------------------------------------------

    def add_sales_order(
        self, order: SalesOrder, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> SalesOrder:
        """Record a sales order; the bill run whose cut-off is on or after its delivery
        bills its one-time lines (on its contract's invoice, or on one of its own).

        Raises:
            Conflict: An order with that id exists.
            NotFound: Unknown customer.
        """
        return _orders.add_sales_order(
            self._session, order, actor=actor, idempotency_key=idempotency_key
        )

    def get_sales_order(self, order_id: str) -> SalesOrder:
        """The sales order with this id (``invoice_id`` set once billed).

        Raises:
            NotFound: No such order.
        """
        return _orders.get_sales_order(self._session, order_id)

    def list_sales_orders(
        self, *, customer: str | None = None, unbilled: bool = False
    ) -> list[SalesOrder]:
        """Sales orders in id order, optionally one customer's or only those not billed."""
        return _orders.list_sales_orders(self._session, customer=customer, unbilled=unbilled)

    # -- rate cards and tax ----------------------------------------------------------

    def import_rate_card(
        self,
        source: str | Path,
        *,
        text: str | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RateCard:
        """Import a TOML rate card (a file path, or ``text`` with ``source`` as its name).

        A card imported again under the same code becomes its next version; the TOML
        text is kept as it was given.

        Raises:
            RateCardError: Every problem of the file at once.
            FileProblems: The file is empty, not UTF-8 (names the byte), or unreadable.
        """
        return _catalog.import_rate_card(
            self._session, source, text=text, actor=actor, idempotency_key=idempotency_key
        )

    def get_rate_card(self, code: str) -> RateCard:
        """The latest imported version of rate card ``code``.

        Raises:
            NotFound: No such card.
        """
        return _catalog.get_rate_card(self._session, code)

    def list_rate_cards(self) -> list[RateCard]:
        """The latest version of every rate card, by code."""
        return _catalog.list_rate_cards(self._session)

    def import_tax_table(
        self,
        source: str | Path,
        *,
        text: str | None = None,
        use: bool = True,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> TaxTable:
        """Import a TOML tax table and (by default) make it the one the book bills with.

        Raises:
            TaxTableError: Every problem of the file at once.
            FileProblems: The file is empty, not UTF-8 (names the byte), or unreadable.
        """
        return _catalog.import_tax_table(
            self._session, source, text=text, use=use, actor=actor, idempotency_key=idempotency_key
        )

    def tax_table(self) -> TaxTable:
        """The tax table the book bills with (the bundled ``ALL`` tables by default)."""
        return _catalog.tax_table(self._session)

    def list_tax_tables(self) -> list[str]:
        """Names of the imported tax tables."""
        return _catalog.list_tax_tables(self._session)

    def use_tax_table(self, name: str, *, actor: str | None = None) -> None:
        """Bill with an imported table, or a bundled one as ``"bundled:MX"``."""
        _catalog.use_tax_table(self._session, name, actor=actor)

    def set_rounding(self, mode: Rounding | str, *, actor: str | None = None) -> Rounding:
        """Set the book's rounding mode for line nets (half-up unless set; half-even...)."""
        return _catalog.set_rounding(self._session, mode, actor=actor)

    def rounding(self) -> Rounding:
        """The book's rounding mode (:data:`o2c.money.DEFAULT_ROUNDING` unless set)."""
        return _catalog.rounding(self._session)

    @overload
    def set_seller(
        self, seller: Seller, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Seller: ...
    @overload
    def set_seller(
        self, seller: TaxProfile, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> TaxProfile: ...
    def set_seller(
        self,
        seller: Seller | TaxProfile,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Seller | TaxProfile:
        """Record who issues the book's documents; returns what was recorded.

        A :class:`~o2c.parties.Seller` (legal name, address, tax profile, registration,
        bank accounts, endpoint, contact, logo) becomes the seller's next version (none
        when it equals the latest) and its ``tax`` the profile the book bills as. A
        :class:`~o2c.tax.TaxProfile` alone sets only the tax part: of a new version of
        the latest seller when there is one. Issued documents keep the version they
        were issued under (:meth:`document_seller`).
        """
        return _sellers.set_seller(
            self._session, seller, actor=actor, idempotency_key=idempotency_key
        )

    def seller(self) -> TaxProfile:
        """The seller's tax profile (country, region, tax id, regime) the book bills as.

        Raises:
            NotFound: None was set (``set_seller``).
        """
        return _catalog.seller(self._session)

    def seller_identity(self, version: int | None = None) -> Seller:
        """The seller's full identity: the latest version, or version ``version``.

        Raises:
            NotFound: No seller identity was set (only a tax profile), or no such version.
        """
        return _sellers.seller_identity(self._session, version)

    def seller_version(self) -> int | None:
        """The latest seller version's number (what a document issued now records);
        ``None`` when no seller identity was set."""
        return _sellers.seller_version(self._session)

    def document_seller(self, document: str) -> Seller | None:
        """The seller as it was when ``document`` (an id or number) was issued; ``None``
        for a draft or a document issued before any seller identity was set.

        Raises:
            NotFound: No such document.
        """
        return _sellers.document_seller(self._session, document)

    # -- usage and time --------------------------------------------------------------

    def import_usage(
        self,
        records: Iterable[UsageRecord],
        *,
        contract: str | None = None,
        actor: str | None = None,
    ) -> ImportResult:
        """Store usage records; a record whose id is stored already is ignored.

        Args:
            records: The records (time-zone aware timestamps).
            contract: The contract they belong to, when the customer has several.
            actor: Who imports them.
        """
        return _usage.import_usage(self._session, records, contract=contract, actor=actor)

    def import_time(
        self,
        entries: Iterable[TimeEntry],
        *,
        customer: str,
        contract: str | None = None,
        actor: str | None = None,
    ) -> ImportResult:
        """Store time entries of ``customer``; an entry whose id is stored is ignored."""
        return _usage.import_time(
            self._session, entries, customer=customer, contract=contract, actor=actor
        )

    def void_usage(
        self,
        ids: Iterable[str],
        *,
        reason: str,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[VoidedRecord, ...]:
        """Take wrong usage records out before they are billed: each is marked void with
        the reason, who and when, and no bill run, per-event charge or unbilled list
        reads it again; a re-import of its id is still a duplicate.

        All of ``ids`` are voided, or none: a refused id changes nothing.

        Args:
            ids: The records' source ids.
            reason: Why (kept with each record and in the audit trail).
            actor: Who voids them.
            idempotency_key: A retry with the same key returns the first result.

        Raises:
            NotFound: An id the book does not hold (every such id is named).
            InvalidState: A record an invoice billed (named with the invoice; correct it
                with a credit note), or one voided already.
            ValidationError: No id, or an empty reason.
        """
        return _usage.void_records(
            self._session,
            UnbilledKind.USAGE,
            ids,
            reason=reason,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def void_time(
        self,
        ids: Iterable[str],
        *,
        reason: str,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[VoidedRecord, ...]:
        """Take wrong time entries out before they are billed, as :meth:`void_usage`
        does usage records (all of ``ids`` or none).

        Raises:
            NotFound: An id the book does not hold.
            InvalidState: An entry an invoice billed (named with the invoice), or one
                voided already.
            ValidationError: No id, or an empty reason.
        """
        return _usage.void_records(
            self._session,
            UnbilledKind.TIME,
            ids,
            reason=reason,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def list_voided(
        self, kind: UnbilledKind | str = UnbilledKind.USAGE, *, customer: str | None = None
    ) -> list[VoidedRecord]:
        """The voided usage records (``kind="usage"``) or time entries (``"time"``), of
        ``customer`` only when given, by when they were voided.

        Raises:
            ValidationError: ``kind`` is neither usage nor time.
        """
        return _usage.list_voided(self._session, _usage.void_kind(kind), customer)
