"""``mesh-workbench import metadata``: CMDB exports onto workloads, and auto-plan uses them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.cli import main
from workbench.domain.business import BusinessInfo
from workbench.domain.commands_business import SetBusinessInfo
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.generate import generate_plan
from workbench.ops.planning import propose_plan


@pytest.fixture()
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "estate.meshplan"
    save_plan(generate_plan(150, clusters=1, seed=4), path)
    return path


def _names(path: Path) -> tuple[str, str, str]:
    plan = load_plan(path)
    keys = sorted(k for k, w in plan.inventory.workloads.items() if w.kind == "Deployment")
    first, second = (plan.inventory.workloads[k] for k in keys[:2])
    return first.namespace, first.name, f"{second.namespace}/{second.name}"


def test_csv_rows_map_by_namespace_name_and_report_misses(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ns, name, ns_name = _names(plan_file)
    csv = tmp_path / "cmdb.csv"
    csv.write_text(
        "Application,Owner Team,Business Criticality,SLO tier,Maintenance window\n"
        f"{ns},team-ns,medium,silver,Sat 01:00-05:00\n"
        f"{name},team-a,critical,gold,\n"
        f"{ns_name.upper()},team-b,,,\n"
        "no-such-service,team-x,low,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.meshplan"
    assert main(["import", "metadata", str(plan_file), str(csv), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "matched 3 of 4 row(s)" in printed and "row 5: no-such-service" in printed
    plan = load_plan(out)
    by_name = {w.name: k for k, w in plan.inventory.workloads.items() if w.namespace == ns}
    first = plan.business[by_name[name]]
    assert (first.owner, first.criticality, first.slo_tier) == ("team-a", "critical", "gold")
    assert first.maintenance == "Sat 01:00-05:00"  # the namespace row's default stays
    other = next(
        k for k, w in plan.inventory.workloads.items() if f"{w.namespace}/{w.name}" == ns_name
    )
    assert plan.business[other].owner == "team-b"
    assert load_plan(plan_file).business == {}  # the input plan is untouched with -o


def test_xlsx_with_an_explicit_match_column(plan_file: Path, tmp_path: Path) -> None:
    _, name, _ = _names(plan_file)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["CI name", "Squad", "Env"])
    ws.append([name, "payments-squad", "Production"])
    path = tmp_path / "cmdb.xlsx"
    wb.save(path)
    assert main(["import", "metadata", str(plan_file), str(path), "--match", "ci name"]) == 0
    plan = load_plan(plan_file)
    (info,) = [i for k, i in plan.business.items() if k.endswith(f"/{name}")]
    assert (info.owner, info.environment) == ("payments-squad", "Production")


@pytest.mark.parametrize(
    ("content", "suffix", "args", "words"),
    [
        ("a,b\n1,2\n", ".csv", [], "no column names the workloads"),
        ("name,colour\nx,red\n", ".csv", [], "no owner, criticality"),
        ("name,owner\nx,y\n", ".csv", ["--match", "service"], "no column 'service'"),
        ("name,owner\n", ".txt", [], "not a CSV or XLSX"),
        ("not a zip", ".xlsx", [], "cannot read the table"),
    ],
)
def test_bad_tables_are_one_line_errors(
    plan_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    suffix: str,
    args: list[str],
    words: str,
) -> None:
    path = tmp_path / f"table{suffix}"
    path.write_text(content, encoding="utf-8")
    assert main(["import", "metadata", str(plan_file), str(path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and str(path) in err


def test_set_business_info_round_trip() -> None:
    plan = generate_plan(20, seed=1)
    key = sorted(plan.inventory.workloads)[0]
    plan.business[key] = BusinessInfo(owner="old")
    before = copy.deepcopy(plan)
    other = sorted(plan.inventory.workloads)[1]
    command = SetBusinessInfo({key: BusinessInfo(), other: BusinessInfo(criticality="high")})
    command.do(plan)
    assert key not in plan.business and plan.business[other].criticality == "high"
    command.undo(plan)
    assert plan == before


def test_auto_plan_keeps_critical_workloads_out_of_the_pilot_and_late() -> None:
    plan = generate_plan(300, clusters=1, seed=6)
    options = AutoPlanOptions(keep_assignments=False, max_workloads=30)
    pilot = next(w for w in propose_plan(copy.deepcopy(plan), options).waves if w.phase == "pilot")
    for key in pilot.members:
        plan.business[key] = BusinessInfo(criticality="critical", owner="core-team")
    proposal = propose_plan(plan, options)
    new_pilot = next(w for w in proposal.waves if w.phase == "pilot")
    assert not set(new_pilot.members) & set(pilot.members)
    # within an environment stage, critical workloads come after the others
    env = {w.id: w.name.rpartition("(")[2] for w in proposal.waves}
    order = {k: (env[w.id], i) for i, w in enumerate(proposal.waves) for k in w.members}
    critical = [order[k] for k in pilot.members if k in order]
    assert critical
    for stage, index in critical:
        others = [i for k, (s, i) in order.items() if s == stage and k not in pilot.members]
        assert index >= max(others, default=index) - 1, (stage, index)


def test_plan_auto_places_waves_in_the_imported_maintenance_windows(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.domain.planning.maintenance import window_days

    spaces = sorted({w.namespace for w in load_plan(plan_file).inventory.workloads.values()})
    windows = ("Sat 01:00-05:00", "Tue, Thu 22:00-02:00", "Sunday 02:00-04:00")
    csv = tmp_path / "windows.csv"
    rows = [f'{ns},"{windows[i % 3]}"' for i, ns in enumerate(spaces)]
    csv.write_text("Namespace,Change window\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", "metadata", str(plan_file), str(csv)]) == 0
    out = tmp_path / "planned.meshplan"
    assert main(["plan", "auto", str(plan_file), "--replan", "-o", str(out)]) == 0
    assert "maintenance window" in capsys.readouterr().out
    plan = load_plan(out)
    assert plan.schedule.waves
    for wave in plan.schedule.waves:
        for key in wave.members:
            allowed = window_days(plan.business[key].maintenance)
            assert allowed is not None and wave.start.weekday() in allowed, (wave.id, key)
    capsys.readouterr()
    main(["check", str(out), "--json"])
    assert '"S14"' not in capsys.readouterr().out
