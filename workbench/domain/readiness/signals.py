"""Readiness signals read from a raw Kubernetes container object.

Commands and arguments can hold secrets, so the plan never keeps their text. The
importer calls :func:`container_signals` on each container of a pod template and
stores the result in ``Container.signals``: a sorted list of words from a fixed
vocabulary, plus probe schemes with their ports.

Vocabulary:

- ``binds-localhost``: listens on 127.0.0.1/localhost only (flag, argument or env value);
- ``tls-flags``: serves TLS itself (``--tls-cert-file``, ``--secure-port`` ...);
- ``waits-for-network``: a start-up loop or tool that needs the network (``until``,
  ``nc -z``, ``curl``, ``wget``, ``psql``, ``kubectl`` ...);
- ``advertises-pod-ip``: tells peers its pod IP (env from ``status.podIP``,
  ``hostname -i``, ``advertised.listeners``, ``publish_host`` ...);
- ``quitquitquit``: stops the proxy itself when done (``/quitquitquit``);
- ``prestop``: has a ``lifecycle.preStop`` hook;
- ``keepalive-timeout``: sets a server keep-alive timeout;
- ``skip-local-storage-off``: cluster-autoscaler told to evict pods with local storage;
- ``probe-https:PORT`` / ``probe-http:PORT``: an httpGet probe's scheme and port.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_COMMAND_TEXT = 65_536  # of a container's command and args, read for signals
_LOCAL = r"(?:127\.0\.0\.1|localhost)"
_BIND_FLAG = re.compile(
    r"(?:bind|listen|host|address|addr)[\w.-]{0,64}(?:\s{0,8}[=:]\s{0,8}|\s{1,8})[\"']?"
    + _LOCAL
    + r"(?![\w.])",
    re.IGNORECASE,
)
_LOCAL_WORD = re.compile(_LOCAL, re.IGNORECASE)
# _BIND_FLAG read backwards from a loopback address: anchored there, it costs at most the
# flag's length per address, so the scan is linear whatever a hostile value repeats.
_BIND_FLAG_REVERSED = re.compile(
    r"[\"']?(?:\s{0,8}[=:]\s{0,8}|\s{1,8})[\w.-]{0,64}(?:dnib|netsil|tsoh|sserdda|rdda)",
    re.IGNORECASE,
)
_BIND_REACH = 96  # the longest flag-and-separator _BIND_FLAG_REVERSED can match
_LOOPBACK_MENTIONS = 1000  # no real command line names a loopback address more often


def _binds_localhost(text: str) -> bool:
    """Whether a bind/listen flag names a loopback address (``--bind-address=127.0.0.1``)."""
    for count, local in enumerate(_LOCAL_WORD.finditer(text)):
        if count >= _LOOPBACK_MENTIONS:
            break
        after = text[local.end() : local.end() + 1]
        if after and (after.isalnum() or after in "._"):
            continue
        before = text[max(0, local.start() - _BIND_REACH) : local.start()]
        if _BIND_FLAG_REVERSED.match(before[::-1]):
            return True
    return False


_BIND_ENV = re.compile(r"BIND|LISTEN|HOST|ADDR", re.IGNORECASE)
_LOCAL_VALUE = re.compile(r"^(?:https?://)?" + _LOCAL + r"(?::\d+)?/?$", re.IGNORECASE)
_TLS_FLAG = re.compile(
    r"--(?:tls-[\w-]+|cert-file|key-file|secure-port|https-port|tls)\b", re.IGNORECASE
)
_WAITS = re.compile(
    r"(?:\buntil\b|\bnc\s+-z|\bcurl\b|\bwget\b|\bpsql\b|\bmongo(?:sh)?\b|\bmysqladmin\b"
    r"|\bkubectl\b|wait-for|\bpg_isready\b|\bredis-cli\b)",
    re.IGNORECASE,
)
_POD_IP_ARG = re.compile(
    r"(?:hostname\s+-i|\$\(POD_IP\)|\$POD_IP\b|\$\{POD_IP\}|advertised\.listeners"
    r"|publish_host|broadcast_address|cluster-announce-ip|advertise-(?:client-)?urls?)",
    re.IGNORECASE,
)
_KEEPALIVE_ENV = re.compile(r"KEEP_?ALIVE", re.IGNORECASE)
_KEEPALIVE_ARG = re.compile(r"--keep-?alive|keepAliveTimeout", re.IGNORECASE)


_SKIP_LOCAL_STORAGE_OFF = re.compile(r"--skip-nodes-with-local-storage[=\s]+false")
_NAME_SIGNALS: dict[str, tuple[bool, bool]] = {}  # env names repeat across an estate
_NAME_SIGNALS_LIMIT = 20_000


def _env_name_signals(name: str) -> tuple[bool, bool]:
    """(a bind/listen/host/address name?, a keep-alive name?) for an env var's name."""
    signals = _NAME_SIGNALS.get(name)
    if signals is None:
        if len(_NAME_SIGNALS) >= _NAME_SIGNALS_LIMIT:
            _NAME_SIGNALS.clear()
        signals = _NAME_SIGNALS[name] = (
            bool(_BIND_ENV.search(name)),
            bool(_KEEPALIVE_ENV.search(name)),
        )
    return signals


def _text(container: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for key in ("command", "args"):
        value = container.get(key)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
    return " ".join(parts)[:MAX_COMMAND_TEXT]


def _probe_signals(container: Mapping[str, Any]) -> set[str]:
    ports: dict[str, int] = {}
    for p in container.get("ports") or []:
        if isinstance(p, Mapping) and p.get("name") and isinstance(p.get("containerPort"), int):
            ports[str(p["name"])] = p["containerPort"]
    found: set[str] = set()
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(kind)
        if not isinstance(probe, Mapping):
            continue
        http = probe.get("httpGet")
        if not isinstance(http, Mapping):
            continue
        port = http.get("port")
        number = ports.get(port) if isinstance(port, str) else port
        if not isinstance(number, int):
            if not (isinstance(port, str) and port.isdigit()):
                continue
            number = int(port)
        scheme = str(http.get("scheme") or "HTTP").upper()
        found.add(f"probe-{'https' if scheme == 'HTTPS' else 'http'}:{number}")
    return found


def container_signals(container: Mapping[str, Any]) -> list[str]:
    """The readiness signals of one container of a pod template (raw Kubernetes dict)."""
    text = _text(container)
    found: set[str] = set()
    if _binds_localhost(text):
        found.add("binds-localhost")
    if _TLS_FLAG.search(text):
        found.add("tls-flags")
    if _WAITS.search(text):
        found.add("waits-for-network")
    if _POD_IP_ARG.search(text):
        found.add("advertises-pod-ip")
    if "quitquitquit" in text:
        found.add("quitquitquit")
    if _KEEPALIVE_ARG.search(text):
        found.add("keepalive-timeout")
    if _SKIP_LOCAL_STORAGE_OFF.search(text):
        found.add("skip-local-storage-off")
    for env in container.get("env") or []:
        if type(env) is not dict and not isinstance(env, Mapping):
            continue
        name = str(env.get("name") or "")
        value = env.get("value")
        source = env.get("valueFrom")
        if source is not None and isinstance(source, Mapping):
            ref = source.get("fieldRef")
            if isinstance(ref, Mapping) and ref.get("fieldPath") == "status.podIP":
                found.add("advertises-pod-ip")
        binds, keepalive = _env_name_signals(name)
        if isinstance(value, str):
            if binds and _LOCAL_VALUE.match(value.strip()):
                found.add("binds-localhost")
            if _POD_IP_ARG.search(value):
                found.add("advertises-pod-ip")
        if keepalive:
            found.add("keepalive-timeout")
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, Mapping) and lifecycle.get("preStop"):
        found.add("prestop")
    found |= _probe_signals(container)
    return sorted(found)
