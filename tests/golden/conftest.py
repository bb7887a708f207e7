"""The ``golden`` fixture: compare output to a file under ``tests/golden/``.

Rewrite the files with ``pytest --update-golden`` (or ``O2C_UPDATE_GOLDEN=1``) and review
the diff: a change of format then shows in the pull request, line by line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent

#: Compares ``text`` to the golden file at ``name`` (a path under ``tests/golden/``).
Golden = Callable[[str, str], None]


def updating(config: pytest.Config) -> bool:
    """Whether this run rewrites the golden files instead of comparing."""
    return bool(config.getoption("--update-golden", default=False)) or (
        os.environ.get("O2C_UPDATE_GOLDEN") == "1"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Check text against its golden file (or rewrite the file when updating)."""
    update = updating(request.config)

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        if not path.exists():
            pytest.fail(f"no golden file {name}; run pytest --update-golden and review it")
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} changed; if intended, run pytest --update-golden"

    return check
