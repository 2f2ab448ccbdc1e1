"""Where the application's data folders are: ``resources/`` (icons) and ``plans/`` (samples).

In a source checkout both sit beside the ``workbench`` package; in a PyInstaller build
they sit in the bundle folder (``sys._MEIPASS``). Qt-free, so the headless self-test and
the command line find them the same way the window does.
"""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLE_PLAN = "seed-playbook.meshplan"


def frozen() -> bool:
    """True when running from a PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def source_root() -> Path:
    """The checkout the ``workbench`` package was imported from."""
    return Path(__file__).resolve().parent.parent


def bundle_root() -> Path:
    """The folder holding ``resources/`` and ``plans/``: the bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else source_root()


def resources_dir() -> Path:
    return bundle_root() / "resources"


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, e.g. ``resource_path("icons", "workbench.svg")``."""
    return resources_dir().joinpath(*parts)


def plans_dir() -> Path:
    return bundle_root() / "plans"


def sample_plan_path() -> Path:
    """The sample plan built from the seed playbook."""
    return plans_dir() / SAMPLE_PLAN
