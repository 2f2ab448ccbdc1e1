"""Saving is atomic, keeps a backup, and fails cleanly, even when killed half-way."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import sys
import time
from pathlib import Path

import pytest

from tests.strategies import build_plan
from workbench.io import plan_file
from workbench.io.plan_file import (
    PlanFileError,
    load_plan,
    plan_from_bytes,
    plan_to_bytes,
    save_plan,
)

FIRST = build_plan(20, seed=1)
SECOND = build_plan(20, seed=2)


def backup_of(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_save_then_load(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    assert load_plan(path) == FIRST
    assert path.read_bytes() == plan_to_bytes(FIRST)
    assert not backup_of(path).exists()
    assert leftovers(tmp_path) == []


def test_the_previous_file_becomes_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    save_plan(SECOND, path)
    assert load_plan(path) == SECOND
    assert load_plan(backup_of(path)) == FIRST
    save_plan(FIRST, str(path))
    assert load_plan(backup_of(path)) == SECOND
    assert leftovers(tmp_path) == []


def test_no_backup_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path, keep_backup=False)
    save_plan(SECOND, path, keep_backup=False)
    assert not backup_of(path).exists()


def test_backup_is_copied_where_hard_links_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    save_plan(SECOND, path)
    assert load_plan(backup_of(path)) == FIRST
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_the_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    path.chmod(0o640)
    save_plan(SECOND, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_saving_through_a_link_replaces_the_linked_file(tmp_path: Path) -> None:
    real = tmp_path / "real.meshplan"
    save_plan(FIRST, real)
    link = tmp_path / "link.meshplan"
    link.symlink_to(real)
    save_plan(SECOND, link)
    assert link.is_symlink()
    assert load_plan(real) == SECOND


def test_a_full_disk_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if fd <= 2:
            return real_write(fd, data)
        real_write(fd, bytes(data[:1000]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(PlanFileError) as info:
        save_plan(SECOND, path)
    message = str(info.value)
    assert message.startswith(f"cannot save {path}: No space left on device")
    assert "unchanged" in message
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_failing_flush_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(FIRST, path)
    save_plan(SECOND, path)

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(PlanFileError, match="Input/output error"):
        save_plan(FIRST, path)
    monkeypatch.undo()
    assert load_plan(path) == SECOND
    assert load_plan(backup_of(path)) == FIRST
    assert leftovers(tmp_path) == []


def test_no_permission_is_a_plan_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def denied(path: str, flags: int, *args: int) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(PlanFileError, match=r"cannot save .*estate\.meshplan: Permission denied"):
        save_plan(FIRST, tmp_path / "estate.meshplan")


def test_a_missing_folder_is_a_plan_file_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="No such file or directory"):
        save_plan(FIRST, tmp_path / "absent" / "estate.meshplan")
    with pytest.raises(PlanFileError, match="cannot save"):
        save_plan(FIRST, tmp_path)  # a folder, not a file


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_save_killed_at_random_moments_never_damages_the_file(tmp_path: Path) -> None:
    """A child saves two large plans alternately, in a loop; SIGKILL it 24 times.

    Half the children encode each plan as they save it; the others reuse its bytes,
    so that their time goes to the file operations and more kills land inside them.
    """
    big = [build_plan(1500, seed=1), build_plan(1500, seed=2)]
    encoded = {id(p): plan_to_bytes(p) for p in big}
    contents = set(encoded.values())
    for content in contents:  # each possible content is a loadable plan file
        assert plan_from_bytes(content) in big
    path = tmp_path / "estate.meshplan"
    save_plan(big[0], path)
    rng = random.Random(20260101)
    torn = 0
    for round_ in range(24):
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: save until killed
            try:
                os.close(ready_r)
                if round_ % 2:
                    plan_file.plan_to_bytes = lambda plan: encoded[id(plan)]
                os.write(ready_w, b"!")
                for i in range(1_000_000):
                    save_plan(big[i % 2], path)
            finally:
                os._exit(1)
        os.close(ready_w)
        os.read(ready_r, 1)
        os.close(ready_r)
        time.sleep(rng.uniform(0.0, 0.3 if round_ % 2 == 0 else 0.05))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        # Byte-equal to a complete file that loads: the file is intact and loadable.
        assert path.read_bytes() in contents
        if backup_of(path).exists():
            assert backup_of(path).read_bytes() in contents
        torn += bool(leftovers(tmp_path))
        for name in leftovers(tmp_path):
            (tmp_path / name).unlink()
    assert load_plan(path) in big and load_plan(backup_of(path)) in big
    # Some kills land inside a write; the test means little if none ever does.
    print(f"{torn} of 24 kills left a partly written temporary file")


def test_module_constants_are_what_the_documentation_says() -> None:
    assert plan_file.MAX_FILE_BYTES == 64 * 2**20
    assert plan_file.MAX_JSON_BYTES == 128 * 2**20
