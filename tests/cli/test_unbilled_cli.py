"""``o2c usage list --unbilled`` and the bill run summary: nothing unbilled without why."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke

USAGE = """id,customer,item,quantity,timestamp
u-1,C-US-1,api_calls,1000,2026-10-15T10:00:00-05:00
u-2,C-US-1,sms,5,2026-10-16T10:00:00-05:00
"""


def test_usage_for_an_item_off_the_contract_is_listed_and_queued_by_the_run(
    billing: Invoke, tmp_path: Path
) -> None:
    file = tmp_path / "usage.csv"
    file.write_text(USAGE, encoding="utf-8")
    imported = billing("usage", "import", str(file))
    assert imported.exit_code == 0
    assert "warning: 1 record will not be billed" in imported.stderr
    assert "no contract of customer C-US-1 bills sms" in imported.stderr
    listed = json.loads(
        billing("usage", "list", "--unbilled", "--period", "2026-10", fmt="json").stdout
    )
    by_id = {row["id"]: row for row in listed}
    assert by_id["u-2"]["status"] == "exception"
    assert "no contract of customer C-US-1 bills sms" in by_id["u-2"]["reason"]
    run = json.loads(billing("bill", "run", "--period", "2026-10", "--issue", fmt="json").stdout)
    assert run["exceptions"][0]["run_key"] == "usage:C-US-1:sms"
    table = billing("bill", "run", "--period", "2026-10").stdout
    assert "skipped_reasons" in table
    assert "1 already billed" in table


def test_usage_list_without_unbilled_is_a_usage_error(billing: Invoke) -> None:
    result = billing("usage", "list")
    assert result.exit_code == 2
    assert "--unbilled" in result.stderr
