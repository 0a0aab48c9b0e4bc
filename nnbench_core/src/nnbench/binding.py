"""Check run parameters against benchmark signatures and bind artifact parameters.

A parameter annotated with an ``Artifact`` subclass accepts an instance, a loader, or a spec
string/path (turned into one instance shared by every benchmark of the run). Its default in
code may itself be a spec string or an instance.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from nnbench.artifacts import Artifact, ArtifactLoader
from nnbench.errors import ParameterError
from nnbench.types import Benchmark


def artifact_class(annotation: Any) -> type[Artifact[Any]] | None:
    """The Artifact subclass an annotation names (also inside ``Optional[...]``), or None."""
    if isinstance(annotation, type) and issubclass(annotation, Artifact):
        return annotation
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, Artifact):
        return origin
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = artifact_class(arg)
            if found is not None:
                return found
    return None


@dataclasses.dataclass
class ArtifactParam:
    """One artifact parameter of the collected benchmarks."""

    name: str
    cls: type[Artifact[Any]]
    default: Any = inspect.Parameter.empty


def artifact_params(benchmarks: Iterable[Benchmark]) -> dict[str, ArtifactParam]:
    """Artifact parameters by name; one name with two different classes is an error."""
    found: dict[str, ArtifactParam] = {}
    for bm in benchmarks:
        iface = bm.interface
        for name, annotation, default in zip(iface.names, iface.types, iface.defaults, strict=False):
            if name in bm.params:
                continue
            cls = artifact_class(annotation)
            if cls is None:
                continue
            known = found.get(name)
            if known is None:
                found[name] = ArtifactParam(name, cls, default)
            elif known.cls is not cls and not issubclass(cls, known.cls):
                if issubclass(known.cls, cls):
                    continue
                raise ParameterError(
                    f"parameter {name!r} is a {known.cls.__name__} in one benchmark and a "
                    f"{cls.__name__} in {bm.name}; use one artifact type per parameter name"
                )
            elif known.default is inspect.Parameter.empty:
                known.default = default
    return found


def make_artifact(cls: type[Artifact[Any]], value: Any) -> Artifact[Any]:
    """An instance of ``cls`` from an instance, a loader, or a spec string/path."""
    if isinstance(value, Artifact):
        return value
    if isinstance(value, (str, ArtifactLoader)) or hasattr(value, "__fspath__"):
        return cls(value)
    raise ParameterError(f"cannot make a {cls.__name__} from {type(value).__name__}")


def bind_artifacts(
    benchmarks: list[Benchmark],
    params: Mapping[str, Any],
    instances: dict[tuple[str, Any], Artifact[Any]] | None = None,
    declared: dict[str, ArtifactParam] | None = None,
) -> dict[str, Any]:
    """``params`` with artifact specs turned into artifacts and code defaults filled in.

    ``instances`` (optional) reuses one artifact per (parameter, spec) across calls, so runs
    over several models share the unchanged artifacts (the dataset) instead of reloading them.
    ``declared`` passes ``artifact_params(benchmarks)`` when the caller already has it.
    """
    bound = dict(params)
    cache = {} if instances is None else instances
    for name, ap in (declared if declared is not None else artifact_params(benchmarks)).items():
        source = bound.get(name, ap.default)
        if source is inspect.Parameter.empty or source is None:
            continue
        key = (name, source if isinstance(source, str) else id(source))
        if key not in cache:
            cache[key] = make_artifact(ap.cls, source)
        bound[name] = cache[key]
    return bound


def type_ok(value: Any, annotation: Any) -> bool:
    """A lenient isinstance check: unknown or complex annotations pass; ints pass as floats."""
    if annotation is inspect.Parameter.empty or annotation is Any or isinstance(annotation, str):
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(type_ok(value, a) for a in typing.get_args(annotation))
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if origin is not None:
        annotation = origin
    if not isinstance(annotation, type):
        return True
    if isinstance(value, bool) and annotation in (int, float):
        return False  # true/false is not a number, although bool subclasses int
    if annotation is float and isinstance(value, int):
        return True
    try:
        return isinstance(value, annotation)
    except TypeError:
        return True


def check_params(benchmarks: list[Benchmark], params: Mapping[str, Any]) -> None:
    """Raise one ParameterError for a missing, unknown or mistyped parameter."""
    accepted: set[str] = set()
    for bm in benchmarks:
        iface = bm.interface
        accepted.update(n for n in iface.names if n not in bm.params)
        for name, annotation, default in zip(iface.names, iface.types, iface.defaults, strict=False):
            if name in bm.params:
                continue
            if name not in params:
                if default is inspect.Parameter.empty:
                    raise ParameterError(
                        f"benchmark {bm.name!r} needs parameter {name!r}; pass it with "
                        f"--param {name}=VALUE (or params={{{name!r}: ...}})"
                    )
                continue
            value = params[name]
            if not type_ok(value, annotation):
                expected = getattr(annotation, "__name__", str(annotation))
                raise ParameterError(
                    f"parameter {name!r} of benchmark {bm.name!r} must be {expected}, "
                    f"got {type(value).__name__} {_short(value)}"
                )
    unknown = sorted(set(params) - accepted)
    if unknown and benchmarks:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}: no selected benchmark takes it "
            f"(known: {', '.join(sorted(accepted)) or 'none'})"
        )


def _short(value: Any) -> str:
    from nnbench.jsonsafe import short_repr

    return short_repr(value, 40)
