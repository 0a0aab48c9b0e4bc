"""nnbench-fsspec's pytest fixtures, registered by its ``pytest11`` entry point.

Every pytest session where nnbench-fsspec is installed loads this module, so it imports
nothing but pytest: moto, s3fs and the servers are imported when a test asks for a fixture.
See ``nnbench_fsspec.testing`` for what each fixture gives.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

if TYPE_CHECKING:
    from nnbench_fsspec.testing.servers import HTTPServer, S3Server

__all__ = ["S3Bucket", "fsspec_http_root", "fsspec_http_server", "fsspec_s3", "fsspec_s3_server"]


class S3Bucket(NamedTuple):
    """An ``s3fs.S3FileSystem`` on the test server and the name of a fresh, empty bucket."""

    fs: Any
    bucket: str


@pytest.fixture(scope="session")
def fsspec_s3_server() -> Iterator[S3Server]:
    """A moto S3 server for the session, with the AWS variables pointed at it."""
    pytest.importorskip("s3fs", reason="needs s3fs (`pip install nnbench-fsspec[s3,test]`)")
    pytest.importorskip("moto.server", reason="needs moto[server] (`pip install nnbench-fsspec[test]`)")
    from nnbench_fsspec.testing.servers import S3Server

    with S3Server() as server:
        changes = server.environment()
        saved = {name: os.environ.get(name) for name in changes}
        _apply(changes)
        try:
            yield server
        finally:
            _apply(saved)


@pytest.fixture
def fsspec_s3(fsspec_s3_server: S3Server) -> S3Bucket:
    """An s3fs filesystem on the moto server plus a fresh bucket name."""
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    bucket = f"b-{uuid.uuid4().hex[:12]}"
    fs.mkdir(bucket)
    return S3Bucket(fs, bucket)


@pytest.fixture
def fsspec_http_root(tmp_path: Path) -> Path:
    """The (empty) folder ``fsspec_http_server`` serves."""
    root = tmp_path / "www"
    root.mkdir()
    return root


@pytest.fixture
def fsspec_http_server(fsspec_http_root: Path) -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 serving ``fsspec_http_root`` for this test."""
    from nnbench_fsspec.testing.servers import HTTPServer

    server = HTTPServer(fsspec_http_root)
    yield server
    try:
        server.stop()
    except OSError:  # a test that cut the connection may have stopped it already
        pass


def _apply(changes: dict[str, str | None]) -> None:
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
