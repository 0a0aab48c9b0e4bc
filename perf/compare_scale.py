"""`nnbench compare` of two 50,000-result runs: wall time and peak memory (issue 16, Scale).

    python perf/compare_scale.py [--members 50000] [--repeat 3]

Runs a 50,000-member parametrized family twice through nnbench (the candidate's values move a
little, 1% of them by more than the gate allows) and stores both runs in one results store
under perf/_work/compare_scale (kept between runs of this script). Then times
`nnbench compare base cand` in fresh processes, best of --repeat, with its CPU time (user +
system: what a shared machine's load does not inflate) and peak RSS:
--format json, the table, markdown, and each with a gate over every member. Goal: <= 2 s and
<= 300 MB for either. For scale, the same process running `nnbench runs` (which reads only
the run list) is the floor: interpreter, plugins and the store's open.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "perf" / "_work" / "compare_scale"

SUITE = """
import os
import nnbench

SHIFT = float(os.environ.get("SHIFT", "0"))
MEMBERS = int(os.environ.get("MEMBERS", "50000"))


@nnbench.parametrize([{"i": i} for i in range(MEMBERS)])
def score(i):
    base = 0.5 + (i % 97) / 200
    return base - (0.02 if SHIFT and i % 100 == 0 else SHIFT * ((i % 7) - 3) / 1000)
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=None)
seconds = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(proc.returncode, seconds, use.ru_utime + use.ru_stime, use.ru_maxrss * 1024)
"""


def prepare(members: int) -> Path:
    """Two stored runs of the family (made once per member count)."""
    WORK.mkdir(parents=True, exist_ok=True)
    store = WORK / f"store-{members}.db"
    if store.exists():
        return store
    (WORK / "family.py").write_text(SUITE)
    partial = store.with_suffix(".tmp.db")
    partial.unlink(missing_ok=True)
    for name, shift in (("base", "0"), ("cand", "1")):
        env = {**os.environ, "SHIFT": shift, "MEMBERS": str(members),
               "COLUMNS": "200"}
        subprocess.run([sys.executable, "-m", "nnbench", "run", str(WORK / "family.py"),
                        "--name", name, "--store", str(partial), "-q"], check=True, env=env)
    partial.rename(store)
    return store


def measure(args: list[str], repeat: int, store: Path) -> tuple[int, float, float, int]:
    """(exit code, wall seconds, CPU seconds, peak RSS bytes) of the fastest run."""
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "nnbench",
                              *args, "--store", str(store)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "COLUMNS": "160"})
        rc, seconds, cpu, rss = out.stdout.split()
        row = (int(rc), float(seconds), float(cpu), int(rss))
        best = row if best is None or row[1] < best[1] else best
    return best  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = prepare(args.members)
    gate = ["--gate", "score_*>=-0.01"]
    cases = {
        "runs (floor)": ["runs"],
        "json": ["compare", "base", "cand", "--format", "json"],
        "table": ["compare", "base", "cand"],
        "markdown": ["compare", "base", "cand", "--format", "markdown"],
        "json + gate": ["compare", "base", "cand", "--format", "json", *gate],
        "table + gate": ["compare", "base", "cand", *gate],
    }
    print(f"two runs of {args.members:,} results; best of {args.repeat}")
    for label, argv in cases.items():
        rc, seconds, cpu, rss = measure(argv, args.repeat, store)
        goal = "" if label.startswith("runs") else "  (goal <= 2 s, <= 300 MB)"
        print(f"{label:>14}: {seconds:5.2f} s (CPU {cpu:4.2f} s), peak RSS {rss / 2**20:4.0f} MiB, "
              f"exit {rc}{goal}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s in all)")
