"""The namespaces of the chosen kubeconfig contexts, for the cluster import's filter."""

from __future__ import annotations

import os
from collections.abc import Sequence

from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import SYSTEM_NAMESPACES
from workbench.domain.jobs import CancelToken, Progress
from workbench.io.cluster_api import ClusterApi, ReadOptions
from workbench.io.kubeconfig import load_kubeconfig


def list_namespaces(
    contexts: Sequence[str],
    kubeconfig: str | os.PathLike[str] | None,
    progress: Progress,
    cancel: CancelToken,
) -> dict[str, list[str]]:
    """Context name -> its namespace names, sorted; raises a WorkbenchError naming the
    context and server that could not be read."""
    config = load_kubeconfig(kubeconfig)
    found: dict[str, list[str]] = {}
    chosen = config.select(contexts)
    for i, ctx in enumerate(chosen):
        cancel.check("listing namespaces")
        progress(i / max(1, len(chosen)), f"{ctx.name}: listing namespaces")
        api = ClusterApi(config, ctx, ReadOptions(), cancel.is_cancelled)
        try:
            doc = api.get("/api/v1/namespaces")
        except WorkbenchError:
            raise
        except Exception as exc:  # an HTTP status the reader leaves to its callers
            raise WorkbenchError(
                f"cannot list the namespaces of context {ctx.name!r} at {ctx.server}: {exc}"
            ) from None
        finally:
            api.close()
        items = doc.get("items") or []
        found[ctx.name] = sorted(
            str(item["metadata"]["name"])
            for item in items
            if isinstance(item, dict) and isinstance(item.get("metadata"), dict)
        )
    progress(1.0, "namespaces listed")
    return found


def chosen_namespaces(listed: dict[str, list[str]], include_system: bool) -> list[str]:
    """Every listed namespace, system namespaces only when asked for."""
    names = sorted({n for names in listed.values() for n in names})
    return [n for n in names if include_system or n not in SYSTEM_NAMESPACES]
