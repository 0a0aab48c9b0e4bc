"""S3 through moto's server on 127.0.0.1 with s3fs: fetch, cache reuse, changes, errors."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import pickle

import pytest
from nnbench.errors import ArtifactNotFoundError, AuthenticationError
from nnbench_fsspec import FsspecLoader
from nnbench_fsspec.testing import KEY_ID, SECRET, upload_dir


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_fetch_tiny_bert_loads_with_transformers(fsspec_s3, fsspec_s3_server, tiny_bert):
    fs, bucket = fsspec_s3
    upload_dir(fs, tiny_bert, f"{bucket}/models/tiny-bert")
    loader = FsspecLoader(f"s3://{bucket}/models/tiny-bert")
    mark = fsspec_s3_server.log.mark()
    path = loader.load()
    assert _files(path) == _files(tiny_bert)
    assert sorted(fsspec_s3_server.log.object_gets(bucket, mark)) == [
        f"models/tiny-bert/{name}" for name in _files(tiny_bert)
    ]
    transformers = pytest.importorskip("transformers")
    model = transformers.AutoModel.from_pretrained(path)
    assert model.config.hidden_size == 32 and model.config.num_hidden_layers == 2
    tok = transformers.AutoTokenizer.from_pretrained(path)
    ids = tok("w1 w2", return_tensors="pt")
    assert ids["input_ids"][0, 1:3].tolist() == [6, 7]
    reference = transformers.AutoModel.from_pretrained(tiny_bert)
    assert (model(**ids).last_hidden_state == reference(**ids).last_hidden_state).all()

    facts = loader.provenance()
    assert facts["url"] == f"s3://{bucket}/models/tiny-bert"
    sizes = {f["path"]: f["size"] for f in facts["files"]}
    assert sizes["model.safetensors"] == (tiny_bert / "model.safetensors").stat().st_size
    assert all(f["etag"] for f in facts["files"])
    assert facts["total_size"] == sum(sizes.values())
    json.dumps(facts)


def test_rerun_transfers_nothing_and_change_transfers_again(fsspec_s3, fsspec_s3_server, tiny_bert):
    fs, bucket = fsspec_s3
    upload_dir(fs, tiny_bert, f"{bucket}/m")
    url = f"s3://{bucket}/m"
    first = FsspecLoader(url).load()

    mark = fsspec_s3_server.log.mark()
    again = FsspecLoader(url)
    assert again.load() == first
    assert fsspec_s3_server.log.object_gets(bucket, mark) == []  # listing only
    assert again.provenance()["transferred"] == {"files": 0, "bytes": 0}

    fs.pipe_file(f"{bucket}/m/config.json", b'{"changed": true}')
    mark = fsspec_s3_server.log.mark()
    changed = FsspecLoader(url)
    path = changed.load()
    assert fsspec_s3_server.log.object_gets(bucket, mark) == ["m/config.json"]
    assert (path / "config.json").read_bytes() == b'{"changed": true}'
    assert changed.provenance()["transferred"]["files"] == 1

    fs.rm(f"{bucket}/m/vocab.txt")
    assert "vocab.txt" not in _files(FsspecLoader(url).load())  # mirror follows the remote


def test_single_file_returns_the_file(fsspec_s3, fsspec_s3_server):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/weights/model.bin", b"w" * 1000)
    path = FsspecLoader(f"s3://{bucket}/weights/model.bin").load()
    assert path.name == "model.bin" and path.read_bytes() == b"w" * 1000


def test_deleted_remote_is_an_error_not_a_stale_copy(fsspec_s3, fsspec_s3_server):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/gone/a.txt", b"a")
    FsspecLoader(f"s3://{bucket}/gone").load()
    fs.rm(f"{bucket}/gone", recursive=True)
    with pytest.raises(ArtifactNotFoundError, match="not found"):
        FsspecLoader(f"s3://{bucket}/gone").load()


@pytest.mark.parametrize("what", ["key", "bucket"])
def test_missing_key_or_bucket(fsspec_s3, what):
    fs, bucket = fsspec_s3
    url = f"s3://{bucket}/no/such/key" if what == "key" else "s3://no-such-bucket-xyz/k"
    with pytest.raises(ArtifactNotFoundError) as info:
        FsspecLoader(url).load()
    assert "\n" not in str(info.value) and url in str(info.value)


def test_corrupted_cache_file_is_transferred_again(fsspec_s3, fsspec_s3_server):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/c/a.bin", b"a" * 100)
    path = FsspecLoader(f"s3://{bucket}/c").load()
    (path / "a.bin").write_bytes(b"b" * 100)  # a local edit: size equal, mtime differs
    mark = fsspec_s3_server.log.mark()
    assert (FsspecLoader(f"s3://{bucket}/c").load() / "a.bin").read_bytes() == b"a" * 100
    assert fsspec_s3_server.log.object_gets(bucket, mark) == ["c/a.bin"]


def test_secret_never_shown(fsspec_s3, fsspec_s3_server, caplog, capsys):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/s/a.txt", b"a")
    caplog.set_level(logging.DEBUG)
    url = f"s3://{KEY_ID}:{SECRET}@{bucket}/s"
    loader = FsspecLoader(f"s3://{bucket}/s", {"key": KEY_ID, "secret": SECRET})
    loader.load()
    shown = [repr(loader), json.dumps(loader.provenance())]
    bad = FsspecLoader(f"s3://{bucket}/missing", {"key": KEY_ID, "secret": SECRET})
    with pytest.raises(ArtifactNotFoundError) as info:
        bad.load()
    shown.append(str(info.value))
    denied = FsspecLoader(f"s3://{bucket}/s", {"key": "wrong", "secret": SECRET + "x"})
    shown.append(repr(FsspecLoader(url)))
    try:
        denied.load()
    except Exception as exc:  # moto accepts any key; a refusal would say so without the secret
        assert isinstance(exc, AuthenticationError)
        shown.append(str(exc))
    out = capsys.readouterr()
    shown += [out.out, out.err, caplog.text]
    manifest = list((loader.entry().root).glob("manifest.json"))
    shown += [m.read_text() for m in manifest]
    for text in shown:
        assert SECRET not in text


def _fill(url: str, cache: str, q) -> None:
    os.environ["NNBENCH_CACHE"] = cache
    try:
        q.put(str(FsspecLoader(url).load()))
    except Exception as exc:  # report to the parent
        q.put(repr(exc))


def test_two_processes_fill_one_entry(fsspec_s3, fsspec_s3_server, tiny_bert, nnbench_cache):
    fs, bucket = fsspec_s3
    upload_dir(fs, tiny_bert, f"{bucket}/p")
    url = f"s3://{bucket}/p"
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    mark = fsspec_s3_server.log.mark()
    procs = [ctx.Process(target=_fill, args=(url, str(nnbench_cache), q)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert results[0] == results[1], results
    gets = fsspec_s3_server.log.object_gets(bucket, mark)
    assert sorted(gets) == sorted(set(gets))  # each object transferred once, by one process
    path = FsspecLoader(url).load()
    for name in _files(tiny_bert):
        assert (path / name).read_bytes() == (tiny_bert / name).read_bytes()


def test_pickle_round_trip(fsspec_s3, fsspec_s3_server):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/k/a.txt", b"a")
    loader = FsspecLoader(f"s3://{bucket}/k", spec=f"s3://{bucket}/k")
    clone = pickle.loads(pickle.dumps(loader))
    assert clone.load() == loader.load()


def test_md5_checked_when_the_client_does_not(fsspec_s3, fsspec_s3_server):
    """Above s3fs's block size the GET is ranged and botocore checks nothing: the ETag MD5 is
    verified by nnbench (the out-of-order part writes exercise the re-hash fallback)."""
    fs, bucket = fsspec_s3
    data = os.urandom(300_000)
    fs.pipe_file(f"{bucket}/big/w.bin", data)
    loader = FsspecLoader(f"s3://{bucket}/big", {"default_block_size": 65536})
    assert (loader.load() / "w.bin").read_bytes() == data
