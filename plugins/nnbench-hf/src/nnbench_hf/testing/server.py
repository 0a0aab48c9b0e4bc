"""A fake Hugging Face Hub: a real threaded HTTP server on 127.0.0.1 serving ``RepoStore`` repos.

It speaks the part of the Hub API that ``huggingface_hub`` uses to find and download files:

* ``GET /api/{models,datasets,spaces}/REPO[/revision/REV]``: repo info with ``sha`` and
  ``siblings`` (sizes and LFS info with ``?blobs=true``);
* ``GET /api/{type}s/REPO/tree/REV[/PATH]?recursive=&expand=``: tree listing, paginated with a
  ``Link: <...>; rel="next"`` header;
* ``HEAD``/``GET /[datasets/|spaces/]REPO/resolve/REV/FILE``: ``X-Repo-Commit``, ``ETag``,
  ``X-Linked-Etag``/``X-Linked-Size`` for LFS files, ``Content-Length``, ``Range`` requests.

Errors carry the Hub's ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``,
``EntryNotFound``, ``GatedRepo``). No Xet headers are ever sent, so clients use plain HTTP.
Every request is recorded (never the token); a file's download can be cut midway or corrupted.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import os
import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from nnbench_hf.testing.store import FileSource, HubFile, HubRepo, RepoStore

#: Variables ``FakeHub.environment`` unsets so nothing of the real machine leaks in.
HF_VARIABLES = (
    "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE",
    "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_DATASETS_CACHE",
    "XDG_CACHE_HOME", "NNBENCH_OFFLINE",
)
TYPE_FROM_PLURAL = {"models": "model", "datasets": "dataset", "spaces": "space"}
DEFAULT_TOKEN = "hf_nnbenchFakeHubToken0123456789abcdef"


@dataclasses.dataclass(frozen=True)
class RequestRecord:
    """One request the server answered: ``kind`` is ``info``, ``tree``, ``resolve`` or ``other``."""

    method: str
    path: str
    kind: str
    status: int
    body_bytes: int
    range: str | None
    authorized: bool
    file: str | None = None


@dataclasses.dataclass
class _Fault:
    pattern: str
    at: int | None
    times: int
    kind: str = "cut"  # "cut": drop the connection at ``at``; "corrupt": flip every byte sent;
    # "stall": send up to ``at``, then hold the connection ``seconds`` before dropping it
    seconds: float = 0.0


class FakeHub:
    """The server plus its repos, request log and fault switches. Use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = RepoStore()
        self.valid_tokens: set[str] = {DEFAULT_TOKEN}
        self.token = DEFAULT_TOKEN
        self.page_size = 1000
        self._log: list[RequestRecord] = []
        self._faults: list[_Fault] = []
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._idle = threading.Condition()  # guards _log and _in_flight
        self._in_flight = 0
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.hub = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None
        self._defaults = self.store.snapshot()
        #: Set by the ``fake_hub`` fixture: this test's ``HF_HOME`` and its ``hub`` cache.
        self.hf_home: Path | None = None
        self.cache_dir: Path | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        """Base URL to use as ``HF_ENDPOINT``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeHub:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def keep_as_defaults(self) -> None:
        """Remember the repos served now: ``reset()`` returns to them."""
        self._defaults = self.store.snapshot()

    def reset(self) -> None:
        """Back to the remembered repos, no faults, an empty log and the default settings."""
        self.store.restore(self._defaults)
        self.clear_faults()
        self.clear_log()
        self.page_size = 1000
        self.valid_tokens = {self.token}

    def environment(self, hf_home: str | os.PathLike[str]) -> dict[str, str | None]:
        """The variables that point HF clients at this hub with ``hf_home`` (None: unset)."""
        changes: dict[str, str | None] = dict.fromkeys(HF_VARIABLES)
        changes.update(
            HF_ENDPOINT=self.endpoint,
            HF_HOME=os.fspath(hf_home),
            HF_HUB_DISABLE_TELEMETRY="1",
            HF_HUB_DISABLE_PROGRESS_BARS="1",
            HF_HUB_DISABLE_XET="1",
        )
        return changes

    # -- repositories ----------------------------------------------------------------------
    def add_repo(
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
        """Serve ``files`` as ``repo_id`` at ``revision``; return the new commit hash.

        Values are bytes, or paths to files or folders (see ``RepoStore.add``). ``gated``:
        downloads need a valid token (401 without, 403 if not in ``granted``). ``private``:
        the repo is invisible (401 RepoNotFound) without a valid token.
        """
        return self.store.add(
            repo_id, files, repo_type=repo_type, revision=revision, gated=gated,
            private=private, granted=granted,
        )

    def commit(self, repo_id: str, revision: str = "main", repo_type: str = "model") -> str:
        """The commit hash ``revision`` points at."""
        repo = self.store.get(repo_type, repo_id)
        sha = repo.resolve(revision) if repo else None
        if sha is None:
            raise KeyError(f"{repo_type} {repo_id}@{revision} is not served")
        return sha

    def file(self, repo_id: str, path: str, revision: str = "main", repo_type: str = "model") -> HubFile:
        """The served file (its ``data``, ``size``, ``etag``)."""
        return self.store.get(repo_type, repo_id).commits[self.commit(repo_id, revision, repo_type)][path]  # type: ignore[union-attr]

    # -- faults ----------------------------------------------------------------------------
    def cut_connection(self, file_pattern: str, *, at: int | None = None, times: int = 1) -> None:
        """Drop the next ``times`` downloads of files matching ``file_pattern`` at byte ``at``.

        ``at`` is an offset in the file (default: half its size); a ranged request that starts
        at or after it is dropped before any body byte, so a resuming client makes no progress.
        """
        with self._lock:
            self._faults.append(_Fault(file_pattern, at, times))

    def corrupt(self, file_pattern: str, *, times: int = 1) -> None:
        """Send the next ``times`` downloads of files matching ``file_pattern`` with every byte
        flipped (same size and headers: only a checksum can tell)."""
        with self._lock:
            self._faults.append(_Fault(file_pattern, None, times, "corrupt"))

    def stall(self, file_pattern: str, *, at: int | None = None, seconds: float = 30,
              times: int = 1) -> None:
        """Send the next ``times`` downloads of matching files up to byte ``at`` (default: half),
        then hold the connection for ``seconds`` before dropping it: a download to kill midway."""
        with self._lock:
            self._faults.append(_Fault(file_pattern, at, times, "stall", seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._wake.set()  # stalled downloads drop now
            self._wake = threading.Event()

    def _take_fault(self, path: str, kind: str = "cut") -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind == kind and fault.times > 0 and fnmatch.fnmatchcase(path, fault.pattern):
                    fault.times -= 1
                    return fault
        return None

    # -- request log -----------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered since the last ``clear_log()``.

        Waits (up to 10 s) for requests still being answered: a client may hold the whole
        response before the server thread has logged it.
        """
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=10)
            return list(self._log)

    def clear_log(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=10)
            self._log.clear()

    def bytes_served(self, file_pattern: str = "*") -> int:
        """Body bytes sent by file downloads (``resolve`` GETs) whose file matches the pattern."""
        return sum(
            r.body_bytes for r in self.requests
            if r.kind == "resolve" and r.file and fnmatch.fnmatchcase(r.file, file_pattern)
        )

    def downloaded_files(self) -> list[str]:
        """Files fetched by GET (in order, repeated when fetched more than once)."""
        return [r.file for r in self.requests if r.kind == "resolve" and r.method == "GET" and r.file]

    def _begin(self) -> None:
        with self._idle:
            self._in_flight += 1

    def _record(self, record: RequestRecord) -> None:
        with self._idle:
            self._log.append(record)
            self._in_flight -= 1
            self._idle.notify_all()


class _HubError(Exception):
    def __init__(self, status: int, code: str | None, message: str, commit: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.commit = status, code, message, commit


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"

    @property
    def hub(self) -> FakeHub:
        return self.server.hub  # type: ignore[attr-defined]

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm plus
        # the client's delayed ACK add ~40 ms to every small response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    # -- routing ---------------------------------------------------------------------------
    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        self._query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        segments = split.path.strip("/").split("/")
        self._kind, self._file, self._sent = "other", None, 0
        self.hub._begin()
        status = 500
        try:
            self._check_token()
            if segments[0] == "api" and len(segments) > 2 and segments[1] in TYPE_FROM_PLURAL:
                status = self._api(TYPE_FROM_PLURAL[segments[1]], segments[2:])
            elif "resolve" in segments:
                status = self._resolve(segments)
            else:
                raise _HubError(404, None, "Not Found")
        except _HubError as e:
            status = self._send_error(e)
        except (BrokenPipeError, ConnectionResetError):
            status = 499
        finally:
            self.hub._record(RequestRecord(
                self.command, unquote(self.path), self._kind, status, self._sent,
                self.headers.get("Range"), getattr(self, "_token", None) is not None, self._file,
            ))

    def _check_token(self) -> None:
        auth = self.headers.get("Authorization", "")
        self._token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if self._token is not None and self._token not in self.hub.valid_tokens:
            raise _HubError(401, None, "Invalid credentials in Authorization header")

    def _find_repo(self, repo_type: str, segments: list[str], stop: str) -> tuple[HubRepo, list[str]]:
        """Find the repo named by the leading segments (one or two), return it and the rest."""
        store = self.hub.store
        for n in (2, 1):
            if len(segments) < n:
                continue
            repo = store.get(repo_type, "/".join(unquote(s) for s in segments[:n]))
            if repo is not None and (len(segments) == n or segments[n] == stop):
                break
        else:
            # The Hub answers 401 to anonymous callers and 404 to authenticated ones.
            status = 401 if self._token is None else 404
            raise _HubError(status, "RepoNotFound", "Repository not found")
        if repo.private and self._token is None:
            raise _HubError(401, "RepoNotFound", "Repository not found")
        return repo, segments[n:]

    def _commit(self, repo: HubRepo, revision: str) -> str:
        sha = repo.resolve(revision)
        if sha is None:
            raise _HubError(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        return sha

    # -- /api ------------------------------------------------------------------------------
    def _api(self, repo_type: str, segments: list[str]) -> int:
        stop = "tree" if "tree" in segments[1:3] else "revision"
        repo, rest = self._find_repo(repo_type, segments, stop)
        if not rest or rest[0] == "revision":
            self._kind = "info"
            revision = unquote(rest[1]) if len(rest) > 1 else "main"
            return self._send_json(self._info(repo, self._commit(repo, revision)))
        if rest[0] == "tree" and len(rest) >= 2:
            self._kind = "tree"
            sha = self._commit(repo, unquote(rest[1]))
            path = unquote("/".join(rest[2:])).strip("/")
            return self._tree(repo, sha, path)
        raise _HubError(404, None, "Not Found")

    def _info(self, repo: HubRepo, sha: str) -> dict[str, Any]:
        blobs = self._query.get("blobs", "").lower() == "true"
        siblings = []
        for f in sorted(repo.commits[sha].values(), key=lambda f: f.path):
            entry: dict[str, Any] = {"rfilename": f.path}
            if blobs:
                entry.update(size=f.size, blobId=f.oid)
                if f.lfs:
                    entry["lfs"] = {"size": f.size, "sha256": f.sha256, "pointerSize": 134}
            siblings.append(entry)
        return {
            "_id": hashlib.md5(repo.repo_id.encode()).hexdigest()[:24],
            "id": repo.repo_id,
            **({"modelId": repo.repo_id} if repo.repo_type == "model" else {}),
            "author": repo.repo_id.split("/")[0] if "/" in repo.repo_id else None,
            "sha": sha,
            "lastModified": "2024-01-01T00:00:00.000Z",
            "private": repo.private,
            "gated": "manual" if repo.gated else False,
            "disabled": False,
            "tags": [],
            "downloads": 0,
            "likes": 0,
            "siblings": siblings,
        }

    def _tree(self, repo: HubRepo, sha: str, path: str) -> int:
        files = repo.commits[sha]
        prefix = f"{path}/" if path else ""
        under = sorted(p for p in files if p.startswith(prefix))
        if path and not under:
            raise _HubError(404, "EntryNotFound", f"{path} does not exist on {sha}", sha)
        recursive = self._query.get("recursive", "").lower() == "true"
        entries: dict[str, dict[str, Any]] = {}
        for p in under:
            parts = p[len(prefix):].split("/")
            for depth in range(1, len(parts)):
                folder = prefix + "/".join(parts[:depth])
                entries.setdefault(folder, {
                    "type": "directory", "oid": hashlib.sha1(folder.encode()).hexdigest(),
                    "path": folder,
                })
                if not recursive:
                    break
            if recursive or len(parts) == 1:
                f = files[p]
                entry: dict[str, Any] = {"type": "file", "oid": f.oid, "size": f.size, "path": p}
                if f.lfs:
                    entry["lfs"] = {"oid": f.sha256, "size": f.size, "pointerSize": 134}
                entries[p] = entry
        listing = [entries[k] for k in sorted(entries)]
        cursor = int(self._query.get("cursor", "0") or 0)
        page = listing[cursor:cursor + self.hub.page_size]
        headers = {}
        if cursor + self.hub.page_size < len(listing):
            query = {k: v for k, v in self._query.items() if k != "cursor"}
            query["cursor"] = str(cursor + self.hub.page_size)
            qs = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
            base = f"http://{self.headers.get('Host')}{urlsplit(self.path).path}"
            headers["Link"] = f'<{base}?{qs}>; rel="next"'
        return self._send_json(page, headers)

    # -- /resolve --------------------------------------------------------------------------
    def _resolve(self, segments: list[str]) -> int:
        self._kind = "resolve"
        repo_type = "model"
        if segments[0] in ("datasets", "spaces"):
            repo_type = TYPE_FROM_PLURAL[segments.pop(0)]
        repo, rest = self._find_repo(repo_type, segments, "resolve")
        if len(rest) < 3:
            raise _HubError(404, None, "Not Found")
        sha = self._commit(repo, unquote(rest[1]))
        path = unquote("/".join(rest[2:]))
        self._file = path
        if repo.gated:
            if self._token is None:
                raise _HubError(401, "GatedRepo", f"Access to model {repo.repo_id} is restricted. You must have access to it and be authenticated to access it. Please log in.")
            if repo.granted is not None and self._token not in repo.granted:
                raise _HubError(403, "GatedRepo", f"Access to model {repo.repo_id} is restricted and you are not in the authorized list.")
        hub_file = repo.commits[sha].get(path)
        if hub_file is None:
            raise _HubError(404, "EntryNotFound", f"{path} does not exist on {sha}", sha)
        return self._send_file(hub_file, sha)

    def _send_file(self, f: HubFile, sha: str) -> int:
        start, end = 0, f.size - 1
        status = 200
        range_header = self.headers.get("Range")
        if range_header and self.command == "GET":
            parsed = _parse_range(range_header, f.size)
            if parsed is None:
                raise _HubError(416, None, "Range Not Satisfiable")
            start, end = parsed
            status = 206
        headers = {
            "X-Repo-Commit": sha,
            "ETag": f'"{f.etag}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
            "Content-Length": str(end - start + 1),
        }
        if f.lfs:
            headers["X-Linked-Etag"] = f'"{f.sha256}"'
            headers["X-Linked-Size"] = str(f.size)
        if status == 206:
            headers["Content-Range"] = f"bytes {start}-{end}/{f.size}"
        self._send_head(status, headers)
        if self.command == "HEAD":
            return status
        body = f.data[start:end + 1]
        if self.hub._take_fault(f.path, "corrupt") is not None:
            body = bytes(b ^ 0xFF for b in body)
        stall = self.hub._take_fault(f.path, "stall")
        if stall is not None:
            cut_at = stall.at if stall.at is not None else f.size // 2
            self._write(body[: max(0, cut_at - start)])
            self.hub._wake.wait(stall.seconds)  # clear_faults() ends the stall early
            self._drop()
            return 499
        fault = self.hub._take_fault(f.path)
        if fault is not None:
            cut_at = fault.at if fault.at is not None else f.size // 2
            self._write(body[: max(0, cut_at - start)])
            self._drop()
            return 499
        self._write(body)
        return status

    # -- low-level output ------------------------------------------------------------------
    def _send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self._sent += len(data)

    def _drop(self) -> None:
        """Close the socket mid-body, the way a dropped connection looks to the client."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send_json(self, payload: Any, headers: Mapping[str, str] | None = None) -> int:
        data = json.dumps(payload).encode()
        self._send_head(200, {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})})
        if self.command != "HEAD":
            self.wfile.write(data)
            self._sent += len(data)
        return 200

    def _send_error(self, e: _HubError) -> int:
        data = json.dumps({"error": e.message}).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(data)), "X-Error-Message": e.message}
        if e.code:
            headers["X-Error-Code"] = e.code
        if e.commit:
            headers["X-Repo-Commit"] = e.commit
        self._send_head(e.status, headers)
        if self.command != "HEAD":
            self.wfile.write(data)
        return e.status


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``bytes=START-[END]`` -> inclusive (start, end), or None when unsatisfiable."""
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            start, end = max(0, size - int(last)), size - 1
        else:
            start, end = int(first), (int(last) if last else size - 1)
    except ValueError:
        return None
    end = min(end, size - 1)
    if start > end or start >= size:
        return None
    return start, end
