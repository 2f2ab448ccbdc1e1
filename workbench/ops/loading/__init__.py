"""Loading a plan file in a worker process and handing the plan back in small pieces."""

from workbench.ops.loading.pieces import PieceReader, pickle_pieces
from workbench.ops.loading.process import BACKGROUND_BYTES, load_in_process, loads_in_background

__all__ = [
    "BACKGROUND_BYTES",
    "PieceReader",
    "load_in_process",
    "loads_in_background",
    "pickle_pieces",
]
