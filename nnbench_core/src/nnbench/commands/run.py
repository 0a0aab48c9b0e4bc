"""``nnbench run``: collect, bind artifacts from ``--loader``, run, report, store."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
from typing import Any

from nnbench.errors import BenchmarkFailed, NNBenchError, ParameterError, UsageError

_NAMED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<spec>.+)$", re.S)


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("run", parents=[common], help="run benchmarks",
                       description="Run benchmarks from files, directories or modules.")
    p.add_argument("benchmarks", nargs="*", metavar="BENCHMARKS",
                   help="a .py file, a directory (recursive) or a module (default: ./benchmarks)")
    p.add_argument("--loader", action="append", default=[], metavar="[NAME=]SPEC",
                   help="artifact for an Artifact-typed parameter; repeat to run once per artifact")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a benchmark parameter; VALUE is JSON where it parses, else a string")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="run only benchmarks with one of these tags")
    p.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                   help="extra context for the record")
    p.add_argument("--output", "-o", action="append", default=[], metavar="URI",
                   help="also write results here (.json .ndjson .csv .yaml .parquet[.gz], sqlite://)")
    p.add_argument("--name", help="the run's name (default: run-DATE-TIME)")
    p.add_argument("--hostname", action="store_true", help="record the host name in the context")
    p.add_argument("--store", default=os.environ.get("NNBENCH_STORE"), metavar="URI",
                   help="results store (default: .nnbench/results.db)")
    p.add_argument("--no-store", action="store_true", help="do not append to the results store")
    p.add_argument("--repeat", type=int, metavar="N", help="timed repetitions per benchmark")
    p.add_argument("--warmup", type=int, metavar="N", help="untimed calls before timing")
    p.add_argument("--quiet", "-q", action="store_true", help="no result table")
    p.set_defaults(handler=handle)


def _split_pair(text: str, flag: str) -> tuple[str, str]:
    if "=" not in text:
        raise UsageError(f"{flag} expects NAME=VALUE, got {text!r}")
    key, value = text.split("=", 1)
    if not key:
        raise UsageError(f"{flag} expects NAME=VALUE, got {text!r}")
    return key, value


def parse_param(raw: str, annotation: Any) -> Any:
    """JSON where it parses and fits the annotation; the raw string otherwise."""
    from nnbench.binding import type_ok

    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if type_ok(value, annotation) or not type_ok(raw, annotation):
        return value
    return raw


def _annotations(benchmarks: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for bm in benchmarks:
        out.update(zip(bm.interface.names, bm.interface.types, strict=False))
    return out


def assign_loaders(specs: list[str], names: list[str]) -> dict[str, list[str]]:
    """Map ``--loader`` values to artifact parameters, keeping command-line order.

    ``NAME=SPEC`` binds by name. A bare SPEC binds to the artifact parameter no ``NAME=``
    names (the first declared one if several are free; the only one if there is just one).
    """
    if specs and not names:
        raise UsageError(f"--loader {specs[0]}: no selected benchmark has a parameter annotated "
                         "with an Artifact subclass; pass plain values with --param")
    pairs: list[tuple[str | None, str]] = []
    for spec in specs:
        m = _NAMED.match(spec)
        if m and m["name"] in names:
            pairs.append((m["name"], m["spec"]))
        elif m and not os.path.exists(spec):
            raise UsageError(
                f"--loader {spec}: no artifact parameter {m['name']!r} "
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
            raise UsageError(f"--loader {bare[0]}: every artifact parameter is already "
                             "bound by NAME=SPEC; name this one too")
        target = free[0]
        if len(free) > 1:
            print(f"binding --loader {', '.join(bare)} to parameter {target!r} "
                  f"(use NAME=SPEC for {', '.join(free[1:])})", file=sys.stderr)
    by_name: dict[str, list[str]] = {}
    for name, spec in pairs:
        by_name.setdefault(name or target, []).append(spec)  # type: ignore[arg-type]
    return by_name


def handle(args: argparse.Namespace) -> int:
    """Check outputs, collect, parse inputs, plan every run, execute, write outputs."""
    from nnbench.binding import artifact_params
    from nnbench.plugins import get_plugin_manager
    from nnbench.reporter.files import check_writable
    from nnbench.runner import BenchmarkRunner

    plugins = get_plugin_manager()
    targets = args.benchmarks or ["benchmarks"]
    for out in args.output:
        from nnbench.reporter.dispatch import reporter_for

        reporter_for(out, plugins)
        if "://" not in out:
            check_writable(out)
    runner = BenchmarkRunner(plugins)
    benchmarks = []
    for target in targets:
        if not os.path.exists(target) and target == "benchmarks" and not args.benchmarks:
            raise UsageError("no benchmarks given and no ./benchmarks directory; "
                             "pass a file, directory or module: nnbench run PATH")
        benchmarks.extend(runner.collect(target, args.tag))
    if not benchmarks:
        print("warning: no benchmarks selected"
              + (f" with tags {', '.join(args.tag)}" if args.tag else ""), file=sys.stderr)
        return 0
    params = _params(args.param, benchmarks)
    context = _context(args)
    options = _options(args)
    assigned = assign_loaders(args.loader, list(artifact_params(benchmarks)))
    overlap = set(assigned) & set(params)
    if overlap:
        raise ParameterError(f"parameter {sorted(overlap)[0]!r} given by both --param and --loader")
    plans = plan_runs(benchmarks, params, assigned)
    records, failures = _execute(runner, benchmarks, plans, args, context, options)
    _write_outputs(records, args.output, plugins)
    if failures:
        return 2
    if any(r.failed for r in records):
        n = sum(len(r.failed) for r in records)
        print(f"error: {n} benchmark(s) failed; see the error column", file=sys.stderr)
        return BenchmarkFailed.exit_code
    return 0


def _params(raw_params: list[str], benchmarks: list[Any]) -> dict[str, Any]:
    annotations = _annotations(benchmarks)
    params: dict[str, Any] = {}
    for raw in raw_params:
        key, value = _split_pair(raw, "--param")
        params[key] = parse_param(value, annotations.get(key))
    return params


def _context(args: argparse.Namespace) -> dict[str, Any]:
    context: dict[str, Any] = dict(_split_pair(c, "--context") for c in args.context)
    if args.hostname:
        from nnbench.context import hostname

        context["host"] = hostname()
    return context


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """``--repeat``/``--warmup`` as runner overrides, checked like benchmark options."""
    from nnbench.timing import check_options

    options = {k: v for k, v in (("repeat", args.repeat), ("warmup", args.warmup)) if v is not None}
    try:
        check_options(options)
    except ValueError as exc:
        raise UsageError(str(exc).replace("benchmark option ", "--")) from None
    return options


def plan_runs(benchmarks: list[Any], params: dict[str, Any],
              assigned: dict[str, list[str]]) -> list[tuple[dict[str, str], dict[str, Any]]]:
    """One (loader choice, bound parameters) pair per combination of ``--loader`` values.

    Every combination is bound and checked before anything runs, so bad input fails fast
    with nothing half done; unchanged artifacts are shared between combinations.
    """
    from nnbench.binding import bind_artifacts, check_params

    plans, instances = [], {}
    for values in itertools.product(*assigned.values()):
        combo = dict(zip(assigned, values, strict=True))
        bound = bind_artifacts(benchmarks, {**params, **combo}, instances)
        check_params(benchmarks, bound)
        plans.append((combo, bound))
    return plans


def _execute(runner: Any, benchmarks: list[Any], plans: list[Any], args: argparse.Namespace,
             context: dict[str, Any], options: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """Run each plan with the live plugins attached; a loader error skips only its plan."""
    from nnbench.runner import default_run_name

    base_name = args.name or default_run_name()
    live = _attach(runner.plugins, args)
    records, failures = [], []
    try:
        for i, (combo, bound) in enumerate(plans):
            name = base_name if len(plans) == 1 else f"{base_name}[{_label(combo)}]"
            try:
                record = runner.run_benchmarks(benchmarks, bound, context=context, name=name,
                                               options=options)
            except NNBenchError as exc:
                if len(plans) == 1:
                    raise
                failures.append(f"{_label(combo)}: {exc}")
                print(f"error: {exc}", file=sys.stderr)
                continue
            finally:
                _release_unshared(bound, plans[i + 1][1] if i + 1 < len(plans) else {})
            records.append(record)
            if not args.quiet:
                from nnbench.reporter.console import BenchmarkReporter

                BenchmarkReporter().display(record)
            _warn_noisy(record)
    finally:
        for name, plugin in live.items():
            runner.plugins.unregister(name)
            close = getattr(plugin, "close", None)
            if close is not None:
                close()
    return records, failures


def _warn_noisy(record: Any) -> None:
    """One stderr line per timing warning (noisy samples, autorange out of budget)."""
    for result in record.benchmarks:
        for warning in (result.get("timing") or {}).get("warnings", ()):
            print(f"warning: {result['name']}: {warning}", file=sys.stderr)


def _label(combo: dict[str, str]) -> str:
    from nnbench.redact import redact_url

    return ",".join(f"{k}={redact_url(v)}" for k, v in combo.items())


def _release_unshared(bound: dict[str, Any], upcoming: dict[str, Any]) -> None:
    """Free this run's artifacts that the next run does not use, before it loads its own."""
    from nnbench.types import Artifact

    keep = {id(v) for v in upcoming.values()}
    for value in bound.values():
        if isinstance(value, Artifact) and id(value) not in keep:
            value.release()


def _attach(plugins: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Register the run's live plugins (results store, progress) by name."""
    live: dict[str, Any] = {}
    if not args.no_store:
        from nnbench.reporter.sqlite import LiveStorePlugin, ResultsStore, store_path

        live["results-store"] = LiveStorePlugin(ResultsStore(store_path(args.store)))
    if sys.stderr.isatty():
        from nnbench.progress import ProgressPlugin

        live["progress"] = ProgressPlugin()
    for name, plugin in live.items():
        plugins.register(plugin, name)
    return live


def _write_outputs(records: list[Any], outputs: list[str], plugins: Any) -> None:
    from nnbench.reporter.dispatch import write_records

    for out in outputs:
        write_records(records, out, plugins)
