"""The CLI end to end, through a subprocess, as a user runs it."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .helpers import nnbench, write

SUITE = """
import nnbench
from nnbench.types import Artifact

class TextModel(Artifact[str]):
    def deserialize(self):
        self._value = (self.path / "weights.txt").read_text()

@nnbench.benchmark(tags=("metric",))
def size(model: TextModel) -> int:
    return len(model.value)

@nnbench.benchmark(tags=("metric",))
def scaled(model: TextModel, factor: float = 1.0, label: str = "x") -> float:
    return len(model.value) * factor

@nnbench.benchmark(tags=("broken",))
def broken() -> int:
    raise RuntimeError("kaput")
"""


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "benchmarks" / "text_bench.py", SUITE)
    for name, text in (("small", "ab"), ("large", "abcdef")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "weights.txt").write_text(text)
    return tmp_path


def test_run_writes_outputs_and_store(project):
    res = nnbench("run", "benchmarks", "--loader", "./small", "--tag", "metric",
                  "--param", "factor=2.5", "--param", "label=007", "-o", "out.json",
                  "--name", "first", cwd=project)
    assert res.returncode == 0, res.stderr
    assert "size" in res.stdout and res.stderr == ""
    doc = json.loads((project / "out.json").read_text())
    values = {b["name"]: b["value"] for b in doc["benchmarks"]}
    assert values == {"size": 2, "scaled": 5.0}
    assert doc["benchmarks"][1]["parameters"]["label"] == "007"  # str stays a string
    model = doc["context"]["artifacts"]["model"]
    assert model["spec"] == "./small" and model["files"][0]["size"] == 2
    runs = nnbench("runs", "--json", cwd=project)
    assert json.loads(runs.stdout)[0]["name"] == "first"


def test_several_loaders_give_one_record_each(project):
    res = nnbench("run", "benchmarks", "--loader", "./small", "--loader", "model=./large",
                  "--tag", "metric", "-o", "out.json", "-q", cwd=project)
    assert res.returncode == 0, res.stderr
    docs = json.loads((project / "out.json").read_text())
    assert [[b["value"] for b in d["benchmarks"]] for d in docs] == [[2, 2.0], [6, 6.0]]
    assert [d["context"]["artifacts"]["model"]["spec"] for d in docs] == ["./small", "./large"]


def test_failing_benchmark_exits_1_and_keeps_the_others(project):
    res = nnbench("run", "benchmarks", "--loader", "./small", "-o", "out.json", cwd=project)
    assert res.returncode == 1
    assert "1 benchmark(s) failed" in res.stderr
    doc = json.loads((project / "out.json").read_text())
    assert [b["error_occurred"] for b in doc["benchmarks"]] == [False, False, True]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nope/"], "benchmark path nope/ does not exist"),
        (["run", "benchmarks", "--loader", "./small", "--param", "facter=2"],
         "unknown parameter 'facter'"),
        (["run", "benchmarks", "--loader", "./small", "--param", "factor=abc"],
         "'factor' of benchmark 'scaled' must be float, got str"),
        (["run", "benchmarks", "--loader", "zz:some/thing"], "no loader for scheme 'zz'"),
        (["run", "benchmarks", "--loader", "./absent"], "does not exist"),
        (["run", "benchmarks", "--loader", "./small", "-o", "missing/out.json"],
         "directory"),
        (["run", "benchmarks", "--loader", "./small", "-o", "out.xlsx"], "no reporter for output"),
        (["run", "benchmarks"], "needs parameter 'model'"),
        (["run", "benchmarks", "--loader", "./small", "--loader", "other=./large"],
         "no artifact parameter 'other'"),
        (["fetch", "hf:org/name"], "no loader for scheme 'hf'"),
        (["run", "benchmarks", "-p", "hf"], "-p takes no:NAME"),
        (["run", "benchmarks", "--tag", "broken", "--loader", "./small"],
         "no selected benchmark has a parameter annotated with an Artifact"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project, args, message):
    env = {"NNBENCH_LOAD_PLUGINS": "none"}
    res = nnbench(*args, cwd=project, env=env)
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(("error: ", "usage:")) is True or \
        "error" in lines[-1], res.stderr
    assert message in res.stderr
    assert not (project / "out.json").exists() and not (project / ".nnbench").exists()


def test_syntax_error_names_file_and_line(project):
    write(project / "broken_bench.py", "import nnbench\nx = (\n")
    res = nnbench("run", "broken_bench.py", cwd=project)
    assert res.returncode == 2
    assert "broken_bench.py, line 2" in res.stderr and "Traceback" not in res.stderr
    debug = nnbench("run", "broken_bench.py", "--debug", cwd=project)
    assert "Traceback" in debug.stderr


def test_no_benchmark_selected_warns_and_exits_0(project):
    res = nnbench("run", "benchmarks", "--tag", "nothing", cwd=project)
    assert res.returncode == 0 and "no benchmarks selected" in res.stderr


def test_fetch_prints_local_path_last(project):
    res = nnbench("fetch", "./small", cwd=project)
    assert res.returncode == 0
    assert res.stdout.strip().splitlines()[-1] == str(project / "small")


def test_plugins_json_lists_builtin(project):
    res = nnbench("plugins", "--json", cwd=project)
    infos = {p["name"]: p for p in json.loads(res.stdout)}
    assert "file" in infos["builtin"]["loaders"] and ".json" in infos["builtin"]["reporters"]
    assert "register_loaders" in " ".join(infos["builtin"]["hooks"])
    assert infos["builtin"]["executors"] == ["serial", "processes"]
    table = nnbench("plugins", cwd=project).stdout
    assert "executors" in table and "processes" in table


def test_help_is_fast_path_and_complete(project):
    res = nnbench("--help", cwd=project)
    assert res.returncode == 0 and "run" in res.stdout and "fetch" in res.stdout


SLOW_SUITE = """
import pathlib, time
import nnbench

@nnbench.product(i=range(5))
def step(i: int) -> int:
    if i == 2:
        pathlib.Path("reached").write_text("yes")
        time.sleep(60)
    return i
"""


def test_interrupted_run_keeps_completed_results(tmp_path):
    write(tmp_path / "slow_bench.py", SLOW_SUITE)
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", "run", "slow_bench.py"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "reached").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    db = sqlite3.connect(tmp_path / ".nnbench" / "results.db")
    names = [n for (n,) in db.execute("SELECT name FROM results ORDER BY position")]
    assert names == ["step_i=0", "step_i=1"]
    assert db.execute("SELECT finished, planned FROM runs").fetchone() == (0, 5)
    listing = nnbench("runs", cwd=tmp_path)
    assert "interrupted" in listing.stdout


def test_torch_provider_never_imports_torch(tmp_path):
    code = ("import sys, nnbench.context as c; c.torch_info(); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_core_distribution_pulls_no_heavy_dependencies():
    from importlib.metadata import requires

    reqs = " ".join(requires("nnbench-core") or []).lower()
    for heavy in ("torch", "transformers", "huggingface", "datasets"):
        assert heavy not in reqs


def test_terminal_gets_a_live_progress_display(tmp_path):
    """With stderr on a terminal, the run shows done/total and the current benchmark."""
    import os
    import pty

    write(tmp_path / "few_bench.py", """
        import nnbench
        @nnbench.product(i=range(3))
        def step(i: int) -> int:
            return i
    """)
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", "run", "few_bench.py", "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=terminal,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(controller)
    shown = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "0/3" in shown and "step_i=" in shown


def test_noisy_timing_is_reported_on_stderr(tmp_path):
    """A benchmark whose samples spread widely gets a warning line naming it."""
    write(tmp_path / "noisy_bench.py", """
        import time
        import nnbench
        state = {"n": 0}

        @nnbench.benchmark(repeat=6)
        def noisy() -> int:
            state["n"] += 1
            time.sleep(0.02 if state["n"] % 2 else 0.001)
            return 1
    """)
    res = nnbench("run", "noisy_bench.py", "--no-store", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "warning: noisy: noisy timing: IQR/median" in res.stderr
