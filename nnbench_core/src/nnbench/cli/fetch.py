"""``nnbench fetch SPEC``: resolve, download or find in cache, print the local path last."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("fetch", parents=[common], help="download an artifact, print its path",
                       description="Resolve SPEC, download it (or find it in the cache) and "
                                   "print the local path as the last line of stdout.")
    p.add_argument("spec", metavar="SPEC", help="hf:ORG/NAME[@REV], s3://BUCKET/KEY, ./path ...")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="loader option (as ?KEY=VALUE in the spec)")
    p.add_argument("--provenance", action="store_true",
                   help="print the provenance as JSON on stderr")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from nnbench.artifacts import resolve
    from nnbench.errors import UsageError

    kwargs = {}
    for item in args.option:
        if "=" not in item:
            raise UsageError(f"--option expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        kwargs[key] = value
    loader = resolve(args.spec, **kwargs)
    path = loader.load()
    if args.provenance:
        print(json.dumps(loader.provenance(), indent=2), file=sys.stderr)
    print(os.path.abspath(path))
    return 0
