"""A copy with hidden names: no name of the estate left, and every figure unchanged."""

from __future__ import annotations

import copy
import re
import typing
import zlib
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from tests.conftest import require
from workbench.domain.plan import Plan
from workbench.domain.sharing.hide import (
    SharingError,
    estate_words,
    hide_names,
    restore_names,
    restorer_for,
)
from workbench.domain.sharing.names import NameHasher, key_id
from workbench.domain.sharing.words import is_public, is_well_known_key, words
from workbench.io.plan_file import load_plan, plan_to_bytes
from workbench.ops.check import check_plan
from workbench.ops.summary import plan_summary

KEY = b"0123456789abcdef0123456789abcdef"


def _model_fields(cls: type, seen: set[str]) -> set[str]:
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        seen.add(f.name)
        for arg in [hints[f.name], *typing.get_args(hints[f.name])]:
            for inner in [arg, *typing.get_args(arg)]:
                if is_dataclass(inner) and isinstance(inner, type) and inner.__name__ not in seen:
                    seen.add(inner.__name__)
                    _model_fields(inner, seen)
    return seen


MODEL_FIELDS = _model_fields(Plan, set())


def estate_names(plan: Plan) -> set[str]:
    """Every name of the estate a hidden copy must not contain."""
    inv = plan.inventory
    names: set[str] = set(inv.clusters)
    for ns in inv.namespaces.values():
        names.add(ns.name)
        names.update(ns.service_accounts)
    for w in inv.workloads.values():
        names.update({w.name, w.service_account})
        for c in [*w.containers, *w.init_containers]:
            names.update({c.name, c.image})
            names.update(v for v in c.env.values() if v)
        names.update(w.config_addresses.values())
        names.update(v for k, v in w.labels.items() if not is_well_known_key(k))
        names.update(v for k, v in w.annotations.items() if not is_well_known_key(k))
    for s in inv.services.values():
        names.add(s.name)
        names.update(v for k, v in s.selector.items() if not is_well_known_key(k))
    # A name made only of public words (kube-system, default, redis) names no estate.
    return {n for n in names if n and not all(is_public(w) for w in words(n))}


def _decompressed(plan: Plan) -> bytes:
    return zlib.decompress(plan_to_bytes(plan), 16 + zlib.MAX_WBITS)


def _estates(sample_plan_path: Path, shared_dir: Path) -> list[tuple[str, Plan]]:
    from workbench.ops.generate import generate_plan
    from workbench.ops.import_files import import_files

    out = [("sample", load_plan(sample_plan_path)), ("generated", generate_plan(300, 2, seed=7))]
    for estate in ("sock-shop", "bookinfo"):
        manifests = shared_dir / "corpora" / estate / "manifests"
        require(manifests.is_dir(), f"the {estate} manifests at {manifests}")
        out.append((estate, import_files([str(manifests)]).plan))
    return out


@pytest.fixture(scope="module")
def estates(sample_plan_path: Path, shared_dir: Path) -> list[tuple[str, Plan]]:
    return _estates(sample_plan_path, shared_dir)


def test_a_hidden_copy_contains_no_name_of_the_estate(estates: list[tuple[str, Plan]]) -> None:
    for label, plan in estates:
        names = estate_names(plan)
        assert len(names) > 5, label
        data = _decompressed(hide_names(plan, KEY))
        # The model's own field names ("inventory", "services") are JSON keys, not names.
        for f in MODEL_FIELDS:
            data = data.replace(b'"' + f.encode() + b'":', b'"":')
        left = sorted(
            n
            for n in names
            if re.search(rb"(?<![A-Za-z0-9_])" + re.escape(n.encode()) + rb"(?![A-Za-z0-9_])", data)
        )
        assert left == [], f"{label}: {left[:10]}"
        assert KEY not in data and KEY.hex().encode() not in data


Row = tuple[str, str, tuple[str, ...]]


def _finding_rows(plan: Plan, hide: NameHasher | None) -> list[Row]:
    """(rule, severity, the items in name order) of every finding: which item of a group
    is named first (a cycle's, say) may follow the names' order."""

    def h(key: str) -> str:
        return hide.text(key) if hide else key

    return sorted(
        (f.rule, f.severity, tuple(sorted(h(i) for i in f.items)))
        for f in check_plan(plan).findings
    )


def test_a_hidden_copy_has_the_same_counts_findings_and_economics(
    estates: list[tuple[str, Plan]],
) -> None:
    for label, plan in estates:
        hidden = hide_names(plan, KEY)
        before, after = plan_summary(plan), plan_summary(hidden)
        for field in before:
            if field != "title":
                assert before[field] == after[field], f"{label}: {field}"
        hasher = NameHasher(KEY, estate_words(plan))
        assert _finding_rows(hidden, None) == _finding_rows(plan, hasher), label
        edges = {(hasher.text(a), hasher.text(b)) for a, b in plan.dependencies.edges}
        assert set(hidden.dependencies.edges) == edges, label


def test_names_come_back_with_the_key(estates: list[tuple[str, Plan]]) -> None:
    for label, plan in estates:
        hidden = hide_names(plan, KEY)
        assert hidden.sharing.hidden_key_id == key_id(KEY)
        back = restore_names(hidden, KEY, restorer_for([plan], KEY))
        assert back == plan, label


def test_the_wrong_key_is_refused_by_id(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    hidden = hide_names(plan, KEY)
    other = b"another key of enough length....."
    with pytest.raises(SharingError, match="another key"):
        restore_names(hidden, other, restorer_for([plan], other))
    with pytest.raises(SharingError, match="hidden already"):
        hide_names(hidden, KEY)


def test_hiding_leaves_the_original_alone_and_is_deterministic(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    before = copy.deepcopy(plan)
    one, two = hide_names(plan, KEY), hide_names(plan, KEY)
    assert plan == before
    assert plan_to_bytes(one) == plan_to_bytes(two)
    assert plan_to_bytes(hide_names(plan, KEY[::-1])) != plan_to_bytes(one)


def test_wave_names_with_a_hidden_name_are_hidden_whole(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    hidden = hide_names(plan, KEY)
    for real, copy_ in zip(plan.schedule.waves, hidden.schedule.waves, strict=True):
        hidden_words = estate_words(plan)
        if any(w.lower() in hidden_words and not is_public(w) for w in words(real.name)):
            assert copy_.name != real.name and " " not in copy_.name
        else:
            assert copy_.name == real.name
