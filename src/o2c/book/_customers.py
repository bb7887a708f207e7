"""Customer commands and queries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from o2c.book._base import BookBase, Touched
from o2c.book._codec import as_json
from o2c.errors import Conflict, NotFound, ValidationError
from o2c.io import structure, to_plain
from o2c.parties import Customer

__all__ = ["CustomersMixin"]

_COLUMNS = "data"


class CustomersMixin(BookBase):
    """Customers: add, edit, read."""

    def add_customer(
        self, customer: Customer, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Customer:
        """Add a customer to the book.

        Args:
            customer: The customer (its id must be new).
            actor: Who adds it.
            idempotency_key: Repeating the key returns the first result.

        Returns:
            The stored customer.

        Raises:
            Conflict: A customer with that id exists already.
        """
        if not isinstance(customer, Customer):
            raise ValidationError("customer", customer, "a Customer value")

        def body(touched: Touched) -> dict[str, Any]:
            if self._store.query_one("SELECT 1 FROM customers WHERE id = ?", (customer.id,)):
                raise Conflict(f"customer {customer.id} exists already; edit it instead")
            self._ensure_currency(customer.currency)
            self._write_customer(customer, version=1, insert=True)
            touched.add(customer.id)
            return {"id": customer.id}

        result = self._run(
            "add_customer",
            actor=actor,
            key=idempotency_key,
            args={"customer": customer},
            body=body,
        )
        return self.get_customer(result["id"])

    def add_customers(self, customers: Iterable[Customer], *, actor: str | None = None) -> int:
        """Add many new customers in one transaction (an import); returns how many.

        Raises:
            Conflict: One of the ids exists already (nothing is added).
        """
        batch = list(customers)

        def body(touched: Touched) -> dict[str, Any]:
            for customer in batch:
                self._ensure_currency(customer.currency)
            now = self._now().isoformat()
            self._store.executemany(
                "INSERT INTO customers (id, name, currency, payment_terms, time_zone,"
                " credit_limit_minor, status, version, data, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'active', 1, ?, ?, ?)",
                [
                    (
                        c.id,
                        c.legal_name,
                        c.currency.code,
                        str(c.payment_terms),
                        c.time_zone,
                        None if c.credit_limit is None else c.credit_limit.minor_units,
                        json.dumps(to_plain(c, self._converter()), sort_keys=True),
                        now,
                        now,
                    )
                    for c in batch
                ],
            )
            touched.add(f"{len(batch)} customers")
            return {"count": len(batch)}

        result = self._run(
            "add_customers", actor=actor, key=None, args={"ids": [c.id for c in batch]}, body=body
        )
        return int(result["count"])

    def update_customer(
        self, customer: Customer, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Customer:
        """Replace a customer's details (issued documents keep their snapshot).

        Raises:
            NotFound: No customer with that id.
        """

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT version FROM customers WHERE id = ?", (customer.id,)
            )
            if row is None:
                raise NotFound("customer", customer.id, hint="add it with add_customer")
            self._ensure_currency(customer.currency)
            self._write_customer(customer, version=int(row[0]) + 1, insert=False)
            touched.add(customer.id)
            return {"id": customer.id}

        result = self._run(
            "update_customer",
            actor=actor,
            key=idempotency_key,
            args={"customer": customer},
            body=body,
        )
        return self.get_customer(result["id"])

    def _write_customer(self, customer: Customer, *, version: int, insert: bool) -> None:
        now = self._now().isoformat()
        data = to_plain(customer, self._converter())
        text = json.dumps(data, sort_keys=True)
        limit = None if customer.credit_limit is None else customer.credit_limit.minor_units
        if insert:
            self._store.execute(
                "INSERT INTO customers (id, name, currency, payment_terms, time_zone,"
                " credit_limit_minor, status, version, data, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                (
                    customer.id,
                    customer.legal_name,
                    customer.currency.code,
                    str(customer.payment_terms),
                    customer.time_zone,
                    limit,
                    version,
                    text,
                    now,
                    now,
                ),
            )
        else:
            self._store.execute(
                "UPDATE customers SET name = ?, currency = ?, payment_terms = ?, time_zone = ?,"
                " credit_limit_minor = ?, version = ?, data = ?, updated_at = ? WHERE id = ?",
                (
                    customer.legal_name,
                    customer.currency.code,
                    str(customer.payment_terms),
                    customer.time_zone,
                    limit,
                    version,
                    text,
                    now,
                    customer.id,
                ),
            )

    def _customer(self, row: tuple[Any, ...]) -> Customer:
        return structure(as_json(row[0]), Customer, converter=self._converter())

    def get_customer(self, customer_id: str) -> Customer:
        """The customer with id ``customer_id``.

        Raises:
            NotFound: No such customer.
        """
        row = self._store.query_one(
            f"SELECT {_COLUMNS} FROM customers WHERE id = ?", (customer_id,)
        )
        if row is None:
            raise NotFound("customer", customer_id)
        return self._customer(row)

    def list_customers(
        self, *, search: str | None = None, limit: int | None = None
    ) -> list[Customer]:
        """All customers ordered by id, optionally those whose id or name contains ``search``."""
        sql = f"SELECT {_COLUMNS} FROM customers"
        params: list[str | int] = []
        if search:
            sql += " WHERE LOWER(id) LIKE ? OR LOWER(name) LIKE ?"
            pattern = f"%{search.lower()}%"
            params += [pattern, pattern]
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [self._customer(row) for row in self._store.query(sql, params)]
