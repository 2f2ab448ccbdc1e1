"""Hostile files for the offline import: pipes, devices, symlinks to private files and
objects with fields no API server accepts. Each ends in a correct import with a warning
naming the file, document and field, or a one-line error with exit code 2; none hangs
and no warning quotes the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.io.manifest_files import ManifestError
from workbench.ops.import_files import import_files

PRIVATE = "root:$6$c2VjcmV0:19000:0:99999:7:::\nhunter2-private-line: yes"


def deployment(name: str, **spec: Any) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": f"example/{name}:1"}
    container.update(spec.pop("container", {}))
    pod: dict[str, Any] = {"containers": [container], **spec.pop("pod", {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {
            "replicas": 2,
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod},
            **spec,
        },
    }


def service(name: str, port: Any, protocol: str = "TCP") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"selector": {"app": name}, "ports": [{"port": port, "protocol": protocol}]},
    }


BAD = {
    "containerPort 70000": (
        deployment("bad", container={"ports": [{"containerPort": 70000}]}),
        "spec.template.spec.containers[0].ports[0].containerPort",
    ),
    "Service port 70000": (service("bad", 70000), "spec.ports[0].port"),
    "runAsUser -1": (
        deployment("bad", pod={"securityContext": {"runAsUser": -1}}),
        "spec.template.spec.securityContext.runAsUser",
    ),
    "protocol QUIC": (
        deployment("bad", container={"ports": [{"containerPort": 80, "protocol": "QUIC"}]}),
        "spec.template.spec.containers[0].ports[0].protocol",
    ),
    "Service protocol QUIC": (service("bad", 80, "QUIC"), "spec.ports[0].protocol"),
    "replicas three": (deployment("bad", replicas="three"), "spec.replicas"),
    "replicas -5": (deployment("bad", replicas=-5), "spec.replicas"),
    "replicas 1e30": (deployment("bad", replicas=1e30), "spec.replicas"),
    "containers notalist": (
        {**deployment("bad"), "spec": {"template": {"spec": {"containers": "notalist"}}}},
        "spec.template.spec.containers",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_an_invalid_object_is_skipped_and_the_rest_imported(tmp_path: Path, case: str) -> None:
    bad, field = BAD[case]
    path = tmp_path / "estate.yaml"
    path.write_text(yaml.safe_dump_all([deployment("good"), bad, service("good", 80)]))
    outcome = import_files([str(path)])
    keys = set(outcome.plan.inventory.workloads) | set(outcome.plan.inventory.services)
    assert "default/shop/Deployment/good" in keys
    assert "default/shop/good" in keys
    assert not any("/bad" in k for k in keys)
    [warning] = [w for w in outcome.warnings if "skipped" in w]
    assert warning.startswith(f"{path}: document 2: {bad['kind']} skipped: {field}: ")
    said = warning[len(str(path)) :]  # the temporary folder's name may hold "-1"
    for value in ("70000", "three", "QUIC", "1e30", "notalist", "-1", "-5"):
        assert value not in said


def _import_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "import", "files", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_pipe_in_a_folder_is_skipped_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(deployment("web")))
    os.mkfifo(folder / "b.yaml")  # nobody ever writes to it
    outcome = import_files([str(folder)])
    assert "default/shop/Deployment/web" in outcome.plan.inventory.workloads
    assert any("b.yaml: a named pipe, not a file: not read" in w for w in outcome.warnings)


def test_a_named_pipe_or_device_on_the_command_line_is_a_clear_error(tmp_path: Path) -> None:
    pipe = tmp_path / "p.yaml"
    os.mkfifo(pipe)
    for target in (str(pipe), "/dev/zero"):
        result = _import_cli(target, "-o", str(tmp_path / "x.meshplan"))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "not a file: not read" in lines[0]
    assert not (tmp_path / "x.meshplan").exists()


def test_a_symlink_to_a_private_file_is_never_echoed(tmp_path: Path) -> None:
    private = tmp_path / "shadow"
    private.write_text(PRIVATE)
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "web.yaml").write_text(yaml.safe_dump(deployment("web")))
    (folder / "link.yaml").symlink_to(private)
    outcome = import_files([str(folder)])
    text = "\n".join(outcome.warnings)
    assert "link.yaml" in text
    for fragment in ("root:", "c2VjcmV0", "hunter2", "19000"):
        assert fragment not in text
    result = _import_cli(str(folder / "link.yaml"), "-o", str(tmp_path / "x.meshplan"))
    assert result.returncode == 2
    for fragment in ("root:", "c2VjcmV0", "hunter2", "19000"):
        assert fragment not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "content",
    [
        "a: &x [1]\nb: *undefined_alias_name_hunter2\n",
        "key: 'unterminated hunter2\n",
        "hunter2: [1\n",
        "!!python/object/apply:os.system ['echo hunter2']\n",
    ],
)
def test_yaml_errors_do_not_quote_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ManifestError) as caught:
        import_files([str(path)])
    assert "hunter2" not in str(caught.value)
    assert str(caught.value).startswith(str(path))
