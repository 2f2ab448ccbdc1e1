"""The shape of a command that reads one plan and reports on it: ``PLAN [--json]``.

The report is printed as text or, with ``--json``, as one JSON object (non-finite
figures become null); the command's exit status says whether anything was found.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from workbench.cli import json_output

JSON_HELP = "one JSON object (a stable contract)"


def plan_report_parser(
    sub: Any, name: str, help: str, description: str | None = None, json_help: str = JSON_HELP
) -> argparse.ArgumentParser:
    """A subcommand taking ``PLAN`` and ``--json``; the caller adds its own options."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    p.add_argument("plan", help="a .meshplan file")
    p.add_argument("--json", action="store_true", help=json_help)
    return p


def print_report(
    args: argparse.Namespace, document: Callable[[], Any], text: Callable[[], str]
) -> None:
    """Print ``document()`` as JSON when ``--json`` was given, else ``text()``."""
    if args.json:
        print(json_output.dumps(document(), indent=2))
    else:
        print(text())
