"""``[tool.nnbench]`` (``nnbench.config``) applied to a parsed command line: the profile
fills in what the command line left out, and sets the log level."""

from __future__ import annotations

import argparse


def apply_profile(args: argparse.Namespace) -> None:
    """Read the profile, set the log level (``--log-level`` wins), fill in ``--store`` and,
    for ``nnbench run``, ``-o``, ``--loader`` and ``--executor`` where none was given."""
    from nnbench.config import load_config, set_log_level

    config = load_config()
    args.config = config
    set_log_level(getattr(args, "log_level", None) or config.log_level)
    if getattr(args, "store", "") is None and config.store:
        args.store = config.store
    if getattr(args, "command", None) != "run":
        return
    if not args.output and config.outputs:
        args.output = list(config.outputs)
    if not args.loader and config.loaders:
        args.loader = list(config.loaders)
    if args.executor is None and args.jobs is None and config.executor:
        args.executor = config.executor
