"""Every text scan of an import on 10 MB hostile values: linear time.

A pattern with an open-ended prefix retried from every position took 1.8 s for 40,000
characters and grew with the square of the length (a 200 MB value never finished). Here
each scan of a 10 MB value of each hostile shape is timed; with linear scans each takes
about a second or less.

Run: pytest tests/benchmarks/bench_text_scans.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import time

from workbench.domain.addresses import endpoints_of
from workbench.domain.readiness.signals import container_signals
from workbench.io.annotation_policy import pod_annotations
from workbench.io.sanitise import sanitise_value, scan_text, scrub_credentials

MB10 = 10_000_000
SHAPES = {
    "letters": "a" * MB10,
    "scheme characters": "a-" * (MB10 // 2),
    "colons": "a:" * (MB10 // 2),
    "separators": "://" * (MB10 // 3),
    "at signs": "a@" * (MB10 // 2),
    "userinfo": "a:b@" * (MB10 // 4),
    "keys": "k=" * (MB10 // 2),
    "bind words": "bind" * (MB10 // 4),
    "urls": "http://a.b:1/ " * (MB10 // 14),
}
LIMIT_S = 10.0  # per shape, all scans, under load


def test_ten_megabyte_values_scan_in_linear_time() -> None:
    for shape, value in SHAPES.items():
        timings = {}
        for name, scan in (
            ("configmap", lambda v: list(scan_text("config", v))),
            ("env", lambda v: sanitise_value("SERVICE_URL", v)),
            ("annotation", lambda v: pod_annotations({"proxy.istio.io/config": v})),
            ("scrub", scrub_credentials),
            ("address", endpoints_of),
            ("args", lambda v: container_signals({"name": "c", "args": [v]})),
        ):
            started = time.perf_counter()
            scan(value)
            timings[name] = time.perf_counter() - started
        total = sum(timings.values())
        detail = ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
        print(f"\n{shape:18} 10 MB: {total:.2f} s ({detail})", end="")
        assert total < LIMIT_S
