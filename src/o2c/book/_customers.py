"""Customer commands and queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from o2c.book._area import Area
from o2c.book._session import Session, Touched
from o2c.book._tables import customers as customers_table
from o2c.errors import Conflict, NotFound, ValidationError
from o2c.parties import Customer

__all__ = [
    "CustomersMixin",
    "add_customer",
    "add_customers",
    "get_customer",
    "list_customers",
    "load_customers",
    "require_customer",
    "update_customer",
]


def add_customer(
    session: Session,
    customer: Customer,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Customer:
    """Add a customer to the book (see :meth:`CustomersMixin.add_customer`)."""
    if not isinstance(customer, Customer):
        raise ValidationError("customer", customer, "a Customer value")
    store = session.store

    def body(touched: Touched) -> dict[str, Any]:
        if customers_table.exists(store, customer.id):
            raise Conflict(f"customer {customer.id} exists already; edit it instead")
        session.ensure_currency(customer.currency)
        customers_table.insert(
            store, [(customer, 1)], converter=session.converter(), now=session.now().isoformat()
        )
        touched.add(customer.id)
        return {"id": customer.id}

    result = session.run(
        "add_customer", actor=actor, key=idempotency_key, args={"customer": customer}, body=body
    )
    return get_customer(session, result["id"])


def add_customers(
    session: Session,
    customers: Iterable[Customer],
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> int:
    """Add many new customers in one transaction (an import); return how many."""
    batch = list(customers)

    def body(touched: Touched) -> dict[str, Any]:
        taken = [c.id for c in batch if customers_table.exists(session.store, c.id)]
        if taken:
            raise Conflict(f"customer {', '.join(taken)} exists already; nothing was added")
        for customer in batch:
            session.ensure_currency(customer.currency)
        customers_table.insert(
            session.store,
            [(c, 1) for c in batch],
            converter=session.converter(),
            now=session.now().isoformat(),
        )
        touched.add(f"{len(batch)} customers")
        return {"count": len(batch)}

    result = session.run(
        "add_customers",
        actor=actor,
        key=idempotency_key,
        args={"ids": [c.id for c in batch]},
        body=body,
    )
    return int(result["count"])


def update_customer(
    session: Session,
    customer: Customer,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Customer:
    """Replace a customer's details (see :meth:`CustomersMixin.update_customer`)."""
    store = session.store

    def body(touched: Touched) -> dict[str, Any]:
        stored = customers_table.version(store, customer.id)
        if stored is None:
            raise NotFound("customer", customer.id, hint="add it with add_customer")
        session.ensure_currency(customer.currency)
        customers_table.update(
            store,
            customer,
            version=stored + 1,
            converter=session.converter(),
            now=session.now().isoformat(),
        )
        touched.add(customer.id)
        return {"id": customer.id}

    result = session.run(
        "update_customer", actor=actor, key=idempotency_key, args={"customer": customer}, body=body
    )
    return get_customer(session, result["id"])


def get_customer(session: Session, customer_id: str) -> Customer:
    """The customer with id ``customer_id``.

    Raises:
        NotFound: No such customer.
    """
    found = customers_table.get(session.store, customer_id, converter=session.converter())
    if found is None:
        raise NotFound("customer", customer_id)
    return found


def list_customers(
    session: Session, *, search: str | None = None, limit: int | None = None
) -> list[Customer]:
    """All customers ordered by id, optionally those whose id or name contains ``search``."""
    return customers_table.search(
        session.store, converter=session.converter(), text=search, limit=limit
    )


def require_customer(session: Session, customer_id: str) -> None:
    """Check the book has customer ``customer_id``.

    Raises:
        NotFound: It has not.
    """
    if not customers_table.exists(session.store, customer_id):
        raise NotFound("customer", customer_id, hint="add the customer first")


def load_customers(session: Session, ids: Iterable[str], customers: dict[str, Customer]) -> None:
    """Read the customers with these ids into ``customers`` (those not there yet)."""
    customers_table.load_into(session.store, ids, customers, converter=session.converter())


class CustomersMixin(Area):
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
        return add_customer(self._session, customer, actor=actor, idempotency_key=idempotency_key)

    def add_customers(
        self,
        customers: Iterable[Customer],
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Add many new customers in one transaction (an import); returns how many.

        Args:
            customers: The new customers.
            actor: Who adds them.
            idempotency_key: Repeating the key returns the first result, adding nothing.

        Raises:
            Conflict: One of the ids exists already (nothing is added).
        """
        return add_customers(self._session, customers, actor=actor, idempotency_key=idempotency_key)

    def update_customer(
        self, customer: Customer, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Customer:
        """Replace a customer's details (issued documents keep their snapshot).

        Raises:
            NotFound: No customer with that id.
        """
        return update_customer(
            self._session, customer, actor=actor, idempotency_key=idempotency_key
        )

    def get_customer(self, customer_id: str) -> Customer:
        """The customer with id ``customer_id``.

        Raises:
            NotFound: No such customer.
        """
        return get_customer(self._session, customer_id)

    def list_customers(
        self, *, search: str | None = None, limit: int | None = None
    ) -> list[Customer]:
        """All customers ordered by id, optionally those whose id or name contains ``search``."""
        return list_customers(self._session, search=search, limit=limit)
