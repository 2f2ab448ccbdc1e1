"""The documented bounds of every number and collection in a plan.

A plan file arrives by email and is loaded on a laptop: every count, amount, rate and
collection has a limit, checked when a plan is loaded or saved (with the place named) and
when objects are imported. The limits sit well above any real estate (the product is
sized for 10,000 workloads, 100,000 pods and 5 clusters) and well below what would exhaust
memory or time: within them a plan loads in seconds and under 1 GB.
"""

from __future__ import annotations

# counts in the inventory
MAX_REPLICAS = 1_000_000  # per workload (Kubernetes itself takes up to 2^31 - 1)
MAX_PODS = 1_000_000  # per workload
MAX_USER_ID = 2**31 - 1  # runAsUser
MAX_RESOURCE_MILLICORES = 2**40  # about a billion cores
MAX_RESOURCE_BYTES = 2**60  # an exbibyte
MAX_NODES = 1_000_000

# money and rates in the assumptions
MAX_AMOUNT = 1e12  # one cost or benefit line, a year or once
MAX_PRICE = 1e6  # a unit price (per vCPU-hour, GB-hour ...)
MAX_MULTIPLIER = 100.0  # Monte Carlo and range multipliers
MAX_QUANTITY = 1e15  # any other count or estimate (bytes, series, spans ...)
MAX_HOURS_PER_MONTH = 744.0  # 31 days
MAX_RATE = 100.0  # a discount rate or growth rate, as a share (10,000 %)
MAX_DRAWS = 200_000  # Monte Carlo draws
MAX_SEED = 2**32 - 1
MAX_HORIZON_MONTHS = 600

# collections
MAX_CLUSTERS = 1_000
MAX_WORKLOADS = 250_000
MAX_SERVICES = 250_000
MAX_NAMESPACES = 100_000
MAX_EDGES = 2_000_000
MAX_CONTAINERS = 100  # per workload
MAX_PORTS = 1_000  # per container or Service
MAX_LINES = 1_000  # cost lines, benefit lines
MAX_SCENARIOS = 200
MAX_OVERRIDES = 1_000  # per scenario
MAX_PHASES = 200
MAX_WAVES = 5_000
MAX_ACTIVITIES = 5_000
MAX_MUTES = 100_000
MAX_BASELINES = 200
MAX_METRICS = 1_000
MAX_POLICIES = 250_000  # each of: NetworkPolicies, Ingresses, mesh policies, monitors, HPAs
MAX_WEBHOOKS = 10_000
MAX_GAPS = 100_000  # import gaps
MAX_UNRESOLVED = 2_000_000  # addresses that named nothing
MAX_OBSERVATIONS = 2_000_000  # runtime observations and caller confirmations
MAX_COMMENTS = 100_000
MAX_REPLIES = 10_000  # per comment
# Maps inside one entry (labels, annotations, env) and the plan's text are bounded by the
# plan file's own limits on its size and number of values (workbench.io.plan_file).
