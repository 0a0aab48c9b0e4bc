"""``nnbench run``: parse arguments, run a ``Session``, print its records."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from nnbench.errors import BenchmarkFailed, UsageError


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("run", parents=[common], help="run benchmarks",
                       description="Run benchmarks from files, directories or modules.")
    p.add_argument("benchmarks", nargs="*", metavar="BENCHMARKS",
                   help="a .py file, a directory (recursive) or a module (default: ./benchmarks)")
    p.add_argument("--loader", action="append", default=[], metavar="[NAME=]SPEC",
                   help="artifact for an Artifact-typed parameter; repeat to run once per artifact")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a benchmark parameter; VALUE is JSON where it parses, else a string")
    p.add_argument("--tag", "-t", action="append", default=[], metavar="TAG",
                   help="run only benchmarks with one of these tags")
    p.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                   help="extra context for the record (a provider's name, or provider=NAME, "
                        "is accepted: [tool.nnbench] providers always run)")
    p.add_argument("--output", "-o", "--output-file", action="append", default=[], metavar="URI",
                   help="also write results here (.json .ndjson .csv .yaml .parquet[.gz], sqlite://)")
    p.add_argument("--name", "-n", help="the run's name (default: run-DATE-TIME)")
    p.add_argument("--jsonifier", help=argparse.SUPPRESS)  # upstream's; parameters are JSON-safe
    p.add_argument("--hostname", action="store_true", help="record the host name in the context")
    p.add_argument("--store", default=os.environ.get("NNBENCH_STORE"), metavar="URI",
                   help="results store (default: .nnbench/results.db)")
    p.add_argument("--no-store", action="store_true", help="do not append to the results store")
    p.add_argument("--resume", metavar="RUN",
                   help="continue an interrupted or partly failed run of the store (name or id): "
                        "completed results are kept, the rest runs into the same entry")
    p.add_argument("--no-samples", action="store_true",
                   help="leave per-sample outcomes (nnbench.Samples) out of the store and files")
    p.add_argument("--repeat", type=int, metavar="N", help="timed repetitions per benchmark")
    p.add_argument("--warmup", type=int, metavar="N", help="untimed calls before timing")
    p.add_argument("--quiet", "-q", action="store_true", help="no result table")
    p.add_argument("--executor", metavar="NAME[:TARGET]",
                   help="where units run: serial (default), processes[:N], dask[://HOST:PORT], ...")
    p.add_argument("-j", "--jobs", metavar="N",
                   help="run units in N worker processes (--executor processes:N)")
    p.set_defaults(handler=handle)


def _split_pair(text: str, flag: str) -> tuple[str, str]:
    if "=" not in text:
        raise UsageError(f"{flag} expects NAME=VALUE, got {text!r}")
    key, value = text.split("=", 1)
    if not key:
        raise UsageError(f"{flag} expects NAME=VALUE, got {text!r}")
    return key, value


def handle(args: argparse.Namespace) -> int:
    """Build a Session from the arguments, run it, print each record as it finishes."""
    from nnbench import Session
    from nnbench.plugins import get_plugin_manager
    from nnbench.store import DEFAULT_STORE

    targets = args.benchmarks or ["benchmarks"]
    if not args.benchmarks and not os.path.exists("benchmarks"):
        raise UsageError("no benchmarks given and no ./benchmarks directory; "
                         "pass a file, directory or module: nnbench run PATH")
    session = Session(plugins=get_plugin_manager(), store=None if args.no_store else args.store or DEFAULT_STORE,
                      executor=_executor(args), outputs=args.output,
                      progress=sys.stderr.isatty())
    session.check_outputs()  # a bad -o or --store is an error even when nothing is selected
    benchmarks = session.collect(targets, args.tag)
    if not benchmarks:
        print("warning: no benchmarks selected"
              + (f" with tags {', '.join(args.tag)}" if args.tag else ""), file=sys.stderr)
        return 0
    records = session.run(targets, params=_params(args.param, benchmarks), tags=args.tag,
                          loaders=args.loader, context=_context(args), name=args.name,
                          options=_options(args), resume=args.resume,
                          on_record=lambda r: _show(r, args.quiet, getattr(args, "debug", False)))
    if session.failures:
        return 2
    if any(r.failed for r in records):
        n = sum(len(r.failed) for r in records)
        print(f"error: {n} benchmark(s) failed; see the error column", file=sys.stderr)
        return BenchmarkFailed.exit_code
    return 0


def _executor(args: argparse.Namespace) -> str:
    """``--executor`` as given, or ``processes:N`` from ``-j N``."""
    if args.jobs is not None:
        if args.executor:
            raise UsageError("use either -j N or --executor, not both")
        if not args.jobs.isdigit() or int(args.jobs) < 1:
            raise UsageError(f"-j {args.jobs}: expected a number of worker processes >= 1")
        return f"processes:{int(args.jobs)}"
    return args.executor or "serial"


def _show(record: Any, quiet: bool, debug: bool = False) -> None:
    """The record's table (unless quiet), then its timing warnings on stderr; with
    ``--debug`` the traceback of every failed benchmark too."""
    if not quiet:
        from nnbench.reporter import BenchmarkReporter

        BenchmarkReporter().display(record)
    warned: dict[str, list[str]] = {}
    for result in record.benchmarks:
        if debug and result.get("error_occurred") and result.get("traceback"):
            print(f"traceback of {result['name']}:\n{result['traceback'].rstrip()}",
                  file=sys.stderr)
        for warning in (result.get("timing") or {}).get("warnings", ()):
            warned.setdefault(warning, []).append(result["name"])
    for warning, names in warned.items():  # one line per distinct warning
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        print(f"warning: {', '.join(names[:3])}{more}: {warning}", file=sys.stderr)


def _params(raw_params: list[str], benchmarks: list[Any]) -> dict[str, Any]:
    from nnbench.plan import parse_params

    return parse_params(dict(_split_pair(raw, "--param") for raw in raw_params), benchmarks)


def _context(args: argparse.Namespace) -> list[Any]:
    """The profile's context providers, then ``--context`` values on top. A provider's name
    (``--context NAME`` or ``provider=NAME``, upstream's spellings) selects nothing more:
    configured and built-in providers run on every run."""
    config = getattr(args, "config", None)
    providers = config.providers() if config is not None else []
    names = {d.name for d in config.context} if config is not None else set()
    names |= {"python", "cpu", "git"}
    context: dict[str, Any] = {}
    for text in args.context:
        if text in names or (text.startswith("provider=") and text[9:] in names):
            continue
        key, value = _split_pair(text, "--context")
        context[key] = value
    if args.hostname:
        from nnbench.context import hostname

        context["host"] = hostname()
    if args.jsonifier:
        print("warning: --jsonifier is ignored: parameters are recorded JSON-safe",
              file=sys.stderr)
    return [*providers, context]


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """``--repeat``/``--warmup`` as runner overrides, checked like benchmark options."""
    from nnbench.measure import check_options

    options = {k: v for k, v in (("repeat", args.repeat), ("warmup", args.warmup)) if v is not None}
    if args.no_samples:
        options["samples"] = False
    try:
        check_options(options)
    except ValueError as exc:
        raise UsageError(str(exc).replace("benchmark option ", "--")) from None
    return options
