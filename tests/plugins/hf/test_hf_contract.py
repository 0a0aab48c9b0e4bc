"""nnbench's loader contract (nnbench.testing.loader_contract) holds for hf: on the fake Hub."""

from __future__ import annotations

import pytest
from nnbench.testing.loader_contract import LoaderContract
from nnbench_hf.loader import HfArtifactLoader
from nnbench_hf.testing import GATED_REPO, NER_REPO


class TestHfLoaderContract(LoaderContract):
    plugin = "nnbench_hf.plugin"
    plugin_name = "hf"
    loader_class = HfArtifactLoader
    missing_message_contains = ("nobody/missing", "not found")
    provenance_keys = ("spec", "path", "loader", "repo_id", "repo_type", "revision",
                       "resolved_revision", "files", "total_size")

    @pytest.fixture
    def artifact_spec(self, fake_hub) -> str:
        return f"hf:{NER_REPO}"

    @pytest.fixture
    def missing_artifact_spec(self, fake_hub) -> str:
        return "hf:nobody/missing"

    @pytest.fixture
    def download_counter(self, fake_hub):
        return lambda: len(fake_hub.downloaded_files())


class TestHfGatedLoaderContract(TestHfLoaderContract):
    """The same with a gated repo and the token in HF_TOKEN: it must never show up."""

    @pytest.fixture
    def artifact_spec(self, fake_hub, monkeypatch) -> str:
        monkeypatch.setenv("HF_TOKEN", fake_hub.token)
        return f"hf:{GATED_REPO}"

    @pytest.fixture
    def artifact_secret(self, fake_hub) -> str:
        return fake_hub.token
