"""Real servers on 127.0.0.1 for tests of fsspec loaders: moto S3 and a threaded HTTP server.

Neither imports pytest; ``S3Server`` needs ``moto[server]`` (the ``test`` extra).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import os
import re
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["KEY_ID", "SECRET", "HTTPServer", "RequestLog", "S3Server", "upload_dir"]

#: The throw-away credentials the ``fsspec_s3_server`` fixture puts in the environment.
SECRET = "SeCrEt-nnbench-fsspec-0123456789abcdef"
KEY_ID = "nnbenchtestkeyid"

_REQUEST = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')


class RequestLog(logging.Handler):
    """Collects the request lines the moto (werkzeug) server logs."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        m = _REQUEST.search(record.getMessage())
        if m:
            with self._lock:
                self.lines.append((m["method"], m["path"], int(m["status"])))

    def mark(self) -> int:
        """A position in the log, for ``object_gets(bucket, since=...)``."""
        return len(self.lines)

    def object_gets(self, bucket: str, since: int = 0) -> list[str]:
        """Keys fetched with GET (object transfers, not listings) since ``mark()``."""
        out = []
        for method, path, _status in self.lines[since:]:
            base = path.split("?", 1)[0]
            if method == "GET" and base.startswith(f"/{bucket}/") and len(base) > len(bucket) + 2:
                out.append(base[len(bucket) + 2 :])
        return out


class S3Server:
    """moto's ThreadedMotoServer on 127.0.0.1 with a request log (``log``); ``endpoint`` URL."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.log = RequestLog()
        wz = logging.getLogger("werkzeug")
        self._saved = (wz.level, wz.propagate)
        wz.setLevel(logging.INFO)
        wz.addHandler(self.log)
        wz.propagate = False
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def environment(self) -> dict[str, str | None]:
        """The variables that point boto/s3fs at this server as ``KEY_ID`` (None: unset)."""
        return {
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_PROFILE": None,
            "AWS_SESSION_TOKEN": None,
        }

    def __enter__(self) -> S3Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.stop()
        wz = logging.getLogger("werkzeug")
        wz.removeHandler(self.log)
        wz.level, wz.propagate = self._saved


class _Handler(SimpleHTTPRequestHandler):
    """Serves the ``HTTPServer``'s directory with the faults it has switched on."""

    @property
    def _owner(self) -> HTTPServer:
        return self.server.owner  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:  # quiet; keep a count instead
        self._owner.requests.append(self.requestline)

    def end_headers(self) -> None:
        local = Path(self.translate_path(self.path))
        if self._owner.md5 and local.is_file():
            digest = hashlib.md5(local.read_bytes()).digest()
            self.send_header("Content-MD5", base64.b64encode(digest).decode())
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        owner, path = self._owner, self.path.split("?", 1)[0]
        if path in owner.slow:
            while chunk := source.read(1 << 16):
                outputfile.write(chunk)
                time.sleep(0.05)
            return
        if path in owner.corrupt:
            outputfile.write(bytes(b ^ 0xFF for b in source.read()))
            return
        cut = owner.cut.get(path)
        if cut is None:
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(cut))
        outputfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)
        threading.Thread(target=self.server.shutdown, daemon=True).start()


class HTTPServer:
    """A threaded ``http.server`` on 127.0.0.1 serving ``root`` at ``url``; restartable.

    Fault switches, by URL path (``"/m/a.bin"``): ``cut[path] = n`` sends ``n`` bytes of that
    file, then drops the connection and shuts the server down (``wait_stopped()``, then
    ``restart()`` on the same port); ``corrupt`` flips every byte sent; ``slow`` sends 64 KiB
    every 50 ms. ``md5 = True`` adds a ``Content-MD5`` header. ``requests`` lists the
    request lines answered.
    """

    def __init__(self, root: str | os.PathLike[str], port: int = 0) -> None:
        self.root = Path(root)
        self.cut: dict[str, int] = {}
        self.corrupt: set[str] = set()
        self.slow: set[str] = set()
        self.md5 = False
        self.requests: list[str] = []
        self._start(port)

    def _start(self, port: int) -> None:
        handler = functools.partial(_Handler, directory=str(self.root))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def wait_stopped(self, timeout: float = 10) -> None:
        """Wait for the shutdown a ``cut`` started."""
        self._thread.join(timeout)
        self._httpd.server_close()

    def restart(self) -> None:
        """Serve again on the same port, with no ``cut`` armed."""
        self.cut.clear()
        self._start(self.port)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def upload_dir(fs: Any, local: str | os.PathLike[str], remote: str) -> None:
    """Put every file below ``local`` under ``remote`` (bucket/prefix)."""
    local = Path(local)
    for p in sorted(local.rglob("*")):
        if p.is_file():
            fs.put_file(str(p), f"{remote}/{p.relative_to(local).as_posix()}")
