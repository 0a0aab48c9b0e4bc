"""One error hierarchy. Each message is one line: what happened, then what to do."""

from __future__ import annotations


class NNBenchError(Exception):
    """Base of every error nnbench reports to a user; the CLI exits with ``exit_code``."""

    exit_code = 2


class UsageError(NNBenchError):
    """The command line or an API call was used wrongly."""


class CollectionError(NNBenchError):
    """Benchmarks could not be collected (missing path, syntax or import error)."""


class ParameterError(NNBenchError):
    """Parameters do not fit the benchmarks' signatures."""


class LoaderError(NNBenchError):
    """An artifact could not be resolved or loaded."""


class UnknownSchemeError(LoaderError):
    """No installed plugin handles the spec's scheme."""


class ArtifactNotFoundError(LoaderError):
    """The artifact (path, repository, revision, key) does not exist."""


class AuthenticationError(LoaderError):
    """The store refused access: credentials missing or insufficient."""


class TransferError(LoaderError):
    """A transfer failed midway (connection refused or dropped, size mismatch)."""


class ReporterError(NNBenchError):
    """Results could not be written or read."""


class BenchmarkFailed(NNBenchError):
    """At least one benchmark raised; results of the others were kept."""

    exit_code = 1
