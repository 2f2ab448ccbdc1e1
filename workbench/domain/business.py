"""Business metadata per workload: owner team, criticality, environment, SLO tier, windows.

Kubernetes labels rarely say who owns a workload or how critical it is; a CMDB or a
spreadsheet does. The plan keeps what was imported from one, keyed by workload key.
Empty strings mean "not known".
"""

from __future__ import annotations

from dataclasses import dataclass

BUSINESS_FIELDS = ("owner", "criticality", "environment", "slo_tier", "maintenance")


@dataclass(slots=True)
class BusinessInfo:
    owner: str = ""  # owner team
    criticality: str = ""  # e.g. critical, high, medium, low
    environment: str = ""  # e.g. dev, test, staging, prod
    slo_tier: str = ""
    maintenance: str = ""  # maintenance window as given, e.g. "Sat 01:00-05:00"

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in BUSINESS_FIELDS)
