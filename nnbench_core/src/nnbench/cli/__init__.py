"""The ``nnbench`` command line: argument parsing and printing over the public API.

Each command module has ``add_parser(subparsers, common)``; ``main`` dispatches.
"""

from __future__ import annotations

from nnbench.cli.main import main

__all__ = ["main"]
