"""The worked third-party plugin in examples/plugins: installed from its pyproject."""

from __future__ import annotations

import json

import pytest

from .installing import ROOT, env_with, pip_install, run_pytest

EXAMPLE = ROOT / "examples" / "plugins" / "nnbench-markdown"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    return pip_install(tmp_path_factory.mktemp("markdown") / "site", EXAMPLE)


def test_discovered_and_listed(installed, nnbench_cli):
    result = nnbench_cli.subprocess("plugins", "--json", env=env_with(installed))
    assert result.exit_code == 0, result
    info = {p["name"]: p for p in json.loads(result.stdout)}["markdown"]
    assert info["distribution"] == "nnbench-markdown" and info["version"] == "0.1.0"
    assert info["reporters"] == [".md"] and info["error"] is None


def test_its_own_tests_and_the_contract_pass(installed):
    proc = run_pytest(EXAMPLE, installed)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "failed" not in proc.stdout


def test_uses_only_the_public_api():
    """An outsider's plugin: imports from nnbench's documented modules only."""
    import re

    public = {"nnbench", "nnbench.errors", "nnbench.testing", "nnbench.files",
              "nnbench.durations", "nnbench.envflags"}
    for path in EXAMPLE.rglob("*.py"):
        for module in re.findall(r"^\s*(?:from|import) (nnbench(?:\.[\w.]+)?)\b", path.read_text(), re.M):
            assert module in public, f"{path.name} imports {module}"
