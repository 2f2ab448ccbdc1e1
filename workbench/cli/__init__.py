"""The command line: ``mesh-workbench [PLAN]`` opens the GUI; subcommands work headless.

Each subcommand lives in its own module with ``register(subparsers)``; the module
list below is the whole registry. A :class:`WorkbenchError` (bad input, bad file)
prints one line on stderr and exits 2; nothing prints a traceback for user errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module

from workbench import __version__
from workbench.domain.errors import WorkbenchError

COMMAND_MODULES = (
    "summary",
    "economics",
    "generate",
    "imports",
    "deps",
    "check",
    "import_cluster",
    "import_metadata",
    "plan",
    "waves",
    "diff",
    "export",
    "simulate",
    "comments",
    "share",
    "merge",
)
EXIT_USER_ERROR = 2
SELF_TEST_HELP = (
    "check this installation: open the window (offscreen without a display) on PLAN or the "
    "sample plan, run the economics and every export, print one line per check"
)


def _parser() -> tuple[argparse.ArgumentParser, set[str]]:
    parser = argparse.ArgumentParser(
        prog="mesh-workbench",
        description="Plan a Kubernetes estate's move onto the Istio service mesh. "
        "Without a subcommand, opens the desktop workbench (on PLAN if given).",
    )
    parser.add_argument("--version", action="version", version=f"mesh-workbench {__version__}")
    parser.add_argument("--self-test", action="store_true", help=SELF_TEST_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(f"workbench.cli.{name}").register(sub)
    return parser, set(sub.choices)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mesh-workbench", add_help=False)
    parser.add_argument("plan", nargs="?", help="a .meshplan file to open")
    parser.add_argument("--self-test", action="store_true", help=SELF_TEST_HELP)
    return parser


class _StderrWarnings(logging.Handler):
    """The engine's warnings (a plan file failing its integrity check) as one line each."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"mesh-workbench: warning: {record.getMessage()}", file=sys.stderr)


def _show_warnings() -> None:
    log = logging.getLogger("workbench")
    if not any(isinstance(h, _StderrWarnings) for h in log.handlers):
        log.addHandler(_StderrWarnings(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _show_warnings()
    parser, commands = _parser()
    try:
        if args_list and args_list[0] in {"-h", "--help", "--version", *commands}:
            args = parser.parse_args(args_list)
            result: int = args.func(args)
            return result
        gui_args, unknown = _gui_parser().parse_known_args(args_list)
        if unknown:
            parser.error(f"unrecognised arguments: {' '.join(unknown)}")
        from workbench.cli.gui import launch, self_test

        return self_test(gui_args.plan) if gui_args.self_test else launch(gui_args.plan)
    except WorkbenchError as exc:
        print(f"mesh-workbench: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"mesh-workbench: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("mesh-workbench: interrupted", file=sys.stderr)
        return 130
