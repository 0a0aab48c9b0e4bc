"""The fake Hub fixtures (``fake_hub``...) come from the published ``nnbench_hf.testing`` plugin.

``pytest_plugins`` is only allowed in the root conftest, so the fixtures are imported here
(a test module may use ``pytest_plugins = ["nnbench_hf.testing"]`` instead).
"""

from __future__ import annotations

from nnbench_hf.testing import fake_hub, fake_hub_files, fake_hub_server  # noqa: F401
