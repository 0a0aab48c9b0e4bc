"""Test helpers for nnbench plugin authors: fixtures and contract suites.

A pytest plugin: ``pytest_plugins = ["nnbench.testing"]`` in the top-level ``conftest.py``
of a plugin's tests brings the fixtures below. The contract suites need no fixture from it::

    from nnbench.testing import LoaderContract, ReporterContract

    class TestMyLoader(LoaderContract):
        plugin = "my_plugin.plugin"
        spec = "my:thing"
        missing_spec = "my:no-such-thing"

Fixtures: ``nnbench_cache``, ``nnbench_store``, ``nnbench_plugin`` (override) with
``nnbench_plugin_manager`` and ``nnbench_cli``. Plugins ship their own fixtures as pytest
plugins (nnbench-hf's ``fake_hub``, nnbench-fsspec's ``fsspec_s3_server``...); this module
imports no plugin.
"""

from __future__ import annotations

from nnbench.testing.cli import CLIResult, CLIRunner
from nnbench.testing.executor_contract import ExecutorContract
from nnbench.testing.fixtures import (  # noqa: F401 -- fixtures, for pytest_plugins
    nnbench_cache,
    nnbench_cli,
    nnbench_plugin,
    nnbench_plugin_manager,
    nnbench_store,
)
from nnbench.testing.loader_contract import LoaderContract, check_one_line
from nnbench.testing.managers import isolated_plugin_manager
from nnbench.testing.reporter_contract import ReporterContract
from nnbench.testing.samples import ContractArtifact, sample_records

__all__ = [
    "CLIResult", "CLIRunner", "ContractArtifact", "ExecutorContract", "LoaderContract", "ReporterContract",
    "check_one_line", "isolated_plugin_manager", "sample_records",
]
