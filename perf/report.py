"""The HTML report against its budgets (issue 13), each printed as a fraction of its budget.

1. ``nnbench report`` of a run with 10,000 results over a store of 50 such runs (history
   included), wall time of the whole command in a fresh interpreter: budget 3 s.
2. The NER example's report (two runs of ``examples/ner`` in a fresh store): size, budget
   3 MB; in headless Chromium, time from navigation to the page drawn: budget 2 s.
3. The 10,000-member family's page in headless Chromium: time to first draw, to expand the
   family (one chart of 10,000 bars + the first 50 rows), to page and to search in it.

Browser figures need Playwright and Debian's chromium (skipped otherwise).

Usage: python perf/report.py [--repeat N] [--skip-ner]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]


def big_store(path: Path, runs: int = 50, members: int = 10_000) -> None:
    """``runs`` runs of 10,000+ results, inserted in one transaction (setup, not measured)."""
    from nnbench.reporter.html.demo import synthetic_run
    from nnbench.store import ResultsStore

    ResultsStore(path).close()  # the schema
    db = sqlite3.connect(path)
    with db:
        for i in range(runs):
            rec = synthetic_run(name=f"nightly-{i}", seed=i, members=members,
                                slower=0.2 if i == runs - 1 else 0.0,
                                timestamp=1.7e9 + i * 86400)
            db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, 1)",
                       (rec.run_id, rec.run, rec.timestamp, json.dumps(rec.context),
                        len(rec.benchmarks)))
            db.executemany("INSERT INTO results VALUES (?, ?, ?, ?)",
                           [(rec.run_id, j, b["name"], json.dumps(b))
                            for j, b in enumerate(rec.benchmarks)])
    db.close()


def timed_runs(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system, the child's) of ``repeat`` runs of ``cmd``; CPU
    time says what the work costs when other processes share the cores."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def show(name: str, seconds: list[float], budget: float, unit: str = "s") -> None:
    med = statistics.median(seconds)
    print(f"{name}: median {med:.2f} {unit} (of {len(seconds)}: "
          f"{', '.join(f'{s:.2f}' for s in seconds)}) -> {med / budget:.2f}x of the "
          f"{budget:g} {unit} budget")


def browser_times(page_path: Path, repeat: int, family: str | None = None) -> dict[str, list]:
    """Milliseconds from navigation to drawn; with ``family``: expand, next page, search."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (no playwright: browser figures skipped)")
        return {}
    chromium = shutil.which("chromium")
    if chromium is None:
        print("  (no chromium: browser figures skipped)")
        return {}
    out: dict[str, list] = {}
    wait = "window.nnbenchReport && window.nnbenchReport.ready"

    def timed(page, method: str, *args: str) -> float:
        page.evaluate("window.nnbenchReport.ready = false; window.__t0 = performance.now()")
        getattr(page, method)(*args)
        page.wait_for_function(wait, timeout=60_000)
        return page.evaluate("performance.now() - window.__t0")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function(wait, timeout=60_000)
            out.setdefault("drawn", []).append(page.evaluate("performance.now()"))
            if family:
                sel = f'tr[data-family="{family}"] button.toggle'
                out.setdefault("expand", []).append(timed(page, "click", sel))
                out.setdefault("next page", []).append(
                    timed(page, "click", "#member-pager .next"))
                out.setdefault("search", []).append(
                    timed(page, "fill", "#search", "score_i=9999"))
            page.close()
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-ner", action="store_true")
    args = parser.parse_args()
    nnbench = [sys.executable, "-m", "nnbench"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = work / "big.db"
        start = time.perf_counter()
        big_store(store)
        print(f"setup: store of 50 runs x 10,015 results in {time.perf_counter() - start:.1f} s")
        out = work / "big.html"
        cmd = [*nnbench, "report", "--store", str(store), "-o", str(out)]
        walls, cpus = timed_runs(cmd, args.repeat)
        show("1. nnbench report, 10,015 results, 50-run history, wall", walls, 3.0)
        show("   the same, CPU time", cpus, 3.0)
        print(f"   page size {out.stat().st_size / 1e6:.2f} MB")
        for name, ms in browser_times(out, args.repeat, family="score").items():
            show(f"   big page in Chromium: {name}", [m / 1000 for m in ms], 2.0)

        if not args.skip_ner:
            ner_store = work / "ner.db"
            for i in range(2):
                subprocess.run([*nnbench, "run", str(ROOT / "examples" / "ner"), "--store",
                                str(ner_store), "-q", "--name", f"ner-{i}"], check=True,
                               stdout=subprocess.DEVNULL)
            ner = work / "ner.html"
            subprocess.run([*nnbench, "report", "--store", str(ner_store), "-o", str(ner)],
                           check=True, stdout=subprocess.DEVNULL)
            size = ner.stat().st_size / 1e6
            print(f"2. NER report size {size:.2f} MB -> {size / 3:.2f}x of the 3 MB budget")
            for name, ms in browser_times(ner, args.repeat).items():
                show(f"   NER page in Chromium: {name}", [m / 1000 for m in ms], 2.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
