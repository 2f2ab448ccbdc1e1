"""The Excel plan's Backlog sheet: one row per workload kept out of the waves."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from workbench.io.plan_file import load_plan
from workbench.ops.export_excel import export_excel
from workbench.ops.planning import remediation_backlog


def test_backlog_sheet_lists_every_backlog_workload_with_rule_and_fix(
    tmp_path: Path, sample_plan_path: Path
) -> None:
    plan = load_plan(sample_plan_path)
    expected = remediation_backlog(plan)
    assert expected
    path = tmp_path / "plan.xlsx"
    export_excel(plan, path)
    ws = load_workbook(path, read_only=True)["Backlog"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Namespace", "Workload", "Kind", "Rule")
    body = rows[1:]
    assert len(body) == len(expected)
    for row, item in zip(body, expected, strict=True):
        assert row[0] == item.namespace
        assert row[1] == plan.inventory.workloads[item.key].name
        assert row[3] == item.cause.rule and row[7] == item.cause.fix
    assert not {i.key for i in expected} & set(plan.schedule.assigned())
