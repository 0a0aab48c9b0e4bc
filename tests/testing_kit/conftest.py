"""nnbench.testing's fixtures for these tests (``pytest_plugins`` only works top-level)."""

from nnbench.testing.fixtures import (  # noqa: F401 -- pytest finds fixtures by attribute
    fake_hub,
    fake_hub_files,
    fake_hub_server,
    nnbench_cache,
    nnbench_cli,
    nnbench_plugin,
    nnbench_plugin_manager,
    nnbench_store,
)
