"""Turn fsspec / client-library exceptions into one-line nnbench errors without secrets."""

from __future__ import annotations

from nnbench.errors import (
    ArtifactNotFoundError,
    AuthenticationError,
    LoaderError,
    NNBenchError,
    TransferError,
    UnknownSchemeError,
)
from nnbench.redact import clip, redact_text

from nnbench_fsspec.protocols import install_hint

_AUTH_NAMES = ("NoCredentialsError", "PartialCredentialsError", "ClientAuthenticationError")


def one_line(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Secrets masked, whitespace collapsed, length bounded."""
    text = " ".join(redact_text(str(text), secrets).split())
    return text if len(text) <= 300 else text[:297] + "..."


def translate(exc: BaseException, url: str, protocol: str, secrets: tuple[str, ...]) -> NNBenchError:
    """The nnbench error that tells the user what happened to ``url`` (already redacted)."""
    url = clip(url)
    if isinstance(exc, NNBenchError):
        exc.args = (one_line(str(exc), secrets),)
        return exc
    detail = one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, secrets)
    name = type(exc).__name__
    if isinstance(exc, ImportError):
        return UnknownSchemeError(
            f"protocol '{protocol}' needs a library that is not installed ({detail}); "
            f"{install_hint(protocol)}"
        )
    if isinstance(exc, ValueError) and "protocol not known" in str(exc).lower():
        return UnknownSchemeError(
            f"fsspec does not know protocol '{protocol}'; {install_hint(protocol)}"
        )
    if isinstance(exc, FileNotFoundError) or name in ("NoSuchBucket", "NoSuchKey"):
        return ArtifactNotFoundError(
            f"{url} not found (no such bucket, container, key or prefix); check the URL"
        )
    if isinstance(exc, PermissionError) or name in _AUTH_NAMES:
        return AuthenticationError(
            f"access to {url} was refused ({detail}); provide credentials through the "
            "storage library's environment (e.g. AWS_PROFILE) or storage options"
        )
    if isinstance(exc, (OSError, TimeoutError, ConnectionError)) or "Client" in name:
        return TransferError(f"transfer of {url} failed ({detail}); check the server and retry")
    return LoaderError(f"could not load {url} ({detail})")
