"""Atomic file writing for nnbench and its plugins: readers see the old content or the new.

New content is created under a private temporary folder beside the destination, then renamed
over it with ``os.replace``. It is created with plain ``open``/``copy``, so it gets the
permissions any new file gets (``0o666`` less the umask: 0644 under the usual umask 022),
never the 0600 of ``tempfile.mkstemp``. On any failure the temporary folder is removed and
the destination is left as it was; the ``OSError`` propagates for the caller to turn into
its own one-line error::

    from nnbench.files import write_bytes_atomic

    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise ReporterError(f"cannot write {path}: {exc.strerror or exc}") from exc
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_bytes_atomic", "write_text_atomic"]


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, fsync: bool = True) -> Iterator[Path]:
    """Yield a path (not yet existing) to create ``path``'s new content at, file or folder.

    Leaving the block normally renames it over ``path`` (a folder only replaces a missing or
    empty one); an exception removes it instead. ``fsync`` flushes a file to disk first::

        with atomic_path(cache / "model") as partial:
            shutil.copytree(source, partial)
    """
    path = Path(path)
    folder = tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(folder, path.name)
    try:
        yield tmp
        if fsync and tmp.is_file():
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, fsync: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring); return the path."""
    path = Path(path)
    with atomic_path(path, fsync=False) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
    return path


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", fsync: bool = True
) -> Path:
    """Write ``text`` to ``path`` atomically (see the module docstring); return the path."""
    return write_bytes_atomic(path, text.encode(encoding), fsync=fsync)
