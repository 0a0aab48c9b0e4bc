"""Plain data types: benchmarks, parameters and records; the artifact types re-exported.

``Artifact``, ``ArtifactLoader`` and ``LocalArtifactLoader`` live in ``nnbench.artifacts``;
they are importable from here as well, where the seed API and plugins expect them.
"""

from __future__ import annotations

import dataclasses
import inspect
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from nnbench.artifacts.artifact import Artifact
from nnbench.artifacts.loaders import ArtifactLoader, LocalArtifactLoader

__all__ = [
    "Artifact", "ArtifactLoader", "Benchmark", "BenchmarkRecord", "BenchmarkResult", "Interface",
    "LocalArtifactLoader", "Parameters",
]


@dataclasses.dataclass(frozen=True)
class Interface:
    """A benchmark function's signature, read once: names, annotations, defaults, return type."""

    names: tuple[str, ...]
    types: tuple[Any, ...]
    defaults: tuple[Any, ...]  # inspect.Parameter.empty where there is none
    returns: Any
    description: str = ""

    @classmethod
    def from_callable(cls, fn: Callable[..., Any]) -> Interface:
        """The interface of ``fn``, computed once per function (families share it)."""
        try:
            return _INTERFACES[fn]
        except (KeyError, TypeError):
            pass
        iface = cls._read(fn)
        try:
            _INTERFACES[fn] = iface
        except TypeError:  # not weak-referenceable (a builtin): just don't cache
            pass
        return iface

    @classmethod
    def _read(cls, fn: Callable[..., Any]) -> Interface:
        sig = inspect.signature(fn)
        try:
            hints = _type_hints(fn)
        except Exception:  # unresolvable forward references: fall back to raw annotations
            hints = {}
        params = [
            p
            for p in sig.parameters.values()
            if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        return cls(
            names=tuple(p.name for p in params),
            types=tuple(hints.get(p.name, p.annotation) for p in params),
            defaults=tuple(p.default for p in params),
            returns=hints.get("return", sig.return_annotation),
            description=_first_doc_line(fn),
        )



_INTERFACES: weakref.WeakKeyDictionary[Any, Interface] = weakref.WeakKeyDictionary()


def _first_doc_line(fn: Callable[..., Any]) -> str:
    doc = (inspect.getdoc(fn) or "").strip()
    return doc.splitlines()[0] if doc else ""


def _type_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(fn)


@dataclasses.dataclass(frozen=True)
class Benchmark:
    """One benchmark: a function plus the parameters a decorator bound to it.

    ``params`` are the values ``parametrize``/``product`` fixed; the rest come from the run.
    ``options`` carry measurement settings (``warmup``, ``repeat``, ...) for the runner.
    """

    fn: Callable[..., Any]
    name: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    setUp: Callable[..., Any] | None = None
    tearDown: Callable[..., Any] | None = None
    tags: tuple[str, ...] = ()
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: Place in its ``parametrize``/``product`` family (upstream nnbench's ``State`` fields).
    family_size: int = 1
    family_index: int = 0
    interface: Interface = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "interface", Interface.from_callable(self.fn))

    @property
    def function(self) -> str:
        return getattr(self.fn, "__qualname__", getattr(self.fn, "__name__", repr(self.fn)))

    @property
    def family(self) -> str:
        """The family's name: the function's name (upstream nnbench's ``State.family``)."""
        return getattr(self.fn, "__name__", self.name)

    @property
    def description(self) -> str:
        return self.interface.description

    def __call__(self, **kwargs: Any) -> Any:
        return self.fn(**{**self.params, **kwargs})


@dataclasses.dataclass(frozen=True)
class Parameters:
    """Base class for typed run parameters: subclass as a frozen dataclass, pass to ``run``."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclasses.dataclass
class BenchmarkRecord:
    """The results of one run: its context and one result dict per benchmark."""

    run: str
    context: dict[str, Any]
    benchmarks: list[dict[str, Any]]
    run_id: str = ""
    timestamp: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "run_id": self.run_id,
            "timestamp": self.timestamp,
            "context": dict(self.context),
            "benchmarks": self.benchmarks,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchmarkRecord:
        return cls(
            run=data.get("run", ""),
            run_id=data.get("run_id", ""),
            timestamp=float(data.get("timestamp", 0.0)),
            context=dict(data.get("context", {})),
            benchmarks=list(data.get("benchmarks", [])),
        )

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [b for b in self.benchmarks if b.get("error_occurred")]

    # upstream nnbench's names for the same
    to_json = to_dict
    from_json = from_dict


#: Upstream nnbench's name for a run's record.
BenchmarkResult = BenchmarkRecord
