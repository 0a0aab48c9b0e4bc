"""The NER example through ``Session`` equals ``nnbench run`` with the same arguments.

Also ``-j 2``: the same metric values from two worker processes as from the serial run.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from nnbench import Session

#: Benchmarks whose values are measurements of this machine, not of the model.
MEASURED_TAGS = {"speed", "memory"}


def comparable(record: dict) -> dict:
    results = [{k: r[k] for k in ("name", "value", "parameters", "tags", "error_occurred")}
               for r in record["benchmarks"] if not MEASURED_TAGS & set(r["tags"])]
    artifacts = {k: {f: a.get(f) for f in ("spec", "path", "files", "total_size")}
                 for k, a in record["context"]["artifacts"].items()}
    return {"run": record["run"], "artifacts": artifacts, "results": results}


def store_rows(path: Path) -> tuple[list, list]:
    db = sqlite3.connect(path)
    try:
        runs = db.execute("SELECT name, planned, finished FROM runs ORDER BY rowid").fetchall()
        results = db.execute("SELECT r.name, s.position, s.name FROM results s JOIN runs r "
                             "ON r.run_id = s.run_id ORDER BY r.rowid, s.position").fetchall()
    finally:
        db.close()
    return runs, results


@pytest.fixture(scope="module")
def two_models(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    copy = shutil.copytree(example_dir / "model", tmp_path_factory.mktemp("m") / "copy")
    return [str(example_dir / "model"), str(copy)]


@pytest.mark.slow
def test_session_equals_the_cli(example_dir: Path, tmp_path: Path, two_models: list[str]) -> None:
    api_store, cli_store, out = tmp_path / "api.db", tmp_path / "cli.db", tmp_path / "cli.json"
    records = Session(store=api_store).run(example_dir, loaders=two_models, name="same")
    proc = subprocess.run(
        [sys.executable, "-m", "nnbench", "run", str(example_dir), "--loader", two_models[0],
         "--loader", two_models[1], "--name", "same", "--store", str(cli_store), "-o", str(out),
         "-q"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(out.read_text())
    assert len(records) == len(cli) == 2
    assert [comparable(r.to_dict()) for r in records] == [comparable(r) for r in cli]
    assert store_rows(api_store) == store_rows(cli_store)
    runs, results = store_rows(api_store)
    assert [(planned, finished) for _, planned, finished in runs] == \
        [(len(records[0].benchmarks), 1)] * 2
    assert len(results) == 2 * len(records[0].benchmarks)


@pytest.mark.slow
def test_two_worker_processes_give_the_serial_values(example_dir: Path, tmp_path: Path,
                                                     two_models: list[str]) -> None:
    serial = Session(store=None).run(example_dir, loaders=two_models, name="j",
                                     tags=("metric",))
    parallel = Session(store=None, executor="processes:2").run(
        example_dir, loaders=two_models, name="j", tags=("metric",))
    assert [comparable(r.to_dict()) for r in parallel] == [comparable(r.to_dict()) for r in serial]
    pids = {r.context["execution"]["pid"] for r in parallel}
    assert len(pids) == 2 and all(r.context["execution"]["threads"] == 1 for r in parallel)


@pytest.mark.slow
def test_no_model_is_loaded_in_the_driver_with_workers(example_dir: Path,
                                                        two_models: list[str]) -> None:
    # The dataset too from a spec: the bundled default is one module-level instance that
    # earlier in-process runs may have loaded.
    data = f"data={example_dir / 'data' / 'test.txt'}"
    session = Session(store=None, executor="processes:2")
    session.run(example_dir, loaders=[*two_models, data], name="j", tags=("metric",))
    artifacts = [a for unit in session.last_plan.units for a in unit.artifacts().values()]
    assert len(artifacts) == 4  # a model and the dataset per binding
    assert not any(a.is_deserialized() for a in artifacts)
    assert not any(a._path is not None for a in artifacts)  # not even fetched here
