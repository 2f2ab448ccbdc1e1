"""The ``.meshplan`` file: one self-contained, compressed, validated plan document.

A file is gzip-compressed UTF-8 JSON with sorted keys, of the envelope
``{"format": "meshplan", "format_version": 2, "app_version": "...", "plan": {...}}``.
The same plan always gives the same bytes, and ``zcat plan.meshplan | python -m json.tool``
shows a copy that diffs cleanly. Nothing in it is executable.

Loading never trusts the file: sizes are capped before and during decompression, the
JSON nesting depth is bounded, every value is type-checked, ranges and references are
validated, and any problem raises :class:`PlanFileError` naming the file and the JSON
path. A plan either loads completely or not at all. Older format versions are upgraded
step by step (:mod:`workbench.io.plan_migrations`); newer ones are refused. Annotations
pass the same allow-list and credential scrubbing as at import
(:mod:`workbench.io.annotation_policy`), whatever wrote the file; what that takes out is
reported with the load's warnings.

Saving is atomic: the new content goes to a temporary file in the same folder, is
flushed to disk, the previous file is kept as ``<name>.bak``, and the temporary file
replaces the target in one rename. An interrupted save leaves the old file intact, and
the next save removes the temporary file it left. Saves of one file exclude each other
through a lock beside it (:mod:`workbench.io.plan_lock`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from workbench import __version__
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.io import plan_migrations
from workbench.io.annotation_policy import screen_inventory
from workbench.io.collector import collector_paused
from workbench.io.plan_checks import check_plan
from workbench.io.plan_codec import PlanDataError, describe, from_data, to_data
from workbench.io.plan_integrity import envelope_with_checksum, integrity_problems
from workbench.io.plan_limits import check_collection_sizes
from workbench.io.plan_lock import (
    PlanChangedError,
    PlanLockedError,
    check_unchanged,
    content_stamp,
    plan_lock,
    remove_stale_temporaries,
)
from workbench.io.plan_migrations import FORMAT, FORMAT_VERSION

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_JSON_BYTES",
    "MAX_JSON_VALUES",
    "LoadedPlan",
    "PlanChangedError",
    "PlanFileError",
    "json_values",
    "load_plan",
    "open_plan",
    "plan_from_bytes",
    "plan_to_bytes",
    "read_plan_bytes",
    "save_plan",
]

# Limits that bound what a hostile file can make the loader hold. A realistic plan of
# 10,000 workloads is about 2 MB compressed, 30 MB of JSON and 2.9 million JSON values
# (an entry of an object counts twice: its key is a value too); the limits leave twice
# that and more. Parsed JSON takes up to about 90 bytes per value counted so, so the value
# limit, checked before parsing, keeps a hostile file under 1 GB (bench_hostile_plan.py).
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_JSON_BYTES = 128 * 1024 * 1024
MAX_JSON_VALUES = 6_000_000
COMPRESS_LEVEL = 6
_CHUNK = 16 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_ENVELOPE_FIELDS = frozenset({"format", "format_version", "app_version", "plan", "checksum"})
_log = logging.getLogger(__name__)


class PlanFileError(WorkbenchError, ValueError):
    """A plan file that cannot be read or written; the message says what and where."""


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """A plan read from a file, with what failed its integrity check (usually nothing) and
    the stamp of the content read (for :func:`save_plan`'s ``unchanged_since``)."""

    plan: Plan
    warnings: tuple[str, ...] = ()
    stamp: str = ""


# -- bytes <-> plan -----------------------------------------------------------------


def plan_to_bytes(plan: Plan) -> bytes:
    """The file content for a plan: deterministic, compressed JSON."""
    try:
        with collector_paused():
            content = to_data(plan)  # first: it checks every value's type
            check_plan(plan)
            header = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": __version__,
            }
            text = envelope_with_checksum(header, content)
            del content
    except PlanDataError as exc:
        raise PlanFileError(f"the plan cannot be saved: {exc}") from None
    except orjson.JSONEncodeError as exc:
        raise PlanFileError(f"the plan cannot be saved: {exc}") from None
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    # zlib's gzip header carries no name and a zero timestamp: the bytes depend on the plan only.
    return compressor.compress(text) + compressor.flush()


def _decompress(data: bytes, source: str) -> bytearray:
    if not data:
        raise PlanFileError(f"{source}: the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(
            f"{source}: the file is {len(data) / 2**20:.0f} MB, over the "
            f"{MAX_FILE_BYTES // 2**20} MB a plan file may have"
        )
    if not data.startswith(_GZIP_MAGIC):
        hint = " (a decompressed copy? compress it with gzip)" if data.lstrip()[:1] == b"{" else ""
        raise PlanFileError(f"{source}: not a .meshplan file: it is not gzip-compressed{hint}")
    too_big = PlanFileError(
        f"{source}: the plan inside decompresses to more than "
        f"{MAX_JSON_BYTES // 2**20} MB; refusing to load it"
    )
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while not inflater.eof:
            piece = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                raise PlanFileError(
                    f"{source}: the file is truncated (the compressed data ends early)"
                )
            if not out and piece.lstrip()[:1] not in (b"{", b""):
                raise PlanFileError(
                    f"{source}: the compressed content is not a plan (not a JSON object)"
                )
            out += piece
            if len(out) > MAX_JSON_BYTES:
                raise too_big
    except zlib.error as exc:
        raise PlanFileError(f"{source}: the file is corrupt ({exc})") from None
    if inflater.unused_data:
        raise PlanFileError(f"{source}: unexpected data after the end of the compressed plan")
    return out


def json_values(text: bytes | bytearray) -> int:
    """How many values (an object's keys included) JSON text holds, at most, counted
    without parsing: every value but the first in a list or object follows a comma, every
    key a colon (commas and colons inside text count too, so the count errs high)."""
    return text.count(b",") + text.count(b":") + text.count(b"[") + text.count(b"{")


def _parse(text: bytearray, source: str) -> Any:
    values = json_values(text)
    if values > MAX_JSON_VALUES:
        raise PlanFileError(
            f"{source}: the plan holds more than {MAX_JSON_VALUES:,} values; refusing to load it"
        )
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc):
            raise PlanFileError(f"{source}: the JSON inside is nested too deeply ({exc})") from None
        raise PlanFileError(f"{source}: the JSON inside is invalid ({exc})") from None


def _open_envelope(doc: Any, source: str) -> Any:
    """Check the header, upgrade older versions; return the plan's JSON data."""
    if type(doc) is not dict:
        raise PlanFileError(f"{source}: not a plan file (expected a JSON object at the top)")
    if doc.get("format") != FORMAT:
        raise PlanFileError(
            f"{source}: not a Mesh Migration Workbench plan "
            f"(format is {describe(doc.get('format'))}, expected {describe(FORMAT)})"
        )
    version = doc.get("format_version")
    if type(version) is not int:
        raise PlanFileError(f"{source}: format_version must be an integer, got {describe(version)}")
    current = plan_migrations.FORMAT_VERSION
    if version > current:
        app = doc.get("app_version")
        by = f" {app}" if type(app) is str and len(app) <= 40 else ""
        raise PlanFileError(
            f"{source}: written by a newer Mesh Migration Workbench{by} (format {version}); "
            f"this version reads up to {current}"
        )
    if version < current:
        try:
            doc = plan_migrations.migrate(doc, version, current)
        except WorkbenchError as exc:
            raise PlanFileError(f"{source}: {exc}") from None
    unknown = sorted(set(doc) - _ENVELOPE_FIELDS)
    if unknown:
        raise PlanFileError(f"{source}: unknown field {describe(unknown[0])} in the file header")
    if "plan" not in doc:
        raise PlanFileError(f"{source}: the file holds no plan (no 'plan' field)")
    if type(doc.get("app_version", "")) is not str:
        raise PlanFileError(
            f"{source}: app_version must be text, got {describe(doc['app_version'])}"
        )
    return doc["plan"]


def plan_from_bytes(data: bytes, source: str = "<bytes>") -> Plan:
    """Decode and validate file content; raise :class:`PlanFileError` on any problem.
    What fails the integrity check is logged as a warning (``workbench.io.plan_file``)."""
    loaded = read_plan_bytes(data, source)
    for warning in loaded.warnings:
        _log.warning(warning)
    return loaded.plan


def read_plan_bytes(data: bytes, source: str = "<bytes>") -> LoadedPlan:
    """Decode and validate file content, with the integrity check's warnings."""
    try:
        with collector_paused():
            doc = _parse(_decompress(data, source), source)
            warnings = tuple(integrity_problems(doc, source))
            content = _open_envelope(doc, source)
            check_collection_sizes(content)
            plan = from_data(Plan, content)
            del content
            del doc
            # a file saved by an older version, or edited, holds what an import never keeps
            screened = screen_inventory(plan.inventory)
            check_plan(plan)
        return LoadedPlan(plan, (*warnings, *screened.warnings(source)))
    except PlanFileError:
        raise
    except PlanDataError as exc:
        raise PlanFileError(f"{source}: {exc}") from None
    except MemoryError:
        raise PlanFileError(f"{source}: the plan is too large to load in memory") from None
    except RecursionError:
        raise PlanFileError(f"{source}: the plan is nested too deeply") from None
    except Exception as exc:  # a loader must never crash the application on a bad file
        raise PlanFileError(
            f"{source}: internal error while reading the plan ({type(exc).__name__}: {exc})"
        ) from exc


# -- files --------------------------------------------------------------------------


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _read_file(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    source = os.fspath(path)
    try:
        with open(source, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1), source
    except OSError as exc:
        raise PlanFileError(f"cannot open {source}: {_why(exc)}") from None


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a ``.meshplan`` file; raise :class:`PlanFileError` if anything is wrong."""
    return plan_from_bytes(*_read_file(path))


def open_plan(path: str | os.PathLike[str]) -> LoadedPlan:
    """Read a ``.meshplan`` file with what fails its integrity check (not logged)."""
    data, source = _read_file(path)
    loaded = read_plan_bytes(data, source)
    return LoadedPlan(loaded.plan, loaded.warnings, content_stamp(data))


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_backup(target: Path, staging: Path) -> None:
    """Make ``<target>.bak`` the current content of target, atomically."""
    backup = target.with_name(target.name + ".bak")
    try:
        os.link(target, staging)
    except OSError:  # no hard links here (some network or FAT file systems): copy
        shutil.copyfile(target, staging)
        fd = os.open(staging, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(staging, backup)


def save_plan(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    keep_backup: bool = True,
    unchanged_since: str | None = None,
) -> str:
    """Write a plan atomically, keeping the previous file as ``<name>.bak``; return the
    stamp of what was written. With ``unchanged_since`` (the stamp of what was read),
    refuse with :class:`PlanChangedError` if another program has saved the file since."""
    data = plan_to_bytes(plan)
    target = Path(os.path.realpath(path))
    try:
        with plan_lock(target):
            if unchanged_since is not None:
                check_unchanged(target, unchanged_since, MAX_FILE_BYTES)
            remove_stale_temporaries(target)
            _replace(target, data, path, keep_backup)
    except PlanLockedError as exc:
        raise PlanFileError(str(exc)) from None
    return content_stamp(data)


def _replace(target: Path, data: bytes, path: str | os.PathLike[str], keep_backup: bool) -> None:
    stem = f".{target.name}.{secrets.token_hex(4)}"
    temp = target.with_name(stem + ".tmp")
    staging = target.with_name(stem + ".bak.tmp")
    try:
        _write_new(temp, data)
        if target.is_file():
            os.chmod(temp, target.stat().st_mode & 0o7777)
            if keep_backup:
                _keep_backup(target, staging)
        os.replace(temp, target)
    except OSError as exc:
        for leftover in (temp, staging):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise PlanFileError(
            f"cannot save {os.fspath(path)}: {_why(exc)} (any previous file there is unchanged)"
        ) from None
    # Makes the rename durable; some file systems cannot sync a folder, and the file is
    # written and in place by now, so a failure here is no reason to report one.
    with contextlib.suppress(OSError):
        _fsync_dir(target.parent)
