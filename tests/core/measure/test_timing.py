"""Timing: default single call, warmup/repeat/number, autorange, CUDA sync, memory, runner."""

import json
import sys
import time
import types

import nnbench
import pytest
from nnbench.measure import timing
from nnbench.measure.timing import measure
from nnbench.runner import run_one


def busy(ns: int) -> None:
    """Spin for ``ns`` nanoseconds: a function of known cost."""
    end = time.perf_counter_ns() + ns
    while time.perf_counter_ns() < end:
        pass


class Counter:
    def __init__(self, cost_ns: int = 0):
        self.calls = 0
        self.cost_ns = cost_ns

    def __call__(self, **kwargs):
        self.calls += 1
        if self.cost_ns:
            busy(self.cost_ns)
        return self.calls


def test_default_is_one_call_without_statistics():
    fn = Counter()
    m = measure(fn, {}, {})
    assert (fn.calls, m.value, m.timing, m.memory) == (1, 1, None, None)
    assert m.time_ns > 0
    assert measure(fn, {}, {"unit": "s"}).timing is None  # unit is not a measurement option


def test_warmup_and_repeat_keep_every_sample():
    fn = Counter(cost_ns=20_000)
    m = measure(fn, {}, {"warmup": 2, "repeat": 7})
    t = m.timing
    assert fn.calls == 9
    assert m.value == 1  # the first call's value, warmup included
    assert t["mode"] == "fixed" and t["warmup"] == 2
    assert t["rounds"] == 7 and t["iterations"] == 1 and t["calls"] == 7
    assert len(t["samples_ns"]) == 7
    assert m.time_ns == round(t["median_ns"])
    assert t["min_ns"] <= t["q1_ns"] <= t["median_ns"] <= t["q3_ns"] <= t["max_ns"]
    assert t["min_ns"] >= 20_000  # each sample lasts at least the busy-wait
    assert t["cpu_ns"] > 0 and t["cuda_synchronized"] is False
    for key in ("mean_ns", "stddev_ns", "iqr_ns", "iqr_median", "outliers", "warnings"):
        assert key in t
    json.dumps(t, allow_nan=False)


def test_value_comes_from_first_timed_call_without_warmup():
    fn = Counter()
    assert measure(fn, {}, {"repeat": 3}).value == 1


def test_number_divides_rounds_into_per_call_samples():
    fn = Counter(cost_ns=10_000)
    m = measure(fn, {}, {"repeat": 4, "number": 5})
    assert fn.calls == 20
    t = m.timing
    assert t["calls"] == 20 and t["iterations"] == 5 and len(t["samples_ns"]) == 4
    assert all(10_000 <= s < 10_000 * 50 for s in t["samples_ns"])  # per call, not per round


def test_noisy_samples_give_a_warning():
    costs = iter([50_000, 400_000] * 10)

    def jumpy():
        busy(next(costs))

    m = measure(jumpy, {}, {"repeat": 20})
    assert m.timing["iqr_median"] > 0.1
    assert any("IQR/median" in w for w in m.timing["warnings"])


def test_autorange_grows_inner_loop_for_a_fast_function():
    m = measure(lambda: None, {}, {"autorange": True, "max_time": 2})
    t = m.timing
    overhead = t["timer_overhead_ns"]
    assert t["mode"] == "autorange"
    assert t["iterations"] > 1
    assert t["min_round_ns"] >= 1000 * overhead  # timer overhead <= 0.1% of a round
    assert t["iterations"] * t["median_ns"] >= 0.5 * t["min_round_ns"]
    assert t["rounds"] >= 3


def test_autorange_on_known_cost_converges_near_it():
    """A 300 µs busy-wait: the median lands near 300 µs; slower code measures slower."""
    fast = measure(busy, {"ns": 300_000}, {"autorange": True, "max_time": 3}).timing
    slow = measure(busy, {"ns": 900_000}, {"autorange": True, "max_time": 3}).timing
    assert 300_000 <= fast["median_ns"] < 3 * 300_000
    assert slow["median_ns"] > 1.5 * fast["median_ns"]
    assert isinstance(fast["converged"], bool)
    if fast["converged"]:
        assert fast["rounds"] >= timing.CHECK_FROM
        assert fast["iqr_median"] < fast["threshold"]
    else:
        assert any("budget" in w for w in fast["warnings"])


def test_autorange_respects_budget_and_round_cap():
    start = time.perf_counter()
    m = measure(busy, {"ns": 2_000_000}, {"autorange": 1e-9, "max_time": 0.2})
    assert time.perf_counter() - start < 5
    assert m.timing["converged"] is False and m.timing["rounds"] >= timing.MIN_ROUNDS
    capped = measure(busy, {"ns": 10_000}, {"autorange": 1e-9, "repeat": 12})
    assert capped.timing["rounds"] == 12


def test_min_time_sets_the_round_length():
    t = measure(busy, {"ns": 20_000}, {"autorange": True, "min_time": 0.005, "max_time": 1}).timing
    assert t["min_round_ns"] >= 5_000_000
    assert t["iterations"] * t["median_ns"] >= 0.5 * 5_000_000


@pytest.mark.parametrize("options", [{"repeat": 0}, {"warmup": -1}, {"number": 1.5},
                                     {"max_time": 0}, {"autorange": "yes"}, {"repeat": True}])
def test_bad_options_are_rejected_at_decoration(options):
    with pytest.raises(ValueError, match="benchmark option"):
        nnbench.benchmark(**options)(lambda: 1)


class FakeCuda:
    def __init__(self, initialized: bool):
        self.initialized = initialized
        self.syncs = 0
        self.resets = 0

    def is_initialized(self):
        return self.initialized

    def synchronize(self):
        self.syncs += 1

    def reset_peak_memory_stats(self):
        self.resets += 1

    def memory_allocated(self):
        return 1000

    def max_memory_allocated(self):
        return 5000


@pytest.fixture
def fake_torch(monkeypatch):
    def install(initialized: bool) -> FakeCuda:
        cuda = FakeCuda(initialized)
        monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=cuda))
        return cuda

    return install


def test_cuda_synchronized_before_each_clock_read(fake_torch):
    cuda = fake_torch(True)
    m = measure(lambda: None, {}, {"repeat": 5, "warmup": 1})
    assert m.timing["cuda_synchronized"] is True
    assert cuda.syncs == 2 * 6  # before start and before stop of every round


def test_no_cuda_sync_when_cuda_unused(fake_torch):
    cuda = fake_torch(False)
    assert measure(lambda: None, {}, {"repeat": 3}).timing["cuda_synchronized"] is False
    assert cuda.syncs == 0


def test_cuda_peak_memory_reset_before_read_after(fake_torch):
    cuda = fake_torch(True)
    m = measure(lambda: None, {}, {"memory": True})
    assert cuda.resets == 1
    assert m.memory["cuda_max_allocated_bytes"] == 5000
    assert m.memory["cuda_peak_increase_bytes"] == 4000
    assert m.timing is None  # memory alone: still one call


def test_timing_never_imports_torch():
    code = ("import sys; from nnbench.measure.timing import measure; "
            "measure(lambda: 1, {}, {'repeat': 3, 'memory': True}); "
            "assert 'torch' not in sys.modules")
    import subprocess

    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="exact RSS peak needs Linux")
def test_peak_rss_increase_sees_a_transient_allocation():
    def allocate():
        block = bytearray(64 * 2**20)
        block[::4096] = b"x" * len(block[::4096])
        del block

    mem = measure(allocate, {}, {"memory": True}).memory
    assert mem["rss_method"] in ("proc-clear-refs", "ru_maxrss")
    if mem["rss_method"] == "proc-clear-refs":
        assert mem["rss_peak_increase_bytes"] >= 48 * 2**20
    assert mem["rss_peak_bytes"] >= mem["rss_peak_increase_bytes"]


def test_setup_and_teardown_are_outside_the_timed_region():
    def slow_hook(bm, params):
        busy(30_000_000)

    bm = nnbench.benchmark(setUp=slow_hook, tearDown=slow_hook, repeat=3, memory=True,
                           better="lower")(lambda: 7)
    result = run_one(bm, {}, {})
    assert result["value"] == 7 and not result["error_occurred"]
    assert result["timing"]["max_ns"] < 30_000_000
    assert result["time_ns"] < 30_000_000
    assert result["better"] == "lower" and "rss_method" in result["memory"]
    json.dumps(result, allow_nan=False)


def test_cli_overrides_reach_every_benchmark():
    bm = nnbench.benchmark(lambda: 1)
    result = run_one(bm, {}, {"repeat": 4, "warmup": 1})
    assert result["timing"]["rounds"] == 4 and result["timing"]["warmup"] == 1


def test_default_path_stays_cheap():
    """10,000 trivial benchmarks' measurements: far below a second even on a slow machine."""
    noop = lambda: None  # noqa: E731
    start = time.perf_counter()
    for _ in range(10_000):
        measure(noop, {}, {})
    assert time.perf_counter() - start < 1.0


def test_large_trivial_family_runs_fast(tmp_path):
    from nnbench.session import BenchmarkRunner

    module = types.ModuleType("family_mod")
    module.family = nnbench.parametrize([{"i": i} for i in range(10_000)])(lambda i: i)
    start = time.perf_counter()
    record = BenchmarkRunner().run(module)
    assert len(record.benchmarks) == 10_000
    assert "timing" not in record.benchmarks[0]
    assert time.perf_counter() - start < 30  # generous: a few seconds on a laptop
