"""The key that hides names in shared copies: kept in the user's config folder, never in a plan.

The default key lives in ``$XDG_CONFIG_HOME/mesh-workbench/share.key`` (``~/.config`` when
unset; ``%APPDATA%`` on Windows), created on first use with 32 random bytes, readable by
the user only. A key file given explicitly must exist and hold at least 16 bytes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workbench.domain.errors import WorkbenchError

KEY_BYTES = 32
MIN_KEY_BYTES = 16
MAX_KEY_BYTES = 4096


class ShareKeyError(WorkbenchError, ValueError):
    """A key file that cannot be read or created."""


def default_key_path() -> Path:
    if os.name == "nt" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "mesh-workbench" / "share.key"


def read_key(path: str | os.PathLike[str]) -> bytes:
    source = os.fspath(path)
    try:
        with open(source, "rb") as f:
            key = f.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise ShareKeyError(f"cannot read the key file {source}: {exc.strerror or exc}") from None
    key = key.strip()
    if len(key) < MIN_KEY_BYTES:
        raise ShareKeyError(
            f"the key file {source} holds {len(key)} bytes; a key needs at least {MIN_KEY_BYTES}"
        )
    if len(key) > MAX_KEY_BYTES:
        raise ShareKeyError(f"the key file {source} is over {MAX_KEY_BYTES} bytes: not a key")
    return key


def load_key(key_file: str | os.PathLike[str] | None = None, *, create: bool = False) -> bytes:
    """The key in ``key_file``, else the user's default key (made when ``create``)."""
    if key_file is not None:
        return read_key(key_file)
    path = default_key_path()
    if path.is_file() or not create:
        if not path.is_file():
            raise ShareKeyError(
                f"no key for hidden names at {path}; pass the key the copy was made with "
                "(--key-file)"
            )
        return read_key(path)
    key = secrets.token_hex(KEY_BYTES).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key + b"\n")
    except FileExistsError:
        return read_key(path)
    except OSError as exc:
        raise ShareKeyError(f"cannot create the key file {path}: {exc.strerror or exc}") from None
    return key
