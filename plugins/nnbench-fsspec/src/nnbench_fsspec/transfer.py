"""Transfer remote files into a cache entry in parallel: temp file, verify, rename."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from nnbench_fsspec.cache import CacheEntry
from nnbench_fsspec.remote import RemoteFile

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 16


class VerificationError(OSError):
    """A transferred file does not have the size or checksum the store announced."""


def file_md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def fetch_one(fs: Any, f: RemoteFile, entry: CacheEntry, verify: bool = True) -> None:
    """Transfer ``f`` to a temp file, check it, and rename it into the entry."""
    temp = entry.temp_path()
    try:
        fs.get_file(f.rpath, os.fspath(temp))
        if not temp.is_file():
            raise VerificationError(f"{f.rel}: the store sent no data")
        size = temp.stat().st_size
        if f.size is not None and size != f.size:
            raise VerificationError(
                f"{f.rel}: received {size} of {f.size} bytes (connection dropped or "
                "file changed during transfer)"
            )
        if verify and f.md5:
            _check_md5(fs, f, temp, entry)
        entry.commit(f, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_md5(fs: Any, f: RemoteFile, temp: Path, entry: CacheEntry) -> None:
    got = file_md5(temp)
    if got == f.md5:
        return
    # An S3 ETag is not an MD5 for some encryption modes: accept the content only when a
    # second transfer yields the very same bytes.
    again = entry.temp_path()
    try:
        fs.get_file(f.rpath, os.fspath(again))
        if file_md5(again) != got:
            raise VerificationError(f"{f.rel}: checksum mismatch (corrupted transfer)")
        log.debug("%s: ETag is not an MD5 of the content; two transfers agreed", f.rel)
    finally:
        again.unlink(missing_ok=True)


def fetch_all(
    fs: Any,
    files: list[RemoteFile],
    entry: CacheEntry,
    *,
    max_workers: int | None = None,
    verify: bool = True,
    fetch: Callable[..., None] = fetch_one,
) -> None:
    """Fetch ``files`` with a thread pool; on the first failure stop and raise it."""
    if not files:
        return
    workers = max(1, min(max_workers or DEFAULT_WORKERS, len(files)))
    if workers == 1:
        for f in files:
            fetch(fs, f, entry, verify)
        return
    stop = threading.Event()

    def task(f: RemoteFile) -> None:
        if not stop.is_set():
            fetch(fs, f, entry, verify)

    # largest first so the long transfers overlap with the many small ones
    ordered = sorted(files, key=lambda f: -(f.size or 0))
    with ThreadPoolExecutor(workers, thread_name_prefix="nnbench-fsspec") as pool:
        futures = [pool.submit(task, f) for f in ordered]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        error = next((fu.exception() for fu in done if fu.exception()), None)
        if error is not None:
            stop.set()
            for fu in futures:
                fu.cancel()
    if error is not None:
        raise error
