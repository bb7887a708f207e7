"""``o2c inquiry ...`` and ``o2c report service-desk``: exit codes, output, the book after."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from o2c.book import Book
from o2c.cli import cli
from tests.book.factories import customer, invoice_draft


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """A SQLite book with customer C1 and its issued invoice INV-2026-000001 (14 Sep)."""
    path = tmp_path / "desk.o2c"
    with Book.open(path, actor="ana") as book:
        book.add_customer(customer("C1"))
        book.create_draft(invoice_draft("D-1"))
        book.issue_document("D-1", issue_date=dt.date(2026, 9, 14))
    return path


def run(book_path: Path, *args: str, lang: str = "en", actor: str = "ana") -> Result:
    head = ["--book", str(book_path), "--actor", actor]
    return CliRunner().invoke(cli, [*head, *args], env={"O2C_LANG": lang}, prog_name="o2c")


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.output + str(result.stderr_bytes)
    return json.loads(result.stdout)


def _open(book_path: Path) -> str:
    found = _json(
        run(
            book_path, "--format", "json", "inquiry", "open", "C1",
            "--subject", "Why this price?", "--channel", "phone",
            "--category", "price_question", "--invoice", "INV-2026-000001",
            "--at", "2026-09-14T10:00:00+00:00",
        )
    )  # fmt: skip
    assert isinstance(found, dict)
    return str(found["id"])


def test_open_respond_resolve_rate_close_and_show(book_path: Path) -> None:
    inquiry = _open(book_path)
    assert inquiry == "INQ0000000001"
    responded = run(
        book_path, "inquiry", "respond", inquiry, "--summary", "explained tiers",
        "--started", "2026-09-14T10:05:00+00:00", "--minutes", "7", "--wait", "customer",
    )  # fmt: skip
    assert responded.exit_code == 0, responded.output
    assert "Inquiry INQ0000000001 is waiting_on_customer" in responded.stdout
    resolved = run(
        book_path, "inquiry", "resolve", inquiry, "--cause", "pricing_setup",
        "--resolution", "price override fixed", "--affected", "INV-2026-000001",
        "--at", "2026-09-14T15:00:00+00:00",
    )  # fmt: skip
    assert resolved.exit_code == 0, resolved.output
    rated = run(
        book_path, "inquiry", "rate", inquiry, "4", "--comment", "fine",
        "--at", "2026-09-15T09:00:00+00:00",
    )  # fmt: skip
    assert rated.exit_code == 0, rated.output
    assert run(book_path, "inquiry", "close", inquiry).exit_code == 0
    shown = _json(run(book_path, "--format", "json", "inquiry", "show", inquiry))
    assert isinstance(shown, dict)
    assert shown["status"] == "closed"
    assert shown["root_cause"] == "pricing_setup"
    assert shown["affected_documents"] == "D-1"
    assert (shown["csat"], shown["csat_comment"]) == (4, "fine")
    assert shown["first_response"] == "2026-09-14T10:05+00:00"
    [contact] = shown["contacts"]
    assert (contact["agent"], contact["minutes"]) == ("ana", "7:00")
    assert shown["links"] == [{"kind": "document", "id": "D-1", "spawned": False}]
    with Book.open(book_path, actor="ana") as book:
        assert [e["kind"] for e in book.inquiry_events(inquiry)] == [
            "opened",
            "contact",
            "resolved",
            "rated",
            "closed",
        ]


def test_an_illegal_move_is_one_line_and_exit_1(book_path: Path) -> None:
    inquiry = _open(book_path)
    refused = run(book_path, "inquiry", "reopen", inquiry, "--reason", "again")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: inquiry INQ0000000001 is new; cannot reopen it: "
        "only a resolved inquiry can be reopened"
    )
    assert "Traceback" not in refused.output


def test_the_spanish_user_reads_spanish(book_path: Path) -> None:
    inquiry = _open(book_path)
    refused = run(book_path, "inquiry", "close", inquiry, lang="es_MX.UTF-8")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: la consulta INQ0000000001 está en estado new; no se puede cerrar: "
        "resuélvala primero (con una causa raíz)"
    )
    opened = run(
        book_path, "inquiry", "open", "C1", "--subject", "IVA", "--channel", "chat",
        "--category", "tax", lang="es_MX.UTF-8",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    assert "Consulta INQ0000000002 abierta" in opened.stdout


def test_the_list_shows_breached_slas_and_escalate_overdue_escalates(book_path: Path) -> None:
    inquiry = _open(book_path)  # normal: a first response due Mon 14 Sep 14:00
    escalated = _json(
        run(
            book_path, "--format", "json", "inquiry", "escalate-overdue",
            "--as-of", "2026-09-14T14:30:00+00:00",
        )
    )  # fmt: skip
    assert isinstance(escalated, list)
    assert [(r["id"], r["breached"]) for r in escalated] == [(inquiry, "first_response")]
    listed = _json(run(book_path, "--format", "json", "inquiry", "list", "--status", "new"))
    assert isinstance(listed, list)
    assert listed[0]["breached"] == "first_response, resolution"  # now is long after
    again = _json(
        run(
            book_path, "--format", "json", "inquiry", "escalate-overdue",
            "--as-of", "2026-09-14T15:00:00+00:00",
        )
    )  # fmt: skip
    assert again == []  # escalated once per clock


def test_spawn_a_dispute_and_find_the_inquiry_from_it(book_path: Path) -> None:
    inquiry = _open(book_path)
    spawned = _json(
        run(
            book_path, "--format", "json", "inquiry", "dispute", inquiry,
            "--reason", "wrong_price", "--amount", "10.00",
        )
    )  # fmt: skip
    assert spawned == [{"inquiry": inquiry, "kind": "dispute", "id": "DSP0000000001"}]
    listed = _json(
        run(book_path, "--format", "json", "inquiry", "list", "--dispute", "DSP0000000001")
    )
    assert isinstance(listed, list)
    assert [row["id"] for row in listed] == [inquiry]


def test_the_service_desk_report_as_csv_and_by_channel(book_path: Path) -> None:
    inquiry = _open(book_path)
    run(
        book_path, "inquiry", "resolve", inquiry, "--cause", "customer_misunderstanding",
        "--resolution", "explained", "--contact", "walked through it",
        "--started", "2026-09-14T10:00:00+00:00", "--minutes", "12",
    )  # fmt: skip
    result = run(
        book_path, "--format", "csv", "report", "service-desk", "--from", "2026-09-14",
        "--to", "2026-09-18", "--by", "channel", "--as-of", "2026-09-18T18:00:00+00:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["group"] for r in rows] == ["(team)", "phone"]
    team = rows[0]
    assert (team["opened"], team["fcr"], team["aht_minutes"], team["ttr_mean"]) == (
        "1",
        "1.0000",
        "12.00",
        "0.20",
    )
    assert team["per_1000_invoices"] == "1000.00"
    trend = _json(
        run(
            book_path, "--format", "json", "report", "root-causes", "--from", "2026-09-01",
            "--to", "2026-09-30",
        )
    )  # fmt: skip
    assert trend == [
        {
            "period": "2026-09",
            "cause": "customer_misunderstanding",
            "inquiries": 1,
            "billing_defect": False,
            "customers": "C1",
            "documents": "",
        }
    ]


def test_settings_show_and_change(book_path: Path) -> None:
    changed = _json(
        run(
            book_path, "--format", "json", "inquiry", "settings",
            "servicedesk.hours=08:00-17:00", "servicedesk.sla.tax.urgent=0.5/4",
        )
    )  # fmt: skip
    assert isinstance(changed, list)
    values = {row["key"]: row["value"] for row in changed}
    assert values["servicedesk.hours"] == "08:00-17:00"
    assert values["servicedesk.sla.normal"] == "4/24"
    assert values["servicedesk.sla.tax.urgent"] == "0.5/4"
    bad = run(book_path, "inquiry", "settings", "servicedesk.hours=late")
    assert bad.exit_code == 1
    assert "servicedesk.hours" in bad.stderr


def test_show_names_the_documents_by_number_for_people(book_path: Path) -> None:
    inquiry = _open(book_path)
    table = run(book_path, "inquiry", "show", inquiry)
    assert table.exit_code == 0, table.output
    line = next(ln for ln in table.stdout.splitlines() if ln.startswith("documents "))
    assert line.split()[-1] == "INV-2026-000001"  # JSON keeps the id, D-1
