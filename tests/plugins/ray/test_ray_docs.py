"""docs/distributed.md, its Ray part: the examples marked for tests/plugins/ray run here (the
main suite skips them: they need Ray); the ones that need a deployment say so."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from nnbench.testing.executor_suites import WITH_ARTIFACT

pytest.importorskip("ray")

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "distributed.md"
MARK = "tests/plugins/ray runs it"
RAY_PART = DOC.read_text(encoding="utf-8").split("# Running benchmarks on Ray", 1)[1]



def examples(language: str) -> list[tuple[str, str]]:
    blocks = re.findall(rf"```{language}\n(.*?)```", RAY_PART, re.S)
    return [(f"distributed.md#ray-{language}{i}", code) for i, code in enumerate(blocks)
            if MARK in code]


def test_every_ray_example_either_runs_here_or_says_why_not():
    for language in ("bash", "python", "yaml"):
        for code in re.findall(rf"```{language}\n(.*?)```", RAY_PART, re.S):
            assert "# not runnable" in code, code  # the main suite must skip all of them
    assert len(examples("bash")) == 2 and len(examples("python")) == 1


def _run(code: str, cwd: Path, shell: bool) -> subprocess.CompletedProcess[str]:
    """``code`` in its own process group, in a Ray temp folder of its own (no
    ``ray_current_cluster`` left for others to find); whatever it left running is ended
    after."""
    ray_tmp = tempfile.mkdtemp(prefix="nnbench-rt-")  # short: Ray's socket paths live below
    env = {**os.environ, "NNBENCH_STORE": str(cwd / "store.db"), "RAY_TMPDIR": ray_tmp,
           "RAY_USAGE_STATS_ENABLED": "0",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("RAY_ADDRESS", None)
    if shell:
        script = cwd / "example.sh"
        script.write_text(code)
        cmd = ["bash", "-e", str(script)]
    else:
        script = cwd / "example.py"
        script.write_text(code)
        cmd = [sys.executable, str(script)]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=240)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        import shutil

        shutil.rmtree(ray_tmp, ignore_errors=True)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@pytest.mark.parametrize(("where", "code"), examples("bash"), ids=[w for w, _ in examples("bash")])
def test_shell_example_runs(where, code, tmp_path):
    from nnbench_ray.testing import free_port

    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_doc.py").write_text(textwrap.dedent(WITH_ARTIFACT))
    (tmp_path / "model-a").write_bytes(b"aaa")
    (tmp_path / "model-b").write_bytes(b"bbbbb")
    code = code.replace("6379", str(free_port()))  # a head of its own, wherever 6379 is taken
    done = _run(code, tmp_path, shell=True)
    assert done.returncode == 0, f"{where}:\n{done.stdout}\n{done.stderr}"
    assert "size" in done.stdout and "square" in done.stdout, done.stdout


@pytest.mark.parametrize(("where", "code"), examples("python"),
                         ids=[w for w, _ in examples("python")])
def test_python_example_runs(where, code, tmp_path):
    done = _run(code, tmp_path, shell=False)
    assert done.returncode == 0, f"{where}:\n{done.stdout}\n{done.stderr}"
    assert done.stdout.splitlines()[0] == "[0, 1, 4, 9]", done.stdout
    assert "'executor': 'ray'" in done.stdout and "'accelerator_ids': {}" in done.stdout
