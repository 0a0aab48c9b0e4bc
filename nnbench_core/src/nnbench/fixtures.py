"""Parameters from ``conf.py`` files (upstream nnbench's fixtures), planned like any parameter.

A parameter a run leaves open (not in ``params``/``--param`` or ``--loader``, no default in
code) is looked up by name in ``conf.py`` files: next to the benchmark's file first, then in
each folder above it, up to the run's root (a folder given to the run, or the folder of a
file given). The first ``conf.py`` with a function of that name wins. A fixture's own
parameters are other fixtures of the same ``conf.py`` (or take their defaults).

Precedence is upstream's: explicit value > default in code > fixture (a default is what the
benchmark's author chose; ``conf.py`` fills what the code leaves open, as in pytest).

Each fixture is called once per run in each process that runs benchmarks. Its value is fixed
per benchmark (like ``parametrize``) and never travels between processes: a worker calls the
fixture again (:func:`apply_fixtures`). For an Artifact-typed parameter a fixture returns an
``Artifact`` or a spec string, which becomes the run's artifact, loaded, recorded and shipped
(as its spec) like ``--loader``.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import sys
import types
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from nnbench.binding import artifact_class, make_artifact, type_ok
from nnbench.errors import ParameterError
from nnbench.types import Benchmark, Interface

CONF = "conf.py"
_EMPTY = inspect.Parameter.empty


class FixtureError(ParameterError):
    """A ``conf.py`` fixture is missing an input, has a cycle, or raised."""


@dataclasses.dataclass(frozen=True)
class FixtureRef:
    """Where a benchmark's parameter comes from: function ``name`` of the ``conf.py`` at
    ``path`` (``rel``: relative to the run's source root, for code shipped elsewhere);
    ``run`` keys the once-per-run cache of the process that evaluates it."""

    path: str
    name: str
    rel: str | None
    run: str


@dataclasses.dataclass
class Fixed:
    """The plan's inputs with the fixtures applied: benchmarks with their values fixed,
    run parameters with the artifact fixtures added, and the references workers evaluate."""

    everything: list[Benchmark]
    selected: list[Benchmark]
    params: dict[str, Any]
    refs: dict[int, dict[str, FixtureRef]]  # position in ``selected`` -> parameter -> ref

    def attach(self, units: Iterable[Any]) -> None:
        """Give every unit the references, so a worker process can evaluate them again."""
        if self.refs:
            for unit in units:
                unit.fixtures = self.refs


# -- evaluation ----------------------------------------------------------------------------

def _conf_module(path: Path) -> types.ModuleType:
    from nnbench.collect import import_file

    return import_file(path)


def _fixture_in(module: types.ModuleType, name: str, path: Path) -> Any:
    """The fixture function ``name`` of a ``conf.py`` module, or None when it has none."""
    value = module.__dict__.get(name)
    if value is None or isinstance(value, types.ModuleType):
        return None
    if not callable(value):
        raise FixtureError(f"{path}: {name!r} is a {type(value).__name__}, not a function; a "
                           f"fixture is a function returning the value (def {name}(): ...)")
    return value


def evaluate(path: Path, name: str, cache: dict[tuple[str, str], Any],
             chain: tuple[str, ...] = ()) -> Any:
    """The value of fixture ``name`` of the ``conf.py`` at ``path``, its inputs evaluated
    first; each (file, name) is called once per ``cache``."""
    key = (str(path), name)
    if key in cache:
        return cache[key]
    module = _conf_module(path)
    fn = _fixture_in(module, name, path)
    if fn is None:
        raise FixtureError(f"{path} defines no fixture {name!r}")
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.name == name or param.name in chain:
            cycle = " -> ".join((*chain, name, param.name))
            raise FixtureError(f"{path}: fixtures depend on each other in a cycle ({cycle}); "
                               "break the cycle")
        if _fixture_in(module, param.name, path) is not None:
            kwargs[param.name] = evaluate(path, param.name, cache, (*chain, name))
        elif param.default is _EMPTY:
            raise FixtureError(f"{path}: fixture {name!r} needs {param.name!r}, which this "
                               f"conf.py does not define; add def {param.name}(): ... there or "
                               "give it a default")
    import logging  # here: planning a run without fixtures stays cheap

    logging.getLogger("nnbench.fixtures").debug("calling fixture %s of %s", name, path)
    try:
        value = fn(**kwargs)
    except Exception as exc:
        raise FixtureError(f"fixture {name!r} ({path}) raised {type(exc).__name__}: {exc}; "
                           "fix the fixture") from exc
    cache[key] = value
    return value


#: This process's values for the run it last evaluated fixtures for (a worker's cache).
_PROCESS: dict[str, Any] = {"run": None, "values": {}}


def apply_fixtures(benchmarks: list[Benchmark], refs: Mapping[int, Mapping[str, FixtureRef]],
                   root: str = "") -> list[Benchmark]:
    """``benchmarks`` with their fixture values fixed, evaluated in this process (once per run:
    a worker calls a fixture once for every unit of the run it serves). ``root`` is where the
    run's code lies here (shipped code is unpacked elsewhere)."""
    out = list(benchmarks)
    for position, named in refs.items():
        values = {}
        for param, ref in named.items():
            if _PROCESS["run"] != ref.run:
                _PROCESS.update(run=ref.run, values={})
            path = Path(root) / ref.rel if root and ref.rel else Path(ref.path)
            values[param] = evaluate(path, ref.name, _PROCESS["values"])
        out[position] = _fix(out[position], values)
    return out


def _fix(bm: Benchmark, values: Mapping[str, Any]) -> Benchmark:
    return dataclasses.replace(bm, params={**bm.params, **values})


# -- planning ------------------------------------------------------------------------------

def _required(iface: Interface, cache: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    """Parameters without a default (computed once per signature)."""
    key = id(iface)
    found = cache.get(key)
    if found is None:
        found = cache[key] = tuple(n for n, d in zip(iface.names, iface.defaults, strict=False)
                                   if d is _EMPTY)
    return found


def source_file(bm: Benchmark) -> Path | None:
    """The file a benchmark's function is defined in, or None (defined interactively)."""
    fn = inspect.unwrap(bm.fn)
    code = getattr(fn, "__code__", None)
    if code is not None and os.path.isfile(code.co_filename):
        return Path(code.co_filename).resolve()
    module = sys.modules.get(getattr(fn, "__module__", "") or "")
    file = getattr(module, "__file__", None)
    return Path(file).resolve() if file else None


#: Where benchmarks given as objects were collected from (``nnbench.collect``), by id.
_COLLECTED: dict[int, Path] = {}


def remember_root(benchmarks: Iterable[Benchmark], target: Any) -> None:
    """Note ``target`` (a folder, file or module) as the run root of ``benchmarks``, for a
    later run of the objects themselves (``nnbench.run(nnbench.collect(path))``)."""
    found = roots_of([target])
    if found:
        for bm in benchmarks:
            _COLLECTED[id(bm)] = found[0]


def roots_of(targets: Iterable[Any]) -> list[Path]:
    """The run's roots: each folder given, each given file's folder, each module's folder;
    for benchmarks given as objects, where ``nnbench.collect`` found them."""
    roots = []
    for target in targets:
        if isinstance(target, (Benchmark, list, tuple)):
            items = target if isinstance(target, (list, tuple)) else [target]
            roots.extend({_COLLECTED[id(b)] for b in items if id(b) in _COLLECTED})
            continue
        if isinstance(target, types.ModuleType):
            file = getattr(target, "__file__", None)
        elif isinstance(target, (str, os.PathLike)):
            text = os.fspath(target)
            file = text if os.path.exists(text) else getattr(sys.modules.get(text), "__file__",
                                                             None)
        else:
            continue
        if file:
            path = Path(file).resolve()
            roots.append(path if path.is_dir() else path.parent)
    return roots


class _Finder:
    """Which ``conf.py`` (if any) defines each fixture name for a folder, bottom-up."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.chains: dict[Path, list[Path]] = {}

    def chain(self, folder: Path) -> list[Path]:
        """``conf.py`` files from ``folder`` up to its outermost root (only ``folder``'s own
        when no root holds it)."""
        found = self.chains.get(folder)
        if found is None:
            holding = [r for r in self.roots if r == folder or r in folder.parents]
            top = min(holding, key=lambda r: len(r.parts)) if holding else folder
            folders = [folder, *folder.parents]
            folders = folders[: folders.index(top) + 1]
            found = self.chains[folder] = [f / CONF for f in folders if (f / CONF).is_file()]
        return found

    def find(self, folder: Path, name: str) -> Path | None:
        for conf in self.chain(folder):
            if _fixture_in(_conf_module(conf), name, conf) is not None:
                return conf
        return None


def resolve_fixtures(targets: Iterable[Any], everything: list[Benchmark],
                     selected: list[Benchmark], params: Mapping[str, Any],
                     given: Iterable[str] = (), *, root: str = "") -> Fixed:
    """Find and evaluate (once each) the fixtures of the parameters the run leaves open.

    ``given``: parameter names bound otherwise (``--loader``). ``root``: the source's root,
    so references stay valid where the code is shipped. Values of Artifact-typed parameters
    become run parameters; the others are fixed per benchmark.
    """
    open_names = set(params) | set(given)
    required: dict[int, tuple[str, ...]] = {}
    wanted: list[tuple[int, list[str]]] = []
    for i, bm in enumerate(selected):  # cheap: 10,000-member families pass through here
        names = required.get(id(bm.interface))
        if names is None:
            names = _required(bm.interface, required)
        fixed = bm.params
        for n in names:
            if n not in fixed and n not in open_names:
                wanted.append((i, [m for m in names if m not in fixed and m not in open_names]))
                break
    if not wanted:
        return Fixed(everything, selected, dict(params), {})
    return _Resolver(roots_of(targets), root).run(everything, selected, params, wanted)


class _Resolver:
    def __init__(self, roots: list[Path], root: str) -> None:
        self.finder = _Finder(roots)
        self.root = root
        self.run_id = uuid.uuid4().hex
        self.cache: dict[tuple[str, str], Any] = {}
        self.refs: dict[tuple[str, str], FixtureRef] = {}

    def ref(self, conf: Path, name: str) -> FixtureRef:
        key = (str(conf), name)
        if key not in self.refs:
            rel = None
            if self.root and Path(self.root) in conf.parents:
                rel = os.path.relpath(conf, self.root)
            self.refs[key] = FixtureRef(str(conf), name, rel, self.run_id)
        return self.refs[key]

    def run(self, everything: list[Benchmark], selected: list[Benchmark],
            params: Mapping[str, Any], wanted: list[tuple[int, list[str]]]) -> Fixed:
        run_params = dict(params)
        artifacts: dict[str, FixtureRef] = {}
        refs: dict[int, dict[str, FixtureRef]] = {}
        shared: dict[tuple[FixtureRef, ...], dict[str, FixtureRef]] = {}
        fixed = list(selected)
        for i, missing in wanted:
            bm = selected[i]
            file = source_file(bm)
            if file is None:
                continue
            named: dict[str, FixtureRef] = {}
            values: dict[str, Any] = {}
            for name in missing:
                conf = self.finder.find(file.parent, name)
                if conf is None:
                    continue  # check_params reports it, with how to pass it
                ref = self.ref(conf, name)
                value = evaluate(conf, name, self.cache)
                annotation = bm.interface.types[bm.interface.names.index(name)]
                cls = artifact_class(annotation)
                if cls is not None:
                    self._artifact(bm, name, cls, value, ref, artifacts, run_params)
                    continue
                if not type_ok(value, annotation):
                    expected = getattr(annotation, "__name__", str(annotation))
                    raise FixtureError(f"fixture {name!r} ({conf}) returned "
                                       f"{type(value).__name__}; parameter {name!r} of "
                                       f"benchmark {bm.name!r} must be {expected}")
                named[name], values[name] = ref, value
            if named:
                key = tuple(named.values())
                refs[i] = shared.setdefault(key, named)  # one dict per set: small pickles
                fixed[i] = _fix(bm, values)
        if refs:  # the same objects in both lists: the plan finds positions by identity
            swap = {id(selected[i]): fixed[i] for i in refs}
            everything = [swap.get(id(b), b) for b in everything]
        return Fixed(everything, fixed, run_params, refs)

    def _artifact(self, bm: Benchmark, name: str, cls: type, value: Any, ref: FixtureRef,
                  artifacts: dict[str, FixtureRef], run_params: dict[str, Any]) -> None:
        """An Artifact-typed parameter: the fixture's artifact or spec is the run's."""
        other = artifacts.get(name)
        if other is not None and other != ref:
            raise FixtureError(f"artifact parameter {name!r} comes from two fixtures ({other.path} "
                               f"and {ref.path}); an artifact is the run's: define it in one "
                               "conf.py or pass --loader")
        if other is None:
            try:
                make_artifact(cls, value)
            except ParameterError:
                raise FixtureError(f"fixture {name!r} ({ref.path}) returned "
                                   f"{type(value).__name__}; parameter {name!r} of benchmark "
                                   f"{bm.name!r} needs a {cls.__name__}, a spec string or a "
                                   "path") from None
            artifacts[name] = ref
            run_params[name] = value
