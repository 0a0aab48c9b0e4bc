"""Every bad input of the catalogue (``cases.py``): its exit code, one ``error:`` line on
stderr saying what went wrong, no traceback, nothing written. In-process (``CLIRunner``)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from nnbench.testing import CLIRunner

from tests.faults.cases import CASES, IS_LINUX, WORKSPACE, Case

SECRETS = ("hf_secretSecretSecret0123456789", "AKIAUSER")


def files_below(root: Path) -> dict[str, int]:
    """Every file below ``root`` with its size (Python's own __pycache__ left out)."""
    found = {}
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            path = Path(dirpath, name)
            found[str(path.relative_to(root))] = path.stat().st_size
    return found


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    if case.needs and importlib.util.find_spec(case.needs) is None:
        pytest.skip(f"needs {case.needs}")
    if case.linux and not IS_LINUX:
        pytest.skip("needs Linux /proc")
    work = tmp_path / "work"
    for rel, text in {**WORKSPACE, **case.files}.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text)
    before = files_below(work)
    env = {"NNBENCH_STORE": None, "HF_HOME": str(tmp_path / "hf-home"), **case.env}
    res = CLIRunner(cwd=work, env=env).run(*case.args)
    lines = res.stderr.splitlines()
    assert res.exit_code == case.code, res
    assert len(lines) == 1 and lines[0].startswith("error: "), res
    assert case.says in lines[0], res
    assert "Traceback" not in res.stderr + res.stdout
    assert not any(secret in res.stderr + res.stdout for secret in SECRETS)
    assert len(lines[0]) < 1200, "echoed input is bounded"
    assert files_below(work) == before, "nothing written"
