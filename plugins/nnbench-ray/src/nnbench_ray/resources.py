"""Benchmark resources as Ray task options, and whether any node can ever offer them.

A unit asks for the most any of its benchmarks declares (``resources={"GPU": 1}``):

- ``GPU`` -> ``num_gpus`` (Ray then sets ``CUDA_VISIBLE_DEVICES`` to the GPUs it assigned),
- ``CPU`` -> ``num_cpus`` (one when not declared: a unit takes one CPU slot),
- ``memory`` -> ``memory`` (bytes, a scheduling reservation),
- any other name -> ``resources={name: amount}`` (custom node resources, ``TPU``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: Names Ray takes as task options of their own, not in ``resources=``.
BUILT_IN = {"CPU": "num_cpus", "GPU": "num_gpus", "memory": "memory"}
#: Names Ray manages itself and no task may ask for.
RESERVED = ("object_store_memory",)


class ResourceError(ValueError):
    """A declared resource Ray cannot schedule (a reserved name, a bad amount)."""


def needs(declared: Mapping[str, float]) -> dict[str, float]:
    """What a unit asks of a node, in Ray's resource names (``CPU`` always present)."""
    need = {"CPU": 1.0, **{k: float(v) for k, v in declared.items()}}
    for name, amount in need.items():
        if name in RESERVED or name.startswith("node:"):
            raise ResourceError(f"resource {name!r} is managed by Ray and cannot be requested")
        if amount > 1 and amount != int(amount):
            raise ResourceError(f"{name}={amount:g}: Ray takes fractions up to 1 or whole "
                                "numbers")
    return need


def task_options(declared: Mapping[str, float]) -> dict[str, Any]:
    """``.options(...)`` for a unit that declares ``declared``."""
    options: dict[str, Any] = {}
    custom: dict[str, float] = {}
    for name, amount in needs(declared).items():
        if name in BUILT_IN:
            options[BUILT_IN[name]] = int(amount) if name == "memory" else amount
        else:
            custom[name] = amount
    if custom:
        options["resources"] = custom
    return options


def placeable(need: Mapping[str, float], nodes: Iterable[Mapping[str, float]]) -> bool:
    """Whether one of ``nodes`` (their total resources) offers all of ``need``."""
    return any(all(node.get(k, 0) >= v for k, v in need.items()) for node in nodes)


def shown(need: Mapping[str, float]) -> str:
    """``GPU=1, FakeGPU=1`` (CPU left out when it is the default single slot)."""
    return ", ".join(f"{k}={v:g}" for k, v in sorted(need.items())
                     if not (k == "CPU" and v == 1))
