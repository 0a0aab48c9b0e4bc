"""The built-in reporters run the same reporter contract as every plugin's reporter."""

from __future__ import annotations

import pytest
from nnbench.testing import ReporterContract


class TestJSON(ReporterContract):
    destination = "results.json"


class TestJSONGzip(ReporterContract):
    destination = "results.json.gz"


class TestNDJSON(ReporterContract):
    destination = "results.ndjson"


class TestCSV(ReporterContract):
    destination = "results.csv"


class TestYAML(ReporterContract):
    destination = "results.yaml"


class TestParquet(ReporterContract):
    destination = "results.parquet"

    @pytest.fixture(autouse=True)
    def _needs_pyarrow(self):
        pytest.importorskip("pyarrow")


class TestSQLite(ReporterContract):
    destination = "sqlite:///{tmp}/results.db"
    appends = True
    atomic_rename = False  # transactions, not renames
    sidecar_suffixes = ("-wal", "-shm", "-journal")
