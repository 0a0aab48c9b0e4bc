"""``Artifact[T]``: knows *what* an artifact is; lazy, loaded and deserialized once."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nnbench.artifacts.loaders import ArtifactLoader, is_spec, resolve

if TYPE_CHECKING:
    from nnbench.plugins.manager import PluginManager

T = TypeVar("T")


class Artifact(Generic[T]):
    """Knows *what* an artifact is. Lazy: constructing loads nothing.

    The first ``.path`` calls the loader once; the first ``.value`` calls ``deserialize()``
    once, which subclasses implement by setting ``self._value``. ``release()`` (or leaving a
    ``with`` block) drops the value so its memory can be freed before the next artifact loads.
    Pickles as its class plus loader spec, never its value.
    """

    def __init__(self, loader: ArtifactLoader | str | os.PathLike[str], **loader_kwargs: Any):
        self._source: ArtifactLoader | str = (
            loader if isinstance(loader, ArtifactLoader) else os.fspath(loader)
        )
        self._loader_kwargs = loader_kwargs
        self._loader: ArtifactLoader | None = self._source if isinstance(
            self._source, ArtifactLoader) else None
        if self._loader is None and not is_spec(self._source):  # type: ignore[arg-type]
            self._loader = resolve(self._source, **loader_kwargs)  # a local path: no plugins
        self._path: Path | None = None
        self._value: T | None = None
        self._has_value = False
        self._lock = threading.RLock()

    def bind(self, plugins: PluginManager | None) -> ArtifactLoader:
        """Resolve the spec through ``plugins`` now (once); a bad spec raises here."""
        if self._loader is None:
            with self._lock:
                if self._loader is None:
                    self._loader = resolve(self._source, plugins=plugins, **self._loader_kwargs)
        return self._loader

    @property
    def loader(self) -> ArtifactLoader:
        """The loader; a spec given as a string resolves through the default plugins if unbound."""
        return self._loader if self._loader is not None else self.bind(None)

    @property
    def spec(self) -> str | None:
        if self._loader is None:
            return self._source  # type: ignore[return-value]
        return self._loader.spec

    @property
    def path(self) -> Path:
        if self._path is None:
            with self._lock:
                if self._path is None:
                    self._path = Path(self.loader.load())
        return self._path

    @property
    def value(self) -> T:
        if not self._has_value:
            with self._lock:
                if not self._has_value:
                    self.path  # noqa: B018 -- the loader runs before deserialize, once
                    self._value = None
                    self.deserialize()
                    self._has_value = True
        return self._value  # type: ignore[return-value]

    def deserialize(self) -> None:
        """Load ``self.path`` into memory and set ``self._value``. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement deserialize()")

    def is_deserialized(self) -> bool:
        return self._has_value

    def release(self) -> None:
        """Drop the deserialized value (the path stays known); the next ``.value`` reloads."""
        with self._lock:
            self._value = None
            self._has_value = False
        import gc

        gc.collect()

    def provenance(self) -> dict[str, Any]:
        """Spec, local path and what the loader reports; call after ``.path``."""
        from nnbench.redact import redact_url

        facts: dict[str, Any] = {
            "spec": redact_url(self.spec) if self.spec else None,
            "artifact": f"{type(self).__module__}.{type(self).__qualname__}",
            "loader": f"{type(self.loader).__module__}.{type(self.loader).__qualname__}",
        }
        if self._path is not None:
            facts["path"] = os.fspath(self._path)
            facts.update(self.loader.provenance())
        return facts

    def __enter__(self) -> Artifact[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the value, path and lock; a loader with a spec travels as the
        redacted spec, which the receiving process resolves with its own plugins and
        credentials."""
        state = dict(self.__dict__)
        state.update(_value=None, _has_value=False, _path=None)
        del state["_lock"]
        from nnbench.redact import is_secret_key, redact_url

        spec = self.spec
        if spec is not None:  # never a secret: the receiving side reads its own credentials
            state.update(_source=redact_url(spec), _loader=None)

        state["_loader_kwargs"] = {k: v for k, v in self._loader_kwargs.items()
                                   if not is_secret_key(k)}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        from nnbench.redact import redact_url

        state = "deserialized" if self._has_value else ("loaded" if self._path else "lazy")
        where = repr(self._loader) if self._loader is not None else repr(redact_url(self.spec or ""))
        return f"{type(self).__name__}({where}, {state})"
