"""Reading an export back as steps: what the runbooks apply, in their order."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.io.conftest import small_manifest_plan
from workbench.io.manifests import ManifestError
from workbench.io.manifests.readback import command_words, read_folder, read_steps
from workbench.ops.export_manifests import export_manifests
from workbench.ops.simulate import exported_files


def test_a_written_export_reads_back_like_the_one_in_memory(tmp_path: Path) -> None:
    plan = small_manifest_plan()
    export_manifests(plan, tmp_path / "m")
    from_disk = read_steps(read_folder(tmp_path / "m"))
    in_memory = read_steps(exported_files(plan))
    assert from_disk == in_memory
    kinds = [s.kind for s in from_disk]
    assert kinds[:2] == ["foundation", "foundation"] and kinds[-1] == "cutover"
    assert "lockdown" in kinds and "mesh-wide" in kinds
    # the first wave labels pod templates, the objects are what the kustomization lists
    wave = next(s for s in from_disk if s.folder.startswith("01-"))
    assert wave.changes and all(c.labels or c.annotations for c in wave.changes)
    assert {o["kind"] for o in wave.apply} >= {"PeerAuthentication"}
    assert all(o["kind"] != "PrometheusRule" for s in from_disk for o in s.apply)


def test_runbooks_that_point_outside_or_hide_commands_are_refused() -> None:
    files = exported_files(small_manifest_plan())
    runbook = next(p for p in files if p.startswith("02-") and p.endswith("RUNBOOK.md"))
    escaping = dict(files)
    escaping[runbook] = files[runbook].replace("apply -k east/", "apply -k ../../../etc/", 1)
    with pytest.raises(ManifestError, match="outside the export"):
        read_steps(escaping)
    cut = dict(files)
    cut[runbook] = files[runbook].replace("```sh\n", "```sh\n# ... and 12 more\n", 1)
    with pytest.raises(ManifestError, match="only part of its commands"):
        read_steps(cut)
    gone = {
        p: t for p, t in files.items() if "02-" not in p or not p.endswith("kustomization.yaml")
    }
    with pytest.raises(ManifestError, match="not in the export"):
        read_steps(gone)


@pytest.mark.parametrize(
    "line",
    [
        "kubectl --context prod-east apply -k east/",
        "kubectl\t--context  'prod east' patch deployment api -n shop --patch-file p.yaml",
        'kubectl --context "a\\"b" apply -f x.yaml',
        "kubectl --context a\\ b delete -f x.yaml",
        "kubectl --context a\xa0b apply -k east/",  # not a blank to a shell
        "kubectl --context a\x0bb apply -k east/",
        "kubectl get pods # shlex.split keeps comments as words",
        "   ",
    ],
)
def test_commands_split_as_a_shell_splits_them(line: str) -> None:
    assert command_words(line, "RUNBOOK.md line 1") == shlex.split(line)


def test_an_unreadable_command_or_yaml_says_where() -> None:
    with pytest.raises(ManifestError, match="line 7: cannot read the command"):
        command_words("kubectl apply -f 'open", "RUNBOOK.md line 7")
    files = exported_files(small_manifest_plan())
    target = next(p for p in files if p.endswith("peer-authentications.yaml"))
    broken = {**files, target: "kind: PeerAuthentication\nspec: [unclosed\n"}
    with pytest.raises(ManifestError, match=rf"{target} line \d+: not valid YAML"):
        read_steps(broken)
