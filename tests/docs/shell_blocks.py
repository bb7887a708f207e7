"""Read the runnable shell blocks out of the docs and run them as a user pastes them.

A fenced ``console``, ``shell`` or ``bash`` block is runnable when the line before its
fence is the MyST comment ``% runnable: SESSION`` (invisible on the rendered page; in the
README, which GitHub renders, the HTML comment ``<!-- runnable: SESSION -->``). The
runnable blocks of one page with the same SESSION run in page order in one ``bash``, in a
fresh temporary directory laid out like the clone's root (``examples/``, ``src/``): what
one block exports or creates, the next one sees, as in a terminal.

In a ``console`` block a line starting with ``$ `` is a command (a line ending in ``\\``
continues it) and the lines under it are its expected output: each must appear in the
command's output (stdout and stderr), in order, with runs of spaces counted as one (a
shown line may leave out the last columns of a wide table); a ``...`` line stands for
lines left out. In a ``shell`` or ``bash`` block every line that
is not blank or a ``#`` comment is a command, and only the exit status is checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

__all__ = [
    "REPO_ROOT",
    "Outcome",
    "Step",
    "check_output",
    "normalize",
    "o2c_bin_dir",
    "read_steps",
    "run_session",
    "sessions",
]

REPO_ROOT = Path(__file__).resolve().parents[2]

_MARK = re.compile(r"^(?:%|<!--)\s*runnable:\s*(?P<session>[\w.-]+)\s*(?:-->)?\s*$")
_FENCE = re.compile(r"^(?P<ticks>`{3,})(?P<lang>console|shell|bash)\s*$")
_ELISION = "..."
_STEP_MARK = "@@o2c-docs-step"


@attrs.frozen
class Step:
    """One command of a runnable block, where it is written and what it should print."""

    source: str
    command: str
    expected: tuple[str, ...] = ()


@attrs.frozen
class Outcome:
    """What one step did: its exit status and everything it printed."""

    step: Step
    status: int
    output: str


def normalize(line: str) -> str:
    """Strip a line and count each run of whitespace as one space."""
    return " ".join(line.split())


def _block_steps(lang: str, lines: list[tuple[int, str]], path: str) -> list[Step]:
    steps: list[Step] = []
    command: list[str] = []
    start = 0
    expected: list[str] = []
    continued = False

    def flush() -> None:
        if command:
            steps.append(Step(f"{path}:{start}", "\n".join(command), tuple(expected)))

    for number, line in lines:
        if continued:
            command.append(line)
            continued = line.rstrip().endswith("\\")
            continue
        if lang == "console":
            if line.startswith("$ "):
                flush()
                command, start, expected = [line[2:]], number, []
                continued = line.rstrip().endswith("\\")
            elif command and line.strip() and line.strip() != _ELISION:
                expected.append(normalize(line))
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        flush()
        command, start, expected = [line], number, []
        continued = line.rstrip().endswith("\\")
    flush()
    return steps


def read_steps(text: str, path: str) -> dict[str, list[Step]]:
    """Return the steps of the runnable blocks of a page, by session, in page order."""
    found: dict[str, list[Step]] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        mark = _MARK.match(lines[index])
        index += 1
        if mark is None:
            continue
        fence = _FENCE.match(lines[index]) if index < len(lines) else None
        if fence is None:
            raise ValueError(
                f"{path}:{index}: '% runnable:' must come just before a console/shell block"
            )
        ticks, lang = fence["ticks"], fence["lang"]
        body: list[tuple[int, str]] = []
        index += 1
        while index < len(lines) and lines[index].rstrip() != ticks:
            body.append((index + 1, lines[index]))
            index += 1
        found.setdefault(mark["session"], []).extend(_block_steps(lang, body, path))
    return found


def sessions(pages: Iterable[Path]) -> dict[str, list[Step]]:
    """Return every runnable session of the pages, named ``page:session``."""
    result: dict[str, list[Step]] = {}
    for page in pages:
        relative = page.relative_to(REPO_ROOT).as_posix()
        for name, steps in read_steps(page.read_text(encoding="utf-8"), relative).items():
            result[f"{relative}:{name}"] = steps
    return result


def o2c_bin_dir() -> Path | None:
    """Return the folder of the installed ``o2c`` script (the running venv's first)."""
    beside = Path(sys.executable).parent
    if (beside / "o2c").exists():
        return beside
    found = shutil.which("o2c")
    return Path(found).parent if found else None


def _environment(bin_dir: Path, home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("O2C_") and key not in {"LANGUAGE", "LC_MESSAGES"}
    }
    env.update(
        {
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return env


def _script(steps: list[Step]) -> str:
    parts = ["exec 2>&1"]
    for number, step in enumerate(steps):
        parts.append(f"printf '\\n{_STEP_MARK} {number}@@\\n'")
        parts.append(step.command)
        status = f"printf '\\n{_STEP_MARK} {number} status %d@@\\n' \"$o2c_docs_status\""
        parts.append(f'o2c_docs_status=$?; {status}; [ "$o2c_docs_status" -eq 0 ] || exit 97')
    return "\n".join(parts) + "\n"


def run_session(
    steps: list[Step], workdir: Path, bin_dir: Path, extra_env: Mapping[str, str] | None = None
) -> list[Outcome]:
    """Run the steps in one bash in ``workdir``, laid out like the clone's root.

    ``examples/`` is a copy (a walkthrough may write next to it); ``src/`` is a link, for
    the rate card shipped in the package (``src/o2c/pricing/examples/saas.toml``).
    """
    shutil.copytree(REPO_ROOT / "examples", workdir / "examples")
    (workdir / "src").symlink_to(REPO_ROOT / "src", target_is_directory=True)
    env = _environment(bin_dir, workdir)
    env.update(extra_env or {})
    done = subprocess.run(
        ["bash", "--noprofile", "--norc"],
        input=_script(steps),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=workdir,
        env=env,
        timeout=300,
        check=False,
    )
    outcomes: list[Outcome] = []
    chunks = re.split(rf"\n?{_STEP_MARK} (\d+)(?: status (\d+))?@@\n", done.stdout)
    # chunks: [prelude, n, None, output, n, status, between, n, None, output, ...]
    by_step: dict[int, tuple[int, str]] = {}
    output = ""
    for position in range(1, len(chunks) - 1, 3):
        number, status, text = int(chunks[position]), chunks[position + 1], chunks[position + 2]
        if status is None:
            output = text
            by_step[number] = (-1, output)
        else:
            by_step[number] = (int(status), output)
    for number, step in enumerate(steps):
        if number not in by_step:
            break
        status, text = by_step[number]
        outcomes.append(Outcome(step, status, text))
    return outcomes


def _shows(line: str, want: str) -> bool:
    return line == want or line.startswith(want + " ")


def check_output(expected: tuple[str, ...], output: str) -> str | None:
    """Return the first expected line missing from ``output`` (in order), else None."""
    lines = [normalize(line) for line in output.splitlines()]
    position = 0
    for want in expected:
        while position < len(lines) and not _shows(lines[position], want):
            position += 1
        if position == len(lines):
            return want
        position += 1
    return None
