"""Writers of one plan file exclude each other, and what a killed save left is cleaned up.

Every save holds an exclusive lock on ``.<name>.lock`` beside the plan, and every command
line command that saves a plan it read holds the lock of the file it writes from before
the read until after the save (a plan read from one file and saved to another needs no
lock on the first: saves replace a file in one rename, so the read sees one whole
version, and the first file may be read-only). A second writer waits up to
:data:`WAIT_S` seconds for the first to finish, then fails with a clear message instead
of overwriting what the first one wrote. The lock is an operating system lock
(``flock``; byte-range locking on Windows): it disappears with the process that held it,
so a killed writer never leaves the plan locked. The lock file itself is left in place
(removing it would race with a writer that just opened it).

Within one process the lock is re-entrant: a save inside a locked read-modify-write does
not wait for itself.

A program that keeps a plan open (the desktop app) cannot hold the lock for hours; it
remembers the :func:`content_stamp` of what it read, and its save refuses with
:class:`PlanChangedError` when the file on disk no longer has that content
(:func:`check_unchanged`), instead of overwriting what another program saved meanwhile.

While the lock is held no other save of that plan is running, so temporary files of an
earlier save that was killed (``.<name>.<8 hex digits>.tmp`` and ``.bak.tmp``) are stale
and are removed: :func:`remove_stale_temporaries`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from workbench.domain.errors import WorkbenchError

WAIT_S = 5.0
_POLL_S = 0.05


class PlanLockedError(WorkbenchError):
    """Another program is writing the plan file."""


class PlanChangedError(WorkbenchError):
    """The plan file was changed by another program since it was read."""


_held: dict[str, int] = {}  # real path -> nesting depth, in this process
_guard = threading.Lock()


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def _try_lock(fd: int) -> bool:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    except OSError:
        return False


@contextlib.contextmanager
def plan_lock(path: str | os.PathLike[str], wait_s: float | None = None) -> Iterator[None]:
    """Hold the plan's writer lock; :class:`PlanLockedError` after ``wait_s`` seconds
    (:data:`WAIT_S`, as it is at the call, by default)."""
    wait_s = WAIT_S if wait_s is None else wait_s
    target = Path(os.path.realpath(path))
    key = str(target)
    with _guard:
        depth = _held.get(key, 0)
        if depth:
            _held[key] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    try:
        fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise PlanLockedError(
            f"cannot save {os.fspath(path)}: {exc.strerror or exc} (its lock file cannot be "
            "created; nothing was written)"
        ) from None
    try:
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise PlanLockedError(
                    f"{os.fspath(path)} is being written by another program (still after "
                    f"{wait_s:g} s); nothing was saved: try again when it has finished"
                )
            time.sleep(_POLL_S)
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(key, None)
    finally:
        os.close(fd)  # releases the lock


def merging_into(
    existing: str | os.PathLike[str] | None, output: str | os.PathLike[str]
) -> contextlib.AbstractContextManager[None]:
    """For an import into ``existing`` (when given) saved as ``output``: the lock of
    ``output``, from before ``existing`` is read; a fresh import reads no plan, and its
    save takes the lock itself."""
    return plan_lock(output) if existing is not None else contextlib.nullcontext()


def remove_stale_temporaries(target: Path) -> int:
    """Remove what killed saves of ``target`` left; call with the plan's lock held."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.[0-9a-f]{{8}}(?:\.bak)?\.tmp$")
    removed = 0
    try:
        names = os.listdir(target.parent)
    except OSError:
        return 0
    for name in names:
        if pattern.match(name):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)
                removed += 1
    return removed


def content_stamp(data: bytes) -> str:
    """What identifies a plan file's content: compared before a save overwrites it."""
    return hashlib.sha256(data).hexdigest()


def check_unchanged(target: Path, stamp: str, limit: int) -> None:
    """Raise :class:`PlanChangedError` when ``target`` no longer holds the content read
    with ``stamp`` (call with the plan's lock held). A file gone since is no conflict."""
    try:
        with open(target, "rb") as f:
            current = content_stamp(f.read(limit + 1))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise PlanChangedError(
            f"cannot save {target}: cannot read what is there now ({exc.strerror or exc}); "
            "nothing was saved"
        ) from None
    if current != stamp:
        raise PlanChangedError(
            f"{target} was changed by another program since it was opened; nothing was "
            "saved: save under another name (Save As) and compare, or reopen the file"
        )
