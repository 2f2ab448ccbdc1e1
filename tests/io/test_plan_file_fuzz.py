"""Hundreds of mutated plan files: each loads, or fails with a PlanFileError; nothing else.

Mutations are made at three levels: the compressed bytes (flips, cuts, splices), the
JSON text inside (recompressed, so the checksum is right), and the JSON document (a
value replaced by one of another type or shape, a field added or removed, an item
duplicated). A file that loads must also save and load back equal.
"""

from __future__ import annotations

import gzip
import random
from typing import Any

import pytest

from tests.strategies import build_plan, pack, unpack
from workbench.domain.plan import Plan
from workbench.io.plan_file import PlanFileError, plan_from_bytes, plan_to_bytes

SEED = 20260315
BASE = plan_to_bytes(build_plan(6, clusters=2, seed=4))


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    op = rng.randrange(5)
    pos = rng.randrange(len(b))
    if op == 0:
        b[pos] ^= 1 << rng.randrange(8)
    elif op == 1:
        del b[pos:]
    elif op == 2:
        b[pos:pos] = rng.randbytes(rng.randint(1, 16))
    elif op == 3:
        del b[pos : pos + rng.randint(1, 64)]
    else:
        for _ in range(rng.randint(2, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def mutate_text(rng: random.Random, data: bytes) -> bytes:
    text = bytearray(gzip.decompress(data))
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(text))
        choice = rng.randrange(3)
        if choice == 0:
            text[pos] = rng.choice(b'{}[]",:0123456789-.eEtfn \\x')
        elif choice == 1:
            del text[pos : pos + rng.randint(1, 8)]
        else:
            text[pos:pos] = rng.choice([b"[", b"{", b'"', b"1e999", b"-", b",", b"null"])
    return gzip.compress(bytes(text), mtime=0)


def nodes(doc: Any, parent: Any = None, key: Any = None) -> list[tuple[Any, Any, Any]]:
    """Every (container, key, value) position in the document."""
    found = [(parent, key, doc)]
    if isinstance(doc, dict):
        for k, v in doc.items():
            found += nodes(v, doc, k)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found += nodes(v, doc, i)
    return found


def random_value(rng: random.Random) -> Any:
    deep: Any = "x"
    for _ in range(rng.randint(1, 200)):
        deep = [deep] if rng.random() < 0.5 else {"k": deep}
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            2**63,
            2**64 - 1,
            -(2**70),
            1.5,
            -0.0,
            1e308,
            "",
            "three",
            "2026-02-30",
            "9999-12-31",
            "c1/ns/Deployment/ghost",
            "\u202e\x00",
            [],
            [1, "a", None],
            {},
            {"name": "x"},
            deep,
        ]
    )


def mutate_document(rng: random.Random, data: bytes) -> bytes:
    doc = unpack(data)
    for _ in range(rng.randint(1, 3)):
        parent, key, value = rng.choice(nodes(doc)[1:])
        op = rng.randrange(5)
        if op <= 1:
            parent[key] = random_value(rng)
        elif op == 2 and isinstance(parent, dict):
            del parent[key]
        elif op == 3 and isinstance(value, dict):
            value[rng.choice(["extra", "_index", "key", "name", "kind"])] = random_value(rng)
        elif isinstance(value, list) and value:
            value.append(rng.choice(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            parent[key] = -value - 1
    return pack(doc)


def outcome(data: bytes) -> str:
    try:
        plan = plan_from_bytes(data, "fuzz.meshplan")
    except PlanFileError as exc:
        message = str(exc)
        assert message.startswith("fuzz.meshplan: ")
        assert "internal error" not in message, message
        return "refused"
    assert isinstance(plan, Plan)
    assert plan_from_bytes(plan_to_bytes(plan)) == plan
    return "loaded"


@pytest.mark.parametrize(
    ("mutate", "count"), [(mutate_bytes, 250), (mutate_text, 150), (mutate_document, 350)]
)
def test_mutated_files_load_or_raise_plan_file_error(mutate: Any, count: int) -> None:
    rng = random.Random(f"{SEED}-{mutate.__name__}")
    results = [outcome(mutate(rng, BASE)) for _ in range(count)]
    assert results.count("refused") > count // 3  # the mutations do reach the checks
