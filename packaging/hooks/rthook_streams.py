"""A windowed build on Windows starts with ``sys.stdout``/``sys.stderr`` set to None;
give them a sink so a stray print (or a headless command run from the windowed
executable) cannot crash the application."""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
