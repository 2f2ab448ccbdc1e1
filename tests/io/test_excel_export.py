"""The Excel export use-case: atomic writes, progress, cancel and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.ops.economics import compute
from workbench.ops.export_excel import ExcelExportError, export_excel
from workbench.ops.generate import generate_plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return generate_plan(400, 2, 9)


def test_report_describes_the_file_and_the_apps_figures(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    report = export_excel(plan, path)
    assert report.path == path.resolve()
    assert report.size_bytes == path.stat().st_size > 0
    assert report.workloads == len(plan.inventory.workloads)
    assert report.dependencies == len(plan.dependencies.edges)
    assert report.months == plan.assumptions.horizon_months
    assert report.sheets[0] == "Summary"
    assert report.metrics == compute(plan).metrics
    assert load_workbook(path, read_only=True).sheetnames == list(report.sheets)


def test_progress_rises_to_one(plan: Plan, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    export_excel(plan, tmp_path / "p.xlsx", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("inventory" in m for _, m in seen)


def test_a_cancelled_export_leaves_the_previous_file_alone(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"previous")
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if "findings" in message:
            token.cancel()

    with pytest.raises(JobCancelled):
        export_excel(plan, path, progress=progress, cancel=token)
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_an_export_replaces_the_file_in_one_step(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"previous")
    export_excel(plan, path)
    assert load_workbook(path, read_only=True).sheetnames[0] == "Summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_missing_folder_is_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "plan.xlsx"
    with pytest.raises(ExcelExportError, match="nowhere"):
        export_excel(plan, target)
    with pytest.raises(ExcelExportError, match="folder"):
        export_excel(plan, tmp_path)


def test_an_unknown_scenario_is_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="no scenario named 'nope'"):
        export_excel(plan, tmp_path / "p.xlsx", scenario="nope")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_plan_exports(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    report = export_excel(Plan(), path)
    assert report.workloads == 0 and report.findings == 0
    wb = load_workbook(path)
    assert wb["Inventory"].max_row == 1
    assert "Cash flow" in wb.sheetnames
