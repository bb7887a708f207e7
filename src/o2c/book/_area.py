"""The base of the Book's area groups."""

from __future__ import annotations

from o2c.book._session import Session

__all__ = ["Area"]


class Area:
    """One area's group of Book commands and queries (customers, documents, payments...).

    An area group holds no state and no SQL: each of its methods calls a use case of
    its area, a function ``(session, ...) -> value``, with the book's one session. The
    :class:`o2c.Book` is made of these groups side by side; no group inherits another,
    and a use case that needs another area imports that area's functions.
    """

    _session: Session
