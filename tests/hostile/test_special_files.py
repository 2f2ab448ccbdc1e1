"""Files that are not regular files inside an imported folder: a named pipe nobody writes
to, a UNIX socket something listens on and a symlink to a device that never ends. Each is
skipped without blocking, with one warning naming the file and saying what it is, and the
rest of the folder is imported."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from workbench.io.plan_file import load_plan

WEB = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {
        "replicas": 2,
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "example/web:1"}]},
        },
    },
}


def test_a_pipe_a_socket_and_a_device_are_each_skipped_saying_what_they_are(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(WEB))
    os.mkfifo(folder / "pipe.yaml")  # nobody ever writes to it
    (folder / "zero.yaml").symlink_to("/dev/zero")  # its content never ends
    out = tmp_path / "x.meshplan"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listening:
        listening.bind(str(folder / "sock.yaml"))
        listening.listen(1)
        result = subprocess.run(
            [sys.executable, "-m", "workbench", "import", "files", str(folder), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=60,  # a guard against blocking, not a benchmark
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert "default/shop/Deployment/web" in load_plan(out).inventory.workloads
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 3, result.stderr
    for name, what in (
        ("pipe.yaml", "a named pipe"),
        ("sock.yaml", "a socket"),
        ("zero.yaml", "a device"),
    ):
        [line] = [w for w in warnings if str(folder / name) in w]
        assert f"{folder / name}: {what}, not a file: not read" in line, line
