"""Turn ``huggingface_hub`` and transport errors into one-line ``nnbench.errors`` that name the repo.

Messages are built from our own facts (repo, revision, status code), never from the upstream
message, so a token or signed URL can never leak through them.
"""

from __future__ import annotations

from huggingface_hub import errors as hf
from nnbench.errors import (
    ArtifactNotFoundError,
    AuthenticationError,
    LoaderError,
    NNBenchError,
    TransferError,
)
from nnbench.redact import redact_url

from nnbench_hf.spec import HfSpec

LOGIN_HINT = "set HF_TOKEN or run `hf auth login`"
_CONNECT = ("ConnectError", "ConnectTimeout", "PoolTimeout", "ProxyError", "ConnectionRefusedError")
_DROPPED = ("RemoteProtocolError", "ReadError", "ReadTimeout", "WriteError", "ChunkedEncodingError",
            "IncompleteRead", "ConnectionResetError", "ConnectionAbortedError", "BrokenPipeError")


def translate(exc: BaseException, spec: HfSpec, endpoint: str) -> NNBenchError:
    """The ``NNBenchError`` to raise (``from exc``) for an error met while fetching ``spec``."""
    if isinstance(exc, NNBenchError):
        return exc
    endpoint = redact_url(endpoint)  # an endpoint's user-info never reaches a message
    where = spec.display()
    repo = f"{spec.repo_type} repo {spec.repo_id!r}"
    if isinstance(exc, hf.GatedRepoError):
        return AuthenticationError(
            f"{where}: {repo} is gated; accept its conditions on its Hub page, then {LOGIN_HINT}"
        )
    if isinstance(exc, hf.RepositoryNotFoundError):
        return ArtifactNotFoundError(
            f"{where}: {repo} not found at {endpoint}; check the name and repo type "
            f"(datasets need hf:datasets/ORG/NAME), or {LOGIN_HINT} if it is private"
        )
    if isinstance(exc, hf.RevisionNotFoundError):
        return ArtifactNotFoundError(
            f"{where}: revision {spec.revision_or_default!r} not found in {repo}; "
            "check the branch, tag, commit or refs/pr/N"
        )
    if isinstance(exc, hf.EntryNotFoundError) or type(exc).__name__.endswith("EntryNotFoundError"):
        return ArtifactNotFoundError(
            f"{where}: file not found in {repo} at {spec.revision_or_default!r}; check the path"
        )
    if isinstance(exc, hf.HfHubHTTPError):
        status = _status(exc)
        if status in (401, 403):
            return AuthenticationError(
                f"{where}: the Hub refused access to {repo} (HTTP {status}); {LOGIN_HINT} "
                "with a token that can read it"
            )
        return TransferError(
            f"{where}: the Hub answered HTTP {status or '?'} for {repo}; try again later"
        )
    name = _first_name(exc, _CONNECT)
    if name:
        return TransferError(
            f"{where}: cannot reach the Hub at {endpoint} ({name}); check the network or "
            "HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the local cache"
        )
    name = _first_name(exc, _DROPPED)
    if name or "Consistency check failed" in str(exc):
        return TransferError(
            f"{where}: the download from {endpoint} was interrupted ({name or 'size mismatch'}); "
            "nothing partial was kept as complete, run again to finish it"
        )
    if isinstance(exc, OSError):
        return TransferError(f"{where}: download failed ({type(exc).__name__}); check disk space and the cache")
    return LoaderError(f"{where}: fetching failed ({type(exc).__name__}); run again with --debug for details")


def is_connection_error(exc: BaseException) -> bool:
    """True when the Hub could not be reached at all (refused, DNS, connect timeout, proxy)."""
    return _first_name(exc, _CONNECT) is not None


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _first_name(exc: BaseException, names: tuple[str, ...]) -> str | None:
    """The name of the first class in ``exc``'s MRO (or its causes') that is in ``names``."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        for cls in type(current).__mro__:
            if cls.__name__ in names:
                return type(current).__name__
        current = current.__cause__ or current.__context__
        seen += 1
    return None
