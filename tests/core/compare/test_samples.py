"""nnbench.Samples: statistics recombined from per-sample counts, checks, and the runner."""

import pytest
from nnbench import BenchmarkRunner, Samples, Session
from nnbench.samples import STATISTICS

from ..helpers import write


@pytest.mark.parametrize("statistic, counts, expected", [
    ("mean", {"score": [0.5, -1.5, 4.0]}, 1.0),
    ("accuracy", {"correct": [1, 0, 1]}, 2 / 3),
    ("accuracy", {"correct": [3, 0, 5], "total": [4, 2, 5]}, 8 / 11),
    ("precision", {"tp": [1, 2, 0], "fp": [0, 1, 1]}, 3 / 5),
    ("recall", {"tp": [1, 2, 0], "fn": [1, 0, 0]}, 3 / 4),
    ("f1", {"tp": [1, 2, 0], "fp": [0, 1, 1], "fn": [1, 0, 0]}, 6 / 9),
    ("precision", {"tp": [0, 0], "fp": [0, 0]}, 0.0),  # zero denominator
])
def test_statistics(statistic, counts, expected):
    s = Samples(statistic, range(3 if len(next(iter(counts.values()))) == 3 else 2), **counts)
    assert s.value == pytest.approx(expected)
    assert s.compute() == pytest.approx(expected)


def test_per_class_counts_give_the_macro_average():
    s = Samples("f1", ["a", "b"], tp=[[1, 0], [1, 1]], fp=[[0, 1], [1, 0]], fn=[[0, 0], [0, 2]])
    per_class = [2 * 2 / (2 * 2 + 1 + 0), 2 * 1 / (2 * 1 + 1 + 2)]
    assert s.value == pytest.approx(sum(per_class) / 2)
    broadcast = Samples("accuracy", [0, 1], correct=[[2, 1], [3, 3]], total=[3, 4])
    assert broadcast.value == pytest.approx((5 / 7 + 4 / 7) / 2)


def test_value_given_is_the_headline_and_numpy_is_accepted():
    np = pytest.importorskip("numpy")
    s = Samples("accuracy", np.arange(4), correct=np.array([True, False, True, True]), value=0.7)
    assert s.value == 0.7 and s.compute() == 0.75
    assert s.to_dict() == {"statistic": "accuracy", "ids": [0, 1, 2, 3],
                           "counts": {"correct": [1, 0, 1, 1]}}
    assert Samples.from_dict(s.to_dict()).value == 0.75


@pytest.mark.parametrize("args, kwargs, message", [
    (("median", [0]), {"score": [1]}, "unknown statistic 'median'"),
    (("f1", [0]), {"tp": [1], "fp": [0]}, "missing fn"),
    (("recall", [0]), {"tp": [1], "fn": [0], "fp": [0]}, "unknown fp"),
    (("recall", [0, 1]), {"tp": [1], "fn": [0, 1]}, "'tp' has 1 entries for 2 ids"),
    (("mean", [0, 0]), {"score": [1, 2]}, "1 duplicate id"),
    (("mean", [0.5]), {"score": [1]}, "ids must be ints or strings"),
    (("mean", [0]), {"score": ["x"]}, "non-numbers"),
    (("mean", [0]), {"score": [float("nan")]}, "non-finite"),
    (("f1", [0]), {"tp": [[1, 2]], "fp": [[1]], "fn": [0]}, "same number of classes"),
])
def test_bad_samples_say_what_is_wrong(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Samples(*args, **kwargs)


def test_every_statistic_names_its_counts():
    for stat in STATISTICS.values():
        assert {k for k, _ in stat.numerator + stat.denominator} - {""} <= set(stat.counts)


SUITE = """
import nnbench

@nnbench.benchmark
def accuracy():
    return nnbench.Samples("accuracy", ["s1", "s2", "s3", "s4"], correct=[1, 1, 0, 1])

@nnbench.benchmark
def plain():
    return 3
"""


def test_runner_keeps_the_value_and_the_samples(tmp_path):
    write(tmp_path / "b.py", SUITE)
    rec = BenchmarkRunner().run(tmp_path / "b.py")
    acc, plain = rec.benchmarks
    assert acc["value"] == 0.75 and plain["value"] == 3 and "samples" not in plain
    assert acc["samples"] == {"statistic": "accuracy", "ids": ["s1", "s2", "s3", "s4"],
                              "counts": {"correct": [1, 1, 0, 1]}}


def test_samples_false_leaves_them_out(tmp_path):
    write(tmp_path / "b.py", SUITE)
    rec, = Session(store=None).run([tmp_path / "b.py"], options={"samples": False})
    assert rec.benchmarks[0]["value"] == 0.75 and "samples" not in rec.benchmarks[0]
