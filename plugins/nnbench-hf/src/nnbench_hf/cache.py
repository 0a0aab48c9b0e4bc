"""Read the standard Hugging Face cache without the network.

Layout (``huggingface_hub``'s): ``<cache>/<type>s--<org>--<name>/refs/<revision>`` holds a
commit hash; ``snapshots/<commit>/<path>`` links into ``blobs/<etag>``; ``trees/<commit>.json``
lists the commit's files with sizes and hashes. A ``local_dir`` download keeps the tree under
``<local_dir>/.cache/huggingface/trees`` and per-file ``download/<path>.metadata``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from nnbench.files import write_text_atomic

from nnbench_hf.verify import Expected


@dataclasses.dataclass(frozen=True)
class CachedFile:
    """A repo file's size and etag (sha256 for LFS files, git blob id else)."""

    size: int | None
    etag: str | None


def repo_folder(cache: Path, repo_type: str, repo_id: str) -> Path:
    """``<cache>/models--org--name`` (or ``datasets--``/``spaces--``)."""
    return cache / "--".join([f"{repo_type}s", *repo_id.split("/")])


def read_ref(folder: Path, revision: str) -> str | None:
    """The commit a cached ref points at, or None."""
    try:
        value = (folder / "refs" / revision).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return value or None


def write_ref(folder: Path, revision: str, commit: str) -> None:
    """Point ``refs/<revision>`` at ``commit`` atomically (no-op when already so)."""
    if revision == commit or read_ref(folder, revision) == commit:
        return
    ref = folder / "refs" / revision
    ref.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(ref, commit, fsync=False)


def tree_folder(folder: Path, local_dir: Path | None) -> Path:
    """Where the ``trees/`` listing lives for this download target."""
    return local_dir / ".cache" / "huggingface" if local_dir is not None else folder


def read_tree(tree_root: Path, commit: str) -> dict[str, CachedFile] | None:
    """The cached listing of ``commit`` (path -> size/etag), or None when absent or unreadable."""
    try:
        data = json.loads((tree_root / "trees" / f"{commit}.json").read_text(encoding="utf-8"))
        return {
            path: CachedFile(info.get("size"), info.get("lfs_sha256") or info.get("blob_id"))
            for path, info in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def read_listing(path: Path) -> dict[str, Expected] | None:
    """A cached ``trees/<commit>.json`` as what the Hub lists per file, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            rel: Expected(info.get("lfs_size", info.get("size")), info.get("lfs_sha256"),
                          None if info.get("lfs_sha256") else info.get("blob_id"))
            for rel, info in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def snapshot_root(folder: Path, commit: str, local_dir: Path | None) -> Path:
    """The folder holding the files of ``commit``: the snapshot, or ``local_dir``."""
    return local_dir if local_dir is not None else folder / "snapshots" / commit


def missing(root: Path, files: list[str], commit: str, local_dir: Path | None) -> list[str]:
    """The files of ``files`` not (or not at this commit, for ``local_dir``) present under ``root``."""
    out = []
    for rel in files:
        if not (root / rel).is_file():
            out.append(rel)
        elif local_dir is not None and _local_commit(local_dir, rel) != commit:
            out.append(rel)
    return out


def _local_commit(local_dir: Path, rel: str) -> str | None:
    meta = local_dir / ".cache" / "huggingface" / "download" / f"{rel}.metadata"
    try:
        return meta.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError):
        return None


def describe(root: Path, files: list[str], tree: dict[str, CachedFile] | None) -> list[dict]:
    """``[{"path", "size", "etag"}]`` for provenance, from the tree listing or the disk."""
    out = []
    for rel in files:
        entry = (tree or {}).get(rel)
        size, etag = (entry.size, entry.etag) if entry else (None, None)
        local = root / rel
        if size is None and local.exists():
            size = local.stat().st_size
        if etag is None and local.is_symlink():
            etag = Path(os.readlink(local)).name
        out.append({"path": rel, "size": size, "etag": etag})
    return out
