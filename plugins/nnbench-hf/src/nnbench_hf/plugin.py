"""The ``hf`` entry point: registers the ``hf:`` scheme. Importing it imports no Hub code."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl

DESCRIPTION = "Hugging Face Hub models and datasets: hf:[datasets/]ORG/NAME[@REVISION][/PATH]"


def make_hf_loader(spec: Any, **kwargs: Any) -> Any:
    """Loader factory: ``spec`` is an ``nnbench.artifacts.ParsedSpec`` with scheme ``hf``."""
    from nnbench_hf.loader import HfArtifactLoader

    return HfArtifactLoader.from_parsed(spec, **kwargs)


@hookimpl
def nnbench_register_loaders(register: Any) -> None:
    register("hf", make_hf_loader, description=DESCRIPTION)
