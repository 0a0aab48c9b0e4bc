"""A working test plugin: ``kitgood:NAME`` is ``$KITGOOD_ROOT/NAME``; a ``.kitgood`` reporter."""

import json
import os
from pathlib import Path

from nnbench import LocalArtifactLoader, hookimpl


def make_loader(spec, **options):
    return LocalArtifactLoader(Path(os.environ.get("KITGOOD_ROOT", ".")) / spec.rest)


class CountReporter:
    def write(self, records, destination):
        Path(destination).write_text(json.dumps(sum(len(r.benchmarks) for r in records)))


@hookimpl
def nnbench_register_loaders(register):
    register("kitgood", make_loader, description="test loader")


@hookimpl
def nnbench_register_reporters(register):
    register(".kitgood", CountReporter, description="test reporter")
