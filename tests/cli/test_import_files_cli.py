"""`mesh-workbench import files`: new plans, re-import with --into, hostile input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.schedule import Wave
from workbench.io.plan_file import load_plan, save_plan


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        input=stdin,
    )


def test_import_sock_shop_as_a_process(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sock.meshplan"
    result = cli("import", "files", str(shared_dir / "corpora/sock-shop/manifests"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "14 workload(s), 14 service(s), 1 dependency edge(s), 1 unresolved" in result.stdout
    plan = load_plan(out)
    assert len(plan.inventory.workloads) == 14
    assert [p.name for p in plan.schedule.phases] == ["Foundation", "Pilot", "Core", "Optimization"]
    assert plan.assumptions.cost_lines  # the default business case


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("package.json", '{"name": "left-pad", "version": "1.0.0"}', "not Kubernetes objects"),
        (
            "bomb.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "alias bomb",
        ),
    ],
)
def test_hostile_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = cli("import", "files", str(path), "-o", str(tmp_path / "x.meshplan"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.meshplan").exists()


def test_huge_file_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "dump.json"
    with open(huge, "wb") as f:
        f.truncate(2 * 1024**3)
    assert main(["import", "files", str(huge), "-o", str(tmp_path / "x.meshplan")]) == 2
    assert "larger than the 256 MiB limit" in capsys.readouterr().err


def test_reimport_into_an_existing_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def manifests(*names: str, env: str = "") -> Path:
        docs = []
        for n in names:
            docs.append(
                f"kind: Service\nmetadata: {{name: {n}, namespace: ns}}\n"
                f"spec: {{selector: {{app: {n}}}, ports: [{{port: 80}}]}}\n"
            )
            docs.append(
                f"kind: Deployment\napiVersion: apps/v1\nmetadata: {{name: {n}, namespace: ns}}\n"
                f"spec: {{template: {{metadata: {{labels: {{app: {n}}}}}, spec: {{containers: "
                f"[{{name: c, env: [{{name: NEXT_URL, value: '{env}'}}]}}]}}}}}}\n"
            )
        path = tmp_path / f"{'-'.join(names)}.yaml"
        path.write_text("---\n".join(docs))
        return path

    first = tmp_path / "v1.meshplan"
    assert (
        main(
            [
                "import",
                "files",
                str(manifests("a", "b", env="http://a:80")),
                "-o",
                str(first),
                "--cluster",
                "prod",
            ]
        )
        == 0
    )
    plan = load_plan(first)
    a, b, c = (f"prod/ns/Deployment/{n}" for n in "abc")
    assert set(plan.dependencies.edges) == {(b, a)}
    start, end = plan.schedule.phases[1].start, plan.schedule.phases[1].end
    plan.schedule.insert_wave(Wave("wave-01", "Pilot", "pilot", start, end, members=[a, b]))
    save_plan(plan, first)
    second = tmp_path / "v2.meshplan"
    code = main(
        [
            "import",
            "files",
            str(manifests("a", "c", env="http://a:80")),
            "--into",
            str(first),
            "-o",
            str(second),
            "--cluster",
            "prod",
        ]
    )
    assert code == 0
    assert "merged: 1 new workload(s), 1 updated, 1 vanished" in capsys.readouterr().out
    merged = load_plan(second)
    assert merged.schedule.wave("wave-01").members == [a, b]
    assert merged.inventory.workloads[b].vanished
    assert merged.unassigned() == [c]
    assert set(merged.dependencies.edges) == {(c, a)}


def test_stdin_and_warnings(tmp_path: Path) -> None:
    dump = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {"kind": "Secret", "metadata": {"name": "s", "namespace": "x"}},
            {"kind": "Event", "metadata": {"name": "e", "namespace": "x"}},
            {"kind": "Deployment", "metadata": {"name": "d", "namespace": "x"}},
        ],
    }
    out = tmp_path / "p.meshplan"
    result = cli("import", "files", "-", "-o", str(out), "-q", stdin=json.dumps(dump))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "1 Secret object(s) skipped unread" in result.stderr
    assert "kinds not used for planning: Event (1)" in result.stderr
    assert list(load_plan(out).inventory.workloads) == ["default/x/Deployment/d"]
