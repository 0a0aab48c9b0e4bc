"""Real MLflow tracking stores for testing: a local SQLite database and ``mlflow server``.

Installing nnbench-mlflow registers its pytest fixtures (``nnbench_mlflow.testing.fixtures``,
entry point ``pytest11``), so any test may ask for them; ``-p no:nnbench_mlflow`` turns them off:

* ``mlflow_tracking_uri`` — ``sqlite:///...``: a new, empty tracking database in the test's
  temporary folder, also set as ``MLFLOW_TRACKING_URI`` for the test. Experiments the reporter
  creates there keep their artifacts in ``mlruns/`` beside it.
* ``mlflow_server`` — an ``MlflowServer``: ``mlflow server`` started once per session as a
  child process on a free 127.0.0.1 port (``url``), with its own database and artifact store
  (``--artifacts-destination``); ``requests(since=mark())`` lists the REST requests it answered.

The servers import no pytest, so scripts (``perf/``) can use them directly: ``tracking_db(folder)``
gives a new database's URI in a fraction of a second (a copy of one migrated per process).
Names are imported on first use: importing this package costs nothing.
"""

from __future__ import annotations

from nnbench.lazy import lazy_exports

_EXPORTS = {
    "MlflowServer": "servers",
    "free_port": "servers",
    "tracking_db": "servers",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
