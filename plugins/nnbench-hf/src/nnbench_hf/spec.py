"""Parse the part of an ``hf:`` spec after the scheme, plus its options, into an ``HfSpec``.

Grammar: ``[TYPE/]REPO[@REVISION][/PATH]`` where ``TYPE`` is ``models``, ``datasets`` or
``spaces``, ``REPO`` is ``ORG/NAME`` (or a legacy single ``NAME``), ``REVISION`` is a branch,
tag, 40-hex commit, ``refs/pr/N`` or ``refs/convert/NAME`` (plain or URL-encoded, e.g.
``refs%2Fpr%2F3``). Other revisions with slashes must be URL-encoded.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

from nnbench.envflags import bool_option
from nnbench.redact import clip

TYPE_PREFIXES = {"models": "model", "datasets": "dataset", "spaces": "space"}
REPO_TYPES = ("model", "dataset", "space")
COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")
MAX_NAME = 96  # the Hub's limit for an organisation or repository name
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")

#: Every option accepted as ``?key=value`` or as a keyword argument.
OPTIONS = (
    "include", "exclude", "allow_pickle", "cache_dir", "local_dir", "endpoint", "token",
    "repo_type", "revision", "split", "config", "verify",
)


class SpecError(ValueError):
    """The spec or an option is malformed; the message says what is expected."""


@dataclasses.dataclass(frozen=True)
class HfSpec:
    """Everything a fetch needs; ``token`` is excluded from ``repr``."""

    repo_id: str
    repo_type: str = "model"
    revision: str | None = None
    path: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_pickle: bool = False
    cache_dir: str | None = None
    local_dir: str | None = None
    endpoint: str | None = None
    token: str | None = dataclasses.field(default=None, repr=False, compare=False)
    split: str | None = None
    config: str | None = None
    verify: bool = False  # check every selected file against the Hub's listing, not only new ones

    @property
    def revision_or_default(self) -> str:
        """The requested revision, ``main`` when none was given."""
        return self.revision or "main"

    @property
    def is_commit(self) -> bool:
        """True when the revision is an immutable 40-hex commit hash."""
        return bool(self.revision and COMMIT_RE.match(self.revision))

    def display(self) -> str:
        """``hf:[datasets/]ORG/NAME@REV[/PATH]`` for messages (never includes options)."""
        prefix = "" if self.repo_type == "model" else f"{self.repo_type}s/"
        text = f"hf:{prefix}{self.repo_id}@{clip(self.revision_or_default, 80)}"
        return f"{text}/{clip(self.path, 120)}" if self.path else text


def parse(rest: str, options: Mapping[str, Any] | None = None, **kwargs: Any) -> HfSpec:
    """Build an ``HfSpec`` from ``rest`` (after ``hf:``/``hf://``), query options and kwargs.

    Keyword arguments win over query options; unknown option names raise ``SpecError``.
    """
    merged = {**dict(options or {}), **{k: v for k, v in kwargs.items() if v is not None}}
    unknown = sorted(set(merged) - set(OPTIONS))
    if unknown:
        raise SpecError(
            f"unknown hf: option(s) {', '.join(unknown)}; known options: {', '.join(OPTIONS)}"
        )
    repo_type, repo_id, revision, path = _split_rest(rest.strip().lstrip("/"))
    if "repo_type" in merged:
        repo_type = _repo_type(str(merged["repo_type"]))
    if merged.get("revision"):
        revision = unquote(str(merged["revision"]))
    return HfSpec(
        repo_id=repo_id,
        repo_type=repo_type,
        revision=revision,
        path=path,
        include=_patterns(merged.get("include")),
        exclude=_patterns(merged.get("exclude")),
        allow_pickle=bool_option("allow_pickle", merged.get("allow_pickle", False), SpecError),
        cache_dir=_str_or_none(merged.get("cache_dir")),
        local_dir=_str_or_none(merged.get("local_dir")),
        endpoint=_str_or_none(merged.get("endpoint")),
        token=_str_or_none(merged.get("token")),
        split=_str_or_none(merged.get("split")),
        config=_str_or_none(merged.get("config")),
        verify=bool_option("verify", merged.get("verify", False), SpecError),
    )


def _split_rest(rest: str) -> tuple[str, str, str | None, str]:
    if not rest:
        raise SpecError("empty hf: spec; expected hf:ORG/NAME[@REVISION][/PATH]")
    segments = rest.split("/")
    repo_type = "model"
    if segments[0] in TYPE_PREFIXES and len(segments) > 1:
        repo_type = TYPE_PREFIXES[segments.pop(0)]
    # The repository is one segment holding "@", or two segments (the second may hold "@").
    if "@" in segments[0] or len(segments) == 1:
        name_segments, after = [segments[0]], segments[1:]
    else:
        name_segments, after = segments[:2], segments[2:]
    revision = None
    last, _, rev_head = name_segments[-1].partition("@")
    if _:
        name_segments[-1] = last
        revision, after = _take_revision([rev_head, *after])
    for seg in name_segments:
        if not _SEGMENT_RE.match(seg) or len(seg) > MAX_NAME:
            raise SpecError(
                f"invalid Hub repository id {clip('/'.join(name_segments))!r}; expected "
                f"hf:ORG/NAME[@REVISION][/PATH], names of at most {MAX_NAME} characters"
            )
    path = "/".join(unquote(s) for s in after if s)
    return repo_type, "/".join(name_segments), revision, path


def _take_revision(parts: list[str]) -> tuple[str, list[str]]:
    """Split ``[REV..., PATH...]`` into the revision and the remaining path segments."""
    head = unquote(parts[0])
    if not head:
        raise SpecError("empty revision after '@'; expected a branch, tag, commit or refs/pr/N")
    if "/" in head:  # URL-encoded revision such as refs%2Fpr%2F3
        return head, parts[1:]
    if head == "refs" and len(parts) >= 3:
        return "/".join(unquote(p) for p in parts[:3]), parts[3:]
    return head, parts[1:]


def _repo_type(value: str) -> str:
    value = TYPE_PREFIXES.get(value, value)
    if value not in REPO_TYPES:
        raise SpecError(f"invalid repo_type {value!r}; expected one of {', '.join(REPO_TYPES)}")
    return value


def _patterns(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return tuple(s for s in (str(p).strip() for p in items) if s)


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
