"""The Ray tests run when asked for by path (`pytest tests/plugins/ray`, the tox env `ray`,
the second pytest run of .ci/run), not in a bare `pytest`: a Ray instance takes seconds to
start and the main suite stays fast. NNBENCH_RAY_TESTS=1 runs them in any invocation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _asked_for(config: pytest.Config) -> bool:
    if os.environ.get("NNBENCH_RAY_TESTS") == "1":
        return True
    base = Path(config.invocation_params.dir)
    for arg in config.invocation_params.args:
        text = str(arg).split("::")[0]
        if not text or text.startswith("-"):
            continue
        path = (base / text).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name.startswith("test_") and not _asked_for(config):
        return True
    return None


@pytest.fixture(autouse=True, scope="session")
def _ray_session(ray_auth, ray_temp):
    """Every Ray instance of the session, and every driver, shares one test token; their
    session files go to one temp folder, removed after."""
    return ray_auth
