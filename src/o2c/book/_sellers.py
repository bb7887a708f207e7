"""The seller: who issues the book's documents, kept in append-only versions.

:func:`set_seller` records a new version of the seller's identity
(:class:`o2c.parties.Seller`), or only its tax part (a :class:`o2c.tax.TaxProfile`, the
form ``o2c init --seller-country`` and older code use). Every issued document records
the version it was issued under (the documents table writes it), so
:func:`document_seller` gives the seller as it was on that document however often the
seller changes later.

The tax profile the tax engine bills with stays in the ``seller`` setting
(:func:`o2c.book._catalog.seller`), kept equal to the latest version's ``tax``.
"""

from __future__ import annotations

import json
from typing import Any, Final

import attrs

from o2c.book._session import Session, Touched
from o2c.book._tables import sellers as sellers_table
from o2c.errors import NotFound, ValidationError
from o2c.io import structure, to_plain
from o2c.parties import Seller
from o2c.tax import TaxProfile

__all__ = [
    "current_version",
    "document_seller",
    "seller_identity",
    "seller_version",
    "set_seller",
]

_HINT = "set it with o2c seller set, or Book.set_seller(Seller(...)) in Python"

# Stored sellers by their JSON text. A version never changes and the same text always
# gives the same value, so documents rendered by the thousand (one seller each) build
# the seller once, not once per document.
_BUILT: Final[dict[str, Seller]] = {}


def current_version(session: Session) -> int | None:
    """The latest seller version's number, or None when only a tax profile (or nothing)
    was set. Issuing commands read it once and record it on what they issue."""
    return sellers_table.current_version(session.store)


def _load(session: Session, version: int) -> Seller | None:
    return _built(session, sellers_table.get_version(session.store, version))


def _built(session: Session, stored: object) -> Seller | None:
    """The seller of a stored ``seller`` value (JSON text, or decoded JSONB), or None."""
    if stored is None:
        return None
    text = stored if isinstance(stored, str) else json.dumps(stored, sort_keys=True)
    found = _BUILT.get(text)
    if found is None:
        plain = json.loads(text) if isinstance(stored, str) else stored
        found = structure(plain, Seller, converter=session.converter())
        if len(_BUILT) > 256:
            _BUILT.clear()
        _BUILT[text] = found
    return found


def _plain(session: Session, value: object) -> str:
    return json.dumps(to_plain(value, session.converter()), sort_keys=True)


def set_seller(
    session: Session,
    seller: Seller | TaxProfile,
    *,
    actor: str | None,
    idempotency_key: str | None = None,
) -> Seller | TaxProfile:
    """Record the seller (``Book.set_seller``); returns what was recorded.

    A :class:`Seller` becomes the next version (none when it equals the latest one) and
    its tax profile the one the book bills with. A :class:`TaxProfile` alone sets the tax
    part: of a new version of the latest seller when there is one, else only the tax
    profile (no version: a seller's legal name and address are not made up).

    Raises:
        ValidationError: ``seller`` is neither a Seller nor a TaxProfile.
    """
    if not isinstance(seller, Seller | TaxProfile):
        raise ValidationError("seller", type(seller).__name__, "a Seller or a TaxProfile")
    who = session.who(actor)

    def body(touched: Touched) -> dict[str, Any]:
        latest = current_version(session)
        if isinstance(seller, Seller):
            identity: Seller | None = seller
        else:
            found = None if latest is None else _load(session, latest)
            identity = None if found is None else attrs.evolve(found, tax=seller)
        profile = seller if isinstance(seller, TaxProfile) else seller.tax
        session.set_setting("seller", _plain(session, profile))
        touched.add("seller")
        version = latest
        if identity is not None and (latest is None or _load(session, latest) != identity):
            version = sellers_table.add_version(
                session.store,
                _plain(session, identity),
                actor=who,
                now=session.now().isoformat(),
            )
            touched.add(f"seller:{version}")
        return {"version": version}

    session.run("set_seller", actor=actor, key=idempotency_key, args={"seller": seller}, body=body)
    return seller


def seller_identity(session: Session, version: int | None = None) -> Seller:
    """The seller's full identity: the latest version, or ``version``
    (``Book.seller_identity``).

    Raises:
        NotFound: No seller was set (only a tax profile), or no such version.
    """
    chosen = current_version(session) if version is None else version
    found = None if chosen is None else _load(session, chosen)
    if found is None:
        raise NotFound("seller", "latest" if version is None else str(version), hint=_HINT)
    return found


def seller_version(session: Session) -> int | None:
    """The latest seller version's number (``Book.seller_version``); None when no
    seller identity was set."""
    return current_version(session)


def document_seller(session: Session, id_or_number: str) -> Seller | None:
    """The seller as it was when document ``id_or_number`` was issued
    (``Book.document_seller``); None for a draft, or a document issued before any seller
    identity was set.

    Raises:
        NotFound: No such document.
    """
    found = sellers_table.seller_of_document(session.store, id_or_number)
    if found is None:
        raise NotFound("document", id_or_number)
    return _built(session, found[0])
