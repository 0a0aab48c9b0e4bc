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


class _Follower:
    """Hashes a file while another thread writes it, so the checksum costs no extra pass.

    Bytes below the file's current size are final for sequential writers; a writer that
    fills the file out of order yields a wrong digest, which ``_check_md5`` then recomputes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.pos = 0

    def step(self, fh: Any) -> int:
        size = os.fstat(fh.fileno()).st_size
        n = 0
        while self.pos < size:
            fh.seek(self.pos)
            chunk = fh.read(min(1 << 22, size - self.pos))
            if not chunk:
                break
            self.md5.update(chunk)
            self.pos += len(chunk)
            n += len(chunk)
        return n


def _get_hashing(fs: Any, rpath: str, temp: Path) -> str | None:
    """``fs.get_file`` in a helper thread while this one hashes what has arrived."""
    temp.touch()
    done = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            fs.get_file(rpath, os.fspath(temp))
        except BaseException as exc:
            failure.append(exc)
        finally:
            done.set()

    follower = _Follower(temp)
    threading.Thread(target=run, daemon=True, name="nnbench-fsspec-get").start()
    with open(temp, "rb", buffering=0) as fh:
        while not done.is_set():
            if not follower.step(fh):
                done.wait(0.005)
        if failure:
            raise failure[0]
        if os.fstat(fh.fileno()).st_ino != os.stat(temp).st_ino:
            return None  # the writer replaced the file: hash it afresh
        follower.step(fh)
    return follower.md5.hexdigest()


def client_verifies(fs: Any, f: RemoteFile) -> bool:
    """True when the S3 client itself checks ``f``'s stored checksum as it streams it.

    botocore validates a whole-object CRC/SHA checksum on a plain GET (not on the ranged
    GETs s3fs uses for files above its block size), so a second pass would add nothing.
    """
    if not f.client_checksum or f.size is None:
        return False
    if f.size > getattr(fs, "default_block_size", 0) and getattr(fs, "max_concurrency", 1) > 1:
        return False
    config = getattr(getattr(getattr(fs, "s3", None), "meta", None), "config", None)
    mode = getattr(config, "response_checksum_validation", None)
    return mode == "when_supported"


def fetch_one(fs: Any, f: RemoteFile, entry: CacheEntry, verify: bool = True) -> None:
    """Transfer ``f`` to a temp file, check it, and rename it into the entry."""
    temp = entry.temp_path()
    verify = verify and f.md5 is not None and not client_verifies(fs, f)
    try:
        digest = None
        if verify:
            digest = _get_hashing(fs, f.rpath, temp)
        else:
            fs.get_file(f.rpath, os.fspath(temp))
        size = temp.stat().st_size if temp.is_file() else 0
        if f.size is not None and size != f.size:
            raise VerificationError(
                f"{f.rel}: received {size} of {f.size} bytes (connection dropped or "
                "file changed during transfer)"
            )
        if verify:
            _check_md5(fs, f, temp, entry, digest)
        entry.commit(f, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_md5(fs: Any, f: RemoteFile, temp: Path, entry: CacheEntry, digest: str | None) -> None:
    if digest == f.md5:
        return
    got = file_md5(temp)
    if got == f.md5:
        return
    if not f.md5_from_etag:
        raise VerificationError(f"{f.rel}: checksum mismatch (corrupted transfer)")
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
