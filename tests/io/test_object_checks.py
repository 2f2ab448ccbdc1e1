"""The first invalid field of an object, named by its full path, in reading order."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.io.object_checks import object_problem

PORT = "must be a port number between 1 and 65535"


def pod(spec: dict[str, Any], kind: str = "Pod") -> dict[str, Any]:
    return {"kind": kind, "metadata": {"name": "p", "namespace": "ns"}, "spec": spec}


def deployment(pod_spec: Any, **spec: Any) -> dict[str, Any]:
    return {
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {**spec, "template": {"spec": pod_spec}},
    }


GOOD_CONTAINER = {"name": "c", "ports": [{"containerPort": 80, "protocol": "TCP"}]}

CASES: list[tuple[dict[str, Any], str | None]] = [
    (pod({"containers": [GOOD_CONTAINER]}), None),
    (deployment({"containers": [GOOD_CONTAINER]}, replicas=3), None),
    ({"kind": "Pod", "metadata": None}, None),
    ({"kind": "Pod", "metadata": ["x"]}, "metadata: must be a mapping"),
    ({"kind": "Pod", "metadata": {"name": 7}}, "metadata.name: must be text"),
    ({"kind": "Widget", "metadata": {"namespace": ["a"]}}, "metadata.namespace: must be text"),
    ({"kind": "Pod", "metadata": {}, "spec": "x"}, "spec: must be a mapping"),
    (deployment("x"), "spec.template.spec: must be a mapping"),
    (deployment({}, replicas=True), "spec.replicas: must be a whole number between 0 and"),
    (pod({"securityContext": "root"}), "spec.securityContext: must be a mapping"),
    (pod({"containers": {"a": 1}}), "spec.containers: must be a list"),
    (pod({"containers": [GOOD_CONTAINER, "c"]}), "spec.containers[1]: must be a mapping"),
    (
        # the first container's problem comes before the second's, whatever its kind
        pod({"containers": [{"securityContext": {"runAsUser": -1}}, "c"]}),
        "spec.containers[0].securityContext.runAsUser: must be a user id between 0 and",
    ),
    (
        pod({"containers": [{"ports": [{"containerPort": 80}, 8080]}]}),
        "spec.containers[0].ports[1]: must be a mapping",
    ),
    (
        pod({"containers": [{"ports": [{"containerPort": 80, "hostPort": 0}]}]}),
        f"spec.containers[0].ports[0].hostPort: {PORT}",
    ),
    (
        pod({"containers": [{"ports": [{"containerPort": "80", "protocol": "QUIC"}]}]}),
        f"spec.containers[0].ports[0].containerPort: {PORT}",
    ),
    (
        pod({"containers": [GOOD_CONTAINER], "initContainers": [{"ports": "80"}]}),
        "spec.initContainers[0].ports: must be a list",
    ),
    (
        {
            "kind": "CronJob",
            "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{}]}}}}},
        },
        None,
    ),
    (
        {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": 5}}}},
        "spec.jobTemplate.spec.template: must be a mapping",
    ),
    (
        {"kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": 0}]}},
        f"spec.ports[0].targetPort: {PORT}",
    ),
    ({"kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": "http"}]}}, None),
    ({"kind": "Service", "spec": {"type": "Mesh"}}, "spec.type: must be one of ClusterIP"),
    (
        {"kind": "Service", "spec": {"ports": [{"port": 80, "protocol": "ICMP"}]}},
        "spec.ports[0].protocol: must be one of TCP, UDP, SCTP",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES)
def test_the_first_problem_by_its_path(obj: dict[str, Any], expected: str | None) -> None:
    problem = object_problem(obj)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith(expected)
