"""Upstream nnbench's functional API: ``nnbench.collect`` and ``nnbench.run``.

Thin wrappers over :class:`nnbench.Session` with the serial executor and no results store
(like upstream, a script's run leaves no files behind). ``conf.py`` fixtures apply as in a
CLI run.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nnbench.types import Benchmark, BenchmarkRecord, Parameters

if TYPE_CHECKING:
    from nnbench.context import ContextLike


def collect(path_or_module: str | os.PathLike[str] | ModuleType,
            tags: Iterable[str] = ()) -> list[Benchmark]:
    """Benchmarks in a file, a folder (recursively) or a module (by name, e.g. ``"__main__"``,
    or as an object), keeping those with one of ``tags`` when tags are given."""
    from nnbench.fixtures import remember_root
    from nnbench.session import Session

    found = Session(store=None).collect([path_or_module], tags)
    remember_root(found, path_or_module)  # conf.py files up to here apply to a run of them
    return found


def run(benchmarks: Benchmark | Iterable[Any] | str | os.PathLike[str] | ModuleType,
        name: str | None = None, params: Mapping[str, Any] | Parameters | None = None,
        context: ContextLike = (),
        jsonifier: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> BenchmarkRecord:
    """Run benchmarks (one, a family, a list as ``collect`` returns, or a path or module) and
    return their record. ``context``: a mapping, or context providers (callables returning
    mappings) whose results are merged into the record's context.

    ``jsonifier`` is accepted for upstream code and ignored: parameters are always recorded
    JSON-safe (``nnbench.jsonsafe``).
    """
    from nnbench.session import Session

    if jsonifier is not None:
        warnings.warn("nnbench.run(jsonifier=...) is ignored: parameters are recorded "
                      "JSON-safe by nnbench.jsonsafe", stacklevel=2)
    if isinstance(benchmarks, Benchmark):
        target: Any = [benchmarks]
    elif isinstance(benchmarks, (str, os.PathLike, ModuleType)):
        target = benchmarks
    else:
        target = [bm for item in benchmarks
                  for bm in (item if isinstance(item, (list, tuple)) else [item])]
    session = Session(store=None)
    with warnings.catch_warnings():
        if isinstance(target, list) and not target:
            warnings.simplefilter("ignore")  # nothing to run is an empty record, as upstream
        records = session.run(target, params=params, context=context or None, name=name)
    return records[0]


__all__ = ["collect", "run"]
