"""docs/distributed.md: its shell examples that can run on one machine do (its Python examples
run in tests/docs); the ones that need a deployment say so."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nnbench.testing.executor_suites import WITH_ARTIFACT

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "distributed.md"
BASH = re.compile(r"```bash\n(.*?)```", re.S)



def shell_examples() -> list[tuple[str, str]]:
    blocks = BASH.findall(DOC.read_text(encoding="utf-8"))
    return [(f"distributed.md#bash{i}", code) for i, code in enumerate(blocks)
            if "# not runnable" not in code]


def test_every_example_that_needs_a_deployment_says_so():
    blocks = BASH.findall(DOC.read_text(encoding="utf-8"))
    for code in blocks:
        if any(word in code for word in ("kubectl", "scheduler:8786", "bench-head", "srun",
                                         "dask cuda")):
            assert "# not runnable" in code, code
    assert len(shell_examples()) >= 2


@pytest.mark.parametrize(("where", "code"), shell_examples(), ids=[w for w, _ in shell_examples()])
def test_shell_example_runs(where, code, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_doc.py").write_text(textwrap.dedent(WITH_ARTIFACT))
    (tmp_path / "model-a").write_bytes(b"aaa")
    (tmp_path / "model-b").write_bytes(b"bbbbb")
    env = {**os.environ, "NNBENCH_STORE": str(tmp_path / "store.db"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(["bash", "-e", "-c", code], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        try:  # whatever the example left running in the background
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, f"{where}:\n{out}\n{err}"
    assert "size" in out and "square" in out, out
