"""``FsspecLoader``: any fsspec URL -> a verified local copy in nnbench's cache."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from nnbench import envflags
from nnbench.artifacts.transfers import transfer, watch
from nnbench.errors import ArtifactNotFoundError
from nnbench.redact import redact_url, strip_masked
from nnbench.types import ArtifactLoader

from nnbench_fsspec import options as opts
from nnbench_fsspec.cache import CacheEntry, entry_key
from nnbench_fsspec.errors import translate
from nnbench_fsspec.remote import RemoteFile, list_files
from nnbench_fsspec.transfer import fetch_all

log = logging.getLogger("nnbench_fsspec")


class FsspecLoader(ArtifactLoader):
    """Fetch a file, or every file below a directory/prefix, through fsspec.

    ``url`` may be chained (``zip://model::s3://bucket/model.zip``). ``storage_options`` go to
    fsspec as they would to ``fsspec.open``; credentials may also come from the protocol
    library's environment. ``load()`` returns the cached file for a single-file URL, else the
    directory that mirrors the remote layout. Unchanged remote files are never transferred
    again; the remote is listed on every ``load()`` so changes and deletions are seen.

    Offline (``offline=True``, or ``offline=None`` and ``$NNBENCH_OFFLINE`` true) ``load()``
    makes no request: it returns the cached copy only if the last successful online load
    recorded it complete and every file is intact, else raises ``ArtifactNotFoundError``.
    """

    def __init__(
        self,
        url: str,
        storage_options: dict[str, Any] | None = None,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        max_workers: int | None = None,
        verify: bool = True,
        offline: bool | None = None,
        spec: str | None = None,
    ) -> None:
        self.url = url
        self.storage_options = dict(storage_options or {})
        self.protocol = opts.chain_protocols(url)[0]
        self.cache_dir = Path(cache_dir) if cache_dir not in (None, "") else None
        self.max_workers = opts.workers(max_workers)  # typed and checked here, once
        self.verify = opts.flag("verify", verify)
        self.offline = None if offline is None else opts.flag("offline", offline)
        self.spec = spec
        self._secrets = opts.secret_values(url, self.storage_options)
        self._facts: dict[str, Any] | None = None

    @property
    def redacted_url(self) -> str:
        return redact_url(self.url)

    def entry(self) -> CacheEntry:
        """The cache entry this URL maps to."""
        if self.cache_dir is not None:
            root = self.cache_dir
        else:
            from nnbench.artifacts.cache import cache_dir

            root = cache_dir()
        key = entry_key(self.redacted_url, opts.public(self.storage_options))
        return CacheEntry(root / "fsspec" / key, self.redacted_url)

    def load(self) -> Path:
        try:
            return self._load_offline() if self._is_offline() else self._load()
        except Exception as exc:  # one line, secrets masked; KeyboardInterrupt passes through
            log.debug("%s: %s", self.redacted_url, type(exc).__name__)
            raise translate(exc, self.redacted_url, self.protocol, self._secrets) from None

    def _is_offline(self) -> bool:
        return envflags.offline() if self.offline is None else self.offline

    def _load(self) -> Path:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(self.url, **self.storage_options)
        files, single = list_files(fs, path, self.protocol)
        entry = self.entry()
        entry.read_manifest()
        stale = [f for f in files if not entry.is_current(f)]
        done = _complete(files, single)
        if stale:
            with entry.lock():
                entry.read_manifest()  # another process may have filled it meanwhile
                entry.clean_temp()
                stale = [f for f in files if not entry.is_current(f)]
                entry.prune({f.rel for f in files})
                entry.complete = None  # until every file is in place
                try:
                    with transfer(self.redacted_url, total=sum(f.size or 0 for f in stale) or None,
                                  files=len(stale)) as shown, \
                            watch(shown, entry.tmp, ".part", _committed(entry, stale)):
                        fetch_all(fs, stale, entry, max_workers=self.max_workers,
                                  verify=self.verify)
                    entry.complete = done
                finally:
                    entry.save()
        elif _has_extra(entry, files) or entry.complete != done:
            with entry.lock():
                entry.read_manifest()
                entry.prune({f.rel for f in files})
                entry.complete = done
                entry.save()
        log.info("%s: %d file(s), %d transferred", self.redacted_url, len(files), len(stale))
        path_out = entry.data / files[0].rel if single else entry.data
        self._facts = _facts(self, files, stale, path_out, single)
        return path_out

    def _load_offline(self) -> Path:
        """The cached copy, without constructing the filesystem or making any request."""
        entry = self.entry()
        entry.read_manifest()
        rels = entry.complete_files()
        if rels is None:
            if self.offline is None:
                why, undo = f"{envflags.OFFLINE} is set", f"unset {envflags.OFFLINE} (or offline=false)"
            else:
                why, undo = "offline=true is given", "drop offline=true"
            raise ArtifactNotFoundError(
                f"{self.redacted_url}: {why} and this URL is not fully in the cache at "
                f"{entry.root}; {undo} to download it"
            )
        done = entry.complete or {}
        single = bool(done.get("single"))
        files = [_cached(rel, entry.record(rel) or {}, done.get("version")) for rel in rels]
        path_out = entry.data / rels[0] if single else entry.data
        self._facts = {**_facts(self, files, [], path_out, single), "offline": True}
        log.info("%s: %d file(s) from the cache, offline", self.redacted_url, len(files))
        return path_out

    def provenance(self) -> dict[str, Any]:
        return dict(self._facts) if self._facts is not None else {"spec": self._shown_spec()}

    def _shown_spec(self) -> str:
        return redact_url(self.spec or self.url)

    def __repr__(self) -> str:
        return f"FsspecLoader({self._shown_spec()!r})"

    def __reduce__(self) -> Any:
        """Pickles as the URL without its user-info and secret query values, the redacted
        spec and the non-secret options: credentials stay behind; the receiving process takes
        them from its environment (or the storage library's configuration)."""
        state = (strip_masked(redact_url(self.url)), opts.public(self.storage_options))
        kw = {"cache_dir": self.cache_dir, "max_workers": self.max_workers, "verify": self.verify,
              "offline": self.offline}
        return (_rebuild, (state, kw, redact_url(self.spec) if self.spec else None))


def _rebuild(state: tuple[str, dict[str, Any]], kw: dict[str, Any], spec: str | None):
    return FsspecLoader(state[0], state[1], spec=spec, **kw)


def _committed(entry: CacheEntry, files: list[RemoteFile]):
    """``() -> (files, bytes)`` of ``files`` already transferred into ``entry``."""
    def finished() -> tuple[int, int]:
        there = [f for f in files if entry.is_current(f)]
        return len(there), sum(f.size or 0 for f in there)

    return finished


def _complete(files: list[RemoteFile], single: bool) -> dict[str, Any]:
    """The manifest's record of a successful online load, for later offline loads."""
    version = files[0].version if single else None
    return {"single": single, "files": [f.rel for f in files], "version": version}


def _cached(rel: str, rec: dict[str, Any], version: str | None) -> RemoteFile:
    """A manifest record as a ``RemoteFile`` (enough for provenance)."""
    return RemoteFile(rel, rel, rec.get("size"), rec.get("identity"), rec.get("etag"), None, version)


def _has_extra(entry: CacheEntry, files: list[RemoteFile]) -> bool:
    """True if the local mirror holds files the remote no longer lists."""
    keep = {f.rel for f in files}
    return bool(entry.recorded() - keep)


def _facts(
    loader: FsspecLoader, files: list[RemoteFile], stale: list[RemoteFile], path: Path, single: bool
) -> dict[str, Any]:
    total = sum(f.size or 0 for f in files)
    facts: dict[str, Any] = {
        "spec": loader._shown_spec(),
        "loader": f"{FsspecLoader.__module__}.{FsspecLoader.__qualname__}",
        "url": loader.redacted_url,
        "protocol": loader.protocol,
        "path": os.fspath(path),
        "files": [{"path": f.rel, "size": f.size, "etag": f.etag} for f in files[:1000]],
        "total_size": total,
        "transferred": {"files": len(stale), "bytes": sum(f.size or 0 for f in stale)},
    }
    if single and files[0].version:
        facts["resolved_revision"] = files[0].version
    return facts
