"""Synthetic estates and the seed playbook's estate, deterministic by seed."""

from workbench.ops.generate.estate import (
    GeneratedEstate,
    GenerateError,
    generate_estate,
    generate_plan,
)

__all__ = ["GenerateError", "GeneratedEstate", "generate_estate", "generate_plan"]
