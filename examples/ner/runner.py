"""Benchmark saved NER models one after another, the guide's script shape.

    python examples/ner/runner.py SPEC_OR_PATH [SPEC_OR_PATH ...] [--data SPEC] [--tag TAG]

Each SPEC_OR_PATH is a local model directory or a loader spec (hf:dslim/bert-base-NER,
s3://bucket/prefix, ...). Every model is released before the next one loads.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "test.txt"


def main(specs: list[str], data: str = str(DEFAULT_DATA), tags: tuple[str, ...] = ()) -> list:
    """Run benchmark.py once per model; display and return the records."""
    from artifacts import CoNLLDataset, TokenClassificationModel
    from nnbench import BenchmarkRunner
    from nnbench.reporter import BenchmarkReporter

    reporter = BenchmarkReporter()
    runner = BenchmarkRunner()
    dataset = CoNLLDataset(data)
    records = []
    for spec in specs:
        with TokenClassificationModel(spec) as model:  # released when the block ends
            record = runner.run(
                HERE / "benchmark.py",
                params={"model": model, "data": dataset},
                tags=tags,
                context={"model_spec": spec, "data_spec": data},
            )
        reporter.display(record)
        records.append(record)
    return records


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("models", nargs="+", metavar="SPEC_OR_PATH", help="model directory or spec")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="dataset file, directory or spec")
    parser.add_argument("--tag", action="append", default=[], help="run only benchmarks with this tag")
    args = parser.parse_args()
    main(args.models, args.data, tuple(args.tag))
