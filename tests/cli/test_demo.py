"""``o2c demo`` builds a realistic book end to end and reports on it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.cli import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The demo book built once for this module, and its JSON summary."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["--format", "json", "demo", "--book", str(path)])
    assert result.exit_code == 0, result.stderr
    summary: dict[str, object] = json.loads(result.stdout)
    return path, summary


def test_demo_bills_customers_in_three_currencies(demo: tuple[Path, dict[str, object]]) -> None:
    _, summary = demo
    documents = summary["documents"]
    assert isinstance(documents, list)
    invoices = [d for d in documents if d["kind"] == "invoice"]
    assert len(invoices) == 10  # five contracts, September and October
    assert {d["payable"]["currency"] for d in invoices} == {"EUR", "MXN", "USD"}
    assert all(d["status"] == "issued" for d in documents)
    assert [d["kind"] for d in documents].count("credit note") == 1


def test_demo_aging_adds_up_to_open_items(demo: tuple[Path, dict[str, object]]) -> None:
    path, summary = demo
    aging = summary["aging"]
    assert isinstance(aging, dict)
    assert aging["as_of"] == "2026-12-15"
    runner = CliRunner()
    reconciled = runner.invoke(
        cli, ["--book", str(path), "report", "reconcile", "--as-of", "2026-12-15"]
    )
    assert reconciled.exit_code == 0, reconciled.stderr
    verified = runner.invoke(cli, ["--book", str(path), "audit", "verify"])
    assert verified.exit_code == 0


def test_demo_invoices_are_taxed_by_the_customers_country(
    demo: tuple[Path, dict[str, object]],
) -> None:
    _, summary = demo
    documents = summary["documents"]
    assert isinstance(documents, list)
    mexican = [d for d in documents if d["customer"] == "C-MX-001"]
    foreign = [d for d in documents if d["customer"] in ("C-EU-001", "C-US-001")]
    # IVA 16 % at home; exported services are zero-rated
    assert all(d["tax"]["amount"] != "0.00" for d in mexican)
    assert all(d["tax"]["amount"] == "0.00" for d in foreign)


def test_demo_again_shows_the_existing_book(demo: tuple[Path, dict[str, object]]) -> None:
    path, summary = demo
    again = CliRunner().invoke(cli, ["--format", "json", "demo", "--book", str(path)])
    assert again.exit_code == 0, again.stderr
    assert "exists; showing it" in again.stderr
    assert json.loads(again.stdout)["documents"] == summary["documents"]


def test_demo_table_output_shows_documents_and_aging(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--book", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.stderr
    assert "Documents in" in result.stdout
    assert "Aging as of 2026-12-15" in result.stdout
    assert "bill run 2026-10: 5 invoices" in result.stderr


def test_demo_never_writes_the_default_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("O2C_BOOK", raising=False)
    result = CliRunner().invoke(cli, ["--format", "json", "demo"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "o2c-demo.db").exists()
    assert not (tmp_path / "o2c.db").exists()


def test_demo_has_a_dispute_shown_apart_in_aging_and_kpis(
    demo: tuple[Path, dict[str, object]],
) -> None:
    _, summary = demo
    aging = summary["aging"]
    assert isinstance(aging, dict)
    eur = next(t for t in aging["totals"] if t["currency"] == "EUR")
    assert eur["disputed"]["amount"] != "0.00"  # Müller disputes October's storage
    kpis = summary["kpis"]
    assert isinstance(kpis, dict)
    names = [k["name"] for k in kpis["MXN"]]
    assert "dso" in names
    assert "invoice_accuracy" in names


def test_demo_shows_orders_time_and_four_eyes(demo: tuple[Path, dict[str, object]]) -> None:
    path, _ = demo
    runner = CliRunner()

    def run(*args: str) -> object:
        result = runner.invoke(cli, ["--book", str(path), "--format", "json", *args])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    lines = run("export", "document_lines")
    assert isinstance(lines, list)
    items = {(line["document_id"].partition(":")[2][:8], line["item"]) for line in lines}
    assert ("K-MX-001", "onboarding") in items  # the sales order, on the contract's invoice
    assert ("K-US-001", "consulting") in items  # approved time, T&M
    approvals = run("approval", "list", "--status", "all")
    assert isinstance(approvals, list)
    assert sorted((a["action"], a["status"]) for a in approvals) == [
        ("refund", "approved"),
        ("write_off", "approved"),
    ]
    assert all(a["requested_by"] != a["decided_by"] for a in approvals)


def test_demo_refunds_an_overpayment_after_approval(demo: tuple[Path, dict[str, object]]) -> None:
    """Tecnología Azteca pays 15,100.00 on a 15,051.79 MXN invoice; 48.21 goes back."""
    from decimal import Decimal

    _, summary = demo
    rows = summary["per_currency"]
    assert isinstance(rows, list)
    mxn = next(row for row in rows if row["currency"] == "MXN")
    assert mxn["refunded"] == {"amount": "48.21", "currency": "MXN"}
    kpis = summary["kpis"]
    assert isinstance(kpis, dict)
    by_name = {k["name"]: k["value"] for k in kpis["MXN"]}
    assert by_name["refund_turnaround_mean"] == "2.00"  # requested Nov 23, approved and paid Nov 25
    assert Decimal(by_name["unapplied_cash"]) == 0


def test_demo_resolves_one_dispute_by_credit_and_escalates_the_late_one(
    demo: tuple[Path, dict[str, object]],
) -> None:
    path, summary = demo
    result = CliRunner().invoke(cli, ["--book", str(path), "--format", "json", "dispute", "list"])
    assert result.exit_code == 0, result.stderr
    disputes = {d["invoice"]: d for d in json.loads(result.stdout)}
    acme = disputes["INV-2026-000010"]
    assert acme["status"] == "resolved"
    assert acme["credit_note"] == "CN-2026-000001"
    muller = disputes["INV-2026-000006"]
    assert muller["status"] == "escalated"  # its SLA (Nov 27) passed unresolved
    kpis = summary["kpis"]
    assert isinstance(kpis, dict)
    usd = {k["name"]: k["value"] for k in kpis["USD"]}
    eur = {k["name"]: k["value"] for k in kpis["EUR"]}
    assert usd["dispute_resolution_time_mean"] == "2.00"  # opened Nov 3, credited Nov 5
    assert Decimal(usd["sla_adherence"]) == 1
    assert Decimal(eur["sla_adherence"]) == 0


def test_a_failed_demo_leaves_no_half_built_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from o2c.cli import _demo

    def broken(book: object, step: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_demo, "_four_eyes", broken)
    target = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--book", str(target)])
    assert result.exit_code == 1
    assert "disk full" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_demo_summary_adds_up_per_currency(demo: tuple[Path, dict[str, object]]) -> None:
    from decimal import Decimal

    _, summary = demo
    rows = summary["per_currency"]
    assert isinstance(rows, list)
    by_code = {row["currency"]: row for row in rows}
    assert set(by_code) == {"EUR", "MXN", "USD"}
    usd = {k: Decimal(v["amount"]) for k, v in by_code["USD"].items() if k != "currency"}
    # nothing was written off or refunded in USD: what is open is what was not paid
    assert usd["open"] == usd["invoiced"] - usd["credited"] - usd["received"]


def test_demo_summary_identity_holds_in_every_currency(
    demo: tuple[Path, dict[str, object]],
) -> None:
    """invoiced − credited − received − written off + refunded = open, per currency."""
    from decimal import Decimal

    _, summary = demo
    rows = summary["per_currency"]
    assert isinstance(rows, list)
    for row in rows:
        v = {k: Decimal(x["amount"]) for k, x in row.items() if k != "currency"}
        assert v["open"] == (
            v["invoiced"] - v["credited"] - v["received"] - v["written_off"] + v["refunded"]
        ), row
    eur = next(row for row in rows if row["currency"] == "EUR")
    # Boulangerie Dupont paid half of its 27.00 EUR September invoice; the rest was written off
    assert eur["written_off"] == {"amount": "13.50", "currency": "EUR"}
    assert eur["open"] == {"amount": "2988.40", "currency": "EUR"}
