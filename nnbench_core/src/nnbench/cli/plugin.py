"""``nnbench plugin new NAME``: write a ready-to-install plugin distribution from a template.

Templates are package data under ``nnbench/templates/``: ``common/`` plus one folder per
kind. ``@@key@@`` placeholders are filled in, a ``PACKAGE`` folder takes the package name and
the ``.tmpl`` suffix is dropped.
"""

from __future__ import annotations

import argparse
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from nnbench.errors import UsageError

KINDS = ("loader", "reporter")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]$")
_SUMMARY = {"loader": "the {scheme}: loader", "reporter": "a .tsv results reporter"}


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("plugin", parents=[common], help="create a new plugin",
                       description="Tools for plugin authors.")
    actions = p.add_subparsers(dest="plugin_command", metavar="ACTION")
    new = actions.add_parser("new", parents=[common], help="write a plugin skeleton to ./NAME",
                             description="Write a ready-to-install plugin distribution to "
                                         "./NAME: pyproject, hook skeleton, contract tests.")
    new.add_argument("name", metavar="NAME", help="distribution name, e.g. nnbench-acme")
    new.add_argument("--kind", choices=KINDS, default="loader", help="what the plugin adds")
    new.add_argument("--directory", "-d", default=".", metavar="DIR",
                     help="where to create ./NAME (default: the current directory)")
    new.set_defaults(handler=handle_new)
    p.set_defaults(handler=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def template_values(name: str, kind: str) -> dict[str, str]:
    """Placeholder values derived from the distribution name (``nnbench-acme`` -> ``acme``)."""
    from nnbench import __version__

    if not _NAME.match(name):
        raise UsageError(f"plugin name {name!r}: use letters, digits, '-' and '_', starting "
                         f"with a letter (e.g. nnbench-acme)")
    short = re.sub(r"^nnbench[-_]", "", name.lower())
    if len(short) < 2:
        raise UsageError(f"plugin name {name!r} is too short: the part after 'nnbench-' "
                         f"needs two or more characters")
    scheme = short.replace("_", "-")
    values = {
        "name": name,
        "package": name.lower().replace("-", "_"),
        "plugin": short,
        "scheme": scheme,
        "env": "NNBENCH_" + re.sub(r"[^A-Z0-9]", "_", short.upper()) + "_ROOT",
        "Class": "".join(part.capitalize() for part in re.split(r"[-_]", short)),
        "nnbench_version": __version__,
    }
    values["summary"] = _SUMMARY[kind].format(scheme=scheme)
    return values


def render(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    left = re.search(r"@@\w+@@", text)
    if left:
        raise RuntimeError(f"template placeholder {left.group(0)} has no value")
    return text


def _walk(node: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Traversable]]:
    out = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            if child.name != "__pycache__":
                out += _walk(child, (*prefix, child.name))
        elif child.name.endswith(".tmpl"):
            out.append(((*prefix, child.name[: -len(".tmpl")]), child))
    return out


def generate(name: str, kind: str, directory: str | Path = ".") -> list[Path]:
    """Write the plugin to ``directory/name``; return the files written."""
    if kind not in KINDS:
        raise UsageError(f"--kind {kind!r}: choose one of {', '.join(KINDS)}")
    values = template_values(name, kind)
    target = Path(directory) / name
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} already exists and is not empty; choose another NAME "
                         f"or --directory")
    root = files("nnbench") / "templates"
    written = []
    for base in ("common", kind):
        for parts, source in _walk(root / base):
            rel = Path(*(values["package"] if p == "PACKAGE" else p for p in parts))
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(render(source.read_text(encoding="utf-8"), values), encoding="utf-8")
            written.append(dest)
    return written


def handle_new(args: argparse.Namespace) -> int:
    written = generate(args.name, args.kind, args.directory)
    values = template_values(args.name, args.kind)
    target = Path(args.directory) / args.name
    for path in written:
        print(f"created {path}")
    print(f"\nnext: cd {target} && pip install -e '.[test]' && nnbench plugins && pytest")
    print(f"then edit src/{values['package']}/plugin.py; README.md says how to publish")
    return 0
