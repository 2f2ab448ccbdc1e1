"""Keep matplotlib's font cache between launches.

PyInstaller's own matplotlib hook points ``MPLCONFIGDIR`` at a fresh temporary folder on
every start (right for one-file builds, whose bundle moves each run), which makes
matplotlib rescan every system font at each launch: half a second here, seconds on a
desktop with many fonts. A one-folder build stays put, so the cache goes to the user's
cache folder instead (the spec leaves PyInstaller's hook out)."""

import os
import sys
from pathlib import Path


def _cache_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mesh-workbench" / "matplotlib"


if "MPLCONFIGDIR" not in os.environ:
    try:
        _folder = _cache_dir()
        _folder.mkdir(parents=True, exist_ok=True)
        os.environ["MPLCONFIGDIR"] = str(_folder)
    except OSError:
        pass  # matplotlib falls back to a temporary folder of its own
