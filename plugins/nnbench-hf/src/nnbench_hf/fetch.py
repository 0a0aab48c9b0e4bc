"""Fetch an ``HfSpec``'s files into the standard HF cache with as few requests as possible.

* Commit-hash revision, or offline: resolved from the cache alone (zero requests) when the
  selected files are there.
* Branch or tag: one revision lookup (``repo_info``) gives the commit and the file list; when
  the selected files of that commit are cached nothing else is requested.
* Otherwise ``snapshot_download`` fetches exactly the selected files (it writes to
  ``*.incomplete`` temporaries and renames on success, so a dropped transfer never leaves a
  file that looks complete).

Files downloaded now, and every selected file with ``verify=true`` (``nnbench fetch --verify``),
are checked against the Hub's listing (size; LFS sha256 or git blob id): a file that fails is
downloaded once more, then it is an error. Temporaries a killed download left for blobs that
are now complete are removed.
"""

from __future__ import annotations

import dataclasses
import functools
import glob
import logging
from pathlib import Path

from nnbench.artifacts.transfers import transfer, watch
from nnbench.errors import ArtifactNotFoundError, LoaderError, TransferError

from nnbench_hf import cache, env, verify
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
        result = _offline(target)
        if spec.verify:
            _verify_offline(target, result)
        return result
    if spec.is_commit and not spec.verify:
        warm = _from_cache(target, spec.revision)  # type: ignore[arg-type]
        if warm is not None:
            return warm
    try:
        commit, sizes = _lookup(target)
        listing = list(sizes)
    except Exception as exc:  # noqa: BLE001 - translated below
        if is_connection_error(exc):
            fallback = _from_cache(target, _cached_commit(target))
            if fallback is not None:
                log.warning("%s: the Hub is unreachable; using the cached copy", spec.display())
                return fallback
        raise translate(exc, spec, target.endpoint) from exc
    selected = _select(spec, listing)
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    absent = cache.missing(root, selected, commit, target.local_dir)
    if absent:
        _download(target, commit, absent, sizes)
        still = cache.missing(root, selected, commit, target.local_dir)
        if still:
            raise LoaderError(f"{spec.display()}: {len(still)} file(s) missing after download "
                              f"({', '.join(still[:3])}); run again")
    _verify(target, commit, selected if spec.verify else absent, selected)
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


def _lookup(target: _Target) -> tuple[str, dict[str, int | None]]:
    """One ``repo_info`` request: the commit the revision points at and its files' sizes."""
    from huggingface_hub import HfApi

    spec = target.spec
    api = HfApi(endpoint=target.endpoint, token=env.token(spec.token, target.endpoint), library_name="nnbench-hf")
    info = api.repo_info(spec.repo_id, repo_type=spec.repo_type, revision=spec.revision_or_default,
                         files_metadata=True)
    if not info.sha:
        raise LoaderError(f"{spec.display()}: the Hub did not return a commit for this revision")
    return info.sha, {s.rfilename: s.size for s in (info.siblings or [])}


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


def _download(target: _Target, commit: str, files: list[str],
              sizes: dict[str, int | None] | None = None) -> None:
    """Download ``files`` of ``commit``: one transfer (bytes, rate, files) on a terminal, in
    place of huggingface_hub's own bars."""
    from huggingface_hub import snapshot_download
    from tqdm import tqdm  # huggingface_hub's dependency; its bars are off, ours show

    quiet = functools.partial(tqdm, disable=True)
    spec = target.spec
    sizes = sizes or {}
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    total = sum(sizes.get(f) or 0 for f in files) or None
    try:
        with transfer(spec.display(), total=total, files=len(files)) as shown, \
                watch(shown, _partial_folder(target), ".incomplete", _in_place(root, files, sizes)):
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
                tqdm_class=quiet,
            )
    except Exception as exc:  # noqa: BLE001 - translated
        raise translate(exc, spec, target.endpoint) from exc


def _in_place(root: Path, files: list[str], sizes: dict[str, int | None]):
    """``() -> (files, bytes)`` of ``files`` already in place under ``root``."""
    def finished() -> tuple[int, int]:
        there = [f for f in files if (root / f).is_file()]
        return len(there), sum(sizes.get(f) or 0 for f in there)

    return finished


def _partial_folder(target: _Target) -> Path:
    """Where huggingface_hub writes the ``*.incomplete`` files of this target."""
    if target.local_dir is not None:
        return target.local_dir / ".cache" / "huggingface" / "download"
    return target.folder / "blobs"


def _expected(target: _Target, commit: str) -> dict[str, verify.Expected]:
    """What the Hub lists for ``commit``: the cached tree listing, else one listing request."""
    listed = cache.read_listing(cache.tree_folder(target.folder, target.local_dir) / "trees"
                                / f"{commit}.json")
    if listed is not None:
        return listed
    from huggingface_hub import HfApi
    from huggingface_hub.hf_api import RepoFile

    spec = target.spec
    api = HfApi(endpoint=target.endpoint, token=env.token(spec.token, target.endpoint),
                library_name="nnbench-hf")
    try:
        entries = api.list_repo_tree(spec.repo_id, repo_type=spec.repo_type, revision=commit,
                                     recursive=True)
        return {f.path: verify.Expected(f.size, f.lfs.sha256 if f.lfs else None,
                                        None if f.lfs else f.blob_id)
                for f in entries if isinstance(f, RepoFile)}
    except Exception as exc:  # noqa: BLE001 - translated
        raise translate(exc, spec, target.endpoint) from exc


def _verify(target: _Target, commit: str, files: list[str], selected: list[str]) -> None:
    """Check ``files`` against the listing; download the bad ones once more, then give up."""
    spec = target.spec
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    tree = cache.tree_folder(target.folder, target.local_dir) / "trees" / f"{commit}.json"
    expected = _expected(target, commit) if files else (cache.read_listing(tree) or {})
    bad = verify.check(root, files, expected) if files else {}
    if bad:
        log.info("%s: %s does not match the Hub's listing (%s); downloading it again",
                    spec.display(), next(iter(bad)), next(iter(bad.values())))
        for rel in bad:
            verify.discard(root, rel, target.local_dir)
        _download(target, commit, sorted(bad), {r: expected[r].size for r in bad})
        bad = verify.check(root, sorted(bad), expected)
        if bad:
            for rel in bad:  # never left in the cache looking complete
                verify.discard(root, rel, target.local_dir)
            rel, why = next(iter(bad.items()))
            raise TransferError(
                f"{spec.display()}: {rel} does not match the Hub's listing after downloading it "
                f"twice ({why}); something between the Hub and this disk alters it (proxy, "
                "disk); try again later")
    if target.local_dir is None and expected:
        locks = target.cache / ".locks" / target.folder.name
        gone = verify.remove_leftovers(target.folder / "blobs", locks,
                                       [expected[r].etag for r in selected if r in expected])
        if gone:
            log.info("%s: removed %d leftover partial download(s)", spec.display(), len(gone))


def _verify_offline(target: _Target, result: FetchResult) -> None:
    """Offline ``verify``: check against the cached listing; nothing can be downloaded."""
    spec = target.spec
    listed = cache.read_listing(cache.tree_folder(target.folder, target.local_dir) / "trees"
                                / f"{result.commit}.json") or {}
    bad = verify.check(result.root, [f["path"] for f in result.files], listed)
    if bad:
        rel, why = next(iter(bad.items()))
        name = env.offline_variable() or "HF_HUB_OFFLINE"
        raise LoaderError(f"{spec.display()}: {rel} in the cache does not match the Hub's "
                          f"listing ({why}); unset {name} to download it again")


def _result(target: _Target, commit: str, selected: list[str],
            tree: dict[str, cache.CachedFile] | None = None) -> FetchResult:
    root = cache.snapshot_root(target.folder, commit, target.local_dir)
    if tree is None:
        tree = cache.read_tree(cache.tree_folder(target.folder, target.local_dir), commit)
    path = root / target.spec.path if target.spec.path else root
    return FetchResult(path, root, commit, cache.describe(root, selected, tree), target.endpoint)
