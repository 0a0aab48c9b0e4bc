"""In-memory repositories for the fake Hub: files, commits, refs, gating."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path

#: Suffixes the Hub stores in LFS by default (its .gitattributes); larger files are LFS too.
LFS_SUFFIXES = (
    ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".ot",
    ".parquet", ".arrow", ".gguf", ".tflite", ".zip", ".gz",
)
LFS_MIN_SIZE = 10 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class HubFile:
    """One file of one commit; ``etag`` is what the Hub sends (sha256 for LFS, git oid else)."""

    path: str
    data: bytes = dataclasses.field(repr=False)
    lfs: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    @functools.cached_property
    def oid(self) -> str:
        """The git blob sha1 of the content."""
        return hashlib.sha1(b"blob %d\0" % len(self.data) + self.data).hexdigest()

    @functools.cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def etag(self) -> str:
        return self.sha256 if self.lfs else self.oid


@dataclasses.dataclass
class HubRepo:
    """A repository: named refs pointing at commits, each commit a dict of files."""

    repo_id: str
    repo_type: str = "model"
    gated: bool = False
    private: bool = False
    granted: frozenset[str] | None = None  # tokens allowed past the gate; None: every valid token
    refs: dict[str, str] = dataclasses.field(default_factory=dict)
    commits: dict[str, dict[str, HubFile]] = dataclasses.field(default_factory=dict)

    def resolve(self, revision: str) -> str | None:
        """The commit a branch, tag, ref or full commit hash points at, or None."""
        if revision in self.refs:
            return self.refs[revision]
        if revision in self.commits:
            return revision
        return None


FileSource = bytes | str | os.PathLike


class RepoStore:
    """Thread-safe registry of ``HubRepo`` keyed by (repo_type, repo_id)."""

    def __init__(self) -> None:
        self._repos: dict[tuple[str, str], HubRepo] = {}
        self._lock = threading.Lock()

    def add(
        self,
        repo_id: str,
        files: Mapping[str, FileSource],
        *,
        repo_type: str = "model",
        revision: str = "main",
        gated: bool = False,
        private: bool = False,
        granted: set[str] | None = None,
    ) -> str:
        """Add a commit holding ``files`` and point ``revision`` at it; return the commit hash.

        A ``Path`` (or ``str``) value is read from disk, or every file under it when it is a
        folder (``{"": folder}`` adds a whole folder at the root, ``{"onnx": folder}`` under
        ``onnx/``). Adding again to the same repo adds a commit on ``revision``.
        """
        content = _collect(files)
        digest = hashlib.sha1(f"{repo_type}/{repo_id}@{revision}".encode())
        for path in sorted(content):
            digest.update(f"{path}:{content[path].oid}".encode())
        commit = digest.hexdigest()
        with self._lock:
            repo = self._repos.get((repo_type, repo_id))
            if repo is None:
                repo = HubRepo(repo_id, repo_type)
                self._repos[(repo_type, repo_id)] = repo
            repo.gated, repo.private = gated, private
            repo.granted = frozenset(granted) if granted is not None else None
            repo.commits[commit] = content
            repo.refs[revision] = commit
        return commit

    def get(self, repo_type: str, repo_id: str) -> HubRepo | None:
        with self._lock:
            return self._repos.get((repo_type, repo_id))

    def remove(self, repo_id: str, repo_type: str = "model") -> None:
        with self._lock:
            self._repos.pop((repo_type, repo_id), None)

    def clear(self) -> None:
        with self._lock:
            self._repos.clear()

    def snapshot(self) -> dict[tuple[str, str], HubRepo]:
        """A copy of the registry to ``restore`` later (files are immutable and shared)."""
        with self._lock:
            return _copy(self._repos)

    def restore(self, saved: dict[tuple[str, str], HubRepo]) -> None:
        with self._lock:
            self._repos = _copy(saved)


def _copy(repos: dict[tuple[str, str], HubRepo]) -> dict[tuple[str, str], HubRepo]:
    return {k: dataclasses.replace(v, refs=dict(v.refs), commits=dict(v.commits)) for k, v in repos.items()}


def _collect(files: Mapping[str, FileSource]) -> dict[str, HubFile]:
    out: dict[str, HubFile] = {}
    for name, source in files.items():
        name = name.strip("/")
        if isinstance(source, bytes):
            out[name] = _file(name, source)
            continue
        root = Path(source)
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    rel = p.relative_to(root).as_posix()
                    path = f"{name}/{rel}" if name else rel
                    out[path] = _file(path, p.read_bytes())
        else:
            out[name] = _file(name, root.read_bytes())
    return out


def _file(path: str, data: bytes) -> HubFile:
    lfs = path.lower().endswith(LFS_SUFFIXES) or len(data) >= LFS_MIN_SIZE
    return HubFile(path, data, lfs)
