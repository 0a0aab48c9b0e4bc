"""nnbench-mlflow's pytest fixtures, registered by its ``pytest11`` entry point.

Every pytest session where nnbench-mlflow is installed loads this module, so it imports
nothing but pytest: MLflow and the servers are imported when a test asks for a fixture.
See ``nnbench_mlflow.testing`` for what each fixture gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from nnbench_mlflow.testing.servers import MlflowServer

__all__ = ["mlflow_server", "mlflow_tracking_uri"]


@pytest.fixture
def mlflow_tracking_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty SQLite tracking database for this test, also in ``MLFLOW_TRACKING_URI``."""
    pytest.importorskip("mlflow", reason="needs mlflow (`pip install nnbench-mlflow`)")
    from nnbench_mlflow.testing.servers import tracking_db

    uri = tracking_db(tmp_path / "mlflow")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MlflowServer]:
    """``mlflow server`` on 127.0.0.1 for the whole session (it takes long to start)."""
    pytest.importorskip("mlflow", reason="needs mlflow (`pip install nnbench-mlflow`)")
    from nnbench_mlflow.testing.servers import MlflowServer

    with MlflowServer(tmp_path_factory.mktemp("mlflow-server")) as server:
        yield server
