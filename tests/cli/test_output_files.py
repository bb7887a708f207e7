"""``--output`` files: never overwritten silently, a missing folder is a clear error."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke


def _book_with_a_customer(o2c: Invoke) -> None:
    assert o2c("init").exit_code == 0
    added = o2c("customer", "add", "C1", "--name", "Acme", "--country", "US", "--currency", "USD")
    assert added.exit_code == 0, added.output


def test_export_refuses_to_overwrite_a_file_without_force(o2c: Invoke, tmp_path: Path) -> None:
    _book_with_a_customer(o2c)
    target = tmp_path / "customers.csv"
    target.write_text("keep me\n", encoding="utf-8")
    refused = o2c("export", "customers", "-o", str(target))
    assert refused.exit_code == 1
    assert "exists; pass --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = o2c("export", "customers", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("id,name,")


def test_export_into_a_missing_folder_names_the_folder(o2c: Invoke, tmp_path: Path) -> None:
    _book_with_a_customer(o2c)
    result = o2c("export", "customers", "-o", str(tmp_path / "nope" / "x.csv"))
    assert result.exit_code == 1
    assert "folder" in result.stderr
    assert "nope" in result.stderr
    assert "unexpected" not in result.stderr
    assert "Traceback" not in result.output


def test_a_formula_in_a_customer_name_is_not_live_in_the_csv(o2c: Invoke) -> None:
    assert o2c("init").exit_code == 0
    name = '=HYPERLINK("http://evil.example","click")'
    added = o2c("customer", "add", "C1", "--name", name, "--country", "US", "--currency", "USD")
    assert added.exit_code == 0, added.output
    exported = o2c("export", "customers")
    assert exported.exit_code == 0
    assert ",\"'=HYPERLINK(" in exported.stdout
    listed = o2c("--format", "csv", "customer", "list")
    assert ",\"'=HYPERLINK(" in listed.stdout
