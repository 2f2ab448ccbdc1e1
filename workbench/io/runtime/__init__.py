"""Runtime call-graph sources (Hubble, OTLP/Jaeger/Zipkin traces, flow logs) as streams."""

from workbench.io.runtime.flowlogs import ColumnsError, parse_columns
from workbench.io.runtime.read import (
    RUNTIME_FORMATS,
    RuntimeFormatError,
    detect_format,
    read_runtime_file,
)
from workbench.io.runtime.resolve import EndpointResolver
from workbench.io.runtime.tally import RuntimeTally

__all__ = [
    "RUNTIME_FORMATS",
    "ColumnsError",
    "EndpointResolver",
    "RuntimeFormatError",
    "RuntimeTally",
    "detect_format",
    "parse_columns",
    "read_runtime_file",
]
