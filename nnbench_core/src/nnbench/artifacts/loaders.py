"""Loaders: the ``ArtifactLoader`` type, the local one, and ``resolve(spec)`` to get one.

A loader knows *where* an artifact lives; ``load()`` makes it local and returns its path.
Schemes come from plugins (``nnbench_register_loaders``) through a plugin manager; an existing
local path always wins; an unknown scheme is an error that lists the installed ones and names
the distribution that provides it. A loader with a spec pickles as ``resolve(spec)``, so the
receiving process resolves it with its own plugins, cache and credentials.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnbench.artifacts.spec import ParsedSpec, parse_options, parse_spec
from nnbench.errors import ArtifactNotFoundError, UnknownSchemeError

if TYPE_CHECKING:
    from nnbench.plugins.manager import PluginManager


class ArtifactLoader(abc.ABC):
    """Knows *where* an artifact lives; ``load()`` returns a local path (downloading if needed).

    ``spec`` is the string the loader was resolved from; a loader with a spec pickles as that
    spec, so another process resolves (and downloads, or finds in its cache) by itself.
    """

    spec: str | None = None

    @abc.abstractmethod
    def load(self) -> os.PathLike[str]:
        """Make the artifact available locally and return its path (file or directory)."""

    def provenance(self) -> dict[str, Any]:
        """JSON-safe facts about what ``load()`` found: revision, files, sizes. No secrets."""
        return {}

    def __reduce__(self) -> Any:
        if self.spec is None:
            return super().__reduce__()
        from nnbench.redact import redact_url

        return (resolve, (redact_url(self.spec),))

    def __repr__(self) -> str:
        from nnbench.redact import redact_url

        return f"{type(self).__name__}({redact_url(self.spec) if self.spec else '...'})"


class LocalArtifactLoader(ArtifactLoader):
    """An artifact that already lies on the local disk.

    ``options`` hold a local spec's ``?key=value`` suffix (``./data?split=test``), for the
    artifact to read; they never change the path.
    """

    def __init__(self, path: str | os.PathLike[str],
                 options: Mapping[str, str] | None = None) -> None:
        self.path = Path(path)
        self.options = dict(options or {})
        self.spec = os.fspath(path)

    def load(self) -> Path:
        if not self.path.exists():
            raise ArtifactNotFoundError(
                f"local artifact path {self.path} does not exist; check the path or spec"
            )
        return self.path

    def provenance(self) -> dict[str, Any]:
        from nnbench.artifacts.fileinfo import describe_files

        return describe_files(self.path)

    def __reduce__(self) -> Any:
        from nnbench.redact import is_secret_key, redact_url

        options = {k: v for k, v in self.options.items() if not is_secret_key(k)}
        return (type(self), (self.path, options), {"spec": redact_url(self.spec)})


def is_spec(text: str) -> bool:
    """Whether ``text`` needs a plugin to resolve: a ``SCHEME:`` spec, not an existing path."""
    local = os.path.expanduser(text.partition("?")[0])
    return not os.path.exists(local) and parse_spec(text) is not None


def resolve(spec: str | os.PathLike[str] | ArtifactLoader, *,
            plugins: PluginManager | None = None, **kwargs: Any) -> ArtifactLoader:
    """A loader for ``spec`` (nothing is downloaded yet).

    ``plugins`` is the manager whose loaders resolve schemes (the default one when None).
    A redacted spec (from a pickle) resolves without the masked parts; its loader keeps the
    redacted text as ``spec`` and takes credentials from where it runs.
    """
    if isinstance(spec, ArtifactLoader):
        return spec
    text = os.fspath(spec)
    from nnbench.redact import strip_masked

    plain = strip_masked(text)
    if plain != text:
        loader = resolve(plain, plugins=plugins, **kwargs)
        loader.spec = text
        return loader
    if os.path.exists(os.path.expanduser(text)):
        return LocalArtifactLoader(os.path.expanduser(text))
    local, _, query = text.partition("?")
    if query and os.path.exists(os.path.expanduser(local)):
        loader = LocalArtifactLoader(os.path.expanduser(local), parse_options(query))
        loader.spec = text
        return loader
    parsed = parse_spec(text)
    if parsed is None:
        from nnbench.redact import clip

        raise ArtifactNotFoundError(
            f"local artifact path {clip(text)!r} does not exist; check the path, or use a spec "
            f"such as hf:ORG/NAME or s3://BUCKET/KEY"
        )
    if plugins is None:
        from nnbench.plugins.manager import get_plugin_manager

        plugins = get_plugin_manager()
    registration = plugins.loaders().get(parsed.scheme)
    if registration is None:
        raise UnknownSchemeError(_unknown_scheme_message(parsed, plugins))
    loader = registration.factory(parsed, **kwargs)
    if loader.spec is None:
        loader.spec = text
    return loader


def _unknown_scheme_message(parsed: ParsedSpec, plugins: PluginManager) -> str:
    from nnbench.plugins.providers import provider_of
    from nnbench.redact import clip, redact_url

    installed = ", ".join(sorted(plugins.loaders())) or "none"
    msg = f"no loader for scheme {clip(parsed.scheme, 40)!r} in {clip(redact_url(parsed.raw))!r}"
    hint = provider_of("loader", parsed.scheme)
    if hint:
        short = hint.split("[")[0].removeprefix("nnbench-")
        if short in plugins.disabled():
            return (f"{msg}: plugin {short!r} is disabled here (-p no:{short}, "
                    f"NNBENCH_DISABLE_PLUGINS or NNBENCH_LOAD_PLUGINS); enable it")
        msg += f"; install it with `pip install {hint}`"
    return f"{msg} (installed schemes: {installed})"
