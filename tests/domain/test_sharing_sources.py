"""A copy with hidden names hides what imports record beyond the inventory's names: pod
and Service IPs, the files captures and edge lists were read from, Ingress hosts and
paths; and every address comes back exactly with the key."""

from __future__ import annotations

import ipaddress
import re
import zlib
from pathlib import Path

import pytest

from workbench.domain.dependencies import Observation
from workbench.domain.inventory import Ingress, IngressRule
from workbench.domain.merge import add_edges
from workbench.domain.plan import Plan
from workbench.domain.sharing.hide import estate_words, hide_names, restore_names, restorer_for
from workbench.domain.sharing.words import source_words
from workbench.io.edges_csv import edges_from_csv, edges_to_csv
from workbench.io.plan_file import plan_to_bytes
from workbench.io.runtime.emit import EmitSettings, assign_pod_ips, emit_hubble
from workbench.ops.generate import generate_estate
from workbench.ops.runtime_import import import_runtime

KEY = b"0123456789abcdef0123456789abcdef"
CAPTURE = "acmecorp-payroll-flows.json"
CSV_PATH = "/home/bobsmith/quokka-exports/edges.csv"
HOST, PATH = "shopfront.zorblax.example", "/checkout/basket"
TRUST_DOMAIN = "mesh.wombatbank.example"
BARE_SOURCE = "zipkin numbatland-export"  # a capture named without path or extension
SECRET_WORDS = (
    "acmecorp",
    "payroll",
    "bobsmith",
    "quokka",
    "shopfront",
    "zorblax",
    "checkout",
    "wombatbank",
    "numbatland",
)


def _json(plan: Plan) -> str:
    return zlib.decompress(plan_to_bytes(plan), 16 + zlib.MAX_WBITS).decode()


def _addresses(plan: Plan) -> set[str]:
    inv = plan.inventory
    pods = {ip for w in inv.workloads.values() for ip in w.pod_ips}
    return pods | {ip for s in inv.services.values() for ip in s.cluster_ips}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """A generated estate with pod IPs, a Hubble capture and a CSV edge list imported,
    Service IPs and an Ingress with a host and a path."""
    folder: Path = tmp_path_factory.mktemp("alice-laptop")
    estate = generate_estate(40, 1, seed=3)
    assign_pod_ips(estate.plan.inventory)
    capture = folder / CAPTURE
    with open(capture, "wb") as out:
        settings = EmitSettings(days=1, noise=0, calls_per_edge=1, seed=1)
        emit_hubble(estate.plan.inventory, estate.truth, out, settings)
    plan = import_runtime(estate.plan, [str(capture)]).plan
    inv = plan.inventory
    services = list(inv.services.values())
    for i, svc in enumerate(services):
        svc.cluster_ips = [f"10.96.{i}.{i + 7}", f"fd00:10:96::{i + 10:x}"]  # dual stack
    svc = services[0]
    rule = IngressRule(HOST, PATH, "Prefix", svc.name, 80)
    inv.ingresses.append(
        Ingress(svc.cluster, svc.namespace, "storefront", None, [svc.name], {}, [rule])
    )
    listed = edges_from_csv(edges_to_csv(plan.dependencies), inv, source=CSV_PATH)
    add_edges(plan.dependencies, listed.edges)
    plan.mesh.trust_domain = TRUST_DOMAIN
    seen = sorted(inv.workloads)[:3]
    plan.dependencies.observations.append(Observation("zipkin", BARE_SOURCE, workloads=seen))
    return plan


def test_the_estate_records_what_must_be_hidden(imported: Plan) -> None:
    data = _json(imported)
    assert len(_addresses(imported)) > 100
    for word in SECRET_WORDS:
        assert word in data, word
    assert any(CAPTURE in o.detail for o in imported.dependencies.observations)


def test_a_hidden_copy_holds_no_address_file_name_or_ingress_host(imported: Plan) -> None:
    hidden = hide_names(imported, KEY)
    data = _json(hidden)
    left = [w for w in SECRET_WORDS if w in data.lower()]
    assert left == []
    addresses = _addresses(imported)
    shown = sorted(a for a in addresses if re.search(rf"(?<![\d.]){re.escape(a)}(?![\d])", data))
    assert shown == []
    hidden_v6 = [ip for s in hidden.inventory.services.values() for ip in s.cluster_ips[1:]]
    assert all(
        ipaddress.IPv6Address(ip) in ipaddress.IPv6Network("fd00:10::/32") for ip in hidden_v6
    )
    assert len(set(hidden_v6)) == len(hidden_v6)
    # the hidden addresses keep their network and stay told apart
    hidden_pods = [ip for w in hidden.inventory.workloads.values() for ip in w.pod_ips]
    assert len(set(hidden_pods)) == len(hidden_pods)
    assert all(ip.startswith("10.") for ip in hidden_pods)
    rule = hidden.inventory.ingresses[-1].rules[0]
    assert rule.host != HOST and rule.path.startswith("/h")
    assert rule.path_type == "Prefix"  # vocabulary the manifests read, not a name
    bare = hidden.dependencies.observations[-1].detail
    assert bare.startswith("zipkin h") and bare != BARE_SOURCE  # the source kind stays
    assert (
        hidden.mesh.trust_domain.startswith("mesh.h") and hidden.mesh.trust_domain.count(".") == 2
    )


def test_the_hex_groups_of_ipv6_addresses_are_not_words_to_hide(imported: Plan) -> None:
    hidden_words = estate_words(imported)
    assert "fd00" not in hidden_words and "a" not in hidden_words


def test_names_addresses_and_file_names_come_back_with_the_key(imported: Plan) -> None:
    hidden = hide_names(imported, KEY)
    assert restore_names(hidden, KEY, restorer_for([imported], KEY)) == imported


def test_thousands_of_pod_ips_hide_without_two_alike_and_come_back() -> None:
    """Two bytes of hash per address would make some meet among thousands; they must not."""
    plan = generate_estate(900, 1, seed=5).plan
    assign_pod_ips(plan.inventory)
    pods = [ip for w in plan.inventory.workloads.values() for ip in w.pod_ips]
    assert len(pods) > 2000
    hidden = hide_names(plan, KEY)
    hidden_pods = [ip for w in hidden.inventory.workloads.values() for ip in w.pod_ips]
    assert len(set(hidden_pods)) == len(pods)
    assert not set(hidden_pods) & set(pods)
    back = restore_names(hidden, KEY, restorer_for([plan], KEY))
    assert [ip for w in back.inventory.workloads.values() for ip in w.pod_ips] == pods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hubble acmecorp-payroll-flows.json", ["acmecorp", "payroll", "flows", "json"]),
        (f"{CSV_PATH} row 3", ["home", "bobsmith", "quokka", "exports", "edges", "csv"]),
        (
            "http://kiali.corp.example:20001/api: a -> b",
            ["http", "kiali", "corp", "example", "20001", "api"],
        ),
        ("C:\\Users\\carol\\flows.jsonl", ["C", "Users", "carol", "flows", "jsonl"]),
        ("env PAYMENTS_URL in Deployment shop/payments", []),
        ("TCP/UDP and/or a -> b", []),
    ],
)
def test_the_files_and_urls_in_evidence_are_found(text: str, expected: list[str]) -> None:
    assert source_words(text) == expected
