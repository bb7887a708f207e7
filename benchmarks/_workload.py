"""Shared helpers of the o2c benchmarks: find, generate and read the reference workload."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def bench_dir() -> Path:
    """The reference workload scripts: ``../shared/bench`` beside the repository."""
    for candidate in (REPO.parent / "shared" / "bench", REPO / "shared" / "bench"):
        if (candidate / "workload.py").exists():
            return candidate
    raise SystemExit("cannot find shared/bench/workload.py beside the repository")


def generate(n: int, out: Path, *, customers: int | None = None) -> Path:
    """Write the seeded workload of ``n`` invoices to ``out``."""
    cmd = [sys.executable, str(bench_dir() / "workload.py"), "--n", str(n), "--out", str(out)]
    if customers is not None:
        cmd += ["--customers", str(customers)]
    subprocess.run(cmd, check=True)
    return out


def floor(workload: Path, db: Path, sync: str = "full") -> dict[str, Any]:
    """Run the floor baseline on ``workload`` and return its figures."""
    done = subprocess.run(
        [
            sys.executable,
            str(bench_dir() / "run_baseline.py"),
            str(workload),
            "--db",
            str(db),
            "--sync",
            sync,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def records(workload: Path, kind: str) -> Any:
    """Yield the records of one ``type`` from a workload file, streaming."""
    with workload.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["type"] == kind:
                yield record


def expected(workload: Path) -> dict[str, Any]:
    """The workload's ``expected`` record (its last line)."""
    with workload.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65536))
        last = handle.read().decode("utf-8").strip().splitlines()[-1]
    record: dict[str, Any] = json.loads(last)
    assert record["type"] == "expected", "the workload does not end with its expected record"
    return record
