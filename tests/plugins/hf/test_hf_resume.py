"""``--resume`` pins a Hub artifact to the commit the first attempt resolved."""

from __future__ import annotations

import os
import textwrap

from nnbench import Session

SUITE = textwrap.dedent('''
    import os
    import nnbench
    from nnbench.types import Artifact

    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = (self.path / "weights.txt").read_bytes()

    @nnbench.product(i=range(2))
    def content(i: int, model: Blob) -> str:
        if i == 1 and os.environ.get("FAIL_ONCE"):
            raise RuntimeError("flaky")
        return model.value.decode()
''')


def test_resume_loads_the_revision_the_first_attempt_resolved(fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blob_bench.py").write_text(SUITE)
    first_commit = fake_hub.add_repo("org/moving", {"weights.txt": b"v1"})
    store = tmp_path / "s.db"
    monkeypatch.setenv("FAIL_ONCE", "1")
    first = Session(store=store).run("blob_bench.py", loaders=["hf:org/moving"], name="n")[0]
    assert [r["value"] for r in first.benchmarks] == ["v1", None]
    assert first.context["artifacts"]["model"]["resolved_revision"] == first_commit
    fake_hub.add_repo("org/moving", {"weights.txt": b"v2"})  # main moved on meanwhile
    monkeypatch.delenv("FAIL_ONCE")
    again = Session(store=store).run("blob_bench.py", loaders=["hf:org/moving"], resume="n")[0]
    assert [r["value"] for r in again.benchmarks] == ["v1", "v1"]
    assert again.context["artifacts"]["model"]["resolved_revision"] == first_commit
    assert os.environ.get("FAIL_ONCE") is None
