"""The fake Hugging Face Hub fixtures, re-exported from ``nnbench_hf.testing`` when installed.

Without nnbench-hf (or when it fails to import) the same fixture names exist and skip the
test with the reason, so a suite that uses them still collects.
"""

from __future__ import annotations

import pytest

__all__ = ["fake_hub", "fake_hub_files", "fake_hub_server"]

try:
    from nnbench_hf.testing import fake_hub, fake_hub_files, fake_hub_server
except Exception as exc:  # not installed, or broken: skip, never break the test session
    _REASON = (
        "the fake Hub server comes with nnbench-hf (`pip install nnbench-hf`)"
        if isinstance(exc, ImportError)
        else f"nnbench_hf.testing failed to import: {type(exc).__name__}: {exc}"
    )

    @pytest.fixture(scope="session")
    def fake_hub_files():  # type: ignore[no-redef]
        """Skips: needs nnbench-hf."""
        pytest.skip(_REASON)

    @pytest.fixture(scope="session")
    def fake_hub_server():  # type: ignore[no-redef]
        """Skips: needs nnbench-hf."""
        pytest.skip(_REASON)

    @pytest.fixture
    def fake_hub():  # type: ignore[no-redef]
        """Skips: needs nnbench-hf."""
        pytest.skip(_REASON)
