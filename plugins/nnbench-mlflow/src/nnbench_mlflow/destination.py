"""``mlflow://EXPERIMENT[/RUN][?tracking_uri=URI&artifact_location=URI]``, parsed.

``EXPERIMENT`` is the first path segment (percent-encode a ``/`` inside it as ``%2F``); ``RUN``,
the rest, names the MLflow run to write (default: the nnbench run's name) or the runs to read.
The tracking URI is ``?tracking_uri=`` if given, else ``MLFLOW_TRACKING_URI``, else MLflow's
default (``sqlite:///mlflow.db`` in the working directory).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from nnbench.errors import UsageError
from nnbench.redact import redact_url

__all__ = ["OPTIONS", "Destination", "parse_destination"]

#: The query options a destination accepts.
OPTIONS = ("tracking_uri", "artifact_location")


@dataclasses.dataclass(frozen=True)
class Destination:
    """Where records go in MLflow (or come from)."""

    experiment: str
    run: str | None = None
    tracking_uri: str | None = None
    artifact_location: str | None = None

    def resolved_uri(self) -> str:
        """The tracking URI MLflow will use: the option, ``MLFLOW_TRACKING_URI`` or the default."""
        if self.tracking_uri:
            return self.tracking_uri
        import mlflow

        return mlflow.get_tracking_uri()

    def shown_uri(self) -> str:
        """The tracking URI without credentials, for messages."""
        return redact_url(self.resolved_uri())

    def sqlite_file(self) -> Path | None:
        """The database file of a local ``sqlite:///PATH`` tracking URI, else None."""
        uri = self.resolved_uri()
        if not uri.startswith("sqlite:///"):
            return None
        path = uri[len("sqlite:///"):].split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)


def parse_destination(uri: str) -> Destination:
    """``mlflow://EXP/RUN?tracking_uri=...`` -> :class:`Destination`; UsageError if malformed."""
    if not uri.lower().startswith("mlflow://"):
        raise UsageError(f"{redact_url(uri)}: an MLflow destination is mlflow://EXPERIMENT[/RUN]")
    rest, _, query = uri[len("mlflow://"):].partition("?")
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise UsageError(f"{redact_url(uri)}: unknown option {unknown[0]!r}; "
                         f"use {' or '.join(OPTIONS)}")
    experiment, _, run = rest.partition("/")
    experiment, run = unquote(experiment), unquote(run.strip("/"))
    if not experiment.strip():
        raise UsageError(f"{redact_url(uri)}: name the experiment, mlflow://EXPERIMENT[/RUN]")
    artifact_location = options.get("artifact_location") or None
    if artifact_location and "://" not in artifact_location and not artifact_location.startswith(
            ("file:", "mlflow-artifacts:", "dbfs:")):
        artifact_location = os.path.abspath(artifact_location)
    return Destination(experiment, run or None, options.get("tracking_uri") or None,
                       artifact_location)
