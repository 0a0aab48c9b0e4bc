"""``ReporterContract`` against the MLflow reporter on a real SQLite tracking store."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from nnbench.testing import ReporterContract

pytest.importorskip("mlflow")


class TestMlflowReporterContract(ReporterContract):
    plugin = "nnbench_mlflow.plugin"
    destination = "mlflow://contract?tracking_uri=sqlite:///{tmp}/mlflow.db"
    appends = True  # a tracking store: each write adds runs
    atomic_rename = False
    sidecar_names = ("mlruns",)  # the artifacts of experiments beside the database

    def local_path(self, destination: str) -> Path:
        uri = parse_qs(urlsplit(destination).query)["tracking_uri"][0]
        return Path(uri[len("sqlite:///"):])

    @pytest.fixture
    def reporter_destination(self, tmp_path: Path) -> str:
        from nnbench_mlflow.testing import tracking_db

        out = tmp_path / "out"
        tracking_db(out)  # a migrated, empty database: seconds faster than a new one
        return self.destination.replace("{tmp}", out.as_posix())
