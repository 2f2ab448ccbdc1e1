"""Writing the manifests: deterministic files, a kustomization per folder, no escapes.

Everything is rendered first, then written into a fresh folder beside the target which
replaces the target only when complete, so a failed or cancelled export leaves the
previous one as it was. A target that exists must be empty or hold an earlier export
(recognised by its marker file). Every path is built with
:func:`~workbench.io.manifests.names.safe_join`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workbench.domain.jobs import CancelToken, Progress
from workbench.io.manifests import yaml_text
from workbench.io.manifests.model import ManifestSet, Obj
from workbench.io.manifests.names import ManifestError, safe_join
from workbench.io.manifests.rollback import DELETE_FILE, stub

MARKER = ".mesh-workbench-manifests"
KUSTOMIZATION = "kustomization.yaml"
CANCEL_EVERY = 500


def _order(obj: Obj) -> tuple[str, str]:
    meta = obj["metadata"]
    return (meta.get("namespace", ""), meta["name"])


Layout = dict[tuple[str, ...], list[Obj] | str]


def layout(mset: ManifestSet) -> Layout:
    """Every file of the export by relative path: its YAML documents, or its text."""
    files: Layout = {}

    def put(path: tuple[str, ...], content: list[Obj] | str) -> None:
        if files.get(path, content) != content:
            raise ManifestError(f"two generated files would share the path {'/'.join(path)}")
        files[path] = content

    for key in sorted(mset.stages):
        stage = mset.stages[key]
        base = stage.path()
        for name in sorted(stage.objects):
            put((*base, name), sorted(stage.objects[name], key=_order))
        if stage.objects:
            kustomization = {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": sorted(stage.objects),
            }
            put((*base, KUSTOMIZATION), [kustomization])
        if stage.deletes and stage.step != "rollback":
            put((*base, DELETE_FILE), [stub(o) for o in sorted(stage.deletes, key=_order)])
        for patch in stage.patches:
            put((*base, *patch.path()), [patch.body])
    for path in sorted(mset.texts):
        put(path, mset.texts[path])
    return files


def render(mset: ManifestSet) -> dict[tuple[str, ...], str]:
    """Every file of the export by relative path, as written."""
    return {
        path: content if isinstance(content, str) else yaml_text.dump_all(content)
        for path, content in layout(mset).items()
    }


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ManifestError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise ManifestError(
            f"{target} is not empty and holds no earlier manifest export; choose an empty "
            "or new folder"
        )


def write_manifests(
    mset: ManifestSet, out_dir: Path, progress: Progress, cancel: CancelToken
) -> int:
    """Write the export to ``out_dir``; returns the number of files written."""
    target = Path(os.path.abspath(out_dir))
    if not target.name or target.parent == target:
        raise ManifestError(f"cannot write manifests to {target}: choose a folder")
    files = render(mset)
    try:
        _check_target(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f".{target.name[:100]}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
    except OSError as exc:
        raise ManifestError(f"cannot write manifests to {target}: {exc.strerror or exc}") from exc
    try:
        for i, (parts, content) in enumerate(sorted(files.items())):
            if i % CANCEL_EVERY == 0:
                cancel.check("the manifest export")
                progress(i / max(len(files), 1), f"writing {'/'.join(parts[:2])}")
            path = safe_join(partial, parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
        (partial / MARKER).write_text("Istio manifests written by Mesh Migration Workbench\n")
        cancel.check("the manifest export")
        _swap(partial, target)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ManifestError(f"cannot write manifests to {target}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    progress(1.0, f"{len(files)} file(s) written to {target}")
    return len(files)


def _swap(partial: Path, target: Path) -> None:
    """Put the new export in place of the old one (or of an empty folder)."""
    if not target.exists():
        partial.rename(target)
        return
    old = target.parent / f".{target.name[:100]}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    try:
        target.rename(old)
    except OSError:
        # a mount point or a folder in use: replace its content instead
        for child in target.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in partial.iterdir():
            child.rename(target / child.name)
        partial.rmdir()
        return
    partial.rename(target)
    shutil.rmtree(old, ignore_errors=True)
