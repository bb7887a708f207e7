"""The docs' shell walkthroughs work when pasted: every runnable block exits 0 and prints
what the page shows (see ``tests/docs/shell_blocks.py`` for the ``% runnable:`` mark)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.docs.shell_blocks import (
    REPO_ROOT,
    Outcome,
    Step,
    check_output,
    o2c_bin_dir,
    read_steps,
    run_session,
    sessions,
)

PAGES = [
    REPO_ROOT / "README.md",
    REPO_ROOT / "docs" / "quickstart.md",
    *sorted((REPO_ROOT / "docs" / "guide").glob("*.md")),
]
SESSIONS = sessions(PAGES)
#: Pages whose every console block that runs o2c must be runnable.
ALL_RUNNABLE = ("docs/quickstart.md",)


@pytest.fixture(scope="module")
def ran(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Outcome]]:
    """The selected sessions' outcomes; they run side by side, each in its own shell."""
    bin_dir = o2c_bin_dir()
    if bin_dir is None:
        pytest.skip("no installed o2c command (pip install -e .)")
    if shutil.which("bash") is None:
        pytest.skip("the docs' shell blocks are bash")
    wanted = test_runnable_shell_blocks_exit_0_and_print_what_the_page_shows.__name__
    selected = sorted(
        {
            str(item.callspec.params["name"])
            for item in request.session.items
            if isinstance(item, pytest.Function) and item.originalname == wanted
        }
    )

    def run(name: str) -> list[Outcome]:
        return run_session(SESSIONS[name], tmp_path_factory.mktemp("shell"), bin_dir)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(selected, pool.map(run, selected), strict=True))


@pytest.mark.slow  # about 60 o2c commands, each a new process (~0.6 s of CPU apiece)
@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_runnable_shell_blocks_exit_0_and_print_what_the_page_shows(
    name: str, ran: dict[str, list[Outcome]]
) -> None:
    steps, outcomes = SESSIONS[name], ran[name]
    for outcome in outcomes:
        where = f"{outcome.step.source}: $ {outcome.step.command}"
        assert outcome.status == 0, f"{where}\nexited {outcome.status}:\n{outcome.output}"
        missing = check_output(outcome.step.expected, outcome.output)
        assert missing is None, (
            f"{where}\ndid not print (in order)\n  {missing}\n---\n{outcome.output}"
        )
    assert len(outcomes) == len(steps), f"{name}: the shell stopped before {steps[len(outcomes)]}"


def test_the_quickstart_and_the_cli_guide_have_runnable_walkthroughs() -> None:
    assert len(SESSIONS["docs/quickstart.md:quickstart"]) >= 20
    assert "docs/guide/cli.md:month" in SESSIONS
    assert "docs/guide/cli.md:tour" in SESSIONS
    assert "README.md:readme" in SESSIONS


@pytest.mark.parametrize("page", ALL_RUNNABLE)
def test_every_o2c_console_block_of_the_quickstart_is_runnable(page: str) -> None:
    lines = (REPO_ROOT / page).read_text(encoding="utf-8").splitlines()
    unmarked = [
        f"{page}:{number + 1}"
        for number, line in enumerate(lines)
        if line.strip() in {"```console", "```shell", "```bash"}
        and not lines[number - 1].startswith("% runnable:")
        and _block_runs_o2c(lines, number)
    ]
    assert unmarked == []


def _block_runs_o2c(lines: list[str], fence: int) -> bool:
    for line in lines[fence + 1 :]:
        if line.startswith("```"):
            return False
        if line.startswith(("$ o2c", "o2c ")):
            return True
    return False


def test_a_console_block_is_read_as_commands_and_their_expected_output() -> None:
    page = "\n".join(
        [
            "% runnable: s",
            "```console",
            "$ export O2C_BOOK=b.db",
            "$ o2c init --seller-country MX \\",
            "    --timezone UTC",
            "Book ready",
            "...",
            "timezone        UTC",
            "```",
            "",
            "```console",
            "$ not runnable",
            "```",
            "<!-- runnable: s -->",
            "```bash",
            "# a comment",
            "o2c audit verify",
            "```",
        ]
    )
    assert read_steps(page, "p.md") == {
        "s": [
            Step("p.md:3", "export O2C_BOOK=b.db"),
            Step(
                "p.md:4",
                "o2c init --seller-country MX \\\n    --timezone UTC",
                ("Book ready", "timezone UTC"),
            ),
            Step("p.md:17", "o2c audit verify"),
        ]
    }


def test_expected_lines_must_appear_in_order_with_spaces_collapsed() -> None:
    output = "Bill run 2026-10\ninvoices         2\ntotals   5.00 EUR\n"
    assert check_output(("invoices 2", "totals 5.00 EUR"), output) is None
    assert check_output(("totals 5.00 EUR", "invoices 2"), output) == "invoices 2"
    assert check_output(("invoices 3",), output) == "invoices 3"
    assert check_output(("totals 5.00",), output) is None  # the last columns left out
    assert check_output(("totals 5",), output) == "totals 5"
