"""A controllable clock for Book tests."""

from __future__ import annotations

import datetime as dt


class FakeClock:
    """Returns ``now``; :meth:`advance` moves it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a ``timedelta(**delta)``."""
        self.now += dt.timedelta(**delta)
