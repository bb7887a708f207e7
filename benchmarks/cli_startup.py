"""Time how long ``o2c`` takes to start: ``--version``, ``--help`` and a simple read.

Each command runs ``--repeat`` times in a fresh subprocess (as a person's shell runs it);
the median wall time is printed, and its ratio to the floor, ``python -c pass``, measured
in the same run. The read, ``o2c --book X customer list``, runs on a small book that this
script creates in a temporary directory (``init`` and three customers). The target of
issue 23 is under 0.3 s for each; ``--check`` exits 1 when a median is over ``--target``.

Find what is slow with ``python -X importtime -c "import o2c.cli" 2>&1 | sort -t'|' -k2 -n``.

Usage: ``python benchmarks/cli_startup.py [--repeat 15] [--target 0.3] [--check] [--as-is]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

CUSTOMERS = (
    ("C-MX-1", "Tortillería La Esperanza SA de CV", "MX", "MXN"),
    ("C-DE-1", "Müller Maschinenbau GmbH", "DE", "EUR"),
    ("C-US-1", "Acme Corp", "US", "USD"),
)


def o2c_command() -> list[str]:
    """The installed ``o2c`` console script, else ``python -m o2c.cli``."""
    beside = Path(sys.executable).with_name("o2c")
    script = str(beside) if beside.exists() else shutil.which("o2c")
    return [script] if script else [sys.executable, "-m", "o2c.cli"]


def wall_time(argv: Sequence[str], repeat: int, env: dict[str, str]) -> float:
    """The median wall time of ``repeat`` runs of ``argv`` (after one warm-up run)."""
    subprocess.run(argv, check=True, capture_output=True, env=env)  # warm the caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def small_book(directory: Path, o2c: list[str], env: dict[str, str]) -> Path:
    """A book with three customers."""
    book = directory / "bench.db"
    for args in (
        ["init"],
        *(
            [
                "customer",
                "add",
                customer_id,
                "--name",
                name,
                "--country",
                country,
                "--currency",
                currency,
            ]
            for customer_id, name, country, currency in CUSTOMERS
        ),
    ):
        subprocess.run([*o2c, "--book", str(book), *args], check=True, capture_output=True, env=env)
    return book


def environment(directory: Path, *, as_is: bool) -> dict[str, str]:
    """The subprocesses' environment: compiled bytecode cached, as in an installation.

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` recompiles every module on every
    start (a third of a second for o2c); an installed o2c has its ``.pyc`` files. The
    cache goes to a temporary ``PYTHONPYCACHEPREFIX``, not into the source tree.
    ``as_is`` keeps the caller's environment instead.
    """
    env = dict(os.environ)
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
    return env


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per command")
    parser.add_argument("--target", type=float, default=0.3, help="seconds per command")
    parser.add_argument("--check", action="store_true", help="exit 1 over the target")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE and the bytecode cache as the environment has them",
    )
    args = parser.parse_args(argv)

    o2c = o2c_command()
    with tempfile.TemporaryDirectory() as directory:
        env = environment(Path(directory), as_is=args.as_is)
        floor = wall_time([sys.executable, "-c", "pass"], args.repeat, env)
        book = small_book(Path(directory), o2c, env)
        commands = {
            "o2c --version": [*o2c, "--version"],
            "o2c --help": [*o2c, "--help"],
            "o2c --book X customer list": [*o2c, "--book", str(book), "customer", "list"],
        }
        medians = {label: wall_time(cmd, args.repeat, env) for label, cmd in commands.items()}

    print(f"{'command':<30} {'median s':>9} {'x floor':>8}")
    print(f"{'python -c pass (floor)':<30} {floor:>9.3f} {1:>8.1f}")
    for label, seconds in medians.items():
        mark = "" if seconds < args.target else f"  over {args.target:.2f} s"
        print(f"{label:<30} {seconds:>9.3f} {seconds / floor:>8.1f}{mark}")
    cache = "environment as is" if args.as_is else "bytecode cached"
    print(f"({args.repeat} runs each; {' '.join(o2c)}; {cache})")
    return 1 if args.check and any(s >= args.target for s in medians.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
