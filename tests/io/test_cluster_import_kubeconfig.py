"""Finding and reading kubeconfigs: lookup order, merging, and one clear error per problem."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.io.k8s_api_server import write_kubeconfig
from workbench.domain.errors import WorkbenchError
from workbench.io.kubeconfig import (
    KubeconfigError,
    KubeContext,
    cluster_name_for,
    kubeconfig_paths,
    load_kubeconfig,
)


def config(path: Path, *names: str, current: str | None = None) -> Path:
    contexts = {name: f"https://127.0.0.1:{6443 + i}" for i, name in enumerate(names)}
    return write_kubeconfig(path, contexts, current=current)


def test_explicit_path_wins_over_the_environment(tmp_path: Path) -> None:
    explicit = config(tmp_path / "explicit", "a")
    env = {"KUBECONFIG": str(config(tmp_path / "other", "b"))}
    kc = load_kubeconfig(explicit, env=env, home=tmp_path)
    assert kc.context_names() == ["a"] and kc.paths == (explicit,)
    assert kc.select() == [KubeContext("a", "a-cluster", "https://127.0.0.1:6443", "tester")]


def test_kubeconfig_list_merges_files_first_definition_wins(tmp_path: Path) -> None:
    first = config(tmp_path / "first", "east", "shared", current="shared")
    second = config(tmp_path / "second", "shared", "west", current="west")
    listed = os.pathsep.join([str(tmp_path / "missing"), str(first), "", str(second)])
    kc = load_kubeconfig(env={"KUBECONFIG": listed}, home=tmp_path)
    assert kc.paths == (first, second)
    assert kc.context_names() == ["east", "shared", "west"]
    assert kc.current_context == "shared"  # from the first file that sets one
    assert kc.context("shared").server == "https://127.0.0.1:6444"  # the first file's
    assert kc.config_file == f"{first}{os.pathsep}{second}"
    assert [c.name for c in kc.select(["west", "east", "west"])] == ["west", "east"]


def test_home_default_when_nothing_else_is_given(tmp_path: Path) -> None:
    (tmp_path / ".kube").mkdir()
    default = config(tmp_path / ".kube" / "config", "home")
    assert kubeconfig_paths(env={}, home=tmp_path) == [default]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "no kubeconfig found"),
        ({"KUBECONFIG": "/nonexistent/a:/nonexistent/b"}, "none of the files KUBECONFIG lists"),
    ],
)
def test_no_kubeconfig_anywhere(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    with pytest.raises(KubeconfigError, match=expected):
        load_kubeconfig(env=env, home=tmp_path)


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match=f"kubeconfig not found: {tmp_path}/nope"):
        load_kubeconfig(tmp_path / "nope")


def test_unknown_context_names_the_ones_there_are(tmp_path: Path) -> None:
    kc = load_kubeconfig(config(tmp_path / "c", "dev", "prod"))
    with pytest.raises(KubeconfigError) as err:
        kc.select(["staging"])
    message = str(err.value)
    assert "'staging'" in message and "dev, prod" in message and str(tmp_path / "c") in message


def test_no_current_context_asks_for_one(tmp_path: Path) -> None:
    path = config(tmp_path / "c", "dev")
    path.write_text(path.read_text().replace("current-context: dev", "current-context: ''"))
    with pytest.raises(KubeconfigError, match="sets no current context; choose one with --context"):
        load_kubeconfig(path).select()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"clusters: [\n  - name: a\n   bad: indent", "is not valid YAML at line"),
        (b"\xff\xfe\x00binary\x00", "is not a text file"),
        (b"just a string", "is not a kubeconfig"),
        (b"contexts: {a: 1}", "'contexts' must be a list"),
        (b"contexts:\n- context: {cluster: x}", r"contexts\[0\] has no name"),
        (
            b"contexts:\n- name: a\n  context: {cluster: gone, user: u}\nclusters: []",
            "refers to cluster 'gone', which no kubeconfig file defines",
        ),
    ],
)
def test_invalid_files_are_one_clear_error(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "config"
    path.write_bytes(content)
    with pytest.raises(KubeconfigError, match=expected) as err:
        load_kubeconfig(path)
    assert str(path) in str(err.value)
    assert isinstance(err.value, WorkbenchError)


def test_a_directory_is_not_a_kubeconfig(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match="is a directory, not a file"):
        load_kubeconfig(tmp_path)


NOBODY = 65534  # an unprivileged user and group, present on Debian and most images
REPO = Path(__file__).resolve().parents[2]
DROP_FILE_OVERRIDES = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


def _cli(
    args: list[str], env: dict[str, str], prefix: tuple[str, ...] = (), **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def _runs(args: list[str], env: dict[str, str], **kwargs: Any) -> bool:
    try:
        return _cli(args, env, **kwargs).returncode == 0
    except PermissionError:  # the interpreter itself is out of reach
        return False


def test_unreadable_kubeconfig() -> None:
    """The CLI says in one line that it cannot read the kubeconfig, as an unprivileged user.

    The superuser reads any file, so as root the CLI runs as user and group 65534 against a
    root-owned 0600 kubeconfig. When that user cannot reach the interpreter (a Python
    installed under a private home such as /root), the CLI runs as root without the
    capabilities that override file permissions, against a 0600 kubeconfig of user 65534:
    the same denial, seen the same way.
    """
    folder = Path(tempfile.mkdtemp(prefix="unreadable-kubeconfig-"))  # reachable by all
    try:
        folder.chmod(0o755)
        home = folder / "home"
        home.mkdir()
        path = config(folder / "config", "a")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
        env |= {"LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        args = ["import", "cluster", "--kubeconfig", str(path), "-o", str(folder / "out.meshplan")]
        if os.geteuid() != 0:
            path.chmod(0)
            with pytest.raises(KubeconfigError, match="permission denied"):
                load_kubeconfig(path)
            result = _cli(args, env)
        else:
            os.chown(home, NOBODY, NOBODY)
            path.chmod(0o600)  # root-owned
            as_nobody: dict[str, Any] = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
            if _runs(["--version"], env, **as_nobody):
                result = _cli(args, env, **as_nobody)
            else:
                require(shutil.which("setpriv") is not None, "setpriv (Debian package util-linux)")
                os.chown(path, NOBODY, NOBODY)  # someone else's 0600 file
                result = _cli(args, env, DROP_FILE_OVERRIDES)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert result.stderr == (
            f"mesh-workbench: error: cannot read kubeconfig {path}: permission denied\n"
        )
        assert not (folder / "out.meshplan").exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_oversized_kubeconfig_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge"
    with path.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(KubeconfigError, match="is refused"):
        load_kubeconfig(path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("prod-eu", "prod-eu"),
        ("arn:aws:eks:eu-west-1:111122223333:cluster/payments", "payments"),
        ("gke_project_europe-west1_core", "gke_project_europe-west1_core"),
        ("admin@kind kind", "admin-kind-kind"),
        ("///", "cluster"),
    ],
)
def test_cluster_names_are_key_safe(name: str, expected: str) -> None:
    assert cluster_name_for(KubeContext(name, "c", "https://127.0.0.1")) == expected
