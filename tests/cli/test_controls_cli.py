"""Controls on the command line: the permission matrix, refusals, a void that waits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from o2c.cases import PERMISSIONS
from tests.cli.conftest import Invoke, book_dump, draft_invoice

INV_MX = "INV-2026-000002"  # 1,500.00 + 16 % = 1,740.00 MXN, issued 2026-10-05


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _team(o2c: Invoke) -> None:
    """cy is the controller, bo a lead, ana a specialist, dee the auditor; voids above
    1,000.00 MXN wait for a lead."""
    for person, role in (
        ("cy", "controller"),
        ("bo", "lead"),
        ("ana", "specialist"),
        ("dee", "auditor"),
    ):
        result = o2c("approval", "assign", person, role, actor="cy")
        assert result.exit_code == 0, result.stderr
    policy = o2c("approval", "policy", "--set", "approval.void.MXN=1000.00 lead", actor="cy")
    assert policy.exit_code == 0, policy.stderr


def test_approval_permissions_lists_the_matrix(book: Invoke) -> None:
    rows = _json(book("approval", "permissions", fmt="json"))
    assert len(rows) == len(PERMISSIONS)
    by_command = {r["command"]: r for r in rows}
    assert by_command["void_document"] == {
        "command": "void_document",
        "roles": "specialist, lead, controller",
        "what": "void documents",
    }
    assert by_command["close_period"]["roles"] == "controller"
    assert _json(book("approval", "permissions", "--role", "auditor", fmt="json")) == []
    table = book("approval", "permissions", "--role", "controller")
    assert table.exit_code == 0
    assert "assign_role" in table.stdout


def test_a_person_without_a_role_is_refused_in_one_line(issued: Invoke, book_path: Path) -> None:
    _team(issued)
    before = book_dump(book_path)
    result = issued("invoice", "void", INV_MX, "--reason", "duplicate", actor="mallory")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: mallory holds no role; only a specialist, lead or controller may void "
        "documents (void_document)\n"
    )
    assert book_dump(book_path) == before


def test_the_auditor_cannot_issue_or_write_off(issued: Invoke, book_path: Path) -> None:
    _team(issued)
    draft_invoice(book_path, "D-9", "C-MX-1", [("setup", "1", "100")], actor="ana")
    before = book_dump(book_path)
    issue = issued("invoice", "issue", "D-9", actor="dee")
    write_off = issued("writeoff", "request", INV_MX, "--amount", "1.00", actor="dee")
    for refused in (issue, write_off):
        assert refused.exit_code == 1, refused.stderr
        assert refused.stderr.startswith("Error: dee holds auditor (read-only); only a")
    assert book_dump(book_path) == before
    assert issued("audit", "verify", actor="dee").exit_code == 0


def test_a_void_above_the_limit_waits_for_another_person(issued: Invoke) -> None:
    _team(issued)
    direct = issued("invoice", "void", INV_MX, "--reason", "duplicate", "--date", "2026-10-06")
    assert direct.exit_code == 1
    assert "void needs approval (void of 1740.00 MXN exceeds the limit of 1000.00 MXN)" in (
        direct.stderr
    )
    assert "o2c approval request void DOCUMENT" in direct.stderr
    args = ["approval", "request", "void", INV_MX, "--reason", "duplicate", "--date", "2026-10-06"]
    held = _json(issued(*args, fmt="json"))
    assert (held["action"], held["needs"], held["amount"]) == (
        "void",
        "lead",
        {"amount": "1740.00", "currency": "MXN"},
    )
    own = issued("approval", "approve", held["approval"])
    assert own.exit_code == 1
    assert "cannot approve" in own.stderr
    done = _json(
        issued("approval", "approve", held["approval"], "--date", "2026-10-07", actor="bo",
               fmt="json")
    )  # fmt: skip
    shown = _json(issued("invoice", "show", INV_MX, fmt="json"))
    assert (done["result"], shown["status"]) == (shown["id"], "void")
