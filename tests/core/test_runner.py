import json

import nnbench
import pytest
from nnbench.errors import CollectionError, ParameterError

from .helpers import write

SUITE = """
import nnbench

calls = []

@nnbench.memo
def evaluate(model):
    calls.append(model)
    return {"f1": 0.5, "acc": 0.75}

@nnbench.benchmark(tags=("metric",))
def f1(model: str) -> float:
    return evaluate(model)["f1"]

@nnbench.benchmark(tags=("metric",))
def accuracy(model: str) -> float:
    return evaluate(model)["acc"]

def bad_setup(bm, params):
    raise RuntimeError("setup broke")

@nnbench.benchmark(setUp=bad_setup, tags=("broken",))
def with_bad_setup(model: str) -> float:
    return 1.0

@nnbench.benchmark(tags=("broken",))
def raises(model: str) -> float:
    raise ValueError("boom")

family = nnbench.parametrize([{"k": 1}, {"k": 2}], tags=("family",))(lambda model, k: k * 2)
"""


@pytest.fixture
def suite(tmp_path):
    return write(tmp_path / "suite_bench.py", SUITE)


def test_results_carry_every_field_and_failures_are_isolated(suite):
    record = nnbench.BenchmarkRunner().run(suite, params={"model": "m"})
    by_name = {b["name"]: b for b in record.benchmarks}
    assert set(by_name) == {"f1", "accuracy", "with_bad_setup", "raises", "<lambda>_k=1",
                            "<lambda>_k=2"}
    ok = by_name["f1"]
    assert ok["value"] == 0.5 and ok["error_occurred"] is False and ok["time_ns"] > 0
    assert ok["parameters"] == {"model": "m"} and ok["tags"] == ["metric"]
    assert ok["function"] == "f1"
    assert by_name["raises"]["error_type"] == "ValueError"
    assert by_name["raises"]["error_message"] == "boom"
    assert "Traceback" in by_name["raises"]["traceback"]
    assert by_name["with_bad_setup"]["error_message"] == "in setUp: setup broke"
    assert by_name["<lambda>_k=2"]["value"] == 4
    json.dumps(record.to_dict())  # everything JSON-serialisable


def test_memo_runs_once_per_run_and_is_dropped_after(suite):
    runner = nnbench.BenchmarkRunner()
    runner.run(suite, params={"model": "m"}, tags=("metric",))
    module = runner.benchmarks[0].fn.__globals__
    assert module["calls"] == ["m"]
    runner.run(suite, params={"model": "m"}, tags=("metric",))
    assert module["calls"] == ["m", "m"]  # a new run evaluates again
    assert module["evaluate"]("x") == {"f1": 0.5, "acc": 0.75}  # outside a run: just runs
    assert module["calls"][-1] == "x"


def test_memo_keys_objects_by_identity_without_hashing():
    from nnbench.memo import memo_scope

    seen = []

    @nnbench.memo
    def ev(model, batch=8):
        seen.append(model)
        return len(seen)

    class Unhashable:
        __hash__ = None

    a, b = Unhashable(), Unhashable()
    with memo_scope():
        assert ev(a) == ev(a) == 1
        assert ev(b) == 2
        assert ev(a, batch=16) == 3
    assert ev(a) == 4


def test_memo_remembers_a_failure_for_the_run():
    from nnbench.memo import memo_scope

    count = []

    @nnbench.memo
    def broken(x):
        count.append(x)
        raise RuntimeError("eval failed")

    with memo_scope():
        for _ in range(3):
            with pytest.raises(RuntimeError):
                broken(1)
    assert count == [1]


def test_tags_select_and_second_run_collects_again(suite, tmp_path):
    runner = nnbench.BenchmarkRunner()
    assert [b.name for b in runner.collect(suite, tags=("metric",))] == ["f1", "accuracy"]
    other = write(tmp_path / "other_bench.py", """
        import nnbench
        @nnbench.benchmark
        def only(): return 1
    """)
    record = runner.run(other)
    assert [b["name"] for b in record.benchmarks] == ["only"]
    assert len(runner.collect(suite, tags=("family",))) == 2


def test_missing_unknown_and_mistyped_parameters(suite):
    runner = nnbench.BenchmarkRunner()
    with pytest.raises(ParameterError, match="needs parameter 'model'"):
        runner.run(suite)
    with pytest.raises(ParameterError, match="unknown parameter 'modle'"):
        runner.run(suite, params={"model": "m", "modle": 1})
    with pytest.raises(ParameterError, match="'model' of benchmark 'f1' must be str, got int"):
        runner.run(suite, params={"model": 3})


def test_int_passes_as_float_and_parameters_dataclass(tmp_path):
    import dataclasses

    path = write(tmp_path / "typed_bench.py", """
        import nnbench
        @nnbench.benchmark
        def scale(x: float, n: int = 2) -> float:
            return x * n
    """)

    @dataclasses.dataclass(frozen=True)
    class P(nnbench.Parameters):
        x: float

    record = nnbench.BenchmarkRunner().run(path, params=P(x=3))
    assert record.benchmarks[0]["value"] == 6


def test_values_become_json_safe(tmp_path):
    import numpy as np

    path = write(tmp_path / "np_bench.py", """
        import numpy as np
        import nnbench
        @nnbench.benchmark
        def scalar(): return np.float32(0.25)
        @nnbench.benchmark
        def mapping(): return {"a": np.int64(3), "b": [np.float64(1.5)], "big": object()}
    """)
    record = nnbench.BenchmarkRunner().run(path)
    values = [b["value"] for b in record.benchmarks]
    assert values[0] == 0.25 and isinstance(values[0], float)
    assert values[1]["a"] == 3 and values[1]["b"] == [1.5]
    assert values[1]["big"].startswith("<object object")
    json.dumps(values)
    del np


def test_collects_directories_lists_and_modules(tmp_path):
    write(tmp_path / "pkg" / "a_bench.py", """
        import nnbench
        @nnbench.benchmark
        def a(): return 1
    """)
    write(tmp_path / "pkg" / "sub" / "b_bench.py", """
        import nnbench
        both = [nnbench.benchmark(lambda: 2), nnbench.benchmark(name="named")(lambda: 3)]
    """)
    write(tmp_path / "pkg" / "_private.py", "raise SystemExit('must not be imported')")
    names = [b.name for b in nnbench.BenchmarkRunner().collect(tmp_path / "pkg")]
    assert names == ["a", "<lambda>", "named"]
    assert [b.name for b in nnbench.BenchmarkRunner().collect("b_bench")] == ["<lambda>", "named"]


def test_syntax_and_import_errors_name_file_and_line(tmp_path):
    bad = write(tmp_path / "syntax_bench.py", "import nnbench\n\ndef f(:\n    pass\n")
    with pytest.raises(CollectionError, match=r"syntax_bench.py, line 3"):
        nnbench.BenchmarkRunner().collect(bad)
    missing = write(tmp_path / "import_bench.py", "import nnbench\nimport not_a_module_xyz\n")
    with pytest.raises(CollectionError, match=r"import_bench.py, line 2: ModuleNotFoundError"):
        nnbench.BenchmarkRunner().collect(missing)
    with pytest.raises(CollectionError, match="does not exist"):
        nnbench.BenchmarkRunner().collect(tmp_path / "nope.py")


def test_context_from_providers_and_dicts(suite):
    record = nnbench.BenchmarkRunner().run(
        suite, params={"model": "m"}, tags=("family",),
        context=[{"team": "ner"}, lambda: {"seed": 1}],
    )
    ctx = record.context
    assert ctx["team"] == "ner" and ctx["seed"] == 1
    assert ctx["python"]["version"] and ctx["cpu"]["logical_cores"] >= 1
    assert ctx["artifacts"] == {} and ctx["interrupted"] is False
