"""``HfArtifactLoader``: an ``nnbench`` artifact loader for Hugging Face Hub repositories."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

from nnbench.errors import UsageError
from nnbench.redact import clip, redact_url
from nnbench.types import ArtifactLoader

from nnbench_hf import spec as hfspec


class HfArtifactLoader(ArtifactLoader):
    """Knows a Hub repo, revision and file selection; ``load()`` fetches into the HF cache.

    Construction does nothing on the network. ``load()`` runs once per loader (later calls
    return the same path). The token, if given as an option, is never shown or pickled.
    """

    def __init__(self, hf: hfspec.HfSpec, spec: str | None = None) -> None:
        self.hf = hf
        self.spec = spec
        self._result: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_parsed(cls, parsed: Any, **kwargs: Any) -> HfArtifactLoader:
        """Build from an ``nnbench.artifacts.ParsedSpec`` plus keyword options."""
        try:
            hf = hfspec.parse(parsed.rest, parsed.options, **kwargs)
        except hfspec.SpecError as exc:
            raise UsageError(f"{clip(redact_url(parsed.raw))}: {exc}") from None
        return cls(hf, spec=parsed.raw)

    def load(self) -> Path:
        with self._lock:
            if self._result is None:
                from nnbench_hf.fetch import fetch

                self._result = fetch(self.hf)
            return self._result.path

    def provenance(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "spec": redact_url(self.spec) if self.spec else self.hf.display(),
            "loader": f"{type(self).__module__}.{type(self).__qualname__}",
            "repo_id": self.hf.repo_id,
            "repo_type": self.hf.repo_type,
            "revision": self.hf.revision_or_default,
        }
        if self.hf.path:
            info["path_in_repo"] = self.hf.path
        result = self._result
        if result is not None:
            info.update(
                path=str(result.path),
                resolved_revision=result.commit,
                endpoint=redact_url(result.endpoint),
                files=result.files,
                total_size=sum(f["size"] or 0 for f in result.files),
            )
        return info

    def __repr__(self) -> str:
        return f"{type(self).__name__}({redact_url(self.spec) if self.spec else self.hf.display()!r})"

    def __reduce__(self) -> Any:
        # Rebuilt from the parsed spec (kwargs included) minus the token, with the spec text
        # redacted: the receiving process authenticates with its own HF_TOKEN / login.
        spec = redact_url(self.spec) if self.spec else None
        return (_rebuild, (dataclasses.replace(self.hf, token=None), spec))


def _rebuild(hf: hfspec.HfSpec, spec: str | None) -> HfArtifactLoader:
    loader = HfArtifactLoader(hf, spec)
    return loader
