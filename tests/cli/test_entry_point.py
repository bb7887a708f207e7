"""Smoke tests of the installed ``o2c`` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import o2c
import o2c.pricing

SAAS = Path(o2c.pricing.__file__).parent / "examples" / "saas.toml"
O2C = Path(sys.executable).with_name("o2c")


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``o2c`` with ``args``; never raises on a non-zero exit."""
    assert O2C.exists(), f"the o2c console script is not installed next to {sys.executable}"
    full_env = {**os.environ, "O2C_ACTOR": "smoke", **(env or {})}
    full_env.pop("O2C_BOOK", None)
    return subprocess.run(
        [str(O2C), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_installed_script_prints_its_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"o2c, version {o2c.__version__}"


def test_installed_script_quotes_as_json(tmp_path: Path) -> None:
    result = run(
        "--format",
        "json",
        "quote",
        "--ratecard",
        str(SAAS),
        "seats",
        "10",
        "--at",
        "2026-10-01",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    # 3 free seats, 7 × 12.50
    assert json.loads(result.stdout)["price"] == {"amount": "87.50", "currency": "USD"}
    assert list(tmp_path.iterdir()) == []


def test_installed_script_exit_codes(tmp_path: Path) -> None:
    usage = run("quote", "--ratecard", str(SAAS), "seats", "many", cwd=tmp_path)
    assert usage.returncode == 2
    domain = run("quote", "--ratecard", str(SAAS), "unknown-item", "1", cwd=tmp_path)
    assert domain.returncode == 1
    assert domain.stderr.startswith("Error: item unknown-item not found")
    assert "Traceback" not in domain.stderr + usage.stderr


def test_installed_script_runs_the_demo_end_to_end(tmp_path: Path) -> None:
    book = tmp_path / "demo.db"
    result = run("--format", "json", "demo", "--book", str(book), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["customers"] == 5
    numbers = [d["number"] for d in summary["documents"]]
    assert "INV-2026-000010" in numbers
    listed = run("--book", str(book), "--format", "json", "invoice", "list", cwd=tmp_path)
    assert sorted(d["number"] for d in json.loads(listed.stdout)) == sorted(numbers)
    missing = run("--book", str(book), "invoice", "show", "INV-1999-000001", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == "Error: document INV-1999-000001 not found\n"
