"""The MLflow client for a destination, its experiment, and MLflow errors as one-line errors."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from nnbench.errors import NNBenchError, ReporterError
from nnbench.redact import redact_text

from nnbench_mlflow.destination import Destination

__all__ = ["client_for", "experiment_for_read", "experiment_for_write", "mlflow_errors"]

#: Seconds the reachability check of an http(s) tracking server waits (no retries).
PROBE_TIMEOUT = 5.0
_USERINFO = re.compile(r"://[^/\s@]+@")


def _clean(text: str) -> str:
    """MLflow's message as one short line, without credentials."""
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "") or "no detail"
    line = redact_text(_USERINFO.sub("://***@", line))
    return line if len(line) <= 300 else line[:297] + "..."


def shown(name: str) -> str:
    """A name for a message: quoted, and cut when very long."""
    return repr(name if len(name) <= 60 else name[:57] + "...")


@contextlib.contextmanager
def mlflow_errors(doing: str, dest: Destination) -> Iterator[None]:
    """Turn whatever MLflow (or the network) raises into a one-line ``ReporterError``."""
    try:
        yield
    except NNBenchError:
        raise
    except Exception as exc:  # MlflowException, SQLAlchemy, requests, OSError alike
        raise ReporterError(f"{doing}: MLflow at {dest.shown_uri()} failed: {_clean(exc)}") from exc


def _probe(dest: Destination, uri: str) -> None:
    """Fail in seconds, not after MLflow's minutes of retries, when a server does not answer."""
    if not uri.lower().startswith(("http://", "https://")):
        return
    import requests

    try:
        requests.head(uri, timeout=PROBE_TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        reason = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
        raise ReporterError(
            f"cannot reach the MLflow tracking server at {dest.shown_uri()} ({reason}); "
            "start it, or point MLFLOW_TRACKING_URI or ?tracking_uri= at a running one"
        ) from None


def client_for(dest: Destination, *, reading: bool = False) -> Any:
    """An ``MlflowClient`` for ``dest``; checks first that the tracking store can be reached."""
    uri = dest.resolved_uri()
    db = dest.sqlite_file()
    if db is not None:
        if reading and not db.is_file():
            raise ReporterError(f"no MLflow tracking database at {db}; "
                                "check ?tracking_uri= or MLFLOW_TRACKING_URI")
        if not reading and not db.absolute().parent.is_dir():
            raise ReporterError(f"cannot write MLflow tracking database {db}: directory "
                                f"{db.absolute().parent} does not exist")
    _probe(dest, uri)
    from mlflow import MlflowClient

    with mlflow_errors("cannot open the tracking store", dest):
        return MlflowClient(tracking_uri=uri)


def _default_artifacts(dest: Destination) -> str | None:
    """``mlruns/`` beside a local SQLite database (MLflow's layout when both are in the working
    directory), so artifacts do not land wherever nnbench happened to run."""
    if dest.artifact_location:
        return dest.artifact_location
    db = dest.sqlite_file()
    return str(db.absolute().parent / "mlruns") if db is not None else None


def _check_active(experiment: Any, dest: Destination) -> Any:
    if experiment.lifecycle_stage == "deleted":
        number = experiment.experiment_id
        raise ReporterError(
            f"MLflow experiment {shown(dest.experiment)} (id {number}) is deleted; restore it "
            f"(mlflow experiments restore --experiment-id {number}) or use another name")
    return experiment


def experiment_for_write(client: Any, dest: Destination) -> Any:
    """The active experiment named in ``dest``, created when missing."""
    with mlflow_errors(f"cannot look up experiment {shown(dest.experiment)}", dest):
        experiment = client.get_experiment_by_name(dest.experiment)
    if experiment is None:
        with mlflow_errors(f"cannot create experiment {shown(dest.experiment)}", dest):
            experiment = _create(client, dest)
    return _check_active(experiment, dest)


def _create(client: Any, dest: Destination) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        experiment_id = client.create_experiment(dest.experiment,
                                                 artifact_location=_default_artifacts(dest))
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_ALREADY_EXISTS":  # another writer was first
            return client.get_experiment_by_name(dest.experiment)
        if exc.error_code == "INVALID_PARAMETER_VALUE":
            raise ReporterError(f"MLflow refused the experiment name {shown(dest.experiment)}: "
                                f"{_clean(exc.message)}") from exc
        raise
    return client.get_experiment(experiment_id)


def experiment_for_read(client: Any, dest: Destination) -> Any:
    """The active experiment named in ``dest``; ReporterError when there is none."""
    with mlflow_errors(f"cannot look up experiment {shown(dest.experiment)}", dest):
        experiment = client.get_experiment_by_name(dest.experiment)
    if experiment is None:
        raise ReporterError(f"no MLflow experiment {shown(dest.experiment)} at "
                            f"{dest.shown_uri()}; check the name and the tracking URI")
    return _check_active(experiment, dest)
