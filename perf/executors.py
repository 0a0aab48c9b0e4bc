"""Executors on this machine, as ratios in one run: serial vs ``-j 2`` vs ``--executor dask``
vs ``--executor ray``.

1. Four CPU-bound units (four ``--loader`` bindings of a benchmark that computes for about a
   second in pure Python): wall time of ``Session.run`` with ``serial``, ``processes:2``, a
   two-worker Dask ``LocalCluster`` and a two-CPU local Ray instance; speedups vs serial. Dask
   and Ray are measured twice: with the cluster already up (as with ``dask://HOST:PORT``,
   ``ray:auto``) and with its start-up and shutdown counted (as ``--executor dask`` or ``ray``
   alone pays them: ``LocalCluster``, ``ray.init``). The session closes its executor; that
   close is timed apart, so "cluster up" is the run alone.
2. Per-unit overhead on trivial units: the run's wall time with 40 and with 4 units, for
   ``processes:2``, Dask and Ray (two workers, cluster up); the slope (T40 - T4) / 36 is the
   cost of one more unit, fixed costs (pool start, connecting) cancel out.

Each measurement runs in a fresh interpreter; medians of ``--repeat`` runs.

Usage: python perf/executors.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from _common import WORK

#: Trivial units for the per-unit overhead (the slope between 4 of them and this many).
UNITS = 40

SUITE = textwrap.dedent('''
    import nnbench
    from nnbench.types import Artifact

    LOOPS = {loops}


    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = self.path.read_bytes()


    @nnbench.benchmark(repeat=1, warmup=0, number=1)
    def crunch(model: Blob) -> int:
        """About a second of pure-Python arithmetic (no BLAS, no GIL release)."""
        k, total = len(model.value), 0
        for i in range(LOOPS):
            total += (i * k) % 7
        return total
''')

TRIVIAL = textwrap.dedent('''
    import nnbench
    from nnbench.types import Artifact


    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = self.path.read_bytes()


    @nnbench.benchmark(repeat=1, warmup=0, number=1)
    def size(model: Blob) -> int:
        return len(model.value)
''')

#: One measurement in a fresh interpreter: prints {"start": s, "run": s, "stop": s,
#: "values": [...]}; "run" leaves out the executor's close (the session closes it), which
#: "stop" times: shutting a local cluster down is a cost of start-up, not of the run.
CHILD = textwrap.dedent('''
    import json, sys, time, warnings
    warnings.simplefilter("ignore")
    from nnbench.executors import make_executor
    from nnbench.plugins import get_plugin_manager
    from nnbench.session import Session

    spec, bench, loaders = sys.argv[1], sys.argv[2], sys.argv[3:]
    plugins = get_plugin_manager()
    if __name__ == "__main__":
        t0 = time.perf_counter()
        if spec == "dask-local":
            from nnbench_dask.executor import DaskExecutor
            executor = DaskExecutor(None, plugins=plugins, workers=2)
        elif spec == "ray-local":
            from nnbench_ray.executor import RayExecutor
            executor = RayExecutor(None, plugins=plugins, workers=2)
        else:
            executor = make_executor(spec, plugins)
        stop, close = [0.0], executor.close

        def timed_close():
            t = time.perf_counter()
            close()
            stop[0] += time.perf_counter() - t

        executor.close = timed_close
        t1 = time.perf_counter()
        records = Session(plugins=plugins, store=None, executor=executor).run(
            bench, loaders=loaders, name="perf")
        t2 = time.perf_counter()
        values = [r.benchmarks[0]["value"] for r in records]
        print(json.dumps({"start": t1 - t0, "run": t2 - t1 - stop[0], "stop": stop[0],
                          "values": values}))
''')


def measure(specs: list[str], bench: Path, loaders: list[Path],
            repeat: int) -> dict[str, list[dict]]:
    """Each spec ``repeat`` times, interleaved (a, b, c, a, b, c, ...) so that load from other
    processes on the machine falls on all of them alike."""
    script = WORK / "executors_child.py"
    script.write_text(CHILD)
    # a local Ray instance wants a token (token authentication): one for these runs, so none
    # is written to ~/.ray
    env = {**os.environ, "RAY_AUTH_MODE": "token",
           "RAY_AUTH_TOKEN": os.environ.get("RAY_AUTH_TOKEN") or secrets.token_hex(32)}
    out: dict[str, list[dict]] = {spec: [] for spec in specs}
    for _ in range(repeat):
        for spec in specs:
            proc = subprocess.run([sys.executable, str(script), spec, str(bench),
                                   *map(str, loaders)], capture_output=True, text=True,
                                  check=False, env=env)
            if proc.returncode != 0:
                raise SystemExit(f"{spec}: failed\n{proc.stderr[-3000:]}")
            out[spec].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def calibrate(seconds: float = 1.0) -> int:
    """Loop count of SUITE's benchmark that takes about ``seconds`` here."""
    n = 1_000_000
    start = time.perf_counter()
    k, total = 3, 0
    for i in range(n):
        total += (i * k) % 7
    return int(n * seconds / (time.perf_counter() - start))


def med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    models = []
    for i in range(UNITS):
        path = WORK / f"executors_model_{i}.bin"
        path.write_bytes(b"x" * (i + 1))
        models.append(path)

    # 1. four CPU-bound units
    loops = calibrate()
    suite = WORK / "executors_cpu" / "bench_cpu.py"
    suite.parent.mkdir(exist_ok=True)
    suite.write_text(SUITE.format(loops=loops))
    four = models[:4]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    runs = measure(["serial", "processes:2", "dask-local", "ray-local"], suite, four,
                   args.repeat)
    serial, procs, dask = runs["serial"], runs["processes:2"], runs["dask-local"]
    ray = runs["ray-local"]
    assert serial[0]["values"] == procs[0]["values"] == dask[0]["values"] \
        == ray[0]["values"], "same values"
    t_serial, t_procs = med(serial, "run"), med(procs, "run")
    t_dask = med(dask, "run")
    t_dask_cold = statistics.median(r["start"] + r["run"] + r["stop"] for r in dask)
    print(f"four ~1 s CPU-bound units ({loops:,} loops each), 2 workers:")
    print(f"  serial {t_serial:.2f} s; -j 2 {t_procs:.2f} s -> {t_serial / t_procs:.2f}x; "
          f"dask {t_dask:.2f} s -> {t_serial / t_dask:.2f}x (cluster up), "
          f"{t_dask_cold:.2f} s -> {t_serial / t_dask_cold:.2f}x with its start-up "
          f"({med(dask, 'start'):.2f} s)  (goal >= 1.7x)")
    t_ray = med(ray, "run")
    t_ray_cold = statistics.median(r["start"] + r["run"] + r["stop"] for r in ray)
    print(f"  ray {t_ray:.2f} s -> {t_serial / t_ray:.2f}x (instance up), {t_ray_cold:.2f} s "
          f"-> {t_serial / t_ray_cold:.2f}x with ray.init and shutdown "
          f"({med(ray, 'start'):.2f} s + {med(ray, 'stop'):.2f} s)  "
          "(goal >= 1.7x)")
    print(f"  dask vs -j 2 (both parallel, interleaved; load on the machine falls on both): "
          f"{t_dask / t_procs:.2f}x the time")

    # 2. per-unit overhead on trivial units
    trivial = WORK / "executors_trivial" / "bench_trivial.py"
    trivial.parent.mkdir(exist_ok=True)
    trivial.write_text(TRIVIAL)
    few, many = models[:4], models
    specs = ["processes:2", "dask-local", "ray-local"]
    small = measure(specs, trivial, few, args.repeat)
    large = measure(specs, trivial, many, args.repeat)
    slopes = {}
    for spec, label in (("processes:2", "-j 2"), ("dask-local", "dask"), ("ray-local", "ray")):
        t_few, t_many = med(small[spec], "run"), med(large[spec], "run")
        slopes[label] = (t_many - t_few) / (len(many) - len(few))
        print(f"  {label}: {len(few)} units {t_few * 1e3:.0f} ms, {len(many)} units "
              f"{t_many * 1e3:.0f} ms -> {slopes[label] * 1e3:.1f} ms per extra unit")
    extra = (slopes["dask"] - slopes["-j 2"]) * 1e3
    print(f"trivial units: dask costs {extra:+.1f} ms per unit vs -j 2 (goal <= 20 ms)")
    print(f"trivial units: ray costs {(slopes['ray'] - slopes['dask']) * 1e3:+.1f} ms per unit "
          f"vs dask, {(slopes['ray'] - slopes['-j 2']) * 1e3:+.1f} ms vs -j 2")
    print(f"start-up (median): ray.init {med(ray, 'start'):.2f} s (+ shutdown "
          f"{med(ray, 'stop'):.2f} s), dask LocalCluster {med(dask, 'start'):.2f} s (+ close "
          f"{med(dask, 'stop'):.2f} s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    ok = min(t_serial / t_procs, t_serial / t_dask, t_serial / t_ray) >= 1.7 and extra <= 20
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
