"""Benchmark saved NER models one after another, the guide's script shape, through a Session.

    python examples/ner/runner.py SPEC_OR_PATH [SPEC_OR_PATH ...] [--data SPEC] [--tag TAG]
        [--store PATH | --no-store] [-j N]

Each SPEC_OR_PATH is a local model directory or a loader spec (hf:dslim/bert-base-NER,
s3://bucket/prefix, ...): one record per model, each model released before the next loads,
every result appended to the results store as it finishes (as `nnbench run` does).
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "test.txt"
DEFAULT_STORE = ".nnbench/results.db"


def main(specs: list[str], data: str = str(DEFAULT_DATA), tags: tuple[str, ...] = (),
         store: str | None = DEFAULT_STORE, executor: str = "serial") -> list:
    """Run benchmark.py once per model; display and return the records."""
    from nnbench import Session
    from nnbench.reporter import BenchmarkReporter

    session = Session(store=store, executor=executor)
    return session.run(
        HERE / "benchmark.py",
        loaders=[f"model={spec}" for spec in specs] + [f"data={data}"],
        tags=tags,
        on_record=BenchmarkReporter().display,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("models", nargs="+", metavar="SPEC_OR_PATH", help="model directory or spec")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="dataset file, directory or spec")
    parser.add_argument("--tag", action="append", default=[], help="run only benchmarks with this tag")
    parser.add_argument("--store", default=DEFAULT_STORE, help="results store (SQLite file)")
    parser.add_argument("--no-store", action="store_true", help="keep no results store")
    parser.add_argument("-j", type=int, default=0, help="run the models in N worker processes")
    args = parser.parse_args()
    main(args.models, args.data, tuple(args.tag), None if args.no_store else args.store,
         f"processes:{args.j}" if args.j else "serial")
