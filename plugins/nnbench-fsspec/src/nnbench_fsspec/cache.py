"""One cache entry per URL: a mirror directory, a manifest of what it holds, and a lock.

Layout under ``<cache_dir>/fsspec/<key>/``::

    data/            the remote layout (the artifact path, or its parent for a single file)
    tmp/             files being transferred; stale ones are removed by the next filler
    manifest.json    rel -> remote identity and the local size/mtime written with it, and
                     ``complete``: what the last successful online load listed (for offline use)
    .lock            a file lock held while the entry is filled

A local file counts as current only if the manifest has the remote identity *and* the file's
size and mtime are the ones recorded when it was renamed into place, so a file replaced
without its manifest update (a killed filler) is never taken for current.
``complete`` (``{"single": bool, "files": [rel, ...], "version": str | None}``) is cleared
before any transfer and set again only when a load succeeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from filelock import FileLock
from nnbench.errors import LoaderError
from nnbench.files import write_text_atomic

from nnbench_fsspec.remote import RemoteFile, safe_rel

_SAVE_INTERVAL_S = 0.5


def entry_key(url: str, public_options: dict[str, Any]) -> str:
    """A stable directory name for a URL (no secrets in it) and its public storage options."""
    blob = json.dumps([url, public_options], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _plain(rel: str) -> bool:
    try:
        return safe_rel(rel) == rel
    except LoaderError:
        return False


class CacheEntry:
    """The local copy of one URL."""

    def __init__(self, root: Path, url: str):
        self.root = Path(root)
        self.url = url  # redacted; for humans reading manifest.json
        self.data = self.root / "data"
        self.tmp = self.root / "tmp"
        self._manifest_path = self.root / "manifest.json"
        self._files: dict[str, dict[str, Any]] = {}
        self.complete: dict[str, Any] | None = None
        self._mutex = threading.Lock()
        self._last_save = 0.0

    def lock(self) -> FileLock:
        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / ".lock"))

    def read_manifest(self) -> None:
        try:
            with open(self._manifest_path, encoding="utf-8") as f:
                doc = json.load(f)
            self._files = dict(doc.get("files", {}))
            self.complete = doc.get("complete")
        except (OSError, ValueError, AttributeError):
            self._files, self.complete = {}, None

    def recorded(self) -> set[str]:
        """Relative paths the manifest lists."""
        return set(self._files)

    def record(self, rel: str) -> dict[str, Any] | None:
        """What the manifest says about ``rel`` (identity, etag, size, local size/mtime)."""
        return self._files.get(rel)

    def is_current(self, f: RemoteFile) -> bool:
        """True when the local copy of ``f`` is the remote version and untouched since."""
        rec = self._files.get(f.rel)
        if rec is None or f.identity is None or rec.get("identity") != f.identity:
            return False
        return self.is_intact(f.rel)

    def is_intact(self, rel: str) -> bool:
        """True when the local file has the size and mtime recorded when it was written."""
        rec = self._files.get(rel)
        if rec is None:
            return False
        try:
            st = os.stat(self.data / rel)
        except OSError:
            return False
        return st.st_size == rec.get("local_size") and st.st_mtime_ns == rec.get("local_mtime_ns")

    def complete_files(self) -> list[str] | None:
        """The relative paths of the last complete online load, if every one is intact."""
        rec = self.complete
        if not isinstance(rec, dict) or not isinstance(rec.get("files"), list) or not rec["files"]:
            return None
        rels = rec["files"]
        if rec.get("single") and len(rels) != 1:
            return None
        ok = all(isinstance(r, str) and _plain(r) and self.is_intact(r) for r in rels)
        return rels if ok else None

    def temp_path(self) -> Path:
        self.tmp.mkdir(parents=True, exist_ok=True)
        return self.tmp / f"{uuid.uuid4().hex}.part"

    def commit(self, f: RemoteFile, temp: Path) -> None:
        """Rename a verified temp file into place and record it (thread-safe)."""
        dest = self.data / f.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_dir():
            shutil.rmtree(dest)
        os.replace(temp, dest)
        st = os.stat(dest)
        rec = {
            "identity": f.identity,
            "etag": f.etag,
            "size": f.size if f.size is not None else st.st_size,
            "local_size": st.st_size,
            "local_mtime_ns": st.st_mtime_ns,
        }
        with self._mutex:
            self._files[f.rel] = rec
            if time.monotonic() - self._last_save > _SAVE_INTERVAL_S:
                self._save_locked()

    def forget(self, rel: str) -> None:
        with self._mutex:
            self._files.pop(rel, None)

    def save(self) -> None:
        with self._mutex:
            self._save_locked()

    def _save_locked(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        doc = {"url": self.url, "files": self._files, "complete": self.complete}
        write_text_atomic(self._manifest_path, json.dumps(doc, indent=1, sort_keys=True),
                          fsync=False)
        self._last_save = time.monotonic()

    def clean_temp(self) -> None:
        """Remove leftovers of killed transfers; call only while holding the lock."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        for stale in self.root.glob(f".{self._manifest_path.name}.*.tmp"):
            shutil.rmtree(stale, ignore_errors=True)

    def prune(self, keep: set[str]) -> None:
        """Delete local files (and empty directories) the remote no longer lists."""
        for rel in list(self._files):
            if rel not in keep:
                self.forget(rel)
        if not self.data.is_dir():
            return
        for dirpath, _dirnames, filenames in os.walk(self.data, topdown=False):
            for name in filenames:
                p = Path(dirpath, name)
                if p.relative_to(self.data).as_posix() not in keep:
                    p.unlink(missing_ok=True)
            if dirpath != str(self.data) and not os.listdir(dirpath):
                os.rmdir(dirpath)
