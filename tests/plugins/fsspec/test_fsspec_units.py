"""Small pieces: option parsing, secret collection, name checks, error translation."""

from __future__ import annotations

import pytest
from nnbench.errors import (
    ArtifactNotFoundError,
    AuthenticationError,
    LoaderError,
    TransferError,
    UnknownSchemeError,
)
from nnbench_fsspec import options as opts
from nnbench_fsspec.errors import translate
from nnbench_fsspec.protocols import install_hint, protocols
from nnbench_fsspec.remote import safe_rel


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [("anon", "true", True), ("anon", "False", False), ("block_size", "1024", 1024),
     ("ratio", "0.5", 0.5), ("region", "us-east-1", "us-east-1"), ("x", "none", None),
     ("client_kwargs", '{"region_name": "eu"}', {"region_name": "eu"}),
     ("secret", "12345", "12345"), ("account_key", "true", "true"), ("tag", "nan", "nan")],
)
def test_coerce(key, value, expected):
    assert opts.coerce(key, value) == expected


def test_secret_values_from_url_options_and_nesting():
    url = "zip://m::s3://user:pa%24%24word@bkt/k?sig=abcdef&region=eu"
    options = {"key": "AKIAEXAMPLE", "s3": {"secret": "s3cr3t-value"},
               "client_kwargs": {"aws_secret_access_key": "deep-secret"}, "region": "eu"}
    found = opts.secret_values(url, options)
    for s in ("pa$$word", "pa%24%24word", "abcdef", "AKIAEXAMPLE", "s3cr3t-value", "deep-secret"):
        assert s in found
    assert "eu" not in found
    assert opts.public(options) == {"s3": {}, "client_kwargs": {}, "region": "eu"}


@pytest.mark.parametrize("name", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b",
                                  "C:/x", "", "a/./b", "a\x00b"])
def test_unsafe_names_refused(name):
    with pytest.raises(LoaderError, match="escape"):
        safe_rel(name)


@pytest.mark.parametrize("name", ["a", "a/b.bin", "..a/b..", "dir/.hidden"])
def test_safe_names_kept(name):
    assert safe_rel(name) == name


def test_protocols_exclude_local_and_hf():
    ps = protocols()
    assert {"s3", "gs", "az", "http", "https", "memory", "zip"} <= set(ps)
    assert not {"file", "local", "hf"} & set(ps)
    assert "nnbench-fsspec[azure]" in install_hint("az")


SECRET = "tOpSeCrEt-9876543210"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [(FileNotFoundError("bkt/k"), ArtifactNotFoundError),
     (PermissionError(f"denied for key {SECRET}"), AuthenticationError),
     (ConnectionResetError(f"reset at https://u:{SECRET}@host/x"), TransferError),
     (ImportError("Install s3fs to access S3"), UnknownSchemeError),
     (ValueError("Protocol not known: foo"), UnknownSchemeError),
     (RuntimeError(f"weird\n{SECRET}\ntrace"), LoaderError)],
)
def test_translate_one_line_without_secret(exc, kind):
    err = translate(exc, "s3://bkt/k", "s3", (SECRET,))
    assert type(err) is kind
    assert "\n" not in str(err) and SECRET not in str(err)
    assert err.exit_code == 2


class _S3LikeFS:
    """Just enough of an S3 filesystem for ``fetch_one``: ``get_file`` writes ``payloads``."""

    protocol = ("nnbs3", "s3")

    def __init__(self, payloads):
        self.payloads = list(payloads)

    def get_file(self, rpath, lpath, **kwargs):
        with open(lpath, "wb") as f:
            f.write(self.payloads.pop(0))


def _remote(data_md5: str, from_etag: bool):
    from nnbench_fsspec.remote import RemoteFile

    return RemoteFile("b/k/a.bin", "a.bin", 4, '{"ETag": "x"}', "x", data_md5, None, None,
                      from_etag)


def test_etag_that_is_no_md5_accepted_when_two_transfers_agree(tmp_path):
    from nnbench_fsspec.cache import CacheEntry
    from nnbench_fsspec.transfer import fetch_one

    entry = CacheEntry(tmp_path / "e", "s3://b/k")
    fetch_one(_S3LikeFS([b"abcd", b"abcd"]), _remote("0" * 32, True), entry)
    assert (entry.data / "a.bin").read_bytes() == b"abcd"


@pytest.mark.parametrize("from_etag", [True, False])
def test_checksum_mismatch_refused(tmp_path, from_etag):
    from nnbench_fsspec.cache import CacheEntry
    from nnbench_fsspec.transfer import VerificationError, fetch_one

    entry = CacheEntry(tmp_path / "e", "s3://b/k")
    with pytest.raises(VerificationError, match="checksum mismatch"):
        fetch_one(_S3LikeFS([b"abcd", b"abce"]), _remote("0" * 32, from_etag), entry)
    assert not (entry.data / "a.bin").exists()
    assert not [p for p in entry.tmp.iterdir()]
