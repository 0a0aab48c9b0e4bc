"""Check fetched files against what the Hub's listing says, and clear leftovers of killed downloads.

The listing gives every file's size; an LFS file also its sha256, a git-stored file its git blob
id (sha1 of ``blob <size>\\0<content>``). ``huggingface_hub`` itself checks only the size, so a
blob corrupted on the way or later on disk would be used silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_CHUNK = 1 << 22


@dataclasses.dataclass(frozen=True)
class Expected:
    """What the Hub says one file is: ``sha256`` for LFS files, ``blob_id`` for git ones."""

    size: int | None
    sha256: str | None = None
    blob_id: str | None = None

    @property
    def etag(self) -> str | None:
        """The blob's name in the cache (``blobs/<etag>``)."""
        return self.sha256 or self.blob_id


def mismatch(path: Path, expected: Expected) -> str | None:
    """Why ``path`` is not the file the Hub listed (size, then checksum), or None."""
    try:
        size = path.stat().st_size
    except OSError:
        return "missing"
    if expected.size is not None and size != expected.size:
        return f"{size} bytes, the Hub lists {expected.size}"
    if expected.sha256:
        digest = _digest(path, hashlib.sha256())
        return None if digest == expected.sha256 else f"sha256 {digest[:12]}..., the Hub lists {expected.sha256[:12]}..."
    if expected.blob_id:
        digest = _digest(path, hashlib.sha1(b"blob %d\0" % size, usedforsecurity=False))
        return None if digest == expected.blob_id else f"git blob id {digest[:12]}..., the Hub lists {expected.blob_id[:12]}..."
    return None


def check(root: Path, files: Iterable[str], expected: Mapping[str, Expected]) -> dict[str, str]:
    """``{path: reason}`` for the files under ``root`` that do not match (hashed in parallel)."""
    todo = [rel for rel in files if rel in expected]
    with ThreadPoolExecutor(max_workers=min(4, max(1, len(todo)))) as pool:
        reasons = pool.map(lambda rel: mismatch(root / rel, expected[rel]), todo)
        return {rel: why for rel, why in zip(todo, reasons, strict=True) if why is not None}


def discard(root: Path, rel: str, local_dir: Path | None) -> None:
    """Remove a bad file so the next download fetches it again: the blob and its snapshot link
    (cache), or the file and its download metadata (``local_dir``)."""
    path = root / rel
    targets = [path]
    if local_dir is None and path.is_symlink():
        targets.append(path.resolve())
    elif local_dir is not None:
        targets.append(local_dir / ".cache" / "huggingface" / "download" / f"{rel}.metadata")
    for target in targets:
        try:
            target.unlink()
        except FileNotFoundError:
            pass


def remove_leftovers(blobs: Path, locks: Path, etags: Iterable[str]) -> list[str]:
    """Delete ``blobs/<etag>[.<id>].incomplete`` files that a killed download left behind for
    blobs now complete, unless a download holding the blob's lock is writing one; return them."""
    try:
        names = [n for n in os.listdir(blobs) if n.endswith(".incomplete")]
    except OSError:
        return []
    wanted = {e for e in etags if e and (blobs / e).is_file()}
    removed = []
    for name in names:
        etag = name.split(".", 1)[0]
        if etag not in wanted:
            continue
        from filelock import FileLock, Timeout

        try:
            with FileLock(locks / f"{etag}.lock", timeout=0):
                (blobs / name).unlink(missing_ok=True)
                removed.append(name)
        except (Timeout, OSError):
            continue  # another process is downloading it right now
    return removed


def _digest(path: Path, h: hashlib._Hash) -> str:
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()
