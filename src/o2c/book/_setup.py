"""What bills are made from: contracts, rate cards, tax settings, usage and time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from o2c.book._base import Touched
from o2c.book._codec import as_json
from o2c.book._fastcodec import read_contract
from o2c.book._reports import ReportsMixin
from o2c.contracts import Contract, SalesOrder
from o2c.errors import Conflict, NotFound, ValidationError
from o2c.ids import DocumentId
from o2c.io import structure, to_plain
from o2c.money import DEFAULT_ROUNDING, Rounding
from o2c.pricing import RateCard, TimeEntry, UsageRecord, parse_ratecard
from o2c.tax import TaxProfile, TaxTable, bundled_table, parse_tax_table

__all__ = ["ImportResult", "SetupMixin"]

#: Largest TOML file accepted (rate cards, tax tables).
MAX_TOML_CHARS = 2_000_000


def _toml_text(source: str | Path, text: str | None) -> str:
    """The TOML text to import: ``text``, else the file ``source`` read as UTF-8.

    Raises:
        FileProblems: It is empty, not UTF-8, too large or unreadable (names the file).
    """
    from o2c.io import decode_text, read_file

    if text is not None:
        return decode_text(text, Path(source).name)
    return str(read_file(str(source)))


@attrs.frozen(slots=True)
class ImportResult:
    """What an import stored.

    Attributes:
        inserted: Records stored.
        duplicates: Records ignored because their source id was stored already.
    """

    inserted: int
    duplicates: int


class SetupMixin(ReportsMixin):
    """Contracts, rate cards, tax tables, the seller, usage and time."""

    # -- contracts -----------------------------------------------------------------

    def add_contract(
        self, contract: Contract, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Contract:
        """Add a contract (its customer must exist).

        Raises:
            Conflict: A contract with that id exists.
            NotFound: Unknown customer.
        """

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(contract.customer_id)
            if self._store.query_one("SELECT 1 FROM contracts WHERE id = ?", (contract.id,)):
                raise Conflict(f"contract {contract.id} exists already; amend it instead")
            self._insert_contracts([contract])
            touched.add(contract.id)
            return {"id": contract.id}

        result = self._run(
            "add_contract",
            actor=actor,
            key=idempotency_key,
            args={"contract": self._plain_contract(contract)},
            body=body,
        )
        return self.get_contract(result["id"])

    def add_contracts(self, contracts: Iterable[Contract], *, actor: str | None = None) -> int:
        """Add many contracts in one transaction (an import); returns how many."""
        batch = list(contracts)

        def body(touched: Touched) -> dict[str, Any]:
            self._insert_contracts(batch)
            touched.add(f"{len(batch)} contracts")
            return {"count": len(batch)}

        result = self._run(
            "add_contracts",
            actor=actor,
            key=None,
            args={"ids": [c.id for c in batch]},
            body=body,
        )
        return int(result["count"])

    def _plain_contract(self, contract: Contract) -> Any:
        return to_plain(contract, self._converter())

    def _insert_contracts(self, contracts: list[Contract]) -> None:
        now = self._now().isoformat()
        rows = []
        versions: list[tuple[str, int, str, str, str]] = []
        for contract in contracts:
            current = contract.versions[-1]
            self._ensure_currency(current.currency)
            text = json.dumps(self._plain_contract(contract), separators=(",", ":"))
            rows.append(
                (
                    contract.id,
                    contract.customer_id,
                    current.currency.code,
                    "active",
                    contract.start.isoformat(),
                    None if contract.end is None else contract.end.isoformat(),
                    len(contract.versions),
                    text,
                    now,
                )
            )
            versions.extend(
                (contract.id, n, v.effective_from.isoformat(), "{}", now)
                for n, v in enumerate(contract.versions, start=1)
            )
        self._store.executemany(
            "INSERT INTO contracts (id, customer_id, currency, status, effective_from,"
            " effective_to, version, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._store.executemany(
            "INSERT INTO contract_versions (contract_id, version, effective_from, data,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            versions,
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

        def body(touched: Touched) -> dict[str, Any]:
            old = self.get_contract(contract.id)
            if contract.versions[: len(old.versions)] != old.versions:
                raise ValidationError(
                    "versions",
                    contract.id,
                    "the stored versions unchanged, with new effective-dated versions after them",
                )
            text = json.dumps(self._plain_contract(contract), separators=(",", ":"))
            self._store.execute(
                "UPDATE contracts SET effective_to = ?, version = ?, data = ?, currency = ?"
                " WHERE id = ?",
                (
                    None if contract.end is None else contract.end.isoformat(),
                    len(contract.versions),
                    text,
                    contract.versions[-1].currency.code,
                    contract.id,
                ),
            )
            now = self._now().isoformat()
            self._store.executemany(
                "INSERT INTO contract_versions (contract_id, version, effective_from, data,"
                " created_at) VALUES (?, ?, ?, '{}', ?)",
                [
                    (contract.id, n, v.effective_from.isoformat(), now)
                    for n, v in enumerate(contract.versions, start=1)
                    if n > len(old.versions)
                ],
            )
            touched.add(contract.id)
            return {"id": contract.id}

        result = self._run(
            "update_contract",
            actor=actor,
            key=idempotency_key,
            args={"contract": self._plain_contract(contract)},
            body=body,
        )
        return self.get_contract(result["id"])

    def _contract(self, data: object) -> Contract:
        plain = as_json(data)
        return read_contract(plain, self._contract_cattrs)

    def _contract_cattrs(self, plain: object) -> Contract:
        return structure(plain, Contract, converter=self._converter())

    def get_contract(self, contract_id: str) -> Contract:
        """The contract with this id.

        Raises:
            NotFound: No such contract.
        """
        row = self._store.query_one("SELECT data FROM contracts WHERE id = ?", (contract_id,))
        if row is None:
            raise NotFound("contract", contract_id)
        return self._contract(row[0])

    def list_contracts(self, *, customer: str | None = None) -> list[Contract]:
        """Contracts in id order, optionally one customer's."""
        sql = "SELECT data FROM contracts"
        params: list[str] = []
        if customer is not None:
            sql += " WHERE customer_id = ?"
            params.append(customer)
        return [self._contract(r[0]) for r in self._store.query(sql + " ORDER BY id", params)]

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

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(order.customer_id)
            if self._store.query_one("SELECT 1 FROM sales_orders WHERE id = ?", (order.id,)):
                raise Conflict(f"sales order {order.id} exists already")
            self._ensure_currency(order.currency)
            self._store.execute(
                "INSERT INTO sales_orders (id, customer_id, contract_id, order_date, status,"
                " data, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
                (
                    order.id,
                    order.customer_id,
                    order.contract_id,
                    order.order_date.isoformat(),
                    json.dumps(to_plain(order, self._converter()), separators=(",", ":")),
                    self._now().isoformat(),
                ),
            )
            touched.add(order.id)
            return {"id": order.id}

        plain = to_plain(order, self._converter())
        result = self._run(
            "add_sales_order", actor=actor, key=idempotency_key, args={"order": plain}, body=body
        )
        return self.get_sales_order(result["id"])

    def _sales_order(self, data: object, document_id: object) -> SalesOrder:
        order = structure(as_json(data), SalesOrder, converter=self._converter())
        if document_id is not None:
            order = attrs.evolve(order, invoice_id=DocumentId(str(document_id)))
        return order

    def get_sales_order(self, order_id: str) -> SalesOrder:
        """The sales order with this id (``invoice_id`` set once billed).

        Raises:
            NotFound: No such order.
        """
        row = self._store.query_one(
            "SELECT data, document_id FROM sales_orders WHERE id = ?", (order_id,)
        )
        if row is None:
            raise NotFound("sales order", order_id)
        return self._sales_order(row[0], row[1])

    def list_sales_orders(
        self, *, customer: str | None = None, unbilled: bool = False
    ) -> list[SalesOrder]:
        """Sales orders in id order, optionally one customer's or only those not billed."""
        where = []
        params: list[str] = []
        if customer is not None:
            where.append("customer_id = ?")
            params.append(customer)
        if unbilled:
            where.append("document_id IS NULL")
        sql = "SELECT data, document_id FROM sales_orders"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        return [self._sales_order(d, i) for d, i in self._store.query(sql + " ORDER BY id", params)]

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
        body_text = _toml_text(source, text)
        if len(body_text) > MAX_TOML_CHARS:
            raise ValidationError("rate card", str(source), f"at most {MAX_TOML_CHARS} characters")
        card = parse_ratecard(body_text, str(source))

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT MAX(version) FROM rate_cards WHERE id = ?", (card.code,)
            )
            version = 1 if row is None or row[0] is None else int(row[0]) + 1
            self._store.execute(
                "INSERT INTO rate_cards (id, version, currency, data, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    card.code,
                    version,
                    card.currency.code,
                    json.dumps({"name": str(source)}),
                    body_text,
                    self._now().isoformat(),
                ),
            )
            touched.add(f"{card.code}@{version}")
            return {"code": card.code}

        result = self._run(
            "import_rate_card",
            actor=actor,
            key=idempotency_key,
            args={"source": str(source), "text": body_text},
            body=body,
        )
        return self.get_rate_card(result["code"])

    def get_rate_card(self, code: str) -> RateCard:
        """The latest imported version of rate card ``code``.

        Raises:
            NotFound: No such card.
        """
        row = self._store.query_one(
            "SELECT source, data FROM rate_cards WHERE id = ? ORDER BY version DESC LIMIT 1",
            (code,),
        )
        if row is None:
            raise NotFound("rate card", code, hint="import it with import_rate_card")
        name = as_json(row[1]).get("name", code)
        return parse_ratecard(str(row[0]), str(name))

    def list_rate_cards(self) -> list[RateCard]:
        """The latest version of every rate card, by code."""
        codes = [str(r[0]) for r in self._store.query("SELECT DISTINCT id FROM rate_cards")]
        return [self.get_rate_card(c) for c in sorted(codes)]

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
        body_text = _toml_text(source, text)
        if len(body_text) > MAX_TOML_CHARS:
            raise ValidationError("tax table", str(source), f"at most {MAX_TOML_CHARS} characters")
        table = parse_tax_table(body_text, str(source))

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT MAX(version) FROM tax_tables WHERE id = ?", (table.name,)
            )
            version = 1 if row is None or row[0] is None else int(row[0]) + 1
            self._store.execute(
                "INSERT INTO tax_tables (id, version, data, source, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    table.name,
                    version,
                    json.dumps({"name": str(source)}),
                    body_text,
                    self._now().isoformat(),
                ),
            )
            if use:
                self._set_setting("tax.table", table.name)
            touched.add(f"{table.name}@{version}")
            return {"name": table.name}

        result = self._run(
            "import_tax_table",
            actor=actor,
            key=idempotency_key,
            args={"source": str(source), "text": body_text, "use": use},
            body=body,
        )
        return self._load_tax_table(result["name"])

    def _load_tax_table(self, name: str) -> TaxTable:
        if name.startswith("bundled:"):
            return bundled_table(name.removeprefix("bundled:"))
        row = self._store.query_one(
            "SELECT source, data FROM tax_tables WHERE id = ? ORDER BY version DESC LIMIT 1",
            (name,),
        )
        if row is None:
            raise NotFound("tax table", name, hint="import it with import_tax_table")
        return parse_tax_table(str(row[0]), str(as_json(row[1]).get("name", name)))

    def tax_table(self) -> TaxTable:
        """The tax table the book bills with (the bundled ``ALL`` tables by default)."""
        return self._load_tax_table(self._setting("tax.table") or "bundled:ALL")

    def list_tax_tables(self) -> list[str]:
        """Names of the imported tax tables."""
        return sorted(str(r[0]) for r in self._store.query("SELECT DISTINCT id FROM tax_tables"))

    def use_tax_table(self, name: str, *, actor: str | None = None) -> None:
        """Bill with an imported table, or a bundled one as ``"bundled:MX"``."""

        def body(touched: Touched) -> dict[str, Any]:
            self._load_tax_table(name)
            self._set_setting("tax.table", name)
            touched.add(name)
            return {}

        self._run("use_tax_table", actor=actor, key=None, args={"name": name}, body=body)

    def set_rounding(self, mode: Rounding | str, *, actor: str | None = None) -> Rounding:
        """Set the book's rounding mode for line nets (half-up unless set; half-even...)."""
        rounding = Rounding.parse(mode)

        def body(touched: Touched) -> dict[str, Any]:
            self._set_setting("rounding", rounding.name)
            touched.add("rounding")
            return {}

        self._run("set_rounding", actor=actor, key=None, args={"mode": rounding.name}, body=body)
        return rounding

    def rounding(self) -> Rounding:
        """The book's rounding mode (:data:`o2c.money.DEFAULT_ROUNDING` unless set)."""
        name = self._setting("rounding")
        return DEFAULT_ROUNDING if name is None else Rounding.parse(name)

    def set_seller(self, seller: TaxProfile, *, actor: str | None = None) -> TaxProfile:
        """Record the seller's tax profile (country, region, tax id) the book bills as."""

        def body(touched: Touched) -> dict[str, Any]:
            self._set_setting(
                "seller", json.dumps(to_plain(seller, self._converter()), sort_keys=True)
            )
            touched.add("seller")
            return {}

        self._run("set_seller", actor=actor, key=None, args={"seller": seller}, body=body)
        return self.seller()

    def seller(self) -> TaxProfile:
        """The seller's tax profile.

        Raises:
            NotFound: None was set (``set_seller``).
        """
        text = self._setting("seller")
        if text is None:
            raise NotFound(
                "seller",
                "profile",
                hint="set it with o2c init --seller-country CC, or Book.set_seller in Python",
            )
        return structure(json.loads(text), TaxProfile, converter=self._converter())

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
        batch = list(records)

        def body(touched: Touched) -> dict[str, Any]:
            before = self._count("usage_records")
            now = self._now().isoformat()
            self._store.executemany(
                "INSERT INTO usage_records (id, customer_id, contract_id, item, quantity,"
                " occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                [
                    (
                        r.id,
                        r.customer,
                        contract,
                        r.item,
                        str(r.quantity),
                        r.timestamp.astimezone(dt.UTC).isoformat(),
                        (r.received_at or r.timestamp).astimezone(dt.UTC).isoformat()
                        if r.received_at
                        else now,
                    )
                    for r in batch
                ],
            )
            inserted = self._count("usage_records") - before
            touched.add(f"{inserted} usage records")
            return {"inserted": inserted, "duplicates": len(batch) - inserted}

        result = self._run(
            "import_usage",
            actor=actor,
            key=None,
            args={"ids": [r.id for r in batch], "contract": contract},
            body=body,
        )
        return ImportResult(int(result["inserted"]), int(result["duplicates"]))

    def _count(self, table: str) -> int:
        row = self._store.query_one(f"SELECT COUNT(*) FROM {table}")
        return int(row[0]) if row else 0

    def import_time(
        self,
        entries: Iterable[TimeEntry],
        *,
        customer: str,
        contract: str | None = None,
        actor: str | None = None,
    ) -> ImportResult:
        """Store time entries of ``customer``; an entry whose id is stored is ignored."""
        batch = list(entries)

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(customer)
            before = self._count("time_entries")
            self._store.executemany(
                "INSERT INTO time_entries (id, customer_id, contract_id, person, role,"
                " work_date, hours, approved, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                [_time_row(e, customer, contract) for e in batch],
            )
            inserted = self._count("time_entries") - before
            touched.add(f"{inserted} time entries")
            return {"inserted": inserted, "duplicates": len(batch) - inserted}

        result = self._run(
            "import_time",
            actor=actor,
            key=None,
            args={"customer": customer, "contract": contract, "entries": batch},
            body=body,
        )
        return ImportResult(int(result["inserted"]), int(result["duplicates"]))


def _time_row(entry: TimeEntry, customer: str, contract: str | None) -> tuple[Any, ...]:
    return (
        entry.id,
        customer,
        contract,
        entry.person,
        entry.role,
        entry.date.isoformat(),
        str(entry.hours),
        1 if entry.approved and entry.billable else 0,
        "" if entry.billable else "not billable",
    )
