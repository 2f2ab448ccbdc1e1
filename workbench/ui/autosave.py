"""Recovery copies of the open plan, and finding them again after a crash.

A few seconds after the last edit the plan is encoded in the background and written
to ``session-<id>.meshplan`` in the recovery folder, with a small JSON note (the
plan's own file, its title, when). While the application runs it holds
``session-<id>.lock``; a clean exit, a save or a discard removes the copy. At the next
start, copies whose lock nobody holds any more are the ones a crash left behind, and
the window offers to restore them.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from workbench.domain.commands import Change
from workbench.domain.jobs import CancelToken
from workbench.io.atomic import write_atomically
from workbench.io.plan_file import plan_to_bytes
from workbench.ui.document import PlanDocument

PREFIX = "session-"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".mesh-workbench") / "recovery"


@dataclass(frozen=True, slots=True)
class Recovery:
    """A recovery copy left by a session that did not end cleanly."""

    plan_path: Path
    original: str | None  # the plan file it was a copy of, if it had one
    title: str
    saved_at: str  # ISO timestamp

    @property
    def session(self) -> str:
        return self.plan_path.stem.removeprefix(PREFIX)

    def describe(self) -> str:
        where = self.original or "a plan that was never saved"
        return f"“{self.title}” ({where}), saved {self.saved_at.replace('T', ' ')}"


class RecoveryStore:
    """The recovery folder: this session's copy and the orphans of earlier ones."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.session = uuid.uuid4().hex[:12]
        self._lock: QLockFile | None = None

    def _files(self, session: str) -> tuple[Path, Path, Path]:
        base = self.folder / f"{PREFIX}{session}"
        return base.with_suffix(".meshplan"), base.with_suffix(".json"), base.with_suffix(".lock")

    @property
    def plan_path(self) -> Path:
        return self._files(self.session)[0]

    def _hold_lock(self) -> None:
        if self._lock is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = QLockFile(str(self._files(self.session)[2]))
            lock.setStaleLockTime(0)  # held as long as this process lives
            lock.tryLock(0)
            self._lock = lock

    def write(self, data: bytes, original: Path | None, title: str) -> str:
        """Store this session's copy; returns the time it was saved (HH:MM:SS)."""
        self._hold_lock()
        plan_path, note_path, _ = self._files(self.session)
        now = datetime.now().replace(microsecond=0)
        write_atomically(plan_path, data)
        note = {"original": str(original) if original else None, "title": title}
        note["saved"] = now.isoformat()
        write_atomically(note_path, json.dumps(note).encode("utf-8"))
        return now.strftime("%H:%M:%S")

    def clear(self) -> None:
        """Remove this session's copy (saved, discarded or closed cleanly)."""
        for path in self._files(self.session)[:2]:
            with contextlib.suppress(OSError):
                path.unlink()

    def close(self) -> None:
        """A clean end: the copy goes, the lock is released."""
        self.clear()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        with contextlib.suppress(OSError):
            self._files(self.session)[2].unlink()

    def orphans(self) -> list[Recovery]:
        """Copies from sessions that are gone (their lock is free), newest first."""
        if not self.folder.is_dir():
            return []
        found: list[Recovery] = []
        for plan_path in self.folder.glob(f"{PREFIX}*.meshplan"):
            session = plan_path.stem.removeprefix(PREFIX)
            if session == self.session:
                continue
            _, note_path, lock_path = self._files(session)
            lock = QLockFile(str(lock_path))
            lock.setStaleLockTime(0)  # only a lock whose process is gone is free
            if not lock.tryLock(0):
                continue  # another running window owns it
            lock.unlock()
            note = _read_note(note_path)
            found.append(
                Recovery(
                    plan_path,
                    note.get("original"),
                    str(note.get("title") or plan_path.name),
                    str(note.get("saved") or ""),
                )
            )
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def discard(self, recovery: Recovery) -> None:
        for path in self._files(recovery.session):
            with contextlib.suppress(OSError):
                path.unlink()


def _read_note(path: Path) -> dict[str, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Autosaver(QObject):
    """Writes a recovery copy ``delay_s`` seconds after the last edit of ``document``."""

    saved = Signal(str)  # the time of the copy
    failed = Signal(str)

    def __init__(self, document: PlanDocument, store: RecoveryStore, delay_s: int) -> None:
        super().__init__(document)
        self.document = document
        self.store = store
        self._generation = 0
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.save_now)
        self.set_delay(delay_s)
        document.changed.connect(self._on_change)
        document.replaced.connect(self._on_replaced)
        document.modified_changed.connect(self._on_modified)

    def set_delay(self, seconds: int) -> None:
        self.delay_s = seconds
        self._timer.setInterval(max(0, seconds) * 1000)
        if seconds <= 0:
            self._timer.stop()

    def schedule(self) -> None:
        """Write a copy after the delay (if the plan still has unsaved changes then)."""
        if self.delay_s > 0:
            self._timer.start()

    def _on_change(self, _change: Change) -> None:
        self._generation += 1
        self.schedule()

    def _on_replaced(self) -> None:
        self._generation += 1
        self._timer.stop()
        self.store.clear()
        if self.document.is_modified:
            self.schedule()

    def _on_modified(self, modified: bool) -> None:
        if modified:
            self.schedule()
        else:  # saved, or undone back to the saved state
            self._generation += 1
            self._timer.stop()
            self.store.clear()

    def save_now(self) -> None:
        """Encode the plan off the UI thread; the copy is written if no edit overtook it."""
        if self._busy:
            self._timer.start()
            return
        doc = self.document
        if not doc.is_modified:
            return
        generation, plan = self._generation, doc.plan
        self._busy = True

        def encode(_progress: object, _cancel: CancelToken) -> bytes:
            return plan_to_bytes(plan)

        job = doc.jobs.start("Autosaving a recovery copy", encode)
        job.finished.connect(lambda data: self._write(generation, data))
        job.failed.connect(lambda error: self._on_failed(generation, error))

    def _write(self, generation: int, data: bytes) -> None:
        self._busy = False
        if generation != self._generation or not self.document.is_modified:
            self.schedule()  # an edit (or a save) came in meanwhile
            return
        try:
            when = self.store.write(data, self.document.path, self.document.display_name)
        except OSError as exc:
            self.failed.emit(f"cannot write a recovery copy in {self.store.folder}: {exc}")
            return
        self.saved.emit(when)

    def _on_failed(self, generation: int, error: object) -> None:
        self._busy = False
        if generation != self._generation:
            self.schedule()  # the plan changed while it was read: try again
            return
        self.failed.emit(f"cannot make a recovery copy: {error}")
