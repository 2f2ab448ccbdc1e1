"""``mesh-workbench import SOURCE ...``: bring an estate into a plan.

``import files PATH... -o PLAN [--into EXISTING]`` reads kubectl output, manifests and
folders of them. Other sources add themselves as siblings of ``files``: a command module
(listed in ``COMMAND_MODULES``, in any order) calls :func:`import_sources` with the
top-level subparsers its ``register(sub)`` receives and adds its own parser there::

    def register(sub):
        p = import_sources(sub).add_parser("cluster", help="...")
        p.set_defaults(func=run)
"""

from __future__ import annotations

import argparse
import sys
import weakref
from typing import Any

_SOURCES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def import_sources(sub: Any) -> Any:
    """The ``import`` command's subparsers (made on first use) to add a source to."""
    sources = _SOURCES.get(sub)
    if sources is None:
        parser: argparse.ArgumentParser = sub.add_parser(
            "import",
            help="import an estate into a plan (from files, or a live cluster)",
            description="Import a Kubernetes estate into a new plan, or merge it into an "
            "existing one (--into): assignments and hand-made edges survive, new workloads "
            "arrive unassigned, vanished ones are flagged.",
        )
        sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
        _SOURCES[sub] = sources
    return sources


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = import_sources(sub).add_parser(
        "files",
        help="import kubectl output, manifests or folders of them",
        description="Read Kubernetes objects from kubectl get -o json|yaml output (List "
        "kinds included), multi-document YAML, Helm-rendered output and folders of "
        "manifests (recursive); '-' reads standard input. Secrets are never read; env and "
        "ConfigMap values are kept only when they are service addresses.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder or '-'")
    p.add_argument("-o", "--output", required=True, metavar="PLAN", help="the plan to write")
    p.add_argument("--into", metavar="EXISTING", help="merge into this existing plan")
    p.add_argument("--cluster", default="default", help="the cluster's name (default: default)")
    p.add_argument(
        "--namespace",
        default="default",
        help="namespace for objects that name none (default: default)",
    )
    p.add_argument(
        "--max-file-mb", type=int, default=256, help="refuse larger files (default: 256)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only warnings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_lock import merging_into

    with merging_into(args.into, args.output):  # no other writer between reading and saving
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from workbench.io.manifest_files import LoadLimits
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.import_files import import_files

    into = load_plan(args.into) if args.into else None
    limits = LoadLimits(max_file_bytes=max(1, args.max_file_mb) * 1024 * 1024)
    outcome = import_files(
        args.paths, into=into, cluster=args.cluster, namespace=args.namespace, limits=limits
    )
    save_plan(outcome.plan, args.output)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(outcome.summary())
        print(f"wrote {args.output}")
    return 0
