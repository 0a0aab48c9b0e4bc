"""``nnbench run examples/ner`` with four models: serial vs ``-j 2``, in one run.

Four copies of a MiniLM-sized random BERT (the model ``perf/ner_eval.py`` builds, 6 x 384) on
the bundled validation + test sentences. Each configuration runs the CLI in a fresh process;
reported: wall time, the speedup, that every metric value is equal, and where the time goes
(time inside benchmarks, summed over the four records, vs the rest: interpreter and torch
start-up per worker, loading each model, planning). Workers get cores / workers threads each.

Usage: python perf/ner_parallel.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "perf"))
from ner_eval import WORK, prepare  # noqa: E402  (the same model and data)

MEASURED = {"speed", "memory"}  # tags of values that measure the machine, not the model


def run(executor: list[str], models: list[Path], data: Path, out: Path) -> float:
    args = [sys.executable, "-m", "nnbench", "run", str(ROOT / "examples" / "ner"), "-q",
            "--no-store", "-o", str(out), "--loader", f"data={data}",
            *[a for m in models for a in ("--loader", f"model={m}")], *executor]
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def values(out: Path) -> list[dict]:
    return [{r["name"]: r["value"] for r in rec["benchmarks"] if not MEASURED & set(r["tags"])}
            for rec in json.loads(out.read_text())]


def inside(out: Path) -> float:
    """Seconds spent inside benchmarks (their measured calls), summed over the records."""
    return sum(r["time_ns"] for rec in json.loads(out.read_text())
               for r in rec["benchmarks"]) / 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    model, data = prepare()
    models = []
    for i in range(4):
        copy = WORK / f"minilm-{i}"
        if not copy.exists():
            shutil.copytree(model, copy)
        models.append(copy)
    times: dict[str, list[float]] = {"serial": [], "-j 2": []}
    outs = {"serial": WORK / "serial.json", "-j 2": WORK / "j2.json"}
    for _ in range(args.repeat):  # interleaved: machine noise hits both alike
        times["serial"].append(run([], models, data, outs["serial"]))
        times["-j 2"].append(run(["-j", "2"], models, data, outs["-j 2"]))
    same = values(outs["serial"]) == values(outs["-j 2"])
    serial, parallel = (statistics.median(times[k]) for k in ("serial", "-j 2"))
    print(f"4 models x {len(values(outs['serial'])[0])} metrics: serial {serial:.1f} s, "
          f"-j 2 {parallel:.1f} s -> {serial / parallel:.2f}x faster; metric values equal: {same}")
    for key in ("serial", "-j 2"):
        spent = inside(outs[key])
        wall = statistics.median(times[key])
        print(f"  {key}: {spent:.1f} s inside benchmarks (summed over records), "
              f"{wall - spent if key == 'serial' else wall:.1f} s "
              f"{'outside them' if key == 'serial' else 'wall for it all'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
