"""The in-memory rollout check (the built objects, never rendered) gives exactly the
verdicts of reading the written export back, and the written files are the rendering of
those same objects."""

from __future__ import annotations

from pathlib import Path

from workbench.io.manifests import build_manifests
from workbench.io.manifests.readback import read_folder
from workbench.io.manifests.writer import layout
from workbench.io.manifests.yaml_text import dump_all
from workbench.io.plan_file import load_plan
from workbench.ops.export_manifests import export_manifests
from workbench.ops.simulate import check_rollout


def test_in_memory_check_equals_the_read_back_export(repo_root: Path, tmp_path: Path) -> None:
    plan = load_plan(repo_root / "plans" / "seed-playbook.meshplan")
    export_manifests(plan, tmp_path / "m")
    written = read_folder(tmp_path / "m")
    built = layout(build_manifests(plan).manifests)
    yaml_files = {"/".join(p): c for p, c in built.items() if not isinstance(c, str)}
    assert yaml_files and all(written[p] == dump_all(c) for p, c in yaml_files.items())
    read_back = check_rollout(plan, tmp_path / "m", rollback=True).report
    in_memory = check_rollout(plan, rollback=True).report
    assert read_back.calls == in_memory.calls > 0
    assert [(r.step.id, r.meshed, r.broken, r.at_risk) for r in in_memory.results] == [
        (r.step.id, r.meshed, r.broken, r.at_risk) for r in read_back.results
    ]
    assert sum(len(r.at_risk) for r in read_back.results) > 0  # something to compare
