"""``ExecutorContract``: proves an executor gives the serial run's records.

Subclass it in a plugin's tests and name the executor::

    from nnbench.testing import ExecutorContract

    class TestDask(ExecutorContract):
        plugin = "nnbench_dask.plugin"

        @pytest.fixture
        def contract_executor(self, my_cluster):   # a spec string or an executor object
            return f"dask://{my_cluster.scheduler_address}"

The reference suite (written to a temporary folder, with a sibling module it imports) has
three loader bindings, a parametrized family, a failing benchmark, a failing setUp and a
``@nnbench.memo`` shared by several benchmarks. Records must equal the serial run's value for
value and in order; only timings and the execution context may differ.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import pytest

from nnbench.testing.contract_base import PluginContractBase

HELPERS = textwrap.dedent('''
    import collections

    CALLS = collections.Counter()

    def count_pass(model):
        """An evaluation pass; counts how often it ran on this artifact object."""
        CALLS[model] += 1
        return {"n": len(model.value), "calls": CALLS[model]}
''')

SUITE = textwrap.dedent('''
    import nnbench
    from nnbench.types import Artifact

    from contract_helpers import count_pass


    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = self.path.read_bytes()


    @nnbench.memo
    def evaluate(model):
        return count_pass(model)


    @nnbench.benchmark(tags=("metric",))
    def size(model: Blob) -> int:
        return evaluate(model)["n"]


    @nnbench.benchmark(tags=("metric",))
    def passes(model: Blob) -> int:
        """How many evaluation passes ran before this benchmark in this unit's process."""
        return evaluate(model)["calls"]


    @nnbench.parametrize([{"k": k} for k in range(4)], tags=("family",))
    def scaled(k: int, model: Blob) -> int:
        return k * evaluate(model)["n"]


    @nnbench.benchmark
    def broken(model: Blob) -> float:
        raise ZeroDivisionError("on purpose")


    def _bad_setup(benchmark, params):
        raise RuntimeError("setUp on purpose")


    @nnbench.benchmark(setUp=_bad_setup)
    def needs_setup(model: Blob) -> int:
        return 1


    @nnbench.benchmark
    def after_failures(model: Blob, offset: int = 3) -> int:
        return evaluate(model)["n"] + offset


    @nnbench.benchmark(tags=("metric",))
    def passes_at_end(model: Blob) -> int:
        return evaluate(model)["calls"]
''')

#: Fields that may differ between executors: timings and where a result ran.
VOLATILE = ("time_ns", "timing", "memory", "traceback", "shared_ns")


def normalise(record: Any) -> dict[str, Any]:
    """A record without the fields an executor may change."""
    data = record.to_dict() if hasattr(record, "to_dict") else dict(record)
    results = [{k: v for k, v in r.items() if k not in VOLATILE} for r in data["benchmarks"]]
    artifacts = {name: {k: v for k, v in a.items() if k in ("spec", "files", "total_size")}
                 for name, a in data["context"].get("artifacts", {}).items()}
    return {"run": data["run"], "artifacts": artifacts, "benchmarks": results}


class ExecutorContract(PluginContractBase):
    """Every executor must pass these against the reference suite."""

    #: The executor spec (``"processes:2"``), unless ``contract_executor`` is overridden.
    executor: str = ""
    load_entry_points = True

    @pytest.fixture
    def contract_executor(self) -> Any:
        """The executor under test: a spec string or an executor object."""
        if not self.executor:
            pytest.fail("set `executor = 'NAME[:TARGET]'` or override contract_executor")
        return self.executor

    @pytest.fixture
    def contract_suite(self, tmp_path: Path) -> dict[str, Any]:
        suite = tmp_path / "suite"
        suite.mkdir()
        (suite / "contract_helpers.py").write_text(HELPERS)
        (suite / "bench_contract.py").write_text(SUITE)
        models = []
        for name, size in (("small", 2), ("medium", 5), ("large", 11)):
            (tmp_path / f"{name}.bin").write_bytes(b"x" * size)
            models.append(str(tmp_path / f"{name}.bin"))
        return {"path": suite / "bench_contract.py", "loaders": models, "tmp": tmp_path}

    def _run(self, manager: Any, suite: dict[str, Any], executor: Any,
             store: Path | None = None) -> list[Any]:
        from nnbench.session import Session

        session = Session(plugins=manager, store=store, executor=executor)
        return session.run(suite["path"], loaders=suite["loaders"], name="contract")

    @pytest.fixture
    def serial_records(self, contract_plugin_manager: Any,
                       contract_suite: dict[str, Any]) -> list[Any]:
        return self._run(contract_plugin_manager, contract_suite, "serial")

    def test_same_records_as_serial(self, contract_plugin_manager: Any,
                                    contract_suite: dict[str, Any], contract_executor: Any,
                                    serial_records: list[Any]) -> None:
        records = self._run(contract_plugin_manager, contract_suite, contract_executor)
        assert [normalise(r) for r in records] == [normalise(r) for r in serial_records]
        json.dumps([r.to_dict() for r in records])  # every record stays JSON-safe

    def test_memo_shared_and_failures_isolated(self, contract_plugin_manager: Any,
                                               contract_suite: dict[str, Any],
                                               contract_executor: Any) -> None:
        records = self._run(contract_plugin_manager, contract_suite, contract_executor)
        for record in records:
            values = {r["name"]: r for r in record.benchmarks}
            assert values["passes"]["value"] == values["passes_at_end"]["value"] == 1, \
                "one evaluation pass per unit, shared by every benchmark through @memo"
            assert values["broken"]["error_type"] == "ZeroDivisionError"
            assert values["needs_setup"]["error_message"].startswith("in setUp:")
            assert values["after_failures"]["value"] == values["size"]["value"] + 3
            assert record.context["interrupted"] is False
            assert record.context["execution"]["executor"]

    def test_results_reach_the_store(self, contract_plugin_manager: Any,
                                     contract_suite: dict[str, Any], contract_executor: Any,
                                     tmp_path: Path) -> None:
        store = tmp_path / "store.db"
        records = self._run(contract_plugin_manager, contract_suite, contract_executor, store)
        db = sqlite3.connect(store)
        try:
            for record in records:
                names = [n for (n,) in db.execute(
                    "SELECT name FROM results WHERE run_id = ? ORDER BY position",
                    (record.run_id,))]
                assert names == [r["name"] for r in record.benchmarks]
            finished = [f for (f,) in db.execute("SELECT finished FROM runs")]
            assert finished == [1] * len(records)
        finally:
            db.close()

    def test_a_loader_error_skips_only_its_binding(self, contract_plugin_manager: Any,
                                                   contract_suite: dict[str, Any],
                                                   contract_executor: Any) -> None:
        from nnbench.session import Session

        loaders = [*contract_suite["loaders"][:2], "file:" + str(contract_suite["tmp"] / "gone")]
        session = Session(plugins=contract_plugin_manager, store=None,
                          executor=contract_executor)
        with pytest.warns(UserWarning, match="does not exist"):
            records = session.run(contract_suite["path"], loaders=loaders, name="contract")
        assert len(records) == 2 and len(session.failures) == 1
        assert "does not exist" in str(session.failures[0][1])

