"""A fake Hugging Face Hub for tests: ``pytest_plugins = ["nnbench_hf.testing"]``.

Fixtures:

* ``fake_hub`` — a running ``FakeHub`` with the default repos (see ``builders``), request log
  cleared, faults cleared, and the environment pointed at it: ``HF_ENDPOINT`` = its URL,
  ``HF_HOME`` = a fresh folder per test (``fake_hub.hf_home``; cache ``fake_hub.cache_dir``),
  no ``HF_TOKEN``/``HF_HUB_CACHE``/``HF_HUB_OFFLINE``. Repos a test adds vanish after it.
* ``fake_hub_server`` — the session's server without the per-test environment.
* ``fake_hub_files`` — folders with the default repos' files (tiny BERT NER model, decoys,
  CoNLL++-like parquet splits), built once per session.

``FakeHub`` and the builders import no pytest, so scripts (``perf/``) can use them directly.
"""

from __future__ import annotations

from nnbench_hf.testing.builders import (
    CSV_DATASET_REPO,
    DATASET_REPO,
    GATED_REPO,
    NER_LABELS,
    NER_REPO,
    PARQUET_REVISION,
    PICKLE_REPO,
    SENTENCES,
    SHARDED_REPO,
    add_default_repos,
    build_default_files,
    build_tiny_bert_ner,
)
from nnbench_hf.testing.server import DEFAULT_TOKEN, FakeHub, RequestRecord

__all__ = [
    "CSV_DATASET_REPO", "DATASET_REPO", "DEFAULT_TOKEN", "GATED_REPO", "NER_LABELS", "NER_REPO",
    "PARQUET_REVISION", "PICKLE_REPO", "SENTENCES", "SHARDED_REPO", "FakeHub", "RequestRecord",
    "add_default_repos", "build_default_files", "build_tiny_bert_ner", "hub_environment",
]

#: Variables the fake Hub fixture removes so nothing of the real machine leaks in.
HF_VARIABLES = (
    "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE",
    "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_DATASETS_CACHE",
    "XDG_CACHE_HOME", "NNBENCH_OFFLINE",
)


def hub_environment(hub: FakeHub, hf_home: str) -> dict[str, str | None]:
    """The environment changes that point HF clients at ``hub`` with ``hf_home`` (None: unset)."""
    changes: dict[str, str | None] = {name: None for name in HF_VARIABLES}
    changes.update(
        HF_ENDPOINT=hub.endpoint,
        HF_HOME=str(hf_home),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        HF_HUB_DISABLE_XET="1",
    )
    return changes


try:  # the fixtures exist only where pytest does
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(scope="session")
    def fake_hub_files(tmp_path_factory: pytest.TempPathFactory) -> dict:
        """Folders holding the default repos' files, built once per session."""
        return build_default_files(tmp_path_factory.mktemp("fake-hub-files"))

    @pytest.fixture(scope="session")
    def fake_hub_server(fake_hub_files: dict):
        """The session's fake Hub server, serving the default repos."""
        with FakeHub() as hub:
            add_default_repos(hub.store, fake_hub_files)
            hub._defaults = hub.store.snapshot()  # type: ignore[attr-defined]
            yield hub

    @pytest.fixture
    def fake_hub(fake_hub_server: FakeHub, tmp_path, monkeypatch: pytest.MonkeyPatch):
        """The fake Hub, reset, with ``HF_ENDPOINT``/``HF_HOME`` pointed at it for this test."""
        hub = fake_hub_server
        hub.store.restore(hub._defaults)  # type: ignore[attr-defined]
        hub.clear_faults()
        hub.clear_log()
        hub.page_size = 1000
        hub.valid_tokens = {hub.token}
        hf_home = tmp_path / "hf-home"
        hf_home.mkdir()
        for name, value in hub_environment(hub, str(hf_home)).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        hub.hf_home = hf_home  # type: ignore[attr-defined]
        hub.cache_dir = hf_home / "hub"  # type: ignore[attr-defined]
        yield hub
        hub.clear_faults()
        hub.store.restore(hub._defaults)  # type: ignore[attr-defined]
