"""nnbench-hf: the ``hf:`` artifact loader for Hugging Face Hub models and datasets."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["HfArtifactLoader", "__version__"]


def __getattr__(name: str):
    if name == "HfArtifactLoader":
        from nnbench_hf.loader import HfArtifactLoader

        return HfArtifactLoader
    raise AttributeError(f"module 'nnbench_hf' has no attribute {name!r}")
