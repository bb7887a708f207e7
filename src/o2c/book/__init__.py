"""The Book: the one place with effects. Commands and queries over a store.

See :class:`Book`.
"""

from o2c.book._base import Clock
from o2c.book._book import Book

__all__ = ["Book", "Clock"]
