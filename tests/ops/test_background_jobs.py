"""Use-case functions run in real worker processes: same results and error texts as in
this process, progress streamed, cancel ends the worker and leaves no partial file."""

from __future__ import annotations

import os
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from workbench.domain.economics.model import BasisCache
from workbench.domain.economics.montecarlo import monte_carlo
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan_options import AutoPlanOptions
from workbench.io.plan_file import PlanFileError, load_plan
from workbench.ops.background.jobs import (
    JobFailed,
    JobProcess,
    JobSpec,
    PlanBytes,
    PlanFile,
    PlanPieces,
    Workers,
    run_job,
)
from workbench.ops.background.transfer import PlanInPieces
from workbench.ops.background.usecases import AUTO_PLAN, EXPORTS, MONTE_CARLO, export_all
from workbench.ops.background.window_usecases import EXPORT_FILES
from workbench.ops.dashboard_charts import WARM_CHARTS
from workbench.ops.economics import compute
from workbench.ops.export_excel import ExcelExportError
from workbench.ops.generate import generate_plan
from workbench.ops.planning import propose_plan

EXCEL = ("Excel workbook", "workbench.ops.export_excel:export_excel")


def _in_pieces(plan: Plan) -> PlanPieces:
    pickling = PlanInPieces(plan)
    while (pieces := pickling.advance(0.001)) is None:
        pass
    pickling.close()
    return pieces


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    pool = Workers(keep=1)
    yield pool
    pool.close()


def test_auto_plan_in_a_worker_equals_the_in_process_proposal(
    sample_plan_path: Path, workers: Workers
) -> None:
    plan = load_plan(sample_plan_path)
    options = AutoPlanOptions(max_workloads=6, pilot_size=2, keep_assignments=False)
    expected = propose_plan(plan, options)
    seen: list[tuple[float, str]] = []
    from_file = run_job(
        JobSpec(AUTO_PLAN, PlanFile(str(sample_plan_path)), {"options": options}),
        lambda f, m: seen.append((f, m)),
        workers=workers,
    )
    from_bytes = run_job(
        JobSpec(AUTO_PLAN, PlanBytes.of(plan), {"options": options}), workers=workers
    )
    from_pieces = run_job(
        JobSpec(AUTO_PLAN, _in_pieces(plan), {"options": options}), workers=workers
    )
    assert from_file == expected and from_bytes == expected and from_pieces == expected
    assert expected.waves  # a proposal with content, not two empty ones
    assert seen[0] == (0.0, "reading readiness") and seen[-1][0] == 1.0


def test_monte_carlo_in_a_worker_equals_the_in_process_draws(
    sample_plan_path: Path, workers: Workers
) -> None:
    report = compute(load_plan(sample_plan_path), cache=BasisCache())
    inputs, a = report.evaluation.inputs, report.assumptions
    expected = monte_carlo(inputs, a)
    got = run_job(
        JobSpec(MONTE_CARLO, options={"inputs": inputs, "assumptions": a}), workers=workers
    )
    assert np.array_equal(got.npv_draws, expected.npv_draws)
    assert (got.npv_p10, got.npv_p50, got.npv_p90) == (
        expected.npv_p10,
        expected.npv_p50,
        expected.npv_p90,
    )
    assert got.probability_payback == expected.probability_payback


def test_an_export_in_a_worker_writes_what_the_in_process_export_writes(
    sample_plan_path: Path, tmp_path: Path, workers: Workers
) -> None:
    plan = load_plan(sample_plan_path)
    mesh = {"istio_version": "1.28", "injection": plan.mesh.injection}
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    here, there = tmp_path / "here" / "plan.xlsx", tmp_path / "there" / "plan.xlsx"
    [expected] = export_all(plan, [(*EXCEL, str(here))], **mesh)
    spec = JobSpec(
        EXPORTS, PlanFile(str(sample_plan_path)), {"exports": [(*EXCEL, str(there))], **mesh}
    )
    [got] = run_job(spec, workers=workers)
    assert got.path == there and got.size_bytes > 5000
    assert (got.metrics, got.workloads, got.findings) == (
        expected.metrics,
        expected.workloads,
        expected.findings,
    )
    assert zip_entries(there) == zip_entries(here)  # the same sheets, cell for cell
    again = tmp_path / "there" / "again.xlsx"
    files = JobSpec(
        EXPORT_FILES, PlanFile(str(sample_plan_path)), {"exports": [(*EXCEL, str(again))], **mesh}
    )
    assert run_job(files, workers=workers) == [str(again)]  # plain text: no exporter to import
    assert zip_entries(again) == zip_entries(here)


def zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.startswith("docProps/")]  # timestamps
        return {name: archive.read(name) for name in names}


def test_errors_keep_the_text_the_in_process_run_gives(
    sample_plan_path: Path, tmp_path: Path, workers: Workers
) -> None:
    target = str(tmp_path / "missing" / "plan.xlsx")
    plan = load_plan(sample_plan_path)
    mesh = {"istio_version": plan.mesh.istio_version, "injection": plan.mesh.injection}
    with pytest.raises(ExcelExportError) as here:
        export_all(plan, [(*EXCEL, target)], **mesh)
    spec = JobSpec(EXPORTS, PlanBytes.of(plan), {"exports": [(*EXCEL, target)], **mesh})
    with pytest.raises(ExcelExportError) as there:
        run_job(spec, workers=workers)
    assert str(there.value) == str(here.value) and "no folder" in str(there.value)

    broken = tmp_path / "broken.meshplan"
    broken.write_bytes(b"not a plan at all")
    with pytest.raises(PlanFileError) as here_file:
        load_plan(broken)
    with pytest.raises(PlanFileError) as there_file:
        run_job(JobSpec(AUTO_PLAN, PlanFile(str(broken)), {"options": AutoPlanOptions()}))
    assert str(there_file.value) == str(here_file.value) and str(broken) in str(here_file.value)


def test_only_functions_of_the_ops_layer_run() -> None:
    with pytest.raises(WorkbenchError, match=r"workbench\.ops"):
        JobSpec("os:system", options={"command": "true"})
    with pytest.raises(WorkbenchError, match="no such function"):
        run_job(JobSpec("workbench.ops.planning:no_such_function"))


def test_cancel_ends_the_worker_and_leaves_no_partial_file(tmp_path: Path) -> None:
    plan = generate_plan(3000, 3, 7)
    target = tmp_path / "big.xlsx"
    mesh = {"istio_version": plan.mesh.istio_version, "injection": plan.mesh.injection}
    spec = JobSpec(
        EXPORTS, PlanBytes.of(plan), {"exports": [(*EXCEL, str(target))], **mesh}, title="Export"
    )
    token = CancelToken()
    seen: list[str] = []
    partial: list[Path] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        if fraction > 0.15 and not token.is_cancelled():  # writing the workbook
            partial.extend(tmp_path.glob(".big.xlsx.*.tmp"))
            token.cancel()

    workers = Workers(keep=1)
    started = time.monotonic()
    with pytest.raises(JobCancelled, match="Export was cancelled"):
        run_job(spec, progress, token, workers=workers)
    assert time.monotonic() - started < 120
    assert seen and token.is_cancelled()
    assert partial  # cancelled while the workbook was half written
    assert list(tmp_path.iterdir()) == []  # neither the workbook nor its temporary file
    assert workers.idle_pids() == []  # a cancelled worker is not kept


def test_a_worker_that_dies_is_reported_and_a_clean_one_is_kept(
    sample_plan_path: Path,
) -> None:
    workers = Workers(keep=1)
    spec = JobSpec(
        AUTO_PLAN, PlanFile(str(sample_plan_path)), {"options": AutoPlanOptions()}, title="Plan"
    )
    run_job(spec, workers=workers)
    [pid] = workers.idle_pids()
    run_job(spec, workers=workers)
    assert workers.idle_pids() == [pid]  # the same warm worker took the second job

    worker = workers.take()
    os.kill(pid, signal.SIGKILL)
    worker.process.join(10)
    kind, error = worker.receive()
    assert kind == "lost" and isinstance(error, JobFailed)
    assert "ended unexpectedly" in str(error) and "Plan" in str(error)
    worker.close()
    workers.close()


def test_a_job_process_can_be_driven_without_waiting(sample_plan_path: Path) -> None:
    worker = JobProcess()
    try:
        worker.submit(
            JobSpec(AUTO_PLAN, PlanFile(str(sample_plan_path)), {"options": AutoPlanOptions()})
        )
        kinds: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "done" not in kinds:
            if worker.wait(0.05):
                kinds.append(worker.receive()[0])
        assert kinds[-1] == "done" and set(kinds[:-1]) <= {"progress"}
    finally:
        worker.close()


def test_a_files_import_in_a_worker_equals_the_in_process_import(
    tmp_path: Path, workers: Workers
) -> None:
    import orjson

    from tests.io.estate_objects import inventory_objects
    from workbench.ops.background.usecases import FILES_IMPORT
    from workbench.ops.runtime_import import import_files_and_captures

    estate = generate_plan(300, 1, 5)
    cluster = next(iter(estate.inventory.clusters))
    objects = tmp_path / "objects.json"
    items = inventory_objects(estate.inventory, cluster)
    objects.write_bytes(orjson.dumps({"kind": "List", "items": items}))
    options = {"paths": [str(objects)], "cluster": "c1", "namespace": "default"}
    expected = import_files_and_captures(**options, into=None)  # type: ignore[arg-type]
    got = run_job(JobSpec(FILES_IMPORT, options={**options, "into": None}), workers=workers)
    assert len(got.plan.inventory.workloads) == len(expected.plan.inventory.workloads) > 250
    assert got.plan.inventory == expected.plan.inventory
    assert got.plan.dependencies == expected.plan.dependencies
    assert got.summary() == expected.summary() and got.warnings == expected.warnings

    source = PlanBytes.of(estate)  # before the import here, which may change what it merges into
    merged_here = import_files_and_captures(**options, into=estate)  # type: ignore[arg-type]
    merged = run_job(JobSpec(FILES_IMPORT, source, options, plan_argument="into"), workers=workers)
    assert merged.plan.inventory == merged_here.plan.inventory
    assert merged.plan.schedule == merged_here.plan.schedule


def test_a_worker_left_idle_is_ended_and_one_in_use_is_not() -> None:
    workers = Workers(keep=1, idle_s=0.5)
    spec = JobSpec(WARM_CHARTS, title="Warm")
    run_job(spec, workers=workers)
    [pid] = workers.idle_pids()
    time.sleep(0.2)
    run_job(spec, workers=workers)  # taken again before its time was up: idle afresh
    time.sleep(0.4)  # 0.6 s since the first job, 0.4 s idle
    assert workers.idle_pids() == [pid]
    deadline = time.monotonic() + 10
    while workers.idle_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers.idle_pids() == []
    with pytest.raises(ProcessLookupError):  # ended, not only forgotten
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    run_job(spec, workers=workers)  # a new one for the next job
    assert len(workers.idle_pids()) == 1 and workers.idle_pids() != [pid]
    workers.close()
