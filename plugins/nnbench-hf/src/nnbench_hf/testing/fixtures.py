"""The fake Hub's pytest fixtures, registered by nnbench-hf's ``pytest11`` entry point.

Every pytest session where nnbench-hf is installed loads this module, so it imports nothing
but pytest: the server and the model builders are imported when a test asks for a fixture.
See ``nnbench_hf.testing`` for what each fixture gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from nnbench_hf.testing.server import FakeHub

__all__ = ["fake_hub", "fake_hub_files", "fake_hub_server"]

#: What building the default repos imports (the ``test`` extra of nnbench-hf).
_BUILD_MODULES = ("torch", "transformers", "tokenizers", "pyarrow")


@pytest.fixture(scope="session")
def fake_hub_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders holding the default repos' files, built once per session."""
    for module in _BUILD_MODULES:
        pytest.importorskip(module, reason=f"the fake Hub's default repos need {module} "
                                           "(`pip install nnbench-hf[test]`)")
    from nnbench_hf.testing.builders import build_default_files

    return build_default_files(tmp_path_factory.mktemp("fake-hub-files"))


@pytest.fixture(scope="session")
def fake_hub_server(fake_hub_files: dict[str, Path]) -> Iterator[FakeHub]:
    """The session's fake Hub server, serving the default repos."""
    from nnbench_hf.testing.builders import add_default_repos
    from nnbench_hf.testing.server import FakeHub

    with FakeHub() as hub:
        add_default_repos(hub.store, fake_hub_files)
        hub.keep_as_defaults()
        yield hub


@pytest.fixture
def fake_hub(fake_hub_server: FakeHub, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """The fake Hub, reset, with ``HF_ENDPOINT``/``HF_HOME`` pointed at it for this test."""
    hub = fake_hub_server
    hub.reset()
    hf_home = tmp_path / "hf-home"
    hf_home.mkdir()
    for name, value in hub.environment(hf_home).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    hub.hf_home, hub.cache_dir = hf_home, hf_home / "hub"
    yield hub
    hub.reset()  # repos the test added vanish, faults it left do not fire later
    hub.hf_home = hub.cache_dir = None
