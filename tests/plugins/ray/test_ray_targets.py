"""Targets and resources, without a cluster: what `--executor ray...` means, and how a
benchmark's resources become Ray task options."""

from __future__ import annotations

import pytest
from nnbench.errors import UsageError
from nnbench_ray.resources import ResourceError, needs, placeable, shown, task_options
from nnbench_ray.targets import parse_target


@pytest.mark.parametrize(("target", "parsed"), [
    (None, ("local", None)),
    ("local", ("local", None)),
    ("auto", ("auto", None)),
    ("AUTO", ("auto", None)),
    ("10.0.0.5:6379", ("gcs", "10.0.0.5:6379")),
    ("head.example.com:6380", ("gcs", "head.example.com:6380")),
    ("[::1]:6379", ("gcs", "[::1]:6379")),
    ("ray://head:10001", ("client", "ray://head:10001")),
    ("ray://head", ("client", "ray://head:10001")),
    ("ray://10.0.0.5:23000", ("client", "ray://10.0.0.5:23000")),
])
def test_targets(target, parsed):
    assert parse_target(target) == parsed


@pytest.mark.parametrize(("target", "says"), [
    ("nowhere", "ray:nowhere: expected HOST:PORT;"),
    ("head:port", "expected HOST:PORT"),
    ("ray://", "expected HOST[:PORT] after ray://"),
    ("ray://head:10001/path", "expected HOST[:PORT] after ray://"),
    ("http://head:8265", "unknown protocol 'http'"),
    ("10.0.0.5:6379?x=1", "expected HOST:PORT"),
])
def test_malformed_targets(target, says):
    with pytest.raises(UsageError, match="use ray \\(a local instance\\), ray:auto") as info:
        parse_target(target)
    assert says in str(info.value)


@pytest.mark.parametrize(("declared", "options"), [
    ({}, {"num_cpus": 1.0}),
    ({"GPU": 1}, {"num_cpus": 1.0, "num_gpus": 1.0}),
    ({"GPU": 0.5, "CPU": 4}, {"num_cpus": 4.0, "num_gpus": 0.5}),
    ({"FakeGPU": 1}, {"num_cpus": 1.0, "resources": {"FakeGPU": 1.0}}),
    ({"GPU": 2, "TPU": 4, "memory": 2e9},
     {"num_cpus": 1.0, "num_gpus": 2.0, "memory": 2_000_000_000, "resources": {"TPU": 4.0}}),
])
def test_resources_become_task_options(declared, options):
    assert task_options(declared) == options


@pytest.mark.parametrize(("declared", "says"), [
    ({"object_store_memory": 1}, "managed by Ray"),
    ({"node:10.0.0.5": 1}, "managed by Ray"),
    ({"GPU": 1.5}, "GPU=1.5: Ray takes fractions up to 1 or whole numbers"),
])
def test_resources_ray_cannot_schedule(declared, says):
    with pytest.raises(ResourceError, match=says):
        task_options(declared)


def test_placeable_needs_one_node_with_everything():
    need = needs({"GPU": 1, "FakeGPU": 1})
    nodes = [{"CPU": 8, "GPU": 1}, {"CPU": 8, "FakeGPU": 2}]
    assert not placeable(need, nodes)
    assert placeable(need, [*nodes, {"CPU": 1, "GPU": 4, "FakeGPU": 1}])
    assert shown(need) == "FakeGPU=1, GPU=1"
