"""Through the nnbench CLI (subprocess): fetch, provenance in run records, no token anywhere, install hint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nnbench_hf.testing import GATED_REPO, NER_REPO

pytestmark = pytest.mark.slow


def nnbench(*args: str, cwd: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "nnbench", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def everything_under(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_fetch_prints_the_path_last_and_never_the_token(fake_hub, tmp_path):
    token = fake_hub.token
    done = nnbench("fetch", f"hf:{GATED_REPO}?token={token}", "--provenance", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip().splitlines()[-1])
    assert (path / "model.safetensors").is_file()
    assert token not in done.stdout + done.stderr
    provenance = json.loads(done.stderr[done.stderr.index("{"):done.stderr.rindex("}") + 1])
    assert provenance["resolved_revision"] == fake_hub.commit(GATED_REPO, "main")
    assert "***" in provenance["spec"]
    assert token.encode() not in everything_under(fake_hub.hf_home)


def test_gated_error_from_cli_is_one_line_exit_2(fake_hub, tmp_path):
    done = nnbench("fetch", f"hf:{GATED_REPO}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "hf auth login" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_bad_token_never_printed_even_with_debug(fake_hub, tmp_path):
    bad = "hf_badTokenThatMustNotAppear0123456789"
    done = nnbench("fetch", f"hf:{NER_REPO}", "--debug", cwd=tmp_path, extra_env={"HF_TOKEN": bad})
    assert done.returncode != 0 and "Traceback" in done.stderr
    assert bad not in done.stdout + done.stderr


BENCH = textwrap.dedent('''
    import nnbench
    from nnbench.types import Artifact

    class Snapshot(Artifact[list]):
        def deserialize(self):
            self._value = sorted(p.name for p in self.path.iterdir())

    @nnbench.benchmark
    def file_count(model: Snapshot) -> int:
        return len(model.value)
''')


def test_run_records_provenance_without_the_token(fake_hub, tmp_path):
    (tmp_path / "bench.py").write_text(BENCH)
    token = fake_hub.token
    done = nnbench("run", "bench.py", "--loader", f"hf:{GATED_REPO}", "--output", "out.json",
                   cwd=tmp_path, extra_env={"HF_TOKEN": token})
    assert done.returncode == 0, done.stderr
    assert token not in done.stdout + done.stderr
    text = (tmp_path / "out.json").read_text()
    assert token not in text
    assert fake_hub.commit(GATED_REPO, "main") in text
    assert "model.safetensors" in text
    assert token.encode() not in everything_under(tmp_path)


@pytest.mark.parametrize("how", ["-p", "env"])
def test_blocked_plugin_gives_the_hint(fake_hub, tmp_path, how):
    args, env = ["fetch", f"hf:{NER_REPO}"], {}
    if how == "-p":
        args += ["-p", "no:hf"]
    else:
        env["NNBENCH_DISABLE_PLUGINS"] = "hf"
    done = nnbench(*args, cwd=tmp_path, extra_env=env)
    assert done.returncode == 2
    assert "nnbench-hf" in done.stderr or "no:hf" in done.stderr
    assert fake_hub.requests == []
