"""Which words of a plan are names of the estate, and which are public vocabulary.

Text is cut into words at every character that is not a letter or a digit, so
``payments-api.shop.svc.cluster.local:8080`` is the words ``payments``, ``api``,
``shop``, ``svc``, ``cluster``, ``local`` and ``8080``. A name is hidden word by word,
which keeps every reference between names intact: a Service address still resolves to
its Service, a selector still selects its pods, a key still names its workload.

Public words are never hidden: they name no estate but carry meaning the readiness
rules, the planner or the economics read (system namespaces, protocol names, well-known
images, environment words such as ``prod``, DNS suffixes), so a copy with hidden names
gives the same findings, schedule and figures as the original.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from workbench.domain.dependencies import EVIDENCE_KINDS
from workbench.domain.inventory import SERVICE_TYPES, SYSTEM_NAMESPACES, WORKLOAD_KINDS
from workbench.domain.planning.environments import ENV_LABELS, ENVIRONMENTS
from workbench.domain.readiness.clustered import PEER_IMAGES
from workbench.domain.readiness.lifecycle import BATCH_LABELS, CONSUMER_IMAGES, NETWORK_INIT_IMAGES
from workbench.domain.readiness.network import WINDOWS_IMAGES
from workbench.domain.readiness.ports import PROTOCOLS
from workbench.domain.readiness.protocols import SERVER_FIRST_IMAGES

WORD = re.compile(r"[A-Za-z0-9]+")

# Domains whose labels and annotations Kubernetes and Istio define: their values are read
# by the rules, so they stay unless they are exactly a name of the estate.
WELL_KNOWN_DOMAINS = ("istio.io", "kubernetes.io", "k8s.io", "prometheus.io", "helm.sh")
WELL_KNOWN_KEYS = frozenset(
    {"istio-injection", "istio", "app", "version", "spark-role", *ENV_LABELS}
)

_VOCABULARY = """
default svc cluster local internal com org net io dev test staging stage stg prod production
prd live preprod pre qa uat int integration sandbox develop development testing
istio istiod proxy proxyv2 pilot ztunnel cni waypoint gateway ingressgateway egressgateway
eastwestgateway ingress egress sidecar ambient mesh envoy kube system public node lease
path storage kubernetes k8s docker library latest enabled disabled true false yes no on off
none strict permissive restricted baseline privileged http http2 https grpc web tcp tls udp
sctp mongo mysql redis metrics health healthz readyz livez status admin url uri host hostname
port addr address endpoint endpoints server service services api name configmap secret
networkpolicy peerauthentication authorizationpolicy servicemonitor podmonitor
validatingwebhookconfiguration mutatingwebhookconfiguration apiservice env autoscaler
pod ip registry consul eureka nacos zookeeper
"""
# Extensions of the files captures and edge lists are read from: kept, they name nothing.
DATA_EXTENSIONS = ("json", "jsonl", "ndjson", "csv", "tsv", "log", "txt", "gz", "yaml", "yml")


# A URL, a path (from a separator on), or a file name with a data file's extension.
SOURCE = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://[^\s,;()\"']+"
    r"|(?<![\w./\\-])(?:[A-Za-z]:)?[~.]{0,2}[/\\][^\s,;:()\"']+"
    r"|[\w./\\~-]+\.(?:" + "|".join(DATA_EXTENSIONS) + r")\b"
)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def source_words(text: str) -> list[str]:
    """The words of the URLs, paths and file names in a text (where evidence came from)."""
    if "/" not in text and "\\" not in text and "." not in text:
        return []
    return [w for m in SOURCE.finditer(text) for w in WORD.findall(m.group(0))]


def _vocabulary() -> frozenset[str]:
    out: set[str] = set(_VOCABULARY.split())
    sources: Iterable[str] = (
        *SYSTEM_NAMESPACES,
        *WORKLOAD_KINDS,
        *SERVICE_TYPES,
        *ENVIRONMENTS,
        *ENV_LABELS,
        *PEER_IMAGES,
        *SERVER_FIRST_IMAGES,
        *CONSUMER_IMAGES,
        *NETWORK_INIT_IMAGES,
        *WINDOWS_IMAGES,
        *BATCH_LABELS,
        *PROTOCOLS,
        *WELL_KNOWN_DOMAINS,
        *EVIDENCE_KINDS,  # the sources evidence names (hubble, kiali, csv ...)
    )
    for text in sources:
        out.update(w.lower() for w in words(text))
    return frozenset(out | set(DATA_EXTENSIONS))


PUBLIC_WORDS = _vocabulary()
# The rules test images by substring ("mongo" in "mongodb:7"): a word holding one stays.
_IMAGE_WORDS = tuple(
    sorted(
        {
            w.lower()
            for image in (*PEER_IMAGES, *SERVER_FIRST_IMAGES, *CONSUMER_IMAGES)
            for w in words(image)
            if len(w) >= 4
        }
    )
)


@functools.lru_cache(maxsize=65536)
def is_public(word: str) -> bool:
    low = word.lower()
    return word.isdigit() or low in PUBLIC_WORDS or any(i in low for i in _IMAGE_WORDS)


def is_well_known_key(key: str) -> bool:
    """A label or annotation key Kubernetes, Istio or the product itself gives meaning."""
    if key in WELL_KNOWN_KEYS or key in BATCH_LABELS:
        return True
    prefix = key.rpartition("/")[0]
    return any(prefix == d or prefix.endswith("." + d) for d in WELL_KNOWN_DOMAINS)
