"""HTTP through a local threaded http.server, memory://, chained URLs, and fault handling."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import zipfile

import fsspec
import pytest
from fsspec.spec import AbstractFileSystem
from nnbench.errors import LoaderError, TransferError
from nnbench_fsspec import FsspecLoader


def _write(root, files):
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def test_http_single_file(fsspec_http_server, fsspec_http_root):
    _write(fsspec_http_root, {"model.safetensors": b"s" * 5000})
    loader = FsspecLoader(f"{fsspec_http_server.url}/model.safetensors")
    path = loader.load()
    assert path.name == "model.safetensors" and path.read_bytes() == b"s" * 5000
    assert loader.provenance()["files"] == [{"path": "model.safetensors", "size": 5000, "etag": None}]
    gets = len([r for r in fsspec_http_server.requests if r.startswith("GET")])
    assert FsspecLoader(f"{fsspec_http_server.url}/model.safetensors").load() == path
    assert len([r for r in fsspec_http_server.requests if r.startswith("GET")]) == gets  # HEAD only


def test_http_directory_listing(fsspec_http_server, fsspec_http_root):
    _write(fsspec_http_root, {"m/config.json": b"{}", "m/sub/w.bin": b"w" * 300})
    path = FsspecLoader(f"{fsspec_http_server.url}/m/").load()
    assert (path / "config.json").read_bytes() == b"{}"
    assert (path / "sub" / "w.bin").read_bytes() == b"w" * 300


@pytest.mark.parametrize("md5", [False, True], ids=["size-check", "content-md5"])
def test_http_server_stopped_halfway(fsspec_http_server, fsspec_http_root, nnbench_cache, md5):
    data = bytes(range(256)) * 4096  # 1 MiB
    _write(fsspec_http_root, {"big.bin": data})
    fsspec_http_server.md5 = md5
    fsspec_http_server.cut["/big.bin"] = len(data) // 2
    url = f"{fsspec_http_server.url}/big.bin"
    with pytest.raises(TransferError) as info:
        FsspecLoader(url).load()
    assert "\n" not in str(info.value)
    fsspec_http_server.wait_stopped()
    leftovers = [p for p in nnbench_cache.rglob("*") if p.is_file() and p.name != ".lock"]
    assert all(p.name == "manifest.json" for p in leftovers), leftovers
    assert not any(p.name == "big.bin" for p in nnbench_cache.rglob("*"))
    fsspec_http_server.restart()
    path = FsspecLoader(url).load()
    assert path.read_bytes() == data


def test_killed_transfer_leaves_no_corrupt_entry(fsspec_http_server, fsspec_http_root, nnbench_cache):
    data = bytes(range(256)) * 8192  # 2 MiB, sent at ~1.3 MiB/s
    _write(fsspec_http_root, {"m/a.bin": data, "m/b.txt": b"b"})
    fsspec_http_server.slow.add("/m/a.bin")
    url = f"{fsspec_http_server.url}/m/"
    code = "import sys; from nnbench_fsspec import FsspecLoader; FsspecLoader(sys.argv[1]).load()"
    proc = subprocess.Popen([sys.executable, "-c", code, url])
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 0 for p in nnbench_cache.rglob("*.part")):
        assert time.monotonic() < deadline and proc.poll() is None, "no partial transfer seen"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not any(p.name == "a.bin" for p in nnbench_cache.rglob("*")), "partial file in place"
    fsspec_http_server.slow.clear()
    loader = FsspecLoader(url)
    path = loader.load()
    assert (path / "a.bin").read_bytes() == data
    assert not list(nnbench_cache.rglob("*.part")), "stale temp files were not cleaned"


def test_http_checksum_mismatch_is_refused(fsspec_http_server, fsspec_http_root, nnbench_cache):
    _write(fsspec_http_root, {"w.bin": b"abc" * 1000})
    fsspec_http_server.md5 = True
    fsspec_http_server.corrupt.add("/w.bin")
    with pytest.raises(TransferError, match="checksum mismatch"):
        FsspecLoader(f"{fsspec_http_server.url}/w.bin").load()
    assert not any(p.name == "w.bin" for p in nnbench_cache.rglob("*"))
    fsspec_http_server.corrupt.clear()
    assert FsspecLoader(f"{fsspec_http_server.url}/w.bin").load().read_bytes() == b"abc" * 1000


def test_memory_directory_and_change(nnbench_cache):
    fs = fsspec.filesystem("memory")
    fs.pipe({"/mdl/config.json": b"{}", "/mdl/a/b.bin": b"b" * 10})
    loader = FsspecLoader("memory://mdl")
    path = loader.load()
    assert sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()) == [
        "a/b.bin", "config.json"]
    assert loader.provenance()["transferred"]["files"] == 2
    again = FsspecLoader("memory://mdl")
    again.load()
    assert again.provenance()["transferred"]["files"] == 0
    fs.pipe("/mdl/a/b.bin", b"c" * 11)
    changed = FsspecLoader("memory://mdl")
    assert (changed.load() / "a" / "b.bin").read_bytes() == b"c" * 11
    assert changed.provenance()["transferred"]["files"] == 1
    fs.rm("/mdl", recursive=True)


def test_chained_zip_url(tmp_path):
    archive = tmp_path / "m.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("model/config.json", "{}")
        z.writestr("model/weights.bin", b"x" * 100)
    fsspec.filesystem("memory").pipe("/arch/m.zip", archive.read_bytes())
    path = FsspecLoader("zip://model::memory://arch/m.zip").load()
    assert (path / "weights.bin").read_bytes() == b"x" * 100
    fsspec.filesystem("memory").rm("/arch", recursive=True)


class EvilFileSystem(AbstractFileSystem):
    """A store whose listing names a file outside the requested prefix."""

    protocol = "nnbevil"
    names: tuple[str, ...] = ()

    def find(self, path, maxdepth=None, withdirs=False, detail=False, **kwargs):
        out = {n: {"name": n, "size": 4, "type": "file"} for n in self.names}
        return out if detail else list(out)

    def get_file(self, rpath, lpath, **kwargs):
        with open(lpath, "wb") as f:
            f.write(b"evil")


@pytest.mark.parametrize("name", ["root/../evil", "root//etc/evil", "root/a/../../evil"])
def test_listing_that_escapes_is_refused(name, tmp_path, nnbench_cache):
    fsspec.register_implementation("nnbevil", EvilFileSystem, clobber=True)
    EvilFileSystem.names = ("root/ok.txt", name)
    with pytest.raises(LoaderError, match="escape|outside"):
        FsspecLoader("nnbevil://root").load()
    assert not any(p.name == "evil" for p in nnbench_cache.parent.rglob("*"))


def test_memory_name_with_dotdot_is_refused(nnbench_cache):
    fs = fsspec.filesystem("memory")
    fs.pipe({"/dd/ok.txt": b"ok", "/dd/../evil": b"evil"})
    try:
        names = fs.find("/dd")
        if not any(".." in n for n in names):
            pytest.skip("this fsspec normalises '..' in memory paths")
        with pytest.raises(LoaderError, match="escape"):
            FsspecLoader("memory://dd").load()
    finally:
        fs.rm("/dd", recursive=True)
