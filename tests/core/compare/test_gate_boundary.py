"""A gate at its exact boundary passes (``>=``/``<=``) within the documented tolerance."""

import pytest
from nnbench.compare import Gate, compare
from nnbench.types import BenchmarkRecord


def record(name, value):
    result = {"name": "score", "function": "score", "value": value, "unit": "", "parameters": {},
              "tags": [], "time_ns": 0, "error_occurred": False, "error_type": None,
              "error_message": None, "traceback": None}
    return BenchmarkRecord(name, {}, [result], name, 1.0)


def test_relative_boundary_passes_despite_float_error():
    assert 0.98 - 1.0 < -0.02  # the float error the tolerance absorbs
    assert compare([record("a", 1.0), record("b", 0.98)], ["score>=-2%"]).passed
    assert compare([record("a", 1.0), record("b", 1.02)], ["score<=+2%"]).passed


def test_absolute_boundary_passes():
    assert compare([record("a", 0.3), record("b", 0.2)], ["score>=-0.1"]).passed


@pytest.mark.parametrize("op, change, holds", [
    (">=", -0.020000000000000018, True), ("<=", 0.020000000000000018, True),
    (">", 0.020000000000000018, False), ("<", -0.020000000000000018, False),
    (">=", -0.0201, False), ("<=", 0.0201, False), (">", 0.0201, True),
])
def test_strict_operators_fail_at_the_boundary(op, change, holds):
    delta = "-2" if change < 0 else "+2"
    assert Gate.parse(f"x{op}{delta}%").holds(change) is holds


def test_beyond_the_tolerance_still_fails():
    assert not compare([record("a", 1.0), record("b", 0.9799)], ["score>=-2%"]).passed
