"""Every Python example in README.md and docs/*.md runs (from the repository root)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
#: Blocks that show an API shape rather than a program (signatures, plugin skeletons).
SKIP_MARKERS = ("...", "@hookimpl", "# not runnable")


def python_examples() -> list[tuple[str, str]]:
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for i, code in enumerate(BLOCK.findall(doc.read_text(encoding="utf-8"))):
            if not any(marker in code for marker in SKIP_MARKERS):
                found.append((f"{doc.relative_to(ROOT)}#{i}", code))
    return found


@pytest.mark.parametrize(("where", "code"), python_examples(), ids=[w for w, _ in python_examples()])
def test_python_example_runs(where: str, code: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(code)
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**__import__("os").environ,
                                                       "NNBENCH_STORE": str(tmp_path / "s.db")})
    assert proc.returncode == 0, f"{where}:\n{proc.stdout}\n{proc.stderr}"


def test_the_readme_example_is_among_them() -> None:
    assert any(where.startswith("README.md") for where, _ in python_examples())
