"""Real servers on 127.0.0.1 for the fsspec plugin tests: moto S3 and a threaded HTTP server."""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
    """moto's ThreadedMotoServer with a request log."""

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

    def stop(self) -> None:
        self._server.stop()
        wz = logging.getLogger("werkzeug")
        wz.removeHandler(self.log)
        wz.level, wz.propagate = self._saved


class _Handler(SimpleHTTPRequestHandler):
    """Serves a directory. ``server.cut`` maps a URL path to the byte count after which the
    server stops (connection dropped, server shut down) in the middle of that file;
    ``server.md5`` adds a Content-MD5 header; ``server.corrupt`` flips the bytes it sends;
    ``server.slow`` sends 64 KiB every 50 ms."""

    def log_message(self, format: str, *args: object) -> None:  # quiet; keep a count instead
        self.server.requests.append(self.requestline)

    def end_headers(self) -> None:
        local = Path(self.translate_path(self.path))
        if self.server.md5 and local.is_file():
            digest = hashlib.md5(local.read_bytes()).digest()
            self.send_header("Content-MD5", base64.b64encode(digest).decode())
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        if self.path.split("?", 1)[0] in self.server.slow:
            while chunk := source.read(1 << 16):
                outputfile.write(chunk)
                time.sleep(0.05)
            return
        if self.path.split("?", 1)[0] in self.server.corrupt:
            outputfile.write(bytes(b ^ 0xFF for b in source.read()))
            return
        cut = self.server.cut.get(self.path.split("?", 1)[0])
        if cut is None:
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(cut))
        outputfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)
        threading.Thread(target=self.server.shutdown, daemon=True).start()


class HTTPServer:
    """A threaded ``http.server`` on 127.0.0.1 serving ``root``; restartable on the same port."""

    def __init__(self, root: Path, port: int = 0) -> None:
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
        self._httpd.cut = self.cut
        self._httpd.corrupt = self.corrupt
        self._httpd.slow = self.slow
        self._httpd.md5 = self.md5
        self._httpd.requests = self.requests
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def wait_stopped(self, timeout: float = 10) -> None:
        self._thread.join(timeout)
        self._httpd.server_close()

    def restart(self) -> None:
        self.cut.clear()
        self._start(self.port)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def upload_dir(fs, local: Path, remote: str) -> None:
    """Put every file below ``local`` under ``remote`` (bucket/prefix)."""
    for p in sorted(local.rglob("*")):
        if p.is_file():
            fs.put_file(str(p), f"{remote}/{p.relative_to(local).as_posix()}")
