"""Read records back from MLflow: every nnbench run of an experiment, or the ones RUN names.

``RUN`` is, in this order: an MLflow run id (a parent's gives its children); an nnbench run id;
a name, the latest run with that MLflow or nnbench run name, else the latest group with that
parent name (as ``nnbench compare NAME`` takes the latest of a name in the results store); a
unique prefix (4+ characters) of an nnbench run id. Each record comes from the run's
``nnbench/record.json``; runs without one (not written by nnbench, or a write that broke off)
are skipped with a warning.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from typing import Any

from nnbench.errors import ReporterError
from nnbench.types import BenchmarkRecord

from nnbench_mlflow.connect import client_for, experiment_for_read, mlflow_errors, shown
from nnbench_mlflow.convert import RECORD_ARTIFACT
from nnbench_mlflow.destination import Destination

__all__ = ["read", "select"]

_PAGE = 1000
_PROGRESS_BAR = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


def read(dest: Destination) -> list[BenchmarkRecord]:
    client = client_for(dest, reading=True)
    experiment = experiment_for_read(client, dest)
    runs = _record_runs(client, dest, experiment.experiment_id)
    if dest.run:
        runs = select(runs, dest.run)
        if not runs:
            raise ReporterError(f"no nnbench run {shown(dest.run)} in MLflow experiment "
                                f"{shown(dest.experiment)}; `nnbench runs --store "
                                f"mlflow://{dest.experiment}` lists them")
    runs.sort(key=lambda r: (r.info.start_time or 0, _position(r)))
    records = []
    with _quiet_downloads(), tempfile.TemporaryDirectory(prefix="nnbench-mlflow-") as tmp:
        for run in runs:
            record = _record(client, dest, run, tmp)
            if record is not None:
                records.append(record)
    return records


@contextlib.contextmanager
def _quiet_downloads() -> Iterator[None]:
    """No MLflow download progress bars on stderr while reading, unless the user asked for
    them (``MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR``)."""
    if _PROGRESS_BAR in os.environ:
        yield
        return
    os.environ[_PROGRESS_BAR] = "false"
    try:
        yield
    finally:
        os.environ.pop(_PROGRESS_BAR, None)


def _position(run: Any) -> int:
    text = run.data.tags.get("nnbench.position", "0")
    return int(text) if text.isdigit() else 0


def _record_runs(client: Any, dest: Destination, experiment_id: str) -> list[Any]:
    runs: list[Any] = []
    token = None
    with mlflow_errors(f"cannot list the runs of experiment {shown(dest.experiment)}", dest):
        while True:
            page = client.search_runs([experiment_id], max_results=_PAGE, page_token=token,
                                      filter_string="tags.`nnbench.kind` = 'record'")
            runs.extend(page)
            token = page.token
            if not token:
                return runs


def select(runs: list[Any], ref: str) -> list[Any]:
    """The runs ``ref`` names (see the module docstring), or []."""
    def tag(run: Any, key: str) -> str | None:
        return run.data.tags.get(key)

    found = [r for r in runs if r.info.run_id == ref] or \
        [r for r in runs if tag(r, "mlflow.parentRunId") == ref] or \
        [r for r in runs if tag(r, "nnbench.run_id") == ref]
    if found:
        return found
    named = [r for r in runs if ref in (r.info.run_name, tag(r, "nnbench.run"))]
    if named:  # the latest run of that name
        return [max(named, key=lambda r: r.info.start_time or 0)]
    groups: dict[str, list[Any]] = {}
    for run in runs:
        if tag(run, "nnbench.group") == ref:
            groups.setdefault(tag(run, "mlflow.parentRunId") or "", []).append(run)
    if groups:  # the latest group of that name
        return max(groups.values(), key=lambda rs: max(r.info.start_time or 0 for r in rs))
    if len(ref) >= 4:
        found = [r for r in runs if (tag(r, "nnbench.run_id") or "").startswith(ref)]
        if len(found) == 1:
            return found
    return []


def _record(client: Any, dest: Destination, run: Any, tmp: str) -> BenchmarkRecord | None:
    run_id = run.info.run_id
    try:
        with mlflow_errors(f"cannot read the record of MLflow run {run_id}", dest):
            folder = os.path.join(tmp, run_id)
            os.makedirs(folder, exist_ok=True)
            path = client.download_artifacts(run_id, RECORD_ARTIFACT, dst_path=folder)
            with open(path, encoding="utf-8") as fh:
                return BenchmarkRecord.from_dict(json.load(fh))
    except ReporterError as exc:
        warnings.warn(f"MLflow run {run_id} ({run.info.run_name}) skipped: {exc}", stacklevel=3)
        return None
