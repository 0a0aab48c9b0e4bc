"""nnbench-mlflow: benchmark records as MLflow runs, and MLflow runs read back as records.

``nnbench run -o mlflow://EXPERIMENT[/RUN]`` logs each record as a run; ``nnbench compare
mlflow://EXP/RUN_A mlflow://EXP/RUN_B`` and ``nnbench runs --store mlflow://EXP`` read them
back. Names load on first use, so importing this package does not import MLflow.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "MlflowReporter": "reporter",
    "Destination": "destination",
    "parse_destination": "destination",
    "metric_key": "names",
    "parse_metric_key": "names",
    "encode_name": "names",
    "decode_name": "names",
    "RECORD_ARTIFACT": "convert",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nnbench_mlflow' has no attribute {name!r}")
    value = getattr(import_module(f"nnbench_mlflow.{module}"), name)
    globals()[name] = value
    return value
