"""Build an ``FsspecLoader`` from a parsed spec (the core's ``ParsedSpec``) and kwargs."""

from __future__ import annotations

from typing import Any

from nnbench_fsspec import options as opts
from nnbench_fsspec.loader import FsspecLoader

#: Keyword arguments that configure the loader itself; all others are storage options.
LOADER_KWARGS = ("cache_dir", "max_workers", "verify", "offline")
#: Query options that configure the loader (never handed to fsspec as storage options).
LOADER_QUERY = ("offline",)


def spec_url(spec: Any) -> str:
    """The URL to hand fsspec: the spec as written, scheme lower-cased, nnbench's query removed.

    For http(s) the query string belongs to the resource (signed URLs) and stays in the URL.
    """
    raw = str(spec.raw)
    raw = spec.scheme + raw[len(spec.scheme) :]
    if spec.scheme in opts.QUERY_IS_RESOURCE:
        return raw
    return opts.strip_query(raw, spec.options)


def make_loader(spec: Any, **kwargs: Any) -> FsspecLoader:
    """Loader factory registered for every protocol: ``factory(spec, **kwargs)``."""
    url = spec_url(spec)
    loader_kw = {k: kwargs.pop(k) for k in LOADER_KWARGS if k in kwargs}
    query = {} if spec.scheme in opts.QUERY_IS_RESOURCE else dict(spec.options or {})
    for k in LOADER_QUERY:
        if k in query:
            loader_kw.setdefault(k, query.pop(k))
    storage = opts.merge(url, query, kwargs)
    return FsspecLoader(url, storage, spec=str(spec.raw), **loader_kw)
