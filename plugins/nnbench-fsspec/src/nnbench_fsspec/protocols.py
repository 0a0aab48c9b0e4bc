"""Which URL schemes this plugin registers, and what to install when one is missing."""

from __future__ import annotations

#: Local paths are the core's job; ``hf`` belongs to nnbench-hf.
EXCLUDED = frozenset({"file", "local", "hf"})

_DESCRIPTIONS = {
    "s3": "Amazon S3 and S3-compatible stores (s3fs)",
    "s3a": "Amazon S3 (s3fs)",
    "gs": "Google Cloud Storage (gcsfs)",
    "gcs": "Google Cloud Storage (gcsfs)",
    "az": "Azure Blob Storage / Data Lake Gen2 (adlfs)",
    "abfs": "Azure Blob Storage / Data Lake Gen2 (adlfs)",
    "http": "HTTP servers (aiohttp)",
    "https": "HTTPS servers (aiohttp)",
    "memory": "fsspec in-memory filesystem",
}


def protocols() -> list[str]:
    """Every protocol fsspec knows, minus the excluded ones, sorted."""
    import fsspec

    return sorted(p for p in fsspec.available_protocols() if p not in EXCLUDED)


def describe(protocol: str) -> str:
    """A short description of a protocol for ``nnbench plugins``."""
    return _DESCRIPTIONS.get(protocol, f"fsspec '{protocol}' filesystem")


def install_hint(protocol: str) -> str:
    """One sentence that names what to install for ``protocol``."""
    from fsspec.registry import known_implementations
    from nnbench.plugins.providers import extra_of

    extra = extra_of("loader", protocol)
    if extra:
        return f"pip install 'nnbench-fsspec[{extra}]'"
    err = (known_implementations.get(protocol) or {}).get("err")
    if err:
        return err.rstrip(".")
    return f"install the package that provides the fsspec '{protocol}' protocol"
