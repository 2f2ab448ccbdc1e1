"""Writing a file so that readers see the old version or the new one, never half of one.

The new content goes to a temporary file in the target's folder (same file system),
is flushed to disk, then renamed over the target. On any failure the temporary file
is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def temp_sibling(target: Path) -> Path:
    """A hidden, unused name beside ``target``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces ``target`` when the block succeeds."""
    final = Path(target)
    temp = temp_sibling(final)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_output(target) as out:
        out.write(data)
