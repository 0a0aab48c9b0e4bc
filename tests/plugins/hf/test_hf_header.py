"""The run header names the Hub model and the commit its revision resolved to."""

from __future__ import annotations

from nnbench.testing import CLIRunner
from nnbench_hf.testing import NER_REPO

BENCH = """
import nnbench
from nnbench import Artifact


class Model(Artifact[int]):
    def deserialize(self):
        self._value = len(list(self.path.iterdir()))


@nnbench.benchmark
def files(model: Model) -> int:
    return model.value
"""


def test_the_header_shows_spec_and_resolved_commit(fake_hub, tmp_path):
    (tmp_path / "bench_files.py").write_text(BENCH)
    res = CLIRunner(cwd=tmp_path).run("run", "bench_files.py", "--no-store", "--loader",
                                      f"hf:{NER_REPO}?token={fake_hub.token}")
    assert res.exit_code == 0, res
    commit = fake_hub.commit(NER_REPO)
    assert f"model = hf:{NER_REPO}?token=*** (resolved {commit[:12]})" in res.stdout
    assert fake_hub.token not in res.stdout + res.stderr
