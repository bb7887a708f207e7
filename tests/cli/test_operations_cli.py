"""``o2c approval``, ``dispute``, ``extension``, ``note``, ``report kpis`` and ``case-aging``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Invoke, book_dump

INV = "INV-2026-000001"  # USD 1,599.99 + 16 % = 1,855.99, issued 2026-10-01, due 2026-10-31


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _team(o2c: Invoke) -> None:
    """cy is the controller, bo a lead; refunds above 100.00 USD wait for a lead.

    Disputes for a duplicate get 3 business days of the Mexican calendar.
    """
    for person, role in (("cy", "controller"), ("bo", "lead"), ("ana", "specialist")):
        result = o2c("approval", "assign", person, role, actor="cy")
        assert result.exit_code == 0, result.stderr
    result = o2c(
        "approval",
        "policy",
        "--set",
        "approval.refund.USD=100.00 lead",
        "--set",
        "calendar.country=MX",
        "--set",
        "sla.duplicate=3",
        actor="cy",
    )
    assert result.exit_code == 0, result.stderr


def _overpay(o2c: Invoke) -> str:
    paid = _json(
        o2c(
            "payment", "record", "--customer", "C-US-1", "--amount", "2000.00 USD",
            "--date", "2026-10-10", "--apply", fmt="json",
        )
    )  # fmt: skip
    return str(paid["id"])


def test_self_approval_is_refused_with_a_clear_message_and_changes_nothing(issued: Invoke) -> None:
    _team(issued)
    source = _overpay(issued)
    held = _json(
        issued(
            "approval", "request", "refund", source, "--amount", "144.01", "--reason",
            "overpaid", "--date", "2026-10-11", fmt="json",
        )
    )  # fmt: skip
    assert held["status"] == "pending"
    assert held["reason"] == "refund of 144.01 USD exceeds the limit of 100.00 USD"
    approval_id = held["approval"]
    mine = issued("approval", "approve", approval_id, "--comment", "fine")
    assert mine.exit_code == 1
    assert mine.stderr.strip() == (
        f"Error: ana requested {approval_id} and cannot approve it; another approver must "
        "decide (segregation of duties)"
    )
    pending = _json(issued("approval", "list", fmt="json"))
    assert [p["id"] for p in pending] == [approval_id]
    credits = _json(issued("report", "aging", "--as-of", "2026-10-11", fmt="json"))
    usd = next(t for t in credits["totals"] if t["currency"] == "USD")
    assert usd["unapplied"] == {"amount": "144.01", "currency": "USD"}
    done = _json(
        issued("approval", "approve", approval_id, "--date", "2026-10-12", actor="bo", fmt="json")
    )
    assert done["status"] == "approved"
    assert done["result"].startswith("RF")
    assert _json(issued("approval", "list", fmt="json")) == []


def test_a_small_refund_runs_at_once(issued: Invoke) -> None:
    _team(issued)
    source = _overpay(issued)
    result = issued("approval", "request", "refund", source, "--amount", "44.01", "--reason", "x")
    assert result.exit_code == 0, result.stderr
    assert "Refund RF" in result.output


def test_policy_and_roles_are_listed(issued: Invoke) -> None:
    _team(issued)
    policy = _json(issued("approval", "policy", fmt="json"))
    assert {"key": "approval.refund.USD", "value": "100.00 lead"} in policy
    roles = _json(issued("approval", "roles", fmt="json"))
    assert {"person": "bo", "role": "lead"} in roles
    refused = issued("approval", "assign", "ana", "controller", actor="bo")
    assert refused.exit_code == 1
    assert "only a controller may assign roles" in refused.stderr


def test_dispute_lifecycle_escalation_and_credit(issued: Invoke) -> None:
    _team(issued)
    opened = _json(
        issued(
            "dispute", "open", INV, "--reason", "duplicate", "--amount", "116.00",
            "--channel", "phone", "--line", "2", "--date", "2026-11-13", fmt="json",
        )
    )  # fmt: skip
    assert opened["sla_due"] == "2026-11-19"  # Nov 16 is Revolution Day in Mexico
    assert opened["amount"] == {"amount": "116.00", "currency": "USD"}
    dispute_id = opened["id"]
    assert _json(issued("dispute", "escalate-overdue", "--today", "2026-11-19", fmt="json")) == []
    breached = ["dispute", "list", "--breached", "--as-of", "2026-11-20"]
    [late_one] = _json(issued(*breached, fmt="json"))
    assert (late_one["id"], late_one["invoice"]) == (dispute_id, INV)  # the number, not the id
    preview = issued("dispute", "escalate-overdue", "--today", "2026-11-20", "--dry-run")
    assert preview.exit_code == 0, preview.stderr
    assert preview.output.startswith("Would escalate (dry run)")
    assert _json(issued("dispute", "show", dispute_id, fmt="json"))["status"] == "open"
    [late] = _json(issued("dispute", "escalate-overdue", "--today", "2026-11-20", fmt="json"))
    assert (late["id"], late["status"], late["level"]) == (dispute_id, "escalated", 1)
    aging = _json(issued("report", "aging", "--as-of", "2026-11-20", fmt="json"))
    usd = next(t for t in aging["totals"] if t["currency"] == "USD")
    assert usd["disputed"] == {"amount": "116.00", "currency": "USD"}
    assert _json(issued("report", "case-aging", "--as-of", "2026-11-20", fmt="json")) == aging
    credited = _json(issued("dispute", "credit", dispute_id, "--date", "2026-11-21", fmt="json"))
    assert credited["status"] == "resolved"
    assert credited["resolution"] == "credited"
    note = _json(issued("invoice", "show", credited["credit_note"], fmt="json"))
    assert note["totals"]["payable"] == {"amount": "115.99", "currency": "USD"}
    shown = issued("dispute", "show", dispute_id)
    assert shown.exit_code == 0, shown.stderr
    assert "SLA due 2026-11-19 breached" in shown.output
    listed = _json(issued("dispute", "list", "--active", fmt="json"))
    assert listed == []


def test_dispute_above_what_is_open_is_refused(issued: Invoke) -> None:
    result = issued("dispute", "open", INV, "--reason", "wrong_price", "--amount", "2000")
    assert result.exit_code == 1
    assert "exceeds the 1855.99 USD still open" in result.stderr


def test_extension_over_the_limit_waits_for_approval(issued: Invoke) -> None:
    _team(issued)
    short = _json(
        issued(
            "extension", "grant", INV, "--until", "2026-11-20", "--reason", "PO",
            "--date", "2026-10-20", fmt="json",
        )
    )  # fmt: skip
    assert (short["status"], short["days"]) == ("active", 20)
    long = _json(
        issued(
            "extension", "grant", INV, "--until", "2026-12-15", "--reason", "promise to pay",
            "--date", "2026-10-21", fmt="json",
        )
    )  # fmt: skip
    assert long["status"] == "pending_approval"
    assert long["days"] == 45
    decided = _json(issued("approval", "approve", long["approval"], "--date", "2026-10-22",
                           actor="bo", fmt="json"))  # fmt: skip
    assert decided["result"] == long["id"]
    shown = _json(issued("extension", "show", long["id"], fmt="json"))
    assert shown["status"] == "active"
    assert shown["granted_by"] == "bo"
    aging = _json(issued("report", "aging", "--as-of", "2026-12-01", fmt="json"))
    usd = next(t for t in aging["totals"] if t["currency"] == "USD")
    assert usd["buckets"][0] == {"amount": "1855.99", "currency": "USD"}  # due Dec 15 now
    ledger = _json(issued("report", "aging", "--as-of", "2026-12-01", "--ledger-only", fmt="json"))
    usd = next(t for t in ledger["totals"] if t["currency"] == "USD")
    assert usd["buckets"][2] == {"amount": "1855.99", "currency": "USD"}  # 31 days past Oct 31


def test_notes_and_contact_kpis(issued: Invoke) -> None:
    added = _json(
        issued(
            "note", "add", "--invoice", INV, "--channel", "phone", "--summary", "explained",
            "--started", "2026-10-05T10:00:00+00:00", "--minutes", "12", "--resolved", fmt="json",
        )
    )  # fmt: skip
    assert added["minutes"] == "12:00"
    assert added["about"] == "invoice D-1"
    issued(
        "note", "add", "--customer", "C-US-1", "--channel", "email", "--summary", "chased",
        "--started", "2026-10-06T10:00:00+00:00", "--ended", "2026-10-06T10:06:00+00:00",
    )  # fmt: skip
    listed = _json(issued("note", "list", "--customer", "C-US-1", fmt="json"))
    assert [n["channel"] for n in listed] == ["phone", "email"]
    both = issued("note", "add", "--customer", "C-US-1", "--invoice", INV, "--channel", "chat",
                  "--summary", "x")  # fmt: skip
    assert both.exit_code == 2
    kpis = _json(issued("report", "kpis", "--period", "2026-10", "--currency", "USD", fmt="json"))
    by_name = {k["name"]: k for k in kpis}
    assert by_name["first_contact_resolution"]["value"] == "0.5000"
    assert by_name["average_handle_time"]["value"] == "9.00"
    assert by_name["invoice_accuracy"]["value"] == "1.0000"
    table = issued("report", "kpis", "--from", "2026-10-01", "--to", "2026-10-31",
                   "--currency", "USD")  # fmt: skip
    assert table.exit_code == 0, table.stderr
    assert "KPIs 2026-10-01..2026-10-31" in table.output
    assert "dso" in table.output


def test_held_writeoff_and_credit_note_are_rejected_or_approved(issued: Invoke) -> None:
    _team(issued)
    policy = ["approval", "policy", "--set", "approval.write_off.USD=10.00 lead",
              "--set", "approval.credit_note.USD=100.00 controller"]  # fmt: skip
    assert issued(*policy, actor="cy").exit_code == 0
    writeoff = _json(issued("approval", "request", "writeoff", INV, "--memo", "gone", fmt="json"))
    assert writeoff["amount"] == {"amount": "1855.99", "currency": "USD"}
    no_comment = issued("approval", "reject", writeoff["approval"], actor="bo")
    assert no_comment.exit_code == 2
    rejected = _json(
        issued("approval", "reject", writeoff["approval"], "--comment", "keep chasing",
               actor="bo", fmt="json")
    )  # fmt: skip
    assert (rejected["status"], rejected["result"]) == ("rejected", None)
    credit = _json(
        issued("approval", "request", "credit-note", INV, "--line", "1:2", "--reason",
               "wrong_quantity", "--date", "2026-10-15", fmt="json")
    )  # fmt: skip
    assert credit["amount"] == {"amount": "348.00", "currency": "USD"}
    assert credit["needs"] == "controller"
    lead = issued("approval", "approve", credit["approval"], actor="bo")
    assert lead.exit_code == 1
    assert "needs the controller role or higher" in lead.stderr
    done = _json(issued("approval", "approve", credit["approval"], "--date", "2026-10-20",
                        actor="cy", fmt="json"))  # fmt: skip
    assert done["status"] == "approved"
    listed = _json(issued("approval", "list", "--status", "all", fmt="json"))
    assert [a["status"] for a in listed] == ["rejected", "approved"]
    small = issued("approval", "request", "credit-note", INV, "--amount", "10", "--reason",
                   "goodwill", "--date", "2026-10-20")  # fmt: skip
    assert small.exit_code == 0, small.stderr
    assert "Credit note CN-2026-000002 issued" in small.output


def test_manual_invoice_over_the_limit_waits(issued: Invoke, book_path: Any) -> None:
    from tests.cli.conftest import draft_invoice

    _team(issued)
    setting = ["approval", "policy", "--set", "approval.manual_invoice.USD=1000.00"]
    assert issued(*setting, actor="cy").exit_code == 0
    draft_invoice(book_path, "D-9", "C-US-1", [("consulting", "10", "150")], actor="ana")
    held = _json(
        issued("approval", "request", "invoice", "D-9", "--date", "2026-10-08", fmt="json")
    )
    assert held["amount"] == {"amount": "1740.00", "currency": "USD"}
    done = _json(
        issued("approval", "approve", held["approval"], "--date", "2026-10-09", actor="bo",
               fmt="json")
    )  # fmt: skip
    assert done["result"] == "D-9"
    shown = _json(issued("invoice", "show", "D-9", fmt="json"))
    assert shown["status"] == "issued"
    assert shown["issue_date"] == "2026-10-09"


def test_dispute_update_reject_and_resolve_by_hand(issued: Invoke) -> None:
    first = _json(issued("dispute", "open", INV, "--reason", "quality", "--amount", "100",
                         "--date", "2026-10-02", fmt="json"))  # fmt: skip
    updated = _json(issued("dispute", "update", first["id"], "--amount", "80", "--comment",
                           "narrowed", fmt="json"))  # fmt: skip
    assert updated["amount"] == {"amount": "80.00", "currency": "USD"}
    assert updated["history"][-1]["comment"] == "narrowed; amount 100.00 USD -> 80.00 USD"
    rejected = _json(issued("dispute", "reject", first["id"], "--comment", "as ordered",
                            fmt="json"))  # fmt: skip
    assert rejected["resolution"] == "rejected"
    second = _json(issued("dispute", "open", INV, "--reason", "wrong_price", "--amount", "58",
                          fmt="json"))  # fmt: skip
    note = issued("credit-note", "create", "--invoice", INV, "--amount", "50", "--reason",
                  "wrong_price", fmt="json")  # fmt: skip
    assert note.exit_code == 0, note.stderr
    number = json.loads(note.output)["number"]
    resolved = _json(issued("dispute", "resolve", second["id"], "--credit-note", number,
                            fmt="json"))  # fmt: skip
    assert resolved["credit_note"] == number  # the number people know, not the internal id
    extensions = _json(issued("extension", "list", fmt="json"))
    assert extensions == []
    table = issued("dispute", "list", "--all")
    assert table.exit_code == 0
    assert first["id"] in table.output
    assert second["id"] in table.output


def test_standard_aging_and_statement_show_disputed_and_extended_items(issued: Invoke) -> None:
    """A billing person's plain `report aging` / `report statement` know the cases."""
    opened = issued("dispute", "open", INV, "--reason", "quality", "--amount", "55.99",
                    "--date", "2026-10-03")  # fmt: skip
    assert opened.exit_code == 0, opened.stderr
    granted = issued("extension", "grant", INV, "--until", "2026-11-15", "--reason", "PO",
                     "--date", "2026-10-03")  # fmt: skip
    assert granted.exit_code == 0, granted.stderr
    aging = issued("report", "aging", "--as-of", "2026-11-10", "--format", "csv")
    assert aging.exit_code == 0, aging.stderr
    # INV-1 (1,855.99, due Oct 31, extended to Nov 15) is current; 55.99 of it is disputed
    assert "C-US-1,USD,1800.00,0.00,0.00,0.00,0.00,55.99,0.00" in aging.stdout.splitlines()
    ledger = issued("report", "aging", "--as-of", "2026-11-10", "--ledger-only", "--format", "csv")
    assert "C-US-1,USD,0.00,1855.99,0.00,0.00,0.00,0.00,0.00" in ledger.stdout.splitlines()
    args = ["report", "statement", "C-US-1", "--from", "2026-10-01", "--to", "2026-10-31"]
    table = issued(*args)
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == "Open items on 2026-10-31"
    assert lines[1].split() == ["number", "date", "due", "extended_to", "open", "disputed"]
    assert lines[3].split() == [
        "INV-2026-000001", "2026-10-01", "2026-10-31", "2026-11-15", "1855.99", "USD",
        "55.99", "USD",
    ]  # fmt: skip
    assert lines[-1].endswith("1855.99 USD")  # the closing balance
    stated = _json(issued(*args, fmt="json"))
    [item] = stated["open_items"]
    assert (item["due_date"], item["extended_due"]) == ("2026-10-31", "2026-11-15")
    plain = _json(issued(*args, "--ledger-only", fmt="json"))
    [item] = plain["open_items"]
    assert (item["extended_due"], item["disputed"]) == (None, None)


def test_case_statement_shows_disputed_and_extended_items(issued: Invoke) -> None:
    opened = issued("dispute", "open", INV, "--reason", "quality", "--amount", "55.99",
                    "--date", "2026-10-03")  # fmt: skip
    assert opened.exit_code == 0, opened.stderr
    granted = issued("extension", "grant", INV, "--until", "2026-11-15", "--reason", "PO",
                     "--date", "2026-10-03")  # fmt: skip
    assert granted.exit_code == 0, granted.stderr
    stated = _json(
        issued("report", "case-statement", "C-US-1", "--from", "2026-10-01", "--to",
               "2026-10-31", fmt="json")
    )  # fmt: skip
    [item] = stated["open_items"]
    assert item["disputed"] == {"amount": "55.99", "currency": "USD"}
    assert (item["due_date"], item["extended_due"]) == ("2026-10-31", "2026-11-15")
    table = issued("report", "case-statement", "C-US-1", "--from", "2026-10-01", "--to",
                   "2026-10-31")  # fmt: skip
    assert table.exit_code == 0, table.stderr
    assert "2026-11-15" in table.output


def test_a_draft_credit_note_above_the_limit_cannot_be_issued_without_approval(
    issued: Invoke, book_path: Path
) -> None:
    """`credit-note create --draft` then `invoice issue` is no way around the policy."""
    _team(issued)
    policy = issued(
        "approval", "policy", "--set", "approval.credit_note.USD=500.00 lead", actor="cy"
    )
    assert policy.exit_code == 0, policy.stderr
    draft = _json(
        issued(
            "credit-note", "create", "--invoice", INV, "--reason", "goodwill", "--draft",
            "--date", "2026-10-12", fmt="json",
        )
    )  # fmt: skip
    assert draft["status"] == "draft"
    before = book_dump(book_path)
    refused = issued("invoice", "issue", draft["id"], "--date", "2026-10-12")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "Error: credit note needs approval (credit_note of 1855.99 USD exceeds the limit of "
        "500.00 USD); nothing was done: request it with Book.request_credit_note() or "
        "`o2c credit-note create` (a draft credit note: Book.request_issue() or "
        "`o2c approval request invoice DRAFT`)"
    )
    assert book_dump(book_path) == before
    held = _json(
        issued("approval", "request", "invoice", draft["id"], "--date", "2026-10-12", fmt="json")
    )
    assert (held["status"], held["action"]) == ("pending", "credit_note")
    done = _json(
        issued(
            "approval", "approve", held["approval"], "--date", "2026-10-12", actor="bo", fmt="json"
        )
    )
    assert done["status"] == "approved"
    shown = _json(issued("invoice", "show", draft["id"], fmt="json"))
    assert (shown["status"], shown["number"]) == ("issued", "CN-2026-000001")


def test_investigate_and_escalate_by_hand_then_a_resolved_dispute_stays_put(
    issued: Invoke,
) -> None:
    _team(issued)
    opened = _json(
        issued("dispute", "open", INV, "--reason", "wrong_price", "--amount", "100.00",
               "--date", "2026-10-05", fmt="json")
    )  # fmt: skip
    dispute_id = opened["id"]
    looked = _json(issued("dispute", "investigate", dispute_id, "--comment", "pulling the PO",
                          "--date", "2026-10-06", fmt="json"))  # fmt: skip
    assert looked["status"] == "investigating"
    up = _json(issued("dispute", "escalate", dispute_id, "--comment", "customer called twice",
                      "--date", "2026-10-07", actor="bo", fmt="json"))  # fmt: skip
    assert (up["status"], up["level"]) == ("escalated", 1)
    assert [h["status"] for h in up["history"]] == ["open", "investigating", "escalated"]
    rejected = _json(issued("dispute", "reject", dispute_id, "--comment", "price is per contract",
                            "--date", "2026-10-08", actor="bo", fmt="json"))  # fmt: skip
    assert rejected["resolution"] == "rejected"
    again = issued("dispute", "escalate", dispute_id, "--date", "2026-10-09")
    assert again.exit_code == 1
    assert dispute_id in again.stderr


def test_approval_show_and_revoke_a_role(issued: Invoke) -> None:
    _team(issued)
    paid = _overpay(issued)
    asked = issued("refund", "request", paid, "--amount", "144.01 USD", "--reason",
                   "overpaid", "--date", "2026-10-12", fmt="json")  # fmt: skip
    assert asked.exit_code == 0, asked.stderr
    approval = json.loads(asked.stdout)["approval"]
    shown = _json(issued("approval", "show", approval, fmt="json"))
    assert (shown["id"], shown["action"], shown["status"]) == (approval, "refund", "pending")
    assert shown["amount"] == {"amount": "144.01", "currency": "USD"}
    missing = issued("approval", "show", "APR9999999999")
    assert missing.exit_code == 1
    assert "APR9999999999" in missing.stderr
    revoked = issued("approval", "revoke", "bo", "lead", actor="cy")
    assert revoked.exit_code == 0, revoked.stderr
    roles = _json(issued("approval", "roles", "--person", "bo", fmt="json"))
    assert roles == []
    # bo is no lead any more: the refund that needs one is refused, and stays pending.
    refused = issued("approval", "approve", approval, "--date", "2026-10-13", actor="bo")
    assert refused.exit_code == 1
    assert "lead" in refused.stderr
    assert _json(issued("approval", "show", approval, fmt="json"))["status"] == "pending"


def test_kpis_as_of_a_later_report_date_count_a_later_correction(issued: Invoke) -> None:
    note = issued("credit-note", "create", "--invoice", "INV-2026-000001", "--amount", "10",
                  "--reason", "wrong_price", "--date", "2026-11-05")  # fmt: skip
    assert note.exit_code == 0, note.stderr

    def accuracy(*extra: str) -> tuple[str, str, str]:
        args = ("report", "kpis", "--period", "2026-10", "--currency", "USD", *extra)
        kpis = {k["name"]: k for k in _json(issued(*args, fmt="json"))}
        kpi = kpis["invoice_accuracy"]
        return kpi["value"], kpi["numerator"], kpi["denominator"]

    assert accuracy("--as-of", "2026-10-31") == ("1.0000", "1", "1")
    assert accuracy("--as-of", "2026-11-30") == ("0.0000", "0", "1")
