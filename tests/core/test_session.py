"""Session: the library's run pipeline (plans, stores, hooks that never abort a run)."""

from __future__ import annotations

import pickle
import sqlite3

import pytest
from nnbench import Session, hookimpl
from nnbench.plugins import PluginManager, PluginWarning
from nnbench.session import BenchmarkRunner

from .helpers import write

SUITE = """
import nnbench
from nnbench.types import Artifact

class Text(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()

@nnbench.benchmark(tags=("metric",))
def length(doc: Text) -> int:
    return len(doc.value)

@nnbench.parametrize([{"k": 1}, {"k": 2}])
def times(k: int, doc: Text) -> int:
    return k * len(doc.value)
"""


@pytest.fixture
def suite(tmp_path):
    write(tmp_path / "a.txt", "ab")
    write(tmp_path / "b.txt", "abcde")
    return write(tmp_path / "doc_bench.py", SUITE)


def test_run_returns_one_record_per_loader_and_stores_each(suite, tmp_path):
    store = tmp_path / "store.db"
    records = Session(store=store).run(
        suite, loaders=[str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], name="s")
    assert [[r["value"] for r in rec.benchmarks] for rec in records] == [[2, 2, 4], [5, 5, 10]]
    assert records[0].run == f"s[doc={tmp_path / 'a.txt'}]"
    db = sqlite3.connect(store)
    assert db.execute("SELECT COUNT(*), SUM(finished) FROM runs").fetchone() == (2, 2)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (6,)


def test_store_none_writes_nothing(suite, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Session(store=None).run(suite, params={"doc": str(tmp_path / "a.txt")})
    assert not (tmp_path / ".nnbench").exists()


def test_the_plan_is_plain_picklable_data(suite, tmp_path):
    plan = Session(store=None).plan(suite, loaders=[str(tmp_path / "a.txt"),
                                                    str(tmp_path / "b.txt")])
    assert [u.names for u in plan.units] == [["length", "times_k=1", "times_k=2"]] * 2
    unit = pickle.loads(pickle.dumps(plan.units[1]))
    assert unit.benchmarks is None and unit.params["doc"].spec == str(tmp_path / "b.txt")
    assert [b.name for b in unit.resolve_benchmarks()] == unit.names
    assert type(unit.params["doc"]).__name__ == "Text"  # rebuilt as the annotated class


class _Raises:
    """A plugin whose every lifecycle hook raises."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def nnbench_run_start(self, run):
        raise RuntimeError("start broke")

    @hookimpl
    def nnbench_benchmark_start(self, benchmark, parameters, run):
        raise RuntimeError("benchmark start broke")

    @hookimpl
    def nnbench_benchmark_finish(self, result, run):
        raise RuntimeError("finish broke")

    @hookimpl
    def nnbench_run_finish(self, record, run):
        raise RuntimeError("run finish broke")


class _Counts:
    def __init__(self):
        self.finished = []

    @hookimpl
    def nnbench_benchmark_finish(self, result, run, position):
        self.finished.append((position, result["name"]))


def test_a_failing_lifecycle_hook_is_a_warning_and_never_aborts(suite, tmp_path):
    manager = PluginManager(load_entry_points=False)
    counts = _Counts()
    manager.register(_Raises(), "raiser")
    manager.register(counts, "counter")
    with pytest.warns(PluginWarning) as caught:
        records = Session(plugins=manager, store=tmp_path / "s.db").run(
            suite, params={"doc": str(tmp_path / "a.txt")})
    assert [r["value"] for r in records[0].benchmarks] == [2, 2, 4]
    messages = [str(w.message) for w in caught]
    for hook in ("nnbench_run_start", "nnbench_benchmark_start", "nnbench_benchmark_finish",
                 "nnbench_run_finish"):
        assert sum(f"'raiser' failed in {hook}" in m for m in messages) >= 1, messages
    assert counts.finished == [(0, "length"), (1, "times_k=1"), (2, "times_k=2")]


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_the_builtin_plugin_cannot_be_blocked(how, monkeypatch):
    if how == "environment":
        monkeypatch.setenv("NNBENCH_DISABLE_PLUGINS", "builtin")
        manager = PluginManager(load_entry_points=False)
    else:
        manager = PluginManager(blocked=["builtin"], load_entry_points=False)
    assert "file" in manager.loaders() and ".json" in manager.reporters()
    assert {"serial", "processes"} <= set(manager.executors())
    assert not manager.infos["builtin"].blocked


def test_seed_api_runs_on_the_same_pipeline(suite, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    record = BenchmarkRunner().run(suite, params={"doc": str(tmp_path / "b.txt")}, tags=("metric",))
    assert [r["value"] for r in record.benchmarks] == [5]
    assert record.context["artifacts"]["doc"]["spec"] == str(tmp_path / "b.txt")
    assert record.context["execution"]["executor"] == "serial"
    assert not (tmp_path / ".nnbench").exists()  # the seed API keeps no store


def test_unknown_executor_names_the_plugin_to_install(suite, tmp_path, monkeypatch):
    from nnbench.errors import UsageError
    from nnbench.plugins.providers import PROVIDERS

    monkeypatch.setitem(PROVIDERS["executor"], "warp", "nnbench-warp")
    with pytest.raises(UsageError, match=r"no executor 'warp'; install it with `pip install "
                                         r"nnbench-warp` \(installed executors: .*processes"):
        Session(store=None, executor="warp").run(suite, params={"doc": str(tmp_path / "a.txt")})


def test_progress_counts_units_done_running_and_queued(suite, tmp_path):
    from nnbench.executors import UnitEvent
    from nnbench.reporter.progress import ProgressDisplay

    plan = Session(store=None).plan(suite, loaders=[str(tmp_path / "a.txt"),
                                                    str(tmp_path / "b.txt")])
    display = ProgressDisplay()
    display.start(plan)
    try:
        assert display._summary() == "units: 0 done, 0 running, 2 queued"
        display.update(UnitEvent("loaded", 1))
        display.update(UnitEvent("result", 1, 0, result={}))
        assert display._summary() == "units: 0 done, 1 running, 1 queued"
        display.update(UnitEvent("done", 1))
        assert display._summary() == "units: 1 done, 0 running, 1 queued"
        assert display._progress.tasks[0].completed == 1
        assert display._progress.tasks[0].total == 6
    finally:
        display.stop()
