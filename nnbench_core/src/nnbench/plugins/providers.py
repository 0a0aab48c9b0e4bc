"""The one table of which distribution provides a loader scheme, executor or reporter.

Used for install hints when something is not installed (``pip install nnbench-fsspec[s3]``);
plugins read their own extras from here too, so the hint is the same everywhere.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["loader", "executor", "reporter"]

_AZURE = "nnbench-fsspec[azure]"

#: kind -> name -> the requirement to install (distribution with its extra).
PROVIDERS: dict[str, dict[str, str]] = {
    "loader": {
        "hf": "nnbench-hf",
        "s3": "nnbench-fsspec[s3]",
        "s3a": "nnbench-fsspec[s3]",
        "gs": "nnbench-fsspec[gcs]",
        "gcs": "nnbench-fsspec[gcs]",
        "az": _AZURE,
        "abfs": _AZURE,
        "abfss": _AZURE,
        "adl": _AZURE,
        "http": "nnbench-fsspec[http]",
        "https": "nnbench-fsspec[http]",
        "memory": "nnbench-fsspec",
        "ftp": "nnbench-fsspec",
        "sftp": "nnbench-fsspec",
        "zip": "nnbench-fsspec",
        "tar": "nnbench-fsspec",
    },
    "executor": {
        "dask": "nnbench-dask",
        "ray": "nnbench-ray",
    },
    "reporter": {
        "mlflow": "nnbench-mlflow",
    },
}


def provider_of(kind: Kind, name: str) -> str | None:
    """The requirement that provides ``name`` of ``kind`` (``"nnbench-fsspec[s3]"``), or None."""
    return PROVIDERS[kind].get(name.lower())


def extra_of(kind: Kind, name: str) -> str | None:
    """Just the extra of that requirement (``"s3"``), or None when it needs none."""
    req = provider_of(kind, name) or ""
    return req.partition("[")[2].rstrip("]") or None
