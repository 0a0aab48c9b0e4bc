"""conf.py fixtures: discovery bottom-up to the run's root, dependent fixtures, once per run,
precedence, artifacts, and worker processes that evaluate them again."""

from __future__ import annotations

import os
import pickle

import pytest
from nnbench import Session
from nnbench.errors import ParameterError

from .helpers import nnbench, write

TOP_CONF = """
import os

def counter_file():
    return os.environ["FIXTURE_COUNTS"]

def path() -> str:
    return "top/data.txt"

def data(path: str, counter_file):
    with open(counter_file, "a") as fh:
        fh.write(f"data {os.getpid()}\\n")
    return {"path": path, "pid": os.getpid()}

def factor():
    return 3
"""

NESTED_CONF = """
import threading

def model():
    lock = threading.Lock()  # does not pickle: it must never travel to a worker
    return lambda x: (lock, x * 2)[1]

def factor():
    return 5
"""

BASE = """
import nnbench

@nnbench.benchmark
def uses_data(data, factor: int) -> int:
    return len(data["path"]) * factor

@nnbench.benchmark
def defaulted(factor: int = 1) -> int:
    return factor
"""

NESTED = """
import os
import nnbench

@nnbench.benchmark
def accuracy(model, data, factor: int) -> int:
    return model(factor)

@nnbench.benchmark
def same_process(data) -> bool:
    return data["pid"] == os.getpid()
"""


@pytest.fixture
def tree(tmp_path, monkeypatch):
    counts = tmp_path / "counts.txt"
    monkeypatch.setenv("FIXTURE_COUNTS", str(counts))
    write(tmp_path / "bench" / "conf.py", TOP_CONF)
    write(tmp_path / "bench" / "nested" / "conf.py", NESTED_CONF)
    write(tmp_path / "bench" / "base.py", BASE)
    write(tmp_path / "bench" / "nested" / "model.py", NESTED)
    return tmp_path


def _values(record):
    return {r["name"]: r["value"] for r in record.benchmarks}


def _calls(tree):
    path = tree / "counts.txt"
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("executor", ["serial", "processes:2"])
def test_nearest_conf_wins_dependent_fixtures_once_per_run(tree, executor):
    record = Session(store=None, executor=executor).run(tree / "bench")[0]
    assert _values(record) == {"uses_data": 36, "defaulted": 1, "accuracy": 10,
                               "same_process": True}
    params = {r["name"]: r["parameters"] for r in record.benchmarks}
    assert params["uses_data"]["factor"] == 3 and params["accuracy"]["factor"] == 5
    calls = _calls(tree)
    if executor == "serial":
        assert calls == [f"data {os.getpid()}"]  # one call for three benchmarks
    else:  # once in the driver (planning), once in the worker that ran the unit
        assert len(calls) == 2 and calls[0] == f"data {os.getpid()}" != calls[1]


def test_explicit_param_beats_default_beats_fixture(tree):
    record = Session(store=None).run(tree / "bench", params={"factor": 7})[0]
    assert _values(record)["uses_data"] == 84 and _values(record)["accuracy"] == 14
    assert _values(record)["defaulted"] == 7
    record = Session(store=None).run(tree / "bench")[0]
    assert _values(record)["defaulted"] == 1  # a default in code wins over conf.py's factor()


def test_the_run_root_bounds_discovery(tree):
    with pytest.raises(ParameterError, match="needs parameter 'data'"):
        Session(store=None).run(tree / "bench" / "nested" / "model.py")
    record = Session(store=None).run(tree / "bench" / "nested" / "model.py",
                                     params={"data": {"path": "x", "pid": os.getpid()}})[0]
    assert _values(record)["accuracy"] == 10


def test_units_carry_references_not_values(tree):
    plan = Session(store=None).plan(tree / "bench")
    unit = pickle.loads(pickle.dumps(plan.units[0]))  # the lambda and lock stay behind
    assert unit.benchmarks is None
    refs = [ref for named in unit.fixtures.values() for ref in named.values()]
    assert {r.name for r in refs} == {"data", "factor", "model"}
    benchmarks = unit.resolve_benchmarks()  # evaluated again here
    assert benchmarks[2].params["model"](4) == 8


def test_the_functional_api_finds_fixtures_too(tree):
    import nnbench

    benchmarks = nnbench.collect(tree / "bench" / "base.py")
    record = nnbench.run(benchmarks)
    assert _values(record) == {"uses_data": 36, "defaulted": 1}


ARTIFACT_SUITE = """
import nnbench
from nnbench import Artifact

class Text(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()

@nnbench.benchmark
def length(doc: Text) -> int:
    return len(doc.value)
"""

#: A fixture returning an instance gives it for a parameter annotated with its class.
INSTANCE_SUITE = """
import nnbench
from nnbench import Artifact

@nnbench.benchmark
def length(doc: Artifact) -> int:
    return len(doc.path.read_text())
"""


@pytest.mark.parametrize("executor", ["serial", "processes:2"])
@pytest.mark.parametrize("returns", ["spec", "artifact"])
def test_a_fixture_may_return_a_spec_or_an_artifact(tmp_path, executor, returns):
    write(tmp_path / "doc.txt", "hello")
    body = ("return DOC" if returns == "spec" else
            "from nnbench import Artifact\n    return Artifact(DOC)")
    write(tmp_path / "b" / "conf.py", f"DOC = {str(tmp_path / 'doc.txt')!r}\n\n"
                                       f"def doc():\n    {body}\n")
    write(tmp_path / "b" / "text_bench.py", ARTIFACT_SUITE if returns == "spec" else
          INSTANCE_SUITE)
    record = Session(store=None, executor=executor).run(tmp_path / "b")[0]
    assert _values(record) == {"length": 5}
    assert record.context["artifacts"]["doc"]["spec"] == str(tmp_path / "doc.txt")


def test_loader_beats_an_artifact_fixture(tmp_path):
    write(tmp_path / "doc.txt", "hello")
    write(tmp_path / "other.txt", "hi")
    write(tmp_path / "b" / "conf.py", f"def doc():\n    return {str(tmp_path / 'doc.txt')!r}\n")
    write(tmp_path / "b" / "text_bench.py", ARTIFACT_SUITE)
    record = Session(store=None).run(tmp_path / "b", loaders=[str(tmp_path / "other.txt")])[0]
    assert _values(record) == {"length": 2}


@pytest.mark.parametrize(("conf", "message"), [
    ("def a(b):\n    return b\n\ndef b(a):\n    return a\n",
     r"cycle \(a -> b -> a\)"),
    ("def a(missing):\n    return 1\n", "fixture 'a' needs 'missing'"),
    ("def a():\n    raise OSError('disk gone')\n", "fixture 'a' .* raised OSError: disk gone"),
    ("def a():\n    return 'text'\n", "returned str; parameter 'a' of benchmark 'f' must be int"),
    ("a = [1, 2]\n", "'a' is a list, not a function"),
])
def test_bad_fixtures_are_one_clear_error(tmp_path, conf, message):
    write(tmp_path / "b" / "conf.py", conf)
    write(tmp_path / "b" / "f_bench.py",
          "import nnbench\n\n@nnbench.benchmark\ndef f(a: int) -> int:\n    return a\n")
    with pytest.raises(ParameterError, match=message):
        Session(store=None).plan(tmp_path / "b")


def test_cli_bad_fixture_is_exit_2_one_line(tmp_path):
    write(tmp_path / "b" / "conf.py", "def a():\n    raise OSError('disk gone')\n")
    write(tmp_path / "b" / "f_bench.py",
          "import nnbench\n\n@nnbench.benchmark\ndef f(a: int) -> int:\n    return a\n")
    res = nnbench("run", "b", "--no-store", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.startswith("error: fixture 'a'") and res.stderr.count("\n") == 1
