"""Planning a run: which benchmarks, which loader bindings, and the units an executor runs.

A plan is plain data. Each :class:`Unit` is one loader binding (the artifacts of one
``--loader`` combination) with the benchmarks that use it, in collection order. Units pickle
without their live benchmark objects and with artifacts as specs: the receiving process
collects the benchmarks again from :class:`BenchmarkSource` (shipped by content where the file
system is not shared) and resolves the specs with its own plugins, cache and credentials.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nnbench.artifacts import Artifact
from nnbench.binding import artifact_params, bind_artifacts, check_params, type_ok
from nnbench.collect import collect, python_files
from nnbench.errors import CollectionError, ParameterError, UsageError
from nnbench.redact import clip, redact_url
from nnbench.types import Benchmark

if TYPE_CHECKING:
    from nnbench.plugins.manager import PluginManager

_NAMED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<spec>.+)$", re.S)


@dataclasses.dataclass
class BenchmarkSource:
    """Where benchmarks come from: paths or module names, plus their files' content.

    ``files`` (relative path -> bytes, below ``root``) is filled by :meth:`pack` for executors
    whose workers do not share the driver's file system.
    """

    targets: list[str]
    root: str = ""
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    #: Module objects and benchmarks given directly (this process only; they travel by name).
    live: list[Any] | None = dataclasses.field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, targets: Iterable[Any]) -> BenchmarkSource:
        """From paths, module names, module objects, benchmarks or lists of benchmarks."""
        targets = list(targets)
        names = [_target_name(t) for t in targets]
        paths = [Path(n) for n in names if os.path.exists(n)]
        dirs = [p if p.is_dir() else p.parent for p in paths]
        root = os.path.commonpath([str(d) for d in dirs]) if dirs else ""
        return cls(names, root, live=targets)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "live": None}

    def pack(self) -> BenchmarkSource:
        """A copy carrying the code a worker needs: every ``.py`` file below a folder target;
        for a file target, the ``.py`` files beside it and the packages (folders with an
        ``__init__.py``) there, which is what it can import as siblings."""
        files: dict[str, bytes] = {}
        for target in self.targets:
            path = Path(target)
            if path.is_dir():
                found = python_files(path, private=True)
            elif path.is_file():
                found = sibling_modules(path.parent)
            else:
                continue
            for file in found:
                files[os.path.relpath(file, self.root)] = file.read_bytes()
        return dataclasses.replace(self, files=files)

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for rel in sorted(self.files):
            h.update(rel.encode() + b"\0" + self.files[rel] + b"\0")
        return h.hexdigest()[:16]

    def unpack(self, into: Path) -> BenchmarkSource:
        """Write the shipped files below ``into`` (once per content); targets point there."""
        if not self.files or self._present():
            return self
        dest = into / self.digest
        if not dest.exists():
            tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
            for rel, data in self.files.items():
                target = tmp / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            try:
                os.replace(tmp, dest)
            except OSError:  # another worker won the race: same content
                import shutil

                shutil.rmtree(tmp, ignore_errors=True)
        targets = [str(dest / os.path.relpath(t, self.root)) if os.path.isabs(t) else t
                   for t in self.targets]
        return BenchmarkSource(targets, str(dest))

    def _present(self) -> bool:
        """Whether this machine already has every shipped file, unchanged, where it was."""
        for rel, data in self.files.items():
            path = Path(self.root) / rel
            try:
                if path.read_bytes() != data:
                    return False
            except OSError:
                return False
        return True

    def collect(self) -> list[Benchmark]:
        """Every benchmark of the targets, in collection order (no tag filter)."""
        found: list[Benchmark] = []
        for target in self.live if self.live is not None else self.targets:
            if isinstance(target, Benchmark):
                found.append(target)
            elif isinstance(target, (list, tuple)):
                found.extend(b for b in target if isinstance(b, Benchmark))
            else:
                found.extend(collect(target))
        return found


def sibling_modules(folder: Path) -> list[Path]:
    """``*.py`` files in ``folder`` and every package folder in it (recursively)."""
    found = sorted(folder.glob("*.py"))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if (sub / "__init__.py").is_file() and not sub.name.startswith("."):
            found.extend(python_files(sub, private=True))
    return found


def _target_name(target: Any) -> str:
    """How a target travels to another process: a module name or an absolute path."""
    if isinstance(target, ModuleType):
        return target.__name__
    if isinstance(target, Benchmark):
        return getattr(target.fn, "__module__", "") or ""
    if isinstance(target, (list, tuple)):
        return next((_target_name(b) for b in target), "")
    text = os.fspath(target)
    return os.path.abspath(text) if os.path.exists(text) else text


@dataclasses.dataclass
class Unit:
    """One loader binding and the benchmarks that use it: what one worker process runs.

    ``indices`` point into ``source.collect()``; ``positions`` are the results' places in the
    binding's record. ``benchmarks`` are the live objects in the driver; they do not pickle.
    """

    binding: int
    run_name: str
    run_id: str
    source: BenchmarkSource
    indices: list[int]
    positions: list[int]
    names: list[str]
    params: dict[str, Any]
    options: dict[str, Any] = dataclasses.field(default_factory=dict)
    resources: dict[str, float] = dataclasses.field(default_factory=dict)
    benchmarks: list[Benchmark] | None = None
    #: ``conf.py`` fixtures by position in ``indices`` (nnbench.fixtures), evaluated again here.
    fixtures: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        """Without live benchmarks; artifacts as their specs (their classes are defined in the
        benchmark files, which the receiving process collects again)."""
        state = dict(self.__dict__)
        state["benchmarks"] = None
        state["params"] = {k: ArtifactSpec(redact_url(v.spec)) if isinstance(v, Artifact)
                           and v.spec else v for k, v in self.params.items()}
        return state

    def artifacts(self) -> dict[str, Artifact[Any]]:
        return {k: v for k, v in self.params.items() if isinstance(v, Artifact)}

    def resolve_benchmarks(self) -> list[Benchmark]:
        """The unit's benchmarks: the live ones, or collected again from the source."""
        if self.benchmarks is not None:
            return self.benchmarks
        found = self.source.collect()
        try:
            picked = [found[i] for i in self.indices]
        except IndexError:
            picked = []
        if [b.name for b in picked] != self.names:
            raise CollectionError(
                f"the benchmarks of {self.run_name!r} differ on this worker from the driver's; "
                "make the workers run the same code"
            )
        specs = {k: v.spec for k, v in self.params.items() if isinstance(v, ArtifactSpec)}
        if specs:  # one instance per spec, of the class the benchmarks annotate
            self.params = bind_artifacts(picked, {**self.params, **specs})
        if self.fixtures:
            from nnbench.fixtures import apply_fixtures

            picked = apply_fixtures(picked, self.fixtures, self.source.root)
        self.benchmarks = picked
        return picked


@dataclasses.dataclass(frozen=True)
class ArtifactSpec:
    """An artifact on its way to a worker: just its redacted spec (``***`` for secrets, which
    the worker's loader takes from its own environment or configuration)."""

    spec: str


@dataclasses.dataclass
class Binding:
    """One combination of ``--loader`` values: parameter name -> spec, and the bound params."""

    index: int
    specs: dict[str, str]
    params: dict[str, Any]
    name: str

    @property
    def label(self) -> str:
        return ",".join(f"{k}={_shown(v)}" for k, v in self.specs.items())


@dataclasses.dataclass
class Plan:
    """What a session will run: the selected benchmarks, one binding per record, the units."""

    benchmarks: list[Benchmark]
    bindings: list[Binding]
    units: list[Unit]


def select(benchmarks: list[Benchmark], tags: Iterable[str]) -> list[Benchmark]:
    """Benchmarks carrying at least one of ``tags`` (all of them when no tag is given)."""
    wanted = set(tags)
    if not wanted:
        return list(benchmarks)
    return [b for b in benchmarks if wanted.intersection(b.tags)]


def assign_loaders(specs: Iterable[str], names: list[str]) -> dict[str, list[str]]:
    """Map ``--loader`` values to artifact parameters, keeping their order.

    ``NAME=SPEC`` binds by name. A bare SPEC binds to the artifact parameter no ``NAME=``
    names (the first declared one if several are free, with a warning; the only one if there
    is just one).
    """
    specs = list(specs)
    if specs and not names:
        raise UsageError(f"--loader {_shown(specs[0])}: no selected benchmark has a parameter annotated "
                         "with an Artifact subclass; pass plain values with --param")
    pairs: list[tuple[str | None, str]] = []
    for spec in specs:
        m = _NAMED.match(spec)
        if m and m["name"] in names:
            pairs.append((m["name"], m["spec"]))
        elif m and not os.path.exists(spec):
            raise UsageError(
                f"--loader {_shown(spec)}: no artifact parameter {clip(m['name'], 40)!r} "
                f"(artifact parameters: {', '.join(names) or 'none'})"
            )
        else:
            pairs.append((None, spec))
    bare = [spec for name, spec in pairs if name is None]
    target = None
    if bare:
        named = {name for name, _ in pairs if name}
        free = [n for n in names if n not in named] or (names if len(names) == 1 else [])
        if not free:
            raise UsageError(f"--loader {_shown(bare[0])}: every artifact parameter is already "
                             "bound by NAME=SPEC; name this one too")
        target = free[0]
        if len(free) > 1:
            warnings.warn(f"binding --loader {', '.join(map(_shown, bare))} to parameter {target!r} "
                          f"(use NAME=SPEC for {', '.join(free[1:])})", stacklevel=2)
    by_name: dict[str, list[str]] = {}
    for name, spec in pairs:
        by_name.setdefault(name or target, []).append(spec)  # type: ignore[arg-type]
    return by_name


def _shown(spec: str) -> str:
    return clip(redact_url(spec))


def make_plan(
    source: BenchmarkSource,
    everything: list[Benchmark],
    selected: list[Benchmark],
    params: Mapping[str, Any],
    loaders: Iterable[str],
    *,
    name: str,
    run_ids: Iterable[str],
    options: Mapping[str, Any] | None = None,
    plugins: PluginManager | None = None,
) -> Plan:
    """Bind and check every combination of loaders before anything runs.

    Bad input fails here, with nothing half done. Artifacts that do not change between
    bindings are one shared instance (the dataset loads once, the model per binding).
    """
    declared = artifact_params(selected)
    assigned = assign_loaders(loaders, list(declared))
    overlap = set(assigned) & set(params)
    if overlap:
        raise ParameterError(f"parameter {sorted(overlap)[0]!r} given by both --param and --loader")
    position_of = {id(b): i for i, b in enumerate(everything)}
    indices = [position_of[id(b)] for b in selected]
    ids = iter(run_ids)
    combos = [dict(zip(assigned, values, strict=True))
              for values in itertools.product(*assigned.values())]
    bindings, units, instances = [], [], {}
    for i, combo in enumerate(combos):
        bound = bind_artifacts(selected, {**params, **combo}, instances, declared)
        for value in bound.values():
            if isinstance(value, Artifact):
                value.bind(plugins)
        check_params(selected, bound)
        binding = Binding(i, combo, bound, name)
        if len(combos) > 1:
            binding.name = f"{name}[{binding.label}]"
        bindings.append(binding)
        units.append(Unit(i, binding.name, next(ids), source, indices,
                          list(range(len(selected))), [b.name for b in selected], bound,
                          dict(options or {}), unit_resources(selected), list(selected)))
    return Plan(selected, bindings, units)


def unit_resources(benchmarks: Iterable[Benchmark]) -> dict[str, float]:
    """What a unit needs from a worker: the most any of its benchmarks declares, per resource."""
    need: dict[str, float] = {}
    for bm in benchmarks:
        for key, amount in (bm.options.get("resources") or {}).items():
            need[key] = max(need.get(key, 0), float(amount))
    return need


def parse_params(raw: Mapping[str, str], benchmarks: Iterable[Benchmark]) -> dict[str, Any]:
    """``--param`` values: JSON where it parses and fits the parameter's annotation."""
    annotations: dict[str, Any] = {}
    for bm in benchmarks:
        annotations.update(zip(bm.interface.names, bm.interface.types, strict=False))
    return {key: parse_param(value, annotations.get(key), key) for key, value in raw.items()}


#: How deeply a ``--param`` JSON value may nest (deeper ones are refused, not a RecursionError).
MAX_PARAM_DEPTH = 64


def parse_param(raw: str, annotation: Any, name: str = "VALUE") -> Any:
    """JSON where it parses and fits the annotation; the raw string otherwise."""
    try:
        value = json.loads(raw)
    except RecursionError:
        value = None
    except ValueError:
        return raw
    if value is None and raw.strip() != "null" or _depth(value) > MAX_PARAM_DEPTH:
        raise ParameterError(f"--param {clip(name, 40)}: JSON nested more than "
                             f"{MAX_PARAM_DEPTH} levels deep; pass a flatter value")
    if type_ok(value, annotation) or not type_ok(raw, annotation):
        return value
    return raw


def _depth(value: Any) -> int:
    """How deeply lists and dicts nest in ``value`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MAX_PARAM_DEPTH:
                break
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest
