"""Decorators that turn functions into plain ``Benchmark`` objects."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, overload

from nnbench.types import Benchmark

NameGen = Callable[[Callable[..., Any], Mapping[str, Any]], str]

_SIMPLE = (str, int, float, bool, type(None))


def _format_value(value: Any) -> str:
    if isinstance(value, _SIMPLE):
        return str(value)
    name = getattr(value, "__name__", None)
    if isinstance(name, str):
        return name
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def default_namegen(fn: Callable[..., Any], params: Mapping[str, Any]) -> str:
    """``f1_per_class_class_label=B-PER``: the function name, then each parameter as key=value."""
    parts = "_".join(f"{k}={_format_value(v)}" for k, v in params.items())
    return f"{fn.__name__}_{parts}" if parts else fn.__name__


def _check_options(options: Mapping[str, Any]) -> None:
    allowed = {"warmup", "repeat", "number", "autorange", "min_time", "max_time", "memory", "unit",
               "better", "resources"}
    unknown = set(options) - allowed
    if unknown:
        raise TypeError(
            f"unknown benchmark option(s) {sorted(unknown)}; allowed: {sorted(allowed)}"
        )
    if options.get("better", "higher") not in ("higher", "lower"):
        raise ValueError(f"benchmark option better={options['better']!r}: use 'higher' or 'lower'")
    resources = options.get("resources")
    if resources is not None and (not isinstance(resources, Mapping) or not all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
            and v > 0 for k, v in resources.items())):
        raise ValueError(f"benchmark option resources={resources!r}: expected a mapping of "
                         "resource names to amounts > 0, e.g. {'GPU': 1}")
    from nnbench.measure.timing import check_options

    check_options(options)


@overload
def benchmark(func: Callable[..., Any]) -> Benchmark: ...
@overload
def benchmark(
    func: None = None,
    *,
    name: str | None = None,
    setUp: Callable[..., Any] | None = None,
    tearDown: Callable[..., Any] | None = None,
    tags: Iterable[str] = (),
    **options: Any,
) -> Callable[[Callable[..., Any]], Benchmark]: ...


def benchmark(
    func: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    setUp: Callable[..., Any] | None = None,
    tearDown: Callable[..., Any] | None = None,
    tags: Iterable[str] = (),
    **options: Any,
) -> Any:
    """Mark a function as a benchmark; use bare (``@benchmark``) or with arguments.

    ``setUp``/``tearDown`` are called as ``setUp(benchmark, params)`` outside the timed region.
    Extra keyword options (``warmup=``, ``repeat=``, ``number=``, ``autorange=``, ``min_time=``,
    ``max_time=``, ``memory=``, ``unit=``; see ``nnbench.measure.timing``) configure measurement;
    ``better="higher"|"lower"`` tells ``nnbench compare`` which direction is an improvement.
    """
    _check_options(options)

    def decorate(fn: Callable[..., Any]) -> Benchmark:
        return Benchmark(
            fn,
            name=name or fn.__name__,
            setUp=setUp,
            tearDown=tearDown,
            tags=tuple(tags),
            options=dict(options),
        )

    return decorate(func) if func is not None else decorate


def _namegen_caller(namegen: Callable[..., str]) -> NameGen:
    """``namegen(fn, params)``, or ``namegen(fn, **params)`` for a namegen written for upstream
    nnbench (one positional parameter and ``**kwargs``)."""
    import inspect

    try:
        parameters = list(inspect.signature(namegen).parameters.values())
    except (TypeError, ValueError):
        return namegen
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) == 1 and any(p.kind is p.VAR_KEYWORD for p in parameters):
        return lambda fn, params: namegen(fn, **params)
    return namegen


def parametrize(
    parameters: Iterable[Mapping[str, Any]],
    *,
    setUp: Callable[..., Any] | None = None,
    tearDown: Callable[..., Any] | None = None,
    namegen: NameGen = default_namegen,
    tags: Iterable[str] = (),
    **options: Any,
) -> Callable[[Callable[..., Any]], list[Benchmark]]:
    """Make one benchmark per parameter dict: a family with unique, readable names."""
    _check_options(options)
    param_list = [dict(p) for p in parameters]
    tags = tuple(tags)

    make_name = _namegen_caller(namegen)

    def decorate(fn: Callable[..., Any]) -> list[Benchmark]:
        family = []
        seen: set[str] = set()
        for index, params in enumerate(param_list):
            name = make_name(fn, params)
            if name in seen:
                raise ValueError(
                    f"parametrize on {fn.__name__}: two members are named {name!r}; "
                    "pass distinct parameters or a namegen that tells them apart"
                )
            seen.add(name)
            family.append(
                Benchmark(
                    fn,
                    name=name,
                    params=params,
                    setUp=setUp,
                    tearDown=tearDown,
                    tags=tags,
                    options=dict(options),
                    family_size=len(param_list),
                    family_index=index,
                )
            )
        return family

    return decorate


def product(
    *,
    setUp: Callable[..., Any] | None = None,
    tearDown: Callable[..., Any] | None = None,
    namegen: NameGen = default_namegen,
    tags: Iterable[str] = (),
    **iterables: Iterable[Any],
) -> Callable[[Callable[..., Any]], list[Benchmark]]:
    """Make one benchmark per element of the Cartesian product of the keyword iterables."""
    names = list(iterables)
    combos = (dict(zip(names, values, strict=False)) for values in itertools.product(*iterables.values()))
    return parametrize(combos, setUp=setUp, tearDown=tearDown, namegen=namegen, tags=tags)
