"""Fetched files are checked against the Hub's listing: size, LFS sha256, git blob id.

New downloads are always checked, every selected file with ``verify=true`` /
``nnbench fetch --verify``; a bad file is downloaded once more, then it is an error. Leftover
``*.incomplete`` files of killed downloads go once their blob is complete.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from nnbench.artifacts import resolve
from nnbench.errors import LoaderError, TransferError
from nnbench.testing import CLIRunner
from nnbench_hf.testing import NER_REPO

REPO_DIR = "models--dslim--bert-base-NER"


def blob_of(fake_hub, rel):
    link = fake_hub.cache_dir / REPO_DIR / "snapshots" / fake_hub.commit(NER_REPO) / rel
    return link.resolve()


def flip(path, at=100):
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def fetched(fake_hub):
    path = resolve(f"hf:{NER_REPO}").load()
    fake_hub.clear_log()
    return path


@pytest.mark.parametrize(("rel", "damage"), [
    ("model.safetensors", flip),  # LFS: sha256
    ("config.json", lambda p: flip(p, 3)),  # git: blob id
    ("model.safetensors", lambda p: p.write_bytes(p.read_bytes()[:-10])),  # size
])
def test_fetch_verify_finds_a_damaged_blob_and_downloads_it_again(fake_hub, fetched, tmp_path,
                                                                  rel, damage):
    damage(blob_of(fake_hub, rel))
    res = CLIRunner(cwd=tmp_path).run("fetch", "--verify", f"hf:{NER_REPO}")
    assert res.exit_code == 0, res
    assert (fetched / rel).read_bytes() == fake_hub.file(NER_REPO, rel).data
    assert fake_hub.downloaded_files() == [rel]


def test_verify_on_a_sound_cache_downloads_nothing(fake_hub, fetched):
    resolve(f"hf:{NER_REPO}?verify=true").load()
    assert fake_hub.downloaded_files() == []


def test_a_corrupted_first_download_is_downloaded_again(fake_hub):
    fake_hub.corrupt("model.safetensors", times=1)
    path = resolve(f"hf:{NER_REPO}").load()
    assert (path / "model.safetensors").read_bytes() == fake_hub.file(NER_REPO, "model.safetensors").data
    assert fake_hub.downloaded_files().count("model.safetensors") == 2


def test_a_file_corrupted_twice_is_an_error(fake_hub, tmp_path):
    fake_hub.corrupt("model.safetensors", times=2)
    with pytest.raises(TransferError, match="model.safetensors does not match the Hub's listing "
                                            "after downloading it twice"):
        resolve(f"hf:{NER_REPO}").load()
    fake_hub.corrupt("model.safetensors", times=2)
    res = CLIRunner(cwd=tmp_path).run("fetch", f"hf:{NER_REPO}@main")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "twice" in res.stderr, res


def test_a_run_on_a_corrupted_model_fails_instead_of_scoring_it(fake_hub, fetched, tmp_path):
    """The model loads through a spec with verify=true: the damaged blob is replaced."""
    flip(blob_of(fake_hub, "model.safetensors"))
    (tmp_path / "bench_size.py").write_text(
        "import hashlib\nimport nnbench\nfrom nnbench import Artifact\n\n"
        "class Weights(Artifact[bytes]):\n    def deserialize(self):\n"
        "        self._value = (self.path / 'model.safetensors').read_bytes()\n\n"
        "@nnbench.benchmark\ndef digest(w: Weights) -> str:\n"
        "    return hashlib.sha256(w.value).hexdigest()\n")
    res = CLIRunner(cwd=tmp_path).run("run", "bench_size.py", "--no-store", "-q", "-o", "r.json",
                                      "--loader", f"hf:{NER_REPO}?verify=true")
    assert res.exit_code == 0, res
    assert fake_hub.file(NER_REPO, "model.safetensors").sha256 in (tmp_path / "r.json").read_text()


def test_offline_verify_reports_a_damaged_blob(fake_hub, fetched, monkeypatch):
    flip(blob_of(fake_hub, "model.safetensors"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(LoaderError, match="in the cache does not match.*unset HF_HUB_OFFLINE"):
        resolve(f"hf:{NER_REPO}?verify=true").load()


def test_leftover_incomplete_file_is_removed_after_the_successful_retry(fake_hub):
    """kill -9 mid-download leaves the temporary file; the next successful fetch removes it
    (and leaves another blob's partial download alone)."""
    fake_hub.stall("model.safetensors", seconds=60)
    blobs = fake_hub.cache_dir / REPO_DIR / "blobs"
    sha = fake_hub.file(NER_REPO, "model.safetensors").sha256
    proc = subprocess.Popen([sys.executable, "-c", "import nnbench; "
                             f"nnbench.resolve('hf:{NER_REPO}').load()"])
    try:
        deadline = time.monotonic() + 60
        while not list(blobs.glob(f"{sha}*.incomplete")):  # the download is under way
            assert proc.poll() is None and time.monotonic() < deadline, "no partial download"
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    fake_hub.clear_faults()
    assert list(blobs.glob(f"{sha}*.incomplete")), "the killed download left its temporary file"
    (blobs / f"{'0' * 64}.incomplete").write_bytes(b"another blob's partial download")
    path = resolve(f"hf:{NER_REPO}").load()
    assert (path / "model.safetensors").read_bytes() == fake_hub.file(NER_REPO, "model.safetensors").data
    assert sorted(p.name for p in blobs.glob("*.incomplete")) == [f"{'0' * 64}.incomplete"]
