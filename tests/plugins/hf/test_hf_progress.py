"""One download display on a terminal (bytes, rate, files), inside the run's display in a run;
nothing when piped; never huggingface_hub's own bars."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest
from nnbench_hf.testing import FILES_BENCH, NER_REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")



def on_a_terminal(args, cwd, timeout=120):
    """Run ``nnbench ARGS`` with stderr on a pseudo-terminal; return (code, stdout, terminal)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "150"}
    env.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)  # our display must not depend on it
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out, _ = proc.communicate(timeout=timeout)
    os.close(leader)
    return proc.returncode, out, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode(errors="replace"))


def test_fetch_shows_bytes_rate_and_files_on_a_terminal(fake_hub, tmp_path):
    fake_hub.stall("model.safetensors", seconds=1.5)  # keep the transfer on screen a while
    code, out, terminal = on_a_terminal(["fetch", f"hf:{NER_REPO}"], tmp_path)
    assert code == 0, terminal
    assert "hf:dslim/bert-base-NER@main" in terminal and re.search(r"\d+/6 files", terminal)
    # bytes of the total, then the rate ("?" until rich has two samples)
    assert re.search(r"[\d.]+/[\d.]+ [kM]B (\?|[\d.]+ [kM]?B/s) \d+/6 files", terminal)
    assert "Fetching" not in terminal and "it/s" not in terminal  # no tqdm bars
    assert out.strip().endswith("snapshots/" + fake_hub.commit(NER_REPO))


def test_a_run_shows_downloads_in_its_own_display(fake_hub, tmp_path):
    (tmp_path / "bench_files.py").write_text(FILES_BENCH)
    fake_hub.stall("model.safetensors", seconds=1.5)
    code, out, terminal = on_a_terminal(["run", "bench_files.py", "--no-store", "-q",
                                         "--loader", f"hf:{NER_REPO}"], tmp_path)
    assert code == 0, terminal
    assert "benchmarks" in terminal and "units:" in terminal  # the run's display ...
    assert re.search(r"\d+/6 files", terminal)  # ... with the download inside it
    assert "Fetching" not in terminal and "it/s" not in terminal


def test_a_workers_download_shows_in_the_drivers_display(fake_hub, tmp_path):
    """With -j the download happens in a worker process; its progress comes back as events."""
    (tmp_path / "bench_files.py").write_text(FILES_BENCH)
    fake_hub.stall("model.safetensors", seconds=1.5)
    code, out, terminal = on_a_terminal(["run", "bench_files.py", "--no-store", "-q", "-j", "1",
                                         "--loader", f"hf:{NER_REPO}"], tmp_path)
    assert code == 0, terminal
    assert "units:" in terminal and re.search(r"\d+/6 files", terminal), terminal
    assert "Fetching" not in terminal and "it/s" not in terminal


def test_nothing_is_shown_when_piped(fake_hub, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "nnbench", "fetch", f"hf:{NER_REPO}"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
