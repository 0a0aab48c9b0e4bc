"""Fetch an ``HfSpec``'s files into the standard HF cache with as few requests as possible.

* Commit-hash revision, or offline: resolved from the cache alone (zero requests) when the
  selected files are there.
* Branch or tag: one revision lookup (``repo_info``) gives the commit and the file list; when
  the selected files of that commit are cached nothing else is requested.
* Otherwise ``snapshot_download`` fetches exactly the selected files (it writes to
  ``*.incomplete`` temporaries and renames on success, so a dropped transfer never leaves a
  file that looks complete).
"""

from __future__ import annotations

import dataclasses
import glob
import logging
from pathlib import Path

from nnbench.errors import ArtifactNotFoundError, LoaderError

from nnbench_hf import cache, env
from nnbench_hf.errors import is_connection_error, translate
from nnbench_hf.selection import SelectionError, select
from nnbench_hf.spec import HfSpec

log = logging.getLogger("nnbench_hf")


@dataclasses.dataclass(frozen=True)
class FetchResult:
    """Where the artifact is and what it is made of."""

    path: Path  # what load() returns: the snapshot folder, or the file/folder PATH names
    root: Path  # the snapshot folder (or local_dir)
    commit: str
    files: list[dict]  # [{"path", "size", "etag"}]
    endpoint: str


@dataclasses.dataclass(frozen=True)
class _Target:
    spec: HfSpec
    endpoint: str
    cache: Path
    folder: Path
    local_dir: Path | None

    @classmethod
    def of(cls, spec: HfSpec) -> _Target:
        hub_cache = env.hub_cache(spec.cache_dir)
        local_dir = Path(spec.local_dir).expanduser().resolve() if spec.local_dir else None
        return cls(spec, env.endpoint(spec.endpoint), hub_cache,
                   cache.repo_folder(hub_cache, spec.repo_type, spec.repo_id), local_dir)


def fetch(spec: HfSpec) -> FetchResult:
    """Make ``spec``'s selected files available locally; raise ``nnbench.errors`` on failure."""
    target = _Target.of(spec)
    if env.offline():
        return _offline(target)
    if spec.is_commit:
        warm = _from_cache(target, spec.revision)  # type: ignore[arg-type]
        if warm is not None:
            return warm
    try:
        commit, listing = _lookup(target)
    except Exception as exc:  # noqa: BLE001 - translated below
        if is_connection_error(exc):
            fallback = _from_cache(target, _cached_commit(target))
            if fallback is not None:
                log.warning("%s: the Hub is unreachable; using the cached copy", spec.display())
                return fallback
        raise translate(exc, spec, target.endpoint) from exc
    selected = _select(spec, listing)
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    if cache.missing(root, selected, commit, target.local_dir):
        _download(target, commit, selected)
        still = cache.missing(root, selected, commit, target.local_dir)
        if still:
            raise LoaderError(f"{spec.display()}: {len(still)} file(s) missing after download "
                              f"({', '.join(still[:3])}); run again")
    if not spec.is_commit:
        cache.write_ref(target.folder, spec.revision_or_default, commit)
    return _result(target, commit, selected)


def _offline(target: _Target) -> FetchResult:
    spec = target.spec
    commit = _cached_commit(target)
    result = _from_cache(target, commit) if commit else None
    if result is None:
        name = env.offline_variable() or "HF_HUB_OFFLINE"
        raise ArtifactNotFoundError(
            f"{spec.display()}: {name} is set and this revision's files are not in the "
            f"cache at {target.local_dir or target.cache}; unset {name} to download them"
        )
    return result


def _cached_commit(target: _Target) -> str | None:
    spec = target.spec
    if spec.is_commit:
        return spec.revision
    return cache.read_ref(target.folder, spec.revision_or_default)


def _from_cache(target: _Target, commit: str | None) -> FetchResult | None:
    """The result built from the cache alone, or None if anything selected is missing."""
    if commit is None:
        return None
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    tree = cache.read_tree(cache.tree_folder(target.folder, target.local_dir), commit)
    listing = list(tree) if tree is not None else _disk_listing(root)
    if not listing:
        return None
    try:
        selected = select(listing, **_selection_args(target.spec))
    except SelectionError:
        return None
    if cache.missing(root, selected, commit, target.local_dir):
        return None
    return _result(target, commit, selected, tree)


def _disk_listing(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return [p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and ".cache" not in p.relative_to(root).parts]


def _lookup(target: _Target) -> tuple[str, list[str]]:
    """One ``repo_info`` request: the commit the revision points at and its file list."""
    from huggingface_hub import HfApi

    spec = target.spec
    api = HfApi(endpoint=target.endpoint, token=env.token(spec.token, target.endpoint), library_name="nnbench-hf")
    info = api.repo_info(spec.repo_id, repo_type=spec.repo_type, revision=spec.revision_or_default)
    if not info.sha:
        raise LoaderError(f"{spec.display()}: the Hub did not return a commit for this revision")
    return info.sha, [s.rfilename for s in (info.siblings or [])]


def _select(spec: HfSpec, listing: list[str]) -> list[str]:
    try:
        return select(listing, **_selection_args(spec))
    except SelectionError as exc:
        kind = ArtifactNotFoundError if "no file or folder" in str(exc) else LoaderError
        raise kind(f"{spec.display()}: {exc}") from None


def _selection_args(spec: HfSpec) -> dict:
    return dict(repo_type=spec.repo_type, path=spec.path, include=spec.include,
                exclude=spec.exclude, allow_pickle=spec.allow_pickle, split=spec.split,
                config=spec.config)


def _download(target: _Target, commit: str, files: list[str]) -> None:
    from huggingface_hub import snapshot_download

    spec = target.spec
    try:
        snapshot_download(
            spec.repo_id,
            repo_type=spec.repo_type,
            revision=commit,
            cache_dir=str(target.cache),
            local_dir=str(target.local_dir) if target.local_dir else None,
            endpoint=target.endpoint,
            token=env.token(spec.token, target.endpoint),
            allow_patterns=[glob.escape(f) for f in files],
            library_name="nnbench-hf",
            max_workers=4,
        )
    except Exception as exc:  # noqa: BLE001 - translated
        raise translate(exc, spec, target.endpoint) from exc


def _result(target: _Target, commit: str, selected: list[str],
            tree: dict[str, cache.CachedFile] | None = None) -> FetchResult:
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    if tree is None:
        tree = cache.read_tree(cache.tree_folder(target.folder, target.local_dir), commit)
    path = root / target.spec.path if target.spec.path else root
    return FetchResult(path, root, commit, cache.describe(root, selected, tree), target.endpoint)
