"""Export Istio manifests per wave (``mesh-workbench export PLAN --manifests DIR``).

A job (progress and cancel, see :mod:`workbench.domain.jobs`): builds every object from
the plan, validates each against its schema, then writes the folder tree in one go.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.io.manifests import ManifestError, ManifestOptions, build_manifests, write_manifests
from workbench.io.manifests.authz import AllowList

__all__ = ["ManifestError", "ManifestOptions", "ManifestReport", "export_manifests"]
BUILD_SHARE = 0.8


@dataclass(slots=True)
class ManifestReport:
    out_dir: Path
    istio_version: str
    api_versions: tuple[str, str, str]  # networking, security, telemetry
    folders: list[str] = field(default_factory=list)
    files: int = 0
    objects: int = 0
    patches: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    validated: int = 0
    kubernetes_schemas: str = ""
    allow_lists: list[AllowList] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # wave members with open blockers
    blocked_included: list[str] = field(default_factory=list)  # the same, with allow_blockers

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind.items()))
        text = (
            f"{self.files} file(s) in {len(self.folders)} folder(s) under {self.out_dir}: "
            f"{self.objects} object(s) ({kinds or 'none'}), {self.patches} patch(es), "
            f"Istio {self.istio_version}"
        )
        if self.warnings:
            text += f"; {len(self.warnings)} warning(s)"
        return text


def export_manifests(
    plan: Plan,
    out_dir: str | Path,
    *,
    options: ManifestOptions | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ManifestReport:
    """Write the plan's manifests under ``out_dir`` (replacing an earlier export there)."""
    report_progress = progress or no_progress
    token = cancel or CancelToken()

    def building(fraction: float, message: str) -> None:
        report_progress(fraction * BUILD_SHARE, message)

    def writing(fraction: float, message: str) -> None:
        report_progress(BUILD_SHARE + fraction * (1 - BUILD_SHARE), message)

    built = build_manifests(plan, options, building, token)
    mset, ctx = built.manifests, built.context
    files = write_manifests(mset, Path(out_dir), writing, token)
    kinds: Counter[str] = Counter()
    for stage in mset.stages.values():
        if stage.step != "rollback":
            for objs in stage.objects.values():
                kinds.update(o["kind"] for o in objs)
    return ManifestReport(
        out_dir=Path(out_dir),
        istio_version=ctx.istio_version,
        api_versions=(ctx.api.networking, ctx.api.security, ctx.api.telemetry),
        folders=[s.folder for s in mset.slots],
        files=files,
        objects=sum(kinds.values()),
        patches=sum(len(s.patches) for s in mset.stages.values() if s.step != "rollback"),
        by_kind=dict(sorted(kinds.items())),
        validated=mset.validator.checked,
        kubernetes_schemas=mset.validator.kubernetes_schemas,
        allow_lists=built.allow_lists,
        warnings=list(mset.warnings),
        left_out=sorted(ctx.left_out),
        blocked_included=sorted(k for k in ctx.blockers if k in ctx.slot_of),
    )
