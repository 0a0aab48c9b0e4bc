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
    p.add_argument("--verify", action="store_true",
                   help="check every file against the store's listing (size, checksum) and "
                        "download a bad one again (the option verify=true)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from nnbench.artifacts import resolve
    from nnbench.errors import UsageError
    from nnbench.redact import clip

    kwargs: dict[str, Any] = {}
    for item in args.option:
        if "=" not in item:
            raise UsageError(f"--option expects KEY=VALUE, got {clip(item)!r}")
        key, value = item.split("=", 1)
        kwargs[key] = value
    if args.verify:
        kwargs["verify"] = True
    try:
        loader = resolve(args.spec, **kwargs)
    except TypeError:
        if not args.verify:
            raise
        raise UsageError("--verify: this spec's loader has no verify option; drop --verify") from None
    path = loader.load()
    if args.provenance:
        print(json.dumps(loader.provenance(), indent=2), file=sys.stderr)
    print(os.path.abspath(path))
    return 0
