"""Generate the hook reference in docs/plugins.md from nnbench.plugins.hookspecs' docstrings.

    python docs/gen_hook_reference.py          # rewrite the section between the markers
    python docs/gen_hook_reference.py --check  # exit 1 when the doc is out of date

The section lies between ``<!-- hook-reference:start -->`` and ``<!-- hook-reference:end -->``.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

DOC = Path(__file__).with_name("plugins.md")
START = "<!-- hook-reference:start -->"
END = "<!-- hook-reference:end -->"


def hookspecs() -> list[tuple[str, object]]:
    """``(name, function)`` for every hook specification, in definition order."""
    from nnbench.plugins import hookspecs as module

    return [(name, fn) for name, fn in vars(module).items()
            if inspect.isfunction(fn) and hasattr(fn, "nnbench_spec")]


def markdown(doc: str) -> str:
    """reST inline markup in docstrings -> Markdown: ``x`` and :class:`x` become `x`."""
    return re.sub(r":\w+:`([^`]+)`", r"`\1`", doc).replace("``", "`")


def render() -> str:
    """The reference section's Markdown (without the markers)."""
    lines = ["Generated from `nnbench/hookspecs.py` by `docs/gen_hook_reference.py`; "
             "do not edit by hand.", ""]
    for name, fn in hookspecs():
        params = ", ".join(inspect.signature(fn).parameters)
        opts = getattr(fn, "nnbench_spec", {}) or {}
        flags = [k for k in ("firstresult", "historic") if opts.get(k)]
        lines.append(f"### `{name}({params})`" + (f" ({', '.join(flags)})" if flags else ""))
        lines += ["", markdown(inspect.getdoc(fn) or "(undocumented)"), ""]
    return "\n".join(lines).rstrip() + "\n"


def splice(text: str, section: str) -> str:
    """``text`` with the part between the markers replaced by ``section``."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{DOC}: markers {START} / {END} not found")
    return f"{head}{START}\n{section}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the doc is out of date")
    args = parser.parse_args(argv)
    current = DOC.read_text(encoding="utf-8")
    wanted = splice(current, render())
    if args.check:
        if wanted != current:
            print(f"{DOC} is out of date: run python docs/gen_hook_reference.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
