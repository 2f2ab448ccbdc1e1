"""Pure model and computations: no Qt, no file or network I/O."""
