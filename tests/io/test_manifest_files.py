"""Reading manifests: formats, folders, and hostile input refused with one clear error."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from workbench.io.manifest_files import (
    LoadLimits,
    ManifestError,
    load_manifest_file,
    load_manifests,
)

DEPLOY = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{n}: &{n} [{','.join(['*' + p] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def test_kubectl_json_list(tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [DEPLOY]}))
    loaded = load_manifest_file(str(path))
    assert loaded.objects[0]["kind"] == "List" and loaded.warnings == []


def test_multi_document_helm_output(tmp_path: Path) -> None:
    path = tmp_path / "rendered.yaml"
    path.write_text(
        "---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\n"
        "metadata: {name: web}\n---\n# Source: chart/templates/empty.yaml\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
    )
    kinds = [o["kind"] for o in load_manifest_file(str(path)).objects]
    assert kinds == ["Service", "Deployment"]


def test_concatenated_json_documents(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps(DEPLOY) + "\n" + json.dumps({**DEPLOY, "kind": "Service"}))
    assert len(load_manifest_file(str(path)).objects) == 2


def test_folders_are_walked_and_unusable_files_there_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "web.yml").write_text("kind: Deployment\nmetadata: {name: web}\n")
    (tmp_path / "a" / "values.yaml").write_text("replicas: 3\n")
    (tmp_path / "a" / "tpl.yaml").write_text("kind: {{ .Values.kind\n")
    (tmp_path / "README.md").write_text("# not a manifest")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("kind: Secret\nmetadata: {name: s}\n")
    loaded = list(load_manifests([str(tmp_path)]))
    assert sum(len(f.objects) for f in loaded) == 1
    warnings = [w for f in loaded for w in f.warnings]
    assert len(warnings) == 2 and all(w.startswith("skipped ") for w in warnings)
    assert any("not Kubernetes objects" in w for w in warnings)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    started = time.monotonic()
    with pytest.raises(ManifestError, match="alias bomb") as err:
        load_manifest_file(str(path))
    assert time.monotonic() - started < 2
    assert str(path) in str(err.value)


def test_ordinary_anchors_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text(
        "kind: Deployment\nmetadata: {name: w, labels: &l {app: w}}\n"
        "spec: {template: {metadata: {labels: *l}}}\n"
    )
    assert load_manifest_file(str(path)).objects[0]["spec"]["template"]["metadata"]["labels"] == {
        "app": "w"
    }


def test_stars_stay_on_the_fast_parser_and_an_alias_without_anchor_is_an_error(
    tmp_path: Path,
) -> None:
    from workbench.io.yaml_stream import needs_reference

    cron = (
        b"kind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '0 * * * *'\n"
        b'  note: |\n    {"schedule": "*/5 * * * *"}\n'
    )
    assert not needs_reference(cron)  # a cron schedule is no alias
    path = tmp_path / "cron.yaml"
    path.write_bytes(cron + b"---\nkind: X\nmetadata: {name: x}\nspec: *nowhere\n")
    with pytest.raises(ManifestError, match="line 10") as err:  # the reference's error
        load_manifest_file(str(path))
    assert "nowhere" not in str(err.value)  # and no content quoted
    path.write_bytes(cron)
    [obj] = load_manifest_file(str(path)).objects
    assert obj["spec"]["note"] == '{"schedule": "*/5 * * * *"}\n'


@pytest.mark.parametrize(
    ("chunk", "reference"),
    [
        (b"kind: X\nmetadata: {name: x}\nnote: a < b\n", False),
        (b"kind: X\nmetadata: {name: x}\n<<: {a: 1}\n", True),
        (b"kind: X\nmetadata: {name: x}\nratio: 50%\n", False),
        (b"%YAML 1.2\n---\nkind: X\n", True),
        (b"kind: X\n%TAG ! tag:x,2000:\n", True),
        (b"kind: X\nnote: ...\n", False),
        (b"...\nkind: X\n", True),
        (b"kind: X\n...\n", True),
        (b"kind: X\nnote: wow!\nand: a&b\n", False),
        (b"kind: !tag X\n", True),
        (b"kind: X\nmeta: &m {name: x}\n", True),
    ],
)
def test_documents_needing_the_reference_parser(chunk: bytes, reference: bool) -> None:
    from workbench.io.yaml_stream import needs_reference

    assert needs_reference(chunk) is reference


def test_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rec.yaml"
    path.write_text("kind: X\nmetadata: &m {name: x, self: *m}\n")
    with pytest.raises(ManifestError, match="refers to itself"):
        load_manifest_file(str(path))


def test_two_gigabyte_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: no disk used
    started = time.monotonic()
    with pytest.raises(ManifestError, match="larger than the 256 MiB limit"):
        load_manifest_file(str(path))
    assert time.monotonic() - started < 1


def test_small_limit_applies_to_streams_too(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("kind: Deployment\nmetadata: {name: w}\n" * 100)
    with pytest.raises(ManifestError, match="limit"):
        load_manifest_file(str(path), LoadLimits(max_file_bytes=1000))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no size, no end: refused from its type, without waiting for a writer
    with pytest.raises(ManifestError, match="a named pipe, not a file"):
        load_manifest_file(str(fifo), LoadLimits(max_file_bytes=1000))


@pytest.mark.parametrize("limit", [None, 1500])
def test_a_file_that_grows_while_it_is_read_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    import workbench.io.manifest_files as manifest_files

    path = tmp_path / "x.yaml"
    path.write_text("---\nkind: Deployment\nmetadata: {name: w}\n" * 40)  # 1,560 bytes
    real_fstat = os.fstat

    def earlier_size(fd: int) -> os.stat_result:  # the size taken before more was written
        info = list(real_fstat(fd))
        info[6] = 1000  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(manifest_files.os, "fstat", earlier_size)
    limits = LoadLimits(max_file_bytes=limit) if limit else LoadLimits()
    if limit is None:
        assert len(load_manifest_file(str(path), limits).objects) == 40
    else:
        with pytest.raises(ManifestError, match="larger than the 0 MiB limit"):
            load_manifest_file(str(path), limits)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("package.json", '{"name": "x", "version": "1.0"}', "not Kubernetes objects"),
        ("list.json", "[1, 2, 3]", "not Kubernetes objects"),
        ("broken.json", '{"kind": "Deployment",', "not valid JSON at line 1"),
        ("tags.yaml", "a: !!python/object/apply:os.system [ls]\n", "not valid YAML"),
        ("tabs.yaml", "kind: X\n\tbad: 1\n", "not valid YAML at line 2"),
        ("deep.yaml", "x: " + "[" * 5000, "not valid YAML"),
        ("empty.yaml", "", "not Kubernetes objects"),
    ],
)
def test_input_that_is_not_kubernetes_gives_one_clear_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ManifestError, match=message) as err:
        load_manifest_file(str(path))
    assert str(err.value).startswith(str(path))
    assert "\n" not in str(err.value)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such file"):
        list(load_manifests([str(tmp_path / "nope.yaml")]))
    with pytest.raises(ManifestError, match=r"holds no \.yaml"):
        list(load_manifests([str(tmp_path)]))
