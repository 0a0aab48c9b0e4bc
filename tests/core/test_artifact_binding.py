import nnbench
import pytest
from nnbench.errors import ParameterError

from .helpers import write

SUITE = """
import nnbench
from nnbench.types import Artifact

loads = []

class TextModel(Artifact[str]):
    def deserialize(self):
        loads.append(str(self.path))
        self._value = (self.path / "weights.txt").read_text()

@nnbench.memo
def evaluate(model):
    return model.value.upper()

@nnbench.benchmark
def shout(model: TextModel) -> str:
    return evaluate(model)

@nnbench.benchmark
def length(model: TextModel, data: TextModel = "{default}") -> int:
    return len(evaluate(model)) + len(data.value)
"""


@pytest.fixture
def models(tmp_path):
    paths = []
    for name in ("m1", "m2", "default"):
        d = tmp_path / name
        d.mkdir()
        (d / "weights.txt").write_text(name * 2)
        paths.append(d)
    return paths


def test_spec_strings_become_shared_artifacts_with_provenance(tmp_path, models):
    suite = write(tmp_path / "art_bench.py", SUITE.replace("{default}", str(models[2])))
    runner = nnbench.BenchmarkRunner()
    record = runner.run(suite, params={"model": str(models[0])})
    values = {b["name"]: b["value"] for b in record.benchmarks}
    assert values == {"shout": "M1M1", "length": 4 + 14}
    assert runner.benchmarks[0].fn.__globals__["loads"] == [str(models[0]), str(models[2])]  # each deserialized once
    arts = record.context["artifacts"]
    assert arts["model"]["spec"] == str(models[0])
    assert arts["model"]["path"] == str(models[0])
    assert arts["model"]["files"] == [{"path": "weights.txt", "size": 4}]
    assert arts["data"]["spec"] == str(models[2])
    assert record.benchmarks[0]["parameters"] == {"model": str(models[0])}


def test_wrong_artifact_value_type(tmp_path, models):
    suite = write(tmp_path / "art2_bench.py", SUITE.replace("{default}", str(models[2])))
    with pytest.raises(ParameterError, match="cannot make a TextModel from int"):
        nnbench.BenchmarkRunner().run(suite, params={"model": 5})
