"""The run header names the Hub model and the commit its revision resolved to."""

from __future__ import annotations

from nnbench.testing import CLIRunner
from nnbench_hf.testing import FILES_BENCH, NER_REPO


def test_the_header_shows_spec_and_resolved_commit(fake_hub, tmp_path):
    (tmp_path / "bench_files.py").write_text(FILES_BENCH)
    res = CLIRunner(cwd=tmp_path).run("run", "bench_files.py", "--no-store", "--loader",
                                      f"hf:{NER_REPO}?token={fake_hub.token}")
    assert res.exit_code == 0, res
    commit = fake_hub.commit(NER_REPO)
    assert f"model = hf:{NER_REPO}?token=*** (resolved {commit[:12]})" in res.stdout
    assert fake_hub.token not in res.stdout + res.stderr
