"""The entry point: registers the reporter for ``mlflow://`` outputs (imports no MLflow)."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import Register, hookimpl


def make_reporter() -> Any:
    """The registered factory; MLflow is imported only when a record is written or read."""
    from nnbench_mlflow.reporter import MlflowReporter

    return MlflowReporter()


@hookimpl
def nnbench_register_reporters(register: Register) -> None:
    register("mlflow", make_reporter,
             description="MLflow tracking runs, written and read back (mlflow://EXPERIMENT[/RUN])")
