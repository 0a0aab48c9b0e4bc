"""A transfer shows one line on a terminal (bytes, rate, files) and nothing when piped."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def fetch_on_a_terminal(url, cwd):
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "150"}
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", "fetch", url], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    out, _ = proc.communicate(timeout=120)
    os.close(leader)
    return proc.returncode, out, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode(errors="replace"))


def test_a_slow_transfer_shows_bytes_rate_and_files(fsspec_http_server, fsspec_http_root, tmp_path):
    (fsspec_http_root / "m").mkdir()
    (fsspec_http_root / "m" / "weights.bin").write_bytes(os.urandom(1 << 20))
    fsspec_http_server.slow.add("/m/weights.bin")  # 64 KiB every 50 ms
    code, out, terminal = fetch_on_a_terminal(f"{fsspec_http_server.url}/m/weights.bin", tmp_path)
    assert code == 0, terminal
    assert re.search(r"[\d.]+/1\.0 MB [\d.]+ [kM]B/s 0/1 files", terminal), terminal
    assert out.strip().endswith("weights.bin")


def test_nothing_is_shown_when_piped(fsspec_http_server, fsspec_http_root, tmp_path):
    (fsspec_http_root / "x.bin").write_bytes(b"x" * 1000)
    proc = subprocess.run([sys.executable, "-m", "nnbench", "fetch",
                           f"{fsspec_http_server.url}/x.bin"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
