"""Which environment (dev, test, staging, prod) a namespace belongs to, where known.

Read from the namespace's ``env``, ``environment`` or ``tier`` label, else from a token
of its name (``shop-prod``, ``dev-payments``). Values that name no environment (a
``tier: frontend`` label) leave the environment unknown.
"""

from __future__ import annotations

import re

from workbench.domain.inventory import Namespace

ENVIRONMENTS = ("dev", "test", "staging", "prod")
ENV_LABELS = ("env", "environment", "tier")
_ALIASES = {
    "dev": "dev",
    "develop": "dev",
    "development": "dev",
    "sandbox": "dev",
    "test": "test",
    "testing": "test",
    "qa": "test",
    "uat": "test",
    "int": "test",
    "integration": "test",
    "staging": "staging",
    "stage": "staging",
    "stg": "staging",
    "preprod": "staging",
    "pre-prod": "staging",
    "prod": "prod",
    "production": "prod",
    "prd": "prod",
    "live": "prod",
}
_TOKENS = re.compile(r"[a-z]+")
_PREPROD = re.compile(r"pre-?prod")


def normalise(value: str) -> str | None:
    """``Production`` -> ``prod``; None when the value names no environment."""
    return _ALIASES.get(value.strip().lower())


def environment_of(ns: Namespace) -> str | None:
    for label in ENV_LABELS:
        value = ns.labels.get(label)
        if value is not None and (env := normalise(value)) is not None:
            return env
    name = ns.name.lower()
    if _PREPROD.search(name):
        return "staging"
    for token in _TOKENS.findall(name):
        env = _ALIASES.get(token)
        if env is not None:
            return env
    return None


def is_production(env: str | None) -> bool:
    return env == "prod"
