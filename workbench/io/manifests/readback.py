"""Reading an export back as the steps an operator runs, for the rollout simulator.

Each folder's ``RUNBOOK.md`` is followed section by section, up to its rollback: every
``kubectl apply -k DIR/`` loads the files its kustomization lists, every
``kubectl patch`` reads the patch file it names, every ``kubectl delete -f`` removes
what the file names. One step per section and cluster, in the order written, so what
is checked is exactly what the runbooks apply. An optional section (monitoring) adds
nothing to the mesh and is skipped; a section titled "Cut over" switches entry traffic
to the ingress gateway.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.domain.simulation import LabelChange, RolloutStep
from workbench.io.manifests.names import ManifestError
from workbench.io.yaml_stream import YamlError, yaml_documents

RUNBOOK = "RUNBOOK.md"
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
SECTION = re.compile(r"^## (?:\d+\. )?(.+?)\s*$")
CLUSTER = re.compile(r"^### Cluster `(.*)`\s*$")
SKIPPED_SECTIONS = (
    "roll back",
    "restart",
    "monitoring",
    "install istio",
    "what to watch",
    "observe",
    "left out",
)
# what makes shlex.split read a line differently from str.split: quotes, escapes, and
# anything but printable ASCII, spaces and tabs
_SHELL_SPECIAL = re.compile(r"[\\'\"]|[^\x21-\x7e \t]")
TEMPLATE_PATHS = (("spec", "template"), ("spec", "jobTemplate", "spec", "template"), ())
# relative path -> text as written, or (an export built in memory) its YAML documents
Files = Mapping[str, str | list[dict[str, Any]]]


def read_folder(root: Path) -> dict[str, str]:
    """Every text file under ``root`` by relative POSIX path (symbolic links skipped)."""
    if not root.is_dir():
        raise ManifestError(f"{root} is not a folder of exported manifests")
    files: dict[str, str] = {}
    total = 0
    for base, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(base, d)))
        for name in sorted(names):
            path = os.path.join(base, name)
            if os.path.islink(path) or not name.endswith((".yaml", ".yml", ".md")):
                continue
            size = os.path.getsize(path)
            total += size
            if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                raise ManifestError(f"{path}: too large to read back")
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            try:
                with open(path, encoding="utf-8") as fh:
                    files[rel] = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise ManifestError(f"{path}: cannot be read ({exc})") from exc
    return files


_AT_LINE = re.compile(r"not valid YAML at line (\d+), (.*)$", re.DOTALL)


def _load(files: Files, rel: str) -> list[dict[str, Any]]:
    """The documents of one file, parsed once per read-back (patch files are shared by
    many commands); callers must not change them."""
    path = _normal(rel)
    cache: dict[str, list[dict[str, Any]]] = _CACHE.setdefault(id(files), {})
    if path in cache:
        return cache[path]
    text = files.get(path)
    if text is None:
        raise ManifestError(f"{rel}: named in a runbook but not in the export")
    if not isinstance(text, str):  # documents built in memory, not rendered
        cache[path] = text
        return text
    try:
        docs = [d for d in yaml_documents(text.encode("utf-8")) if d is not None]
    except YamlError as exc:
        at = _AT_LINE.match(str(exc))
        if at is None:
            raise ManifestError(f"{rel}: {exc}") from exc
        raise ManifestError(f"{rel} line {at.group(1)}: not valid YAML ({at.group(2)})") from exc
    for doc in docs:
        if not isinstance(doc, dict):
            raise ManifestError(f"{rel}: a document is not a mapping")
    cache[path] = docs
    return docs


_CACHE: dict[int, dict[str, list[dict[str, Any]]]] = {}


def _normal(rel: str) -> str:
    parts: list[str] = []
    for part in rel.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise ManifestError(f"{rel}: points outside the export")
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _kustomize(files: Files, folder: str) -> list[dict[str, Any]]:
    docs = _load(files, f"{folder}/kustomization.yaml")
    objects: list[dict[str, Any]] = []
    for resource in docs[0].get("resources") or []:
        path = f"{folder}/{resource}"
        if f"{_normal(path)}/kustomization.yaml" in files:
            objects += _kustomize(files, _normal(path))
        else:
            objects += _load(files, path)
    return objects


def _dig(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = body
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) else None


def _change(
    cluster: str, kind: str, namespace: str, name: str, body: dict[str, Any]
) -> LabelChange:
    for path in TEMPLATE_PATHS:
        template = _dig(body, path)
        meta = template.get("metadata") if template is not None else None
        if isinstance(meta, dict):
            return LabelChange(
                cluster,
                kind,
                namespace or name,
                name,
                dict(meta.get("labels") or {}),
                dict(meta.get("annotations") or {}),
            )
    return LabelChange(cluster, kind, namespace or name, name)


KIND_NAMES = {
    "namespace": "Namespace",
    "deployment": "Deployment",
    "statefulset": "StatefulSet",
    "daemonset": "DaemonSet",
    "cronjob": "CronJob",
    "job": "Job",
    "pod": "Pod",
    "service": "Service",
}


class _Section:
    def __init__(self, slot: str, title: str, kind: str) -> None:
        self.slot = slot
        self.title = title
        self.kind = kind
        self.by_cluster: dict[str, dict[str, list[Any]]] = {}
        self.headings: set[str] = set()  # "### Cluster" headings seen

    def bucket(self, cluster: str) -> dict[str, list[Any]]:
        return self.by_cluster.setdefault(cluster, {"apply": [], "delete": [], "changes": []})


def command_words(line: str, where: str) -> list[str]:
    """The command's words as a shell reads them (plain words split on blanks)."""
    if not _SHELL_SPECIAL.search(line):
        return line.split()
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise ManifestError(f"{where}: cannot read the command {line[:80]!r}") from exc


def _command(files: Files, slot: str, line: str, section: _Section, where: str) -> None:
    argv = command_words(line, where)
    if not argv or argv[0] != "kubectl":
        return
    opts: dict[str, str] = {}
    words: list[str] = []
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in ("--context", "-n", "--namespace", "-k", "-f", "--type", "--patch-file"):
            if i + 1 >= len(argv):
                raise ManifestError(f"{where}: {arg} without a value in {line[:80]!r}")
            opts[arg] = argv[i + 1]
            i += 2
            continue
        if not arg.startswith("-"):
            words.append(arg)
        i += 1
    cluster = opts.get("--context", "")
    bucket = section.bucket(cluster)
    verb = words[0] if words else ""
    if verb == "apply" and "-k" in opts:
        bucket["apply"] += _kustomize(files, _normal(f"{slot}/{opts['-k']}"))
    elif verb == "apply" and "-f" in opts:
        bucket["apply"] += _load(files, f"{slot}/{opts['-f']}")
    elif verb == "delete" and "-f" in opts:
        bucket["delete"] += _load(files, f"{slot}/{opts['-f']}")
    elif verb == "patch" and len(words) >= 3 and "--patch-file" in opts:
        kind = KIND_NAMES.get(words[1].lower(), words[1])
        (body,) = _load(files, f"{slot}/{opts['--patch-file']}") or [{}]
        ns = opts.get("-n", opts.get("--namespace", ""))
        bucket["changes"].append(_change(cluster, kind, ns, words[2], body))


def _kind(slot: str, title: str, final: bool) -> str:
    low = title.lower()
    if low.startswith("cut over"):
        return "cutover"
    if low.startswith("lockdown"):
        return "lockdown"
    if slot.endswith("-foundation"):
        return "foundation"
    if final:
        return "mesh-wide"
    return "mesh" if low.startswith("apply") else "other"


def read_steps(files: Files, *, rollback: bool = False) -> list[RolloutStep]:
    """The steps of an export (relative path -> text), in apply order; with
    ``rollback``, followed by every folder's whole rollback in reverse order."""
    slots = sorted({p.split("/", 1)[0] for p in files if p.endswith("/" + RUNBOOK)})
    if not slots:
        raise ManifestError("no folder with a RUNBOOK.md: not an export of this app")
    _CACHE[id(files)] = {}
    try:
        return _read(files, slots, rollback)
    finally:
        _CACHE.pop(id(files), None)


def _read(files: Files, slots: list[str], rollback: bool) -> list[RolloutStep]:
    steps: list[RolloutStep] = []
    for n, slot in enumerate(slots):
        final = n == len(slots) - 1 and n > 0
        steps += _slot_steps(files, slot, final)
    if rollback:
        for slot in reversed(slots):
            steps += _slot_steps(files, slot, False, rollback=True)
    return steps


def _slot_steps(files: Files, slot: str, final: bool, rollback: bool = False) -> list[RolloutStep]:
    sections: list[_Section] = []
    section: _Section | None = None
    in_code = False
    part = "whole"  # in a rollback section: "lockdown", "whole" or "monitoring"
    runbook = files[f"{slot}/{RUNBOOK}"]
    if not isinstance(runbook, str):
        raise ManifestError(f"{slot}/{RUNBOOK}: not a text file")
    for number, line in enumerate(runbook.splitlines(), start=1):
        where = f"{slot}/{RUNBOOK} line {number}"
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            if section is None or (rollback and part != "whole"):
                continue
            if line.startswith("# ... and"):
                raise ManifestError(f"{where}: the runbook lists only part of its commands")
            _command(files, slot, line, section, where)
            continue
        low = line.lower()
        if low.startswith("only the lockdown"):
            part = "lockdown"
        elif low.startswith("the whole folder"):
            part = "whole"
        elif low.startswith("the optional alert"):
            part = "monitoring"
        heading = CLUSTER.match(line)
        if heading and section is not None:
            if heading.group(1) in section.headings:  # the same cluster again: a later step
                section = _Section(slot, section.title, section.kind)
                sections.append(section)
            section.headings.add(heading.group(1))
        m = SECTION.match(line)
        if m:
            title = m.group(1)
            if rollback:
                wanted = title.lower().startswith("roll back")
                section = _Section(slot, title, "rollback") if wanted else None
                part = "whole"
            else:
                skip = title.lower().startswith(SKIPPED_SECTIONS)
                section = None if skip else _Section(slot, title, _kind(slot, title, final))
            if section is not None:
                sections.append(section)
    steps = []
    for sec in sections:
        for cluster, bucket in sec.by_cluster.items():
            steps.append(
                RolloutStep(
                    id=f"{slot}/{cluster}/{sec.title.lower()}",
                    title=sec.title,
                    kind=sec.kind,
                    cluster=cluster,
                    folder=slot,
                    apply=tuple(bucket["apply"]),
                    delete=tuple(bucket["delete"]),
                    changes=tuple(bucket["changes"]),
                    cutover=sec.kind == "cutover",
                )
            )
        if sec.kind == "cutover" and not sec.by_cluster:
            steps.append(RolloutStep(f"{slot}/{sec.title.lower()}", sec.title, "cutover", ""))
    return steps
