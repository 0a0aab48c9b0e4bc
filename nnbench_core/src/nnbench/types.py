"""Plain data types: benchmarks, parameters, records, artifacts and their loaders."""

from __future__ import annotations

import abc
import dataclasses
import inspect
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


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

    def required(self) -> tuple[str, ...]:
        return tuple(n for n, d in zip(self.names, self.defaults, strict=False) if d is inspect.Parameter.empty)


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
    interface: Interface = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "interface", Interface.from_callable(self.fn))

    @property
    def function(self) -> str:
        return getattr(self.fn, "__qualname__", getattr(self.fn, "__name__", repr(self.fn)))

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


class ArtifactLoader(abc.ABC):
    """Knows *where* an artifact lives; ``load()`` returns a local path (downloading if needed).

    ``spec`` is the string the loader was resolved from; a loader with a spec pickles as that
    spec, so another process resolves (and downloads, or finds in its cache) by itself.
    """

    spec: str | None = None

    @abc.abstractmethod
    def load(self) -> os.PathLike[str]:
        """Make the artifact available locally and return its path (file or directory)."""

    def provenance(self) -> dict[str, Any]:
        """JSON-safe facts about what ``load()`` found: revision, files, sizes. No secrets."""
        return {}

    def __reduce__(self) -> Any:
        if self.spec is None:
            return super().__reduce__()
        from nnbench.loaders import resolve

        return (resolve, (self.spec,))

    def __repr__(self) -> str:
        from nnbench.redact import redact_url

        return f"{type(self).__name__}({redact_url(self.spec) if self.spec else '...'})"


class LocalArtifactLoader(ArtifactLoader):
    """An artifact that already lies on the local disk.

    ``options`` hold a local spec's ``?key=value`` suffix (``./data?split=test``), for the
    artifact to read; they never change the path.
    """

    def __init__(self, path: str | os.PathLike[str],
                 options: Mapping[str, str] | None = None) -> None:
        self.path = Path(path)
        self.options = dict(options or {})
        self.spec = os.fspath(path)

    def load(self) -> Path:
        from nnbench.errors import ArtifactNotFoundError

        if not self.path.exists():
            raise ArtifactNotFoundError(
                f"local artifact path {self.path} does not exist; check the path or spec"
            )
        return self.path

    def provenance(self) -> dict[str, Any]:
        from nnbench.fileinfo import describe_files

        return describe_files(self.path)

    def __reduce__(self) -> Any:
        return (type(self), (self.path, self.options), {"spec": self.spec})


class Artifact(Generic[T]):
    """Knows *what* an artifact is. Lazy: constructing loads nothing.

    The first ``.path`` calls the loader once; the first ``.value`` calls ``deserialize()``
    once, which subclasses implement by setting ``self._value``. ``release()`` (or leaving a
    ``with`` block) drops the value so its memory can be freed before the next artifact loads.
    Pickles as its class plus loader spec, never its value.
    """

    def __init__(self, loader: ArtifactLoader | str | os.PathLike[str], **loader_kwargs: Any):
        if not isinstance(loader, ArtifactLoader):
            from nnbench.loaders import resolve

            loader = resolve(loader, **loader_kwargs)
        self.loader = loader
        self._path: Path | None = None
        self._value: T | None = None
        self._has_value = False
        self._lock = threading.RLock()

    @property
    def spec(self) -> str | None:
        return self.loader.spec

    @property
    def path(self) -> Path:
        if self._path is None:
            with self._lock:
                if self._path is None:
                    self._path = Path(self.loader.load())
        return self._path

    @property
    def value(self) -> T:
        if not self._has_value:
            with self._lock:
                if not self._has_value:
                    self.path  # noqa: B018 -- the loader runs before deserialize, once
                    self._value = None
                    self.deserialize()
                    self._has_value = True
        return self._value  # type: ignore[return-value]

    def deserialize(self) -> None:
        """Load ``self.path`` into memory and set ``self._value``. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement deserialize()")

    def is_deserialized(self) -> bool:
        return self._has_value

    def release(self) -> None:
        """Drop the deserialized value (the path stays known); the next ``.value`` reloads."""
        with self._lock:
            self._value = None
            self._has_value = False
        import gc

        gc.collect()

    def provenance(self) -> dict[str, Any]:
        """Spec, local path and what the loader reports; call after ``.path``."""
        from nnbench.redact import redact_url

        facts: dict[str, Any] = {
            "spec": redact_url(self.spec) if self.spec else None,
            "artifact": f"{type(self).__module__}.{type(self).__qualname__}",
            "loader": f"{type(self.loader).__module__}.{type(self.loader).__qualname__}",
        }
        if self._path is not None:
            facts["path"] = os.fspath(self._path)
            facts.update(self.loader.provenance())
        return facts

    def __enter__(self) -> Artifact[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle everything but the value and the lock: the loader travels as its spec."""
        state = dict(self.__dict__)
        state.update(_value=None, _has_value=False, _path=None)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        state = "deserialized" if self._has_value else ("loaded" if self._path else "lazy")
        return f"{type(self).__name__}({self.loader!r}, {state})"
