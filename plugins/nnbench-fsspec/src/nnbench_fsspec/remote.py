"""List what a URL points at: one file or every file below a prefix, each with its identity."""

from __future__ import annotations

import base64
import dataclasses
import json
import posixpath
import re
from typing import Any

from nnbench.errors import LoaderError

_HEX_MD5 = re.compile(r"^[0-9a-f]{32}$")
# info keys that name a version of an object, strongest first
_VERSION_KEYS = ("VersionId", "version_id", "generation", "etag", "ETag", "md5Hash", "crc", "CRC")
_TIME_KEYS = ("LastModified", "last_modified", "mtime", "updated", "Last-Modified", "created")


@dataclasses.dataclass(frozen=True)
class RemoteFile:
    """One remote file: where it is, where it goes (``rel``), and how to recognise it again."""

    rpath: str
    rel: str
    size: int | None
    identity: str | None  # None: the store gives nothing to recognise a version by
    etag: str | None
    md5: str | None  # hex digest the content must have, when the store tells it
    version: str | None
    client_checksum: str | None = None  # algorithm the S3 client verifies while streaming
    md5_from_etag: bool = False  # an S3 ETag: an MD5 unless encryption made it something else


def list_files(fs: Any, path: str, protocol: str) -> tuple[list[RemoteFile], bool]:
    """The files at ``path`` and whether it is a single file. Raises FileNotFoundError."""
    fs.invalidate_cache()
    if protocol in ("http", "https") and not path.endswith("/"):
        infos = {path: fs.info(path)}  # a find() on a file URL would download it to parse links
    else:
        infos = fs.find(path, detail=True, withdirs=False)
    infos = {n: i for n, i in infos.items() if i.get("type", "file") != "directory"}
    if not infos:
        raise FileNotFoundError(path)
    root = path.rstrip("/")
    s3 = "s3" in _protocols(fs)
    single = len(infos) == 1 and _same(next(iter(infos)), root)
    files = []
    for name, info in sorted(infos.items()):
        rel = posixpath.basename(_no_query(root)) if single else _relative(name, root)
        files.append(_describe(name, rel, info, s3))
    _check_layout([f.rel for f in files])
    return files, single


def _protocols(fs: Any) -> tuple[str, ...]:
    proto = getattr(fs, "protocol", ())
    return (proto,) if isinstance(proto, str) else tuple(proto)


def _same(name: str, root: str) -> bool:
    return name.rstrip("/") == root


def _no_query(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


def _relative(name: str, root: str) -> str:
    if not name.startswith(root + "/"):
        raise LoaderError(
            f"the store listed {name!r} outside the requested prefix; refusing to fetch it"
        )
    return safe_rel(_no_query(name[len(root) + 1 :]))


def safe_rel(rel: str) -> str:
    """Return ``rel`` if it is a plain relative path inside the destination, else refuse it."""
    parts = rel.split("/")
    bad = (
        not rel
        or rel.startswith(("/", "\\"))
        or "\\" in rel
        or "\x00" in rel
        or re.match(r"^[A-Za-z]:", rel)
        or any(p in ("", ".", "..") for p in parts)
    )
    if bad:
        raise LoaderError(
            f"remote name {rel!r} would escape the cache directory (absolute or '..'); "
            "refusing to fetch it"
        )
    return rel


def _check_layout(rels: list[str]) -> None:
    names = set(rels)
    for rel in rels:
        parent = rel.rsplit("/", 1)[0] if "/" in rel else None
        while parent:
            if parent in names:
                raise LoaderError(
                    f"remote name {parent!r} is both a file and a directory; "
                    "it cannot be mirrored locally"
                )
            parent = parent.rsplit("/", 1)[0] if "/" in parent else None


def _describe(name: str, rel: str, info: dict[str, Any], s3: bool) -> RemoteFile:
    size = info.get("size")
    etag = _first(info, "ETag", "etag", "e_tag")
    etag = etag.strip('"') if etag else etag
    version = _first(info, "VersionId", "version_id", "generation")
    ident = {k: _text(info[k]) for k in _VERSION_KEYS if info.get(k) not in (None, "")}
    for k in _TIME_KEYS if not ident else ():
        if info.get(k) not in (None, ""):
            ident = {k: _text(info[k])}
            break
    identity = json.dumps({"size": size, **ident}, sort_keys=True) if ident else None
    algo = info.get("ChecksumAlgorithm") if s3 else None
    algo = algo[0] if isinstance(algo, list) and len(algo) == 1 else algo
    if not isinstance(algo, str) or info.get("ChecksumType") == "COMPOSITE":
        algo = None
    md5, from_etag = _md5(info, etag, s3)
    return RemoteFile(name, rel, size, identity, etag, md5, version, algo, from_etag)


def _first(info: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        if info.get(k) not in (None, ""):
            return _text(info[k])
    return None


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def _md5(info: dict[str, Any], etag: str | None, s3: bool) -> tuple[str | None, bool]:
    """The content MD5 the store vouches for (hex or None), and whether it is an S3 ETag."""
    if s3 and etag and info.get("ServerSideEncryption") != "aws:kms":
        tag = etag.lower()
        if _HEX_MD5.match(tag):  # S3: a single-part upload's ETag is its MD5
            return tag, True
    for key in ("md5Hash", "Content-MD5"):  # GCS, HTTP: base64
        if info.get(key):
            try:
                return base64.b64decode(info[key]).hex(), False
            except ValueError:
                return None, False
    settings = info.get("content_settings")
    md5 = settings.get("content_md5") if isinstance(settings, dict) else None
    if isinstance(md5, (bytes, bytearray)) and len(md5) == 16:  # Azure
        return bytes(md5).hex(), False
    return None, False
