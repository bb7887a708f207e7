"""Fixtures for CLI tests: a runner and a temporary book path."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """A click runner with stdout and stderr kept apart."""
    return CliRunner()


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """Where a test's book lives (not created until a command needs it)."""
    return tmp_path / "test.db"
