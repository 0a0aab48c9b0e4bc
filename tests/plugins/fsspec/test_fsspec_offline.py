"""Offline mode against the moto server: NNBENCH_OFFLINE / ``offline=true`` use the cache only."""

from __future__ import annotations

import json
import pickle
import time

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import ArtifactNotFoundError
from nnbench.testing.managers import isolated_plugin_manager
from nnbench_fsspec import FsspecLoader
from nnbench_fsspec.testing import KEY_ID, SECRET


@pytest.fixture
def manager():
    with isolated_plugin_manager("nnbench_fsspec.plugin", "fsspec") as m:
        yield m


@pytest.fixture
def model(fsspec_s3):
    fs, bucket = fsspec_s3
    fs.pipe({f"{bucket}/m/config.json": b"{}", f"{bucket}/m/w/a.bin": b"a" * 100})
    return fs, bucket, f"s3://{bucket}/m"


def _mark(server) -> int:
    time.sleep(0.2)  # let the server log requests answered just before
    return server.log.mark()


def _requests(server, mark: int) -> list:
    time.sleep(0.2)
    return server.log.lines[mark:]


@pytest.fixture
def no_filesystem(monkeypatch):
    """Fail the test if an offline load so much as constructs a filesystem."""
    monkeypatch.setattr("fsspec.core.url_to_fs", lambda *a, **k: pytest.fail("filesystem built"))


@pytest.mark.parametrize("value", ["1", "TRUE", "yes", "On"])
def test_warm_offline_load_makes_no_request(model, fsspec_s3_server, monkeypatch, value):
    _fs, _bucket, url = model
    online = FsspecLoader(url)
    first = online.load()
    mark = _mark(fsspec_s3_server)
    monkeypatch.setenv("NNBENCH_OFFLINE", value)
    loader = FsspecLoader(url)
    assert loader.load() == first
    assert _requests(fsspec_s3_server, mark) == []
    facts, before = loader.provenance(), online.provenance()
    assert facts["offline"] is True and facts["path"] == before["path"]
    assert facts["files"] == before["files"] and facts["total_size"] == 102
    assert facts["transferred"] == {"files": 0, "bytes": 0}
    json.dumps(facts)


def test_offline_single_file_constructs_no_filesystem(fsspec_s3, fsspec_s3_server, monkeypatch):
    fs, bucket = fsspec_s3
    fs.pipe_file(f"{bucket}/weights/model.bin", b"w" * 1000)
    url = f"s3://{bucket}/weights/model.bin"
    first = FsspecLoader(url).load()
    monkeypatch.setattr("fsspec.core.url_to_fs", lambda *a, **k: pytest.fail("filesystem built"))
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    loader = FsspecLoader(url)
    path = loader.load()
    assert path == first and path.read_bytes() == b"w" * 1000
    assert [f["path"] for f in loader.provenance()["files"]] == ["model.bin"]


def test_offline_with_nothing_cached_is_one_line(model, fsspec_s3_server, monkeypatch, no_filesystem):
    _fs, bucket, _url = model
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    mark = _mark(fsspec_s3_server)
    with pytest.raises(ArtifactNotFoundError) as info:
        FsspecLoader(f"s3://{KEY_ID}:{SECRET}@{bucket}/m").load()
    msg = str(info.value)
    assert "\n" not in msg and SECRET not in msg
    assert "NNBENCH_OFFLINE is set and this URL is not fully in the cache at" in msg
    assert msg.endswith("unset NNBENCH_OFFLINE (or offline=false) to download it")
    assert _requests(fsspec_s3_server, mark) == []


def test_cli_fetch_offline_with_nothing_cached_exits_2(model, fsspec_s3_server, tmp_path):
    from nnbench.testing.cli import CLIRunner

    _fs, bucket, _url = model
    cli = CLIRunner(cwd=tmp_path)
    mark = _mark(fsspec_s3_server)
    res = cli.subprocess("fetch", f"s3://{bucket}/m", "--option", f"secret={SECRET}",
                         env={"NNBENCH_OFFLINE": "1"})
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "NNBENCH_OFFLINE" in lines[0]
    assert SECRET not in res.stdout + res.stderr
    assert _requests(fsspec_s3_server, mark) == []


@pytest.mark.parametrize("how", ["edited", "deleted"])
def test_offline_after_local_tampering_is_an_error(model, monkeypatch, how):
    _fs, _bucket, url = model
    path = FsspecLoader(url).load()
    if how == "edited":
        (path / "w" / "a.bin").write_bytes(b"b" * 100)  # same size, new mtime
    else:
        (path / "config.json").unlink()
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    with pytest.raises(ArtifactNotFoundError, match="not fully in the cache"):
        FsspecLoader(url).load()


def test_old_manifest_without_the_record_is_not_complete(model, monkeypatch):
    _fs, _bucket, url = model
    loader = FsspecLoader(url)
    loader.load()
    manifest = loader.entry().root / "manifest.json"
    doc = json.loads(manifest.read_text())
    del doc["complete"]
    manifest.write_text(json.dumps(doc))
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    with pytest.raises(ArtifactNotFoundError):
        FsspecLoader(url).load()
    monkeypatch.delenv("NNBENCH_OFFLINE")
    FsspecLoader(url).load()  # an online load records it again, transferring nothing
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    assert FsspecLoader(url).load() == loader.load()


def test_offline_follows_the_last_online_listing(model, monkeypatch):
    fs, bucket, url = model
    FsspecLoader(url).load()
    fs.rm(f"{bucket}/m/config.json")
    FsspecLoader(url).load()
    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    loader = FsspecLoader(url)
    loader.load()
    assert [f["path"] for f in loader.provenance()["files"]] == ["w/a.bin"]


def test_option_form(manager, model, fsspec_s3_server, monkeypatch):
    _fs, _bucket, url = model
    first = resolve(url).load()
    loader = resolve(f"{url}?offline=true")
    assert loader.offline is True and loader.storage_options == {}
    assert loader.entry().root == resolve(url).entry().root
    mark = _mark(fsspec_s3_server)
    assert loader.load() == first
    assert _requests(fsspec_s3_server, mark) == []
    assert pickle.loads(pickle.dumps(loader)).offline is True
    assert resolve(url, offline="yes").offline is True  # nnbench fetch --option offline=yes

    missing = resolve(f"{url}/nothing?offline=true")
    with pytest.raises(ArtifactNotFoundError) as info:
        missing.load()
    assert "offline=true is given" in str(info.value) and "NNBENCH_OFFLINE" not in str(info.value)

    monkeypatch.setenv("NNBENCH_OFFLINE", "1")
    online = resolve(f"{url}?offline=false")  # the option wins over the environment
    mark = _mark(fsspec_s3_server)
    assert online.load() == first
    assert _requests(fsspec_s3_server, mark) != []
    assert "offline" not in online.provenance()
