"""The built-in local loader runs the same loader contract as every plugin's loader."""

from __future__ import annotations

import pytest
from nnbench.testing import LoaderContract
from nnbench.types import LocalArtifactLoader


@pytest.fixture
def model_dir(tmp_path):
    root = tmp_path / "model"
    (root / "sub").mkdir(parents=True)
    (root / "config.json").write_text('{"labels": 3}')
    (root / "sub" / "weights.bin").write_bytes(b"\0" * 1024)
    return root


class TestLocalPath(LoaderContract):
    loader_class = LocalArtifactLoader
    provenance_keys = ("spec", "path", "loader", "files", "total_size")
    missing_message_contains = ("does not exist",)

    @pytest.fixture
    def artifact_spec(self, model_dir):
        return str(model_dir)

    @pytest.fixture
    def missing_artifact_spec(self, tmp_path):
        return str(tmp_path / "no-such-model")


class TestFileScheme(TestLocalPath):
    @pytest.fixture
    def artifact_spec(self, model_dir):
        return f"file://{model_dir}"

    @pytest.fixture
    def missing_artifact_spec(self, tmp_path):
        return f"file://{tmp_path / 'no-such-model'}"


class TestSingleFile(TestLocalPath):
    @pytest.fixture
    def artifact_spec(self, model_dir):
        return str(model_dir / "config.json")
