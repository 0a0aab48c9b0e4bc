"""nnbench-mlflow: benchmark records as MLflow runs, and MLflow runs read back as records.

``nnbench run -o mlflow://EXPERIMENT[/RUN]`` logs each record as a run; ``nnbench compare
mlflow://EXP/RUN_A mlflow://EXP/RUN_B`` and ``nnbench runs --store mlflow://EXP`` read them
back. Names load on first use, so importing this package does not import MLflow.
"""

from __future__ import annotations

from nnbench.lazy import lazy_exports

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


__getattr__ = lazy_exports(__name__, _EXPORTS)
