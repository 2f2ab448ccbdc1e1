"""Flow logs resolved by IP: CSV (comma, tab or space separated, with a header) or JSON
lines of (source IP, destination IP, destination port, count, time), as VPC flow logs,
Calico flow logs and NetObserv exports carry them. ``--columns`` maps the roles
``src``, ``dst``, ``port``, ``count``, ``time`` to the file's column names; common names
are recognised without it. IPs resolve against the pod IPs and Service cluster IPs recorded
at import; a public source IP is a caller from outside, other unknown IPs are unmatched.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.io.runtime.resolve import EndpointResolver
from workbench.io.runtime.tally import RuntimeTally

ROLES = ("src", "dst", "port", "count", "time")
GUESSES: dict[str, tuple[str, ...]] = {
    "src": (
        "src",
        "srcaddr",
        "src_ip",
        "source_ip",
        "sourceip",
        "srcip",
        "source",
        "srcaddr4",
        "source_address",
        "saddr",
        "source.ip",
        "source_ip_address",
    ),
    "dst": (
        "dst",
        "dstaddr",
        "dst_ip",
        "dest_ip",
        "destination_ip",
        "destinationip",
        "dstip",
        "destination",
        "dest",
        "destination_address",
        "daddr",
        "destination.ip",
    ),
    "port": (
        "port",
        "dstport",
        "dst_port",
        "dest_port",
        "destination_port",
        "dport",
        "destinationport",
        "destination.port",
    ),
    "count": ("count", "flows", "num_flows", "packets", "pkts", "connections", "num_conns"),
    "time": (
        "time",
        "start",
        "timestamp",
        "ts",
        "start_time",
        "timeflowstartms",
        "timereceived",
        "@timestamp",
        "end",
    ),
}
ACTIONS_DENIED = frozenset({"reject", "deny", "denied", "drop", "dropped"})


class ColumnsError(WorkbenchError, ValueError):
    """A ``--columns`` mapping that cannot be used."""


def parse_columns(text: str | None) -> dict[str, str]:
    """``src=srcaddr,dst=dstaddr,port=dstport`` -> {role: column}."""
    found: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        role, sep, column = part.partition("=")
        role = role.strip().lower()
        if not sep or role not in ROLES or not column.strip():
            raise ColumnsError(
                f"--columns: {part.strip()!r} is not ROLE=COLUMN (ROLE one of {', '.join(ROLES)})"
            )
        found[role] = column.strip()
    return found


def _time(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        text = str(value).replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    while number > 1e11:  # milliseconds, microseconds, nanoseconds
        number /= 1000
    return number


def _public(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


class FlowLogReader:
    def __init__(
        self, resolver: EndpointResolver, tally: RuntimeTally, columns: Mapping[str, str]
    ) -> None:
        self.resolver = resolver
        self.tally = tally
        self.columns = dict(columns)
        self._roles: dict[str, str] | None = None

    def header(self, names: list[str], number: int) -> bool:
        """Fix which column plays which role; False (with a line error) when src or dst
        cannot be found."""
        lowered = {n.strip().lower(): n.strip() for n in names}
        roles: dict[str, str] = {}
        for role in ROLES:
            given = self.columns.get(role)
            if given is not None:
                if given.lower() not in lowered:
                    self.tally.error(
                        number, f"no column {given!r} (--columns {role}) in the header"
                    )
                    return False
                roles[role] = lowered[given.lower()]
                continue
            for guess in GUESSES[role]:
                if guess in lowered:
                    roles[role] = lowered[guess]
                    break
        missing = [r for r in ("src", "dst") if r not in roles]
        if missing:
            self.tally.error(
                number,
                f"no {' or '.join(missing)} IP column; name it with --columns "
                f"(e.g. --columns src=srcaddr,dst=dstaddr)",
            )
            return False
        self._roles = roles
        return True

    def record(self, number: int, row: Mapping[str, Any]) -> None:
        tally = self.tally
        if self._roles is None and not self.header(list(row), number):
            raise ColumnsError(str(tally.errors[-1]) if tally.errors else "no usable columns")
        roles = self._roles or {}
        src, dst = str(row.get(roles["src"]) or ""), str(row.get(roles["dst"]) or "")
        if not src or not dst or src == "-" or dst == "-":
            tally.error(number, "a record without a source or destination IP")
            return
        try:
            count = int(float(row.get(roles.get("count", ""), 1) or 1))
        except (TypeError, ValueError):
            tally.error(number, f"count {row.get(roles.get('count', ''))!r} is not a number")
            return
        tally.records += 1
        tally.when(_time(row.get(roles["time"])) if "time" in roles else None)
        action = str(row.get("action") or row.get("Action") or "").lower()
        port = row.get(roles["port"]) if "port" in roles else None
        if str(port) == "53":
            tally.left_out["DNS"] += 1
            return
        callees = self.resolver.ip(dst)
        if not callees:
            if _public(dst):
                tally.left_out["traffic leaving the cluster"] += 1
            else:
                tally.unmatched[dst] += 1
            return
        callers = self.resolver.ip(src)
        if action in ACTIONS_DENIED:
            tally.dropped[(src, dst)] += count
            return
        if not callers:
            if not _public(src):
                tally.unmatched[src] += 1
            for callee in callees:
                tally.seen.add(callee)
                tally.external[callee] += count
            return
        for caller in callers:
            for callee in callees:
                tally.call(caller, callee, count)
