"""nnbench loaders for remote storage through fsspec, with a verified local cache."""

from nnbench_fsspec.loader import FsspecLoader

__all__ = ["FsspecLoader"]
__version__ = "0.1.0"
