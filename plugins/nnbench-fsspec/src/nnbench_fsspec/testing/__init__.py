"""Real loopback servers for testing fsspec loaders: moto S3 and a faulty HTTP server.

Installing nnbench-fsspec registers its pytest fixtures (``nnbench_fsspec.testing.fixtures``,
entry point ``pytest11``), so any test may ask for them; ``-p no:nnbench_fsspec`` turns them off:

* ``fsspec_s3_server`` — a moto S3 server on 127.0.0.1 for the session (``S3Server``: its
  ``endpoint`` and request ``log``), with ``AWS_ENDPOINT_URL`` and the credentials ``KEY_ID``
  / ``SECRET`` in the environment. Skips without ``s3fs`` and ``moto[server]``.
* ``fsspec_s3`` — ``(fs, bucket)``: an ``s3fs`` filesystem on that server and a fresh bucket.
* ``fsspec_http_root`` — an empty folder the HTTP server serves.
* ``fsspec_http_server`` — an ``HTTPServer`` on 127.0.0.1 serving it (``url``), with switches
  to cut, corrupt or slow down a file's transfer.

The servers import no pytest, so scripts (``perf/``) can use them directly. Names are
imported on first use: importing this package costs nothing.
"""

from __future__ import annotations

from nnbench.lazy import lazy_exports

_EXPORTS = {
    "KEY_ID": "servers",
    "SECRET": "servers",
    "HTTPServer": "servers",
    "RequestLog": "servers",
    "S3Server": "servers",
    "upload_dir": "servers",
    "S3Bucket": "fixtures",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
