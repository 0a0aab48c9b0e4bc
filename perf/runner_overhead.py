"""Runner overhead and CLI start-up vs upstream nnbench 0.5.0, as ratios in one run.

1. A 10,000-member parametrized family of trivial benchmarks: collect + run, in a fresh
   interpreter each time, ours (BenchmarkRunner().run) vs nnbench 0.5.0 (collect + run).
2. ``nnbench --help`` wall time, ours vs 0.5.0's.

Both are byte-compiled first, as ``pip install`` leaves them.

Usage: python perf/runner_overhead.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from _common import WORK, baseline_nnbench, child_seconds, summary, wall_times

SUITE = textwrap.dedent("""
    import nnbench

    @nnbench.parametrize([{"i": i} for i in range(10_000)])
    def trivial(i: int) -> int:
        return i
""")

OURS = textwrap.dedent("""
    import time, warnings
    start = time.perf_counter()
    from nnbench import BenchmarkRunner
    record = BenchmarkRunner().run({path!r})
    assert len(record.benchmarks) == 10_000
    print(time.perf_counter() - start)
""")

THEIRS = textwrap.dedent("""
    import time
    start = time.perf_counter()
    import nnbench
    result = nnbench.run(nnbench.collect({path!r}))
    assert len(result.benchmarks) == 10_000
    print(time.perf_counter() - start)
""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    baseline = baseline_nnbench()
    compile_ours()
    WORK.mkdir(parents=True, exist_ok=True)
    suite = WORK / "trivial_family_bench.py"
    suite.write_text(SUITE)
    env_theirs = {"PYTHONPATH": str(baseline)}

    ours = child_seconds(OURS.format(path=str(suite)), args.repeat)
    theirs = child_seconds(THEIRS.format(path=str(suite)), args.repeat, env_theirs)
    runner_ratio = summary("runner, 10,000-member family", ours, theirs, "<= 1.0x")

    help_ours = wall_times([sys.executable, "-m", "nnbench", "--help"], args.repeat * 2)
    help_theirs = wall_times([sys.executable, "-m", "nnbench", "--help"], args.repeat * 2,
                             env_theirs)
    help_ratio = summary("nnbench --help", help_ours, help_theirs, "<= 0.6x")
    return 0 if runner_ratio <= 1.0 and help_ratio <= 0.6 else 1


def compile_ours() -> None:
    """Byte-compile nnbench and its plugins as ``pip install`` does (the baseline's install did; an editable
    checkout under PYTHONDONTWRITEBYTECODE would otherwise compile every module each run)."""
    import compileall
    import importlib.util
    from importlib.metadata import entry_points

    packages = {"nnbench"} | {ep.value.split(".")[0] for ep in entry_points(group="nnbench")}
    for name in sorted(packages):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            compileall.compile_dir(Path(spec.origin).parent, quiet=1)


if __name__ == "__main__":
    sys.exit(main())
