"""Contract commands and queries: add, amend or terminate (update), read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from o2c.book._customers import require_customer
from o2c.book._session import Session, Touched
from o2c.book._tables import contracts as contracts_table
from o2c.contracts import Contract, check_update
from o2c.errors import Conflict, NotFound
from o2c.io import to_plain

__all__ = [
    "add_contract",
    "add_contracts",
    "contract_of",
    "get_contract",
    "list_contracts",
    "update_contract",
]


def _plain(session: Session, contract: Contract) -> Any:
    return to_plain(contract, session.converter())


def _insert(session: Session, contracts: list[Contract]) -> None:
    for contract in contracts:
        session.ensure_currency(contract.versions[-1].currency)
    contracts_table.insert(
        session.store, contracts, converter=session.converter(), now=session.now().isoformat()
    )


def add_contract(
    session: Session,
    contract: Contract,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Contract:
    """Add a contract; its customer must exist (see :meth:`SetupMixin.add_contract`)."""

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, contract.customer_id)
        if contracts_table.exists(session.store, contract.id):
            raise Conflict(f"contract {contract.id} exists already; amend it instead")
        _insert(session, [contract])
        touched.add(contract.id)
        return {"id": contract.id}

    result = session.run(
        "add_contract",
        actor=actor,
        key=idempotency_key,
        args={"contract": _plain(session, contract)},
        body=body,
    )
    return get_contract(session, result["id"])


def add_contracts(
    session: Session,
    contracts: Iterable[Contract],
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> int:
    """Add many contracts in one transaction (an import); return how many."""
    batch = list(contracts)

    def body(touched: Touched) -> dict[str, Any]:
        for contract in batch:
            require_customer(session, contract.customer_id)
        taken = [c.id for c in batch if contracts_table.exists(session.store, c.id)]
        if taken:
            raise Conflict(f"contract {', '.join(taken)} exists already; nothing was added")
        _insert(session, batch)
        touched.add(f"{len(batch)} contracts")
        return {"count": len(batch)}

    result = session.run(
        "add_contracts",
        actor=actor,
        key=idempotency_key,
        args={"ids": [c.id for c in batch]},
        body=body,
    )
    return int(result["count"])


def update_contract(
    session: Session,
    contract: Contract,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Contract:
    """Store a contract's new versions or end date (see :meth:`SetupMixin.update_contract`)."""

    def body(touched: Touched) -> dict[str, Any]:
        stored = get_contract(session, contract.id)
        check_update(stored, contract)
        contracts_table.update(
            session.store,
            contract,
            stored_versions=len(stored.versions),
            converter=session.converter(),
            now=session.now().isoformat(),
        )
        touched.add(contract.id)
        return {"id": contract.id}

    result = session.run(
        "update_contract",
        actor=actor,
        key=idempotency_key,
        args={"contract": _plain(session, contract)},
        body=body,
    )
    return get_contract(session, result["id"])


def contract_of(session: Session, data: object) -> Contract:
    """The contract stored as ``data`` (a ``contracts.data`` value)."""
    return contracts_table.contract_of(data, session.converter())


def get_contract(session: Session, contract_id: str) -> Contract:
    """The contract with this id.

    Raises:
        NotFound: No such contract.
    """
    found = contracts_table.get(session.store, contract_id, converter=session.converter())
    if found is None:
        raise NotFound("contract", contract_id)
    return found


def list_contracts(session: Session, *, customer: str | None = None) -> list[Contract]:
    """Contracts in id order, optionally one customer's."""
    return contracts_table.search(session.store, converter=session.converter(), customer=customer)
