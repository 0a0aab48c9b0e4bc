"""Artifacts: lazy ``Artifact[T]`` values, the loaders that fetch them, spec parsing, cache.

``"hf:org/name@rev"`` -> ``resolve`` (through the plugins' loaders) -> ``ArtifactLoader``
(knows where; ``load()`` gives a local path) -> ``Artifact`` (knows what; ``.value``).
"""

from __future__ import annotations

from nnbench.artifacts.artifact import Artifact
from nnbench.artifacts.loaders import ArtifactLoader, LocalArtifactLoader, resolve
from nnbench.artifacts.spec import ParsedSpec, parse_spec

__all__ = ["Artifact", "ArtifactLoader", "LocalArtifactLoader", "ParsedSpec", "parse_spec",
           "resolve"]
