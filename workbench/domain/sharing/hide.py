"""A copy of a plan with every name of the estate replaced by a keyed hash, and back.

What is hidden: the words of every cluster, namespace, workload, Service, ServiceAccount,
container, image, label and annotation value (and the keys of labels outside the
Kubernetes and Istio domains), environment variable, address, host and object name found
in the inventory and the dependencies, of the files and URLs evidence was read from
(capture and CSV file names) and of the mesh's trust domain and root namespace, wherever
those words appear in the plan (keys, wave members, comment targets and text, notes,
evidence). IPv4 addresses (pod and Service IPs among them) keep their first two octets.
Wave, phase and activity names and the plan title that contain a hidden word are
replaced as a whole. Counts, the graph, the findings, the schedule and the economics of
the copy equal the original's; the key never enters the copy (only its id does).
"""

from __future__ import annotations

import copy

from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.domain.sharing.addresses import addresses_in, without_addresses
from workbench.domain.sharing.names import NameHasher, NameRestorer, key_id
from workbench.domain.sharing.walk import (
    MESH_NAMES,
    Visitor,
    walk_beyond_estate,
    walk_plan,
    walked_copy,
)
from workbench.domain.sharing.words import is_public, is_well_known_key, source_words, words


class SharingError(WorkbenchError, ValueError):
    """A copy that cannot be hidden or brought back (wrong key, not a hidden copy ...)."""


def _identifiers(plan: Plan) -> frozenset[str]:
    """Whole names a well-known label may hold as its value (``app: payments``)."""
    inv = plan.inventory
    out: set[str] = set(inv.clusters)
    out.update(ns.name for ns in inv.namespaces.values())
    out.update(w.name for w in inv.workloads.values())
    out.update(w.service_account for w in inv.workloads.values())
    out.update(s.name for s in inv.services.values())
    for ns in inv.namespaces.values():
        out.update(ns.service_accounts)
    return frozenset(out)


def _survey(plan: Plan, *, addresses: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The words (lowercase) that name something of the estate, and (when asked) every
    IP address in the plan: what a copy hides."""
    found: set[str] = set()
    ips: set[str] = set()
    ids = _identifiers(plan)

    def collect(role: str, text: str, label_key: str) -> str:
        if role in ("name", "whole", "label_key", "source"):
            if role != "label_key" or not is_well_known_key(text):
                found.update(words(without_addresses(text)))
        elif role == "label_value" and (not is_well_known_key(label_key) or text in ids):
            found.update(words(without_addresses(text)))
        elif role == "free":
            found.update(source_words(text))  # files and URLs evidence was read from
        if addresses and ("." in text or ":" in text):
            ips.update(addresses_in(text))
        return text

    def address(role: str, text: str, label_key: str) -> str:
        if "." in text or ":" in text:
            ips.update(addresses_in(text))
        return text

    walk_plan(plan, collect, estate_only=True)  # reading visitors change nothing
    for name in MESH_NAMES:
        found.update(words(getattr(plan.mesh, name)))
    if addresses:
        walk_beyond_estate(plan, address)
    return frozenset(w.lower() for w in found if not is_public(w)), frozenset(ips)


def estate_words(plan: Plan) -> frozenset[str]:
    """The words (lowercase) that name something of the estate, or of the files and
    addresses its evidence was read from: what a copy hides."""
    return _survey(plan, addresses=False)[0]


def plan_hasher(plan: Plan, key: bytes) -> NameHasher:
    """The hasher that hides ``plan``'s names and addresses under ``key``."""
    hidden, addresses = _survey(plan, addresses=True)
    return NameHasher(key, hidden, addresses)


def _hider(hasher: NameHasher, ids: frozenset[str]) -> Visitor:
    def hide(role: str, text: str, label_key: str) -> str:
        if role == "whole":
            hidden = hasher.text(text)
            return text if hidden == text else hasher.whole(text)
        if role == "label_key":
            return text if is_well_known_key(text) else hasher.text(text)
        if role == "label_value" and is_well_known_key(label_key) and text not in ids:
            return text
        return hasher.text(text)

    return hide


def hide_names(plan: Plan, key: bytes) -> Plan:
    """A copy of ``plan`` whose names are hidden under ``key``; ``plan`` is unchanged."""
    if plan.sharing.hidden_key_id:
        raise SharingError("the plan's names are hidden already")
    if len(key) < 16:
        raise SharingError("the key for hiding names must be at least 16 bytes")
    hasher = plan_hasher(plan, key)
    out = walked_copy(plan, _hider(hasher, _identifiers(plan)))
    out.sharing.hidden_key_id = key_id(key)
    return out


def _texts(plan: Plan) -> tuple[list[str], list[str]]:
    """Every text of a plan the walk visits: (texts, whole names)."""
    texts: list[str] = []
    wholes: list[str] = []

    def learn(role: str, text: str, label_key: str) -> str:
        (wholes if role == "whole" else texts).append(text)
        return text

    walk_plan(plan, learn)  # a reading visitor changes nothing
    return texts, wholes


def restorer_for(real_plans: list[Plan], key: bytes) -> NameRestorer:
    """The way back from hashes to the names of ``real_plans`` (plans with real names)."""
    restorer = NameRestorer()
    for plan in real_plans:
        if plan.sharing.hidden_key_id:
            continue
        texts, wholes = _texts(plan)
        restorer.learn(plan_hasher(plan, key), texts, wholes)
    return restorer


def restore_names(
    plan: Plan, key: bytes, restorer: NameRestorer, *, in_place: bool = False
) -> Plan:
    """A copy of a hidden ``plan`` (or ``plan`` itself, ``in_place``) with the real names
    back, as far as ``restorer`` knows them; raises when it was hidden under another key."""
    kid = plan.sharing.hidden_key_id
    if not kid:
        return plan if in_place else copy.deepcopy(plan)
    if kid != key_id(key):
        raise SharingError(
            f"the names were hidden with another key (key id {kid}, this key's id is "
            f"{key_id(key)}); use the key the copy was made with (--key-file)"
        )

    def restore(role: str, text: str, label_key: str) -> str:
        return restorer.whole(text) if role == "whole" else restorer.text(text)

    if in_place:
        walk_plan(plan, restore)
        out = plan
    else:
        out = walked_copy(plan, restore)
    out.sharing.hidden_key_id = ""
    return out
