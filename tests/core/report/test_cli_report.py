"""`nnbench report`, `compare --format html` and `run -o report.html`, with their bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nnbench.reporter.html.demo import synthetic_run, synthetic_store

DATA_START = '<script type="application/json" id="nnbench-data">'


def data_of(path):
    html = path.read_text(encoding="utf-8")
    start = html.index(DATA_START) + len(DATA_START)
    return json.loads(html[start:html.index("</script>", start)])


@pytest.fixture
def store(nnbench_store):
    synthetic_store(nnbench_store, runs=4)
    return nnbench_store


def test_the_latest_run_by_default_with_its_history(store, nnbench_cli, tmp_path):
    res = nnbench_cli("report")
    assert res.exit_code == 0, res
    assert res.stdout.startswith("wrote report.html: 1 run(s), 15 results")
    data = data_of(tmp_path / "report.html")
    (run,) = data["runs"]
    assert run["run"] == "nightly-4" and len(run["history"]["runs"]) == 4
    assert data["compare"] is None


def test_named_runs_a_compare_and_a_failing_gate(store, nnbench_cli, tmp_path):
    res = nnbench_cli("report", "nightly-1", "nightly-4", "--compare", "nightly-3",
                      "--gate", "latency<=+5%", "-o", "cmp.html", "--history", "0")
    assert res.exit_code == 1, res
    assert res.stderr.strip() == "error: 1 gate failure(s)"
    data = data_of(tmp_path / "cmp.html")
    assert [r["run"] for r in data["runs"]] == ["nightly-1", "nightly-4"]
    assert all(r["history"] is None for r in data["runs"])
    assert data["compare"]["failures"][0]["benchmark"] == "latency"


def test_result_files_and_file_hash_run(nnbench_cli, tmp_path):
    from nnbench.reporter import write_records

    write_records([synthetic_run(seed=1), synthetic_run(seed=2)], str(tmp_path / "two.json"))
    res = nnbench_cli("report", "two.json", "-o", "both.html")
    assert res.exit_code == 0, res
    assert len(data_of(tmp_path / "both.html")["runs"]) == 2
    run_id = synthetic_run(seed=2).run_id
    res = nnbench_cli("report", f"two.json#{run_id[:8]}", "-o", "one.html")
    assert res.exit_code == 0, res
    assert [r["run_id"] for r in data_of(tmp_path / "one.html")["runs"]] == [run_id]


@pytest.mark.parametrize(("args", "message"), [
    (("nosuch",), "no run 'nosuch'"),
    (("--gate", "x>=0"), "--gate needs --compare BASE"),
    (("--history", "-1"), "--history -1"),
    (("-o", "missing/dir/r.html"), "cannot write missing/dir/r.html"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(store, nnbench_cli, tmp_path,
                                                          args, message):
    res = nnbench_cli("report", *args)
    assert res.exit_code == 2, res
    assert res.stderr.startswith("error: ") and message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("**/*.html"))


def test_no_store_and_an_empty_store(nnbench_cli, nnbench_store, tmp_path):
    res = nnbench_cli("report")
    assert res.exit_code == 2 and "no results store" in res.stderr and "nnbench run" in res.stderr
    from nnbench.store import ResultsStore

    ResultsStore(nnbench_store).close()
    res = nnbench_cli("report")
    assert res.exit_code == 2 and "holds no run" in res.stderr
    assert not (tmp_path / "report.html").exists()


def test_a_run_where_everything_failed_still_renders(nnbench_cli, nnbench_store, tmp_path):
    from nnbench.store import ResultsStore

    rec = synthetic_run()
    rec.benchmarks = [b for b in rec.benchmarks if b["error_occurred"]]
    db = ResultsStore(nnbench_store)
    db.append(rec)
    db.close()
    res = nnbench_cli("report")
    assert res.exit_code == 0, res
    assert res.stderr.strip() == ("warning: run demo: all 1 benchmarks failed; "
                                  "the report shows their errors")
    assert data_of(tmp_path / "report.html")["runs"][0]["failed"] == 1


def test_compare_format_html_prints_the_page(store, nnbench_cli, tmp_path):
    res = nnbench_cli("compare", "nightly-3", "nightly-4", "--format", "html")
    assert res.exit_code == 0, res
    assert res.stdout.startswith("<!doctype html>")
    (tmp_path / "c.html").write_text(res.stdout, encoding="utf-8")
    data = data_of(tmp_path / "c.html")
    assert data["compare"]["base"] == "nightly-3" and data["runs"][0]["run"] == "nightly-4"


SUITE = """
import nnbench

@nnbench.benchmark(tags=("metric",))
def accuracy() -> float:
    return 0.9

@nnbench.parametrize([{"k": k} for k in range(3)])
def per_k(k: int) -> float:
    return k / 10
"""


def test_run_with_an_html_output(nnbench_cli, tmp_path):
    (tmp_path / "bench.py").write_text(SUITE)
    res = nnbench_cli("run", "bench.py", "-o", "out.html", "-q", "--name", "first")
    assert res.exit_code == 0, res
    data = data_of(tmp_path / "out.html")
    assert [len(g) for g in data["runs"][0]["groups"]] == [1, 3]
    assert data["runs"][0]["history"] is None  # the only run in the store
    res = nnbench_cli("run", "bench.py", "-o", "out.html", "-q", "--name", "second")
    assert len(data_of(tmp_path / "out.html")["runs"][0]["history"]["runs"]) == 2


def test_run_with_an_html_output_draws_the_history_of_its_own_store(nnbench_cli, tmp_path):
    (tmp_path / "bench.py").write_text(SUITE)
    for name in ("first", "second"):
        res = nnbench_cli("run", "bench.py", "-o", "out.html", "-q", "--name", name,
                          "--store", "other.db")
        assert res.exit_code == 0, res
    history = data_of(tmp_path / "out.html")["runs"][0]["history"]
    assert len(history["runs"]) == 2  # both in other.db, none in the default store
    res = nnbench_cli("run", "bench.py", "-o", "none.html", "-q", "--no-store")
    assert res.exit_code == 0, res
    assert data_of(tmp_path / "none.html")["runs"][0]["history"] is None


def test_an_html_file_cannot_be_read_back(nnbench_cli, tmp_path):
    (tmp_path / "r.html").write_text("<html></html>")
    res = nnbench_cli("compare", "r.html", "r.html")
    assert res.exit_code == 2 and "can be written but not read back" in res.stderr


def test_help_and_import_stay_light():
    code = ("import sys, nnbench; from nnbench.cli.main import build_parser; build_parser(); "
            "print(sorted(k for k in sys.modules if k.startswith('nnbench.reporter')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "nnbench.reporter.html" not in out
