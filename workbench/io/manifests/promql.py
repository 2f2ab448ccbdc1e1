"""PromQL over Istio's standard metrics, as the server-side proxy reports them.

Every query reads ``reporter="destination"`` (what the called workload's proxy saw, so
plaintext callers without a proxy are counted), takes ``rate()`` over a window rather
than raw counters, and covers HTTP and gRPC (``istio_requests_total``) as well as TCP
(``istio_tcp_connections_opened_total``).
"""

from __future__ import annotations

WINDOW = "5m"
BY_SOURCE = "source_workload_namespace, source_workload, connection_security_policy"


def destination(namespace: str, names: list[str] | None = None) -> str:
    """Label matchers for the server side of workloads of one namespace."""
    sel = f'reporter="destination", destination_workload_namespace="{namespace}"'
    if names:
        pattern = "|".join(n.replace(".", "\\\\.") for n in names)
        sel += f', destination_workload=~"{pattern}"'
    return sel


def callers_query(sel: str, window: str = WINDOW) -> str:
    """HTTP and gRPC requests per caller and per mTLS state."""
    return f"sum by ({BY_SOURCE}) (rate(istio_requests_total{{{sel}}}[{window}]))"


def tcp_callers_query(sel: str, window: str = WINDOW) -> str:
    """TCP connections per caller and per mTLS state."""
    return f"sum by ({BY_SOURCE}) (rate(istio_tcp_connections_opened_total{{{sel}}}[{window}]))"


def plaintext_query(sel: str, window: str = WINDOW) -> str:
    """Requests and connections that arrive without mTLS (zero before STRICT)."""
    plain = f'{sel}, connection_security_policy!="mutual_tls"'
    return (
        f"sum(rate(istio_requests_total{{{plain}}}[{window}])) "
        f"+ sum(rate(istio_tcp_connections_opened_total{{{plain}}}[{window}]))"
    )


def error_ratio(sel: str, by: str, threshold: float, window: str = WINDOW) -> str:
    """Share of failed requests: HTTP status other than 2xx, or a gRPC status other
    than OK on an HTTP 200."""
    failed = (
        f'rate(istio_requests_total{{{sel}, response_code!~"2.."}}[{window}]) or '
        f'rate(istio_requests_total{{{sel}, response_code=~"2..", grpc_response_status!~"0|"}}'
        f"[{window}])"
    )
    return (
        f"sum by ({by}) ({failed}) / sum by ({by}) (rate(istio_requests_total{{{sel}}}[{window}]))"
        f" > {threshold:g}"
    )
