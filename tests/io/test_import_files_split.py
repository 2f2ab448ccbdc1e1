"""A large YAML file read by two processes gives what reading it in one go gives.

The file is cut at a document boundary; each part is read into a builder of its own and
the later builder joins the earlier one. Inventory, warnings (file, document number,
field), counts and their order must not depend on where the cut falls, nor on whether a
worker process read the tail or this process did after all.
"""

from __future__ import annotations

import copy
import pickle
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

import workbench.ops.import_files as import_files_module
from tests.io.estate_objects import inventory_objects
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.manifest_files import ManifestError, ManifestStream
from workbench.io.yaml_stream import YamlError, document_boundary, yaml_documents
from workbench.ops import import_files_split as split
from workbench.ops.generate import generate_estate
from workbench.ops.import_files import ImportOutcome, import_files


@pytest.fixture(autouse=True)
def _workers_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine: a second processor only changes how long the worker takes."""
    monkeypatch.setattr(import_files_module, "can_split", lambda: True)


def _owned(obj: dict[str, Any], i: int) -> list[dict[str, Any]]:
    """A Deployment's ReplicaSet and pods, as ``kubectl get -o yaml`` lists them."""
    if obj["kind"] != "Deployment":
        return []
    name, ns = obj["metadata"]["name"], obj["metadata"]["namespace"]
    labels = obj["spec"]["template"].get("metadata", {}).get("labels", {})
    rs = {
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{name}-7d4b9",
            "namespace": ns,
            "ownerReferences": [{"kind": "Deployment", "name": name, "controller": True}],
        },
        "spec": copy.deepcopy(obj["spec"]),
    }
    pods = [
        {
            "kind": "Pod",
            "metadata": {
                "name": f"{name}-7d4b9-{n}",
                "namespace": ns,
                "labels": {**labels, "pod-template-hash": "7d4b9"},
                "annotations": {"sidecar.istio.io/status": "{}"} if i % 3 == 0 else {},
                "ownerReferences": [{"kind": "ReplicaSet", "name": f"{name}-7d4b9"}],
            },
            "spec": copy.deepcopy(obj["spec"]["template"]["spec"]),
            "status": {"phase": "Succeeded" if n == 2 else "Running", "podIP": f"10.0.{i}.{n}"},
        }
        for n in range(3)
    ]
    return [rs, *pods]


def varied_documents() -> list[Any]:
    """Workloads with their pods, Services and ConfigMaps, and among them what the
    import skips, counts or joins: invalid objects, Secrets, unknown kinds, lists,
    duplicates, namespaces described twice, nodes, bare and static pods, non-objects."""
    inv = generate_estate(40, clusters=1, seed=3).plan.inventory
    docs: list[Any] = []
    for i, obj in enumerate(inventory_objects(inv, next(iter(inv.clusters)))):
        docs.append(obj)
        docs.extend(_owned(obj, i))
        ns = obj["metadata"].get("namespace", "default")
        if i % 7 == 0:
            docs.append({"kind": "Namespace", "metadata": {"name": ns, "labels": {"i": str(i)}}})
            docs.append(
                {"kind": "ServiceAccount", "metadata": {"name": f"sa{i % 4}", "namespace": ns}}
            )
        if i % 9 == 0:
            docs.append(copy.deepcopy(obj))  # the same object again
            docs.append({"kind": "Secret", "metadata": {"name": f"s{i}"}, "data": {"k": "djE="}})
        if i % 11 == 0:
            bad = copy.deepcopy(obj)
            if bad["kind"] == "Deployment":
                bad["spec"]["replicas"] = "three"
            elif bad["kind"] == "Service":
                bad["spec"]["ports"] = [{"port": 70000}]
            else:
                bad["metadata"]["name"] = 7
            docs.extend([bad, None, "a note", {"kind": "Widget", "metadata": {"name": f"w{i}"}}])
        if i % 13 == 0:
            node = {
                "kind": "Node",
                "metadata": {"name": f"node-{i}"},
                "status": {
                    "allocatable": {"cpu": "4", "memory": "16Gi"},
                    "nodeInfo": {"kubeletVersion": f"v1.3{i % 4}.2", "osImage": "Linux"},
                },
            }
            docs.append(node)
            docs.extend(_policies(i, ns))
            docs.append({"kind": "LimitRange", "metadata": {"name": f"lr{i}", "namespace": ns}})
            docs.append({"kind": "ResourceQuota", "metadata": {"name": f"q{i}", "namespace": ns}})
            docs.append(
                {"kind": "PodList", "items": [{"metadata": {"name": f"bare-{i}", "namespace": ns}}]}
            )
            docs.append(
                {
                    "kind": "Pod",
                    "metadata": {
                        "name": f"static-{i}",
                        "namespace": ns,
                        "ownerReferences": [{"kind": "Node", "name": f"node-{i}"}],
                    },
                }
            )
    # objects read again far from where they were first: the copy read last is kept
    docs.extend(copy.deepcopy(d) for d in docs[:40] if isinstance(d, dict))
    return docs


def _policies(i: int, ns: str) -> list[dict[str, Any]]:
    meta = {"name": f"p{i}", "namespace": ns}
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    return [
        {
            "kind": "HorizontalPodAutoscaler",
            "metadata": meta,
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}},
        },
        {
            "kind": "NetworkPolicy",
            "metadata": meta,
            "spec": {"ingress": [{"ports": [{"port": 80}]}]},
        },
        {
            "kind": "Ingress",
            "metadata": meta,
            "spec": {"rules": [{"host": "a.example", "http": {"paths": [{"backend": backend}]}}]},
        },
        {
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": f"hook{i}"},
            "webhooks": [
                {"name": "v", "clientConfig": {"service": {"name": "web", "namespace": ns}}}
            ],
        },
        {"kind": "PeerAuthentication", "metadata": meta, "spec": {"mtls": {"mode": "STRICT"}}},
        {"kind": "ServiceMonitor", "metadata": meta, "spec": {"endpoints": [{"port": "http"}]}},
        {"kind": f"ConfigMap{'' if i % 2 else 'List'}", "metadata": {"namespace": ns}},
    ]


def _dump(docs: list[Any]) -> str:
    return yaml.safe_dump_all(docs, sort_keys=False)


def _same(a: ImportOutcome, b: ImportOutcome) -> None:
    for outcome in (a, b):
        outcome.plan.meta.created = outcome.plan.meta.modified = ""
    assert repr(a) == repr(b)  # order included: dicts compare equal in any order


@pytest.fixture(scope="module")
def estate_text() -> str:
    return _dump(varied_documents())


@pytest.fixture
def estate_path(tmp_path: Path, estate_text: str) -> str:
    path = tmp_path / "estate.yaml"
    path.write_text(estate_text)
    return str(path)


def test_the_documents_of_a_cut_stream_are_those_of_the_whole() -> None:
    data = (
        b"\xef\xbb\xbfkind: A\n---\n---\nkind: B\nmeta: &m {a: 1}\nref: *m\n"
        b"--- # a comment\nkind: C\n---\n...\n---\nkind: D\n"
    )
    whole = list(yaml_documents(data))
    cuts = [at for at in range(len(data)) if document_boundary(data, at) == at]
    assert len(cuts) == 5
    for at in cuts:
        line = 1 + data.count(b"\n", 0, at)
        head = list(yaml_documents(data, end=at))
        tail = list(yaml_documents(data, start=at, first_line=line))
        assert head + tail == whole
        assert list(yaml_documents(data[at:], first_line=line)) == tail


def test_an_error_in_the_tail_names_the_line_of_the_whole_file() -> None:
    data = b"kind: A\n---\nkind: B\n---\nkind: C\nbad: [\n"
    with pytest.raises(YamlError) as whole:
        list(yaml_documents(data))
    at = document_boundary(data, 10)
    with pytest.raises(YamlError) as tail:
        list(yaml_documents(data[at:], first_line=1 + data.count(b"\n", 0, at)))
    assert "line 7" in str(whole.value)
    assert str(tail.value) == str(whole.value)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.35, 0.5, 0.8, 0.97])
def test_builders_of_the_two_parts_join_into_the_builder_of_the_whole(
    tmp_path: Path, estate_text: str, share: float
) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(estate_text)

    def read(
        stream_share: float | None,
    ) -> tuple[InventoryBuilder, list[tuple[int, str]], list[str]]:
        notes: list[tuple[int, str]] = []
        stream = ManifestStream(str(path))
        builder = InventoryBuilder("c1")
        tail = stream.split_off(0, stream_share) if stream_share is not None else None
        reader = split.ObjectReader(builder, lambda n, text: notes.append((n, text)))
        reader.read(stream)
        if tail is not None:
            offset = stream.tally.documents
            # the worker's outcome travels by pickle: read it here, then take it the same way
            outcome = pickle.loads(pickle.dumps(split.read_tail(tail, "c1", "default")))
            assert outcome.error is None
            builder.absorb(outcome.builder)
            notes.extend((n + offset, text) for n, text in outcome.problems)
            stream.finish(outcome.tally)
        return builder, notes, stream.warnings

    whole_builder, whole_notes, whole_warnings = read(None)
    cut_builder, cut_notes, cut_warnings = read(share)
    assert cut_notes == whole_notes and len(whole_notes) > 3
    assert cut_warnings == whole_warnings and whole_warnings
    assert repr(cut_builder.result()) == repr(whole_builder.result())


def test_a_file_read_by_two_processes_imports_as_read_in_one(
    estate_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = import_files([estate_path])
    started: list[split.TailReader] = []
    original = split.TailReader.__init__

    def counted(self: split.TailReader, *args: Any) -> None:
        original(self, *args)
        started.append(self)

    monkeypatch.setattr(split.TailReader, "__init__", counted)
    monkeypatch.setattr(import_files_module, "SPLIT_BYTES", 0)
    together = import_files([estate_path])
    assert len(started) == 1  # a worker did read the tail
    assert any("document" in w and "skipped" in w for w in alone.warnings)
    _same(alone, together)


def test_without_the_worker_s_answer_the_tail_is_read_here(
    estate_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = import_files([estate_path])
    monkeypatch.setattr(import_files_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(split.TailReader, "outcome", lambda self, cancel: None)
    _same(alone, import_files([estate_path]))


def test_without_a_worker_process_the_tail_is_read_here(
    estate_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = import_files([estate_path])

    def no_process(self: Any) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(import_files_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(split.multiprocessing.get_context("spawn").Process, "start", no_process)
    _same(alone, import_files([estate_path]))


@pytest.mark.parametrize("explicit", [True, False])
def test_an_unreadable_document_in_the_tail_ends_the_file_as_in_one_go(
    tmp_path: Path, estate_text: str, monkeypatch: pytest.MonkeyPatch, explicit: bool
) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    path = folder / "estate.yaml"
    path.write_text(estate_text + "---\nkind: ConfigMap\nmetadata: {name: [\n")
    target = str(path) if explicit else str(folder)

    def run() -> ImportOutcome | str:
        try:
            return import_files([target])
        except ManifestError as exc:
            return str(exc)

    alone = run()
    monkeypatch.setattr(import_files_module, "SPLIT_BYTES", 0)
    monkeypatch.setattr(import_files_module, "OWN_SHARE", 0.3)
    together = run()
    if explicit:
        assert isinstance(alone, str) and "not valid YAML at line" in alone
        assert together == alone
    else:
        assert isinstance(alone, ImportOutcome) and isinstance(together, ImportOutcome)
        assert any(w.startswith("skipped") for w in alone.warnings)
        assert alone.plan.inventory.workloads  # what came before the error is kept
        _same(alone, together)


def test_cancel_while_the_worker_reads_stops_it(estate_path: str) -> None:
    stream = ManifestStream(estate_path)
    tail = stream.split_off(0, 0.5)
    assert tail is not None
    worker = split.TailReader(tail, InventoryBuilder("c1"))
    cancel = CancelToken()
    cancel.cancel()
    try:
        with pytest.raises(JobCancelled):
            worker.outcome(cancel)
    finally:
        worker.stop()
    assert not worker.alive()


def test_small_json_and_unsplittable_files_are_not_cut(tmp_path: Path, estate_text: str) -> None:
    yaml_path = tmp_path / "estate.yaml"
    yaml_path.write_text(estate_text)
    assert ManifestStream(str(yaml_path)).split_off(len(estate_text) + 1, 0.5) is None
    json_path = tmp_path / "estate.json"
    json_path.write_text('{"kind": "List", "items": []}\n---\n')
    assert ManifestStream(str(json_path)).split_off(0, 0.5) is None
    one = tmp_path / "one.yaml"
    one.write_text("kind: ConfigMap\nmetadata: {name: a}\n")  # no boundary after the start
    assert ManifestStream(str(one)).split_off(0, 0.5) is None


def test_a_main_script_without_its_guard_is_read_in_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "script.py"
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    script.write_text("from workbench.ops.import_files import import_files\nimport_files(['x'])\n")
    assert not split.main_is_guarded()
    script.write_text("import sys\n\nif __name__ == '__main__':\n    sys.exit(0)\n")
    assert split.main_is_guarded()
    del fake_main.__file__  # python -c, an interactive session
    assert split.main_is_guarded()


@pytest.mark.parametrize(
    ("cpus", "load", "daemon", "expected"),
    [(2, 0.3, False, True), (2, 3.7, False, False), (1, 0.0, False, False), (4, 0.3, True, False)],
)
def test_a_worker_is_started_only_beside_a_free_processor(
    monkeypatch: pytest.MonkeyPatch, cpus: int, load: float, daemon: bool, expected: bool
) -> None:
    monkeypatch.setattr(split.os, "sched_getaffinity", lambda pid: set(range(cpus)), raising=False)
    monkeypatch.setattr(split.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(split.multiprocessing.current_process(), "daemon", daemon)
    monkeypatch.setattr(split, "main_is_guarded", lambda: True)
    assert split.can_split() is expected
