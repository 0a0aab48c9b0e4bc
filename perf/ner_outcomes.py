"""The NER suite with per-sentence outcomes against the suite before them (issue 15).

    python perf/ner_outcomes.py [--repeat 4] [--before COMMIT]

The example as of --before (default: the commit before outcomes were added) is copied to
perf/_work/ner_outcomes/before; the current one is used as it is. Both run the whole suite on
the MiniLM-sized random BERT of perf/ner_eval.py and the bundled validation + test sentences,
each in its own process (their modules share names) with one compute thread, alternating,
--repeat times; each process times the suite once warm (model loaded, one run done) in process
and once through `Session` with a results store (what `nnbench run` does, outcomes written to
SQLite), wall and CPU time, and then the suite without its evaluation pass (reused), which is
where outcomes cost anything. Prints best-of times and the ratios (goal: within 5%); on a shared
machine the last figure is the steady one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ner"
WORK = ROOT / "perf" / "_work" / "ner_outcomes"
BEFORE = "2dcd3ba~1"  # examples/ner before per-sentence outcomes

CHILD = r"""
import sys, tempfile, time
from pathlib import Path
example, model_dir, data_file = map(Path, sys.argv[1:4])
sys.path.insert(0, str(example))
from artifacts import CoNLLDataset, TokenClassificationModel
from nnbench import BenchmarkRunner, Session

model, data = TokenClassificationModel(model_dir), CoNLLDataset(data_file)
model.value, data.value
params = {"model": model, "data": data}
BenchmarkRunner().run(example / "benchmark.py", params=params)  # warm-up
start, cpu = time.perf_counter(), time.process_time()
rec = BenchmarkRunner().run(example / "benchmark.py", params=params)
plain, plain_cpu = time.perf_counter() - start, time.process_time() - cpu
with tempfile.TemporaryDirectory() as tmp:
    start, cpu = time.perf_counter(), time.process_time()
    Session(store=Path(tmp) / "s.db").run([example / "benchmark.py"], params=params)
    stored, stored_cpu = time.perf_counter() - start, time.process_time() - cpu
import inference  # the rest of the suite alone: the evaluation pass reused from the last run
evaluate, last = inference.evaluate, []
inference.evaluate = lambda *a, **k: last[-1] if last else last.append(evaluate(*a, **k)) or last[-1]
BenchmarkRunner().run(example / "benchmark.py", params=params)
start = time.perf_counter()
for _ in range(10):
    BenchmarkRunner().run(example / "benchmark.py", params=params)
rest = (time.perf_counter() - start) / 10
failed = [b["name"] for b in rec.benchmarks if b["error_occurred"]]
assert not failed, failed
f1 = next(b["value"] for b in rec.benchmarks if b["name"] == "seqeval_f1")
print(plain, stored, plain_cpu, stored_cpu, rest, sum("samples" in b for b in rec.benchmarks), f1)
"""


def prepare_model() -> tuple[Path, Path]:
    """perf/ner_eval.py's random 6 x 384 BERT (bundled tokenizer) and its data file."""
    sys.path.insert(0, str(ROOT / "perf"))
    from ner_eval import prepare

    return prepare()


def before_copy(commit: str) -> Path:
    """examples/ner as it was at ``commit`` (files that changed since), beside the current one."""
    dest = WORK / "before"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("benchmark.py", "metrics.py"):
        text = subprocess.run(["git", "show", f"{commit}:examples/ner/{name}"], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout
        (dest / name).write_text(text)
    shutil.rmtree(dest / "model")
    (dest / "model").symlink_to(EXAMPLE / "model")
    return dest


def run(example: Path, model: Path, data: Path) -> tuple[float, ...]:
    """(wall in process, wall with a store, CPU in process, CPU with a store, the suite
    without its evaluation pass, outcomes, F1)."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(example), str(model), str(data)],
                         check=True, capture_output=True, text=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    return tuple(float(x) for x in out.stdout.split()[-7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--before", default=BEFORE)
    args = parser.parse_args()
    model, data = prepare_model()
    old = before_copy(args.before)
    new_runs, old_runs = [], []
    for _ in range(args.repeat):  # alternating: the machine may be shared
        new_runs.append(run(EXAMPLE, model, data))
        old_runs.append(run(old, model, data))
    assert new_runs[0][6] == old_runs[0][6], "the two suites disagree on seqeval_f1"
    print(f"suite ({int(new_runs[0][5])} benchmarks with outcomes, before {int(old_runs[0][5])}),"
          f" one compute thread, best of {args.repeat}:")
    for i, label in enumerate(("in process, wall", "with a results store, wall",
                               "in process, CPU", "with a results store, CPU")):
        new, old = min(r[i] for r in new_runs), min(r[i] for r in old_runs)
        print(f"  {label}: {new:.3f} s vs {old:.3f} s before: {new / old:.3f}x (goal <= 1.05x)")
    new, old = min(r[4] for r in new_runs), min(r[4] for r in old_runs)
    whole = min(r[0] for r in old_runs)
    print(f"  all but the evaluation pass (metrics, outcomes, runner): {new * 1e3:.1f} ms vs "
          f"{old * 1e3:.1f} ms before: +{(new - old) * 1e3:.1f} ms, "
          f"{(new - old) / whole * 100:+.2f}% of the suite")


if __name__ == "__main__":
    main()
