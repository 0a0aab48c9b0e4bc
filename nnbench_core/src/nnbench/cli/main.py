"""The ``nnbench`` command line: run, fetch, plugins, runs, compare, report, plugin commands.

Exit codes: 0 success; 1 a benchmark (or a compare gate) failed; 2 bad input or usage;
130 interrupted. Errors print one line; ``--debug`` adds the traceback (same exit code).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

CORE_COMMANDS = ("run", "fetch", "plugins", "runs", "compare", "report", "plugin")


def plugin_options() -> argparse.ArgumentParser:
    """Options every command accepts: ``-p no:NAME`` and ``--debug``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("-p", dest="plugin_flags", action="append", default=[],
                        metavar="no:NAME", help="block the plugin NAME (repeatable)")
    parent.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks for errors")
    parent.add_argument("--log-level", metavar="LEVEL", default=argparse.SUPPRESS,
                        help="log level of the nnbench logger: DEBUG, INFO, WARNING, ERROR, "
                             "CRITICAL (default: [tool.nnbench] log-level, else none)")
    return parent


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line (exit 2) pointing at ``--help``; its
    subcommands' parsers (plugins' too) are of this class as well."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {one_line(message, 300)}; see `{self.prog} --help`\n")


def build_parser(plugins: Any = None) -> argparse.ArgumentParser:
    import importlib

    common = plugin_options()
    parser = OneLineParser(
        prog="nnbench",
        description="Benchmark trained machine-learning models.",
        parents=[common],
    )
    from nnbench import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s version {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in CORE_COMMANDS:
        importlib.import_module(f"nnbench.cli.{name}").add_parser(sub, common)
    if plugins is not None:
        plugins.hook.nnbench_add_commands(subparsers=sub)
    return parser


def _blocked(argv: Sequence[str]) -> list[str]:
    """Plugins named by ``-p no:NAME`` anywhere on the command line (before discovery)."""
    names = []
    for i, arg in enumerate(argv):
        value = None
        if arg == "-p" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("-pno:"):
            value = arg[2:]
        if value and value.startswith("no:"):
            names.append(value[3:])
    return names


def _show_warning(message: Any, category: Any, filename: str, lineno: int,
                  file: Any = None, line: Any = None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _wants_plugins(argv: Sequence[str]) -> bool:
    """Plugin discovery is skipped for bare ``--help``/no command (fast help)."""
    positional = [a for a in argv if not a.startswith("-")]
    return bool(positional)


def one_line(message: object, limit: int = 1000) -> str:
    """``message`` on one line, at most about ``limit`` characters: the start and the end
    (which says what to do) are kept, the middle is cut with its length."""
    text = " ".join(str(message).split())
    if len(text) > limit:
        head, tail = limit * 3 // 5, limit // 3
        text = f"{text[:head]} ...({len(text) - head - tail:,} characters cut)... {text[-tail:]}"
    return text


def _interrupted(args: Any) -> str:
    """What an interrupted command kept, for the last line it prints."""
    if getattr(args, "command", None) != "run":
        return "interrupted"
    if getattr(args, "no_store", False):
        return "interrupted: nothing was kept (--no-store); completed results were not stored"
    return "interrupted: completed results were kept in the results store (see `nnbench runs`)"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    warnings.showwarning = _show_warning
    from nnbench.errors import NNBenchError

    args = None
    try:
        plugins = None
        if _wants_plugins(argv):
            from nnbench.plugins import PluginManager, set_plugin_manager

            plugins = PluginManager(blocked=_blocked(argv))
            set_plugin_manager(plugins)
        parser = build_parser(plugins)
        args = parser.parse_args(argv)
        for flag in args.plugin_flags:
            if not flag.startswith("no:"):
                parser.error(f"-p takes no:NAME to block a plugin, got {flag!r}")
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 2
        from nnbench.cli.profile import apply_profile

        apply_profile(args)  # [tool.nnbench] in pyproject.toml
        return int(handler(args) or 0)
    except NNBenchError as exc:  # --debug adds the traceback, never changes the exit code
        if debug:
            traceback.print_exc()
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_interrupted(args), file=sys.stderr)
        return 130
    except RecursionError as exc:  # e.g. input nested too deeply for the parser
        if debug:
            traceback.print_exc()
        print(f"error: input nested too deeply ({one_line(exc, 200)}); simplify it",
              file=sys.stderr)
        return 2
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
